"""Worker processes that end with their parent.

A `ProcessPoolExecutor` worker holds both ends of its task queue, so when its parent is killed
outright (SIGKILL, the OOM killer) it never reads end-of-file and waits forever: every crash of the
bot would leave its search process behind, holding the database open. Each worker made here watches
its parent and exits when it is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing.connection import wait


def worker_pool(workers: int = 1) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes (no fork: the parent runs threads) that end with it."""
    spawn = multiprocessing.get_context("spawn")
    return _Workers(workers, mp_context=spawn, initializer=_watch_parent)


class _Workers(ProcessPoolExecutor):
    """A process pool whose workers never die of a Ctrl-C."""

    def _spawn_process(self) -> None:
        # A Ctrl-C at a terminal reaches the whole process group, a worker still starting too: before
        # `_watch_parent` ignores it, it died of it, printing a traceback of its own (a bot stopped as
        # its sandbox opened). Blocked in the thread that starts it, SIGINT reaches the new process
        # blocked, waits there until it is ignored, and is dropped. The parent loses nothing: a Ctrl-C
        # meanwhile goes to another of its threads, or waits the few milliseconds of the start.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            super()._spawn_process()  # type: ignore[misc]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _watch_parent() -> None:
    # A Ctrl-C at a terminal reaches the whole process group: the parent decides what it means (and
    # shuts its pool down); a worker would only die mid-task with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True).start()


def _exit_when_gone(sentinel: int) -> None:
    wait([sentinel])
    os._exit(0)


def stop_pool(pool: Executor) -> None:
    """Stop a pool now, whatever its workers are doing: for work that may be dropped (a search, a
    draft being formatted, a warm-up loading lexicons — seconds for a cold process on a loaded machine,
    which a stop must not wait for). ProcessPoolExecutor can only wait for a running task; killing its
    processes is the one way to stop one (Python 3.14 adds terminate_workers())."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
