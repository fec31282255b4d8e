"""Waits end at expiry on the bot's clock, also across a restart (bot.desk.waits, with real SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.desk.waits import TELL_LATE_ANSWER, WAIT_EXPIRES, Waits
from storage.database import Database
from storage.desk_state import EndedWait

EDITOR, OTHER = 1001, 1002
NOON = datetime(2026, 11, 26, 8, 30, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOON

    def __call__(self) -> datetime:
        return self.now


class Prompts:
    """The handlers' side: which prompts were said to be over."""

    def __init__(self) -> None:
        self.ended: list[EndedWait] = []

    async def wait_ended(self, ended: EndedWait) -> None:
        self.ended.append(ended)


async def _draft(db: Database) -> int:
    return await db.create_draft("تیتر", "متن", ["<b>تیتر</b>"], editor_id=EDITOR, editor_chat_id=EDITOR)


async def test_a_wait_that_expired_while_the_bot_was_down_ends_at_start_up(tmp_path: Path) -> None:
    clock, path = Clock(), tmp_path / "desk.sqlite3"
    async with Database.open(path) as db:
        article_id = await _draft(db)
        await db.await_input(EDITOR, "time", article_id, since=clock())
        await Waits(db, clock).prompt_shown(EDITOR, article_id, EDITOR, 77)
        await db.await_input(OTHER, "edit", article_id, since=clock() + timedelta(minutes=5))
    clock.now += WAIT_EXPIRES + timedelta(seconds=1)  # the bot was down meanwhile
    async with Database.open(path) as db:
        prompts = Prompts()
        await Waits(db, clock, prompts=prompts).rearm()
        assert prompts.ended == [EndedWait(EDITOR, "time", article_id, EDITOR, 77, clock.now)]
        assert await db.awaited_input(EDITOR) is None
        assert (await db.awaited_input(OTHER))[:2] == ("edit", article_id)  # not yet expired
        assert await db.first_wait_began() == NOON + timedelta(minutes=5)


async def test_an_ended_wait_is_told_once_and_only_for_a_while(tmp_path: Path) -> None:
    clock = Clock()
    async with Database.open(tmp_path / "desk.sqlite3") as db:
        waits, article_id = Waits(db, clock), await _draft(db)
        await db.await_input(EDITOR, "time", article_id, since=clock())
        clock.now += WAIT_EXPIRES
        assert await waits.end_expired() == []  # not a second early
        clock.now += timedelta(seconds=1)
        [ended] = await waits.end_expired()
        assert ended.prompt_message_id is None  # no prompt recorded: nothing to edit
        assert await waits.late_for(EDITOR) == ended and await waits.late_for(EDITOR) is None
        await db.await_input(EDITOR, "time", article_id, since=clock())
        clock.now += WAIT_EXPIRES + timedelta(seconds=1)
        await waits.end_expired()
        clock.now += TELL_LATE_ANSWER + timedelta(seconds=1)
        assert await waits.late_for(EDITOR) is None
