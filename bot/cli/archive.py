"""`newsdesk import` and `newsdesk search`: the archive from the command line (README.md,
docs/commands.md).

This module only reads arguments, prints and chooses the exit status: the work is the archive's
(`bot.archive.importing` streams the file into the database, `bot.archive.search` opens and searches
it), the same route the bot and the sandbox take. Import shows a tqdm bar on a terminal only and ends
with one summary line; search prints readable text, a JSON list (`--json`), or JSON Lines for a file
of queries (`--batch`, timing each search itself).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import tzinfo
from functools import partial
from pathlib import Path
from typing import BinaryIO, TextIO
from zoneinfo import ZoneInfo

from tqdm import tqdm

from bot import messages as msg
from bot.archive.importers import NotAnArchive, open_archive
from bot.archive.importing import import_file, import_status, new_counts
from bot.archive.search import search_each, search_once
from bot.core.inputs import UsageError, open_binary
from bot.core.media import marked_title
from storage.database import DatabaseUnusable, SearchHit, SearchResult

MAX_LIMIT = 100
MAX_REPORTED_PROBLEMS = 5
INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C
ONLY_EXCLUDED = "the query only leaves words out (-word): add a word or a date to search for"


def database_path(args: argparse.Namespace) -> Path:
    """`--db` if given, else the DATABASE_PATH setting (environment or .env)."""
    if args.db:
        return Path(args.db)
    from bot.config import load_settings

    return load_settings().database_path


def search_zone() -> tzinfo:
    """The TIMEZONE setting (environment or .env): where the days of typed search dates run and in
    which dates are shown."""
    from bot.config import load_settings

    return load_settings().tz


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

    Exit status (README.md, "How an import is read"): 0 when every record was imported or cleanly
    skipped, 1 when some were malformed (the rest imported), 2 when nothing was usable."""
    name = "stdin" if args.file == "-" else args.file
    db_path = database_path(args)
    if args.report is not None:
        _refuse_report_onto(Path(args.report), args.file, db_path)
    stream, size = open_binary(args.file)
    bar = tqdm(total=size or None, unit="B", unit_scale=True, desc="import", leave=False,
               disable=not sys.stderr.isatty())  # fmt: skip
    counts = new_counts()  # filled as batches are committed: what an interrupted import kept
    with stream, bar, _report_file(args.report) as report:
        try:
            archive = open_archive(_Progress(stream, bar))
        except NotAnArchive as exc:
            raise UsageError(f"{name}: {exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{name}: not UTF-8 text") from None
        show = partial(_show_problem, name)
        work = import_file(archive, db_path, size=size, report=report, on_problem=show,
                           on_merge=_show_merging, counts=counts)  # fmt: skip
        try:
            asyncio.run(work)
        except DatabaseUnusable as exc:
            raise UsageError(str(exc)) from None
        except KeyboardInterrupt:
            bar.close()
            print(f"newsdesk import: {name}: interrupted; {counts['imported']:,} records imported and kept"
                  f" ({counts['duplicates']:,} already archived): run the same command again to import"
                  " the rest (what is archived is skipped)", file=sys.stderr)  # fmt: skip
            return INTERRUPTED
    print(
        f"imported {counts['imported']:,}, skipped {counts['duplicates'] + counts['skipped']:,}"
        f" (already archived {counts['duplicates']:,}, service or empty {counts['skipped']:,}),"
        f" malformed {counts['malformed']:,}"
        + (f", another text under an archived id {counts['conflicts']:,}" if counts["conflicts"] else "")
    )
    problems = counts["malformed"] + counts["conflicts"]
    if problems:
        shown = min(problems, MAX_REPORTED_PROBLEMS)
        where = f"listed in {args.report}" if args.report else "--report FILE lists them all"
        what = " and ".join(
            text for n, text in ((counts["malformed"], f"{counts['malformed']:,} malformed records"),
                                 (counts["conflicts"], f"{counts['conflicts']:,} not imported for another"
                                                       " text under an archived id")) if n
        )  # fmt: skip
        print(f"newsdesk import: {name}: {what} (the first {shown} above; {where})", file=sys.stderr)
    return import_status(counts)


def _show_problem(name: str, number: int, line: str) -> None:
    """The first few malformed records on stderr (`--report` has them all)."""
    if number <= MAX_REPORTED_PROBLEMS:
        print(f"newsdesk import: {name}: {line}", file=sys.stderr)


def _show_merging() -> None:
    if sys.stderr.isatty():
        print("import: merging the search index…", file=sys.stderr)


def _refuse_report_onto(report: Path, source: str, db_path: Path) -> None:
    """A `--report` naming the file being imported or the archive (or one of its SQLite side files) is a
    usage error, found before anything is opened for writing: writing it would destroy what it names."""
    guarded = {"the file being imported": Path(source)} if source != "-" else {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        guarded[f"the archive database{' (' + suffix[1:] + ' file)' if suffix else ''}"] = Path(
            f"{db_path}{suffix}"
        )
    for what, path in guarded.items():
        same = report.resolve() == path.resolve()
        with suppress(OSError):  # one of them missing: then only the names can be the same
            same = same or os.path.samefile(report, path)
        if same:
            raise UsageError(f"--report {report}: that is {what}; name another file for the report")


@contextmanager
def _report_file(name: str | None) -> Iterator[TextIO | None]:
    """The `--report` file: written beside its place under a temporary name, put in place (renamed)
    once the import is over — also when it was interrupted, with what was found until then — so an old
    report is never left half written. A bad path is a usage error before the import starts."""
    if name is None:
        yield None
        return
    target = Path(name)
    try:
        report = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below
            "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        )
    except OSError as exc:
        raise UsageError(f"--report {name}: cannot write it ({exc.strerror or exc})") from None
    done = False
    try:
        with report:
            yield report
        done = True
    except KeyboardInterrupt:
        done = True
        raise
    finally:
        try:
            if done:
                os.replace(report.name, target)
        except OSError as exc:
            raise UsageError(f"--report {name}: cannot write it ({exc.strerror or exc})") from None
        finally:
            with suppress(FileNotFoundError):
                os.unlink(report.name)


# --- search ----------------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    """Search the archive for one query, or for each line of a `--batch` file."""
    if (args.query is None) == (args.batch is None):
        raise UsageError("give either a QUERY or --batch FILE")
    if not 1 <= args.limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}")
    db_path = database_path(args)
    try:
        return _search(args, db_path)
    except DatabaseUnusable as exc:
        raise UsageError(str(exc)) from None


def _search(args: argparse.Namespace, db_path: Path) -> int:
    tz = search_zone()
    if args.batch is not None:
        stream, _ = open_binary(args.batch)
        with stream:
            try:
                queries = [line.rstrip("\r\n") for line in stream.read().decode("utf-8-sig").splitlines()]
            except UnicodeDecodeError:
                raise UsageError(f"{args.batch}: not UTF-8 text") from None
        asyncio.run(_print_batch(db_path, queries, args.limit, args.newest, tz))
        return 0
    result = asyncio.run(search_once(db_path, args.query, args.limit, newest=args.newest, tz=tz))
    if result.only_excluded:
        raise UsageError(f"{ONLY_EXCLUDED}: {args.query!r}")
    if args.json:
        print(json.dumps([_hit_json(h) for h in result.hits], ensure_ascii=False, indent=2))
    else:
        _print_text(result, tz)
    if result.truncated:
        print("newsdesk search: the query was too long; only its beginning was searched", file=sys.stderr)
    if result.partial and result.hits:
        print(
            "newsdesk search: no article has every word; showing partial matches for: "
            + " ".join(result.matched_terms),
            file=sys.stderr,
        )
    return 0


async def _print_batch(db_path: Path, queries: list[str], limit: int, newest: bool, tz: tzinfo) -> None:
    async for query, ms, result in search_each(db_path, queries, limit, newest=newest, tz=tz):
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


def _print_text(result: SearchResult, tz: ZoneInfo) -> None:
    """Hits as the bot shows their dates (Jalali, in TIMEZONE, Persian digits); `--json` keeps ISO UTC."""
    if not result.hits:
        print("no results")
        return
    for hit in result.hits:
        title = marked_title(hit.media_kind, hit.title)
        print(f"{hit.score:8.3f}  {msg.when(hit.published_at, tz, msg.FA)}  [{hit.external_id}]  {title}")
        print(f"          {hit.snippet.marked('**', '**')}")
        if hit.url:
            print(f"          {hit.url}")
