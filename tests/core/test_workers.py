"""Worker processes end with their parent, also when it is killed outright (SIGKILL, the OOM killer), and
never die of a Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.core.workers import worker_pool
from tests.processes import ended_within, running

ROOT = Path(__file__).resolve().parents[2]

# The bot's way: a database whose searches run in a process of their own; print that process's id.
_SEARCHING_BOT = """
import asyncio, os, sys
from storage.database import Database

async def main():
    db = await Database.open(sys.argv[1], search_in="process")
    print(db._searcher.submit(os.getpid).result(), flush=True)
    await asyncio.sleep(120)

asyncio.run(main())
"""


def test_the_search_process_ends_when_the_bot_is_killed(tmp_path):
    bot = subprocess.Popen(
        [sys.executable, "-c", _SEARCHING_BOT, str(tmp_path / "news.sqlite3")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        searcher = int(bot.stdout.readline())  # type: ignore[union-attr]
        assert searcher != bot.pid and running(searcher)
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait(timeout=10)
        assert ended_within(searcher, 10), "the search process outlived the bot"
    finally:
        bot.kill()
        bot.wait(timeout=10)


def test_a_ctrl_c_as_a_worker_starts_neither_kills_it_nor_prints_a_traceback(capfd):
    """A Ctrl-C reaches the whole process group, a worker still importing too (the sandbox stopped as it
    opened): the worker must live on and say nothing."""
    pool = worker_pool()
    try:
        future = pool.submit(os.getpid)  # starts the worker now
        (pid,) = pool._processes  # type: ignore[attr-defined]
        os.kill(pid, signal.SIGINT)  # milliseconds before its interpreter is even up
        assert future.result(timeout=60) == pid
        assert pool.submit(os.getpid).result(timeout=60) == pid
    finally:
        pool.shutdown()
    assert "Traceback" not in capfd.readouterr().err
