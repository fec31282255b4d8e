"""Time in the sandbox: the bot's clock, the emulator's clock and the bot's timers move together.

The bot takes its idea of now as a callable (`build_application(clock=...)`); its timers are jobs of
PTB's JobQueue, which wait in real seconds. Letting time pass by `delta` therefore moves three
things at once: the bot's clock, the emulators' clocks (message dates, the 48 h rule; Telegram's,
Bale's and Eitaa's) and every pending job, which comes `delta` closer (one already overdue fires at
once).

Time passes in a jump (`advance`), or runs on faster than real time (`run_at`): a tick every
TICK_SECONDS lets the real time since the last one pass `speed` times over, never past the bot's
next timer, so a post goes out at its own minute and not a tick late.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from telegram.ext import Application

from bot.botapi.server import BotApiServer
from bot.botapi.world import FakeClock
from bot.publishing.scheduler import Scheduler

TICK_SECONDS = 0.5  # how often a fast clock moves: at ×60 the shown minute changes every second
MAX_SPEED = 3600  # an hour a second


def fast_step(real_seconds: float, speed: int, next_timer: timedelta | None) -> timedelta:
    """How far a clock running `speed` times as fast moves after `real_seconds`: the part that real
    time does not pass by itself, but never past the bot's next timer (`next_timer` from now), so
    that it fires at its own time, not up to a tick late."""
    step = timedelta(seconds=real_seconds * (speed - 1))
    if next_timer is not None:
        step = min(step, max(next_timer, timedelta()))
    return step


class MovableClock:
    """Real time plus an offset that only grows ("time passes")."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


class TimeMachine:
    """Moves the sandbox forward in time: bot clock, emulator clocks and the bot's pending jobs."""

    def __init__(
        self,
        clock: MovableClock,
        server: BotApiServer,
        application: Application,
        scheduler: Scheduler,
        *,
        other_networks: Sequence[FakeClock] = (),
    ) -> None:
        """`other_networks`: the clocks of the Bale and Eitaa emulators, whose post dates move too."""
        self.clock = clock
        self.server = server
        self.other_networks = tuple(other_networks)
        self.application = application
        self.scheduler = scheduler
        self.speed = 1  # how many seconds pass on the sandbox's clock per real second
        self._running: asyncio.Task | None = None

    def advance(self, delta: timedelta) -> None:
        """Let `delta` pass at once (zero: only what is already due runs now)."""
        if delta < timedelta():
            raise ValueError("time only moves forward")
        self.clock.advance(delta)
        for emulated in (self.server.clock, *self.other_networks):
            emulated.advance(delta.total_seconds())
        assert self.application.job_queue is not None
        now = datetime.now(UTC)
        for job in self.application.job_queue.jobs():
            if job.next_t is not None:
                job.job.modify(next_run_time=max(now, job.next_t - delta))

    def run_at(self, speed: int) -> None:
        """Let time run `speed` times as fast as real time from now on (1: real time again)."""
        if not 1 <= speed <= MAX_SPEED:
            raise ValueError(f"speed {speed} is not between 1 and {MAX_SPEED}")
        self.speed = speed
        if speed > 1 and (self._running is None or self._running.done()):
            self._running = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        """Stop a fast clock (at shutdown)."""
        self.speed = 1
        if self._running is not None:
            self._running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._running

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while self.speed > 1:
            await asyncio.sleep(TICK_SECONDS)
            now = loop.time()
            upcoming = self.pending()
            next_timer = upcoming[0] - datetime.now(UTC) if upcoming else None
            step = fast_step(now - last, self.speed, next_timer)
            last = now
            if step > timedelta():
                self.advance(step)

    def pending(self) -> tuple[datetime, ...]:
        """When each of the bot's pending jobs runs next (real time), in order."""
        assert self.application.job_queue is not None
        return tuple(sorted(job.next_t for job in self.application.job_queue.jobs() if job.next_t))

    def next_publication(self) -> datetime | None:
        """The next scheduled post's time (the bot's clock), as the scheduler last armed its timer
        (which fires at that time, or sooner to recheck: see `Scheduler.wake`). Not the timer's own
        presence: between a recheck's firing and its next timer there is none."""
        return self.scheduler.upcoming

    def publish_next_now(self) -> datetime | None:
        """Jump to the next scheduled post's time, so it goes out now; its time, or None if none."""
        due = self.next_publication()
        if due is None:
            return None
        self.advance(max(due - self.clock(), timedelta()))
        return due
