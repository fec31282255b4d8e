"""The duplicate guard: does a post not yet sent tell the same story as one published in the last
DUPLICATE_DAYS days, or as one already queued?

The earlier posts compared are the archive's posts of those days that share the draft's rarest words
(`storage.stories`, by the search index) and every post in the schedule (scheduled or being sent: a
queue holds tens, not thousands); the comparison is `bot.text.similar` over the archive's own
analysis. The closest one that tells the same story is the answer; the preview flags it, and
publishing or scheduling the post asks once more (`bot.desk.service.Desk.press`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.archive.view import article_url
from bot.core.post import Article
from bot.core.status import EDITABLE, PostStatus
from bot.text.similar import overlap, same_story, story_terms
from storage.database import Database


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An earlier post that tells the same story: published (`link` to it, when it can be opened) or
    queued (`due` is when it goes out)."""

    article_id: int
    title: str
    published_at: datetime | None = None
    link: str | None = None
    due: datetime | None = None


def _story(article: Article) -> frozenset[str]:
    return story_terms(f"{article.title}\n{article.body}")


def _closest(article_id: int, terms: frozenset[str], candidates: list[Article]) -> Article | None:
    """The candidate (other than post `article_id`) telling the story of `terms` most closely."""
    best: tuple[float, Article] | None = None
    for other in candidates:
        other_terms = _story(other)
        if other.id != article_id and same_story(terms, other_terms):
            score = overlap(terms, other_terms)
            if best is None or score > best[0]:
                best = (score, other)
    return None if best is None else best[1]


@dataclass(frozen=True, slots=True)
class DuplicateGuard:
    """Finds the earlier post a post not yet sent repeats; `days` 0 turns the guard off."""

    db: Database
    channel_id: str | None
    days: int
    clock: Callable[[], datetime]

    async def earlier(self, article: Article) -> Duplicate | None:
        """The published or queued post that tells `article`'s story most closely, or None. Only a
        post not yet sent is asked about (a published one is not its own duplicate)."""
        if self.days <= 0 or article.deleted or article.status not in EDITABLE:
            return None
        since = self.clock() - timedelta(days=self.days)
        queued = [a for a in await self.db.list_pending() if a.id != article.id]
        newest = await self.db.latest(limit=1)
        if not queued and not (newest and newest[0].published_at and newest[0].published_at >= since):
            # Nothing to compare with: the draft is not analyzed. The analyzer's cold start (1.5 s idle,
            # 5 s on a loaded 2-core machine) then never delays the first preview after a start.
            return None
        # The analysis is CPU work (and the analyzer's first load 1.5 s): off the event loop, so the
        # other editors and the subscribers are answered meanwhile.
        terms = await asyncio.to_thread(_story, article)
        if not terms:
            return None
        candidates = [*queued, *await self.db.posts_sharing_rare_terms(terms, since)]
        closest = await asyncio.to_thread(_closest, article.id, terms, candidates)
        return None if closest is None else self._described(closest)

    def _described(self, other: Article) -> Duplicate:
        if other.status is PostStatus.PUBLISHED:
            channel = self.channel_id if other.source == "bot" else None
            link = article_url(channel, other.channel_message_ids, other.url)
            return Duplicate(other.id, other.title, published_at=other.published_at, link=link)
        return Duplicate(other.id, other.title, due=other.scheduled_at)
