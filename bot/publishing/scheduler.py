"""The schedule: one PTB JobQueue (APScheduler) timer, set from the database, the only truth.

How: the timer is always set for the earliest `scheduled` post in the database. When it fires,
every post that is due is handed to the publisher (which claims each row atomically, so nothing
goes out twice), and the timer is set again for the next one. Whenever a post is scheduled, moved,
cancelled or published, `wake()` re-reads the next time. So start-up costs one query however many
posts are pending, and a job can never disagree with its row.

At start-up `rearm()` reads every pending row: posts missed while the bot was down go out at once
if at most MISFIRE_GRACE_MINUTES late, and are put to the editor otherwise (they stay below the
timer's floor until the editor picks a new time); rows left in `publishing` by a crash are
completed when Telegram had confirmed every part, and otherwise reported to the editor as
uncertain — never sent again blindly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from telegram.ext import ContextTypes, JobQueue

from bot.core.media import message_total
from bot.core.post import Article
from bot.publishing.publisher import Publisher, utc_now
from bot.publishing.retry import DEFAULT_RETRY, RetryPolicy
from bot.publishing.slots import Misfire, misfire_decision
from storage.database import Database

log = logging.getLogger(__name__)

TIMER = "schedule-timer"


class StartupNotices(Protocol):
    """What start-up tells editors; implemented by `handlers.notices.EditorNotices`."""

    async def missed(self, article: Article, late: timedelta) -> None: ...

    async def uncertain(self, article: Article) -> None: ...

    async def published(self, article: Article, message_ids: Sequence[int]) -> None: ...


@dataclass
class RearmReport:
    """What `Scheduler.rearm` found."""

    next_wake: datetime | None = None
    due_now: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    uncertain: list[int] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)  # every part confirmed before the stop


class Scheduler:
    """Keeps the one timer set for the next scheduled post and publishes what is due."""

    def __init__(
        self,
        job_queue: JobQueue,
        db: Database,
        publisher: Publisher,
        *,
        notices: StartupNotices,
        grace_minutes: int,
        clock: Callable[[], datetime] = utc_now,
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        self.job_queue = job_queue
        self.db = db
        self.publisher = publisher
        self.notices = notices
        self.grace_minutes = grace_minutes
        self.grace = timedelta(minutes=grace_minutes)
        self.clock = clock
        self.retry_seconds = retry.schedule_retry_seconds
        self.recheck_seconds = retry.schedule_recheck_seconds
        # The next scheduled post's time (our clock) as last armed: the timer may fire sooner, to recheck.
        self.upcoming: datetime | None = None
        # Posts due before this were missed by more than the grace period at start-up: the editor
        # decides about them (a new time moves them above it).
        self.floor = clock() - self.grace

    async def rearm(self) -> RearmReport:
        """Tell editors what needs a decision after a stop, and set the timer.

        Only rows that are due or half-sent are read: posts still waiting cost nothing here."""
        report = RearmReport()
        now = self.clock()
        self.floor = now - self.grace
        for article in await self.db.list_publishing():
            if article.parts and len(article.channel_message_ids) == message_total(article.parts):
                # Telegram confirmed every part; only the last bookkeeping step was cut off.
                known = [message_id for message_id in article.channel_message_ids if message_id > 0]
                await self.db.mark_published(article.id, known, article.updated_at)
                report.completed.append(article.id)
                await self.notices.published(article, known)
                continue
            report.uncertain.append(article.id)
            await self.notices.uncertain(article)
        for article in await self.db.list_due(now):
            assert article.scheduled_at is not None
            if misfire_decision(article.scheduled_at, now, self.grace_minutes) is Misfire.ASK:
                report.missed.append(article.id)
                await self.notices.missed(article, now - article.scheduled_at)
            else:
                report.due_now.append(article.id)
        report.next_wake = await self.wake()
        log.info(
            "%d posts due now; %d missed beyond grace, %d uncertain; next wake-up %s",
            len(report.due_now), len(report.missed), len(report.uncertain), report.next_wake,
        )  # fmt: skip
        return report

    async def wake(self, *, not_sooner_than: float = 0.0) -> datetime | None:
        """Set the timer for the next scheduled post (after any change to the schedule)."""
        upcoming = await self.db.next_scheduled_at(self.floor)
        self.upcoming = upcoming
        for job in self.job_queue.get_jobs_by_name(TIMER):
            job.schedule_removal()
        if upcoming is None:
            return None
        # A delay on our clock, so the timer fires when *our* clock reaches the post's time; but at
        # least once a minute: the timer waits in monotonic seconds, and a wall clock that jumps
        # forward (NTP after a suspend, a VM restored) made a post 10 minutes late.
        delay = (upcoming - self.clock()).total_seconds()
        delay = max(min(delay, self.recheck_seconds), not_sooner_than)
        self.job_queue.run_once(self._fire, when=delay, name=TIMER, job_kwargs={"misfire_grace_time": None})
        return upcoming

    async def _fire(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Timer callback: publish every post that is due, oldest first, then set the next wake-up."""
        not_sooner_than = 0.0
        try:
            for article in await self.db.list_due(self.clock()):
                if article.scheduled_at is not None and article.scheduled_at >= self.floor:
                    await self.publisher.publish(article.id)
        except Exception:  # e.g. a locked database: try again a little later rather than spin
            log.exception("publishing due posts failed; trying again in %s s", self.retry_seconds)
            not_sooner_than = self.retry_seconds
        try:
            await self.wake(not_sooner_than=not_sooner_than)
        except Exception:  # the timer must survive: without it nothing would go out any more
            log.exception("could not read the schedule; trying again in %s s", self.retry_seconds)
            self.job_queue.run_once(self._fire, when=self.retry_seconds, name=TIMER)
