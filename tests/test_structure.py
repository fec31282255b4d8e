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


def test_no_class_is_over_400_lines() -> None:
    long = {
        (path.relative_to(ROOT).as_posix(), node.name): node.end_lineno - node.lineno + 1
        for package in ("bot", "handlers", "storage")
        for path in sorted((ROOT / package).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES
    }
    assert long == {}


# — one home per fact (issue 19): a second copy of each fails here —

PROJECT_SOURCES = sorted(
    path
    for folder in ("bot", "handlers", "storage")
    for path in (ROOT / folder).rglob("*.py")
    if ".venv" not in path.parts
)


def _strings(source: str) -> list[tuple[ast.Constant, bool]]:
    """Every string constant of the code, docstrings and other bare string statements left out, and
    whether it is a piece of something built (an f-string, a `+`, a `%` or a `.format`)."""
    tree = ast.parse(source)
    bare = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    built: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            built.update(id(part) for part in node.values)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            built.update(id(side) for side in (node.left, node.right))
        elif isinstance(node, ast.Attribute) and node.attr == "format":
            built.add(id(node.value))
    return [
        (node, id(node) in built)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in bare
    ]


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


UTF16_CODEC = re.compile(r"utf[-_]?16", re.IGNORECASE)
BEYOND_BMP = re.compile(r">\s*0xffff\b|>=\s*0x10000\b", re.IGNORECASE)


def _utf16_counts(source: str) -> list[str]:
    """Ways of counting UTF-16 units in code: an encode to UTF-16, a test of a character beyond the
    Basic Multilingual Plane, a function named for the count."""
    found = [node.value for node, _ in _strings(source) if UTF16_CODEC.search(node.value)]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and BEYOND_BMP.search(
            segment := ast.get_source_segment(source, node) or ""
        ):
            found.append(segment)
        elif isinstance(node, ast.FunctionDef) and re.search(r"utf16|visible_len", node.name):
            found.append(f"def {node.name}")
    return found


def test_the_utf16_count_has_one_home() -> None:
    assert _utf16_counts('n = len(s.encode("utf-16-le")) // 2')
    assert _utf16_counts("n = sum(2 if ord(c) > 0xFFFF else 1 for c in s)")
    assert _utf16_counts("def _visible_len(html): ...")
    assert not _utf16_counts('"""Counted in UTF-16 units."""\nn = utf16_len(s)')
    copies = {_relative(p): c for p in PROJECT_SOURCES if (c := _utf16_counts(p.read_text(encoding="utf-8")))}
    assert list(copies) == ["bot/text/limits.py"], copies


def _tme_builders(source: str) -> list[str]:
    """t.me addresses written in code: a string holding `https://t.me/`, or a piece of a string built
    around `t.me/` (recognising a bare `t.me/` prefix in a tuple is no builder)."""
    return [
        node.value
        for node, built in _strings(source)
        if "://t.me/" in node.value or (built and "t.me/" in node.value)
    ]


def test_tme_links_are_built_in_one_place() -> None:
    assert _tme_builders('url = f"https://t.me/{handle}/{message_id}"')
    assert _tme_builders('url = "t.me/" + handle')
    assert _tme_builders('base = "https://t.me/c/"')
    assert not _tme_builders('"""Links look like https://t.me/<handle>/<id>."""\nprefixes = ("t.me/",)')
    builders = {
        _relative(p): b for p in PROJECT_SOURCES if (b := _tme_builders(p.read_text(encoding="utf-8")))
    }
    assert list(builders) == ["bot/core/links.py"], builders


DIGIT_RUNS = ("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
ARABIC_FOR_PERSIAN = {"ي", "ى", "ك"}


def _digit_and_letter_tables(source: str) -> list[str]:
    """Tables of digits (a string holding all ten Persian or Arabic-Indic digits in order) and folds
    of the Arabic letters typed for Persian ones (a dict with `ي` or `ك` as a key)."""
    found = [node.value for node, _ in _strings(source) if any(run in node.value for run in DIGIT_RUNS)]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
            found += sorted(keys & ARABIC_FOR_PERSIAN)
    return found


def test_digits_and_arabic_letters_have_one_table() -> None:
    assert _digit_and_letter_tables('DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")')
    assert _digit_and_letter_tables('FOLD = str.maketrans({"ي": "ی", "ك": "ک"})')
    assert not _digit_and_letter_tables('PERSIAN_DIGIT = re.compile("[۰-۹]")\n"""«۱۴۰۵/۰۹/۱۰»"""')
    copies = {
        _relative(p): c
        for p in PROJECT_SOURCES
        if (c := _digit_and_letter_tables(p.read_text(encoding="utf-8")))
    }
    assert list(copies) == ["bot/text/letters.py"], copies


def _zone_makers(source: str) -> list[str]:
    """Calls that make a time zone (`ZoneInfo(...)`)."""
    return [
        ast.unparse(node)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) == "ZoneInfo" or getattr(node.func, "attr", None) == "ZoneInfo")
    ]


def test_only_the_settings_make_a_time_zone() -> None:
    """The TIMEZONE setting is the one zone: search dates, typed times and shown dates all take it."""
    assert _zone_makers('SEARCH_TZ = ZoneInfo("Asia/Tehran")')
    assert _zone_makers('tz = zoneinfo.ZoneInfo("UTC")')
    assert not _zone_makers("def when(moment: datetime, tz: ZoneInfo) -> str: ...")
    makers = {_relative(p): m for p in PROJECT_SOURCES if (m := _zone_makers(p.read_text(encoding="utf-8")))}
    assert list(makers) == ["bot/config.py"], makers


_EXAMPLE = re.compile(r"<code>.*?</code>", re.S)  # typed examples (times, dates, commands): not owned
_FIELD = re.compile(r"\{[^{}]*\}")
_DIGITS = re.compile(r"[0-9۰-۹٠-٩]+")

# Digits a message may hold outside its examples, because the code owns no such number; why, each.
MESSAGE_DIGITS_ALLOWED: dict[str, set[str]] = {
    "draft_bad_file": {"8"},  # UTF-8, the name of the encoding
    "delete_failed": {"۴۸", "48"},  # Telegram's 48 hours for deleting a channel post: Telegram's rule
    "btn_hour": {"1"},  # the button's meaning itself (Action.IN_AN_HOUR); «یک ساعت» in Persian
    "latest_usage": {"۱", "1"},  # "a number from 1 to {max}": the fewest posts there can be, no setting
    "editor_help": {"۲", "2"},  # "(e.g. 2)": an example of an album item's place
    "refused_media_mismatch_album": {"۲", "2"},  # the same example
}


def _written_numbers(template: str) -> set[str]:
    """The digit runs a message template holds outside its examples and its {values}."""
    return set(_DIGITS.findall(_FIELD.sub("", _EXAMPLE.sub("", template))))


def test_numbers_the_code_owns_are_values_in_the_texts() -> None:
    from bot.messages import TEXTS

    assert _written_numbers("تا ۱۰ دقیقه منتظر می‌مانم") == {"۱۰"}
    assert _written_numbers("I'll wait 10 minutes") == {"10"}
    assert not _written_numbers("مثلاً <code>۱۴:۳۰</code>، تا {minutes} دقیقه ({limit:,})")
    written = {
        key: numbers - MESSAGE_DIGITS_ALLOWED.get(key, set())
        for key, texts in TEXTS.items()
        if (numbers := set().union(*map(_written_numbers, texts)))
    }
    assert not {key: numbers for key, numbers in written.items() if numbers}, written
    stale = {key for key, numbers in MESSAGE_DIGITS_ALLOWED.items() if written.get(key) is None}
    assert not stale, f"allowed digits no text holds any more: {stale}"
