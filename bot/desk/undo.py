"""Nothing an editor throws away is lost: cancel (❌ on a scheduled or failed post) and discard (🗑 on a
draft) keep the post, as `cancelled`, with the moment it happened (`cancelled_at`, on the bot's clock).

Undo rather than confirm: the answer to ❌ or 🗑 carries ↩️, which brings the post back for UNDO_SECONDS
of the bot's clock (then it answers that the minute is over); /drafts lists what was cancelled in the
last KEPT_DAYS days, each with ↩️. A button that asked "are you sure?" would cost every deliberate tap a
second one and still leave a slip final; a minute's undo costs nothing and a week's restore catches the
slip noticed later. A restored post goes back where the editor left it: in the queue at its own time if
that time is still ahead (it goes out as if never cancelled), else as a draft, said so, to be given a
new time — never out at once because its time went by meanwhile.

While cancelled, a post's old buttons (🚀, a time, edit, 🔔) are refused (bot.core.status.EDITABLE): only
↩️ brings it back, so a discarded draft's first preview publishes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core.post import Article
from bot.core.status import PostStatus
from bot.desk.answers import Answer, Cancelled, DoneKind, Refusal, Refused, Restored
from bot.desk.callbacks import Action
from bot.publishing.scheduler import Scheduler
from storage.database import Database

UNDO_SECONDS = 60  # the ↩️ under a cancel's answer works this long (the texts say it)
UNDO_WINDOW = timedelta(seconds=UNDO_SECONDS)
KEPT_DAYS = 7  # /drafts lists cancelled and discarded posts this long (the texts say it)
KEPT = timedelta(days=KEPT_DAYS)


class Undoing:
    """Cancel and discard that keep the post, ↩️ for a minute, and restore from /drafts. `Desk`
    (bot.desk.service) is built on this class; it uses the desk's `_refused`, `_get` and `_clashes`."""

    db: Database
    scheduler: Scheduler
    clock: Callable[[], datetime]

    async def _cancel(self, article_id: int, action: Action) -> Answer:
        """❌ or 🗑: the post is kept, cancelled, and the answer offers ↩️."""
        if not await self.db.cancel(article_id):
            return await self._refused(article_id)  # type: ignore[attr-defined]
        await self.scheduler.wake()
        return Cancelled(DoneKind.DISCARDED if action is Action.DISCARD else DoneKind.CANCELLED, article_id)

    async def _restore(self, article_id: int, *, undo: bool) -> Answer:
        """↩️: a cancelled post back in the queue at its time if still ahead, else as a draft; `undo`:
        the ↩️ under the cancel's answer, which works for UNDO_SECONDS after the cancel."""
        article = await self.db.get(article_id)
        if article is None or article.deleted or article.status is not PostStatus.CANCELLED:
            return await self._refused(article_id)  # type: ignore[attr-defined]
        now = self.clock()
        if undo and (article.cancelled_at is None or now - article.cancelled_at > UNDO_WINDOW):
            return Refused(Refusal.UNDO_EXPIRED, article_id)
        if not await self.db.restore(article_id, now):
            return await self._refused(article_id)  # type: ignore[attr-defined]
        await self.scheduler.wake()
        restored: Article = await self._get(article_id)  # type: ignore[attr-defined]
        passed = article.scheduled_at if restored.status is PostStatus.DRAFT else None
        return Restored(restored, undo, passed, await self._clashes(restored))  # type: ignore[attr-defined]

    async def cancelled_lately(self) -> list[Article]:
        """Posts cancelled or discarded in the last KEPT_DAYS days, the latest first (for /drafts)."""
        return await self.db.list_cancelled(self.clock() - KEPT)
