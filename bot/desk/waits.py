"""Waits for an editor's typed answer (a time, a corrected text): their end at expiry, on the bot's clock.

A wait lives in the database (`editor_waits`) for WAIT_EXPIRES: a restart keeps it. When it expires it
is ended, not forgotten: its prompt (the "type a time" message, recorded once sent) is edited to say
so and loses its ✖️, and the editor's next message is first told the wait ended, then taken for what
it is. One PTB JobQueue timer, set for the oldest running wait's expiry, ends waits as the schedule's
timer publishes posts (bot.publishing.scheduler): a delay on the bot's clock, at least once a
minute, re-armed at start-up (waits that expired while the bot was down end then). A message that
arrives before the timer fired ends the expired waits itself (`end_expired`), so nothing depends on
the timer's punctuality.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from telegram.ext import ContextTypes, JobQueue

from storage.database import Database
from storage.desk_state import EndedWait

log = logging.getLogger(__name__)

WAIT_MINUTES = 10  # how long the desk waits for a typed time or a corrected text (the texts say it)
WAIT_EXPIRES = timedelta(minutes=WAIT_MINUTES)
# An expired wait is told to the editor's next message if it comes within this: a message an hour
# after the question is no answer to it any more, and is taken as it is without the remark.
TELL_LATE_ANSWER = timedelta(hours=1)
RECHECK_SECONDS = 60.0  # the timer waits in real seconds: a clock jump is caught within a minute
TIMER = "wait-timer"


class WaitPrompts(Protocol):
    """Edits an ended wait's prompt; implemented by `handlers.notices.EditorNotices`."""

    async def wait_ended(self, ended: EndedWait) -> None: ...


class Waits:
    """Ends expired waits, edits their prompts, and keeps one timer set for the next expiry."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        *,
        job_queue: JobQueue | None = None,
        prompts: WaitPrompts | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.job_queue = job_queue
        self.prompts = prompts

    async def prompt_shown(self, user_id: int, article_id: int, chat_id: int, message_id: int) -> None:
        """The prompt of `user_id`'s wait about post `article_id` was sent: it is edited at expiry."""
        await self.db.record_wait_prompt(user_id, article_id, chat_id, message_id)
        await self.wake()

    async def end_expired(self) -> list[EndedWait]:
        """End every wait past WAIT_EXPIRES now, and say so on each one's prompt."""
        now = self.clock()
        ended = await self.db.end_waits(now - WAIT_EXPIRES, now)
        for wait in ended:
            if self.prompts is not None and wait.prompt_message_id is not None:
                await self.prompts.wait_ended(wait)
        return ended

    async def late_for(self, user_id: int) -> EndedWait | None:
        """`user_id`'s wait that ended unanswered lately (TELL_LATE_ANSWER), forgotten as it is read."""
        ended = await self.db.take_ended_wait(user_id)
        if ended is None or self.clock() - ended.ended_at > TELL_LATE_ANSWER:
            return None
        return ended

    async def rearm(self) -> None:
        """At start-up: end the waits that expired while the bot was down, and set the timer."""
        await self.end_expired()
        await self.wake()

    async def wake(self) -> None:
        """Set the timer for the oldest running wait's expiry (none when no wait runs)."""
        if self.job_queue is None:
            return
        for job in self.job_queue.get_jobs_by_name(TIMER):
            job.schedule_removal()
        began = await self.db.first_wait_began()
        if began is None:
            return
        delay = (began + WAIT_EXPIRES - self.clock()).total_seconds() + 1  # + 1: past the stored second
        delay = min(max(delay, 0.0), RECHECK_SECONDS)
        self.job_queue.run_once(self._fire, when=delay, name=TIMER, job_kwargs={"misfire_grace_time": None})

    async def _fire(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.end_expired()
            await self.wake()
        except Exception:  # the timer must survive, e.g. a locked database: try again a minute later
            log.exception("could not end the expired waits; trying again in %s s", RECHECK_SECONDS)
            assert self.job_queue is not None
            self.job_queue.run_once(self._fire, when=RECHECK_SECONDS, name=TIMER)
