"""Editors first: a burst of subscribers' updates never holds up an editor's draft.

PTB's `concurrent_updates(True)` runs each update as a task behind one FIFO semaphore of 256: in a
burst of 2,000 subscribers' searches, an editor's draft waited for 1,745 of them to be answered, and
their replies leave at Telegram's 30 messages a second (the issue 24 probe: a preview 54 s late).
`EditorsFirst` replaces that semaphore with two lanes:

- editors' updates (from a configured editor, or in an editor's private chat) never wait for
  subscribers: they run at once, one at a time per chat and in the order they arrived, so a draft
  and its edit (or two button presses) are handled as sent;
- everyone else's updates, SUBSCRIBER_UPDATES_AT_ONCE at a time (in any order): few enough that a
  search storm leaves the event loop free for the editor's few steps and for the webhook's answers,
  and that the replies waiting in PTB's rate limiter (30 a second, for everyone) hold an editor's
  preview back by half a second at most; enough to keep that limiter and the search process busy.

The per-user search limits (bot.archive.ratelimit) still apply inside the handlers.

At the stop (issue 24: SIGTERM ends within 10 s in any state) PTB waits for every update it has taken,
which in a burst of 2,000 is over a minute of replies at 30 a second. `stop_application` (called just
before PTB's stop) drops subscribers' updates not yet started: searches, /latest and inline queries are
read-only, so nothing that matters is lost. Those already running finish, and every editor's update,
running or queued, is still handled: it may make a draft, and the editors' lane is small.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

log = logging.getLogger(__name__)

# A search handler is ~10 ms of the bot's CPU (benchmarks/load_subscribers.py): 16 at once keep the
# 30 replies a second and the search process busy, and at most 16 replies (0.5 s) wait in the rate
# limiter ahead of an editor's preview.
SUBSCRIBER_UPDATES_AT_ONCE = 16
# PTB's own outer bound, which is FIFO: it must never be reached, or an editor's update would queue
# behind subscribers' there. PTB makes a task per update whatever this bound, so it costs nothing.
ALL_UPDATES_AT_ONCE = 1_000_000


class EditorsFirst(BaseUpdateProcessor):
    """Editors' updates at once, in order per chat; everyone else's, a bounded number at a time."""

    def __init__(
        self, editor_ids: frozenset[int], subscribers_at_once: int = SUBSCRIBER_UPDATES_AT_ONCE
    ) -> None:
        super().__init__(ALL_UPDATES_AT_ONCE)
        self.editor_ids = editor_ids
        self._subscribers = asyncio.BoundedSemaphore(subscribers_at_once)
        # One lock per chat an editor's updates come from (their private chats: a handful). asyncio's
        # Lock wakes its waiters first come, first served, and PTB starts the tasks in arrival order.
        self._editor_chats: dict[int, asyncio.Lock] = {}
        self._stopping = False
        self._dropped = 0
        self._unfinished = 0  # updates taken and not yet handled or dropped, in either lane
        self._idle = asyncio.Event()
        self._idle.set()

    def editor_chat(self, update: object) -> int | None:
        """The chat whose editor updates `update` must follow (the editor's id for an inline query),
        or None for a subscriber's update."""
        if not isinstance(update, Update):
            return None
        user, chat = update.effective_user, update.effective_chat
        if user is not None and user.id in self.editor_ids:
            return chat.id if chat is not None else user.id
        if chat is not None and chat.id in self.editor_ids:  # an editor's private chat
            return chat.id
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        self._unfinished += 1
        self._idle.clear()
        try:
            await self._in_its_lane(update, coroutine)
        finally:
            self._unfinished -= 1
            if not self._unfinished:
                self._idle.set()

    async def _in_its_lane(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = self.editor_chat(update)
        if chat is None:
            async with self._subscribers:
                if self._stopping:  # its turn came after the stop: not started, so dropped
                    self._dropped += 1
                    if isinstance(coroutine, Coroutine):
                        coroutine.close()  # never awaited on purpose: no RuntimeWarning
                    return
                await coroutine
            return
        async with self._editor_chats.setdefault(chat, asyncio.Lock()):
            await coroutine

    def stop_subscribers(self) -> None:
        """From now on, drop subscribers' updates as their turn comes instead of starting them. The
        waiting ones go at once, one after another (each takes its slot and gives it back)."""
        self._stopping = True

    async def initialize(self) -> None:
        """Nothing to set up: the lanes are made with the processor."""

    async def shutdown(self) -> None:
        """Stop starting subscribers' updates, wait for the updates running and every editor's, and say
        in one line how many subscribers' updates were dropped."""
        self.stop_subscribers()
        await self._idle.wait()
        if self._dropped:
            log.info("stopping: %d subscribers' updates dropped before they started", self._dropped)
            self._dropped = 0


async def stop_application(application: Application) -> None:
    """Stop and shut down a started `application` as PTB's own runners do, but first drop the
    subscribers' updates still waiting (PTB's stop waits for every update it has taken, and a burst
    of searches is over a minute of replies: issue 24) when it runs its updates in bot.lanes."""
    if application.running:
        if isinstance(application.update_processor, EditorsFirst):
            application.update_processor.stop_subscribers()
        await application.stop()
        assert application.post_stop is not None
        await application.post_stop(application)
    await application.shutdown()
    assert application.post_shutdown is not None
    await application.post_shutdown(application)
