"""How long a newcomer waits for the sandbox: a fresh clone, `make run`, until the page answers.

How: each run clones the repository (its committed HEAD) into a new folder and starts `make run` there
with SANDBOX_PORT, as README's quick start says, niced; every line make prints is timestamped, so the
time from one recipe command's echo to the next is that command's share (venv, pip, the bot's start).
It stops at the sandbox's "Open http://…" line and the page's first 200, then SIGTERMs the sandbox.
uv's cache (make run installs with uv) starts empty in each run unless --keep-caches: pip on
this machine kept nothing between runs either, so neither is warmed by the run before. CPU = user + system
seconds of everything the run started (clone, make, pip, uv, the sandbox and its processes until
they stopped): unlike the wall time, it hardly moves with the machine's load.
Stdlib only, so it also measures a checkout whose venv is not made yet.

    python3 benchmarks/bench_sandbox_start.py [--repo PATH] [--runs 3] [--port 8094] [--nice 19]
        [--keep-caches]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
URL_MARK = "Open http://"
STOP_WAIT = 30.0


@dataclass
class Run:
    url_line: float = 0.0
    page: float = 0.0
    cpu: float = 0.0
    load: tuple[str, str] = ("", "")
    steps: list[tuple[str, float]] = field(default_factory=list)  # (command, seconds until the next)


def recipe_commands(repo: Path) -> list[str]:
    """The first line of each command `make run` would echo (from `make -n`, without running any)."""
    dry_run = ["make", "-n", "-B", "run"]  # -B: as for a fresh clone, whatever this checkout has made
    out = subprocess.run(dry_run, cwd=repo, capture_output=True, text=True, check=True).stdout
    commands, continued = [], False
    for line in out.splitlines():
        if not continued and line.strip():
            commands.append(line.rstrip(" \\"))
        continued = line.endswith("\\")
    return commands


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def sandbox_pid(session: int) -> int | None:
    """The `newsdesk run` process of the run's session (make's child), if it is up."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == session and any(part.endswith(b"/newsdesk") for part in cmdline[:2]):
            return int(entry.name)
    return None


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def one_run(repo: Path, work: Path, port: int, niceness: int, commands: list[str], cold: bool) -> Run:
    clone, cache = work / "clone", work / "uv-cache"
    shutil.rmtree(clone, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "SANDBOX_PORT": str(port)}
    if cold:
        env["UV_CACHE_DIR"] = str(cache)
    run = Run()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = load()
    start = time.monotonic()
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    echoes: list[tuple[str, float]] = [("git clone; make reads the Makefile", 0.0)]
    make = subprocess.Popen(
        ["nice", "-n", str(niceness), "make", "run"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own session: the sandbox is found in it, and nothing else
    )
    assert make.stdout is not None
    url_seen = threading.Event()
    pending = list(commands)

    def read() -> None:
        assert make.stdout is not None
        for line in make.stdout:
            now = time.monotonic() - start
            if pending and line.rstrip(" \\\n") == pending[0]:
                echoes.append((pending.pop(0), now))
            if URL_MARK in line and not url_seen.is_set():
                run.url_line = now
                url_seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while not url_seen.wait(0.05):
        if make.poll() is not None:
            raise SystemExit(f"make run ended ({make.returncode}) before the sandbox's URL")
    while not answers(f"http://127.0.0.1:{port}/"):
        time.sleep(0.05)
    run.page = time.monotonic() - start
    run.load = (load_before, load())
    pid = sandbox_pid(make.pid)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
    try:
        make.wait(STOP_WAIT)
    except subprocess.TimeoutExpired:
        os.killpg(make.pid, signal.SIGKILL)  # the session is this run's own
        make.wait()
    reader.join(5)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ends = [at for _, at in echoes[1:]] + [run.url_line]
    run.steps = [(command, end - at) for (command, at), end in zip(echoes, ends, strict=True)]
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="the repository to clone (its HEAD)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8094)
    parser.add_argument("--nice", type=int, default=19, help="niceness of make and all it starts")
    parser.add_argument("--keep-caches", action="store_true", help="uv's own cache, not an empty one")
    args = parser.parse_args()
    commands = recipe_commands(args.repo)
    runs = []
    with tempfile.TemporaryDirectory(prefix="sandbox-start-") as work:
        for number in range(1, args.runs + 1):
            run = one_run(args.repo, Path(work), args.port, args.nice, commands, not args.keep_caches)
            runs.append(run)
            print(
                f"run {number}: URL line {run.url_line:.2f} s, page 200 {run.page:.2f} s, CPU {run.cpu:.1f} s"
                f" (nice {args.nice}; load {run.load[0]} before, {run.load[1]} after)"
            )
            for command, seconds in run.steps:
                print(f"    {seconds:6.2f} s  {command[:100]}")
    pages = [run.page for run in runs]
    print(
        f"page 200 after: median {statistics.median(pages):.2f} s, min {min(pages):.2f},"
        f" max {max(pages):.2f}; CPU median {statistics.median(run.cpu for run in runs):.1f} s"
    )


if __name__ == "__main__":
    main()
