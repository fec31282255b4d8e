"""The archive's search index: FTS5 over analyzed terms, bounded-cost ranking, partial-match fallback.

How a query is answered (terms come from `bot.text.query.parse_query`):
1. Each term's document frequency is read from `search_terms`; the last term, when typed as a prefix,
   is expanded there to its most frequent completions (an OR group), so FTS5 never merges the
   doclists of thousands of terms for a short prefix.
2. If the query's terms are rare enough (their document frequencies sum to at most BM25_BUDGET),
   FTS5's own bm25 ranks every match, title weighted TITLE_WEIGHT times the body. bm25 reads the full
   doclist of each term to count it, so for common words at a million articles that costs far too
   much; then only the CANDIDATES most recent matches (rowid order is recency order) are scored, with
   the same BM25 formula (each term is indexed once per column, so term frequencies are binary),
   document frequencies from `search_terms`, and each candidate's length and title terms from
   `search_docs` — joined to the one FTS5 query that finds the candidates.
3. Relevance is multiplied by a recency boost (up to 1 + RECENCY_WEIGHT, halving every
   RECENCY_HALF_LIFE_DAYS), which can reorder hits of similar relevance only.
4. If no article holds every term, articles holding more of the terms rank above those holding
   fewer (`SearchReader._rank_partial`), and the answer is flagged `partial`; it is empty only when
   no term but stop words matches anywhere.
5. How many articles match (a results page's total) is counted by the statement that ranks, up to
   TOTAL_CAP; only "newest first" and a page filled by the word as typed count apart.
The query language's filters narrow every one of these steps: a date range is a rowid range (keys
start with the publication time), words to leave out are FTS5's NOT. "Newest first" skips scoring
and walks the doclists backwards. Exact phrases are checked on the hits' text (storage.database).
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import AsyncIterable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import batched, chain, combinations

import aiosqlite

from bot.text.analyze import ANALYZER_VERSION, analyzed_terms, derived_terms, stop_terms
from bot.text.query import ParsedQuery, fts_any, fts_match

TITLE_WEIGHT = 3.0
BM25_BUDGET = 1_000
CANDIDATES = 200
RERANK_POOL = 100
PREFIX_EXPANSIONS = 12
RECENCY_WEIGHT = 0.25
RECENCY_HALF_LIFE_DAYS = 60.0
RARE_DF = 2_000  # a term this rare has its doclist read whole when ranking a partial match
PARTIAL_SCORED = 100  # partial matches ranked (by terms held, then bm25): a partial answer's depth
# FTS5 walks a doclist backwards at two to three times the cost of forwards. An AND whose words, were
# they independent, would share at most SPARSE_EXPECTED articles is read forwards (at most SPARSE_CAP
# rows) and its newest taken from the end; only if it proves denser is it read backwards to its newest.
SPARSE_EXPECTED = 200.0
SPARSE_CAP = 2_000
# FTS5 walks an AND's doclists together, reading most of each word's (~30 ns an article holding it):
# two medium and two common words cost 7–18 ms at a million articles, though the two medium ones share
# only a few hundred articles (read in ~1 ms). Checking one article for one word (`rowid IN`) costs
# ~15 µs, DRIVE_RATIO times as much: when the articles holding the two rarest groups are few enough
# for their check against the other words to cost less than those words' doclists, only they are read.
DRIVE_RATIO = 500
# A query whose words, were they independent, would be held together by fewer articles than this (six
# words of mixed frequencies, three rare ones) first reads which articles hold its rare words, as the
# partial ranking does anyway: when none holds every word, the AND of them all, which would walk the
# common words' doclists to find nothing, is not asked.
PARTIAL_FIRST_EXPECTED = 0.1
# Results are counted up to TOTAL_CAP (a page says "of more than 200" beyond): as deep as a broad
# query is ranked (its CANDIDATES newest matches), and as far as the statement that ranks reads anyway,
# so the count mostly costs nothing: FTS5's bm25 sees every match, a sparse AND is read forwards to its
# end, a dense one's newest are read one past the cap.
TOTAL_CAP = CANDIDATES
MERGE_PAGES = 1_000  # index pages merged per transaction (~0.1–0.3 s of work: other writers get turns)
_K1 = 1.2
_B = 0.75
KEY_SHIFT = 24  # search_key = published epoch seconds << KEY_SHIFT | (article id & (2**KEY_SHIFT - 1))


def search_key(published_epoch: int, article_id: int) -> int:
    """The index rowid of an article: publication time first, so rowid order is recency order."""
    return (max(0, published_epoch) << KEY_SHIFT) | (article_id & ((1 << KEY_SHIFT) - 1))


def key_epoch(key: int) -> int:
    """The publication time (epoch seconds) encoded in a search key."""
    return key >> KEY_SHIFT


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One article as the index sees it: distinct analyzed terms of its title and of its body."""

    key: int
    title_terms: str
    body_terms: str
    length: int  # index terms in both columns, as FTS5 counts them for bm25

    @classmethod
    def build(cls, key: int, title: str, body: str) -> IndexEntry:
        """Analyze an article (the same text always gives the same entry: removal relies on it)."""
        return cls.from_texts(key, *index_texts(title, body))

    @classmethod
    def from_texts(cls, key: int, title_terms: str, body_terms: str) -> IndexEntry:
        """An entry from `index_texts` output (computed here or in another process)."""
        return cls(key, title_terms, body_terms, _count_terms(title_terms) + _count_terms(body_terms))

    @property
    def terms(self) -> frozenset[str]:
        """Every distinct term of the article; made when asked, as a batch of imports holding them all
        would take more memory than its text."""
        return frozenset(self.title_terms.split()).union(self.body_terms.split())


def _count_terms(terms: str) -> int:
    return terms.count(" ") + 1 if terms else 0


def index_texts(title: str, body: str) -> tuple[str, str]:
    """The indexed text of a title and a body: their analyzed terms, each once per column.

    Fewer tokens make FTS5 inserts cheaper, and bm25 then sees binary term frequencies — what
    matters in a news item is whether it is about the word."""
    return column_terms(title), column_terms(body)


def column_terms(text: str) -> str:
    """The distinct analyzed terms of one column's text, in order of first appearance (as
    `index_texts_batch` makes them too)."""
    return " ".join(dict.fromkeys(analyzed_terms(text)))


@dataclass(frozen=True, slots=True)
class AnalyzedBatch:
    """`index_texts` of many articles, and in how many of them each term is (their `IndexEntry.terms`
    counted), which an import's transaction adds to `search_terms`."""

    texts: list[tuple[str, str]]
    df: Counter[str]


def index_texts_batch(articles: list[tuple[str, str]]) -> AnalyzedBatch:
    """`index_texts` for many (title, body) pairs, one call per batch for a worker process, with the
    batch's document frequencies. Counted here from each column's distinct terms as they are made:
    counted again from the joined texts (split, a set per article) they cost the importing process
    more than parsing the file."""
    texts = []
    df: Counter[str] = Counter()
    for title, body in articles:
        title_terms = dict.fromkeys(analyzed_terms(title))
        body_terms = dict.fromkeys(analyzed_terms(body))
        df.update(body_terms.keys())  # keys, not the dict: Counter counts a mapping's values in Python
        df.update([t for t in title_terms if t not in body_terms])
        texts.append((" ".join(title_terms), " ".join(body_terms)))
    return AnalyzedBatch(texts, df)


@dataclass(frozen=True, slots=True)
class Ranked:
    """Search keys of the best matches, best first, with their scores."""

    keys: list[tuple[int, float]]
    partial: bool = False
    matched_terms: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = field(default=())
    # Every indexed term the hits were matched on (a prefix's completions included), for snippets.
    match_terms: frozenset[str] = frozenset()
    # How many articles match (None for a partial answer, whose depth is its ranking's); when
    # `total_capped`, more than `total` (TOTAL_CAP).
    total: int | None = None
    total_capped: bool = False


type Total = tuple[int, bool]  # how many articles match, up to TOTAL_CAP; whether there are more


def _total(found: int) -> Total:
    return (TOTAL_CAP, True) if found > TOTAL_CAP else (found, False)


NEXT = "_next"  # suffix of the tables a new analyzer's index is built in, beside the live ones
REINDEX_BATCH = 500  # articles per re-index transaction (~0.1 s of SQL: a running bot gets turns)


def _index_tables(suffix: str) -> list[str]:
    """The statements that create an empty index (as migrations 1–3 did for the live one)."""
    return [
        f"CREATE VIRTUAL TABLE search_index{suffix} USING fts5(title, body, content='', tokenize='ascii')",
        f"INSERT INTO search_index{suffix} (search_index{suffix}, rank) VALUES ('hashsize', 67108864)",
        f"INSERT INTO search_index{suffix} (search_index{suffix}, rank) VALUES ('pgsz', 4000)",
        f"CREATE TABLE search_terms{suffix} (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID",
        f"CREATE TABLE search_docs{suffix} (key INTEGER PRIMARY KEY, length INTEGER NOT NULL,"
        " title TEXT NOT NULL)",
    ]


class SearchIndex:
    """The FTS5 index and its term statistics; all writes run inside the caller's transaction.

    Re-indexing for a new analyzer (see `Database.reindex_search`) builds a second index in the NEXT
    tables, in key order, while the live one keeps answering; `search_meta.reindex_cursor` says how far
    it got. Meanwhile every write goes to the live index, and to the next one too when its key is
    already passed; when the walk ends, the next index replaces the live one in one transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def add(self, entries: Sequence[IndexEntry], df: Counter[str] | None = None) -> None:
        """Index articles (their keys must not be indexed yet); `df`, if the caller already counted
        the entries' terms, saves counting them again."""
        if not entries:
            return
        await self._add(entries, "", df)
        cursor = await self.reindex_cursor()
        if cursor is not None:
            await self._add([e for e in entries if e.key <= cursor], NEXT)

    async def add_next(self, entries: Sequence[IndexEntry], cursor: int) -> None:
        """Re-indexing: add a batch to the next index and move the cursor to `cursor`."""
        await self._add(entries, NEXT)
        await self._conn.execute(
            "UPDATE search_meta SET value = ? WHERE key = 'reindex_cursor'", (str(cursor),)
        )

    async def _add(self, entries: Sequence[IndexEntry], suffix: str, df: Counter[str] | None = None) -> None:
        if not entries:
            return
        await self._conn.executemany(
            f"INSERT INTO search_index{suffix} (rowid, title, body) VALUES (?, ?, ?)",
            [(e.key, e.title_terms, e.body_terms) for e in entries],
        )
        await self._conn.executemany(
            f"INSERT INTO search_docs{suffix} (key, length, title) VALUES (?, ?, ?)",
            [(e.key, e.length, e.title_terms) for e in entries],
        )
        await self._change_stats(entries, +1, suffix, df)

    async def remove(self, entries: Sequence[IndexEntry]) -> None:
        """Take articles out of the index; entries must be built from the text that was indexed.

        While a re-index runs, the live index was built by the previous analyzer, so terms it gave
        and this one does not stay behind until the swap; a search joins its hits to the live
        articles, so a deleted article is not shown."""
        if not entries:
            return
        await self._remove(entries, "")
        cursor = await self.reindex_cursor()
        if cursor is not None:
            await self._remove([e for e in entries if e.key <= cursor], NEXT)

    async def _remove(self, entries: Sequence[IndexEntry], suffix: str) -> None:
        if not entries:
            return
        await self._conn.executemany(
            f"INSERT INTO search_index{suffix} (search_index{suffix}, rowid, title, body)"
            " VALUES ('delete', ?, ?, ?)",
            [(e.key, e.title_terms, e.body_terms) for e in entries],
        )
        await self._conn.executemany(
            f"DELETE FROM search_docs{suffix} WHERE key = ?", [(e.key,) for e in entries]
        )
        await self._change_stats(entries, -1, suffix)

    async def _change_stats(
        self, entries: Sequence[IndexEntry], sign: int, suffix: str, df: Counter[str] | None = None
    ) -> None:
        if df is None:
            df = Counter(chain.from_iterable(e.terms for e in entries))
        await self._conn.executemany(
            f"INSERT INTO search_terms{suffix} (term, df) VALUES (?, ?)"
            " ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            [(t, sign * n) for t, n in df.items() if n > 0],
        )
        await self._conn.execute(
            "INSERT INTO search_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
            (f"docs{suffix}", sign * len(entries)),
        )

    async def reindex_cursor(self) -> int | None:
        """The last key the running re-index has passed (-1 before the first), or None if none runs."""
        rows = await self._conn.execute_fetchall("SELECT value FROM search_meta WHERE key = 'reindex_cursor'")
        return int(rows[0][0]) if rows else None

    async def start_reindex(self) -> int:
        """Create the next index (unless a re-index stopped half-way is resumed); its cursor."""
        cursor = await self.reindex_cursor()
        if cursor is not None:
            return cursor
        for statement in ["DROP TABLE IF EXISTS search_index_next", "DROP TABLE IF EXISTS search_terms_next",
                          "DROP TABLE IF EXISTS search_docs_next", *_index_tables(NEXT)]:  # fmt: skip
            await self._conn.execute(statement)
        await self._conn.execute("DELETE FROM search_meta WHERE key = 'docs_next'")
        await self._conn.execute("INSERT INTO search_meta (key, value) VALUES ('reindex_cursor', '-1')")
        return -1

    async def finish_reindex(self) -> None:
        """Put the next index in the live one's place, built by this analyzer version."""
        for table in ("search_index", "search_terms", "search_docs"):
            await self._conn.execute(f"DROP TABLE {table}")
            await self._conn.execute(f"ALTER TABLE {table}{NEXT} RENAME TO {table}")
        await self._conn.execute(
            "DELETE FROM search_meta WHERE key IN ('docs', 'reindex_cursor', 'docs_pending')"
        )
        await self._conn.execute("UPDATE search_meta SET key = 'docs' WHERE key = 'docs_next'")
        await self.set_version()

    async def set_version(self) -> None:
        """Record that the index is built by this analyzer version."""
        await self._conn.execute(
            "INSERT OR REPLACE INTO search_meta (key, value) VALUES ('analyzer_version', ?)",
            (str(ANALYZER_VERSION),),
        )

    async def size(self) -> int:
        """How many articles are indexed (kept in step by `add` and `remove`: no table scan)."""
        rows = await self._conn.execute_fetchall("SELECT value FROM search_meta WHERE key = 'docs'")
        return int(rows[0][0]) if rows else 0

    async def segments(self) -> int:
        """How many b-trees (segments) the index is split over; each costs every query one lookup per
        term."""
        rows = await self._conn.execute_fetchall("SELECT count(DISTINCT segid) FROM search_index_idx")
        return rows[0][0]

    async def merge_step(self) -> None:
        """Merge up to MERGE_PAGES pages of the index towards one segment (FTS5's 'merge' with a
        negative count merges across levels, as 'optimize' does, but in bounded steps)."""
        await self._conn.execute(
            "INSERT INTO search_index (search_index, rank) VALUES ('merge', ?)", (-MERGE_PAGES,)
        )

    async def needs_rebuild(self) -> bool:
        """True when the index was built by another analyzer version than this one."""
        rows = await self._conn.execute_fetchall(
            "SELECT value FROM search_meta WHERE key = 'analyzer_version'"
        )
        return not rows or rows[0][0] != str(ANALYZER_VERSION)

    async def docs_pending(self) -> bool:
        """True while `search_docs` still has to be filled for an index built before it existed."""
        rows = await self._conn.execute_fetchall("SELECT 1 FROM search_meta WHERE key = 'docs_pending'")
        return bool(rows)

    async def fill_docs(self, indexed: AsyncIterable[tuple[int, str, bytes]]) -> None:
        """Record length and title terms of already indexed articles, from (key, title, FTS5 size
        record) rows, then mark `search_docs` complete."""
        sql = "INSERT OR REPLACE INTO search_docs (key, length, title) VALUES (?, ?, ?)"
        batch: list[tuple[int, int, str]] = []
        async for key, title, sizes in indexed:
            batch.append((key, sum(_varints(sizes)), column_terms(title)))
            if len(batch) >= 5000:
                await self._conn.executemany(sql, batch)
                batch = []
        await self._conn.executemany(sql, batch)
        await self._conn.execute("DELETE FROM search_meta WHERE key = 'docs_pending'")


@dataclass(frozen=True, slots=True)
class _Where:
    """What narrows every match of a query: terms no hit may hold, and the key range its dates give
    (keys start with the publication time, so a date range is a rowid range FTS5 seeks to)."""

    excluded: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None

    @classmethod
    def of(cls, query: ParsedQuery) -> _Where:
        start, end = query.epoch_range()
        return cls(
            query.excluded,
            search_key(start, 0) if start is not None else None,
            search_key(end, 0) if end is not None else None,
        )

    def rowid_sql(self) -> tuple[str, list[int]]:
        """The rowid conditions to append to an FTS5 query's WHERE, and their parameters."""
        sql, params = "", []
        if self.low is not None:
            sql, params = " AND rowid >= ?", [self.low]
        if self.high is not None:
            sql, params = sql + " AND rowid < ?", [*params, self.high]
        return sql, params


class SearchReader:
    """Answers queries from the index with a plain (synchronous) sqlite3 connection: a whole search
    then runs in one hop to the thread that owns that connection, not a dozen hops through aiosqlite."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def _fetch(self, sql: str, params: Sequence = ()) -> list:
        return self._conn.execute(sql, params).fetchall()

    def _doc_count(self) -> int:
        rows = self._fetch("SELECT value FROM search_meta WHERE key = 'docs'")
        return int(rows[0][0]) if rows else 0

    def titles_holding(self, keys: Sequence[int], terms: frozenset[str]) -> set[int]:
        """Those of `keys` whose title holds every one of `terms` (from `search_docs`: no analysis)."""
        found: set[int] = set()
        for chunk in batched(keys, 500):
            rows = self._fetch(
                f"SELECT key, title FROM search_docs WHERE key IN ({','.join('?' * len(chunk))})", chunk
            )
            found.update(key for key, title in rows if terms <= set(title.split()))
        return found

    def _groups(self, query: ParsedQuery) -> tuple[list[list[str]], dict[str, int]]:
        """One group of alternatives per term (the last one prefix-expanded) and their frequencies.

        A word's group holds the words derived from it that the archive has (`تعطیل`: `تعطیلی`,
        `تعطیلات`; `bot.text.analyze.derived_terms`): a post about «تعطیلی مدارس» is found by
        `مدرسه تعطیل`, and ranks by the same bm25 as one holding the word itself."""
        derived = {t: derived_terms(t) for t in query.terms}
        exact = query.terms[:-1] if query.prefix else query.terms
        wanted = [*exact, *chain.from_iterable(derived.values())]
        df: dict[str, int] = {}
        if wanted:
            marks = ",".join("?" * len(wanted))
            sql = f"SELECT term, df FROM search_terms WHERE term IN ({marks}) AND df > 0"
            df.update((t, n) for t, n in self._fetch(sql, wanted))
        groups = [[x for x in (t, *derived[t]) if x in df] for t in exact]
        if query.prefix:
            last = query.terms[-1]
            rows = self._fetch(
                "SELECT term, df FROM search_terms WHERE term >= ? AND term < ? AND df > 0"
                " ORDER BY df DESC LIMIT ?",
                (last, last + "\U0010ffff", PREFIX_EXPANSIONS),
            )
            df.update((t, n) for t, n in rows)
            group = [t for t, _ in rows]
            if last not in df:  # the word itself, even if rarer than its completions
                exact_rows = self._fetch("SELECT df FROM search_terms WHERE term = ? AND df > 0", (last,))
                if exact_rows:
                    df[last] = exact_rows[0][0]
                    group.append(last)
            group += [t for t in derived[last] if t in df and t not in group]
            groups.append(group)
        return groups, df

    @staticmethod
    def _as_typed(term: str, df: dict[str, int]) -> list[str]:
        """A last word typed as a prefix, without its completions: the word and its derived words."""
        return [t for t in (term, *derived_terms(term)) if t in df]

    def rank(
        self, query: ParsedQuery, limit: int, offset: int, now_epoch: float, *, newest: bool = False
    ) -> Ranked:
        """Search keys of the best matches for `query` (or the newest first), with the partial
        answer when no article holds every term."""
        if query.empty or limit <= 0:
            return Ranked([])
        where = _Where.of(query)
        if not query.terms:  # only dates (and words to leave out): the newest posts of those days
            return Ranked(
                self._dated(where, limit, offset), False, (), (), frozenset(), *self._count_dated(where)
            )
        groups, df = self._groups(query)
        n_docs = max(self._doc_count(), 1)
        prefixes = (query.terms[-1],) if query.prefix else ()
        marked = frozenset(query.marked)
        partial_answer = None
        if all(groups):
            if not offset and _expected(groups, df, n_docs) < PARTIAL_FIRST_EXPECTED:
                partial_answer = _PartialRanking(self, query, groups, df, n_docs, where)
                if partial_answer.rules_out_all():
                    return partial_answer.rank(limit, offset, now_epoch, newest)
            keys, counted = self._rank_words_then_completions(
                query, groups, df, n_docs, limit, offset, now_epoch, where, newest
            )
            if keys or offset:
                # Exact phrases are checked on the hits' text: the words' count is not theirs.
                total, capped = (None, False) if query.phrases else self._count(groups, df, where, counted)
                return Ranked(keys, False, query.terms, prefixes, _all_terms(groups) | marked, total, capped)
        partial_answer = partial_answer or _PartialRanking(self, query, groups, df, n_docs, where)
        return partial_answer.rank(limit, offset, now_epoch, newest)

    def _count(
        self, groups: list[list[str]], df: dict[str, int], where: _Where, counted: Total | None = None
    ) -> Total:
        """How many articles hold a term of every group within `where`, counted up to TOTAL_CAP: (the
        count, whether it stopped at the cap). One word alone, unfiltered, is its document frequency;
        otherwise the ranking's own count (`counted`) if it made one, else a bounded forward read."""
        if _df_is_total(groups, where):
            return df[groups[0][0]], False
        if counted is not None:
            return counted
        rowids, rowid_params = where.rowid_sql()
        matches = f"SELECT rowid FROM search_index WHERE search_index MATCH ?{rowids} LIMIT ?"
        [(found,)] = self._fetch(
            f"SELECT count(*) FROM ({matches})",
            (fts_match(groups, where.excluded), *rowid_params, TOTAL_CAP + 1),
        )
        return _total(found)

    def _count_dated(self, where: _Where) -> Total:
        """`_count` for a query of dates only: the indexed posts of those days, less those left out."""
        sql, params = self._dated_sql(where)
        [(found,)] = self._fetch(f"SELECT count(*) FROM ({sql} LIMIT ?)", [*params, TOTAL_CAP + 1])
        return _total(found)

    def _dated_sql(self, where: _Where) -> tuple[str, list]:
        """The keys of the indexed posts within the query's dates, without the words it leaves out."""
        sql, params = "SELECT key FROM search_docs WHERE 1", []
        if where.low is not None:
            sql, params = sql + " AND key >= ?", [*params, where.low]
        if where.high is not None:
            sql, params = sql + " AND key < ?", [*params, where.high]
        if where.excluded:
            rowids, rowid_params = where.rowid_sql()
            sql += f" AND key NOT IN (SELECT rowid FROM search_index WHERE search_index MATCH ?{rowids})"
            params += [fts_any(where.excluded), *rowid_params]
        return sql, params

    def _dated(self, where: _Where, limit: int, offset: int) -> list[tuple[int, float]]:
        """The newest indexed posts within the query's dates, without the words it leaves out."""
        sql, params = self._dated_sql(where)
        rows = self._fetch(f"{sql} ORDER BY key DESC LIMIT ? OFFSET ?", [*params, limit, offset])
        return [(key, 0.0) for (key,) in rows]

    def _rank_words_then_completions(
        self, query: ParsedQuery, groups: list[list[str]], df: dict[str, int], n_docs: int,
        limit: int, offset: int, now: float, where: _Where, newest: bool,
    ) -> tuple[list[tuple[int, float]], Total | None]:  # fmt: skip
        """Articles with the last word as typed (or a word derived from it: `تعطیلی` for `تعطیل`) rank
        above those with only a longer word it begins (`رشت` before `رشته`); completions fill the list
        when the word itself is rare or unfinished. With the count of all `groups`' matches, when
        the statements that ranked them made one."""
        last = query.terms[-1]
        rank = partial(self._rank_groups, df=df, n_docs=n_docs, now=now, where=where, newest=newest)
        as_typed = self._as_typed(last, df)
        if not query.prefix or not as_typed or groups[-1] == as_typed:
            return rank(groups, limit=limit, offset=offset)
        wanted = offset + limit
        exact_groups = [*groups[:-1], as_typed]
        completions, total = None, None
        if _expected(exact_groups, df, n_docs) < wanted:
            # Likely too few with the word as typed: the completions, which hold those too, are asked
            # first, and when there are none (a long query's words together), neither are they.
            completions, total = rank(groups, limit=2 * wanted, offset=0)
            if not completions:
                return [], total
        exact, exact_total = rank(exact_groups, limit=wanted, offset=0)
        if len(exact) >= wanted:
            if total is None and exact_total is not None and exact_total[1]:
                total = exact_total  # the completions' matches hold these: more than the cap too
            return exact[offset:], total
        if completions is None:
            completions, total = rank(groups, limit=wanted + len(exact), offset=0)
        seen = {key for key, _ in exact}
        merged = exact + [(key, score) for key, score in completions if key not in seen]
        return merged[offset:wanted], total

    def _rank_groups(
        self, groups: list[list[str]], *, df: dict[str, int], n_docs: int, limit: int, offset: int,
        now: float, where: _Where, newest: bool = False,
    ) -> tuple[list[tuple[int, float]], Total | None]:  # fmt: skip
        """A page of the articles holding a term of every group, and how many do (see TOTAL_CAP) when
        the ranking's statement learns it: not for "newest first", which reads no further than the
        page."""
        expression = fts_match(groups, where.excluded)
        rowids, rowid_params = where.rowid_sql()
        if newest:  # FTS5 walks its doclists backwards: no scoring at all
            rows = self._fetch(
                f"SELECT rowid, 0.0 FROM search_index WHERE search_index MATCH ?{rowids}"
                " ORDER BY rowid DESC LIMIT ? OFFSET ?",
                (expression, *rowid_params, limit, offset),
            )
            return [(key, score) for key, score in rows], None
        pool = max(RERANK_POOL, offset + limit)
        if sum(df[t] for g in groups for t in g) <= BM25_BUDGET:
            # bm25 is computed for every match before the sort: they are counted on the way (unless
            # one word's document frequency says how many).
            counting = not _df_is_total(groups, where)
            rows = self._fetch(
                f"SELECT rowid, s, {'count(*) OVER ()' if counting else 'NULL'} FROM (SELECT rowid,"
                f" -bm25(search_index, ?, 1.0) AS s FROM search_index WHERE search_index MATCH ?{rowids})"
                " ORDER BY s DESC, rowid DESC LIMIT ?",
                (TITLE_WEIGHT, expression, *rowid_params, pool),
            )
            total = _total(rows[0][2] if rows else 0) if counting else None
            # Only the first RERANK_POOL are reordered by recency, whatever the page: every page is then
            # cut from one and the same order, so paging never repeats or skips a hit.
            scored = [(key, relevance) for key, relevance, _ in rows[:RERANK_POOL]]
            rest = [(key, relevance) for key, relevance, _ in rows[RERANK_POOL:]]
        else:
            (scored, total), rest = self._rank_recent(groups, df, n_docs, expression, where), []
        boosted = sorted(
            ((key, relevance * _recency_boost(key_epoch(key), now)) for key, relevance in scored),
            key=lambda kv: (-kv[1], -kv[0]),
        )
        return (boosted + rest)[offset : offset + limit], total

    def _rank_recent(
        self, groups: list[list[str]], df: dict[str, int], n_docs: int, expression: str, where: _Where
    ) -> tuple[list[tuple[int, float]], Total | None]:
        """FTS5's bm25 formula over the CANDIDATES most recent matches only: their lengths and which of
        them hold a term in the title come from `search_docs`, document frequencies from
        `search_terms` (so no common word's doclist is read in full, nor walked twice). Every term
        counts once in the body too: a matched term not in the title is in the body, and a title word
        is nearly always repeated there — checking would walk each doclist once more. With how many
        match, as far as the reads found out (up to TOTAL_CAP, which is CANDIDATES)."""
        # Bit i of the mask says whether group i has a term among the title's (space-separated) terms.
        tests = [" OR ".join(["instr(padded, ?)"] * len(group)) for group in groups]
        mask = " | ".join(f"(({test}) << {i})" for i, test in enumerate(tests))
        expected = _expected(groups, df, n_docs)
        total: Total | None
        if expected <= SPARSE_EXPECTED:  # found first (forwards), then their rows
            keys, total = self._newest_keys(groups, df, n_docs, where, CANDIDATES)
            if not keys:
                return [], total
            marks = ",".join("?" * len(keys))
            source, source_params = f"SELECT key FROM search_docs WHERE key IN ({marks})", keys
        else:  # the newest matches (one more, to count them to the cap), joined to their rows
            rowids, rowid_params = where.rowid_sql()
            source = (
                f"SELECT rowid AS key FROM search_index WHERE search_index MATCH ?{rowids}"
                " ORDER BY rowid DESC LIMIT ?"
            )
            source_params = [expression, *rowid_params, CANDIDATES + 1]
        docs = self._fetch(
            f"SELECT key, length, {mask} FROM (SELECT key, length, ' ' || title || ' ' AS padded"
            f" FROM ({source}) JOIN search_docs USING (key))",
            [*(f" {t} " for group in groups for t in group), *source_params],
        )
        if expected > SPARSE_EXPECTED:
            total = _total(len(docs))
            if len(docs) > CANDIDATES:  # the one read past the candidates only counted
                oldest = min(key for key, _, _ in docs)
                docs = [doc for doc in docs if doc[0] != oldest]
        if not docs:
            return [], total
        average = self._average_length() or (sum(d[1] for d in docs) / len(docs) if docs else 1.0)
        idfs = [max(_idf(df[t], n_docs) for t in group) for group in groups]
        title_tf, body_tf = 1.0 + TITLE_WEIGHT, 1.0
        scores = []
        for key, length, mask in docs:
            norm = _K1 * (1 - _B + _B * length / average)
            score = 0.0
            for i, idf in enumerate(idfs):
                tf = title_tf if mask >> i & 1 else body_tf
                score += idf * tf * (_K1 + 1) / (tf + norm)
            scores.append((key, score))
        return scores, total

    def _newest_keys(
        self, groups: list[list[str]], df: dict[str, int], n_docs: int, where: _Where, limit: int
    ) -> tuple[list[int], Total | None]:
        """The `limit` newest keys holding a term of every group within `where`, newest first (see
        SPARSE_EXPECTED), and how many match when the reads tell (every match read forwards, fewer
        than `limit` + 1 backwards, or more than TOTAL_CAP either way)."""
        expression = fts_match(groups, where.excluded)
        expected = _expected(groups, df, n_docs)
        rowids, rowid_params = where.rowid_sql()
        if expected <= SPARSE_EXPECTED:
            rows = self._driven(groups, df, where)
            if rows is None:
                rows = self._fetch(
                    f"SELECT rowid FROM search_index WHERE search_index MATCH ?{rowids}"
                    " ORDER BY rowid LIMIT ?",
                    (expression, *rowid_params, SPARSE_CAP),
                )
            if len(rows) < SPARSE_CAP:
                return [key for (key,) in reversed(rows[-limit:])], _total(len(rows))
        rows = self._fetch(
            f"SELECT rowid FROM search_index WHERE search_index MATCH ?{rowids} ORDER BY rowid DESC LIMIT ?",
            (expression, *rowid_params, limit + 1),
        )
        found = len(rows) if expected > SPARSE_EXPECTED else SPARSE_CAP
        total = _total(found) if found <= limit or found > TOTAL_CAP else None
        return [key for (key,) in rows[:limit]], total

    def _driven(self, groups: list[list[str]], df: dict[str, int], where: _Where) -> list[tuple[int]] | None:
        """Every match of three or more groups, ascending, read from the few articles holding the two
        rarest groups (see DRIVE_RATIO); None when those are too many."""
        if len(groups) < 3:
            return None
        by_df = sorted(groups, key=lambda group: sum(df[t] for t in group))
        pair, rest = by_df[:2], by_df[2:]
        checks = sum(map(len, rest))  # each word of the rest is one check an article
        most = min(SPARSE_CAP, int(sum(df[t] for group in rest for t in group) / (DRIVE_RATIO * checks)))
        if most < 1:
            return None
        rowids, rowid_params = where.rowid_sql()
        held = self._fetch(
            f"SELECT rowid FROM search_index WHERE search_index MATCH ?{rowids} ORDER BY rowid LIMIT ?",
            (fts_match(pair), *rowid_params, most + 1),
        )
        if len(held) > most:
            return None
        if not held:
            return []
        return self._fetch(
            "SELECT rowid FROM search_index WHERE search_index MATCH ?"
            f" AND rowid IN ({','.join('?' * len(held))}) ORDER BY rowid",
            (fts_match(rest, where.excluded), *(key for (key,) in held)),
        )

    def _average_length(self) -> float:
        """Mean indexed terms per article, from FTS5's averages record (row count, then per-column
        totals, as varints)."""
        rows = self._fetch("SELECT block FROM search_index_data WHERE id = 1")
        numbers = _varints(rows[0][0]) if rows and rows[0][0] else []
        return sum(numbers[1:]) / numbers[0] if len(numbers) > 1 and numbers[0] else 0.0


class _PartialRanking:
    """The answer when no article holds every term: articles holding more of them rank above those
    holding fewer (then by the summed idf of what they hold, with the recency boost). Stop words alone
    never make a hit. Which rare terms (document frequency ≤ RARE_DF) each article holds is read
    exactly, when made; a common term's doclist is only walked together with the rare ones' (FTS5's
    AND skips through it), and articles holding common terms only come from their largest
    co-occurring subset, the CANDIDATES most recent of them."""

    def __init__(
        self, reader: SearchReader, query: ParsedQuery, groups: list[list[str]], df: dict[str, int],
        n_docs: int, where: _Where,
    ) -> None:  # fmt: skip
        self._reader, self._query, self._groups, self._df, self._n_docs = reader, query, groups, df, n_docs
        self._where = where
        stop = stop_terms()
        self._usable = [(i, g) for i, g in enumerate(groups) if g and query.terms[i] not in stop]
        self._idf = {i: max(_idf(df[t], n_docs) for t in g) for i, g in self._usable}
        self._rare = [(i, g) for i, g in self._usable if sum(df[t] for t in g) <= RARE_DF]
        self._common = sorted(
            (u for u in self._usable if u not in self._rare), key=lambda u: -self._idf[u[0]]
        )
        # Which groups each article holds, as a bit mask: bit i for group i; exact for every article
        # holding a rare term.
        self._held: dict[int, int] = defaultdict(int)
        if self._rare:
            any_rare = [t for _, g in self._rare for t in g]
            for i, g in self._rare:
                for key in self._keys_of([g]):
                    self._held[key] |= 1 << i
            for i, g in self._common:
                for key in self._keys_of([any_rare, g]):
                    self._held[key] |= 1 << i

    def rules_out_all(self) -> bool:
        """Whether no article can hold every term: one that did would hold the rare ones, and none of
        those holds every other group that is not a stop word's."""
        every = sum(1 << i for i, _ in self._usable)
        return bool(self._rare) and all(mask != every for mask in self._held.values())

    def _keys_of(self, match_groups: list[list[str]], limit: int | None = None) -> list[int]:
        if limit is None:  # every match, in any order: read forwards
            rowids, rowid_params = self._where.rowid_sql()
            rows = self._reader._fetch(
                f"SELECT rowid FROM search_index WHERE search_index MATCH ?{rowids}",
                (fts_match(match_groups, self._where.excluded), *rowid_params),
            )
            return [key for (key,) in rows]
        return self._reader._newest_keys(match_groups, self._df, self._n_docs, self._where, limit)[0]

    def rank(self, limit: int, offset: int, now: float, newest: bool) -> Ranked:
        """A page of the partial answer (its terms: those its hits hold)."""
        if not self._usable:
            return Ranked([], True)
        query, groups, idf, common, held = self._query, self._groups, self._idf, self._common, self._held
        best = max(map(int.bit_count, held.values()), default=0)
        for size in range(len(common), max(best, 1) - 1, -1):
            found = False
            for subset in combinations(common, size):
                bits = sum(1 << i for i, _ in subset)
                for key in self._keys_of([g for _, g in subset], CANDIDATES):
                    held[key] |= bits
                    found = True
            if found:
                break
        if not held:
            return Ranked([], True)
        # Articles by what they hold: most groups first, then the rarest (summed idf), newest first
        # within one mask; only the first PARTIAL_SCORED are ranked (deeper pages of a partial answer
        # are not worth reading every article's row).
        by_mask: dict[int, list[int]] = defaultdict(list)
        for key, mask in held.items():
            by_mask[mask].append(key)
        if newest:  # most groups first, then newest
            by_count: dict[int, list[int]] = defaultdict(list)
            for mask, keys in by_mask.items():
                by_count[mask.bit_count()] += keys
            order = [key for n in sorted(by_count, reverse=True) for key in sorted(by_count[n], reverse=True)]
            ranked = [(key, float(held[key].bit_count())) for key in order[:PARTIAL_SCORED]]
        else:
            strength = {mask: (mask.bit_count(), sum(idf[i] for i in _bits(mask))) for mask in by_mask}
            order = []
            for mask in sorted(by_mask, key=strength.__getitem__, reverse=True):
                order += sorted(by_mask[mask], reverse=True)[: PARTIAL_SCORED - len(order)]
                if len(order) >= PARTIAL_SCORED:
                    break
            # Scored with bm25's formula (title terms and lengths from search_docs) and the recency
            # boost; the number of groups held still comes first.
            scored = self._bm25_of(order, now)
            ranked = sorted(scored, key=lambda kv: (-held[kv[0]].bit_count(), -kv[1], -kv[0]))
        page = ranked[offset : offset + limit]
        shown = sorted(set(chain.from_iterable(_bits(held[key]) for key, _ in page)))
        last_shown = query.prefix and len(groups) - 1 in shown
        return Ranked(
            page, True, tuple(query.terms[i] for i in shown), (query.terms[-1],) if last_shown else (),
            _all_terms(groups[i] for i in shown) | frozenset(query.marked),
        )  # fmt: skip

    def _bm25_of(self, keys: list[int], now: float) -> list[tuple[int, float]]:
        """bm25 (binary term frequencies, the title weighted) of each key over the groups it holds,
        times the recency boost."""
        held, groups, idf = self._held, self._groups, self._idf
        docs: dict[int, tuple[int, str]] = {}
        for chunk in batched(keys, 500):
            marks = ",".join("?" * len(chunk))
            rows = self._reader._fetch(
                f"SELECT key, length, title FROM search_docs WHERE key IN ({marks})", chunk
            )
            docs.update((key, (length, title)) for key, length, title in rows)
        average = self._reader._average_length() or 1.0
        title_tf, body_tf = 1.0 + TITLE_WEIGHT, 1.0
        scores = []
        padded_groups = [[f" {t} " for t in group] for group in groups]
        for key in keys:
            length, title = docs.get(key, (average, ""))
            padded = f" {title} "
            norm = _K1 * (1 - _B + _B * length / average)
            score = 0.0
            for i in _bits(held[key]):
                tf = title_tf if any(t in padded for t in padded_groups[i]) else body_tf
                score += idf[i] * tf * (_K1 + 1) / (tf + norm)
            scores.append((key, score * _recency_boost(key_epoch(key), now)))
        return scores


def _varints(blob: bytes) -> list[int]:
    """The numbers in an FTS5 size record (SQLite varints; ours never need the 9-byte form)."""
    numbers, value = [], 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            numbers.append(value)
            value = 0
    return numbers


def _expected(groups: Sequence[Sequence[str]], df: dict[str, int], n_docs: int) -> float:
    """How many articles would hold a term of every group if words fell independently: real text
    holds related words together more often, which only makes a forward read stop at its cap."""
    expected = float(n_docs)
    for group in groups:
        expected *= min(1.0, sum(df.get(t, 0) for t in group) / max(n_docs, 1))
    return expected


def _df_is_total(groups: Sequence[Sequence[str]], where: _Where) -> bool:
    """Whether the query is one word alone, unfiltered: its document frequency is its count."""
    return len(groups) == 1 and len(groups[0]) == 1 and where == _Where()


def _bits(mask: int) -> list[int]:
    """The positions of the set bits of `mask` (the groups an article holds)."""
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


def _all_terms(groups: Iterable[list[str]]) -> frozenset[str]:
    return frozenset(chain.from_iterable(groups))


def _idf(df: int, n_docs: int) -> float:
    """FTS5's bm25 idf, with the same floor for terms in more than half of the documents."""
    value = math.log((n_docs - df + 0.5) / (df + 0.5))
    return value if value > 0 else 1e-6


def _recency_boost(epoch: int, now: float) -> float:
    age_days = max(0.0, now - epoch) / 86400
    return 1.0 + RECENCY_WEIGHT * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
