"""Imports: Telegram Desktop exports and JSON Lines, streamed, idempotent, one bad record never fatal;
and the `newsdesk import` / `newsdesk search` command lines."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import messages as msg
from bot.archive import importers
from bot.archive.importers import ArchiveFormat, Malformed, NotAnArchive, Skipped, open_archive
from bot.cli import main
from storage.database import Database, ImportRecord

EXPORT = Path(__file__).parent.parent / "data" / "telegram_export.json"


def _read(data: bytes, **options):
    return list(open_archive(io.BytesIO(data)).items(**options))


def _split(items):
    records = [i for i in items if isinstance(i, ImportRecord)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    malformed = [i for i in items if isinstance(i, Malformed)]
    return records, skipped, malformed


def test_telegram_export_odd_cases():
    records, skipped, malformed = _split(_read(EXPORT.read_bytes()))
    assert [r.external_id for r in records] == ["2", "3", "4", "5", "8", "9"]
    no_post = "no text and no media a post keeps (a sticker, poll, location…)"
    assert [s.reason for s in skipped] == ["service message", no_post]  # the sticker
    assert len(malformed) == 3  # a non-numeric id, a number as text, a broken date
    by_id = {r.external_id: r for r in records}
    assert by_id["2"].title == "افتتاح پروژه‌های عمرانی در تهران"
    assert by_id["2"].body.startswith("شهرداری تهران")
    assert by_id["2"].published_at == datetime.fromtimestamp(1711005900, UTC)
    assert by_id["2"].url == "https://t.me/c/1987654321/2"  # a private channel's post link
    assert by_id["3"].title == "🔴 پیش‌بینی هواشناسی برای آخر هفته"  # text given as entity parts
    assert by_id["3"].body == "بارش باران در ۱۲ استان پیش‌بینی می‌شود. #هواشناسی"
    # A photo without text is a post: its kind kept, no title (the export names no file for a photo).
    assert (by_id["4"].title, by_id["4"].body, by_id["4"].media_kind) == ("", "", "photo")
    assert by_id["5"].title.startswith("اصلاحیه")  # an edited message in its last form
    assert by_id["8"].published_at == datetime(2024, 3, 22, 11, 0, tzinfo=UTC)  # no date_unixtime
    assert by_id["9"].title == "عکس روز: غروب در خلیج فارس" and by_id["9"].body == ""  # a caption


def test_export_is_streamed_in_small_reads(monkeypatch):
    whole = _read(EXPORT.read_bytes())
    monkeypatch.setattr(importers, "_CHUNK", 7)  # split inside UTF-8 letters and JSON tokens
    monkeypatch.setattr(importers, "MAX_RECORD_CHARS", 2000)
    assert _read(EXPORT.read_bytes()) == whole


def test_broken_json_message_is_skipped_and_the_rest_read():
    text = EXPORT.read_text(encoding="utf-8")
    broken = text.replace('"id": 5,', '"id": 5 "oops",', 1)
    records, _, malformed = _split(_read(broken.encode()))
    assert [r.external_id for r in records] == ["2", "3", "4", "8", "9"]
    assert len(malformed) == 4 and "not valid JSON" in malformed[0].reason
    assert malformed[0].where == "message #5 at line 59, column 3"  # its opening brace
    assert malformed[0].reason.endswith("at line 60, column 12")  # where the JSON breaks


def test_not_an_export():
    with pytest.raises(NotAnArchive):  # a whole-account export: no channel message list
        _read(b'{"name": "x", "chats": {"list": []}}\n[]')
    with pytest.raises(NotAnArchive):
        open_archive(io.BytesIO(b"<html></html>"))
    assert open_archive(io.BytesIO(b'{"id": "1", "title": "t"}\n{')).format is ArchiveFormat.JSON_LINES
    assert open_archive(EXPORT.open("rb")).format is ArchiveFormat.TELEGRAM


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
    records, skipped, malformed = _split(_read(data))
    assert [r.external_id for r in records] == ["a1", "7"]
    assert records[0].published_at == datetime(2024, 5, 1, 6, 30, tzinfo=UTC)
    assert records[1].published_at.tzinfo is UTC  # naive means UTC
    assert len(skipped) == 1
    assert [m.where for m in malformed] == ["line 4", "line 5", "line 6", "line 8", "line 9"]


# --- command line ----------------------------------------------------------------------------------


def test_cli_import_twice_adds_nothing(tmp_path, capsys):
    db = tmp_path / "archive.sqlite3"
    assert main(["import", str(EXPORT), "--db", str(db)]) == 1  # some records were malformed
    out, err = capsys.readouterr()
    assert out.strip() == ("imported 6, skipped 2 (already archived 0, service or empty 2), malformed 3")
    assert err.count("\n") == 4  # one line per malformed record, then the summary
    assert "3 malformed records" in err.splitlines()[-1]
    report = tmp_path / "problems.txt"
    assert main(["import", str(EXPORT), "--db", str(db), "--report", str(report)]) == 1
    out, _ = capsys.readouterr()
    assert out.startswith("imported 0, skipped 8 (already archived 6")
    assert report.read_text(encoding="utf-8").splitlines() == [
        "message #6 at line 71, column 3: no usable message id",
        "message 7 (line 77, column 3): text is neither a string nor a list of parts",
        "message 11 (line 110, column 3): no usable date (date_unixtime or date)",
    ]


def test_cli_search_json_and_batch(tmp_path, capsys):
    db = tmp_path / "archive.sqlite3"
    main(["import", str(EXPORT), "--db", str(db)])
    capsys.readouterr()
    assert main(["search", "پروژه های عمراني", "--json", "--db", str(db)]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in hits] == ["2"]
    assert set(hits[0]) == {"id", "title", "snippet", "published_at", "url", "score", "media"}
    assert "**پروژه**" in hits[0]["snippet"]
    batch = tmp_path / "queries.txt"
    batch.write_text("پیشبینی باران\nتورم 35.5\nچیزی که نیست\n", encoding="utf-8")
    assert main(["search", "--batch", str(batch), "--db", str(db), "--limit", "3"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["query"] for line in lines] == ["پیشبینی باران", "تورم 35.5", "چیزی که نیست"]
    assert [[r["id"] for r in line["results"]] for line in lines] == [["3"], ["5"], []]
    assert all(isinstance(line["ms"], float) for line in lines)


def test_cli_search_of_words_left_out_alone(tmp_path, capsys):
    db = tmp_path / "archive.sqlite3"
    main(["import", str(EXPORT), "--db", str(db)])
    capsys.readouterr()
    assert main(["search", "--db", str(db), "--", "-پروژه"]) == 2
    out, err = capsys.readouterr()
    assert not out and err.count("\n") == 1 and "only leaves words out" in err
    batch = tmp_path / "queries.txt"
    batch.write_text("-پروژه\nپروژه -باران\n", encoding="utf-8")
    assert main(["search", "--batch", str(batch), "--db", str(db)]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["results"] == [] and "only leaves words out" in first["problem"]
    assert [r["id"] for r in second["results"]] == ["2"] and "problem" not in second


def test_cli_search_text_output(tmp_path, capsys):
    db = tmp_path / "archive.sqlite3"
    main(["import", str(EXPORT), "--db", str(db)])
    capsys.readouterr()
    assert main(["search", "خلیج فارس", "--db", str(db)]) == 0
    assert "عکس روز" in capsys.readouterr().out


@pytest.mark.parametrize("zone", ["Asia/Tehran", "Europe/London"])
def test_cli_search_shows_dates_as_the_bot_does_and_json_keeps_utc(tmp_path, capsys, monkeypatch, zone):
    """Jalali, in TIMEZONE, Persian digits — `msg.when`, as the bot's result cards; `--json` ISO UTC."""
    monkeypatch.chdir(tmp_path)  # no .env of the working copy
    monkeypatch.setenv("TIMEZONE", zone)
    db = tmp_path / "archive.sqlite3"
    main(["import", str(EXPORT), "--db", str(db)])
    capsys.readouterr()
    assert main(["search", "پروژه های عمراني", "--db", str(db)]) == 0
    published = datetime.fromtimestamp(1711005900, UTC)
    out = capsys.readouterr().out
    assert msg.when(published, ZoneInfo(zone), msg.FA) in out and "2024" not in out
    assert main(["search", "پروژه های عمراني", "--json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["published_at"] == published.isoformat()
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    assert main(["search", "پروژه", "--db", str(db)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_default_database_path_from_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "env.sqlite3"))
    assert main(["import", str(EXPORT)]) == 1
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
    from bot.archive import importing

    monkeypatch.setattr(importing, "WORKER_MIN_BYTES", 0)
    monkeypatch.setattr(importing, "IMPORT_BATCH", 2)  # several batches through the pipeline
    db = tmp_path / "archive.sqlite3"
    assert main(["import", str(EXPORT), "--db", str(db)]) == 1
    assert capsys.readouterr().out.startswith("imported 6, skipped 2")
    conn = sqlite3.connect(db)  # one transaction per batch, merged into one index segment at the end
    assert conn.execute("SELECT count(DISTINCT segid) FROM search_index_idx").fetchone()[0] == 1
    conn.close()
    assert main(["search", "پروژه عمرانی", "--json", "--db", str(db)]) == 0
    assert [h["id"] for h in json.loads(capsys.readouterr().out)] == ["2"]


# --- damage, bad values and the format (issue 12) ----------------------------------------------------


def _export(messages: list[object], *, indent: int | None = 1, channel_id: int = 1987654321,
            kind: str = "public_channel") -> bytes:  # fmt: skip
    header = {"name": "کانال", "type": kind, "id": channel_id, "messages": messages}
    # A lone surrogate is written as its escape, as a broken exporter would.
    return (
        json.dumps(header, ensure_ascii=False, indent=indent)
        .encode("utf-8", "surrogatepass")
        .replace("\ud83d".encode("utf-8", "surrogatepass"), b"\\ud83d")
    )


def _post(message_id: int, text: str = "", **fields: object) -> dict:
    return {"id": message_id, "type": "message", "date": "2024-03-21T10:15:00",
            "date_unixtime": str(1711005900 + message_id), "text": text or f"خبر شماره {message_id}\nمتن",
            "text_entities": [{"type": "plain", "text": text or "x"}]} | fields  # fmt: skip


def test_one_broken_message_in_an_indented_export_hides_none_of_the_others(tmp_path, capsys):
    # The case: 30 messages, the 5th broken; the old reader resumed on a nested entity line.
    data = _export([_post(i) for i in range(1, 31)]).decode()
    start = data.index('"id": 5,')
    broken = data[:start] + data[start:].replace('"text": "', '"text": ', 1)  # a string with no quote
    path = tmp_path / "result.json"
    path.write_text(broken, encoding="utf-8")
    assert main(["import", str(path), "--db", str(tmp_path / "a.sqlite3")]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("imported 29,") and "malformed 1" in out
    assert "message #5 at line" in err


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_unixtime", "1711005900000"),
        ("date_unixtime", "²"),
        ("date", "0001-01-01T00:00:00+03:30"),
        ("date", "9999-12-31T23:59:59-05:00"),
        ("text", "\ud83d"),
    ],
)
def test_a_bad_value_makes_its_record_malformed_never_the_import(tmp_path, capsys, field, value):
    bad = _post(7) | {field: value}
    if field in ("date", "date_unixtime"):  # without the other one to fall back to
        del bad["date_unixtime" if field == "date" else "date"]
    path = tmp_path / "result.json"
    messages = [_post(i) for i in range(1, 7)] + [bad] + [_post(i) for i in range(8, 13)]
    path.write_bytes(_export(messages, indent=None))
    assert main(["import", str(path), "--db", str(tmp_path / "a.sqlite3")]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("imported 11,") and "malformed 1" in out
    assert "message 7 " in err and "Traceback" not in err


def test_json_lines_bad_values_and_batches_keep_a_rerun_going(tmp_path, capsys, monkeypatch):
    from bot.archive import importing

    monkeypatch.setattr(importing, "IMPORT_BATCH", 5)
    lines = [{"id": f"r{i}", "title": f"خبر {i}", "body": "متن", "published_at": "2024-05-01T10:00:00"}
             for i in range(12)]  # fmt: skip
    lines[7]["published_at"] = "9999-12-31T23:59:59-05:00"
    lines[8]["title"] = "\ud83d"
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    db = tmp_path / "a.sqlite3"
    assert main(["import", str(path), "--db", str(db)]) == 1
    assert capsys.readouterr().out.startswith("imported 10,")
    assert main(["import", str(path), "--db", str(db)]) == 1
    assert capsys.readouterr().out.startswith("imported 0, skipped 10")


def test_format_comes_from_the_structure_not_a_prefix(tmp_path, capsys):
    db = str(tmp_path / "a.sqlite3")
    compact = tmp_path / "compact.json"  # one line, well under 64 KB
    compact.write_bytes(_export([_post(i) for i in range(1, 4)], indent=None))
    assert main(["import", str(compact), "--db", db]) == 0
    assert capsys.readouterr().out.startswith("imported 3,")
    long_first = tmp_path / "long.jsonl"  # a first line over 64 KB
    record = {"id": "long", "title": "بلند", "body": "متن " * 40_000, "published_at": "2024-05-01T10:00:00"}
    long_first.write_text(
        json.dumps(record, ensure_ascii=False) + "\n" + json.dumps(record | {"id": "2"}) + "\n"
    )
    assert main(["import", str(long_first), "--db", db]) == 0
    assert capsys.readouterr().out.startswith("imported 2,")
    broken_first = tmp_path / "broken.jsonl"
    broken_first.write_text('{"id": "x", "title": \n' + json.dumps(record | {"id": "3"}) + "\n")
    assert main(["import", str(broken_first), "--db", db]) == 1
    assert capsys.readouterr().out.startswith("imported 1,")


def test_import_reads_stdin(tmp_path, capsys, monkeypatch):
    data = _export([_post(1), _post(2)])
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["import", "-", "--db", str(tmp_path / "a.sqlite3")]) == 0
    assert capsys.readouterr().out.startswith("imported 2,")


def test_nothing_usable_is_exit_2(tmp_path, capsys):
    path = tmp_path / "result.json"
    path.write_bytes(_export([{"id": "x"}, {"id": 2, "type": "message", "text": "t", "date": "دیروز"}]))
    assert main(["import", str(path), "--db", str(tmp_path / "a.sqlite3")]) == 2
    assert "2 malformed records" in capsys.readouterr().err


def test_two_channels_with_the_same_message_ids_are_both_archived(tmp_path, capsys):
    db = tmp_path / "a.sqlite3"
    for channel_id, word in ((1111111111, "زلزله"), (2222222222, "سیلاب")):
        path = tmp_path / f"{channel_id}.json"
        path.write_bytes(
            _export([_post(i, f"{word} شماره {i}\nمتن") for i in range(1, 21)], channel_id=channel_id)
        )
        assert main(["import", str(path), "--db", str(db)]) == 0
        assert capsys.readouterr().out.startswith("imported 20,")
        assert main(["import", str(path), "--db", str(db)]) == 0
        assert capsys.readouterr().out.startswith("imported 0, skipped 20")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 40
    conn.close()


def test_the_bots_own_posts_in_its_channels_export_are_not_stored_twice(tmp_path, capsys):
    db_path = tmp_path / "a.sqlite3"

    async def publish() -> None:
        async with Database.open(db_path) as db:
            await db.remember_channel(-1001987654321, "khabar_test", own=True)
            article = await db.create_draft("خبر ربات", "متن دو بخشی", ["<b>x</b>", "y"])
            assert await db.claim_for_publishing(article)
            assert await db.mark_published(article, [41, 42], datetime(2024, 3, 21, tzinfo=UTC))

    asyncio.run(publish())
    path = tmp_path / "result.json"  # the same channel's export: the post's two parts and one more
    path.write_bytes(_export([_post(41), _post(42), _post(43)], channel_id=1987654321))
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("imported 1, skipped 2 (already archived 2")
    assert main(["search", "خبر شماره", "--json", "--db", str(db_path)]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [(h["id"], h["url"]) for h in hits] == [("43", "https://t.me/khabar_test/43")]  # the public link


async def test_an_import_before_the_bot_knew_its_channel_is_upgraded(tmp_path):
    """Migration 5 keeps earlier imports (channel unknown: '') and matches them on a re-import."""
    path = tmp_path / "old.sqlite3"
    async with Database.open(path) as db:
        await db.import_articles([ImportRecord("5", "قدیمی", "متن", datetime(2024, 1, 1, tzinfo=UTC))])
    async with Database.open(path) as db:
        again = ImportRecord("5", "قدیمی", "متن", datetime(2024, 1, 1, tzinfo=UTC), channel="-1001")
        assert (await db.import_articles([again])).duplicates == 1


async def test_posts_the_bot_published_are_recognized_in_its_channels_export(botapi, tmp_path):
    """End to end: the bot learns its channel at start, publishes a post in two messages, and an import
    of that channel's export then archives only the posts it did not publish, linked publicly."""
    from tests.desk_harness import running_desk

    db_path = tmp_path / "newsdesk.sqlite3"
    async with Database.open(db_path) as db:
        article = await db.create_draft("خبر ربات", "متن دو بخشی", ["<b>خبر ربات</b>", "ادامه متن"])
        assert await db.schedule(article, datetime.now(UTC) - timedelta(seconds=5))
    async with running_desk(botapi, db_path) as desk:
        await desk.server.wait_for(lambda: len(desk.server.channel_posts()) == 2, timeout=20)
        for _ in range(100):
            published = await desk.db.get(article)
            if published is not None and published.status == "published":
                break
            await asyncio.sleep(0.1)
        ids = published.channel_message_ids
    assert len(ids) == 2
    internal_id = int(str(botapi.channel.id).removeprefix("-100"))
    path = tmp_path / "result.json"
    path.write_bytes(_export([_post(ids[0]), _post(ids[1]), _post(ids[1] + 1)], channel_id=internal_id))
    assert await asyncio.to_thread(main, ["import", str(path), "--db", str(db_path)]) == 0
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT source, external_id, url FROM articles ORDER BY id").fetchall()
    conn.close()
    handle = botapi.channel.username
    assert rows == [
        ("bot", str(ids[0]), None),
        ("import", str(ids[1] + 1), f"https://t.me/{handle}/{ids[1] + 1}"),
    ]


def test_json_lines_name_their_channel_by_key_or_by_a_known_handle():
    lines = [
        {"id": "1", "title": "t", "body": "b", "published_at": "2024-05-01T10:00:00"},
        {
            "id": "2",
            "title": "t",
            "body": "b",
            "published_at": "2024-05-01T10:00:00",
            "channel": "@News_Test",
        },
        {"id": "3", "title": "t", "body": "b", "published_at": "2024-05-01T10:00:00", "channel": "-1002"},
        {"id": "4", "title": "t", "body": "b", "published_at": "2024-05-01T10:00:00", "channel": "@other"},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    records = _read(data, default_channel="-1001", handles={"-1001": "news_test"})
    assert [r.channel for r in records] == ["-1001", "-1001", "-1002", "@other"]


def test_an_export_keeps_each_posts_media_kind(tmp_path: Path) -> None:
    messages = [
        {"id": 1, "type": "message", "date_unixtime": "1700000000", "text": "عکس خبری از نمایشگاه",
         "photo": "(File not included. Change data exporting settings to download.)"},
        {"id": 2, "type": "message", "date_unixtime": "1700000100", "text": "ویدیوی خبری از نمایشگاه",
         "file": "(File not included.)", "media_type": "video_file", "mime_type": "video/mp4"},
        {"id": 3, "type": "message", "date_unixtime": "1700000200", "text": "سند خبری از نمایشگاه",
         "file": "files/report.pdf", "mime_type": "application/pdf"},
        {"id": 4, "type": "message", "date_unixtime": "1700000300", "text": "متن خبری از نمایشگاه"},
        # Without text: a photo, a file (named, the file itself left out), a video in the export's files;
        # a sticker is no post.
        {"id": 5, "type": "message", "date_unixtime": "1700000400", "text": "",
         "photo": "(File not included.)"},
        {"id": 6, "type": "message", "date_unixtime": "1700000500", "text": [],
         "file": "(File not included.)", "file_name": "گزارش نمایشگاه.pdf", "mime_type": "application/pdf"},
        {"id": 7, "type": "message", "date_unixtime": "1700000600", "text": "",
         "file": "video_files/clip 1.mp4", "media_type": "video_file"},
        {"id": 8, "type": "message", "date_unixtime": "1700000700", "text": "", "media_type": "sticker",
         "file": "(File not included.)", "sticker_emoji": "👍"},
    ]  # fmt: skip
    export = tmp_path / "result.json"
    export.write_text(json.dumps({"name": "خبر", "type": "public_channel", "id": 77, "messages": messages}))
    db_path = tmp_path / "archive.sqlite3"
    assert main(["import", str(export), "--db", str(db_path)]) == 0

    async def kinds() -> dict[str, str | None]:
        async with Database.open(db_path) as db:
            result = await db.search("نمایشگاه", limit=10)
            return {hit.external_id: hit.media_kind for hit in result.hits}

    assert asyncio.run(kinds()) == {"1": "photo", "2": "video", "3": "document", "4": None, "6": "document"}

    async def latest() -> list[tuple[str, str, str | None]]:
        async with Database.open(db_path) as db:
            return [
                (a.external_id, a.title, a.media[0].kind if a.media else None) for a in await db.latest(10)
            ]

    assert sorted(asyncio.run(latest())) == [
        ("1", "عکس خبری از نمایشگاه", "photo"), ("2", "ویدیوی خبری از نمایشگاه", "video"),
        ("3", "سند خبری از نمایشگاه", "document"), ("4", "متن خبری از نمایشگاه", None), ("5", "", "photo"),
        ("6", "گزارش نمایشگاه.pdf", "document"), ("7", "clip 1.mp4", "video"),
    ]  # fmt: skip


def test_cli_search_dates_are_days_of_the_timezone_setting(tmp_path, capsys, monkeypatch):
    """22:00 UTC on 29 Nov 2026 is 30 Nov in Tehran: `newsdesk search` reads dates in TIMEZONE."""
    archive = tmp_path / "archive.jsonl"
    record = {
        "id": "late",
        "title": "زلزله شبانه",
        "body": "متن",
        "published_at": "2026-11-29T22:00:00+00:00",
    }
    archive.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(tmp_path / "archive.sqlite3")
    assert main(["import", str(archive), "--db", db]) == 0
    capsys.readouterr()
    found = {}
    for zone in ("UTC", "Asia/Tehran"):
        monkeypatch.setenv("TIMEZONE", zone)
        assert main(["search", "زلزله از:2026/11/30", "--json", "--db", db]) == 0
        found[zone] = [hit["id"] for hit in json.loads(capsys.readouterr().out)]
    assert found == {"UTC": [], "Asia/Tehran": ["late"]}
