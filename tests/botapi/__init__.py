"""A local Telegram Bot API server for end-to-end tests; see tests/botapi/server.py."""

from tests.botapi.server import DEFAULT_TOKEN, BotApiServer

__all__ = ["DEFAULT_TOKEN", "BotApiServer"]
