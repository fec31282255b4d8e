"""Worker processes end with their parent, also when it is killed outright (SIGKILL, the OOM killer)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_the_search_process_ends_when_the_bot_is_killed(tmp_path):
    bot = subprocess.Popen(
        [sys.executable, "-c", _SEARCHING_BOT, str(tmp_path / "news.sqlite3")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        searcher = int(bot.stdout.readline())  # type: ignore[union-attr]
        assert searcher != bot.pid and _running(searcher)
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _running(searcher) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(searcher), "the search process outlived the bot"
    finally:
        bot.kill()
        bot.wait(timeout=10)
