"""Load on the subscriber side: N simulated subscribers × M searches each, through the Bot API test server.

How: a synthetic archive (benchmarks.synthetic_archive, fixed seed) is imported once into a cached
SQLite file; the whole bot (bot.app's one builder, real SQLite, PTB polling over real HTTP) runs in
its own process against the test server, which runs with the subscribers in this one (so the
simulation does not share the bot's interpreter lock); every subscriber is an asyncio task that sends its
searches one after another — plain text, `/search …` and inline queries in a fixed mix of 1-, 2-
and 3-word queries of common, medium and rare words — waits for each answer, then reads it for a
random `--think` seconds (seeded; THINK_SECONDS by default) before the next one, as people do.
(With no pause at all, 200 clients keep the one event loop saturated and every figure measures the
queue, not the bot.)

Measured:
- answered / lost / failed: every search must get its answer (a results page, the no-hit reply or an
  answerInlineQuery) and no handler may raise.
- bot-side processing per search (the target): the subscriber handler's wall time from the update to
  the answer handed to the Bot API, without the Bot API call itself and without the time PTB's
  AIORateLimiter held the request back for Telegram's flood limits (30 messages/s overall — a queue
  in front of Telegram, not work of the bot); per handler too. Also shown with the Bot API call to
  the test server, with the flood wait, as the subscriber sees it (inject → answer seen, polled
  every POLL_SECONDS), and as the bot process's CPU time per search.
- reference, same run, same queries: `Database.search` alone (what any front end must pay).

    python -m benchmarks.load_subscribers [--articles 100000] [--users 200] [--searches 10] [--think 2 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from telegram import Update
from telegram.ext import BaseRateLimiter, ContextTypes

from benchmarks.synthetic_archive import articles, vocabulary
from bot.app import build_application, open_database
from bot.botapi.server import BotApiServer
from bot.config import load_settings
from storage.database import Database, ImportRecord
from tests.botapi.fixtures import bot_environment

POLL_SECONDS = 0.05
THINK_SECONDS = (2.0, 10.0)  # reading a page of results before the next search
ANSWER_TIMEOUT = 60.0
CACHE_DIR = Path("data/bench")
# (first rank, last rank) in the archive's Zipf vocabulary
WORD_BANDS = {"common": (10, 200), "medium": (1_000, 5_000), "rare": (10_000, 30_000)}
KINDS = ("text", "command", "inline", "text", "inline", "command", "text", "inline", "text", "command")

_limiter_wait: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("hold", default=None)


def progress(line: str) -> None:
    """A stage of the run, on stderr (opening an archive built by an older analyzer re-indexes it)."""
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name:<46} n={len(values):>5}  p50={statistics.median(values):7.2f} ms  "
        f"p95={percentile(values, 95):7.2f} ms  p99={percentile(values, 99):7.2f} ms  "
        f"max={max(values):7.2f} ms"
    )


def query_mix(count: int, seed: int) -> list[str]:
    """`count` queries: 1–3 words, each word from the common, medium or rare band of the vocabulary."""
    vocab, _ = vocabulary()
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        n_words = rng.choice((1, 2, 3))
        band = rng.choice(tuple(WORD_BANDS))
        first, last = WORD_BANDS[band]
        queries.append(" ".join(vocab[rng.randint(first, min(last, len(vocab) - 1))] for _ in range(n_words)))
    return queries


async def cached_archive(count: int, seed: int) -> Path:
    """A SQLite archive of `count` synthetic articles, imported once and kept under data/bench/."""
    path = CACHE_DIR / f"subscribers-{count}-{seed}.sqlite3"
    if path.exists():
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".importing")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    async with Database.open(partial) as db:
        batch: list[ImportRecord] = []
        for record in articles(count, seed=seed):
            published = datetime.fromisoformat(record["published_at"])
            batch.append(
                ImportRecord(record["id"], record["title"], record["body"], published, record["url"])
            )
            if len(batch) == 1000:
                await db.import_articles(batch)
                batch = []
        await db.import_articles(batch)
        await db.merge_search_index()  # as `newsdesk import` does after a big import
    partial.rename(path)
    print(f"imported {count:,} articles in {time.perf_counter() - started:.0f} s → {path}", file=sys.stderr)
    return path


async def reference_search(path: Path, queries: list[str]) -> list[float]:
    """Milliseconds of `Database.search` alone for each query (first page, as the bot asks)."""
    timings = []
    async with Database.open(path) as db:
        for query in queries:
            started = time.perf_counter()
            await db.search(query, 6)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


class HoldTimingLimiter(BaseRateLimiter):
    """Delegates to the bot's AIORateLimiter and adds the time it held each request back to the
    current handler's account (a context variable), so the handler's own work can be told apart."""

    def __init__(self, inner: BaseRateLimiter) -> None:
        self.inner = inner

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        entered, inside = time.perf_counter(), 0.0

        async def timed_callback(*a, **k):
            nonlocal inside
            started = time.perf_counter()
            try:
                return await callback(*a, **k)
            finally:
                inside += time.perf_counter() - started

        try:
            return await self.inner.process_request(
                timed_callback, args, kwargs, endpoint, data, rate_limit_args
            )
        finally:
            account = _limiter_wait.get()
            if account is not None:
                account[0] += time.perf_counter() - entered - inside
                account[1] += inside


def instrument(
    application, processing: list[float], with_wait: list[float], own_work: list[float],
    by_handler: dict[str, list[float]], cpu: dict[str, float], errors: list[str],
) -> None:  # fmt: skip
    """Time every subscriber handler: in all, net of AIORateLimiter's flood-control hold, and net of
    the Bot API calls as well (the bot's own work); count errors."""
    # ExtBot keeps its limiter in a private slot; a benchmark may reach in, the product never does.
    application.bot._rate_limiter = HoldTimingLimiter(application.bot.rate_limiter)

    def timed(callback: Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]):
        async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            cpu.setdefault("first", time.process_time())
            account = [0.0, 0.0]  # seconds held by the flood limiter, seconds in Bot API calls
            _limiter_wait.set(account)
            started = time.perf_counter()
            try:
                await callback(update, context)
            finally:
                cpu["last"] = time.process_time()
            total = (time.perf_counter() - started) * 1000
            with_wait.append(total)
            processing.append(total - account[0] * 1000)
            own_work.append(total - (account[0] + account[1]) * 1000)
            by_handler.setdefault(callback.__name__, []).append(own_work[-1])

        return wrapper

    for handlers in application.handlers.values():
        for handler in handlers:
            if handler.callback.__module__ == "handlers.subscriber":
                handler.callback = timed(handler.callback)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(repr(context.error))

    application.add_error_handler(on_error)


async def subscriber(
    server: BotApiServer, user_id: int, queries: list[str], seen_ms: list[float], think: random.Random,
    pause: tuple[float, float],
) -> int:  # fmt: skip
    """One subscriber's searches, each waiting for its answer; returns how many got none."""
    lost = 0
    for kind, query in zip(KINDS, queries, strict=False):
        await asyncio.sleep(think.uniform(*pause))
        started = time.perf_counter()
        deadline = time.monotonic() + ANSWER_TIMEOUT
        if kind == "inline":
            record = server.user_inline_query(user_id, query)
            answered = lambda record=record: record.answer is not None  # noqa: E731
        else:
            sent = server.user_sends_text(user_id, query if kind == "text" else f"/search {query}")
            answered = lambda sent=sent: server.first_bot_message_after(user_id, sent) is not None  # noqa: E731
        while not answered() and time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
        if answered():
            seen_ms.append((time.perf_counter() - started) * 1000)
        else:
            lost += 1
    return lost


async def bot_process(timings: Path) -> None:
    """The bot alone in this process (`--bot-process`), instrumented; on SIGTERM it stops cleanly and
    writes its timings to `timings` as JSON. Settings come from the environment, as for `newsdesk run`."""
    settings = load_settings(for_run=True, env_file=None)
    application = build_application(settings, await open_database(settings))
    processing: list[float] = []
    with_wait: list[float] = []
    own_work: list[float] = []
    by_handler: dict[str, list[float]] = {}
    cpu: dict[str, float] = {}  # the bot process's CPU seconds at its first and last search
    errors: list[str] = []
    instrument(application, processing, with_wait, own_work, by_handler, cpu, errors)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    assert application.updater is not None
    assert application.post_init and application.post_stop and application.post_shutdown
    await application.initialize()
    await application.post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await stop.wait()
    await application.updater.stop()
    await application.stop()
    await application.post_stop(application)
    await application.shutdown()
    await application.post_shutdown(application)
    # The search process has exited and been waited for by now: its CPU time is the children's.
    worker_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    searches = max(1, len(processing))
    measured = {
        "worker_cpu_ms_per_search": (worker_cpu.ru_utime + worker_cpu.ru_stime) * 1000 / searches,
        "processing": processing, "with_wait": with_wait, "own_work": own_work, "by_handler": by_handler,
        "cpu_ms_per_search": (cpu["last"] - cpu["first"]) * 1000 / max(1, len(processing) - 1) if cpu else 0,
        "errors": errors,
    }  # fmt: skip
    timings.write_text(json.dumps(measured))


async def run(args: argparse.Namespace) -> int:
    path = await cached_archive(args.articles, args.seed)
    queries = query_mix(args.users * args.searches, args.seed)
    progress(f"reference: {len(queries):,} searches with Database.search alone")
    reference = await reference_search(path, queries)
    progress(f"load: {args.users} subscribers through the Bot API test server; the bot in its own process")

    seen: list[float] = []
    with BotApiServer() as server, tempfile.TemporaryDirectory() as scratch:
        users = [50_000 + i for i in range(args.users)]
        for i, user_id in enumerate(users):
            server.add_user(user_id, f"مشترک {i}", "en" if i % 10 == 0 else "fa")
        database, timings = Path(scratch) / "archive.sqlite3", Path(scratch) / "timings.json"
        shutil.copyfile(path, database)  # the bot writes its search log; keep the cache clean
        env = bot_environment(server, database) | {"EDITOR_IDS": "1", "SIGNATURE": "", "LOG_LEVEL": "WARNING"}
        with (Path(scratch) / "bot.log").open("w") as log:
            bot = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.load_subscribers", "--bot-process", str(timings)],
                env=env, cwd=Path(__file__).resolve().parent.parent, stderr=log,
            )  # fmt: skip
            try:
                await server.wait_for(lambda: server.calls("getUpdates"), 120, "the bot never polled")
                started = time.perf_counter()
                runs = []
                for i, user_id in enumerate(users):
                    own = queries[i * args.searches : (i + 1) * args.searches]
                    think = random.Random(args.seed * 1000 + i)
                    runs.append(subscriber(server, user_id, own, seen, think, args.think))
                lost = await asyncio.gather(*runs)
                wall = time.perf_counter() - started
                await asyncio.sleep(1.0)  # let the search-log writes queued after the answers finish
            finally:
                bot.send_signal(signal.SIGTERM)
                bot.wait(timeout=120)
        if not timings.exists():
            print((Path(scratch) / "bot.log").read_text()[-3000:], file=sys.stderr)
            return 1
        measured = json.loads(timings.read_text())
    processing, with_wait, errors = measured["processing"], measured["with_wait"], measured["errors"]
    own_work = measured["own_work"]

    total = args.users * args.searches
    mix = ", ".join(f"{KINDS.count(kind)} {kind}" for kind in dict.fromkeys(KINDS))
    print(f"archive: {args.articles:,} articles ({path.stat().st_size / 1e6:.0f} MB); "
          f"{args.users} subscribers × {args.searches} searches = {total:,} (each: {mix}); "
          f"think {args.think[0]:g}–{args.think[1]:g} s between searches")  # fmt: skip
    print(f"answered {len(seen):,} / {total:,}; lost {sum(lost)}; handler errors {len(errors)}; "
          f"wall {wall:.1f} s ({total / wall:.0f} searches/s); CPU per search: bot process "
          f"{measured['cpu_ms_per_search']:.1f} ms (PTB, HTTP, rendering), its search process "
          f"{measured['worker_cpu_ms_per_search']:.1f} ms")  # fmt: skip
    print(summary("bot-side processing: own work (no Bot API call)", own_work))
    for name, values in sorted(measured["by_handler"].items()):
        print(summary(f"  own work of {name}", values))
    print(summary("own work + the Bot API call (no flood-limit wait)", processing))
    print(summary("handler wall time incl. flood-limit wait", with_wait))
    print(summary("seen by the subscriber (inject → answer)", seen))
    print(summary("reference: Database.search alone", reference))
    for error in errors[:5]:
        print("error:", error)
    ok = len(seen) == total and not errors and percentile(own_work, 95) <= args.target_p95
    verdict = "met" if ok else "NOT met"
    print(f"target: every search answered, own-work p95 ≤ {args.target_p95:g} ms → {verdict}")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--searches", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1403)
    parser.add_argument("--target-p95", type=float, default=30.0)
    parser.add_argument(
        "--think", type=float, nargs=2, metavar=("MIN", "MAX"), default=THINK_SECONDS,
        help="seconds a subscriber pauses between searches (default %(default)s)",
    )  # fmt: skip
    parser.add_argument("--bot-process", type=Path, metavar="TIMINGS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bot_process:
        asyncio.run(bot_process(args.bot_process))
        return
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
