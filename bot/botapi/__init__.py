"""A local, strict Telegram Bot API server (emulator), shared by the tests and `newsdesk sandbox`.

See bot/botapi/server.py. The pytest fixtures around it live in tests/botapi/fixtures.py.
"""

from bot.botapi.methods import DEFAULT_TOKEN
from bot.botapi.server import BotApiServer

__all__ = ["DEFAULT_TOKEN", "BotApiServer"]
