"""Start-up with many pending posts, and how late scheduled posts go out: `newsdesk run` as a process.

How: a database with PENDING scheduled posts (spread over the next 30 days) is built once through
`storage.database.Database`; each run copies it, adds LATENCY posts due one per second shortly
after start, and starts `newsdesk run` against the Bot API test server (bot/botapi, real HTTP,
own thread). Start-up time = process start → the bot's first getUpdates (settings, imports,
database, re-arming every pending post, command menu). Latency = the moment the test server
receives each scheduled post − its due time. References measured in the same run: start-up with
an empty database, and the bare round trip of one sendMessage from PTB to the same server.

    nice -n 10 .venv/bin/python -m benchmarks.bench_startup [--pending 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram.ext import ExtBot

from bot.botapi.server import BotApiServer
from storage.database import Database
from tests.botapi.fixtures import EDITOR_ID, bot_environment, populate

NEWSDESK = Path(sys.executable).with_name("newsdesk")
LATENCY_MARK = "زمان‌سنجی"


async def build_pending(path: Path, count: int) -> None:
    """`count` scheduled posts over the next 30 days."""
    now = datetime.now(UTC)
    async with Database.open(path) as db:
        for number in range(count):
            title = f"خبر در صف {number}"
            body = f"متن خبر {number}"
            article_id = await db.create_draft(title, body, [f"<b>{title}</b>"], editor_id=EDITOR_ID)
            await db.schedule(article_id, now + timedelta(days=1, seconds=number * 250))


async def add_latency_posts(path: Path, count: int, first_due: datetime) -> list[datetime]:
    """`count` posts due one a second from `first_due` (whole seconds: stored times have no fraction)."""
    dues = [first_due + timedelta(seconds=i) for i in range(count)]
    async with Database.open(path) as db:
        for number, due in enumerate(dues):
            article_id = await db.create_draft(
                f"{LATENCY_MARK} {number}", "", [f"{LATENCY_MARK} {number}"], editor_id=EDITOR_ID
            )
            await db.schedule(article_id, due)
    return dues


def run_bot(server: BotApiServer, database: Path, workdir: Path, latency_dues: list[datetime]) -> dict:
    """One `newsdesk run`: start-up seconds and, if asked, the lateness of each latency post."""
    env = bot_environment(server, database) | {"CHANNEL_POSTS_PER_MINUTE": "0", "LOG_LEVEL": "WARNING"}
    polls_before = len(server.calls("getUpdates"))
    started = time.time()
    process = subprocess.Popen([str(NEWSDESK), "run"], env=env, cwd=workdir, stdout=subprocess.DEVNULL,
                               stderr=(workdir / "bot.log").open("ab"))  # fmt: skip
    try:
        server.wait_for_sync(lambda: len(server.calls("getUpdates")) > polls_before, timeout=60)
        first_poll = server.calls("getUpdates")[polls_before].time
        lateness: list[float] = []
        if latency_dues:

            def latency_sends() -> list:
                return [
                    c for c in server.calls("sendMessage")
                    if LATENCY_MARK in str(c.params.get("text", "")) and c.time >= started
                ]  # fmt: skip

            server.wait_for_sync(lambda: len(latency_sends()) >= len(latency_dues),
                                 timeout=(latency_dues[-1].timestamp() - time.time()) + 30)  # fmt: skip
            for call in latency_sends():
                number = int(str(call.params["text"]).rsplit(" ", 1)[1])
                lateness.append(call.time - latency_dues[number].timestamp())
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"startup": first_poll - started, "lateness": lateness, "exit": process.returncode}


async def bare_send_round_trips(server: BotApiServer, count: int) -> list[float]:
    """Reference: PTB → test server → PTB for one sendMessage, no bot around it."""
    bot = ExtBot(server.token, base_url=server.base_url, base_file_url=server.base_file_url)
    times = []
    async with bot:
        for number in range(count):
            begin = time.perf_counter()
            await bot.send_message(server.channel.id, f"مرجع {number}")
            times.append(time.perf_counter() - begin)
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", type=int, default=10_000, help="scheduled posts at start (10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind (3)")
    parser.add_argument("--latency-posts", type=int, default=15, help="scheduled posts timed per run (15)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, populate(BotApiServer()) as server:
        workdir = Path(tmp)
        server.user_sends_text(EDITOR_ID, "/start")  # the editor has talked to the bot
        template = workdir / "template.sqlite3"
        begin = time.perf_counter()
        asyncio.run(build_pending(template, args.pending))
        print(f"built {args.pending} pending posts in {time.perf_counter() - begin:.1f} s", file=sys.stderr)

        empty_startups, full_startups, lateness = [], [], []
        for run in range(args.runs):
            empty = workdir / f"empty-{run}.sqlite3"
            empty_startups.append(run_bot(server, empty, workdir, [])["startup"])

            database = workdir / f"run-{run}.sqlite3"
            shutil.copy(template, database)
            first_due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=12)
            dues = asyncio.run(add_latency_posts(database, args.latency_posts, first_due))
            result = run_bot(server, database, workdir, dues)
            full_startups.append(result["startup"])
            lateness.extend(result["lateness"])
            print(f"run {run + 1}: start-up {result['startup']:.2f} s with {args.pending} pending, "
                  f"{empty_startups[-1]:.2f} s empty; exit {result['exit']}", file=sys.stderr)  # fmt: skip
        reference = asyncio.run(bare_send_round_trips(server, 50))

    print(
        f"start-up, {args.pending} pending posts: median {statistics.median(full_startups):.2f} s, "
        f"max {max(full_startups):.2f} s (target ≤ 5 s) over {args.runs} runs"
    )
    print(
        f"start-up, empty database (reference): median {statistics.median(empty_startups):.2f} s, "
        f"max {max(empty_startups):.2f} s"
    )
    late_ms = [seconds * 1000 for seconds in lateness]
    print(
        f"scheduled post lateness over {len(lateness)} posts: p50 {percentile(late_ms, 0.5):.0f} ms, "
        f"p95 {percentile(late_ms, 0.95):.0f} ms, max {max(late_ms):.0f} ms (target ≤ 2 s)"
    )
    print(
        f"bare sendMessage round trip (reference): p50 {percentile(reference, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(reference, 0.95) * 1000:.1f} ms"
    )
    ok = max(full_startups) <= 5.0 and max(lateness) <= 2.0
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
