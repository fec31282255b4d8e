"""The publisher's trace (bot.publishing.history) when an act goes wrong, against the Bot API test
server and a real SQLite file: what reached the channel is recorded even when the act stops midway,
an act that wrote nothing records nothing, and the time is the publisher's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.botapi.server import BotApiServer
from bot.core.history import Act, Writes
from bot.publishing.formatter import prepare_post
from bot.publishing.publisher import Outcome, Publisher, RemovalOutcome, RevisionOutcome
from bot.publishing.retry import RetryPolicy
from storage.database import Database
from tests.publishing.test_publisher import CHANNEL, Notices, Sleeps, _BotWith, scheduled_post

APP_TIME = datetime(2027, 3, 21, 6, 30, tzinfo=UTC)  # the app's clock, not the machine's
EDITOR = 1001


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database.open(tmp_path / "newsdesk.sqlite3") as database:
        yield database


def _publisher(tg_bot, db: Database) -> Publisher:
    return Publisher(
        tg_bot, db, channel_id=CHANNEL, notices=Notices(), retry=RetryPolicy(max_attempts=3), sleep=Sleeps(),
        clock=lambda: APP_TIME,
    )  # fmt: skip


async def test_a_refused_publication_records_what_it_sent_and_took_back(
    tg_bot, db: Database, botapi: BotApiServer
) -> None:
    publisher = _publisher(tg_bot, db)
    article_id = await scheduled_post(db, limit_parts=["<b>بخش یک</b>", "بخش دو"])
    original = publisher.bot.send_message

    async def send_then_lose_rights(*args, **kwargs):
        message = await original(*args, **kwargs)
        botapi.inject_fault("forbidden", times=1, method="sendMessage", chat_id=botapi.channel.id)
        return message

    publisher.bot = _BotWith(publisher.bot, send_message=send_then_lose_rights)
    assert await publisher.publish(article_id, due_by=APP_TIME, by=EDITOR) is Outcome.FAILED
    [first] = botapi.bot_messages(botapi.channel.id, include_deleted=True)
    [entry] = await db.history_of(article_id)
    assert (entry.act, entry.at, entry.editor_id) == (Act.FAILED, APP_TIME, EDITOR)
    assert entry.writes == Writes(sent=[first.message_id], deleted=[first.message_id])
    assert "not_admin" in entry.reason


async def test_an_unanswered_part_then_dropped_is_traced_and_so_is_the_take_back(
    tg_bot, db: Database, botapi: BotApiServer
) -> None:
    publisher = _publisher(tg_bot, db)
    article_id = await scheduled_post(db, limit_parts=["<b>بخش یک</b>", "بخش دو"])
    original = publisher.bot.send_message

    async def send_then_hang(*args, **kwargs):
        message = await original(*args, **kwargs)
        botapi.inject_fault("server_error", times=1, method="sendMessage", status=504)
        return message

    publisher.bot = _BotWith(publisher.bot, send_message=send_then_hang)
    assert await publisher.publish(article_id, due_by=APP_TIME) is Outcome.UNCERTAIN
    [first] = botapi.channel_posts()
    assert await publisher.drop_uncertain(article_id, by=EDITOR)
    uncertain, dropped = await db.history_of(article_id)
    assert uncertain.act is Act.UNCERTAIN and uncertain.editor_id is None  # the schedule sent it
    assert uncertain.writes.sent == [first.message_id]
    assert dropped.act is Act.DROPPED and dropped.editor_id == EDITOR
    assert dropped.writes.deleted == [first.message_id]


async def test_a_correction_stopped_midway_records_what_changed_and_one_that_wrote_nothing_nothing(
    tg_bot, db: Database, botapi: BotApiServer
) -> None:
    publisher = _publisher(tg_bot, db)
    article_id = await scheduled_post(db, limit_parts=["<b>بخش یک</b>", "بخش دو"])
    assert await publisher.publish(article_id, due_by=APP_TIME) is Outcome.PUBLISHED
    one, two = botapi.channel_posts()
    # Fewer messages: the first is edited, then deleting the surplus second is refused.
    botapi.inject_fault("bad_request", times=1, method="deleteMessage", description="Bad Request: no rights")
    new = prepare_post("تیتر تازه\nمتن کوتاه اصلاح‌شده.", bullet="🔹", signature="")
    assert (await publisher.correct(article_id, new, by=EDITOR)).outcome is RevisionOutcome.FAILED
    published, corrected = await db.history_of(article_id)
    assert published.writes.sent == [one.message_id, two.message_id] and published.ring is True
    assert corrected.writes == Writes(edited=[one.message_id]) and not corrected.complete
    assert "no rights" in corrected.reason.lower() and "کوتاه" in corrected.added
    # A deletion Telegram refuses at once wrote nothing: no entry (the channel is as it was).
    botapi.inject_fault("bad_request", times=1, method="deleteMessage", description="Bad Request: no rights")
    assert (await publisher.delete(article_id, by=EDITOR)).outcome is RemovalOutcome.FAILED
    assert len(await db.history_of(article_id)) == 2
    assert all(entry.at == APP_TIME for entry in await db.history_of(article_id))
    assert await publisher.delete(article_id, by=EDITOR)
    assert (await db.history_of(article_id))[-1].writes.deleted == [one.message_id, two.message_id]
