"""`newsdesk import` and `newsdesk search`: the archive from the command line (contract in DESIGN.md).

How: both open the database once (`--db`, else the `DATABASE_PATH` setting) and run one asyncio loop.
Import streams the file through `bot.archive.importers` in batches of IMPORT_BATCH records, with a tqdm bar
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
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO, TextIO

from tqdm import tqdm

from bot.archive.importers import Archive, Malformed, NotAnArchive, Skipped, open_archive
from bot.core.inputs import UsageError, open_binary
from bot.core.media import marked_title
from bot.core.workers import worker_pool
from bot.text.query import parse_query
from storage.database import (
    Database,
    DatabaseUnusable,
    ImportCounts,
    ImportRecord,
    SearchHit,
    SearchIn,
    SearchResult,
    sqlite_problem,
)
from storage.search import index_texts_batch

type Counts = dict[str, int]  # imported, duplicates (already archived), skipped, malformed
IMPORT_BATCH = 5000
WORKER_MIN_BYTES = 8 << 20
MAX_LIMIT = 100
MAX_REPORTED_PROBLEMS = 5
ONLY_EXCLUDED = "the query only leaves words out (-word): add a word or a date to search for"


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


def cmd_import(args: argparse.Namespace) -> int:
    """Import a Telegram Desktop export or JSON Lines file; print what was imported, skipped, malformed.

    Exit status (DESIGN.md): 0 when every record was imported or cleanly skipped, 1 when some were
    malformed (the rest imported), 2 when nothing was usable."""
    name = "stdin" if args.file == "-" else args.file
    stream, size = open_binary(args.file)
    bar = tqdm(total=size or None, unit="B", unit_scale=True, desc="import", leave=False,
               disable=not sys.stderr.isatty())  # fmt: skip
    with stream, bar, _report_file(args.report) as report:
        try:
            archive = open_archive(_Progress(stream, bar))
        except NotAnArchive as exc:
            raise UsageError(f"{name}: {exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{name}: not UTF-8 text") from None
        counts = asyncio.run(_import(archive, database_path(args), name, size, report))
    print(
        f"imported {counts['imported']:,}, skipped {counts['duplicates'] + counts['skipped']:,}"
        f" (already archived {counts['duplicates']:,}, service or empty {counts['skipped']:,}),"
        f" malformed {counts['malformed']:,}"
    )
    if counts["malformed"]:
        shown = min(counts["malformed"], MAX_REPORTED_PROBLEMS)
        where = f"listed in {args.report}" if args.report else "--report FILE lists them all"
        print(f"newsdesk import: {name}: {counts['malformed']:,} malformed records (the first {shown} above;"
              f" {where})", file=sys.stderr)  # fmt: skip
    return import_status(counts)


@contextmanager
def _report_file(name: str | None) -> Iterator[TextIO | None]:
    """The `--report` file, opened before the import starts (a bad path is a usage error, not a loss)."""
    if name is None:
        yield None
        return
    try:
        report = open(name, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise UsageError(f"--report {name}: cannot write it ({exc.strerror or exc})") from None
    with report:
        yield report


async def _import(archive: Archive, db_path: Path, name: str, size: int, report: TextIO | None) -> Counts:
    db = await open_database(db_path)
    if db.read_only:
        await db.close()
        raise UsageError(f"{db_path}: read-only: newsdesk cannot import into it")
    # A big file's analysis runs in a second process, so parsing and SQL (this process) and analysis
    # use both cores; a small file is not worth a process start.
    pool = worker_pool() if size >= WORKER_MIN_BYTES else None
    async with db:
        try:
            await db.for_bulk_import()
            counts = await import_archive(db, archive, name, report=report, pool=pool)
            if await db.search_index_wants_merge(counts["imported"]):
                if sys.stderr.isatty():
                    print("import: merging the search index…", file=sys.stderr)
                await db.merge_search_index()
        except (sqlite3.Error, DatabaseUnusable) as exc:  # batches committed so far stay: a re-run goes on
            problem = exc if isinstance(exc, DatabaseUnusable) else sqlite_problem(exc)
            raise UsageError(f"{db_path}: {problem}") from None
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    return counts


async def import_archive(
    db: Database,
    archive: Archive,
    name: str,
    *,
    report: TextIO | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> Counts:
    """Import every record of `archive` into `db`, a transaction per batch; malformed records go to
    stderr (the first few) and to `report` (all). Returns the counts `import_status` reads."""
    counts: Counts = dict.fromkeys(("imported", "duplicates", "skipped", "malformed"), 0)
    pipeline = _ImportPipeline(db, pool, counts)
    try:
        own = await db.own_channel() or ""
        items = archive.items(default_channel=own, handles=await db.channel_handles())
        batch: list[ImportRecord] = []
        for number, item in enumerate(items):
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
                line = f"{item.where}: {item.reason}"
                if report is not None:
                    report.write(line + "\n")
                if counts["malformed"] <= MAX_REPORTED_PROBLEMS:
                    print(f"newsdesk import: {name}: {line}", file=sys.stderr)
        await pipeline.push(batch)
        await pipeline.finish()
    except BaseException:
        with suppress(sqlite3.Error, DatabaseUnusable):  # what was committed stays; the first error is told
            await pipeline.finish()
        raise
    return counts


def import_status(counts: Counts) -> int:
    """The exit status of an import: 0 all imported or cleanly skipped, 1 some records malformed,
    2 nothing usable."""
    if not counts["malformed"]:
        return 0
    return 1 if counts["imported"] + counts["duplicates"] + counts["skipped"] else 2


class _ImportPipeline:
    """Batches go: duplicate check → analysis (worker process, or inline) → one transaction each.
    While one batch's transaction runs in the connection's thread, the next one is analyzed."""

    def __init__(self, db: Database, pool: ProcessPoolExecutor | None, counts: Counts) -> None:
        self._db, self._pool, self._counts = db, pool, counts
        self._analyzing: tuple[list[ImportRecord], asyncio.Future | None] | None = None
        self._inserting: asyncio.Task | None = None

    async def push(self, batch: list[ImportRecord]) -> None:
        """Start analyzing `batch`; store the batch analyzed before it."""
        archived = await self._db.archived_posts(batch)
        fresh = [r for r in batch if (r.channel, r.external_id) not in archived]
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


def _count(result: ImportCounts, counts: Counts) -> None:
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
        asyncio.run(_search_batch(db_path, queries, args.limit, args.newest))
        return 0
    result = asyncio.run(_search_one(db_path, args.query, args.limit, args.newest))
    if result.only_excluded:
        raise UsageError(f"{ONLY_EXCLUDED}: {args.query!r}")
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


async def open_database(db_path: Path, *, search_in: SearchIn = "thread") -> Database:
    """The archive at `db_path`; any reason it cannot be used is a one-line UsageError."""
    try:
        return await Database.open(db_path, search_in=search_in)
    except DatabaseUnusable as exc:
        raise UsageError(f"{db_path}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{db_path}: cannot open the database ({exc.strerror or exc})") from None


async def _open_existing(db_path: Path) -> Database:
    return await open_database(db_path, search_in="caller")  # one search at a time: no hop


async def _search_one(db_path: Path, query: str, limit: int, newest: bool) -> SearchResult:
    async with await _open_existing(db_path) as db:
        return await db.search(query, limit, newest=newest)


async def _search_batch(db_path: Path, queries: list[str], limit: int, newest: bool) -> None:
    async with await _open_existing(db_path) as db:
        parse_query("خبر")  # the analyzer loads its lexicon once per process, not inside a timed search
        for query in queries:
            started = time.perf_counter()
            result = await db.search(query, limit, newest=newest)
            ms = (time.perf_counter() - started) * 1000
            line = {"query": query, "ms": round(ms, 3), "results": [_hit_json(h) for h in result.hits]}
            if result.only_excluded:
                line["problem"] = ONLY_EXCLUDED
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


def _hit_json(hit: SearchHit) -> dict:
    return {
        "id": hit.external_id if hit.external_id is not None else str(hit.article_id),
        "title": hit.title,
        "snippet": hit.snippet.marked("**", "**"),
        "published_at": hit.published_at.isoformat(),
        "url": hit.url,
        "score": hit.score,
        "media": hit.media_kind,
    }


def _print_text(result: SearchResult) -> None:
    if not result.hits:
        print("no results")
        return
    for hit in result.hits:
        title = marked_title(hit.media_kind, hit.title)
        print(f"{hit.score:8.3f}  {hit.published_at:%Y-%m-%d %H:%M}  [{hit.external_id}]  {title}")
        print(f"          {hit.snippet.marked('**', '**')}")
        if hit.url:
            print(f"          {hit.url}")
