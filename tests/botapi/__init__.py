"""A local Telegram Bot API server for end-to-end tests; see tests/botapi/server.py."""

from tests.botapi.methods import DEFAULT_TOKEN
from tests.botapi.server import BotApiServer

__all__ = ["DEFAULT_TOKEN", "BotApiServer"]
