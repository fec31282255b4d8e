"""`newsdesk search` on an archive that is corrupted, on a read-only file system, written by another
process, locked exclusively, or on a full disk (issue 24): each its own one line and exit status 2 —
never a traceback — and the read-only archive and the one being written are simply searched."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main

EXPORT = Path(__file__).parent.parent / "data" / "telegram_export.json"
NEWSDESK = Path(sys.executable).with_name("newsdesk")
QUERY = "خلیج فارس"


@pytest.fixture
def archive(tmp_path, capsys) -> Path:
    path = tmp_path / "archive" / "archive.sqlite3"
    assert main(["import", str(EXPORT), "--db", str(path)]) == 1  # the export holds three bad records
    capsys.readouterr()
    return path


def _one_line(capsys, *expected: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for text in expected:
        assert text in err, err
    return err


def _in_namespace(script: str) -> subprocess.CompletedProcess:
    """`script` run by sh as root of a user and mount namespace of its own (to mount a read-only bind or
    a small tmpfs without privileges); skipped where the kernel does not allow it."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"]).returncode != 0:
        pytest.skip("no user namespaces here (unshare -rm)")
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("table", ["articles", "search_index_data", "search_index_idx"])
def test_a_corrupted_archive_is_one_line(archive, capsys, table):
    conn = sqlite3.connect(archive)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(archive.read_bytes())
    for at in range((root - 1) * page_size + 8, root * page_size, 5):  # the table's root page scrambled
        data[at] = 0x5A
    archive.write_bytes(data)
    assert main(["search", QUERY, "--db", str(archive)]) == 2
    _one_line(capsys, str(archive), "corrupted", "restore it from a backup")


def test_an_archive_on_a_read_only_file_system_is_searched(archive):
    folder = archive.parent
    done = _in_namespace(
        f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} &&"
        f" {NEWSDESK} search '{QUERY}' --json --db {archive} &&"
        f" {{ {NEWSDESK} import {EXPORT} --db {archive}; echo import=$?; }}"
    )
    assert done.returncode == 0, done.stderr
    hits, _, rest = done.stdout.partition("\nimport=")
    assert [hit["id"] for hit in json.loads(hits)] == ["9"]
    assert rest.strip() == "2"
    assert done.stderr.count("\n") == 1 and "read-only" in done.stderr and "Traceback" not in done.stderr


_WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
if sys.argv[2] == "exclusive":
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE articles SET title = title || '' WHERE id = (SELECT min(id) FROM articles)")
print("writing", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def _writer(archive: Path, how: str) -> subprocess.Popen:
    """Another process in the middle of a write transaction on `archive` until its stdin closes."""
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(archive), how], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    return proc


def test_a_search_is_not_held_up_by_another_process_writing(archive, capsys):
    """Under WAL a reader never waits for a writer: the search answers at once (it gave up after 5 s,
    "locked", while an import or the bot wrote)."""
    writer = _writer(archive, "wal")
    try:
        started = time.monotonic()
        assert main(["search", QUERY, "--json", "--db", str(archive)]) == 0
        took = time.monotonic() - started
    finally:
        writer.communicate("", timeout=30)
    assert [hit["id"] for hit in json.loads(capsys.readouterr().out)] == ["9"]
    assert took < 5


def test_an_archive_locked_exclusively_is_one_line_after_waiting(archive, capsys):
    writer = _writer(archive, "exclusive")
    try:
        assert main(["search", QUERY, "--db", str(archive)]) == 2
    finally:
        writer.communicate("", timeout=30)
    _one_line(capsys, str(archive), "locked by another program")


def test_a_full_disk_is_said_to_be_full(archive):
    """On a full file system the archive cannot make the files SQLite reads and writes through: said as
    a full disk (it was "disk I/O error"), one line, exit 2, for search and import alike."""
    mount = archive.parent.parent / "small"
    mount.mkdir()
    copy = mount / "archive.sqlite3"
    done = _in_namespace(
        f"mount -t tmpfs -o size=512k none {mount} && cp {archive} {copy} &&"
        f" {{ dd if=/dev/zero of={mount}/filler bs=4k 2>/dev/null; true; }} &&"
        f" {{ {NEWSDESK} search '{QUERY}' --db {copy}; echo search=$?;"
        f" {NEWSDESK} import {EXPORT} --db {copy}; echo import=$?; }}"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == ["search=2", "import=2"], done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith(f"newsdesk search: {copy}: the disk is full")
    assert lines[1].startswith(f"newsdesk import: {copy}: the disk is full")
