"""pytest fixtures for end-to-end tests against the Bot API test server.

- `botapi`: a started `BotApiServer` in its own thread (usable from sync and async tests, and by a
  bot running as a separate process), with three users: `EDITOR_ID` (fa), `SUBSCRIBER_ID` (fa),
  `ENGLISH_SUBSCRIBER_ID` (en), and the channel `@news_test` (`botapi.channel`).
- `botapi_inprocess`: the same world served from the test's own event loop (async tests only).
- `botapi_env`: environment for `newsdesk run` as a subprocess, pointed at `botapi`, with a
  fresh database under the test's tmp_path.
- `tg_bot`: an initialized `telegram.ext.ExtBot` talking to `botapi` over HTTP (short timeouts).
- `local_request(**timeouts)`: an HTTPXRequest for your own Bot/Application (skips the CA bundle).
- teardown fails the test if the server itself crashed (`server.internal_errors`).

Users have not written to the bot yet, so the bot cannot message them first (403) until the
test makes them send something, as on real Telegram.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.botapi.server import BotApiServer

EDITOR_ID = 1001
SUBSCRIBER_ID = 2002
ENGLISH_SUBSCRIBER_ID = 3003


def populate(server: BotApiServer) -> BotApiServer:
    """The standard cast: one editor, one Persian and one English subscriber."""
    server.add_user(EDITOR_ID, "سردبیر", "fa", "editor_test")
    server.add_user(SUBSCRIBER_ID, "خواننده", "fa")
    server.add_user(ENGLISH_SUBSCRIBER_ID, "Reader", "en")
    return server


def bot_environment(server: BotApiServer, database_path: Path) -> dict[str, str]:
    """Environment variables that point `newsdesk run` at `server`."""
    return {
        **os.environ,
        "BOT_TOKEN": server.token,
        "CHANNEL_ID": f"@{server.channel.username}",
        "EDITOR_IDS": str(EDITOR_ID),
        "TELEGRAM_API_URL": server.base_url,
        "DATABASE_PATH": str(database_path),
    }


def assert_no_server_errors(server: BotApiServer) -> None:
    """A crash inside the test server must fail the test, not pass as a bot-side 500."""
    assert not server.internal_errors, f"Bot API test server errors: {server.internal_errors}"


@pytest.fixture
def botapi() -> Iterator[BotApiServer]:
    with populate(BotApiServer()) as server:
        yield server
    assert_no_server_errors(server)


@pytest.fixture
async def botapi_inprocess() -> AsyncIterator[BotApiServer]:
    async with populate(BotApiServer()) as server:
        yield server
    assert_no_server_errors(server)


@pytest.fixture
def botapi_env(botapi: BotApiServer, tmp_path: Path) -> dict[str, str]:
    return bot_environment(botapi, tmp_path / "newsdesk.sqlite3")


def local_request(**timeouts: float) -> HTTPXRequest:
    """An HTTPXRequest for the plain-HTTP test server.

    verify=False only skips loading the CA bundle (0.2 s per client); nothing here speaks TLS.
    """
    return HTTPXRequest(httpx_kwargs={"verify": False}, **timeouts)


@pytest.fixture
async def tg_bot(botapi: BotApiServer) -> AsyncIterator[ExtBot]:
    bot = ExtBot(
        botapi.token,
        base_url=botapi.base_url,
        base_file_url=botapi.base_file_url,
        request=local_request(connect_timeout=2.0, read_timeout=2.0, write_timeout=2.0),
        get_updates_request=local_request(read_timeout=2.0),
    )
    async with bot:
        yield bot
