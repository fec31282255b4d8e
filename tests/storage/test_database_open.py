"""Databases that cannot be used: one line and exit status 2, never a traceback, never a write to a
file that is not newsdesk's; a read-only archive can still be searched."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.archive.importers import open_archive
from bot.archive.importing import import_archive
from bot.cli import main
from storage.database import Database, DatabaseUnusable, sqlite_problem
from storage.migrations import MIGRATIONS

EXPORT = Path(__file__).parent.parent / "data" / "telegram_export.json"
NEWSDESK = Path(sys.executable).with_name("newsdesk")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(capsys, *expected: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for text in expected:
        assert text in err, err
    return err


def test_a_file_that_is_not_a_newsdesk_database_is_never_written(tmp_path, capsys):
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('x')")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all\n")
    for path in (other, text):
        before = _digest(path)
        assert main(["search", "خبر", "--db", str(path)]) == 2
        _one_line(capsys, "not a newsdesk database")
        assert main(["import", str(EXPORT), "--db", str(path)]) == 2
        _one_line(capsys, "not a newsdesk database")
        assert _digest(path) == before
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-journal").exists()
    conn = sqlite3.connect(other)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]
    conn.close()


def test_a_newer_schema_is_one_line_for_search_and_import(tmp_path, capsys):
    path = tmp_path / "future.sqlite3"
    main(["import", str(EXPORT), "--db", str(path)])
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    capsys.readouterr()
    assert main(["search", "خبر", "--db", str(path)]) == 2
    _one_line(capsys, "newer newsdesk")
    assert main(["import", str(EXPORT), "--db", str(path)]) == 2
    _one_line(capsys, "newer newsdesk")


@pytest.mark.parametrize("command", ["import", "search"])
def test_memory_and_unopenable_databases_are_one_line(tmp_path, capsys, command):
    args = [str(EXPORT)] if command == "import" else ["خبر"]
    for db in (":memory:", str(tmp_path), str(tmp_path / "missing-dir" / "x" / "db.sqlite3")):
        status = main([command, *args, "--db", db])
        if command == "search" or db == ":memory:" or db == str(tmp_path):
            assert status == 2
            _one_line(capsys)
        else:
            capsys.readouterr()  # importing into a new folder creates it


def test_an_unopenable_db_leaves_no_thread_traceback(tmp_path):
    """In a process of its own, so anything a leftover thread or process prints at exit is seen."""
    done = subprocess.run([str(NEWSDESK), "import", str(EXPORT), "--db", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_read_only_archive_can_be_searched_not_imported_into(tmp_path, capsys):
    path = tmp_path / "archive.sqlite3"
    main(["import", str(EXPORT), "--db", str(path)])
    capsys.readouterr()
    # Root may write any file whatever its mode, so the file is made immutable (ext4's +i) instead.
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (no CAP_LINUX_IMMUTABLE or not ext2/3/4)")
    try:
        before = _digest(path)
        assert main(["search", "خلیج فارس", "--json", "--db", str(path)]) == 0
        assert "عکس روز" in capsys.readouterr().out
        assert main(["import", str(EXPORT), "--db", str(path)]) == 2
        _one_line(capsys, "read-only")
        assert _digest(path) == before
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_database_locked_longer_than_5_s_is_one_line(tmp_path, capsys):
    path = tmp_path / "archive.sqlite3"
    main(["import", str(EXPORT), "--db", str(path)])
    capsys.readouterr()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["import", str(EXPORT), "--db", str(path)]) == 2
        _one_line(capsys, "locked")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


async def test_a_full_disk_stops_the_import_with_what_was_committed_kept(tmp_path):
    """SQLITE_FULL, as a full disk gives it (here from a page limit): the batches committed stay, the
    database stays sound, and the next run goes on from there."""
    from bot.archive import importing

    path = tmp_path / "archive.sqlite3"
    body = "متن طولانی " * 200
    lines = [
        f'{{"id": "r{i}", "title": "خبر {i}", "body": "{body}", "published_at": "2024-05-01"}}'
        for i in range(60)
    ]
    data = ("\n".join(lines) + "\n").encode()
    old_batch, importing.IMPORT_BATCH = importing.IMPORT_BATCH, 10
    try:
        async with Database.open(path) as db:
            (pages,) = (await db._conn.execute_fetchall("PRAGMA page_count"))[0]
            await db._conn.execute(f"PRAGMA max_page_count = {pages + 40}")
            with pytest.raises(sqlite3.OperationalError) as full:
                await import_archive(db, open_archive(io.BytesIO(data)))
            assert "disk is full" in sqlite_problem(full.value)
            kept = await db.count_published()
        assert 0 < kept < 60
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()
        async with Database.open(path) as db:
            counts = await import_archive(db, open_archive(io.BytesIO(data)))
            assert counts["imported"] == 60 - kept and counts["duplicates"] == kept
    finally:
        importing.IMPORT_BATCH = old_batch


async def test_database_unusable_is_raised_for_a_newer_schema_before_any_write(tmp_path):
    path = tmp_path / "n.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE articles (id INTEGER)")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseUnusable, match="newer"):
        await Database.open(path)
    assert _digest(path) == before


def _database_at(path: Path, version: int) -> sqlite3.Connection:
    """A database as an older newsdesk left it: the first `version` migrations applied."""
    from storage.connection import _statements

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    for number, script in enumerate(MIGRATIONS[:version], start=1):
        for statement in _statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    return conn


async def test_migration_5_rebuilds_the_articles_keeping_every_row_and_what_refers_to_them(tmp_path):
    """A schema-4 database (before (channel, id) identity): its rows, ids and editor waits survive."""
    path = tmp_path / "v4.sqlite3"
    conn = _database_at(path, 4)
    now = "2026-11-30T08:00:00+00:00"
    conn.execute(
        "INSERT INTO articles (id, source, external_id, title, status, created_at, updated_at)"
        " VALUES (7, 'import', '5', 'قدیمی', 'published', ?, ?), (9, 'bot', NULL, 'پیش‌نویس', 'draft', ?, ?)",
        (now, now, now, now),
    )
    conn.execute(
        "INSERT INTO editor_waits (user_id, kind, article_id, since) VALUES (1001, 'edit', 9, ?)", (now,)
    )
    conn.close()
    async with Database.open(path) as db:
        assert (await db.awaited_input(1001))[:2] == ("edit", 9)  # not cascaded away by the rebuild
        assert (await db.get(7)).external_id == "5" and (await db.get(9)).status == "draft"
        rows = await db._conn.execute_fetchall("SELECT id, channel FROM articles ORDER BY id")
        assert rows == [(7, ""), (9, None)]  # an old import's channel is unknown; a draft has none yet
        assert (await db._conn.execute_fetchall("PRAGMA foreign_key_check")) == []


async def test_migration_10_keeps_the_published_notices_recorded_before_it(tmp_path):
    """A schema-9 database knew only the author's copy of a "published" notice: a reply to it still
    corrects the post after the upgrade, and every copy recorded later is found too."""
    path = tmp_path / "v9.sqlite3"
    conn = _database_at(path, 9)
    now = "2026-11-30T08:00:00+00:00"
    conn.execute(
        "INSERT INTO articles (id, source, title, status, created_at, updated_at, editor_chat_id,"
        " confirmation_message_id) VALUES (3, 'bot', 'خبر', 'published', ?, ?, 1001, 42),"
        " (4, 'bot', 'پیش‌نویس', 'draft', ?, ?, 1001, NULL)",
        (now, now, now, now),
    )
    conn.close()
    async with Database.open(path) as db:
        assert (await db.find_by_notice(1001, 42)).id == 3
        assert await db.find_by_notice(1001, 43) is None
        await db.record_notice(3, 4010, 17)  # another editor's copy
        assert (await db.find_by_notice(4010, 17)).id == 3
        assert await db.find_by_notice(1001, 17) is None  # a message id is only meant in its own chat
        await db.record_notice(3, 1001, 50)  # the author's copy of a notice sent again
        assert (await db.find_by_notice(1001, 42)).id == 3 and (await db.find_by_notice(1001, 50)).id == 3


async def test_a_correction_held_before_files_could_be_is_read_as_a_text_one(tmp_path):
    """The migration that gave held corrections their files: one held by an older newsdesk (a text)
    survives it, its files staying as they are (`media` None)."""
    files = "pending_corrections ADD COLUMN media"
    version = next(i for i, script in enumerate(MIGRATIONS) if files in script)  # the schema before it
    path = tmp_path / "before_files.sqlite3"
    conn = _database_at(path, version)
    now = "2026-11-30T08:00:00+00:00"
    conn.execute(
        "INSERT INTO articles (id, source, title, status, created_at, updated_at)"
        " VALUES (3, 'bot', 'خبر', 'published', ?, ?)",
        (now, now),
    )
    conn.execute(
        "INSERT INTO pending_corrections (article_id, title, body, html, since)"
        " VALUES (3, 'خبر', 'متن تازه', '[\"<b>خبر</b>\"]', ?)",
        (now,),
    )
    conn.close()
    async with Database.open(path) as db:
        held = await db.take_correction(3)
    assert held is not None and held.body == "متن تازه" and held.messages == ["<b>خبر</b>"]
    assert held.media is None


async def test_posts_cancelled_before_undo_existed_are_listed_from_their_last_change(tmp_path):
    """The migration that records when a post was cancelled: one cancelled by an older newsdesk takes its
    last change as that moment, so /drafts lists it for a week from then and it can be restored."""
    column = "articles ADD COLUMN cancelled_at"
    version = next(i for i, script in enumerate(MIGRATIONS) if column in script)  # the schema before it
    path = tmp_path / "before_undo.sqlite3"
    conn = _database_at(path, version)
    then = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    conn.execute(
        "INSERT INTO articles (id, source, title, status, scheduled_at, created_at, updated_at)"
        " VALUES (3, 'bot', 'لغوشده', 'cancelled', NULL, ?, ?), (4, 'bot', 'پیش‌نویس', 'draft', NULL, ?, ?)",
        (then.isoformat(), then.isoformat(), then.isoformat(), then.isoformat()),
    )
    conn.close()
    async with Database.open(path) as db:
        assert (await db.get(3)).cancelled_at == then and (await db.get(4)).cancelled_at is None
        assert [a.id for a in await db.list_cancelled(then - timedelta(days=7))] == [3]
        assert await db.restore(3, then) and (await db.get(3)).status == "draft"
