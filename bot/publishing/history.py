"""The trace of every channel write: the publisher's recorder of a post's history (`bot.core.history`).

`Publisher` (the one door to the channel) records each act once Telegram confirmed the writes it
made: a publication's outcome with `record`, the other acts by doing their writes inside `act`, which
records what they wrote also when they stop midway (a refusal, a lost answer, a cancellation), so what
reached the channel is never left without a trace. An act that wrote nothing records nothing. The
time is the app's clock (the sandbox's may differ from the real one); a database locked by another
program is waited out, as the publisher's own records are: the writes are already in the channel.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

from bot.core.history import Act, HistoryEntry, Writes
from bot.core.post import Article
from bot.publishing.formatter import PreparedPost
from bot.text.changes import word_diff
from storage.database import Database

type Persist = Callable[[Callable[[], Awaitable[bool]]], Awaitable[bool]]


class History:
    """Writes one history entry per act of the publisher on a post."""

    def __init__(self, db: Database, clock: Callable[[], datetime], persist: Persist) -> None:
        self.db = db
        self.clock = clock
        self._persist = persist  # bot.publishing.publisher.until_recorded, with the publisher's sleep

    async def record(
        self, article_id: int, act: Act, by: int | None, writes: Writes, **detail: object
    ) -> None:
        """One act on post `article_id` by editor `by` (None: the schedule), with what it wrote
        and what changed (`HistoryEntry`'s other fields)."""
        entry = HistoryEntry(article_id, act, self.clock(), by, writes, **detail)  # type: ignore[arg-type]
        await self._persist(functools.partial(self.db.record_history, entry))

    @contextlib.asynccontextmanager
    async def act(self, article_id: int, act: Act, by: int | None, **detail: object) -> AsyncIterator[Writes]:
        """Do an act's channel writes inside: each one noted in the `Writes` yielded as Telegram
        confirms it; recorded at the end, or when an error stops it (then marked incomplete, with why)."""
        writes = Writes()
        try:
            yield writes
        except BaseException as error:
            if writes:
                reason = str(error) or type(error).__name__
                await self.record(article_id, act, by, writes, complete=False, reason=reason, **detail)
            raise
        if writes:
            await self.record(article_id, act, by, writes, **detail)

    def correcting(
        self, before: Article, post: PreparedPost, by: int | None
    ) -> contextlib.AbstractAsyncContextManager[Writes]:
        """`act` for a new text of a published post, with the words it takes out and puts in (the
        comparison the proposal showed the editor, `bot.text.changes.word_diff`)."""
        words = word_diff(before.body, post.body)
        return self.act(before.id, Act.CORRECTED, by, removed=words.removed, added=words.added)
