"""Earlier posts that may tell a draft's story: the candidates the duplicate guard compares it with.

Not a scan of the archive: the draft's RAREST_TERMS rarest story terms (by their document frequency
in `search_terms`; terms the archive has never seen cannot find anything) are looked up in the
search index, any of them, within the search keys of the last days (keys start with the publication
time, so "since" is a rowid range), best bm25 first, at most `limit`. A post that tells the same
story shares its names, places and numbers, which are the rarest words of a report; the decision
itself (`bot.text.similar`) is the caller's.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from bot.core.post import Article
from bot.text.query import fts_any
from storage.posts import Posts
from storage.search import search_key
from storage.states import LIVE_ROW

RAREST_TERMS = 12  # a reworded report keeps most of its 12 rarest words; one shared is enough to be read
STORY_CANDIDATES = 20  # compared by the caller: analyzing 20 posts costs a few ms

# The index's best matches among the keys from `since` on (a rowid range), then their live articles.
CANDIDATES_WHERE = (
    "search_key IN (SELECT rowid FROM search_index WHERE search_index MATCH ? AND rowid >= ?"
    f" ORDER BY rank LIMIT ?) AND {LIVE_ROW} ORDER BY search_key DESC"
)


class StoryCandidates(Posts):
    """Published posts of the last days that share a draft's rarest words."""

    async def posts_sharing_rare_terms(
        self, terms: Collection[str], since: datetime, limit: int = STORY_CANDIDATES
    ) -> list[Article]:
        """Live posts published at or after `since` holding any of the RAREST_TERMS rarest of `terms`
        (analyzed index terms), the best matches first; at most `limit`."""
        terms = sorted(terms)
        if not terms or limit <= 0:
            return []
        marks = ",".join("?" * len(terms))
        rows = await self._conn.execute_fetchall(
            f"SELECT term FROM search_terms WHERE term IN ({marks}) AND df > 0 ORDER BY df, term LIMIT ?",
            (*terms, RAREST_TERMS),
        )
        rare = [row[0] for row in rows]
        if not rare:
            return []
        since_key = search_key(int(since.timestamp()), 0)
        return await self._select(CANDIDATES_WHERE, (fts_any(rare), since_key, limit))
