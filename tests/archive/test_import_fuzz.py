"""The export reader under damage: 1,200 damaged Telegram Desktop exports (truncated, a byte changed, a
bad value in one field), and 800 more damaged at depth, in messages holding nested objects with ids of
their own (closing brackets lost, damage inside a nested object, the list's end damaged, an
interrupted export followed by a whole one), in the indented layout Telegram Desktop writes and in a
compact one.

For each: no exception; every message the damage did not touch is imported exactly once; the damaged
one is imported or reported; the exit status follows the counts (README.md); a second run adds nothing.
Each file's channel is its own, so one archive holds them all and the test stays fast (in-process).
"""

from __future__ import annotations

import io
import json
import random
import re
import sqlite3
from dataclasses import dataclass

import pytest

from bot.archive.importers import NotAnArchive, open_archive
from bot.archive.importing import import_archive, import_status
from storage.database import Database

FILES_PER_KIND = 200  # × 3 kinds of damage × 2 layouts = 1,200 files
MESSAGES = 8
WORDS = ("خبر فوری بودجه شهرداری تهران باران هواشناسی اقتصاد تورم پروژه عمرانی گزارش 🔴 ۱۴۰۳ 35.5").split()  # noqa: SIM905


@dataclass
class Export:
    """An export file and where each message lies in it."""

    data: bytes
    channel: str
    spans: list[tuple[int, int]]  # byte span of each message object
    ids: list[int]
    importable: list[bool]  # a message with text or media (not a service message)
    list_start: int  # the byte after the message list's `[`
    list_end: int  # the byte of its `]`


def _distinct_ids(rng: random.Random, count: int) -> list[int]:
    """Message ids that differ from each other in at least two digits: a changed digit never turns
    one message into another."""
    ids: list[int] = []
    while len(ids) < count:
        candidate = rng.randrange(10_000, 99_999)
        if all(sum(a != b for a, b in zip(str(candidate), str(i), strict=True)) >= 2 for i in ids):
            ids.append(candidate)
    return ids


def _message(rng: random.Random, message_id: int, kind: str, nested_ids: bool = False) -> dict:
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 12))]
    text = " ".join(words[:3]) + "\n" + " ".join(words[3:])
    message: dict = {
        "id": message_id,
        "type": "service" if kind == "service" else "message",
        "date": "2024-03-21T10:15:00",
        "date_unixtime": str(1711005900 + message_id),
        "from": "کانال آزمایشی",
        "from_id": "channel1987654321",
    }
    if kind == "service":
        message |= {"action": "pin_message", "text": "", "text_entities": []}
    elif kind == "media":
        message |= {"photo": "photos/p.jpg", "width": 800, "height": 600, "text": "", "text_entities": []}
    elif kind == "entities":
        parts = [{"type": "bold", "text": words[0]}, " " + " ".join(words[1:3]) + "\n",
                 {"type": "text_link", "text": words[3], "href": "https://example.com/{x}"},
                 " " + " ".join(words[4:])]  # fmt: skip
        message |= {"text": parts, "text_entities": [p for p in parts if isinstance(p, dict)]}
    else:
        message |= {"text": text, "text_entities": [{"type": "plain", "text": text}]}
    if rng.random() < 0.3:
        recent = [{"from": "x", "from_id": "user1", "date": "2024-03-21T10:16:00"}]
        message["reactions"] = [{"type": "emoji", "count": 3, "emoji": "👍", "recent": recent}]
    if nested_ids:  # objects inside the message that carry ids of their own, lists in lists
        recent = [{"id": rng.randrange(1, 99), "from_id": "user1", "date": "2024-03-21T10:16:00"}]
        message["reactions"] = [{"type": "emoji", "id": rng.randrange(1, 99), "count": 3, "recent": recent},
                                {"type": "custom_emoji", "id": rng.randrange(1, 99), "count": 1}]  # fmt: skip
        message["inline_bot_buttons"] = [[{"type": "url", "id": rng.randrange(1, 99), "text": "پیوند"}]]
    return message


def _serialize(message: dict, indented: bool, ascii_only: bool = False) -> str:
    if not indented:
        return json.dumps(message, ensure_ascii=ascii_only, separators=(",", ":"))
    body = json.dumps(message, ensure_ascii=ascii_only, indent=1)
    return "\n".join("  " + line for line in body.splitlines())


def _build(rng: random.Random, indented: bool, bad: tuple[int, dict | object] | None = None,
           nested_ids: bool = False) -> Export:  # fmt: skip
    """An export of MESSAGES messages; `bad` = (index, replacement message) puts a bad value in one;
    `nested_ids`: each message holds nested objects with ids."""
    channel_id = rng.randrange(1_000_000_000, 9_999_999_999)
    ids = _distinct_ids(rng, MESSAGES)
    kinds = [rng.choice(["text", "text", "entities", "service", "media"]) for _ in ids]
    messages: list[object] = [_message(rng, i, k, nested_ids) for i, k in zip(ids, kinds, strict=True)]
    if bad is not None:
        messages[bad[0]] = bad[1]
    header = {"name": "کانال آزمایشی", "type": "public_channel", "id": channel_id}
    nl, sep = ("\n", ",\n") if indented else ("", ",")
    head = json.dumps(header, ensure_ascii=False, indent=1 if indented else None)[:-1].rstrip()
    out = head + "," + nl + (' "messages": [' if indented else '"messages":[') + nl
    spans = []
    for index, message in enumerate(messages):
        start = len(out.encode())
        out += _serialize(message, indented, ascii_only=bad is not None and index == bad[0])  # type: ignore[arg-type]
        spans.append((start, len(out.encode())))
        out += sep if index < len(messages) - 1 else nl
    list_end = len(out.encode()) + (1 if indented else 0)
    out += (" ]" if indented else "]") + nl + "}" + nl
    data = out.encode()
    list_start = data.index(b"[") + 1
    return Export(data, f"-100{channel_id}", spans, ids, [k != "service" for k in kinds],
                  list_start, list_end)  # fmt: skip


BAD_VALUES: list[tuple[str, object]] = [
    ("date_unixtime", "1711005900000"),  # milliseconds (without a `date` to fall back to)
    ("date_unixtime", "²"),
    ("date_unixtime", -1),
    ("date", "0001-01-01T00:00:00+03:30"),  # without date_unixtime: before the calendar once in UTC
    ("date", "9999-12-31T23:59:59-05:00"),  # after it
    ("date", "دیروز"),
    ("text", "\ud83d شکسته"),  # a lone surrogate, written as the escape \ud83d
    ("text", 42),
    ("text", [{"type": "bold"}]),  # an entity part without text
    ("text", None),
    ("id", "abc"),
    ("id", -5),
    ("id", 1.5),
    ("id", 2**70),
    ("id", True),
    ("type", 7),
    ("type", "stranger"),
    (None, []),  # the whole message is not an object
    (None, "message"),
    (None, 5),
]


def _with_bad_value(rng: random.Random, indented: bool) -> tuple[Export, int]:
    """An export whose one text message has one bad value."""
    seed = rng.random()
    export = _build(random.Random(seed), indented)
    candidates = [i for i, ok in enumerate(export.importable) if ok]
    if not candidates:
        return export, -1
    index = rng.choice(candidates)
    field, value = rng.choice(BAD_VALUES)
    message = json.loads(_serialize_message_of(export, index))
    if field is None:
        bad: object = value
    else:
        bad = dict(message)
        if field in ("date", "date_unixtime"):  # the other one would be read instead
            bad.pop("date_unixtime" if field == "date" else "date")  # type: ignore[union-attr]
        bad[field] = value  # type: ignore[index]
    return _build(random.Random(seed), indented, bad=(index, bad)), index


def _serialize_message_of(export: Export, index: int) -> str:
    start, end = export.spans[index]
    return export.data[start:end].decode()


@dataclass
class Outcome:
    status: int
    counts: dict[str, int]
    imported: set[str]


async def _run(db: Database, data: bytes, capsys) -> Outcome | None:
    """One import of `data` as the command line runs it; None if the file is not an archive (exit 2)."""
    try:
        archive = open_archive(io.BytesIO(data))
    except NotAnArchive:
        return None
    report = io.StringIO()
    counts = await import_archive(db, archive, report=report)
    capsys.readouterr()
    problems = report.getvalue().splitlines()
    assert len(problems) == counts["malformed"] and not counts["conflicts"]  # each one reported: where, why
    assert all(re.fullmatch(r".*\bline [\d,]+, column [\d,]+\)?: .+", line) for line in problems), problems
    rows = await db._conn.execute_fetchall(
        "SELECT external_id FROM articles WHERE channel = ?", (archive.channel,)
    )
    return Outcome(import_status(counts), counts, {r[0] for r in rows})


def _check(export: Export, damaged: bytes, first: Outcome | None, second: Outcome | None, *,
           touched: set[int], reported_damage: bool) -> None:  # fmt: skip
    """The invariants of one damaged file (see the module docstring)."""
    if first is None:  # refused whole: only when the damage hit the header, before the message list
        assert not touched and second is None
        return
    assert first.status == import_status(first.counts)
    intact = {str(i) for n, i in enumerate(export.ids) if export.importable[n] and n not in touched}
    assert intact <= first.imported, f"lost {intact - first.imported}"
    assert len(first.imported) == first.counts["imported"]  # each once: the channel is this file's own
    extra = first.imported - {str(i) for i in export.ids}
    assert len(extra) <= len(touched), f"imported what was never there: {extra}"
    for n in touched:
        if export.importable[n] and str(export.ids[n]) not in first.imported and not extra:
            assert first.counts["malformed"] >= 1 or first.counts["skipped"] > 0, "damage not reported"
    if reported_damage:
        assert first.counts["malformed"] >= 1 and first.status in (1, 2)
    assert second is not None
    assert second.counts["imported"] == 0 and second.imported == first.imported


def _touched(export: Export, start: int, end: int) -> set[int]:
    """Messages whose bytes overlap [start, end)."""
    return {n for n, (a, b) in enumerate(export.spans) if a < end and start < b}


@pytest.mark.parametrize("indented", [True, False], ids=["indented", "compact"])
async def test_damaged_exports_lose_nothing_else(tmp_path, capsys, indented):
    rng = random.Random(20261130 + indented)
    files = 0
    async with Database.open(tmp_path / "fuzz.sqlite3") as db:
        # Truncations: every message wholly before the cut is imported; a cut inside the list is reported.
        for _ in range(FILES_PER_KIND):
            export = _build(random.Random(rng.random()), indented)
            cut = rng.randrange(len(export.data) // 10, len(export.data))
            damaged = export.data[:cut]
            first = await _run(db, damaged, capsys)
            second = await _run(db, damaged, capsys)
            touched = {n for n, (_, b) in enumerate(export.spans) if b > cut}
            _check(export, damaged, first, second, touched=touched if cut >= export.list_start else set(),
                   reported_damage=export.list_start <= cut <= export.list_end)  # fmt: skip
            files += 1
        # One byte changed, anywhere: at most the message it sits in is lost, and then reported.
        for _ in range(FILES_PER_KIND):
            export = _build(random.Random(rng.random()), indented)
            at = rng.randrange(len(export.data))
            new = rng.choice([*b'{}[]",:\\ \n0a', rng.randrange(0x80, 0x100)])
            if new == export.data[at]:
                new = ord("#")
            damaged = export.data[:at] + bytes([new]) + export.data[at + 1 :]
            first = await _run(db, damaged, capsys)
            second = await _run(db, damaged, capsys)
            in_header = at < export.list_start
            if first is None:
                assert in_header, f"refused whole for a change at {at}"
            touched = set() if in_header else _touched(export, at, at + 1)
            _check(export, damaged, first, second, touched=touched, reported_damage=False)
            files += 1
        # A bad value in one field of one message: that message is malformed, every other one imported.
        for _ in range(FILES_PER_KIND):
            export, index = _with_bad_value(rng, indented)
            first = await _run(db, export.data, capsys)
            second = await _run(db, export.data, capsys)
            assert first is not None
            _check(export, export.data, first, second, touched={index} if index >= 0 else set(),
                   reported_damage=index >= 0)  # fmt: skip
            if index >= 0:
                assert str(export.ids[index]) not in first.imported and first.counts["malformed"] == 1
                assert first.status == 1
            files += 1
    assert files == 3 * FILES_PER_KIND
    # The archive holds each message once: no channel's message id twice.
    conn = sqlite3.connect(tmp_path / "fuzz.sqlite3")
    assert not conn.execute(
        "SELECT channel, external_id FROM articles GROUP BY 1, 2 HAVING count(*) > 1"
    ).fetchall()
    conn.close()


# --- damage at depth (issue 24) ----------------------------------------------------------------------


def _lost_closing(rng: random.Random, export: Export) -> tuple[bytes, set[int]]:
    """One message loses one to all of its closing brackets (`}`, `]}`, `}]}`…)."""
    index = rng.randrange(MESSAGES)
    start, end = export.spans[index]
    run = end
    while run > start and export.data[run - 1 : run] in (b"}", b"]", b" ", b"\n"):
        run -= 1
    closers = [at for at in range(run, end) if export.data[at : at + 1] in (b"}", b"]")]
    keep = rng.randrange(len(closers))  # the first `keep` stay
    drop = set(closers[keep:])
    damaged = bytes(b for at, b in enumerate(export.data) if at not in drop)
    return damaged, {index}


def _nested_damage(rng: random.Random, export: Export) -> tuple[bytes, set[int]]:
    """A byte changed, or removed, inside an object nested in a message (an entity, a reaction, a
    button, their lists of objects with ids)."""
    index = rng.randrange(MESSAGES)
    start, end = export.spans[index]
    nested = [at for at in range(start + 1, end) if export.data[at : at + 1] in (b"{", b"[")]
    first = rng.choice(nested)
    at = rng.randrange(first, end - 1)
    new = rng.choice([b"", b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\", b"x"])
    return export.data[:at] + new + export.data[at + 1 :], {index}


def _list_end_damage(rng: random.Random, export: Export) -> tuple[bytes, set[int]]:
    """The list's end damaged: its `]` or the export's `}` gone or doubled, a comma before it, junk
    after the file, or the last message's own `}` gone."""
    data, end = export.data, export.list_end
    choice = rng.randrange(6)
    if choice == 0:
        return data[:end] + data[end + 1 :], set()
    if choice == 1:
        return data[:end] + b"]}]" + data[end + 1 :], set()
    if choice == 2:
        return data.rstrip()[:-1], set()
    if choice == 3:
        last = export.spans[-1][1]
        return data[:last] + b",\n" + data[last:], set()
    if choice == 4:
        return data + rng.choice([b"garbage", b"]}", b"{", b'{"id": 5}']), set()
    last_end = export.spans[-1][1]
    return data[: last_end - 1] + data[last_end:], {MESSAGES - 1}


def _concatenated(rng: random.Random, export: Export) -> tuple[bytes, set[int]]:
    """An export interrupted anywhere in its message list, then the whole export written after it
    (or, now and then, two whole ones): every message is there whole once."""
    if rng.random() < 0.15:
        return export.data + export.data, set()
    cut = rng.randrange(export.list_start, export.list_end)
    return export.data[:cut] + rng.choice([b"", b"\n"]) + export.data, set()


DEPTH_DAMAGE = [_lost_closing, _nested_damage, _list_end_damage, _concatenated]
DEPTH_FILES_PER_KIND = 100  # × 4 kinds × 2 layouts = 800 files more


@pytest.mark.parametrize("indented", [True, False], ids=["indented", "compact"])
async def test_damage_at_depth_loses_nothing_else(tmp_path, capsys, indented):
    """Damage where the old reader resynchronised wrongly: every well-formed message imported once."""
    rng = random.Random(20261206 + indented)
    files = 0
    async with Database.open(tmp_path / "fuzz.sqlite3") as db:
        for damage in DEPTH_DAMAGE:
            for _ in range(DEPTH_FILES_PER_KIND):
                export = _build(random.Random(rng.random()), indented, nested_ids=True)
                damaged, touched = damage(rng, export)
                first = await _run(db, damaged, capsys)
                second = await _run(db, damaged, capsys)
                assert first is not None, damage.__name__
                try:
                    _check(export, damaged, first, second, touched=touched, reported_damage=False)
                except AssertionError as exc:
                    raise AssertionError(
                        f"{damage.__name__}: {exc}\n{damaged.decode(errors='replace')}"
                    ) from None
                if damage is _concatenated:  # whole after all: each message imported, none malformed twice
                    assert first.counts["malformed"] <= 1
                files += 1
    assert files == len(DEPTH_DAMAGE) * DEPTH_FILES_PER_KIND
