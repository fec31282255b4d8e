"""The whole bot, in-process, against the Bot API test server: for the end-to-end editor tests.

`running_desk(server, tmp_path)` builds the Application with the one builder (bot.app), a real
SQLite file and a movable clock, starts polling over real HTTP (or, with `webhook=True`, serves our
webhook on a free local port, which the server then POSTs every update to), and stops it cleanly
afterwards.
Its searches run in a thread unless `search_in="process"`, as `newsdesk run`'s do: a search process
costs about 1.5 s of CPU per bot started (its imports and the analyzer's lexicon) and only a test that
searches can tell the difference, so those ask for it (the `searches` marker, `search_in_for`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app import HANDLED_UPDATES, build_application, open_database, polling
from bot.botapi.server import BotApiServer
from bot.botapi.world import StoredMessage
from bot.config import Settings
from bot.publishing.formatter import Formatter
from bot.publishing.retry import DEFAULT_RETRY, RetryPolicy
from bot.sandbox.clock import MovableClock
from bot.webhook import bound_socket
from bot.webhook import webhook as webhook_serving
from storage.database import Database, SearchIn
from tests.botapi.fixtures import EDITOR_ID

# One formatting process for every bot a test process starts, as the formatter was one per process
# before the bot closed its own at shutdown (a cold one costs ~1 s of CPU); closed at the session's
# end (tests/conftest.py). Closing a bot's own formatter is tested in tests/test_app.py.
SHARED_FORMATTER = Formatter()


@dataclass
class Desk:
    """A running bot and the handles a test needs."""

    server: BotApiServer
    application: Application
    db: Database
    clock: MovableClock
    settings: Settings

    async def editor_says(self, text: str, *, reply_to: StoredMessage | None = None) -> StoredMessage:
        """The editor writes to the bot."""
        return self.server.user_sends_text(EDITOR_ID, text, reply_to=reply_to)

    async def wait_bot_message(
        self, chat_id: int, predicate=lambda m: True, *, after: int = 0, timeout: float = 10.0
    ) -> StoredMessage:
        """The first bot message in `chat_id` after message id `after` that satisfies `predicate`."""

        def found() -> StoredMessage | None:
            for message in self.server.bot_messages(chat_id):
                if message.message_id > after and predicate(message):
                    return message
            return None

        return await self.server.wait_for(found, timeout=timeout)

    async def confirm_correction(self, chat_id: int, article_id: int, *, after: int) -> StoredMessage:
        """Press ✅ on the proposed correction of post `article_id` (shown in `chat_id` after message id
        `after`); the channel is only touched then. The proposal message is returned, as it now reads."""
        data = f"p:{article_id}:fix"
        ask = await self.wait_bot_message(
            chat_id, lambda m: data in [b.get("callback_data") for b in m.buttons], after=after, timeout=15
        )
        self.server.user_presses_button(chat_id, ask, data)
        return await self.server.wait_for(
            lambda: (m := self.server.message(chat_id, ask.message_id)) and not m.buttons and m, timeout=15
        )

    def last_id(self, chat_id: int) -> int:
        """The id of the last message in a chat (0 if none)."""
        messages = self.server.messages(chat_id)
        return messages[-1].message_id if messages else 0


def desk_settings(server: BotApiServer, database_path: Path, **overrides: object) -> Settings:
    """Settings pointing at the test server, independent of the environment's .env."""
    values: dict[str, object] = {
        "bot_token": server.token,
        "channel_id": f"@{server.channel.username}",
        "editor_ids": frozenset({EDITOR_ID}),
        "database_path": database_path,
        "telegram_api_url": server.base_url,
        "channel_posts_per_minute": 0,
        "quiet_hours": None,
        "signature": "🆔 @news_test",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def search_in_for(request: pytest.FixtureRequest) -> SearchIn:
    """Where the bot of a test searches: in a process of its own (as `newsdesk run`'s bot does) for a
    test marked `searches`, else in a thread."""
    return "process" if request.node.get_closest_marker("searches") else "thread"


@asynccontextmanager
async def running_desk(
    server: BotApiServer,
    database_path: Path,
    *,
    retry: RetryPolicy = DEFAULT_RETRY,
    search_in: SearchIn = "thread",
    webhook: bool = False,
    **overrides: object,
) -> AsyncIterator[Desk]:
    """Start the bot (post_init included, as `run_polling` would) and stop it at the end. Its clock
    (`Desk.clock`) moved with `advance` alone is a wall-clock jump: the bot's timers are not told.
    `webhook`: updates come as the server's POSTs to bot.webhook, as with `newsdesk run` and
    WEBHOOK_URL set."""
    with bound_socket("127.0.0.1", 0) if webhook else nullcontext() as listening:
        if listening is not None:
            port = listening.getsockname()[1]
            hook = {"webhook_url": f"http://127.0.0.1:{port}/newsdesk/hook", "webhook_port": port,
                    "webhook_listen": "127.0.0.1", "webhook_secret": "desk-harness"}  # fmt: skip
            overrides = hook | overrides
        settings = desk_settings(server, database_path, **overrides)
        db = await open_database(settings, search_in=search_in)
        clock = MovableClock()
        application = build_application(settings, db, clock=clock, formatter=SHARED_FORMATTER, retry=retry)
        if listening is None:
            serving = polling(application, poll_timeout=1)
        else:
            assert settings.webhook_secret is not None
            serving = webhook_serving(
                application, settings, secret=settings.webhook_secret, listening=listening,
                allowed_updates=list(HANDLED_UPDATES),
            )  # fmt: skip
        async with serving:
            yield Desk(server, application, db, clock, settings)
