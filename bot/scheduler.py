"""The schedule: one PTB JobQueue (APScheduler) job per scheduled post, re-armed from the database.

The database row is the only truth. A job holds just the article id; when it fires, the publisher
claims the row, so a job left over from before a cancel or reschedule does nothing. At start-up
`rearm()` reads every `scheduled` row: future ones are armed, ones missed while the bot was down
go out now if at most MISFIRE_GRACE_MINUTES late and are put to the editor otherwise, and rows
left in `publishing` by a crash are reported to the editor as uncertain — never sent again blindly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from telegram.ext import ContextTypes, Job, JobQueue

from bot.publisher import Publisher, utc_now
from bot.schedule import Misfire, misfire_decision
from storage.database import Article, Database

log = logging.getLogger(__name__)


class StartupNotices(Protocol):
    """What start-up tells editors; implemented by the editor desk (handlers.editor)."""

    async def missed(self, article: Article, late: timedelta) -> None: ...

    async def uncertain(self, article: Article) -> None: ...


@dataclass
class RearmReport:
    """What `Scheduler.rearm` found."""

    armed: int = 0
    due_now: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    uncertain: list[int] = field(default_factory=list)


def job_name(article_id: int) -> str:
    """The job (and APScheduler id) of one post."""
    return f"post-{article_id}"


class Scheduler:
    """Arms, moves and removes the job of each scheduled post."""

    def __init__(
        self,
        job_queue: JobQueue,
        db: Database,
        publisher: Publisher,
        *,
        notices: StartupNotices,
        grace_minutes: int,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.job_queue = job_queue
        self.db = db
        self.publisher = publisher
        self.notices = notices
        self.grace_minutes = grace_minutes
        self.clock = clock

    def arm(self, article_id: int, when: datetime) -> Job:
        """Fire the post at `when` (aware); replaces an earlier job of the same post."""
        name = job_name(article_id)
        # A delay measured on our clock, so the job fires when *our* clock reaches `when`.
        delay = max((when - self.clock()).total_seconds(), 0.0)
        return self.job_queue.run_once(
            self._fire,
            when=delay,
            data=article_id,
            name=name,
            job_kwargs={"id": name, "replace_existing": True, "misfire_grace_time": None},
        )

    def disarm(self, article_id: int) -> None:
        """Forget the post's job, if any (the row decides anyway)."""
        for job in self.job_queue.get_jobs_by_name(job_name(article_id)):
            job.schedule_removal()

    async def rearm(self) -> RearmReport:
        """Arm every pending post from the database and report the ones an editor must decide."""
        report = RearmReport()
        now = self.clock()
        for article in await self.db.list_pending():
            if article.status == "publishing":
                report.uncertain.append(article.id)
                await self.notices.uncertain(article)
                continue
            assert article.scheduled_at is not None
            decision = misfire_decision(article.scheduled_at, now, self.grace_minutes)
            if decision is Misfire.ASK:
                report.missed.append(article.id)
                await self.notices.missed(article, now - article.scheduled_at)
                continue
            self.arm(article.id, article.scheduled_at)
            if decision is Misfire.PUBLISH:
                report.due_now.append(article.id)
            report.armed += 1
        log.info(
            "re-armed %d posts (%d due now); %d missed beyond grace, %d uncertain",
            report.armed, len(report.due_now), len(report.missed), len(report.uncertain),
        )  # fmt: skip
        return report

    async def _fire(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Job callback: publish the post whose time has come."""
        assert context.job is not None
        article_id: int = context.job.data  # type: ignore[assignment]
        await self.publisher.publish(article_id)
