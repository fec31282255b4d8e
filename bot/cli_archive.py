"""`newsdesk import` and `newsdesk search`: the archive from the command line (contract in DESIGN.md).

How: both open the database once (`--db`, else the `DATABASE_PATH` setting) and run one asyncio loop.
Import streams the file through `bot.importers` in batches of IMPORT_BATCH records, with a tqdm bar
on a terminal only, and ends with one summary line. Search prints readable text, a JSON list
(`--json`), or JSON Lines for a file of queries (`--batch`, timing each search itself).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import BinaryIO

from tqdm import tqdm

from bot.importers import Malformed, NotAnArchive, Skipped, detect_format, read_archive
from bot.inputs import UsageError, open_binary
from bot.text.query import parse_query
from bot.workers import worker_pool
from storage.database import Database, ImportCounts, ImportRecord, SearchHit, SearchResult
from storage.search import index_texts_batch

IMPORT_BATCH = 5000
WORKER_MIN_BYTES = 8 << 20
MAX_LIMIT = 100
MAX_REPORTED_PROBLEMS = 5


def database_path(args: argparse.Namespace) -> Path:
    """`--db` if given, else the DATABASE_PATH setting (environment or .env)."""
    if args.db:
        return Path(args.db)
    from bot.config import load_settings

    return load_settings().database_path


# --- import ----------------------------------------------------------------------------------------


class _Progress:
    """A binary file whose reads advance a progress bar."""

    def __init__(self, stream: BinaryIO, bar: tqdm) -> None:
        self._stream, self._bar = stream, bar

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._bar.update(len(data))
        return data

    def readline(self) -> bytes:
        line = self._stream.readline()
        self._bar.update(len(line))
        return line


def cmd_import(args: argparse.Namespace) -> int:
    """Import a Telegram Desktop export or JSON Lines file; print what was imported, skipped, malformed."""
    stream, size = open_binary(args.file)
    with stream:
        head = stream.read(64 * 1024)
        if not head.strip():
            raise UsageError(f"{args.file}: the file is empty")
        try:
            fmt = detect_format(head)
        except NotAnArchive as exc:
            raise UsageError(f"{args.file}: {exc}") from None
        stream.seek(0)
        bar = tqdm(total=size, unit="B", unit_scale=True, desc="import", leave=False,
                   disable=not sys.stderr.isatty())  # fmt: skip
        with bar:
            counts = asyncio.run(_import(_Progress(stream, bar), fmt, database_path(args), args.file, size))
    print(
        f"imported {counts['imported']:,}, skipped {counts['duplicates'] + counts['skipped']:,}"
        f" (already archived {counts['duplicates']:,}, service or empty {counts['skipped']:,}),"
        f" malformed {counts['malformed']:,}"
    )
    return 0


async def _import(stream, fmt: str, db_path: Path, name: str, size: int) -> dict[str, int]:
    counts = dict.fromkeys(("imported", "duplicates", "skipped", "malformed"), 0)
    try:
        db = await Database.open(db_path)
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"{db_path}: cannot open the database ({exc})") from None
    # A big file's analysis runs in a second process, so parsing and SQL (this process) and analysis
    # use both cores; a small file is not worth a process start.
    pool = worker_pool() if size >= WORKER_MIN_BYTES else None
    pipeline = _ImportPipeline(db, pool, counts)
    async with db:
        try:
            batch: list[ImportRecord] = []
            for number, item in enumerate(read_archive(stream, fmt)):
                if number % 200 == 0:
                    # Let the batch in flight hand its next statement to the connection's thread.
                    await asyncio.sleep(0)
                if isinstance(item, ImportRecord):
                    batch.append(item)
                    if len(batch) >= IMPORT_BATCH:
                        await pipeline.push(batch)
                        batch = []
                elif isinstance(item, Skipped):
                    counts["skipped"] += 1
                elif isinstance(item, Malformed):
                    counts["malformed"] += 1
                    if counts["malformed"] <= MAX_REPORTED_PROBLEMS:
                        print(f"newsdesk import: {name}: {item.where}: {item.reason}", file=sys.stderr)
            await pipeline.push(batch)
            await pipeline.finish()
            if await db.search_index_wants_merge(counts["imported"]):
                if sys.stderr.isatty():
                    print("import: merging the search index…", file=sys.stderr)
                await db.merge_search_index()
        except NotAnArchive as exc:
            raise UsageError(f"{name}: {exc}") from None
        finally:
            await pipeline.finish()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    return counts


class _ImportPipeline:
    """Batches go: duplicate check → analysis (worker process, or inline) → one transaction each.
    While one batch's transaction runs in the connection's thread, the next one is analyzed."""

    def __init__(self, db: Database, pool: ProcessPoolExecutor | None, counts: dict[str, int]) -> None:
        self._db, self._pool, self._counts = db, pool, counts
        self._analyzing: tuple[list[ImportRecord], asyncio.Future | None] | None = None
        self._inserting: asyncio.Task | None = None

    async def push(self, batch: list[ImportRecord]) -> None:
        """Start analyzing `batch`; store the batch analyzed before it."""
        archived = await self._db.archived_imports([r.external_id for r in batch])
        fresh = [r for r in batch if r.external_id not in archived]
        self._counts["duplicates"] += len(batch) - len(fresh)
        future = None
        if self._pool is not None and fresh:
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(self._pool, index_texts_batch, [(r.title, r.body) for r in fresh])
        previous, self._analyzing = self._analyzing, (fresh, future)
        if previous is not None:
            await self._store(*previous)

    async def finish(self) -> None:
        """Store whatever is still being analyzed or written."""
        previous, self._analyzing = self._analyzing, None
        if previous is not None:
            await self._store(*previous)
        if self._inserting is not None:
            task, self._inserting = self._inserting, None
            _count(await task, self._counts)

    async def _store(self, records: list[ImportRecord], future: asyncio.Future | None) -> None:
        analyzed = await future if future is not None else None
        if self._inserting is not None:
            _count(await self._inserting, self._counts)
        self._inserting = asyncio.create_task(self._db.import_articles(records, analyzed=analyzed))


def _count(result: ImportCounts, counts: dict[str, int]) -> None:
    counts["imported"] += result.imported
    counts["duplicates"] += result.duplicates


# --- search ----------------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    """Search the archive for one query, or for each line of a `--batch` file."""
    if (args.query is None) == (args.batch is None):
        raise UsageError("give either a QUERY or --batch FILE")
    if not 1 <= args.limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}")
    db_path = database_path(args)
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no archive there yet (run newsdesk import first, or pass --db)")
    if args.batch is not None:
        stream, _ = open_binary(args.batch)
        with stream:
            try:
                queries = [line.rstrip("\r\n") for line in stream.read().decode("utf-8-sig").splitlines()]
            except UnicodeDecodeError:
                raise UsageError(f"{args.batch}: not UTF-8 text") from None
        asyncio.run(_search_batch(db_path, queries, args.limit))
        return 0
    result = asyncio.run(_search_one(db_path, args.query, args.limit))
    if args.json:
        print(json.dumps([_hit_json(h) for h in result.hits], ensure_ascii=False, indent=2))
    else:
        _print_text(result)
    if result.truncated:
        print("newsdesk search: the query was too long; only its beginning was searched", file=sys.stderr)
    if result.partial and result.hits:
        print(
            "newsdesk search: no article has every word; showing partial matches for: "
            + " ".join(result.matched_terms),
            file=sys.stderr,
        )
    return 0


async def _open_existing(db_path: Path) -> Database:
    try:
        return await Database.open(db_path, search_in="caller")  # one search at a time: no hop
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"{db_path}: not a newsdesk database ({exc})") from None


async def _search_one(db_path: Path, query: str, limit: int) -> SearchResult:
    async with await _open_existing(db_path) as db:
        return await db.search(query, limit)


async def _search_batch(db_path: Path, queries: list[str], limit: int) -> None:
    async with await _open_existing(db_path) as db:
        parse_query("خبر")  # the analyzer loads its lexicon once per process, not inside a timed search
        for query in queries:
            started = time.perf_counter()
            result = await db.search(query, limit)
            ms = (time.perf_counter() - started) * 1000
            line = {"query": query, "ms": round(ms, 3), "results": [_hit_json(h) for h in result.hits]}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


def _hit_json(hit: SearchHit) -> dict:
    return {
        "id": hit.external_id if hit.external_id is not None else str(hit.article_id),
        "title": hit.title,
        "snippet": hit.snippet.marked("**", "**"),
        "published_at": hit.published_at.isoformat(),
        "url": hit.url,
        "score": hit.score,
    }


def _print_text(result: SearchResult) -> None:
    if not result.hits:
        print("no results")
        return
    for hit in result.hits:
        print(f"{hit.score:8.3f}  {hit.published_at:%Y-%m-%d %H:%M}  [{hit.external_id}]  {hit.title}")
        print(f"          {hit.snippet.marked('**', '**')}")
        if hit.url:
            print(f"          {hit.url}")
