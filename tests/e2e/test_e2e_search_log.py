"""The search log keeps subscribers' queries for SEARCH_LOG_DAYS only (or none at all), end to end."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.botapi.server import BotApiServer
from storage.connection import to_db_time
from storage.database import Database
from tests.botapi.fixtures import SUBSCRIBER_ID
from tests.desk_harness import running_desk


async def _old_searches(path: Path) -> None:
    """A log that already holds searches from 40 and 3 days ago."""
    async with Database.open(path):
        pass
    with sqlite3.connect(path) as conn:
        for days, query in ((40, "old query"), (3, "recent query")):
            at = to_db_time(datetime.now(UTC) - timedelta(days=days))
            conn.execute(
                "INSERT INTO search_log (at, user_id, kind, query, results, partial, ms)"
                " VALUES (?, ?, ?, ?, 0, 0, 1)",
                (at, SUBSCRIBER_ID, "search", query),
            )


def _logged(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return sorted(query for (query,) in conn.execute("SELECT query FROM search_log"))


@pytest.mark.parametrize(("days", "kept"), [(7, ["recent query", "بودجه"]), (0, [])])
async def test_searches_are_kept_for_the_days_set(
    botapi: BotApiServer, tmp_path: Path, days: int, kept
) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    await _old_searches(path)
    async with running_desk(botapi, path, search_log_days=days):
        asked = botapi.user_sends_text(SUBSCRIBER_ID, "/search بودجه")
        await botapi.wait_for_bot_message(SUBSCRIBER_ID, after=asked, timeout=20)
    # Written at the latest when the bot stops; the one from 40 days ago is gone at the start.
    assert _logged(path) == kept
