"""Time in the sandbox: the bot's clock, the emulator's clock and the bot's timers move together.

The bot takes its idea of now as a callable (`build_application(clock=...)`); its timers are jobs of
PTB's JobQueue, which wait in real seconds. Letting time pass by `delta` therefore moves three
things at once: the bot's clock, the emulator's clock (message dates, the 48 h rule) and every
pending job, which comes `delta` closer (one already overdue fires at once).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram.ext import Application

from bot.botapi.server import BotApiServer
from bot.scheduler import TIMER


class MovableClock:
    """Real time plus an offset that only grows ("time passes")."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


class TimeMachine:
    """Moves the sandbox forward in time: bot clock, emulator clock and the bot's pending jobs."""

    def __init__(self, clock: MovableClock, server: BotApiServer, application: Application) -> None:
        self.clock = clock
        self.server = server
        self.application = application

    def advance(self, delta: timedelta) -> None:
        """Let `delta` pass at once (zero: only what is already due runs now)."""
        if delta < timedelta():
            raise ValueError("time only moves forward")
        self.clock.advance(delta)
        self.server.clock.advance(delta.total_seconds())
        assert self.application.job_queue is not None
        now = datetime.now(UTC)
        for job in self.application.job_queue.jobs():
            if job.next_t is not None:
                job.job.modify(next_run_time=max(now, job.next_t - delta))

    def pending(self) -> tuple[datetime, ...]:
        """When each of the bot's pending jobs runs next (real time), in order."""
        assert self.application.job_queue is not None
        return tuple(sorted(job.next_t for job in self.application.job_queue.jobs() if job.next_t))

    def next_publication(self) -> datetime | None:
        """When (on the bot's clock) the scheduler's timer next fires: the next scheduled post."""
        assert self.application.job_queue is not None
        due = [job.next_t for job in self.application.job_queue.get_jobs_by_name(TIMER) if job.next_t]
        if not due:
            return None
        return self.clock() + (min(due) - datetime.now(UTC))

    def publish_next_now(self) -> datetime | None:
        """Jump to the next scheduled post's time, so it goes out now; its time, or None if none."""
        due = self.next_publication()
        if due is None:
            return None
        self.advance(max(due - self.clock(), timedelta()))
        return due
