"""The desk's shape (issue 10): handlers translate, the desk decides, storage holds the SQL, and only
the Publisher writes to the channel. Read from the source, so a regression shows as a failing test."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDLERS = sorted((ROOT / "handlers").glob("*.py"))
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE FROM|CREATE TABLE)\b")
CHANNEL_WRITES = re.compile(
    r"\b(send_message|edit_message_text|delete_message|send_photo)\([^)]*channel", re.S
)


def test_the_editor_handler_is_thin() -> None:
    assert len((ROOT / "handlers" / "editor.py").read_text(encoding="utf-8").splitlines()) < 300


def test_no_sql_and_no_channel_write_in_handlers() -> None:
    for path in HANDLERS:
        source = path.read_text(encoding="utf-8")
        assert not SQL.search(source), path.name
        assert not CHANNEL_WRITES.search(source), path.name


def test_the_editors_only_check_exists_once() -> None:
    checks = [
        path.name for path in HANDLERS if "is_editor(update, context)" in path.read_text(encoding="utf-8")
    ]
    gates = [path.name for path in HANDLERS if "def editors_only" in path.read_text(encoding="utf-8")]
    assert gates == ["editor.py"]
    source = (ROOT / "handlers" / "editor.py").read_text(encoding="utf-8")
    # Inside the gate, and in the language recorder (which refuses nothing): no other copy.
    assert source.count("is_editor(update, context)") == 2 and checks == ["editor.py"]


def test_post_states_are_named_once() -> None:
    for path in [*HANDLERS, *(ROOT / "bot").rglob("*.py")]:
        source = path.read_text(encoding="utf-8")
        for state in ("draft", "scheduled", "publishing", "published", "failed", "cancelled"):
            assert not re.search(rf"status\s*[!=]=\s*['\"]{state}['\"]", source), (path.name, state)
