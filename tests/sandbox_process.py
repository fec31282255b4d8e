"""`newsdesk sandbox` as a user starts it: a subprocess in an empty directory (no .env), on a free port.

`running_sandbox(tmp_path)` yields the page's URL once the command has printed it, and stops the
command with SIGTERM afterwards (failing the test if it does not stop cleanly).
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NEWSDESK = Path(sys.executable).with_name("newsdesk")
START_SECONDS = 60.0
# Settings that would make it something else than a fresh sandbox
_BOT_SETTINGS = ("BOT_TOKEN", "CHANNEL_ID", "EDITOR_IDS", "DATABASE_PATH", "TELEGRAM_API_URL", "WEBHOOK_URL")
# For a sandbox whose tests send the same draft again and again (bot.desk.duplicates would ask each time)
NO_DUPLICATE_GUARD = {"DUPLICATE_DAYS": "0"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _BOT_SETTINGS}


def wait_for_line(process: subprocess.Popen, needle: str, timeout: float) -> tuple[str, list[str]]:
    """The first stdout line holding `needle`, and every line read so far (AssertionError on timeout)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no {needle!r} within {timeout} s; output: {''.join(seen)}") from None
        if line is None:
            raise AssertionError(f"exited ({process.wait()}) without {needle!r}; output: {''.join(seen)}")
        seen.append(line)
        if needle in line:
            return line, seen


@contextmanager
def running_sandbox(directory: Path, *args: str, settings: dict[str, str] | None = None) -> Iterator[str]:
    """Start `newsdesk sandbox` in `directory` on a free port (with these settings in its environment);
    yield the URL it prints."""
    port = free_port()
    command = [str(NEWSDESK), "sandbox", "--port", str(port), *args]
    stderr = (directory / "sandbox.log").open("w")
    env = clean_environment() | (settings or {})
    process = subprocess.Popen(
        command, cwd=directory, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
    )
    try:
        line, _ = wait_for_line(process, "http://127.0.0.1:", START_SECONDS)
        url = line.split()[-1]
        assert url == f"http://127.0.0.1:{port}/"
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=30)
        stderr.close()
    assert status == 0, (directory / "sandbox.log").read_text()
