"""The scheduler's one timer, driven by a real PTB JobQueue and a real SQLite file.

The publisher here only records what it is asked to publish (and can be told to fail once), so
these tests watch the timer itself: it follows the database, publishes in due order, skips the
posts put to the editor, and survives a failing round without spinning.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.core.post import Article
from bot.publishing.retry import RetryPolicy
from bot.publishing.scheduler import TIMER, Scheduler
from storage.database import Database


class RecordingPublisher:
    """Marks posts published in the database and records the order; may fail its first call."""

    def __init__(self, db: Database, *, fail_first: bool = False) -> None:
        self.db = db
        self.fail_first = fail_first
        self.calls: list[tuple[int, float]] = []

    async def publish(self, article_id: int) -> None:
        self.calls.append((article_id, asyncio.get_running_loop().time()))
        if self.fail_first:
            self.fail_first = False
            raise RuntimeError("database is locked")
        if await self.db.claim_for_publishing(article_id, due_by=datetime.now(UTC) + timedelta(seconds=1)):
            await self.db.mark_published(article_id, [article_id], datetime.now(UTC))


class StartupNotices:
    """Records what start-up would ask editors."""

    def __init__(self) -> None:
        self.missed_ids: list[int] = []
        self.uncertain_ids: list[int] = []
        self.published_ids: list[tuple[int, list[int]]] = []

    async def missed(self, article: Article, late: timedelta) -> None:
        self.missed_ids.append(article.id)

    async def uncertain(self, article: Article) -> None:
        self.uncertain_ids.append(article.id)

    async def published(self, article: Article, message_ids) -> None:
        self.published_ids.append((article.id, list(message_ids)))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database.open(tmp_path / "newsdesk.sqlite3") as database:
        yield database


@pytest.fixture
async def job_queue() -> AsyncIterator:
    application = Application.builder().token("1:" + "a" * 30).build()
    assert application.job_queue is not None
    await application.job_queue.start()
    yield application.job_queue
    await application.job_queue.stop()


async def post(db: Database, due: datetime, *, publishing: bool = False) -> int:
    article_id = await db.create_draft("تیتر", "متن", ["<b>تیتر</b>"])
    assert await db.schedule(article_id, due)
    if publishing:
        assert await db.claim_for_publishing(article_id)
    return article_id


async def until(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_timer_follows_the_database_and_publishes_in_due_order(job_queue, db: Database) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    second = await post(db, now + timedelta(seconds=2))
    first = await post(db, now + timedelta(seconds=1))
    later = await post(db, now + timedelta(hours=5))
    publisher = RecordingPublisher(db)
    scheduler = Scheduler(job_queue, db, publisher, notices=StartupNotices(), grace_minutes=30)
    report = await scheduler.rearm()
    assert report.next_wake == now + timedelta(seconds=1)
    await until(lambda: len(publisher.calls) == 2)
    assert [article_id for article_id, _ in publisher.calls] == [first, second]
    await until(lambda: job_queue.get_jobs_by_name(TIMER))  # set again once the round is over
    [timer] = job_queue.get_jobs_by_name(TIMER)
    # For the post in 5 hours, but a minute at most: a wall clock that jumps is noticed within it.
    recheck = timedelta(seconds=RetryPolicy().schedule_recheck_seconds)
    assert abs(timer.next_t - (datetime.now(UTC) + recheck)) < timedelta(seconds=2)
    # Moving the last post earlier and waking the scheduler re-sets the one timer.
    assert await db.schedule(later, datetime.now(UTC))
    await scheduler.wake()
    await until(lambda: len(publisher.calls) == 3)
    assert publisher.calls[-1][0] == later
    assert not job_queue.get_jobs_by_name(TIMER)  # nothing left to wait for


async def test_missed_and_half_sent_posts_are_left_to_the_editor(job_queue, db: Database) -> None:
    now = datetime.now(UTC)
    within_grace = await post(db, now - timedelta(minutes=10))
    beyond_grace = await post(db, now - timedelta(minutes=40))
    half_sent = await post(db, now - timedelta(minutes=1), publishing=True)
    notices = StartupNotices()
    publisher = RecordingPublisher(db)
    scheduler = Scheduler(job_queue, db, publisher, notices=notices, grace_minutes=30)
    report = await scheduler.rearm()
    assert (report.due_now, report.missed, report.uncertain) == ([within_grace], [beyond_grace], [half_sent])
    assert (notices.missed_ids, notices.uncertain_ids) == ([beyond_grace], [half_sent])
    await until(lambda: publisher.calls)
    await asyncio.sleep(0.2)
    assert [article_id for article_id, _ in publisher.calls] == [within_grace]
    # The editor gives the missed post a new time: now it goes out.
    assert await db.schedule(beyond_grace, datetime.now(UTC))
    await scheduler.wake()
    await until(lambda: len(publisher.calls) == 2)
    assert publisher.calls[-1][0] == beyond_grace


async def test_a_failing_round_is_retried_later_not_in_a_loop(job_queue, db: Database) -> None:
    due = await post(db, datetime.now(UTC) - timedelta(seconds=1))
    publisher = RecordingPublisher(db, fail_first=True)
    scheduler = Scheduler(
        job_queue,
        db,
        publisher,
        notices=StartupNotices(),
        grace_minutes=30,
        retry=RetryPolicy(schedule_retry_seconds=0.5),
    )
    await scheduler.rearm()
    await until(lambda: len(publisher.calls) == 2)
    (_, failed_at), (_, retried_at) = publisher.calls
    assert retried_at - failed_at >= 0.45
    for _ in range(200):  # the second call is still finishing its database writes
        if (await db.get(due)).status == "published":
            break
        await asyncio.sleep(0.01)
    assert (await db.get(due)).status == "published"


async def test_a_post_whose_every_part_was_confirmed_is_completed_not_asked(job_queue, db: Database) -> None:
    article_id = await post(db, datetime.now(UTC) - timedelta(minutes=1), publishing=True)
    assert await db.record_sent_parts(article_id, [501])  # Telegram confirmed it; then the crash
    notices = StartupNotices()
    scheduler = Scheduler(job_queue, db, RecordingPublisher(db), notices=notices, grace_minutes=30)
    report = await scheduler.rearm()
    assert (report.completed, report.uncertain) == ([article_id], [])
    assert notices.published_ids == [(article_id, [501])] and notices.uncertain_ids == []
    article = await db.get(article_id)
    assert article.status == "published" and article.channel_message_ids == [501]
