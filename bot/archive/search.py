"""The archive's search service as programs other than the bot meet it: the database opened for
reading (any reason it cannot be is one line, `DatabaseUnusable`), one query, or many timed one by one.

The bot searches through the same `Database.search` (its handlers hold the open database); the
command line and the benchmarks come here, so opening and timing are the same for all of them.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from bot.text.query import parse_query
from storage.database import Database, DatabaseUnusable, SearchIn, SearchResult


async def open_database(db_path: Path, *, search_in: SearchIn = "thread") -> Database:
    """The archive at `db_path`; any reason it cannot be used is a one-line DatabaseUnusable naming it."""
    try:
        return await Database.open(db_path, search_in=search_in)
    except DatabaseUnusable as exc:
        raise DatabaseUnusable(f"{db_path}: {exc}") from None
    except OSError as exc:
        raise DatabaseUnusable(f"{db_path}: cannot open the database ({exc.strerror or exc})") from None


async def _open_existing(db_path: Path) -> Database:
    if not db_path.is_file():
        raise DatabaseUnusable(f"{db_path}: no archive there yet (run newsdesk import first, or pass --db)")
    return await open_database(db_path, search_in="caller")  # one search at a time: no hop


async def search_once(db_path: Path, query: str, limit: int, *, newest: bool = False) -> SearchResult:
    """One search of the archive at `db_path`."""
    async with await _open_existing(db_path) as db:
        return await db.search(query, limit, newest=newest)


async def search_each(
    db_path: Path, queries: Iterable[str], limit: int, *, newest: bool = False
) -> AsyncIterator[tuple[str, float, SearchResult]]:
    """(query, milliseconds the search itself took, result) for each query, the index opened once."""
    async with await _open_existing(db_path) as db:
        parse_query("خبر")  # the analyzer loads its lexicon once per process, not inside a timed search
        for query in queries:
            started = time.perf_counter()
            result = await db.search(query, limit, newest=newest)
            yield query, (time.perf_counter() - started) * 1000, result
