"""The import pipeline: an archive's records into the database, shared by `newsdesk import`, the bot's
sandbox and anything else that archives posts (one route, so they all de-duplicate, analyze and commit
alike).

How: records are gathered in batches of IMPORT_BATCH; each batch goes duplicate check → analysis (in a
worker process for a big file, else inline) → one transaction, and while one batch's transaction runs
in the connection's thread the next one is analyzed. Malformed records are counted, written to the
report and handed to `on_problem`; what was committed stays when anything stops the import, so a
re-run goes on where it stopped.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import TextIO

from bot.archive.importers import Archive, ImportItem, Malformed, Skipped
from bot.archive.search import open_database
from bot.core.workers import worker_pool
from storage.database import (
    Database,
    DatabaseUnusable,
    ImportCounts,
    ImportRecord,
    PostKey,
    sqlite_problem,
)
from storage.search import AnalyzedBatch, index_texts_batch

# imported, duplicates (already archived), skipped, malformed, conflicts (an archived id, another text)
type Counts = dict[str, int]
IMPORT_BATCH = 5000
WORKER_MIN_BYTES = 8 << 20


def new_counts() -> Counts:
    """Counts of an import that has read nothing yet."""
    return dict.fromkeys(("imported", "duplicates", "skipped", "malformed", "conflicts"), 0)


async def import_file(
    archive: Archive,
    db_path: Path,
    *,
    size: int = 0,
    report: TextIO | None = None,
    on_problem: Callable[[int, str], None] | None = None,
    on_merge: Callable[[], None] | None = None,
    counts: Counts | None = None,
) -> Counts:
    """Import `archive` into the database at `db_path` (opened and closed here). `size`: the file's
    bytes (a big file is analyzed in a second process); `counts` is filled as the import goes, so a
    caller stopped halfway knows what was committed. DatabaseUnusable (one line) when the database
    cannot take it."""
    db = await open_database(db_path)
    if db.read_only:
        await db.close()
        raise DatabaseUnusable(f"{db_path}: read-only: newsdesk cannot import into it")
    # A big file's analysis runs in a second process, so parsing and SQL (this process) and analysis
    # use both cores; a small file is not worth a process start.
    pool = worker_pool() if size >= WORKER_MIN_BYTES else None
    async with db:
        try:
            await db.for_bulk_import()
            counts = await import_archive(
                db, archive, report=report, on_problem=on_problem, pool=pool, counts=counts
            )
            if await db.search_index_wants_merge(counts["imported"]):
                if on_merge is not None:
                    on_merge()
                await db.merge_search_index()
        except (sqlite3.Error, DatabaseUnusable) as exc:  # batches committed so far stay: a re-run goes on
            problem = exc if isinstance(exc, DatabaseUnusable) else sqlite_problem(exc, db_path)
            raise DatabaseUnusable(f"{db_path}: {problem}") from None
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    return counts


async def import_archive(
    db: Database,
    source: Archive | Iterable[ImportItem],
    *,
    report: TextIO | None = None,
    on_problem: Callable[[int, str], None] | None = None,
    pool: ProcessPoolExecutor | None = None,
    counts: Counts | None = None,
) -> Counts:
    """Import every record of `source` (an opened archive file, or records already made) into `db`, a
    transaction per batch. Each malformed record, and each record whose id is archived with another
    text (the archived one is kept), goes to `report` (one line: where or which, why) and to
    `on_problem(number, line)`. Returns the counts `import_status` reads."""
    counts = new_counts() if counts is None else counts

    def tell(line: str) -> None:
        if report is not None:
            report.write(line + "\n")
        if on_problem is not None:
            on_problem(counts["malformed"] + counts["conflicts"], line)

    pipeline = _ImportPipeline(db, pool, counts, tell)
    try:
        if isinstance(source, Archive):
            own = await db.own_channel() or ""
            source = source.items(default_channel=own, handles=await db.channel_handles())
        batch: list[ImportRecord] = []
        for number, item in enumerate(source):
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
                tell(f"{item.where}: {item.reason}")
        await pipeline.push(batch)
        await pipeline.finish()
    except BaseException:
        await pipeline.abort()  # what was committed stays (and is counted); the first error is told
        raise
    return counts


def import_status(counts: Counts) -> int:
    """The exit status of an import: 0 all imported or cleanly skipped, 1 some records malformed (or
    not imported for another text under an archived id), 2 nothing usable."""
    if not counts["malformed"] and not counts["conflicts"]:
        return 0
    return 1 if counts["imported"] + counts["duplicates"] + counts["skipped"] else 2


class _ImportPipeline:
    """Batches go: duplicate check → analysis (worker process, or inline) → one transaction each.
    While one batch's transaction runs in the connection's thread, the next one is analyzed."""

    def __init__(
        self, db: Database, pool: ProcessPoolExecutor | None, counts: Counts, tell: Callable[[str], None]
    ) -> None:
        self._db, self._pool, self._counts, self._tell = db, pool, counts, tell
        self._analyzing: tuple[list[ImportRecord], asyncio.Future | None] | None = None
        self._inserting: asyncio.Task | None = None
        # The texts of the batches not yet surely committed (being analyzed or written): a record
        # repeating one of them is not yet "archived" to the database.
        self._recent: deque[dict[PostKey, tuple[str, str]]] = deque(maxlen=3)

    async def push(self, batch: list[ImportRecord]) -> None:
        """Start analyzing `batch`; store the batch analyzed before it."""
        archived = await self._db.archived_posts(batch)
        fresh: list[ImportRecord] = []
        repeated: list[tuple[ImportRecord, tuple[str, str] | None]] = []
        texts: dict[PostKey, tuple[str, str]] = {}
        for record in batch:
            key = (record.channel, record.external_id)
            earlier = texts.get(key) or next((r[key] for r in self._recent if key in r), None)
            if earlier is not None or key in archived:
                repeated.append((record, earlier))
            else:
                texts[key] = (record.title, record.body)
                fresh.append(record)
        self._recent.append(texts)
        self._counts["duplicates"] += len(repeated)
        if repeated:
            await self._tell_other_texts(repeated)
        future = None
        if self._pool is not None and fresh:
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(self._pool, index_texts_batch, [(r.title, r.body) for r in fresh])
        previous, self._analyzing = self._analyzing, (fresh, future)
        if previous is not None:
            await self._store(*previous)

    async def _tell_other_texts(self, repeated: list[tuple[ImportRecord, tuple[str, str] | None]]) -> None:
        """Records whose id is archived (or came earlier in this import) under another text: told, not
        kept silently; the first text stays (an id names one post, and a re-run must add nothing)."""
        unknown = [(r.channel, r.external_id) for r, earlier in repeated if earlier is None]
        archived = await self._db.archived_texts(unknown) if unknown else {}
        for record, earlier in repeated:
            text = earlier or archived.get((record.channel, record.external_id))
            if text is not None and text != (record.title, record.body):
                self._counts["conflicts"] += 1
                self._tell(f"id {record.external_id}: archived already with another text; the archived"
                           " one is kept, this one is not imported")  # fmt: skip

    async def finish(self) -> None:
        """Store whatever is still being analyzed or written."""
        previous, self._analyzing = self._analyzing, None
        if previous is not None:
            await self._store(*previous)
        if self._inserting is not None:
            task, self._inserting = self._inserting, None
            await asyncio.shield(task)

    async def abort(self) -> None:
        """After an error or an interruption: let the transaction in flight end (committed, and counted,
        or rolled back); the batch being analyzed is dropped (a re-run imports it)."""
        if self._analyzing is not None and self._analyzing[1] is not None:
            self._analyzing[1].cancel()
        self._analyzing = None
        if self._inserting is not None:
            task, self._inserting = self._inserting, None
            with suppress(sqlite3.Error, DatabaseUnusable):
                await asyncio.shield(task)

    async def _store(self, records: list[ImportRecord], future: asyncio.Future | None) -> None:
        analyzed = await future if future is not None else None
        if self._inserting is not None:
            # Shielded: a Ctrl-C cancels this task, never the transaction (it ends, and is counted, in
            # `abort`), so the counts say what was kept.
            await asyncio.shield(self._inserting)
        self._inserting = asyncio.create_task(self._insert(records, analyzed))

    async def _insert(self, records: list[ImportRecord], analyzed: AnalyzedBatch | None) -> None:
        """One batch's transaction, counted once it is committed (so the counts are what an interrupted
        import kept)."""
        result: ImportCounts = await self._db.import_articles(records, analyzed=analyzed)
        self._counts["imported"] += result.imported
        self._counts["duplicates"] += result.duplicates
