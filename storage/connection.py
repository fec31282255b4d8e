"""The database file and the one connection every part of `storage.database.Database` writes through.

`Connection` opens the file (refusing one that is not newsdesk's or is a newer one, opening read-only a
file this process may not write), sets WAL, a busy timeout and foreign keys, applies pending migrations
(`storage.migrations`) and starts the search index's rebuild when the analyzer changed. Every write runs
in a `BEGIN IMMEDIATE` transaction under one asyncio lock (`_transaction`), so coroutines sharing the
connection never interleave inside each other's transactions. Searches read through a connection of
their own, one per database file in the thread or process that searches (`reader_for`).

All times cross the storage API as timezone-aware datetimes and are stored as UTC text (`to_db_time`).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Literal, Self

import aiosqlite

from bot.core.workers import stop_pool, worker_pool
from bot.text.query import parse_query
from storage.migrations import MIGRATIONS
from storage.search import SearchIndex
from storage.states import LIVE

type SearchIn = Literal["thread", "process", "caller"]
IMPORT_CACHE_KB = 16_384  # the page cache of a connection that only imports (see `for_bulk_import`)


def to_db_time(moment: datetime) -> str:
    """A timezone-aware datetime as stored: UTC ISO-8601 with seconds."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware one")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db_time(text: str | None) -> datetime | None:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def system_now() -> datetime:
    """The machine's clock: the database's until the wiring gives it the bot's (`Connection.clock`)."""
    return datetime.now(UTC)


class Connection:
    """The connection, its write lock, the search index's writer, the searcher and the schema: what the
    parts of `storage.database.Database` share. `Database` composes it with those parts; the search
    part (`storage.search_index.SearchArchive`) supplies `reindex_search` and `_finish_writes`."""

    def __init__(
        self, conn: aiosqlite.Connection, path: Path, search_in: SearchIn = "thread", file_mode: str = ""
    ) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._index = SearchIndex(conn)
        # Searches read through a connection of their own (WAL lets it read while the main connection
        # writes), each search in a single hop: in a thread of their own; for a busy bot in a process
        # of their own, where the search's Python work does not wait for the interpreter lock that
        # the event loop's thread holds while it handles other updates; for a program that does one
        # thing at a time (the command line) in the caller, sparing the hop.
        self._path = path
        # Each Database its own reading connection, opened as the main one was (see `_open_file`).
        self._reader_key: ReaderKey = (path, next(_reader_numbers), file_mode)
        self._search_in = search_in
        self._searcher = self._new_searcher()
        self._reindexing: asyncio.Task | None = None  # the search index being built for a new analyzer
        # The message ids of the bot's own posts per channel, for the import's duplicate check: a post
        # published or a channel learned drops them (storage.posts, storage.desk_state).
        self._bot_parts: dict[str, frozenset[str]] = {}
        self.read_only = False  # opened from a file newsdesk may not write: it can only be searched
        # The bot's idea of now (bot.app sets it): every time stored here, which the desk shows
        # (/drafts lists posts by their last change), is on the clock the rest of the bot runs on.
        self.clock: Callable[[], datetime] = system_now

    def _now(self) -> str:
        """The current moment on `clock`, as stored."""
        return to_db_time(self.clock())

    # --- lifecycle -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, search_in: SearchIn = "thread", reading: bool = False) -> _Opener:
        """Open (creating if needed) the database at `path`: `db = await Database.open(p)` or
        `async with Database.open(p) as db:`. Applies migrations; creates the parent directory.
        `search_in`: where searches run — "thread", "process" (started at once, in the background)
        or "caller" (blocking the event loop: only for programs with nothing else to do).
        `reading`: only to search an existing archive (`newsdesk search`): no write lock is taken, so
        under WAL a writer in another process never holds it up; an archive that needs upgrading is
        opened for writing after all."""
        return _Opener(cls, Path(path), search_in, reading)

    @classmethod
    async def _connect(cls, path: Path, search_in: SearchIn = "thread", reading: bool = False) -> Self:
        if str(path) == ":memory:" or str(path).startswith("file:"):
            raise DatabaseUnusable("needs a database file, not an in-memory one (searches open it twice)")
        _check_newsdesk_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnusable(f"cannot create {path.parent} ({exc.strerror or exc})") from None
        try:
            _create_private(path)
        except OSError as exc:
            raise DatabaseUnusable(f"cannot create it ({exc.strerror or exc})") from None
        # A file this process may not write (its mode, a read-only mount, an immutable flag) is opened
        # read-only: it can be searched, and nothing at all is written to it.
        read_only = path.exists() and not os.access(path, os.W_OK)
        reading = reading and path.exists()
        try:
            conn, file_mode = await _open_file(path, read_only)
        except sqlite3.Error as exc:
            raise DatabaseUnusable(sqlite_problem(exc, path)) from None
        try:
            # Foreign keys stay off while migrating: rebuilding a table (migration 5) must not cascade.
            await conn.execute("PRAGMA busy_timeout = 5000")
            await conn.execute("PRAGMA foreign_keys = OFF")
            writable = not read_only and not reading and await _writable(conn)
            if writable:
                await conn.execute("PRAGMA journal_mode = WAL")
                await conn.execute("PRAGMA synchronous = NORMAL")
            else:
                await conn.execute("PRAGMA query_only = ON")
            await conn.execute("PRAGMA cache_size = -65536")  # 64 MB: big imports touch large indexes
        except sqlite3.Error as exc:
            await conn.close()
            raise DatabaseUnusable(sqlite_problem(exc, path)) from None
        db = cls(conn, path, search_in, file_mode)
        db.read_only = not writable
        try:
            if reading and not read_only and await db._needs_upgrade():
                await conn.close()
                db._searcher.shutdown(wait=False)
                return await cls._connect(path, search_in)  # upgraded first: that one write waits its turn
            await db._migrate(writable)
            await conn.execute("PRAGMA foreign_keys = ON")
            db._warm_searcher()
        except BaseException as exc:
            # Nothing started is left behind: no search thread or process outlives a failed open.
            db._searcher.shutdown(wait=False, cancel_futures=True)
            await conn.close()
            if isinstance(exc, sqlite3.Error):
                raise DatabaseUnusable(sqlite_problem(exc, path)) from None
            raise
        return db

    async def _needs_upgrade(self) -> bool:
        """Whether the schema or the search index's documents wait for a write (see `_migrate`)."""
        (version,) = (await self._conn.execute_fetchall("PRAGMA user_version"))[0]
        return version < len(MIGRATIONS) or await self._index.docs_pending()

    async def close(self) -> None:
        """Write the pending search log and close the connections (waits for a running statement or
        search); closing twice is fine."""
        await self._finish_writes()  # type: ignore[attr-defined]
        if self._search_in == "caller":
            close_reader(self._reader_key)
        elif self._search_in == "thread":  # a worker process closes its connection as it exits
            loop = asyncio.get_running_loop()
            with suppress(RuntimeError):  # closed before
                await loop.run_in_executor(self._searcher, close_reader, self._reader_key)
        if self._search_in == "process":  # it only reads: a search or its warm-up is not waited for
            stop_pool(self._searcher)
        else:
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
            self._reindexing = asyncio.create_task(self.reindex_search())  # type: ignore[attr-defined]
        if await self._index.docs_pending():
            async with self._transaction() as conn:
                cursor = await conn.execute(
                    "SELECT a.search_key, a.title, d.sz FROM articles AS a"
                    f" JOIN search_index_docsize AS d ON d.id = a.search_key WHERE {LIVE}"
                )
                await self._index.fill_docs(cursor)  # type: ignore[arg-type]

    async def for_bulk_import(self) -> None:
        """Set this connection up for a command-line import: a smaller page cache. An import writes at
        the ends of its tables and indexes (ids, search keys and export ids come in publication order;
        FTS5 writes and merges its segments in sequence), so the 64 MB a bot's connection keeps for
        its lookups only held the last pages written: 65 MB of the importer's 260 at 100k articles,
        no faster."""
        await self._conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KB}")


# --- the search side: one read-only connection per database file in the thread or process that searches


type ReaderKey = tuple[Path, int, str]  # the file, a number per Database, how it is opened (`_open_file`)
_readers: dict[ReaderKey, sqlite3.Connection] = {}
_reader_numbers = count()


def reader_for(key: ReaderKey) -> sqlite3.Connection:
    """The reading connection of `key` in this thread or process (opened on first use)."""
    conn = _readers.get(key)
    if conn is None:
        path, _, file_mode = key
        target = f"{path.resolve().as_uri()}?{file_mode}" if file_mode else path
        conn = _readers[key] = sqlite3.connect(target, uri=bool(file_mode), check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA query_only = ON")
    return conn


def _create_private(path: Path) -> None:
    """Make a new database file readable by its owner only (0600, whatever the umask): it holds
    subscribers' ids and queries. SQLite gives its -wal and -shm files the database file's mode."""
    with suppress(FileExistsError):  # an existing file keeps the mode its owner gave it
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def close_reader(key: ReaderKey) -> None:
    """Close the reading connection of `key` here, if it was opened."""
    conn = _readers.pop(key, None)
    if conn is not None:
        conn.close()


async def _open_file(path: Path, read_only: bool) -> tuple[aiosqlite.Connection, str]:
    """The connection to `path` and how it was opened: "" as usual, "mode=ro" for a file this process
    may not write, "immutable=1" on a read-only file system where SQLite cannot make the WAL's shared
    memory file beside it (nobody can write there: nothing changes under the reader), and only when no
    WAL content waits beside it (that would be passed over)."""
    if not read_only:
        return await aiosqlite.connect(path, isolation_level=None), ""
    uri = path.resolve().as_uri()
    conn = await aiosqlite.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
    try:
        await conn.execute("SELECT count(*) FROM sqlite_master")  # the WAL's files are met here
        return conn, "mode=ro"
    except sqlite3.OperationalError:
        await conn.close()
        if not _read_only_folder(path):
            raise
    return await aiosqlite.connect(f"{uri}?immutable=1", uri=True, isolation_level=None), "immutable=1"


def _read_only_folder(path: Path) -> bool:
    """Whether `path`'s folder is on a read-only file system (or not writable to us) and `path` has no
    WAL content beside it."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    return not os.access(path.parent, os.W_OK) or bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)


# --- what can go wrong with the file


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
        try:
            version, tables = _schema(path, "mode=ro")
        except sqlite3.OperationalError:
            if not _read_only_folder(path):
                raise
            version, tables = _schema(path, "immutable=1")  # see `_open_file`
    except sqlite3.Error as exc:
        raise DatabaseUnusable(sqlite_problem(exc, path)) from None
    if version > len(MIGRATIONS):
        raise DatabaseUnusable(_newer_schema(version))
    if (version == 0 and tables) or (version > 0 and "articles" not in tables):
        raise DatabaseUnusable("not a newsdesk database (an SQLite file with other tables); left untouched")


def _schema(path: Path, file_mode: str) -> tuple[int, set[str]]:
    """The schema version and the tables of the database at `path`, read without writing anything."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{file_mode}", uri=True, timeout=5)
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    return version, tables


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


DISK_FULL = "the disk is full: free some space (nothing written was lost: a transaction cut short is undone)"


def sqlite_problem(exc: sqlite3.Error, path: Path | None = None) -> str:
    """One line saying what went wrong with the database file (at `path`, if known: a disk I/O error
    on a full disk is said to be the full disk)."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return "locked by another program for more than 5 seconds; try again when it is done"
    if "readonly" in text or "read-only" in text:
        return "read-only: newsdesk cannot write to it"
    if "full" in text or ("disk I/O error" in text and path is not None and _disk_full(path)):
        return DISK_FULL
    if "disk I/O error" in text:
        return "the disk or its file system failed to read or write it (disk I/O error): check the disk"
    if "malformed" in text or "vtable constructor failed" in text or "corrupt" in text:
        return f"corrupted: SQLite finds the file damaged ({text}); restore it from a backup"
    if "not a database" in text:
        return f"not a newsdesk database, or a damaged one ({text})"
    if "unable to open" in text:
        return "cannot open it (is the folder there and writable?)"
    return text


def _disk_full(path: Path) -> bool:
    """Whether the file system holding `path` has (next to) no room left for us."""
    try:
        stats = os.statvfs(path.parent)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < 64 * 1024


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (none of ours has a ';' inside a literal)."""
    return [s.strip() for s in script.split(";") if s.strip()]


class _Opener:
    """Makes `Database.open(path)` work both awaited and as an async context manager."""

    def __init__(self, cls: type[Connection], path: Path, search_in: SearchIn, reading: bool) -> None:
        self._cls, self._path, self._search_in, self._reading, self._db = cls, path, search_in, reading, None

    def __await__(self):
        return self._cls._connect(self._path, self._search_in, self._reading).__await__()

    async def __aenter__(self):
        self._db = await self._cls._connect(self._path, self._search_in, self._reading)
        return self._db

    async def __aexit__(self, *exc: object) -> None:
        if self._db is not None:
            await self._db.close()
