"""Import recovery that cannot be derailed (issue 24), through the real command line: a message that
lost its closing brackets, a broken message holding nested objects with ids, an interrupted export
followed by a whole one, ids and `date_unixtime` as strings or numbers; `--report` never written onto
the input or the archive, and put in place whole; Ctrl-C says what was kept and how to go on."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main

NEWSDESK = Path(sys.executable).with_name("newsdesk")
COUNT = 274  # the probe's export


def _message(message_id: int) -> dict:
    """A message as Telegram Desktop writes one, with nested objects that carry ids of their own."""
    emoji = {"type": "custom_emoji", "text": "🔴", "document_id": "x.webp", "id": 900 + message_id}
    text = [
        {"type": "bold", "text": f"خبر شماره {message_id}"},
        f"\nمتن خبر {message_id} درباره بودجه",
        emoji,
    ]
    recent = [{"from": "x", "from_id": "user1", "id": 8, "date": "2024-03-21T10:16:00"}]
    return {
        "id": message_id,
        "type": "message",
        "date": "2024-03-21T10:15:00",
        "date_unixtime": str(1711005900 + message_id),
        "from": "کانال",
        "from_id": "channel1987654321",
        "reply_to_message_id": max(1, message_id - 1),
        "text": text,
        "text_entities": [p for p in text if isinstance(p, dict)],
        "reactions": [{"type": "emoji", "count": 2, "emoji": "👍", "id": 7, "recent": recent}],
    }


def _export(messages: list[dict], channel_id: int = 1987654321) -> str:
    header = {"name": "کانال", "type": "public_channel", "id": channel_id, "messages": messages}
    return json.dumps(header, ensure_ascii=False, indent=1) + "\n"


def _span(data: str, message_id: int) -> tuple[int, int]:
    """Where message `message_id` lies in an indented export: its `{` to its closing `}`."""
    start = data.rindex("{", 0, data.index(f'\n   "id": {message_id},\n'))
    end = data.index("\n  }", start) + len("\n  }")
    return start, end


def _import(tmp_path: Path, data: str, capsys, *extra: str) -> tuple[int, str, str, Path]:
    path = tmp_path / "result.json"
    path.write_text(data, encoding="utf-8")
    db = tmp_path / "archive.sqlite3"
    status = main(["import", str(path), "--db", str(db), *extra])
    out, err = capsys.readouterr()
    return status, out, err, db


def _ids(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [
            r[0] for r in conn.execute("SELECT external_id FROM articles ORDER BY CAST(external_id AS INT)")
        ]
    finally:
        conn.close()


@pytest.mark.parametrize("lost_in", [5, COUNT - 24], ids=["early", "near-the-end"])
def test_a_message_that_lost_its_closing_brackets_swallows_none_after_it(tmp_path, capsys, lost_in):
    """Its `]` and `}` gone, the list's own `]}` closed it over every message after it (less than 1 MiB
    from the end, the old reader read that whole and said "the file ends inside the message list")."""
    data = _export([_message(i) for i in range(1, COUNT + 1)])
    _, end = _span(data, lost_in)
    lost = data[: end - len("\n  }")].rstrip()
    assert lost.endswith("]")
    damaged = lost[:-1] + data[end:]  # the reactions' `]` and the message's `}` are gone
    status, out, err, db = _import(tmp_path, damaged, capsys)
    assert status == 1, err
    assert out.startswith(f"imported {COUNT - 1:,},") and "malformed 1" in out
    assert "closing brackets are missing" in err and "ends inside" not in err
    assert _ids(db) == [str(i) for i in range(1, COUNT + 1) if i != lost_in]


def test_nested_objects_with_ids_in_a_broken_message_are_never_messages(tmp_path, capsys):
    """The broken message holds objects with an "id" (entities, reactions, their recent lists): none is
    taken for a message, and their `]` does not end the list (186 of 274 were lost)."""
    data = _export([_message(i) for i in range(1, COUNT + 1)])
    start, end = _span(data, 88)
    broken = data[start:end].replace('درباره بودجه",', "درباره بودجه,", 1)  # a string never closed
    assert broken != data[start:end]
    status, out, err, db = _import(tmp_path, data[:start] + broken + data[end:], capsys)
    assert status == 1, err
    assert out.startswith(f"imported {COUNT - 1:,},") and "malformed 1" in out
    assert _ids(db) == [str(i) for i in range(1, COUNT + 1) if i != 88]


def test_an_interrupted_export_followed_by_a_whole_one_is_read_on(tmp_path, capsys):
    """An export stopped in the middle of a message, then the whole export written after it: every
    message imported once, the cut one reported (184 were lost as one bad message)."""
    whole = _export([_message(i) for i in range(1, COUNT + 1)])
    start, end = _span(whole, 90)
    interrupted = whole[: (start + end) // 2]
    status, out, err, db = _import(tmp_path, interrupted + whole, capsys)
    assert status == 1, err
    assert out.startswith(f"imported {COUNT:,}, skipped 89 (already archived 89,") and "malformed 1" in out
    assert _ids(db) == [str(i) for i in range(1, COUNT + 1)]


def test_ids_and_unix_times_as_strings_or_numbers(tmp_path, capsys):
    """A numeric `date_unixtime` is a time (all 274 were refused, exit 1); ids written as strings are
    ids (the whole export was refused); a `date_unixtime` that is no time falls back to `date`."""
    messages = [_message(i) for i in range(1, COUNT + 1)]
    for message in messages:
        message["date_unixtime"] = int(message["date_unixtime"])
        if message["id"] % 2:
            message["id"] = str(message["id"])
    messages[9]["date_unixtime"] = "1711005900000"  # milliseconds: the ISO `date` is read instead
    status, out, err, db = _import(tmp_path, _export(messages), capsys)
    assert status == 0, err
    assert out.startswith(f"imported {COUNT:,},") and "malformed 0" in out
    conn = sqlite3.connect(db)
    times = dict(conn.execute("SELECT external_id, published_at FROM articles"))
    conn.close()
    assert datetime.fromisoformat(times["3"]) == datetime.fromtimestamp(1711005903, UTC)
    assert datetime.fromisoformat(times["10"]) == datetime(2024, 3, 21, 10, 15, tzinfo=UTC)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_report_never_overwrites_the_input_or_the_archive(tmp_path, capsys):
    data = _export([_message(1), {"id": "x", "type": "message"}, _message(3)])
    path = tmp_path / "result.json"
    path.write_text(data, encoding="utf-8")
    db = tmp_path / "archive.sqlite3"
    assert main(["import", str(path), "--db", str(db)]) == 1
    capsys.readouterr()
    before_input, before_db = _digest(path), _digest(db)
    for report in (str(path), str(db), f"{db}-wal", str(tmp_path / "." / "result.json")):
        assert main(["import", str(path), "--db", str(db), "--report", report]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("newsdesk import: --report ") and "another file" in err
        assert _digest(path) == before_input and _digest(db) == before_db
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    conn.close()


def test_report_is_put_in_place_whole_and_only_when_the_import_ran(tmp_path, capsys):
    data = _export([_message(1), {"id": "x", "type": "message"}, _message(3)])
    path = tmp_path / "result.json"
    path.write_text(data, encoding="utf-8")
    report = tmp_path / "problems.txt"
    report.write_text("the last run's problems\n")
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("not a database\n")
    # The import cannot start: the last report stays as it was (it was truncated at once).
    assert main(["import", str(path), "--db", str(not_a_db), "--report", str(report)]) == 2
    capsys.readouterr()
    assert report.read_text() == "the last run's problems\n"
    assert main(["import", str(path), "--db", str(tmp_path / "a.sqlite3"), "--report", str(report)]) == 1
    capsys.readouterr()
    assert report.read_text().startswith("message #2 at line ") and report.read_text().count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left


def _ctrl_c_as_at_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_during_an_import_says_what_was_kept_and_how_to_go_on(tmp_path):
    lines = [
        json.dumps(
            {
                "id": f"r{i}",
                "title": f"خبر {i}",
                "body": "متن خبر درباره بودجه " * 20,
                "published_at": "2024-05-01T10:00:00",
            },
            ensure_ascii=False,
        )
        for i in range(30_000)
    ]  # fmt: skip (12 MB: analyzed in a worker)
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "archive.sqlite3"
    command = [str(NEWSDESK), "import", str(path), "--db", str(db)]
    # In a session of its own, so the Ctrl-C reaches its whole process group (the analysis worker too),
    # as a terminal sends it; with Ctrl-C's default meaning, which a suite started in the background of
    # a shell (`make test &`) would otherwise pass on as "ignored", and the import would not stop.
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_ctrl_c_as_at_a_terminal)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:  # interrupted once a batch is committed
        time.sleep(0.2)
        if db.exists():
            try:
                conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=0.1)
                kept = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                conn.close()
            except sqlite3.Error:
                continue
            if kept:
                break
    assert proc.poll() is None, "the import ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert "interrupted" in err and "run the same command again" in err
    imported = int(err.split("interrupted; ")[1].split(" records")[0].replace(",", ""))
    assert 0 < imported < 30_000
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"imported {30_000 - imported:,}, skipped {imported:,}")


def test_a_repeated_id_with_another_text_is_told_not_kept_silently(tmp_path, capsys):
    """The same id twice with two texts (in one export, or an edited post exported again): the first
    text stays archived and the other is reported (it was counted "already archived" without a word)."""
    edited = _message(7) | {"text": "خبر شماره ۷ ویرایش شده\nمتن تازه"}
    messages = [_message(i) for i in range(1, 11)] + [edited, _message(3)]  # 3: the same text again
    status, out, err, db = _import(tmp_path, _export(messages), capsys, "--report", str(tmp_path / "r.txt"))
    assert status == 1, err
    assert out.startswith("imported 10, skipped 2 (already archived 2,")
    assert out.rstrip().endswith("another text under an archived id 1")
    assert "id 7: archived already with another text" in err
    assert (tmp_path / "r.txt").read_text().startswith("id 7: archived already with another text")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT title FROM articles WHERE external_id = '7'").fetchone() == ("خبر شماره 7",)
    conn.close()
    # Exported again after the edit: the archived text differs from the file's, and is told again.
    status, out, err, _ = _import(tmp_path, _export([edited]), capsys)
    assert status == 1 and out.startswith("imported 0, skipped 1") and "id 7: archived already" in err
