"""The smaller hostile inputs of issue 12: invisible drafts, bidi overrides, line separators, huge input,
stdin for import and search batches, queries that look like options."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.inputs import MAX_DRAFT_CHARS, UsageError, read_text
from bot.publishing.formatter import prepare_post

EXPORT = Path(__file__).parent.parent / "data" / "telegram_export.json"


@pytest.mark.parametrize(
    "draft", ["\x00\x00\x00", "\u200b\u200c\u200d\n\ufeff\u2060", "\x00\u200c \n\t\u200f"]
)
def test_a_draft_of_only_invisible_characters_is_refused(tmp_path, capsys, draft):
    assert prepare_post(draft, bullet="🔹", signature="").messages == []
    path = tmp_path / "draft.txt"
    path.write_text(draft, encoding="utf-8")
    assert main(["format", str(path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_bidi_overrides_and_control_characters_are_taken_out():
    post = prepare_post(
        "خبر \u202eمهم\u202c امروز\nمتن\x00 خبر \u202dدرباره\u202c بودجه", bullet="🔹", signature=""
    )
    text = "".join(post.messages)
    assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\x00")
    assert "خبر مهم امروز" in text


def test_normalize_keeps_the_line_count_with_line_separators_and_form_feeds(tmp_path, capsys):
    path = tmp_path / "text.txt"
    path.write_text("یک\u2028دو\fسه\u2029چهار\x0bپنج\nخط دوم\n", encoding="utf-8")
    assert main(["normalize", str(path)]) == 0
    assert capsys.readouterr().out.count("\n") == 2


class _Endless(io.RawIOBase):
    """Standard input that never ends; reading it whole would never finish."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"a" * len(buffer)
        return len(buffer)


def test_input_size_is_checked_while_reading(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(_Endless())))
    with pytest.raises(UsageError, match="more than the 100,000 characters"):
        read_text("-")
    assert MAX_DRAFT_CHARS == 100_000


def test_search_batch_reads_stdin_and_a_query_may_start_with_a_dash(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "a.sqlite3")
    main(["import", str(EXPORT), "--db", db])
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("خلیج فارس\nتورم\n".encode())))
    assert main(["search", "--batch", "-", "--db", db]) == 0
    assert [json.loads(line)["query"] for line in capsys.readouterr().out.splitlines()] == [
        "خلیج فارس",
        "تورم",
    ]
    for argv in (
        ["search", "عکس", "-تورم", "--json", "--db", db],
        ["search", "--json", "--db", db, "--", "عکس", "-تورم"],
    ):
        assert main(argv) == 0, capsys.readouterr().err
        hits = json.loads(capsys.readouterr().out)
        assert all("تورم" not in h["title"] for h in hits)
    with pytest.raises(SystemExit) as refused:  # a mistyped option is still one
        main(["search", "عکس", "--limt", "3", "--db", db])
    assert refused.value.code == 2 and "unrecognized" in capsys.readouterr().err
