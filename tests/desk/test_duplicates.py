"""The duplicate guard at the desk, without Telegram (bot.desk.duplicates): a draft that tells the story of
a post published in the last DUPLICATE_DAYS days, or of one queued, carries it in its preview, and
publishing or scheduling it asks once more; "yes, all the same" then does what was chosen."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.status import PostStatus
from bot.desk.answers import (
    AskDuplicate,
    Asked,
    AskFlood,
    Card,
    EditorMessage,
    Preview,
    RingChosen,
    Scheduled,
    Wait,
)
from bot.desk.callbacks import ANYWAY, Action, Button
from bot.desk.duplicates import Duplicate
from bot.desk.service import Desk
from bot.publishing.formatter import PreparedPost, prepare_post
from bot.publishing.publisher import Publisher
from bot.text.changes import Change
from storage.database import Database

EDITOR = 1001
NOON = datetime(2026, 11, 26, 8, 30, tzinfo=UTC)
SIGNATURE = "🆔 @news_test"
TABLE = Path(__file__).resolve().parent.parent / "data" / "duplicates.json"
STORIES = {story["story"]: story["texts"] for story in json.loads(TABLE.read_text(encoding="utf-8"))}
QUAKE, QUAKE_REWORDED, QUAKE_AFTERSHOCKS = (STORIES["quake"][k] for k in ("a", "a2", "b"))
DAM, DAM_REWORDED = STORIES["dam"]["a"], STORIES["dam"]["a2"]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Wakes:
    async def wake(self) -> None:
        pass


@pytest.fixture
async def db(tmp_path: Path):
    async with Database.open(tmp_path / "desk.sqlite3") as database:
        yield database


def _desk(db: Database, clock: Clock, **settings: object) -> Desk:
    values = {"channel_id": "@news_test", "editor_ids": frozenset({EDITOR}), "quiet_hours": None, **settings}

    async def prepare(text: str, *, credit: str = "") -> PreparedPost:
        return prepare_post(text, bullet="🔹", signature=SIGNATURE, credit=credit)

    async def explain(text: str) -> list[Change]:
        return []

    publisher = Publisher(None, db, channel_id="@news_test", notices=None, clock=clock)  # type: ignore[arg-type]
    return Desk(db, publisher, Wakes(), Settings(_env_file=None, **values), clock, prepare, explain)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOON)


@pytest.fixture
def desk(db: Database, clock: Clock) -> Desk:
    return _desk(db, clock)


_ids = iter(range(1, 10_000))


async def _draft(desk: Desk, text: str) -> Preview:
    answer = await desk.take_text(EditorMessage(EDITOR, EDITOR, next(_ids)), text)
    assert isinstance(answer, Preview)
    return answer


async def _published(db: Database, text: str, at: datetime, message_id: int = 700) -> int:
    post = prepare_post(text, bullet="🔹", signature=SIGNATURE)
    article_id = await db.create_draft(post.title, post.body, post.messages)
    assert await db.claim_for_publishing(article_id)
    assert await db.mark_published(article_id, [message_id], at)
    return article_id


async def test_a_reworded_published_story_is_flagged_with_its_link(desk: Desk, db: Database) -> None:
    earlier = await _published(db, QUAKE, NOON - timedelta(hours=5))
    preview = await _draft(desk, QUAKE_REWORDED)
    assert preview.duplicate is not None
    assert preview.duplicate.article_id == earlier and preview.duplicate.due is None
    assert preview.duplicate.link == "https://t.me/news_test/700"
    assert preview.duplicate.published_at == NOON - timedelta(hours=5)
    # Another event of the same place is no duplicate.
    assert (await _draft(desk, QUAKE_AFTERSHOCKS)).duplicate is None


async def test_publishing_or_scheduling_it_asks_once_more_and_yes_goes_ahead(
    desk: Desk, db: Database
) -> None:
    earlier = await _published(db, QUAKE, NOON - timedelta(days=1))
    ref = (await _draft(desk, QUAKE_REWORDED)).article.id
    for action in ANYWAY:
        asked = await desk.press(EDITOR, Button(action, ref))
        assert isinstance(asked, AskDuplicate) and asked.action is action, action
        assert asked.duplicate.article_id == earlier
    assert (await db.get(ref)).status is PostStatus.DRAFT  # nothing was done
    picked = await desk.press(EDITOR, Button(Action.PICK_ANYWAY, ref))
    assert picked == Asked(Wait.TIME, ref)
    scheduled = await desk.press(EDITOR, Button(Action.HOUR_ANYWAY, ref))
    assert isinstance(scheduled, Scheduled) and scheduled.when == NOON + timedelta(hours=1)


async def test_a_story_already_queued_is_flagged_with_its_time(desk: Desk, db: Database) -> None:
    first = (await _draft(desk, DAM)).article.id
    assert isinstance(await desk.press(EDITOR, Button(Action.TONIGHT, first)), Scheduled)
    due = (await db.get(first)).scheduled_at
    preview = await _draft(desk, DAM_REWORDED)
    assert preview.duplicate == Duplicate(first, (await db.get(first)).title, due=due)
    second = preview.article.id
    asked = await desk.press(EDITOR, Button(Action.NEXT_SLOT, second))
    assert isinstance(asked, AskDuplicate) and asked.duplicate.due == due
    # The queued one itself is told of the newer draft only once that one is queued too.
    card = await desk.press(EDITOR, Button(Action.OPEN, first))
    assert isinstance(card, Card) and card.duplicate is None
    assert isinstance(await desk.press(EDITOR, Button(Action.SLOT_ANYWAY, second)), Scheduled)
    card = await desk.press(EDITOR, Button(Action.OPEN, first))
    assert isinstance(card, Card) and card.duplicate is not None and card.duplicate.article_id == second
    ring = await desk.press(EDITOR, Button(Action.RING, first))
    assert isinstance(ring, RingChosen) and ring.duplicate == card.duplicate  # the choices keep the flag


async def test_an_older_post_or_a_guard_turned_off_asks_nothing(db: Database, clock: Clock) -> None:
    await _published(db, QUAKE, NOON - timedelta(days=4))
    desk = _desk(db, clock)  # DUPLICATE_DAYS: 3 by default
    preview = await _draft(desk, QUAKE_REWORDED)
    assert preview.duplicate is None
    assert isinstance(await desk.press(EDITOR, Button(Action.IN_AN_HOUR, preview.article.id)), Scheduled)
    await _published(db, DAM, NOON - timedelta(hours=1), message_id=701)
    off = _desk(db, clock, duplicate_days=0)
    preview = await _draft(off, DAM_REWORDED)
    assert preview.duplicate is None
    assert isinstance(await off.press(EDITOR, Button(Action.IN_AN_HOUR, preview.article.id)), Scheduled)


async def test_a_long_duplicate_asks_about_the_story_then_about_the_flood(db: Database, clock: Clock) -> None:
    await _published(db, QUAKE, NOON - timedelta(hours=2))
    desk = _desk(db, clock, flood_messages=1)
    body = QUAKE_REWORDED.partition("\n")[2]
    long_text = (
        QUAKE_REWORDED.partition("\n")[0] + "\n" + "\n\n".join([body] * 20)
    )  # the same words, 2+ messages
    preview = await _draft(desk, long_text)
    ref, parts = preview.article.id, len(preview.article.parts)
    assert parts > 1 and preview.duplicate is not None
    assert isinstance(await desk.press(EDITOR, Button(Action.PUBLISH_NOW, ref)), AskDuplicate)
    assert await desk.press(EDITOR, Button(Action.NOW_ANYWAY, ref)) == AskFlood(
        ref, parts
    )  # yes: the flood next
