"""Imports: Telegram Desktop exports and JSON Lines, streamed, idempotent, one bad record never fatal;
and the `newsdesk import` / `newsdesk search` command lines."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import importers
from bot.cli import main
from bot.importers import (
    Malformed,
    NotAnArchive,
    Skipped,
    detect_format,
    read_json_lines,
    read_telegram_export,
)
from storage.database import ImportRecord

EXPORT = Path(__file__).parent / "data" / "telegram_export.json"


def _split(items):
    records = [i for i in items if isinstance(i, ImportRecord)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    malformed = [i for i in items if isinstance(i, Malformed)]
    return records, skipped, malformed


def test_telegram_export_odd_cases():
    with EXPORT.open("rb") as stream:
        records, skipped, malformed = _split(list(read_telegram_export(stream)))
    assert [r.external_id for r in records] == ["2", "3", "5", "8", "9"]
    assert [s.reason for s in skipped] == ["service message", "no text (media only)", "no text (media only)"]
    assert len(malformed) == 3  # a non-numeric id, a number as text, a broken date
    by_id = {r.external_id: r for r in records}
    assert by_id["2"].title == "افتتاح پروژه‌های عمرانی در تهران"
    assert by_id["2"].body.startswith("شهرداری تهران")
    assert by_id["2"].published_at == datetime.fromtimestamp(1711005900, UTC)
    assert by_id["2"].url == "https://t.me/c/1987654321/2"  # a private channel's post link
    assert by_id["3"].title == "🔴 پیش‌بینی هواشناسی برای آخر هفته"  # text given as entity parts
    assert by_id["3"].body == "بارش باران در ۱۲ استان پیش‌بینی می‌شود. #هواشناسی"
    assert by_id["5"].title.startswith("اصلاحیه")  # an edited message in its last form
    assert by_id["8"].published_at == datetime(2024, 3, 22, 11, 0, tzinfo=UTC)  # no date_unixtime
    assert by_id["9"].title == "عکس روز: غروب در خلیج فارس" and by_id["9"].body == ""  # a caption


def test_export_is_streamed_in_small_reads(monkeypatch):
    whole = list(read_telegram_export(EXPORT.open("rb")))
    monkeypatch.setattr(importers, "_CHUNK", 7)  # split inside UTF-8 letters and JSON tokens
    assert list(read_telegram_export(EXPORT.open("rb"))) == whole


def test_broken_json_message_is_skipped_and_the_rest_read():
    text = EXPORT.read_text(encoding="utf-8")
    broken = text.replace('"id": 5,', '"id": 5 "oops",', 1)
    items = list(read_telegram_export(io.BytesIO(broken.encode())))
    records, _, malformed = _split(items)
    assert [r.external_id for r in records] == ["2", "3", "8", "9"]
    assert len(malformed) == 4 and "not valid JSON" in malformed[0].reason


def test_not_an_export():
    with pytest.raises(NotAnArchive):
        list(read_telegram_export(io.BytesIO(b'{"name": "x", "chats": {"list": []}}')))
    with pytest.raises(NotAnArchive):
        detect_format(b"<html></html>")
    assert detect_format(b'{"id": "1", "title": "t"}\n{') == "jsonl"
    assert detect_format(EXPORT.read_bytes()[:100]) == "telegram"


def test_json_lines_records_and_problems():
    lines = [
        json.dumps(
            {
                "id": "a1",
                "title": "عنوان",
                "body": "متن",
                "published_at": "2024-05-01T10:00:00+03:30",
                "url": "https://t.me/x/1",
            },
            ensure_ascii=False,
        ),
        "",
        json.dumps({"id": 7, "title": "", "body": "فقط متن", "published_at": "2024-05-01T10:00:00"}),
        "{not json",
        json.dumps({"title": "بدون شناسه", "body": "x", "published_at": "2024-05-01T10:00:00"}),
        json.dumps({"id": "b", "title": "x", "body": "y", "published_at": "دیروز"}),
        json.dumps({"id": "c", "title": "  ", "body": "", "published_at": "2024-05-01T10:00:00"}),
        json.dumps([1, 2]),
    ]
    data = "\n".join(lines).encode() + b"\n\xff\xfe bad bytes\n"
    records, skipped, malformed = _split(list(read_json_lines(io.BytesIO(data))))
    assert [r.external_id for r in records] == ["a1", "7"]
    assert records[0].published_at == datetime(2024, 5, 1, 6, 30, tzinfo=UTC)
    assert records[1].published_at.tzinfo is UTC  # naive means UTC
    assert len(skipped) == 1
    assert [m.where for m in malformed] == ["line 4", "line 5", "line 6", "line 8", "line 9"]


# --- command line ----------------------------------------------------------------------------------


def test_cli_import_twice_adds_nothing(tmp_path, capsys):
    db = tmp_path / "archive.sqlite3"
    assert main(["import", str(EXPORT), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == ("imported 5, skipped 3 (already archived 0, service or empty 3), malformed 3")
    assert err.count("\n") == 3  # one line per malformed record
    assert main(["import", str(EXPORT), "--db", str(db)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("imported 0, skipped 8 (already archived 5")


def test_cli_search_json_and_batch(tmp_path, capsys):
    db = tmp_path / "archive.sqlite3"
    main(["import", str(EXPORT), "--db", str(db)])
    capsys.readouterr()
    assert main(["search", "پروژه های عمراني", "--json", "--db", str(db)]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in hits] == ["2"]
    assert set(hits[0]) == {"id", "title", "snippet", "published_at", "url", "score"}
    assert "**پروژه**" in hits[0]["snippet"]
    batch = tmp_path / "queries.txt"
    batch.write_text("پیشبینی باران\nتورم 35.5\nچیزی که نیست\n", encoding="utf-8")
    assert main(["search", "--batch", str(batch), "--db", str(db), "--limit", "3"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["query"] for line in lines] == ["پیشبینی باران", "تورم 35.5", "چیزی که نیست"]
    assert [[r["id"] for r in line["results"]] for line in lines] == [["3"], ["5"], []]
    assert all(isinstance(line["ms"], float) for line in lines)


def test_cli_search_text_output(tmp_path, capsys):
    db = tmp_path / "archive.sqlite3"
    main(["import", str(EXPORT), "--db", str(db)])
    capsys.readouterr()
    assert main(["search", "خلیج فارس", "--db", str(db)]) == 0
    assert "عکس روز" in capsys.readouterr().out


def test_cli_default_database_path_from_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "env.sqlite3"))
    assert main(["import", str(EXPORT)]) == 0
    assert (tmp_path / "env.sqlite3").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import", "/no/such/file.json"], "no such file"),
        (["search", "x", "--db", "/no/such/archive.sqlite3"], "no archive"),
        (["search", "--db", "{db}"], "either a QUERY or --batch"),
        (["search", "x", "--limit", "0", "--db", "{db}"], "--limit"),
        (["search", "--batch", "/no/such/queries.txt", "--db", "{db}"], "no such file"),
        (["import", "{notjson}", "--db", "{db}"], "not a Telegram Desktop export"),
        (["import", "{empty}", "--db", "{db}"], "empty"),
        (["import", "{dir}", "--db", "{db}"], "directory"),
        (["search", "x", "--db", "{notjson}"], "not a newsdesk database"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys, argv, message):
    db = tmp_path / "archive.sqlite3"
    main(["import", str(EXPORT), "--db", str(db)])
    (tmp_path / "page.html").write_text("<html>not an export</html>")
    (tmp_path / "empty.json").write_text("  \n")
    capsys.readouterr()
    names = {"db": str(db), "notjson": str(tmp_path / "page.html"), "empty": str(tmp_path / "empty.json"),
             "dir": str(tmp_path)}  # fmt: skip
    assert main([a.format(**names) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_cli_import_analyzes_big_files_in_a_worker_process(tmp_path, monkeypatch, capsys):
    from bot import cli_archive

    monkeypatch.setattr(cli_archive, "WORKER_MIN_BYTES", 0)
    monkeypatch.setattr(cli_archive, "IMPORT_BATCH", 2)  # several batches through the pipeline
    db = tmp_path / "archive.sqlite3"
    assert main(["import", str(EXPORT), "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith("imported 5, skipped 3")
    conn = sqlite3.connect(db)  # one transaction per batch, merged into one index segment at the end
    assert conn.execute("SELECT count(DISTINCT segid) FROM search_index_idx").fetchone()[0] == 1
    conn.close()
    assert main(["search", "پروژه عمرانی", "--json", "--db", str(db)]) == 0
    assert [h["id"] for h in json.loads(capsys.readouterr().out)] == ["2"]
