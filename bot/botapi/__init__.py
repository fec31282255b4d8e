"""A local, strict Telegram Bot API server (emulator), shared by the tests and `newsdesk sandbox`.

See bot/botapi/server.py. The pytest fixtures around it live in tests/botapi/fixtures.py.
"""

from bot.botapi.server import BotApiServer
from bot.botapi.state import DEFAULT_TOKEN

__all__ = ["DEFAULT_TOKEN", "BotApiServer"]
