"""Archive benchmark: import rate, database size, peak memory and search latency, with references.

How: a synthetic archive (benchmarks/synthetic_archive.py: fixed seed, Zipf draws over hazm's
words.dat, 80–300-word bodies) is written as JSON Lines and imported with the real command,
`newsdesk import`, in a child process (its wall time and peak RSS — the largest of the import
process and its analysis worker — are measured). A fixed mix of
queries — 1, 2 and 3 words drawn from common, medium and rare ranks of the same vocabulary, and the
query language's operators: exact phrases from recent titles, words left out, date ranges, Jalali
months, and six-word queries no article holds whole (partial ranking) — then
goes through `newsdesk search --batch`, whose per-query `ms` is the search alone (index opened
once). The mix runs first in a fresh process (reported as `…_fresh_process`: cold caches), then in a
process that has first answered a warm-up mix drawn with another seed — a bot's steady state, and
the figure reported as the search latency; "newest first" is timed on the 2-word queries after the
same warm-up. In the same run, on the same
data, two references answer a subset of the queries: a LIKE scan (every word as a substring, first
10 rows) and a default FTS5 index (unicode61 over the raw title and body, every word ANDed, bm25).

    python -m benchmarks.bench_search --size 100000
    nice -n 10 python -m benchmarks.bench_search --size 1000000 --ref-queries 3

Data goes under --workdir (default /tmp/newsdesk-bench); the JSON Lines file is reused across runs.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import jdatetime

from benchmarks.synthetic_archive import vocabulary, write_jsonl

SEED = 1403
QUERIES_PER_BUCKET = 30
WARM_UP_PER_BUCKET = 30
BANDS = {"common": (0, 200), "medium": (1_000, 5_000), "rare": (12_000, 26_000)}
NEWSDESK = [sys.executable, "-m", "bot.cli"]


def query_mix(per_bucket: int, seed: int = SEED, data: Path | None = None) -> list[tuple[str, str]]:
    """(bucket, query) for 1-, 2- and 3-word queries of each frequency band, and — given the archive's
    data file — the query language's operators (`ops-…` buckets); fixed seed."""
    rng = random.Random(seed)
    vocab, _ = vocabulary()

    def word(band: str) -> str:
        low, high = BANDS[band]
        return vocab[rng.randrange(low, min(high, len(vocab)))]

    mix = []
    for band in BANDS:
        for n_words in (1, 2, 3):
            for _ in range(per_bucket):
                mix.append((f"{n_words}w-{band}", " ".join(word(band) for _ in range(n_words))))
    if data is None:
        return mix
    titles, first, last = _archive_sample(data)
    span_days = max(1, (last - first).days)
    for _ in range(per_bucket):
        # An exact phrase from a recent title (a reader quoting a headline they saw).
        title = rng.choice(titles).split()
        start = rng.randrange(max(1, len(title) - 2))
        mix.append(("ops-phrase", "«" + " ".join(title[start : start + 3]) + "»"))
        mix.append(("ops-minus", f"{word('common')} {word('medium')} -{word('common')}"))
        since = first + timedelta(days=rng.randrange(span_days))
        until = since + timedelta(days=30)
        mix.append(("ops-dates", f"{word('medium')} from:{since:%Y-%m-%d} to:{until:%Y-%m-%d}"))
        month = jdatetime.date.fromgregorian(date=(first + timedelta(days=rng.randrange(span_days))).date())
        mix.append(("ops-month", f"{word('common')} {JALALI_MONTHS[month.month - 1]} {month.year}"))
        # Six words no article holds together: the partial ranking, posts holding most of them first.
        long = [word(band) for band in ("common", "common", "medium", "medium", "rare", "rare")]
        mix.append(("ops-long", " ".join(long)))
    return mix


JALALI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
                 "بهمن", "اسفند")  # fmt: skip


def _archive_sample(data: Path) -> tuple[list[str], datetime, datetime]:
    """Titles of the newest articles (the file's last 2 MB) and the archive's first and last times."""
    with data.open("rb") as stream:
        first = json.loads(stream.readline())["published_at"]
        stream.seek(max(0, data.stat().st_size - 2_000_000))
        tail = stream.read().decode("utf-8", errors="ignore").splitlines()[1:]
    records = [json.loads(line) for line in tail if line.strip()]
    return (
        [r["title"] for r in records],
        datetime.fromisoformat(first),
        datetime.fromisoformat(records[-1]["published_at"]),
    )


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 (and max) of a list of milliseconds."""
    if not values:
        return {}
    cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2),
            "max": round(max(values), 2), "n": len(values)}  # fmt: skip


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        todo += map(int, children)
    return total / 1024


def run_import(data: Path, db: Path) -> dict[str, float]:
    """Import with the real CLI in a child process: wall time, rate, and peak memory — of the largest
    single process (the kernel's count), and of the importer with its analysis worker together
    (sampled every 0.1 s)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [*NEWSDESK, "import", str(data), "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak_tree = 0.0
    while child.poll() is None:
        peak_tree = max(peak_tree, tree_rss_mb(child.pid))
        time.sleep(0.1)
    out, err = child.communicate()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        sys.exit(f"import failed: {err.strip()}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": round(wall, 1), "summary": out.strip(), "peak_rss_mb": round(peak_mb),
            "peak_rss_all_processes_mb": round(peak_tree)}  # fmt: skip


def run_search_batch(db: Path, queries: list[str], *, newest: bool = False) -> list[dict]:
    """`newsdesk search --batch` over the queries; its JSON Lines back."""
    batch = db.parent / "queries.txt"
    batch.write_text("\n".join(queries) + "\n", encoding="utf-8")
    done = subprocess.run(
        [*NEWSDESK, "search", "--batch", str(batch), "--db", str(db), "--limit", "10",
         *(["--newest"] if newest else [])],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"search failed: {done.stderr.strip()}")
    return [json.loads(line) for line in done.stdout.splitlines()]


def like_reference(conn: sqlite3.Connection, query: str) -> tuple[float, int]:
    """A substring scan: every word somewhere in title or body; the first 10 rows."""
    words = query.split()
    where = " AND ".join("(title LIKE ? OR body LIKE ?)" for _ in words)
    params = [p for w in words for p in (f"%{w}%", f"%{w}%")]
    started = time.perf_counter()
    rows = conn.execute(f"SELECT id FROM articles WHERE {where} LIMIT 10", params).fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


def fts_reference(conn: sqlite3.Connection, query: str) -> tuple[float, int]:
    """Default FTS5 (unicode61, raw text): every word ANDed, ranked by bm25, top 10."""
    expression = " AND ".join('"' + w.replace('"', '""') + '"' for w in query.split())
    started = time.perf_counter()
    rows = conn.execute(
        "SELECT rowid FROM reference_fts WHERE reference_fts MATCH ? ORDER BY rank LIMIT 10", (expression,)
    ).fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


def build_fts_reference(conn: sqlite3.Connection) -> float:
    """The default-FTS5 reference index over the same articles (external content); seconds taken."""
    started = time.perf_counter()
    conn.execute("DROP TABLE IF EXISTS reference_fts")
    conn.execute(
        "CREATE VIRTUAL TABLE reference_fts USING fts5(title, body, content='articles', content_rowid='id')"
    )
    conn.execute("INSERT INTO reference_fts (reference_fts) VALUES ('rebuild')")
    conn.commit()
    return time.perf_counter() - started


def main() -> None:
    """Run the benchmark and print a JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="articles in the archive")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newsdesk-bench"))
    parser.add_argument(
        "--queries",
        type=int,
        default=QUERIES_PER_BUCKET,
        help="queries per bucket (9 plain buckets, 5 of operators)",
    )
    parser.add_argument("--ref-queries", type=int, default=10, help="queries per bucket for the references")
    parser.add_argument("--import-only", action="store_true", help="measure the import and stop")
    parser.add_argument("--search-only", action="store_true", help="reuse the archive of an earlier run")
    parser.add_argument("--no-references", action="store_true", help="skip the LIKE and default-FTS5 runs")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    data = args.workdir / f"synthetic-{args.size}-{SEED}.jsonl"
    db = args.workdir / f"archive-{args.size}.sqlite3"
    report: dict = {"size": args.size, "seed": SEED}

    if not data.exists():
        started = time.perf_counter()
        write_jsonl(data.with_suffix(".part"), args.size, seed=SEED).rename(data)
        report["generate_seconds"] = round(time.perf_counter() - started, 1)
    if not (args.search_only and db.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        imported = run_import(data, db)
        imported["articles_per_second"] = round(args.size / imported["seconds"])
        report["import"] = imported
        if args.import_only:
            report["db_mb"] = round(db.stat().st_size / 1e6)
            print(json.dumps(report, ensure_ascii=False, indent=2))
            return
        second = run_import(data, db)
        report["reimport_same_file"] = second["summary"]
    files = [Path(f"{db}{suffix}") for suffix in ("", "-wal")]
    report["db_mb"] = round(sum(f.stat().st_size for f in files if f.exists()) / 1e6)

    mix = query_mix(args.queries, data=data)
    fresh = run_search_batch(db, [q for _, q in mix])  # also fills the OS page cache
    # A bot searches for days in one process: the measured mix runs after other queries of the same
    # kind (another seed) have warmed SQLite's page cache and the analysis caches of that process.
    warm_up = [q for _, q in query_mix(WARM_UP_PER_BUCKET, seed=SEED + 1, data=data)]
    warm = run_search_batch(db, warm_up + [q for _, q in mix])[len(warm_up) :]
    report["newsdesk_search_ms_fresh_process"] = percentiles([line["ms"] for line in fresh])
    by_bucket: dict[str, list[float]] = {}
    found = 0
    for (bucket, _), line in zip(mix, warm, strict=True):
        by_bucket.setdefault(bucket, []).append(line["ms"])
        found += bool(line["results"])
    report["newsdesk_search_ms"] = percentiles([line["ms"] for line in warm])
    report["newsdesk_by_bucket"] = {b: percentiles(v) for b, v in by_bucket.items()}
    report["newsdesk_queries_with_results"] = f"{found}/{len(mix)}"
    # "Newest first" (the results button): the plain 2-word queries, after the same warm-up.
    newest_mix = [q for bucket, q in mix if bucket.startswith("2w-")]
    newest = run_search_batch(db, warm_up + newest_mix, newest=True)[len(warm_up) :]
    report["newsdesk_newest_first_ms"] = percentiles([line["ms"] for line in newest])
    if args.no_references:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return

    conn = sqlite3.connect(db)
    report["reference_fts_build_seconds"] = round(build_fts_reference(conn), 1)
    # The references take plain words only: the operator buckets have no equivalent there.
    plain = [(b, q) for b, q in mix if not b.startswith("ops-")]
    subset = [(b, q) for i, (b, q) in enumerate(plain) if i % args.queries < args.ref_queries]
    for name, reference in (("like", like_reference), ("default_fts5", fts_reference)):
        for _, q in subset[:3]:
            reference(conn, q)  # warm the cache the same way
        timings = [reference(conn, q) for _, q in subset]
        report[f"reference_{name}_ms"] = percentiles([ms for ms, _ in timings])
        report[f"reference_{name}_queries_with_results"] = f"{sum(1 for _, n in timings if n)}/{len(subset)}"
    conn.execute("DROP TABLE reference_fts")
    conn.commit()
    conn.close()
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
