"""`newsdesk format` and `newsdesk normalize` as README.md and docs/commands.md describe them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.text.normalize import normalize_text

TESTS = Path(__file__).parent.parent
SEED = TESTS / "data" / "seed-draft.txt"
NEWSDESK = Path(sys.executable).parent / "newsdesk"


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch, tmp_path):
    """No .env and no SIGNATURE/BULLET from the environment unless a test sets them."""
    monkeypatch.chdir(tmp_path)
    for name in ("SIGNATURE", "BULLET"):
        monkeypatch.delenv(name, raising=False)


def run(capsys, *argv: str, stdin: bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_format_seed_is_the_golden_html(capsys, monkeypatch):
    monkeypatch.setenv("SIGNATURE", "🆔 @mychannel")
    code, out, err = run(capsys, "format", str(SEED))
    assert (code, err) == (0, "")
    assert out == (TESTS / "golden" / "seed.html").read_text(encoding="utf-8")


def test_format_json(capsys, monkeypatch):
    monkeypatch.setenv("BULLET", "▪️")
    code, out, _ = run(capsys, "format", str(SEED), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"headline", "blocks", "messages", "changes"}
    seed = SEED.read_text(encoding="utf-8")
    assert {"rule": "half_space", "offset": 103, "line": 1, "column": 104, "before": "شهرداری هاست.",
            "after": "شهرداری\u200cهاست.", "doubtful": False} in data["changes"]  # fmt: skip
    assert seed[103:116] == "شهرداری هاست."
    assert all(set(change) == {"rule", "offset", "line", "column", "before", "after", "doubtful"}
               for change in data["changes"])  # fmt: skip
    assert data["headline"].startswith("معاون هماهنگی امور عمرانی")
    assert all(set(block) == {"kind", "text"} for block in data["blocks"])
    assert [b["kind"] for b in data["blocks"]] == ["lead", *["bullet"] * 10, "closing", "byline"]
    assert data["messages"][0].count("▪️ ") == 10 and "🔹" not in data["messages"][0]
    _, plain, _ = run(capsys, "format", str(SEED))
    assert plain.replace("▪️", "🔹") == "\n-----\n".join(data["messages"]).replace("▪️", "🔹") + "\n"


def test_json_headline_is_null_for_a_list(capsys, monkeypatch):
    draft = "1. اول\n2. دوم\n".encode()
    code, out, _ = run(capsys, "format", "-", "--json", stdin=draft, monkeypatch=monkeypatch)
    assert code == 0
    assert json.loads(out)["headline"] is None


def test_long_draft_gives_several_messages_separated_by_dashes(capsys, tmp_path):
    paragraph = " ".join(f"واژه{i}." for i in range(300))
    draft = tmp_path / "long.txt"
    draft.write_text("?تیتر\n" + "\n".join(f"?{paragraph}" for _ in range(10)), encoding="utf-8")
    code, out, _ = run(capsys, "format", str(draft))
    assert code == 0
    messages = out.removesuffix("\n").split("\n-----\n")
    assert len(messages) >= 5
    assert messages[0].startswith("<b>تیتر</b>")
    assert sum(m.count("🔹 ") for m in messages) == 10


def test_format_reads_stdin_with_crlf(capsys, monkeypatch):
    code, out, _ = run(capsys, "format", stdin="?تیتر\r\nمتن خبر\r\n".encode(), monkeypatch=monkeypatch)
    assert (code, out) == (0, "<b>تیتر</b>\n\nمتن خبر\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "stdin: the draft is blank"),
        (b" \n\t\r\n", "stdin: the draft is blank"),
        ("سلام".encode() + b"\xff\xfe", "not UTF-8"),
        ("آ".encode() * 100_001, "more than the 100,000 allowed"),
    ],
)
@pytest.mark.parametrize("command", ["format", "normalize"])
def test_unusable_input_is_exit_2_and_one_line(capsys, monkeypatch, command, content, message):
    code, out, err = run(capsys, command, "-", stdin=content, monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert message in err and err.count("\n") == 1 and err.startswith(f"newsdesk {command}: ")


def test_a_draft_of_markup_only_is_unusable(capsys, monkeypatch):
    code, out, err = run(capsys, "format", "-", stdin="??\n🔹\n".encode(), monkeypatch=monkeypatch)
    assert (code, out) == (2, "")
    assert err == "newsdesk format: stdin: no text left once the markup is taken off\n"


def test_missing_file_through_the_installed_command(tmp_path):
    result = subprocess.run(
        [str(NEWSDESK), "format", str(tmp_path / "nope.txt")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"newsdesk format: {tmp_path / 'nope.txt'}: no such file\n"


def test_normalize_keeps_every_line(capsys, tmp_path):
    source = "?تیتر خبر\r\n\r\nشهرداریها میتوانند\n\nنویسنده ،خبرنگار: ا .حسن پور"
    draft = tmp_path / "d.txt"
    draft.write_bytes(source.encode())
    code, out, _ = run(capsys, "normalize", str(draft))
    assert code == 0
    lines = out.split("\n")
    assert len(lines) == len(source.splitlines())
    assert lines == [normalize_text(line) for line in source.splitlines()]
    assert lines[0] == "?تیتر خبر"  # `?` is the parser's business, not the clean-up's
    assert lines[1] == lines[3] == ""
    assert lines[2] == "شهرداری‌ها می‌توانند"
    assert lines[4] == "نویسنده، خبرنگار: ا. حسن‌پور"


def test_normalize_keeps_a_final_newline(capsys, monkeypatch):
    _, out, _ = run(capsys, "normalize", stdin="الف\nب\n".encode(), monkeypatch=monkeypatch)
    assert out == "الف\nب\n"


def test_normalize_explain_lists_each_change_on_its_line(capsys, monkeypatch):
    source = "خبر فوری\r\nشهرداریها میتوانند"
    code, out, err = run(capsys, "normalize", "--explain", stdin=source.encode(), monkeypatch=monkeypatch)
    assert (code, err) == (0, "")
    assert (
        out == "2:1\thalf_space\tشهرداریها → شهرداری\u200cها\n2:11\thalf_space\tمیتوانند → می\u200cتوانند\n"
    )


def test_normalize_explain_of_clean_text_is_empty(capsys, monkeypatch):
    code, out, _ = run(
        capsys, "normalize", "--explain", stdin="متن درست.\n".encode(), monkeypatch=monkeypatch
    )
    assert (code, out) == (0, "")


def test_format_json_flags_a_doubtful_question_mark(capsys, monkeypatch):
    draft = "تیتر\nچرا این ?او رفت\n".encode()
    _, out, _ = run(capsys, "format", "-", "--json", stdin=draft, monkeypatch=monkeypatch)
    (change,) = json.loads(out)["changes"]
    assert change == {"rule": "lost_bullet", "offset": 13, "line": 2, "column": 9, "before": "?", "after": "",
                      "doubtful": True}  # fmt: skip
