"""The desk's shape (issue 10): handlers translate, the desk decides, storage holds the SQL, and only
the Publisher writes to the channel. Read from the source, so a regression shows as a failing test."""

from __future__ import annotations

import ast
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


def _imported_modules(tree: ast.Module) -> list[str]:
    """Every module a file imports (`from bot import messages` counts as `bot.messages`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bot":
                found += [f"bot.{alias.name}" for alias in node.names]
            else:
                found.append(node.module)
    return found


def test_storage_imports_only_the_core_and_text_of_bot() -> None:
    allowed = ("bot.core", "bot.text")
    bad = [
        (path.name, module)
        for path in sorted((ROOT / "storage").rglob("*.py"))
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if (module == "bot" or module.startswith("bot."))
        and not any(module == root or module.startswith(f"{root}.") for root in allowed)
    ]
    assert bad == []


def test_the_import_check_sees_what_storage_must_not_import() -> None:
    source = "from bot import messages\nimport bot.publishing.credit\nfrom bot.core.post import Article"
    tree = ast.parse(source)
    assert _imported_modules(tree) == ["bot.messages", "bot.publishing.credit", "bot.core.post"]


MAX_CLASS_LINES = 400
# The Bot API emulator's two classes are over the limit (issue 19): not split yet, they may not grow,
# and an entry must go once its class is split (each is still over the limit).
LONG_CLASSES_TO_SPLIT = {
    ("bot/botapi/server.py", "BotApiServer"): 797,
    ("bot/botapi/methods.py", "BotApiMethods"): 620,
}


def test_no_class_is_over_400_lines() -> None:
    long = {
        (path.relative_to(ROOT).as_posix(), node.name): node.end_lineno - node.lineno + 1
        for package in ("bot", "handlers", "storage")
        for path in sorted((ROOT / package).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES
    }
    assert long.keys() == LONG_CLASSES_TO_SPLIT.keys(), long
    assert all(long[name] <= lines for name, lines in LONG_CLASSES_TO_SPLIT.items()), long
