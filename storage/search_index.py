"""The archive's search side in the database: searching (in a thread, a process or the caller, through
a reading connection of its own), indexing the archive again for a new analyzer, merging the index,
the search log, and importing already-published articles without duplicates.

The index itself (its tables, ranking and analysis per batch) is `storage.search`; this module is how
`storage.database.Database` drives it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import batched, chain

import aiosqlite
from tqdm import tqdm

from bot.core.media import MediaItem, MediaKind, media_to_json
from bot.core.workers import worker_pool
from bot.text.analyze import ANALYZER_VERSION, Snippet, analyze, make_snippet, may_hold_phrases
from bot.text.query import parse_query
from storage.connection import Connection, ReaderKey, from_db_time, reader_for, to_db_time
from storage.search import (
    REINDEX_BATCH,
    AnalyzedBatch,
    IndexEntry,
    SearchReader,
    index_texts_batch,
    search_key,
)
from storage.states import LIVE_ROW

log = logging.getLogger(__name__)
PHRASE_POOL = 50  # best-ranked hits whose text is checked for an exact phrase (each is analyzed)
# Ranked hits whose titles are looked at too: the ones holding every word of the phrases are checked
# (a reader quoting a headline of common words finds it, however its words rank).
PHRASE_TITLES = 200
PHRASE_CHUNK = 20  # hits fetched and checked at a time
REINDEX_WORKER_MIN = 20_000  # a re-index of fewer articles is not worth starting a process
type PostKey = tuple[str, str]  # (channel key, message id): what identifies an archived post
SEARCH_LOG_SECONDS = 2.0
SEARCH_LOG_BATCH = 500
SEARCH_LOG_PRUNE_SECONDS = 3600.0  # the old searches' deletion scans the log: once an hour is enough


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result; `snippet.marked("<b>", "</b>", html.escape)` gives Telegram HTML."""

    article_id: int
    external_id: str | None
    title: str
    snippet: Snippet
    published_at: datetime
    url: str | None
    channel_message_ids: list[int]
    score: float
    media_kind: str | None = None  # the post's (first) file: photo, video, animation, audio, document


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Hits, best first. `partial`: no article held every term, these hold some (`matched_terms`).
    `truncated`: the query was too long and only its beginning was searched. `only_excluded`: the
    query held only words to leave out, so nothing was searched (see `ParsedQuery.only_excluded`).
    `total`: how many articles match, None when not known (a partial answer, or exact phrases found
    on a page before every candidate was checked); with `total_capped`, more than that."""

    hits: list[SearchHit]
    partial: bool
    truncated: bool
    matched_terms: tuple[str, ...]
    only_excluded: bool = False
    total: int | None = None
    total_capped: bool = False


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """An article to archive as already published (from an export or JSON Lines)."""

    external_id: str
    title: str
    body: str
    published_at: datetime
    url: str | None = None
    channel: str = ""  # the channel key (`-100…`, see bot.archive.importers.channel_key); '' when unknown
    media_kind: str | None = None  # its photo, video… (the export holds the kind, not the file)


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What one `import_articles` call did."""

    imported: int
    duplicates: int


class SearchArchive(Connection):
    """Search, the search index's upkeep, the search log and the import."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._search_log: list[tuple] = []
        self._search_log_writer: asyncio.Task | None = None  # the timer that writes what waits
        self._search_log_flushes: set[asyncio.Task] = set()  # batches being written now
        # How long a search stays in the log (SEARCH_LOG_DAYS; None: kept for ever, as the command
        # line's searches of a copy); 0 days: searches are not logged at all. Older ones are deleted
        # as the log is written, at most once per SEARCH_LOG_PRUNE_SECONDS.
        self.search_log_retention: timedelta | None = None
        self._search_log_pruned_at = float("-inf")

    async def _finish_writes(self) -> None:
        """At close: the writes still to come (the search log) are done, the re-index stopped."""
        if self._search_log_writer is not None:
            self._search_log_writer.cancel()
        if self._reindexing is not None:  # its progress is kept: the next start resumes it
            self._reindexing.cancel()
            with suppress(asyncio.CancelledError, ValueError):
                await self._reindexing
        with suppress(ValueError):  # the connection was closed before
            await asyncio.gather(*self._search_log_flushes)
            await self._flush_search_log()
            async with self._lock:  # a write still in flight (a timer's shielded flush) finishes first
                pass

    # --- search ------------------------------------------------------------------------------------

    async def search(
        self, query: str, limit: int = 10, offset: int = 0, *, now: datetime | None = None,
        newest: bool = False, tz: tzinfo = UTC,
    ) -> SearchResult:  # fmt: skip
        """Search published articles with the query language of `bot.text.query`: every word must
        match (the last one also as a prefix); when no article holds them all, those holding the most
        come back with `partial=True`. `newest`: newest first instead of the most relevant. Any string
        is safe to pass. `now` anchors the recency boost and `امروز` (default: the current time); `tz`
        (the TIMEZONE setting) is where typed dates' days run."""
        now_epoch = (now or self.clock()).timestamp()
        args = (self._reader_key, query, max(0, limit), max(0, offset), now_epoch, newest, tz)
        if self._search_in == "caller":
            return _search(*args)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._searcher, _search, *args)
        except BrokenProcessPool:  # the search process died (killed, out of memory): start another
            self._searcher = self._new_searcher()
            return await loop.run_in_executor(self._searcher, _search, *args)

    async def reindex_search(self, *, progress: bool | None = None) -> None:
        """Index the archive again with this analyzer version, in batches of REINDEX_BATCH articles in
        key order, each analyzed outside the write lock (in a worker process for a big archive) and
        stored in a transaction of its own, with a progress bar on stderr (`progress=None`: when it
        is a terminal). Searches keep reading the old index until the new one takes its place."""
        async with self._transaction():
            cursor = await self._index.start_reindex()
        total = await self._index.size()
        pool = worker_pool() if total >= REINDEX_WORKER_MIN else None
        log.info("re-indexing %d articles for search analyzer %d", total, ANALYZER_VERSION)
        bar = tqdm(total=total, unit=" articles", desc="search re-index",
                   disable=None if progress is None else not progress)  # fmt: skip
        try:
            while True:
                rows = await self._reindex_rows(cursor)
                texts = [(title, body) for _, title, body in rows]
                if pool is not None:
                    loop = asyncio.get_running_loop()
                    analyzed = await loop.run_in_executor(pool, index_texts_batch, texts)
                else:
                    analyzed = index_texts_batch(texts)
                pairs = zip(rows, analyzed.texts, strict=True)
                done = {row[0]: (row[1], row[2], text) for row, text in pairs}
                async with self._transaction():
                    now_at = await self._index.reindex_cursor()
                    if now_at is None:  # another process (a CLI import beside the bot) finished it
                        return
                    if now_at != cursor:  # or went on: carry on from where it is
                        cursor = now_at
                        continue
                    if not rows:
                        await self._index.finish_reindex()
                        break
                    # Rows as they are now: published, edited or deleted since they were read.
                    entries = []
                    for key, title, body in await self._reindex_rows(cursor, rows[-1][0]):
                        old = done.get(key)
                        if old is not None and old[:2] == (title, body):
                            entries.append(IndexEntry.from_texts(key, *old[2]))
                        else:
                            entries.append(IndexEntry.build(key, title, body))
                    cursor = rows[-1][0]
                    await self._index.add_next(entries, cursor)
                bar.update(len(rows))
        finally:
            bar.close()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        log.info("search re-index done")
        await self.merge_search_index()

    async def wait_for_reindex(self) -> None:
        """Wait until the re-index started at open (if any) is done."""
        if self._reindexing is not None:
            await asyncio.shield(self._reindexing)

    async def _reindex_rows(self, after: int, up_to: int | None = None) -> list[tuple[int, str, str]]:
        """Live articles with keys after `after`: up to `up_to`, or the next REINDEX_BATCH."""
        if up_to is None:
            where, order, params = "search_key > ?", " ORDER BY search_key LIMIT ?", (after, REINDEX_BATCH)
        else:
            where, order, params = "search_key > ? AND search_key <= ?", "", (after, up_to)
        sql = f"SELECT search_key, title, body FROM articles WHERE {where} AND {LIVE_ROW}{order}"
        return await self._conn.execute_fetchall(sql, params)  # type: ignore[return-value]

    def log_search(
        self, query: str, *, results: int, partial: bool, ms: float, kind: str = "search",
        user_id: int | None = None,
    ) -> None:  # fmt: skip
        """Record one search (kind: 'search', 'inline', 'cli'…) for later tuning; query cut to 200 chars.

        Entries are written together at most SEARCH_LOG_SECONDS later (at once when SEARCH_LOG_BATCH
        are waiting, and at close): a transaction per search cost a busy bot 1.6 ms of CPU per
        search. A crash loses at most those seconds of the log, never anything else."""
        if self.search_log_retention is not None and not self.search_log_retention:
            return  # SEARCH_LOG_DAYS=0: subscribers' queries are not kept
        self._search_log.append((self._now(), user_id, kind, query[:200], results, int(partial), ms))
        loop = asyncio.get_running_loop()
        if len(self._search_log) == SEARCH_LOG_BATCH:
            self._search_log_flushes.add(task := loop.create_task(self._flush_search_log()))
            task.add_done_callback(self._search_log_flushes.discard)
        elif self._search_log_writer is None:
            self._search_log_writer = loop.create_task(self._write_search_log_later())

    async def _write_search_log_later(self) -> None:
        await asyncio.sleep(SEARCH_LOG_SECONDS)
        self._search_log_writer = None
        await asyncio.shield(self._flush_search_log())  # entries taken are written, even at close

    async def _flush_search_log(self) -> None:
        entries, self._search_log = self._search_log, []
        if entries:
            async with self._transaction() as conn:
                await conn.executemany(
                    "INSERT INTO search_log (at, user_id, kind, query, results, partial, ms)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    entries,
                )
                await self._prune_search_log(conn)

    async def prune_search_log(self) -> None:
        """Delete the searches older than the retention (at start; then as the log is written)."""
        async with self._transaction() as conn:
            await self._prune_search_log(conn)

    async def _prune_search_log(self, conn: aiosqlite.Connection) -> None:
        now = time.monotonic()
        if self.search_log_retention is None or now - self._search_log_pruned_at < SEARCH_LOG_PRUNE_SECONDS:
            return
        self._search_log_pruned_at = now
        oldest = to_db_time(self.clock() - self.search_log_retention)
        await conn.execute("DELETE FROM search_log WHERE at < ?", (oldest,))

    # --- import ------------------------------------------------------------------------------------

    async def _archived(self, conn: aiosqlite.Connection, records: Sequence[ImportRecord]) -> set[PostKey]:
        """The (channel, id) keys of these records that are archived already: imported before (an
        import that did not record its channel, '', matches any), or published by the bot itself
        (any part of a post it sent in several messages)."""
        by_channel: dict[str, list[str]] = {}
        for record in records:
            by_channel.setdefault(record.channel, []).append(record.external_id)
        found: set[PostKey] = set()
        for channel, ids in by_channel.items():
            own_parts = await self._bot_post_parts(conn, channel)
            found.update((channel, i) for i in ids if i in own_parts)
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                # No `external_id IS NOT NULL` here (the IN list implies it, and the partial index is
                # still used): with it SQLite walked the channel's whole index range instead of looking
                # the ids up — 16 ms per 500 ids at 100k articles, and ten times that at a million.
                rows = await conn.execute_fetchall(
                    "SELECT external_id FROM articles WHERE channel IN (?, '')"
                    f" AND external_id IN ({','.join('?' * len(chunk))})",
                    (channel, *chunk),
                )
                found.update((channel, r[0]) for r in rows)
        return found

    async def _bot_post_parts(self, conn: aiosqlite.Connection, channel: str) -> frozenset[str]:
        """Message ids of every part of the bot's published posts in `channel` (read once per
        Database: an import meets them in every batch)."""
        parts = self._bot_parts.get(channel)
        if parts is None:
            rows = await conn.execute_fetchall(
                "SELECT j.value FROM articles AS a, json_each(a.channel_message_ids) AS j"
                " WHERE a.source = 'bot' AND a.channel = ? AND a.external_id IS NOT NULL",
                (channel,),
            )
            parts = self._bot_parts[channel] = frozenset(str(r[0]) for r in rows)
        return parts

    async def archived_posts(self, records: Sequence[ImportRecord]) -> set[PostKey]:
        """Which of these records' (channel, id) keys are already archived (see `import_articles`)."""
        return await self._archived(self._conn, records)

    async def archived_texts(self, keys: Sequence[PostKey]) -> dict[PostKey, tuple[str, str]]:
        """The (title, body) of the imported posts archived under these (channel, id) keys, so an import
        can tell a repeated record from another text under the same id. The bot's own posts are left
        out: an export holds each part of a long one, never its text as archived."""
        by_channel: dict[str, list[str]] = {}
        for channel, external_id in keys:
            by_channel.setdefault(channel, []).append(external_id)
        found: dict[PostKey, tuple[str, str]] = {}
        for channel, ids in by_channel.items():
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                rows = await self._conn.execute_fetchall(
                    "SELECT external_id, title, body FROM articles WHERE source = 'import'"
                    f" AND channel IN (?, '') AND external_id IN ({','.join('?' * len(chunk))})",
                    (channel, *chunk),
                )
                found.update(((channel, r[0]), (r[1] or "", r[2] or "")) for r in rows)
        return found

    async def import_articles(
        self, records: Sequence[ImportRecord], *, analyzed: AnalyzedBatch | None = None
    ) -> ImportCounts:
        """Archive already-published articles in one transaction (call it per batch of ~5,000).

        `analyzed`, if given, is `storage.search.index_texts_batch` of the records, in order (computed
        elsewhere, e.g. in a worker process). Idempotent: a record whose (channel, id) is already
        archived (or repeated in the batch), or that the bot itself published, is counted as a
        duplicate and changes nothing."""
        texts = analyzed.texts if analyzed is not None else [None] * len(records)
        batch: dict[PostKey, tuple[ImportRecord, tuple[str, str] | None]] = {}
        for record, text in zip(records, texts, strict=True):
            batch.setdefault((record.channel, record.external_id), (record, text))
        seen = len(records)
        if not batch:
            return ImportCounts(0, seen)
        # Already archived ones are dropped before analysis, so importing a file again costs little.
        for key in await self._archived(self._conn, [r for r, _ in batch.values()]):
            del batch[key]
        # Analysis runs before taking the lock, so a caller that keeps the next batch's call in
        # flight overlaps it with this batch's SQL in the connection's thread.
        analyzed_entries = {
            key: IndexEntry.from_texts(0, *text) if text else IndexEntry.build(0, r.title, r.body)
            for key, (r, text) in batch.items()
        }
        if analyzed is not None and len(analyzed_entries) == len(records):  # the batch's own count
            df = analyzed.df
        else:
            df = Counter(chain.from_iterable(e.terms for e in analyzed_entries.values()))
        async with self._transaction() as conn:
            existing = await self._archived(conn, [r for r, _ in batch.values()])  # imported meanwhile
            fresh = [r for key, (r, _) in batch.items() if key not in existing]
            for key in existing:
                df.subtract(analyzed_entries[key].terms)
            (last_id,) = (await conn.execute_fetchall("SELECT COALESCE(max(id), 0) FROM articles"))[0]
            now = self._now()
            rows_out, entries = [], []
            for number, record in enumerate(fresh, start=last_id + 1):
                key = search_key(int(record.published_at.timestamp()), number)
                published = to_db_time(record.published_at)
                media = media_to_json(
                    [MediaItem(MediaKind(record.media_kind), "")] if record.media_kind else []
                )
                rows_out.append((number, record.channel, record.external_id, record.title, record.body,
                                 published, now, now, record.url, key, media))  # fmt: skip
                entries.append(replace(analyzed_entries[record.channel, record.external_id], key=key))
            await conn.executemany(
                "INSERT INTO articles (id, source, channel, external_id, title, body, status, published_at,"
                " created_at, updated_at, url, search_key, media)"
                " VALUES (?, 'import', ?, ?, ?, ?, 'published', ?, ?, ?, ?, ?, ?)",
                rows_out,
            )
            await self._index.add(entries, df)
        return ImportCounts(len(fresh), seen - len(fresh))

    async def search_index_wants_merge(self, added: int) -> bool:
        """Whether a bulk import of `added` articles should be followed by `merge_search_index`: when
        they are at least a tenth of the index. Merging rewrites the whole index, so after a smaller
        import the work is left to FTS5's own automerge."""
        return added > 0 and added * 10 >= await self._index.size()

    async def merge_search_index(self) -> None:
        """Merge the search index into one segment, in short transactions (a running bot is never kept
        waiting long). An import leaves the index in several segments and every query pays a lookup
        per term in each: at a million articles, 9 segments cost a 2-term query 1.3 ms, one 0.5 ms."""
        while True:
            async with self._transaction():
                if await self._index.segments() <= 1:
                    return
                await self._index.merge_step()


def _search(
    key: ReaderKey, query: str, limit: int, offset: int, now_epoch: float, newest: bool = False,
    tz: tzinfo = UTC,
) -> SearchResult:  # fmt: skip
    """The whole search, where the searcher runs: rank, fetch the hits, keep those holding the exact
    phrases asked for, cut their snippets."""
    reader = reader_for(key)
    parsed = parse_query(query, tz=tz, today=datetime.fromtimestamp(now_epoch, tz).date())
    searcher = SearchReader(reader)
    if parsed.phrases:  # checked on the text: ranked deeper, then paged among those that hold them
        ranked = searcher.rank(parsed, PHRASE_TITLES, 0, now_epoch, newest=newest)
    else:
        ranked = searcher.rank(parsed, limit, offset, now_epoch, newest=newest)
    if not ranked.keys:
        return SearchResult([], ranked.partial, parsed.truncated, ranked.matched_terms, parsed.only_excluded)
    total, total_capped = ranked.total, ranked.total_capped
    if parsed.phrases:  # a few hits at a time, until the page is full: most queries stop at the first
        found: list[tuple[Sequence, float]] = []
        total, total_capped = None, False  # known only if every candidate is checked
        words = frozenset(chain.from_iterable(parsed.phrases))
        titled = searcher.titles_holding([key for key, _ in ranked.keys[PHRASE_POOL:]], words)
        pool = ranked.keys[:PHRASE_POOL] + [hit for hit in ranked.keys[PHRASE_POOL:] if hit[0] in titled]
        for chunk in batched(pool, PHRASE_CHUNK):
            found += [
                (row, score) for row, score in _hit_rows(reader, chunk)
                if _holds_phrases(row[3], row[4], parsed.phrases)
            ]  # fmt: skip
            if len(found) >= offset + limit:
                break
        else:
            total = len(found)
        found = found[offset : offset + limit]
    else:
        found = _hit_rows(reader, ranked.keys)
    terms = ranked.match_terms  # a prefix's completions included: no prefix tests per word
    hits = []
    for row, score in found:
        # A title holding a matched word shows why the hit came: the snippet may stay in the opening.
        in_title = not terms.isdisjoint(row[8].split())
        snippet = make_snippet(row[4] or row[3], terms, opening_only=in_title)
        hits.append(
            SearchHit(
                article_id=row[1], external_id=row[2], title=row[3], snippet=snippet,
                published_at=from_db_time(row[5]),  # type: ignore[arg-type]
                url=row[6], channel_message_ids=json.loads(row[7]) if row[7] else [],
                score=round(score, 4), media_kind=row[9],
            )
        )  # fmt: skip
    return SearchResult(
        hits, ranked.partial, parsed.truncated, ranked.matched_terms, False, total, total_capped
    )


def _hit_rows(reader: sqlite3.Connection, keys: Sequence[tuple[int, float]]) -> list[tuple[Sequence, float]]:
    """The live articles behind ranked keys, in rank order, with their scores."""
    marks = ",".join("?" * len(keys))
    # The title's index terms come along from search_docs: no analysis to learn if it holds a match.
    rows = reader.execute(
        "SELECT search_key, id, external_id, articles.title, body, published_at, url, channel_message_ids,"
        " d.title, json_extract(media, '$[0][0]') FROM articles JOIN search_docs AS d ON d.key = search_key"
        f" WHERE search_key IN ({marks})"
        f" AND {LIVE_ROW}",
        [k for k, _ in keys],
    ).fetchall()
    by_key = {r[0]: r for r in rows}
    return [(by_key[k], score) for k, score in keys if k in by_key]


def _holds_phrases(title: str, body: str, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether each phrase's terms stand together, in order, in the title or the body (analyzed as a
    query is, so a name written apart is one term on both sides). A body is analyzed whole only if
    the cheap pass (`may_hold_phrases`) leaves the phrases possible there."""
    title_terms = f" {' '.join(analyze(title, for_query=True))} "
    missing = [phrase for phrase in phrases if f" {' '.join(phrase)} " not in title_terms]
    if not missing:
        return True
    if not may_hold_phrases(body, missing):
        return False
    body_terms = f" {' '.join(analyze(body, for_query=True))} "
    return all(f" {' '.join(phrase)} " in body_terms for phrase in missing)
