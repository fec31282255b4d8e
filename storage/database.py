"""The one owner of newsdesk's SQLite database: articles and their states, search index, search log, and what
the desk remembers of its editors between messages.

How: `await Database.open(path)` (or `async with Database.open(path) as db`) connects with aiosqlite, sets
WAL, a busy timeout and foreign keys, applies pending migrations (`storage.migrations`) and rebuilds the
search index if the analyzer changed. Every write runs in a `BEGIN IMMEDIATE` transaction under one
asyncio lock, so coroutines sharing the connection never interleave inside each other's transactions.

Publishing state machine (DESIGN.md): draft → scheduled → publishing → published | failed, plus
cancelled; published articles can later be marked deleted. Only published, not deleted articles are
in the search index, and they enter and leave it in the same transaction as their state change.
All times cross this API as timezone-aware datetimes and are stored as UTC text (see migrations).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import batched, chain, count
from pathlib import Path
from typing import Literal, Self

import aiosqlite
from tqdm import tqdm

from bot.core.media import MediaItem, MediaKind, Part, media_from_json, media_to_json, plan_parts
from bot.core.source import Source, source_from_json, source_to_json
from bot.core.status import EDITABLE, PENDING, SCHEDULABLE, PostStatus
from bot.core.workers import worker_pool
from bot.text.analyze import ANALYZER_VERSION, Snippet, analyze, make_snippet, may_hold_phrases
from bot.text.query import SEARCH_TZ, parse_query
from storage.migrations import MIGRATIONS
from storage.search import (
    REINDEX_BATCH,
    AnalyzedBatch,
    IndexEntry,
    SearchIndex,
    SearchReader,
    index_texts_batch,
    search_key,
)
from storage.states import sql_in

type SearchIn = Literal["thread", "process", "caller"]
log = logging.getLogger(__name__)
PHRASE_POOL = 50  # best-ranked hits whose text is checked for an exact phrase (each is analyzed)
# Ranked hits whose titles are looked at too: the ones holding every word of the phrases are checked
# (a reader quoting a headline of common words finds it, however its words rank).
PHRASE_TITLES = 200
PHRASE_CHUNK = 20  # hits fetched and checked at a time
REINDEX_WORKER_MIN = 20_000  # a re-index of fewer articles is not worth starting a process
IMPORT_CACHE_KB = 16_384  # the page cache of a connection that only imports (see `for_bulk_import`)
type PostKey = tuple[str, str]  # (channel key, message id): what identifies an archived post
SEARCH_LOG_SECONDS = 2.0
SEARCH_LOG_BATCH = 500
_COLUMN_NAMES = (
    "id",
    "source",
    "external_id",
    "title",
    "body",
    "html",
    "status",
    "deleted",
    "scheduled_at",
    "published_at",
    "created_at",
    "updated_at",
    "channel_message_ids",
    "editor_id",
    "editor_chat_id",
    "preview_message_id",
    "confirmation_message_id",
    "url",
    "failure_reason",
    "attempts",
    "source_message_id",
    "source_text",
    "media",
    "forward_source",
)
_COLUMNS = ", ".join(_COLUMN_NAMES)
_LIVE = f"status = '{PostStatus.PUBLISHED}' AND deleted = 0"
# The same test kept off indexes ('+'): next to `search_key` it must not make SQLite scan every published
# row through the status index (300 ms at 100k articles instead of 0.3 ms).
_LIVE_ROW = f"+status = '{PostStatus.PUBLISHED}' AND +deleted = 0"


def to_db_time(moment: datetime) -> str:
    """A timezone-aware datetime as stored: UTC ISO-8601 with seconds."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware one")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db_time(text: str | None) -> datetime | None:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def _now() -> str:
    return to_db_time(datetime.now(UTC))


@dataclass(frozen=True, slots=True)
class Article:
    """One row of the archive, in any state."""

    id: int
    source: str
    external_id: str | None
    title: str
    body: str
    html: list[str]
    status: PostStatus
    deleted: bool
    scheduled_at: datetime | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    channel_message_ids: list[int]
    editor_id: int | None
    editor_chat_id: int | None
    preview_message_id: int | None
    confirmation_message_id: int | None
    url: str | None
    failure_reason: str | None
    attempts: int

    source_message_id: int | None = None  # the editor's message the draft came from (its edits update it)
    source_text: str | None = None  # the editor's text as sent, before the clean-up
    media: tuple[MediaItem, ...] = ()  # its photo, video, file… or album (bot.core.media)
    forward_source: Source | None = None  # where a forwarded draft came from: its credit (bot.core.source)

    @property
    def parts(self) -> list[Part]:
        """The requests that publish it: its media and text as `bot.core.media.plan_parts` lays them out."""
        return plan_parts(self.media, self.html)

    @classmethod
    def from_row(cls, row: Sequence) -> Article:
        """Build from a row selected with the module's column list, reading each column by name."""
        values = dict(zip(_COLUMN_NAMES, row, strict=True))
        times = ("scheduled_at", "published_at", "created_at", "updated_at")
        values.update({name: from_db_time(values[name]) for name in times})
        values["html"] = json.loads(values["html"]) if values["html"] else []
        values["channel_message_ids"] = json.loads(values["channel_message_ids"] or "[]")
        values["status"] = PostStatus(values["status"])
        values["deleted"] = bool(values["deleted"])
        values["media"] = media_from_json(values["media"])
        values["forward_source"] = source_from_json(values["forward_source"])
        return cls(**values)


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
    query held only words to leave out, so nothing was searched (see `ParsedQuery.only_excluded`)."""

    hits: list[SearchHit]
    partial: bool
    truncated: bool
    matched_terms: tuple[str, ...]
    only_excluded: bool = False


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


class Database:
    """The connection to newsdesk's SQLite file and every query newsdesk runs on it."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, search_in: SearchIn = "thread") -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._index = SearchIndex(conn)
        # Searches read through a connection of their own (WAL lets it read while the main connection
        # writes), each search in a single hop: in a thread of their own; for a busy bot in a process
        # of their own, where the search's Python work does not wait for the interpreter lock that
        # the event loop's thread holds while it handles other updates; for a program that does one
        # thing at a time (the command line) in the caller, sparing the hop.
        self._path = path
        self._reader_key = (path, next(_reader_numbers))  # each Database its own reading connection
        self._search_in = search_in
        self._searcher = self._new_searcher()
        self._search_log: list[tuple] = []
        self._search_log_writer: asyncio.Task | None = None  # the timer that writes what waits
        self._search_log_flushes: set[asyncio.Task] = set()  # batches being written now
        self._reindexing: asyncio.Task | None = None  # the search index being built for a new analyzer
        self._bot_parts: dict[str, frozenset[str]] = {}
        self.read_only = False  # opened from a file newsdesk may not write: it can only be searched

    # --- lifecycle -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, search_in: SearchIn = "thread") -> _Opener:
        """Open (creating if needed) the database at `path`: `db = await Database.open(p)` or
        `async with Database.open(p) as db:`. Applies migrations; creates the parent directory.
        `search_in`: where searches run — "thread", "process" (started at once, in the background)
        or "caller" (blocking the event loop: only for programs with nothing else to do)."""
        return _Opener(cls, Path(path), search_in)

    @classmethod
    async def _connect(cls, path: Path, search_in: SearchIn = "thread") -> Self:
        if str(path) == ":memory:" or str(path).startswith("file:"):
            raise DatabaseUnusable("needs a database file, not an in-memory one (searches open it twice)")
        _check_newsdesk_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnusable(f"cannot create {path.parent} ({exc.strerror or exc})") from None
        # A file this process may not write (its mode, a read-only mount, an immutable flag) is opened
        # read-only: it can be searched, and nothing at all is written to it.
        read_only = path.exists() and not os.access(path, os.W_OK)
        try:
            if read_only:
                conn = await aiosqlite.connect(
                    f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
                )
            else:
                conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseUnusable(sqlite_problem(exc)) from None
        try:
            # Foreign keys stay off while migrating: rebuilding a table (migration 5) must not cascade.
            await conn.execute("PRAGMA busy_timeout = 5000")
            await conn.execute("PRAGMA foreign_keys = OFF")
            writable = not read_only and await _writable(conn)
            if writable:
                await conn.execute("PRAGMA journal_mode = WAL")
                await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA cache_size = -65536")  # 64 MB: big imports touch large indexes
        except sqlite3.Error as exc:
            await conn.close()
            raise DatabaseUnusable(sqlite_problem(exc)) from None
        db = cls(conn, path, search_in)
        db.read_only = not writable
        try:
            await db._migrate(writable)
            await conn.execute("PRAGMA foreign_keys = ON")
            db._warm_searcher()
        except BaseException as exc:
            # Nothing started is left behind: no search thread or process outlives a failed open.
            db._searcher.shutdown(wait=False, cancel_futures=True)
            await conn.close()
            if isinstance(exc, sqlite3.Error):
                raise DatabaseUnusable(sqlite_problem(exc)) from None
            raise
        return db

    async def close(self) -> None:
        """Write the pending search log and close the connections (waits for a running statement or
        search); closing twice is fine."""
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
        if self._search_in == "caller":
            _close_reader(self._reader_key)
        elif self._search_in == "thread":  # a worker process closes its connection as it exits
            loop = asyncio.get_running_loop()
            with suppress(RuntimeError):  # closed before
                await loop.run_in_executor(self._searcher, _close_reader, self._reader_key)
        self._searcher.shutdown(wait=True)
        await self._conn.close()

    def _new_searcher(self) -> Executor:
        if self._search_in == "process":
            return worker_pool()
        return ThreadPoolExecutor(1, thread_name_prefix="newsdesk-search")  # unused by "caller"

    def _warm_searcher(self) -> None:
        """Let a search process load the analyzer now rather than in the first subscriber's search."""
        if self._search_in == "process":
            self._searcher.submit(parse_query, "خبر")

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                with suppress(sqlite3.OperationalError):  # SQLite rolled back already (a full disk)
                    await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    async def _migrate(self, writable: bool = True) -> None:
        (version,) = (await self._conn.execute_fetchall("PRAGMA user_version"))[0]
        if version > len(MIGRATIONS):
            raise DatabaseUnusable(_newer_schema(version))
        if not writable:  # a read-only archive is searched as it is (an old analyzer's index too)
            if version < len(MIGRATIONS) or await self._index.docs_pending():
                raise DatabaseUnusable("read-only, and an older newsdesk's: open it writable to upgrade it")
            return
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            async with self._transaction() as conn:
                for statement in _statements(script):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {number}")
        if await self._index.needs_rebuild():
            async with self._transaction() as conn:
                archived = await conn.execute_fetchall(
                    "SELECT 1 FROM articles WHERE search_key IS NOT NULL LIMIT 1"
                )
                if not archived and await self._index.reindex_cursor() is None:
                    await self._index.set_version()  # nothing to index again
        if await self._index.needs_rebuild():
            # A new analyzer: the archive is indexed again in the background while the old index
            # keeps answering (a million articles take minutes); a restart resumes where it stopped.
            self._reindexing = asyncio.create_task(self.reindex_search())
        if await self._index.docs_pending():
            async with self._transaction() as conn:
                cursor = await conn.execute(
                    "SELECT a.search_key, a.title, d.sz FROM articles AS a"
                    f" JOIN search_index_docsize AS d ON d.id = a.search_key WHERE {_LIVE}"
                )
                await self._index.fill_docs(cursor)  # type: ignore[arg-type]

    # --- drafts and the publishing state machine ---------------------------------------------------

    async def create_draft(
        self,
        title: str,
        body: str,
        html: Sequence[str],
        *,
        editor_id: int | None = None,
        editor_chat_id: int | None = None,
        preview_message_id: int | None = None,
        source_message_id: int | None = None,
        source_text: str | None = None,
        media: Sequence[MediaItem] = (),
        forward_source: Source | None = None,
    ) -> int:
        """Store a new draft (source 'bot', status 'draft') and return its id."""
        now = _now()
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO articles (source, title, body, html, status, created_at, updated_at,"
                " editor_id, editor_chat_id, preview_message_id, source_message_id, source_text, media,"
                " forward_source) VALUES ('bot', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (title, body, json.dumps(list(html), ensure_ascii=False), PostStatus.DRAFT, now, now,
                 editor_id, editor_chat_id, preview_message_id, source_message_id, source_text,
                 media_to_json(media), source_to_json(forward_source)),
            )  # fmt: skip
            return cursor.lastrowid  # type: ignore[return-value]

    async def update_draft(
        self, article_id: int, title: str, body: str, html: Sequence[str], *, source_text: str | None = None
    ) -> bool:
        """Replace the text of a draft or not-yet-published post; False if it is past that point."""
        return await self._update(
            article_id,
            "title = ?, body = ?, html = ?, source_text = COALESCE(?, source_text)",
            (title, body, json.dumps(list(html), ensure_ascii=False), source_text),
            sql_in(EDITABLE),
        )

    async def credit_source(self, article_id: int, source: Source) -> bool:
        """A not-yet-published post takes the origin of a forwarded text given to it (bot.core.source),
        unless it already has one; False if it is past that point."""
        return await self._update(
            article_id,
            "forward_source = COALESCE(forward_source, ?)",
            (source_to_json(source),),
            sql_in(EDITABLE),
        )

    async def set_media(
        self, article_id: int, media: Sequence[MediaItem], *, published: bool = False
    ) -> bool:
        """Replace a post's media: a draft's or not-yet-published post's, or (`published`) a published
        one's after its channel message was edited; False if it is not in that state."""
        states = {PostStatus.PUBLISHED} if published else EDITABLE
        return await self._update(article_id, "media = ?", (media_to_json(media),), sql_in(states))

    async def record_notice(self, article_id: int, chat_id: int, message_id: int) -> None:
        """Remember one editor's copy of a post's "published" notice: a reply to it corrects the post.
        The author's copy is also the post's `confirmation_message_id`."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO notice_messages (chat_id, message_id, article_id) VALUES (?, ?, ?)",
                (chat_id, message_id, article_id),
            )
            await conn.execute(
                "UPDATE articles SET confirmation_message_id = ?, updated_at = ?"
                " WHERE id = ? AND editor_chat_id = ?",
                (message_id, _now(), article_id, chat_id),
            )

    async def schedule(self, article_id: int, when: datetime) -> bool:
        """Set the publication time of a draft (or move a scheduled, failed or cancelled post) to `when`.

        Returns False if the article is publishing, published, deleted or missing."""
        return await self._update(
            article_id,
            "status = ?, scheduled_at = ?, failure_reason = NULL",
            (PostStatus.SCHEDULED, to_db_time(when)),
            sql_in(SCHEDULABLE),
        )

    async def cancel(self, article_id: int) -> bool:
        """Cancel a draft, scheduled or failed post. False if it is publishing or already published."""
        return await self._update(article_id, "status = ?", (PostStatus.CANCELLED,), sql_in(EDITABLE))

    async def claim_for_publishing(self, article_id: int, *, due_by: datetime | None = None) -> bool:
        """Atomically move a draft/scheduled/failed post to 'publishing' (attempts + 1).

        Exactly one caller gets True; any other (a second job, a double tap) gets False and must not
        send anything. A row left in 'publishing' after a crash is *uncertain*: see `list_pending`.
        With `due_by`, only a post scheduled at or before that moment is claimed (a stale job of a
        post moved to a later time claims nothing)."""
        if due_by is not None:
            async with self._transaction() as conn:
                cursor = await conn.execute(
                    "UPDATE articles SET status = ?, attempts = attempts + 1, updated_at = ?"
                    " WHERE id = ? AND deleted = 0 AND status = ? AND scheduled_at <= ?",
                    (PostStatus.PUBLISHING, _now(), article_id, PostStatus.SCHEDULED, to_db_time(due_by)),
                )
                return cursor.rowcount == 1
        return await self._update(
            article_id,
            "status = ?, attempts = attempts + 1",
            (PostStatus.PUBLISHING,),
            sql_in(EDITABLE),
        )

    async def mark_published(
        self, article_id: int, message_ids: Sequence[int], published_at: datetime, *, url: str | None = None
    ) -> bool:
        """'publishing' → 'published' with the channel message ids, and into the search index, in
        one transaction. `external_id` becomes the first message id. False if it was not publishing."""
        ids = [int(m) for m in message_ids]
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT title, body FROM articles WHERE id = ? AND status = ? AND deleted = 0",
                (article_id, PostStatus.PUBLISHING),
            )
            if not rows:
                return False
            title, body = rows[0]
            key = search_key(int(published_at.timestamp()), article_id)
            # The post is (own channel, first message id), unless that key is taken (a channel changed).
            channel = await self._own_channel(conn)
            if (
                channel is not None
                and ids
                and await conn.execute_fetchall(
                    "SELECT 1 FROM articles WHERE channel = ? AND external_id = ?", (channel, str(ids[0]))
                )
            ):
                channel = None
            await conn.execute(
                f"UPDATE articles SET status = '{PostStatus.PUBLISHED}', published_at = ?,"
                " channel_message_ids = ?,"
                " external_id = COALESCE(external_id, ?), url = COALESCE(?, url), search_key = ?,"
                " channel = COALESCE(channel, ?), failure_reason = NULL, updated_at = ? WHERE id = ?",
                (to_db_time(published_at), json.dumps(ids), str(ids[0]) if ids else None, url, key,
                 channel, _now(), article_id),
            )  # fmt: skip
            self._bot_parts.pop(channel or "", None)
            await self._index.add([IndexEntry.build(key, title, body)])
            return True

    async def record_sent_parts(self, article_id: int, message_ids: Sequence[int]) -> bool:
        """While 'publishing': the channel message ids of the parts that certainly went out so far,
        so a publication cut off by a crash resumes after them instead of sending them twice."""
        return await self._update(
            article_id, "channel_message_ids = ?", (json.dumps([int(m) for m in message_ids]),),
            sql_in({PostStatus.PUBLISHING}),
        )  # fmt: skip

    async def mark_failed(self, article_id: int, reason: str) -> bool:
        """'publishing' → 'failed' with the reason (shown to the editor); the post stays recoverable."""
        return await self._update(
            article_id,
            "status = ?, failure_reason = ?",
            (PostStatus.FAILED, reason),
            sql_in({PostStatus.PUBLISHING}),
        )

    async def revert_to_scheduled(self, article_id: int, when: datetime | None = None) -> bool:
        """'publishing' or 'failed' → 'scheduled' (at `when`, or the old time): the editor chose to
        retry an uncertain or failed post. False in any other state."""
        sets = "status = ?" + (", scheduled_at = ?" if when else "")
        params = (PostStatus.SCHEDULED, to_db_time(when)) if when else (PostStatus.SCHEDULED,)
        return await self._update(
            article_id, sets, params, sql_in({PostStatus.PUBLISHING, PostStatus.FAILED})
        )

    async def update_published_content(
        self, article_id: int, title: str, body: str, html: Sequence[str]
    ) -> bool:
        """Replace the text of a published post and re-index it, in one transaction."""
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT search_key, title, body FROM articles WHERE id = ? AND {_LIVE}", (article_id,)
            )
            if not rows:
                return False
            key, old_title, old_body = rows[0]
            await conn.execute(
                "UPDATE articles SET title = ?, body = ?, html = ?, updated_at = ? WHERE id = ?",
                (title, body, json.dumps(list(html), ensure_ascii=False), _now(), article_id),
            )
            if key is not None:
                await self._index.remove([IndexEntry.build(key, old_title, old_body)])
                await self._index.add([IndexEntry.build(key, title, body)])
            return True

    async def mark_deleted(self, article_id: int) -> bool:
        """Flag a published post deleted (e.g. after /delete) and take it out of search."""
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT search_key, title, body FROM articles WHERE id = ? AND {_LIVE}", (article_id,)
            )
            if not rows:
                return False
            key, title, body = rows[0]
            await conn.execute(
                "UPDATE articles SET deleted = 1, search_key = NULL, updated_at = ? WHERE id = ?",
                (_now(), article_id),
            )
            if key is not None:
                await self._index.remove([IndexEntry.build(key, title, body)])
            return True

    async def _update(self, article_id: int, sets: str, params: Sequence, condition: str = "1") -> bool:
        async with self._transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE articles SET {sets}, updated_at = ? WHERE id = ? AND deleted = 0 AND ({condition})",
                (*params, _now(), article_id),
            )
            return cursor.rowcount == 1

    # --- reading -----------------------------------------------------------------------------------

    async def get(self, article_id: int) -> Article | None:
        """One article by id, in any state, or None."""
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        )
        return Article.from_row(rows[0]) if rows else None

    async def find_by_notice(self, chat_id: int, message_id: int) -> Article | None:
        """The article whose "published" notice is `message_id` in the editor chat `chat_id`."""
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM articles WHERE id ="
            " (SELECT article_id FROM notice_messages WHERE chat_id = ? AND message_id = ?)",
            (chat_id, message_id),
        )
        return Article.from_row(rows[0]) if rows else None

    async def find_by_source(self, chat_id: int, message_id: int) -> Article | None:
        """The post made from the editor's message `message_id` in chat `chat_id` (for its edits)."""
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM articles WHERE editor_chat_id = ? AND source_message_id = ?"
            " ORDER BY id DESC LIMIT 1",
            (chat_id, message_id),
        )
        return Article.from_row(rows[0]) if rows else None

    async def list_drafts(self) -> list[Article]:
        """Drafts and failed posts (neither scheduled nor sent), newest first (for /drafts)."""
        return await self._select(
            f"{sql_in({PostStatus.DRAFT, PostStatus.FAILED})} AND deleted = 0 ORDER BY id DESC"
        )

    async def list_scheduled(self) -> list[Article]:
        """Scheduled posts, soonest first (for /queue)."""
        return await self._select(
            f"{sql_in({PostStatus.SCHEDULED})} AND deleted = 0 ORDER BY scheduled_at, id"
        )

    async def list_pending(self) -> list[Article]:
        """Every 'scheduled' and 'publishing' post, for re-arming jobs at start-up. A 'publishing'
        row means a crash mid-send: the post may or may not be in the channel — ask the editor."""
        return await self._select(f"{sql_in(PENDING)} AND deleted = 0 ORDER BY scheduled_at, id")

    async def list_publishing(self) -> list[Article]:
        """Posts left in 'publishing': at start-up, each was cut off mid-send by a crash (uncertain)."""
        return await self._select(
            f"{sql_in({PostStatus.PUBLISHING})} AND deleted = 0 ORDER BY scheduled_at, id"
        )

    async def list_due(self, now: datetime) -> list[Article]:
        """Scheduled posts whose time is at or before `now`, oldest first."""
        return await self._select(
            f"{sql_in({PostStatus.SCHEDULED})} AND deleted = 0 AND scheduled_at <= ?"
            " ORDER BY scheduled_at, id",
            (to_db_time(now),),
        )

    async def next_scheduled_at(self, not_before: datetime) -> datetime | None:
        """The earliest time of a scheduled post at or after `not_before` (the scheduler's next wake-up)."""
        rows = await self._conn.execute_fetchall(
            f"SELECT min(scheduled_at) FROM articles WHERE {sql_in({PostStatus.SCHEDULED})} AND deleted = 0"
            " AND scheduled_at >= ?",
            (to_db_time(not_before),),
        )
        return from_db_time(rows[0][0])

    async def scheduled_times(self, start: datetime, end: datetime) -> list[datetime]:
        """Times taken by scheduled or publishing posts in [start, end), sorted (for "next free slot")."""
        rows = await self._conn.execute_fetchall(
            f"SELECT scheduled_at FROM articles WHERE {sql_in(PENDING)} AND deleted = 0"
            " AND scheduled_at >= ? AND scheduled_at < ? ORDER BY scheduled_at",
            (to_db_time(start), to_db_time(end)),
        )
        return [from_db_time(r[0]) for r in rows]  # type: ignore[misc]

    async def latest(self, limit: int = 10, offset: int = 0) -> list[Article]:
        """Published, not deleted articles, newest first."""
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM articles WHERE search_key IS NOT NULL AND {_LIVE_ROW}"
            " ORDER BY search_key DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [Article.from_row(r) for r in rows]

    async def count_published(self) -> int:
        """How many articles are searchable."""
        rows = await self._conn.execute_fetchall(f"SELECT count(*) FROM articles WHERE {_LIVE}")
        return rows[0][0]

    async def _select(self, where: str, params: Sequence = ()) -> list[Article]:
        rows = await self._conn.execute_fetchall(f"SELECT {_COLUMNS} FROM articles WHERE {where}", params)
        return [Article.from_row(r) for r in rows]

    # --- search ------------------------------------------------------------------------------------

    async def search(
        self, query: str, limit: int = 10, offset: int = 0, *, now: datetime | None = None,
        newest: bool = False,
    ) -> SearchResult:  # fmt: skip
        """Search published articles with the query language of `bot.text.query`: every word must
        match (the last one also as a prefix); when no article holds them all, those holding the most
        come back with `partial=True`. `newest`: newest first instead of the most relevant. Any string
        is safe to pass. `now` anchors the recency boost and `امروز` (default: the current time)."""
        now_epoch = (now or datetime.now(UTC)).timestamp()
        args = (self._reader_key, query, max(0, limit), max(0, offset), now_epoch, newest)
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
        sql = f"SELECT search_key, title, body FROM articles WHERE {where} AND {_LIVE_ROW}{order}"
        return await self._conn.execute_fetchall(sql, params)  # type: ignore[return-value]

    def log_search(
        self, query: str, *, results: int, partial: bool, ms: float, kind: str = "search",
        user_id: int | None = None,
    ) -> None:  # fmt: skip
        """Record one search (kind: 'search', 'inline', 'cli'…) for later tuning; query cut to 200 chars.

        Entries are written together at most SEARCH_LOG_SECONDS later (at once when SEARCH_LOG_BATCH
        are waiting, and at close): a transaction per search cost a busy bot 1.6 ms of CPU per
        search. A crash loses at most those seconds of the log, never anything else."""
        self._search_log.append((_now(), user_id, kind, query[:200], results, int(partial), ms))
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

    # --- editors between messages ------------------------------------------------------------------

    async def await_input(
        self, user_id: int, kind: Literal["time", "edit"], article_id: int, *, since: datetime | None = None
    ) -> None:
        """Remember that `user_id`'s next message is a typed time or a corrected text for a post
        (`since`: the moment the wait began, on the caller's clock; default now)."""
        began = to_db_time(since) if since is not None else _now()
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO editor_waits (user_id, kind, article_id, since) VALUES (?, ?, ?, ?)",
                (user_id, kind, article_id, began),
            )

    async def awaited_input(self, user_id: int) -> tuple[Literal["time", "edit"], int, datetime] | None:
        """What `user_id`'s next message is awaited as, for which post, and since when; None if nothing."""
        rows = await self._conn.execute_fetchall(
            "SELECT kind, article_id, since FROM editor_waits WHERE user_id = ?", (user_id,)
        )
        if not rows:
            return None
        kind, article_id, since = rows[0]
        return kind, article_id, from_db_time(since)  # type: ignore[return-value]

    async def stop_awaiting_input(self, user_id: int) -> None:
        """Forget what `user_id`'s next message was awaited as."""
        async with self._transaction() as conn:
            await conn.execute("DELETE FROM editor_waits WHERE user_id = ?", (user_id,))

    async def hold_correction(self, article_id: int, title: str, body: str, html: Sequence[str]) -> None:
        """Keep a corrected text of a published post until the editor says whether to apply it."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO pending_corrections (article_id, title, body, html, since)"
                " VALUES (?, ?, ?, ?, ?)",
                (article_id, title, body, json.dumps(list(html), ensure_ascii=False), _now()),
            )

    async def take_correction(self, article_id: int) -> tuple[str, str, list[str]] | None:
        """The held correction of a post (title, body, html), removed from the waiting list."""
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT title, body, html FROM pending_corrections WHERE article_id = ?", (article_id,)
            )
            await conn.execute("DELETE FROM pending_corrections WHERE article_id = ?", (article_id,))
        if not rows:
            return None
        title, body, html = rows[0]
        return title, body, json.loads(html)

    async def remember_language(self, user_id: int, lang: str) -> None:
        """Record the language an editor's Telegram is set to."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO editor_languages (user_id, lang) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang",
                (user_id, lang),
            )

    async def language_of(self, user_id: int) -> str | None:
        """The language last recorded for an editor, if any."""
        rows = await self._conn.execute_fetchall(
            "SELECT lang FROM editor_languages WHERE user_id = ?", (user_id,)
        )
        return rows[0][0] if rows else None

    # --- channels ----------------------------------------------------------------------------------

    async def remember_channel(self, chat_id: int | str, handle: str | None, *, own: bool = False) -> None:
        """Record a channel: its Bot API id and its public @handle (without @), if any. `own`: the
        channel the bot publishes to; its published posts then carry its key, so an export of it
        recognizes them."""
        key = str(chat_id)
        async with self._transaction() as conn:
            if own:
                await conn.execute("UPDATE channels SET own = 0 WHERE own = 1 AND chat_id != ?", (key,))
            await conn.execute(
                "INSERT INTO channels (chat_id, handle, own) VALUES (?, ?, ?) ON CONFLICT (chat_id)"
                " DO UPDATE SET handle = excluded.handle, own = max(channels.own, excluded.own)",
                (key, handle or None, int(own)),
            )
            if own:  # posts published before the bot knew its channel's id (OR IGNORE: a key taken)
                await conn.execute(
                    "UPDATE OR IGNORE articles SET channel = ? WHERE source = 'bot' AND channel IS NULL"
                    " AND external_id IS NOT NULL",
                    (key,),
                )
        self._bot_parts.clear()

    @staticmethod
    async def _own_channel(conn: aiosqlite.Connection) -> str | None:
        rows = await conn.execute_fetchall("SELECT chat_id FROM channels WHERE own = 1")
        return rows[0][0] if rows else None

    async def own_channel(self) -> str | None:
        """The key of the channel the bot publishes to, once it has learned it."""
        return await self._own_channel(self._conn)

    async def channel_handles(self) -> dict[str, str]:
        """The public @handles (without @) of the channels recorded, by channel key."""
        rows = await self._conn.execute_fetchall(
            "SELECT chat_id, handle FROM channels WHERE handle IS NOT NULL"
        )
        return dict(rows)  # type: ignore[arg-type]

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
            now = _now()
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

    async def for_bulk_import(self) -> None:
        """Set this connection up for a command-line import: a smaller page cache. An import writes at
        the ends of its tables and indexes (ids, search keys and export ids come in publication order;
        FTS5 writes and merges its segments in sequence), so the 64 MB a bot's connection keeps for
        its lookups only held the last pages written: 65 MB of the importer's 260 at 100k articles,
        no faster."""
        await self._conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KB}")

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


# --- the search side: one read-only connection per database file in the thread or process that searches


_ReaderKey = tuple[Path, int]
_readers: dict[_ReaderKey, sqlite3.Connection] = {}
_reader_numbers = count()


def _reader(key: _ReaderKey) -> sqlite3.Connection:
    reader = _readers.get(key)
    if reader is None:
        reader = _readers[key] = sqlite3.connect(key[0], check_same_thread=False)
        reader.execute("PRAGMA busy_timeout = 5000")
        reader.execute("PRAGMA cache_size = -65536")
        reader.execute("PRAGMA query_only = ON")
    return reader


def _close_reader(key: _ReaderKey) -> None:
    reader = _readers.pop(key, None)
    if reader is not None:
        reader.close()


def _search(
    key: _ReaderKey, query: str, limit: int, offset: int, now_epoch: float, newest: bool = False
) -> SearchResult:
    """The whole search, where the searcher runs: rank, fetch the hits, keep those holding the exact
    phrases asked for, cut their snippets."""
    reader = _reader(key)
    parsed = parse_query(query, today=datetime.fromtimestamp(now_epoch, SEARCH_TZ).date())
    searcher = SearchReader(reader)
    if parsed.phrases:  # checked on the text: ranked deeper, then paged among those that hold them
        ranked = searcher.rank(parsed, PHRASE_TITLES, 0, now_epoch, newest=newest)
    else:
        ranked = searcher.rank(parsed, limit, offset, now_epoch, newest=newest)
    if not ranked.keys:
        return SearchResult([], ranked.partial, parsed.truncated, ranked.matched_terms, parsed.only_excluded)
    if parsed.phrases:  # a few hits at a time, until the page is full: most queries stop at the first
        found: list[tuple[Sequence, float]] = []
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
    return SearchResult(hits, ranked.partial, parsed.truncated, ranked.matched_terms)


def _hit_rows(reader: sqlite3.Connection, keys: Sequence[tuple[int, float]]) -> list[tuple[Sequence, float]]:
    """The live articles behind ranked keys, in rank order, with their scores."""
    marks = ",".join("?" * len(keys))
    # The title's index terms come along from search_docs: no analysis to learn if it holds a match.
    rows = reader.execute(
        "SELECT search_key, id, external_id, articles.title, body, published_at, url, channel_message_ids,"
        " d.title, json_extract(media, '$[0][0]') FROM articles JOIN search_docs AS d ON d.key = search_key"
        f" WHERE search_key IN ({marks})"
        f" AND {_LIVE_ROW}",
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


class DatabaseUnusable(Exception):
    """The database cannot be used: not a newsdesk file, a newer schema, locked, read-only, disk full…
    The message is one line for a person."""


def _newer_schema(version: int) -> str:
    return f"made by a newer newsdesk (schema {version}, this one knows {len(MIGRATIONS)}): upgrade newsdesk"


def _check_newsdesk_file(path: Path) -> None:
    """Refuse, before anything is written, a file that is not a newsdesk database (or is a newer one).
    A missing or empty file is fine: it becomes a new database."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return
        with path.open("rb") as stream:
            header = stream.read(16)
    except OSError as exc:
        raise DatabaseUnusable(f"cannot read it ({exc.strerror or exc})") from None
    if header != b"SQLite format 3\x00":
        raise DatabaseUnusable("not a newsdesk database (not an SQLite file); left untouched")
    try:
        reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            (version,) = reader.execute("PRAGMA user_version").fetchone()
            tables = {r[0] for r in reader.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            reader.close()
    except sqlite3.Error as exc:
        raise DatabaseUnusable(sqlite_problem(exc)) from None
    if version > len(MIGRATIONS):
        raise DatabaseUnusable(_newer_schema(version))
    if (version == 0 and tables) or (version > 0 and "articles" not in tables):
        raise DatabaseUnusable("not a newsdesk database (an SQLite file with other tables); left untouched")


async def _writable(conn: aiosqlite.Connection) -> bool:
    """Whether SQLite opened the file for writing (it falls back to reading a file it cannot write)."""
    try:
        await conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            return False
        raise
    await conn.execute("ROLLBACK")
    return True


def sqlite_problem(exc: sqlite3.Error) -> str:
    """One line saying what went wrong with the database file."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return "locked by another program for more than 5 seconds; try again when it is done"
    if "readonly" in text or "read-only" in text:
        return "read-only: newsdesk cannot write to it"
    if "full" in text:
        return "the disk is full (nothing was lost: the last transaction was rolled back)"
    if "not a database" in text or "malformed" in text:
        return f"not a newsdesk database, or a damaged one ({text})"
    if "unable to open" in text:
        return "cannot open it (is the folder there and writable?)"
    return text


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (none of ours has a ';' inside a literal)."""
    return [s.strip() for s in script.split(";") if s.strip()]


class _Opener:
    """Makes `Database.open(path)` work both awaited and as an async context manager."""

    def __init__(self, cls: type[Database], path: Path, search_in: SearchIn) -> None:
        self._cls, self._path, self._search_in, self._db = cls, path, search_in, None

    def __await__(self):
        return self._cls._connect(self._path, self._search_in).__await__()

    async def __aenter__(self) -> Database:
        self._db = await self._cls._connect(self._path, self._search_in)
        return self._db

    async def __aexit__(self, *exc: object) -> None:
        if self._db is not None:
            await self._db.close()
