"""What the tests ask of an OS process by its id: read from /proc, so whichever thread or process reaps
it (a pool's manager thread joins its workers too) cannot make the answer wrong."""

from __future__ import annotations

import time
from pathlib import Path


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def ended_within(pid: int, seconds: float) -> bool:
    """Whether the process is gone (or a zombie) within `seconds`."""
    deadline = time.monotonic() + seconds
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not running(pid)
