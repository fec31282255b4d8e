"""The archive's search service as programs other than the bot meet it: the database opened for
reading, one query, or many timed one by one. Any reason the archive cannot be searched — not there,
not newsdesk's, corrupted, locked longer than SQLite waits, a full disk — is one line,
`DatabaseUnusable`, naming the file. Opened for reading, it takes no write lock: under WAL a writer in
another process (an import, the bot) never holds a search up, and a read-only file system is fine.

The bot searches through the same `Database.search` (its handlers hold the open database); the
command line and the benchmarks come here, so opening and timing are the same for all of them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, tzinfo
from pathlib import Path

from bot.text.query import parse_query
from storage.database import Database, DatabaseUnusable, SearchIn, SearchResult, sqlite_problem


async def open_database(db_path: Path, *, search_in: SearchIn = "thread", reading: bool = False) -> Database:
    """The archive at `db_path` (`reading`: only to search it, see `Database.open`); any reason it
    cannot be used is a one-line DatabaseUnusable naming it."""
    try:
        return await Database.open(db_path, search_in=search_in, reading=reading)
    except DatabaseUnusable as exc:
        raise DatabaseUnusable(f"{db_path}: {exc}") from None
    except OSError as exc:
        raise DatabaseUnusable(f"{db_path}: cannot open the database ({exc.strerror or exc})") from None


async def _open_existing(db_path: Path) -> Database:
    if not db_path.is_file():
        raise DatabaseUnusable(f"{db_path}: no archive there yet (run newsdesk import first, or pass --db)")
    return await open_database(db_path, search_in="caller", reading=True)  # one search at a time: no hop


async def search_once(
    db_path: Path, query: str, limit: int, *, newest: bool = False, tz: tzinfo = UTC
) -> SearchResult:
    """One search of the archive at `db_path`; `tz` (the TIMEZONE setting): where typed dates' days run."""
    async with await _open_existing(db_path) as db, _told(db_path):
        return await db.search(query, limit, newest=newest, tz=tz)


async def search_each(
    db_path: Path, queries: Iterable[str], limit: int, *, newest: bool = False, tz: tzinfo = UTC
) -> AsyncIterator[tuple[str, float, SearchResult]]:
    """(query, milliseconds the search itself took, result) for each query, the index opened once."""
    async with await _open_existing(db_path) as db:
        parse_query("خبر")  # the analyzer loads its lexicon once per process, not inside a timed search
        for query in queries:
            started = time.perf_counter()
            async with _told(db_path):
                result = await db.search(query, limit, newest=newest, tz=tz)
            yield query, (time.perf_counter() - started) * 1000, result


@asynccontextmanager
async def _told(db_path: Path) -> AsyncIterator[None]:
    """An SQLite error met while searching (a page found corrupted, a lock held too long, a disk that
    fails) as the one line that says it."""
    try:
        yield
    except sqlite3.Error as exc:
        raise DatabaseUnusable(f"{db_path}: {sqlite_problem(exc, db_path)}") from None
