"""pytest fixtures for the Bot API emulator in bot/botapi (see tests/botapi/fixtures.py)."""
