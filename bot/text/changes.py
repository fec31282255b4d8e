"""What the clean-up changed, where: the record behind `newsdesk normalize --explain` and the bot's
"what changed" list.

How: the clean-up is a sequence of named steps (`Rule`), each a function from text to text. To explain
a text, a `Tracker` runs beside them: after each step it compares the text before and after, line by
line (every step keeps the lines), widens each difference to whole words, and maps
its position back to the input through an offset table that every step updates. The plain clean-up
does not pay for any of this.
"""

from __future__ import annotations

import difflib
from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    """One kind of change; `bot.messages` describes each to people under the key `change_<value>`."""

    SOFT_HYPHEN = "soft_hyphen"
    KASHIDA = "kashida"
    DOTS = "dots"
    EZAFE = "ezafe"
    LETTERS = "letters"
    HALF_SPACE_TIDY = "half_space_tidy"
    PUNCTUATION = "punctuation"
    SPACING = "spacing"
    BRACKETS = "brackets"
    HALF_SPACE = "half_space"
    DIGITS = "digits"
    LOST_BULLET = "lost_bullet"
    BULLET = "bullet"  # a line opening with `?` (an emoji bullet lost to an encoding) made a bullet
    QUESTION_MARK = "question_mark"
    FOREIGN_SIGNATURE = "foreign_signature"


@dataclass(frozen=True, slots=True)
class Change:
    """One change: its rule, where it is in the input (`start`..`end`), and the words before and after.

    `doubtful` marks a change the editor should check (a `?` taken for a lost bullet that may have been
    a question mark: one before a word, or one opening a line that reads as a question)."""

    rule: Rule
    start: int
    end: int
    before: str
    after: str
    doubtful: bool = False


_MARKS = frozenset("،؛:.!؟?,;«»()[]{}")
_MAX_CONTEXT = 30  # characters of the surrounding word shown on each side of a change


def _widen(old: str, new: str, i1: int, i2: int, j1: int, j2: int) -> tuple[int, int, int, int]:
    """Widen a difference to the whole words around it (the text around it is equal in both)."""
    reach = 0
    while (
        i1 > 0
        and j1 > 0
        and reach < _MAX_CONTEXT
        and not old[i1 - 1].isspace()
        and old[i1 - 1] == new[j1 - 1]
    ):
        i1, j1, reach = i1 - 1, j1 - 1, reach + 1
    reach = 0
    while (
        i2 < len(old)
        and j2 < len(new)
        and reach < _MAX_CONTEXT
        and not old[i2].isspace()
        and old[i2] == new[j2]
    ):
        i2, j2, reach = i2 + 1, j2 + 1, reach + 1
    return i1, i2, j1, j2


_ANCHORS = (4, 2, 1)  # characters that must agree again after a difference, most first
_WINDOW = 48  # how far ahead a difference may end (steps change a word or two at a time)


def _common_prefix(old: str, new: str, i: int, j: int) -> int:
    """How many characters old[i:] and new[j:] share from their start (in doubling slices: fast)."""
    length, step = 0, 16
    while True:
        chunk = min(step, len(old) - i - length, len(new) - j - length)
        if chunk <= 0:
            return length
        if old[i + length : i + length + chunk] == new[j + length : j + length + chunk]:
            length += chunk
            step *= 2
        elif chunk == 1:
            return length
        else:
            step = max(1, chunk // 2)


def _resync(old: str, new: str, i: int, j: int) -> tuple[int, int]:
    """After a difference at old[i] / new[j]: the nearest (a, b) where old[i + a:] and new[j + b:]
    agree again, for a few characters if possible (fewer where a text repeats a short pattern with
    spaces moved, `( ب ) ( ب )` → `(ب) (ب)`); the rest of the window when they never do."""
    for anchor in _ANCHORS:
        ahead: dict[str, int] = {}
        for b in range(_WINDOW + 1):
            gram = new[j + b : j + b + anchor]
            if len(gram) < anchor:
                break
            ahead.setdefault(gram, b)
        best: tuple[int, int] | None = None
        for a in range(_WINDOW + 1):
            if best is not None and a >= sum(best):
                break
            gram = old[i + a : i + a + anchor]
            if len(gram) < anchor:
                break
            b = ahead.get(gram)
            if b is not None and (best is None or a + b < sum(best)):
                best = (a, b)
        if best is not None:
            return best
    far = min(len(old) - i, _WINDOW), min(len(new) - j, _WINDOW)
    return far if far[0] + i < len(old) and far[1] + j < len(new) else (len(old) - i, len(new) - j)


def _opcodes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """The differing stretches (i1, i2, j1, j2) of `old` → `new`, in order.

    A greedy walk that resynchronizes a few characters after each difference: linear in the text, where
    `difflib` took 1.9 s on a 4,000-character line with 1,000 changes (and minutes on a long draft)."""
    found = []
    i = j = 0
    while i < len(old) or j < len(new):
        same = _common_prefix(old, new, i, j)
        i, j = i + same, j + same
        if i >= len(old) or j >= len(new):
            if i < len(old) or j < len(new):
                found.append((i, len(old), j, len(new)))
            break
        a, b = _resync(old, new, i, j)
        found.append((i, i + a, j, j + b))
        i, j = i + a, j + b
    return found


def diff_regions(old: str, new: str) -> tuple[list[tuple[int, int, int, int]], list[int]]:
    """The changed regions of `old` → `new`, widened to words and merged, as (i1, i2, j1, j2); and for
    every position of `new` (plus its end) the position of `old` it comes from."""
    regions: list[tuple[int, int, int, int]] = []
    origin: list[int] = []
    old_at = 0
    for i1, i2, j1, j2 in _opcodes(old, new):
        origin.extend(range(old_at, i1))
        origin.extend([i1] * (j2 - j1))
        old_at = i2
        wide = _widen(old, new, i1, i2, j1, j2)
        moved = any(ch in _MARKS for ch in old[i1:i2] + new[j1:j2])
        # A mark moved across a blank is one change (`نویسنده ،خبرنگار` → `نویسنده، خبرنگار`).
        across = (
            moved and wide[0] <= regions[-1][1] + 1 and not old[regions[-1][1] : wide[0]].strip()
            if regions
            else False
        )
        if regions and (wide[0] <= regions[-1][1] or across):
            last = regions[-1]
            wide = (
                min(last[0], wide[0]),
                max(last[1], wide[1]),
                min(last[2], wide[2]),
                max(last[3], wide[3]),
            )
            regions[-1] = wide
        else:
            regions.append(wide)
    origin.extend(range(old_at, len(old)))
    origin.append(len(old))
    return regions, origin


class Tracker:
    """Follows a text through the clean-up, recording each step's changes at input positions."""

    def __init__(self, text: str, origin: list[int] | None = None) -> None:
        self.text = text
        self.origin = origin if origin is not None else list(range(len(text) + 1))
        self.changes: list[Change] = []

    def step(self, rule: Rule, new: str) -> None:
        """Record what turning the current text into `new` changed, under `rule`."""
        old = self.text
        if new == old:
            return
        old_lines, new_lines = old.split("\n"), new.split("\n")
        if len(old_lines) != len(new_lines):
            old_lines, new_lines = [old], [new]
        origin: list[int] = []
        old_at = 0
        for old_line, new_line in zip(old_lines, new_lines, strict=True):
            if old_line == new_line:
                origin.extend(self.origin[old_at : old_at + len(old_line) + 1])
            else:
                regions, line_origin = diff_regions(old_line, new_line)
                for i1, i2, j1, j2 in regions:
                    self.changes.append(
                        Change(
                            rule,
                            self.origin[old_at + i1],
                            self.origin[old_at + i2],
                            old_line[i1:i2],
                            new_line[j1:j2],
                        )
                    )
                origin.extend(self.origin[old_at + i] for i in line_origin)
            old_at += len(old_line) + 1
        self.text = new
        self.origin = [*origin[: len(new)], self.origin[len(old)]]

    def add(self, change: Change) -> None:
        self.changes.append(change)


def line_starts(text: str) -> list[int]:
    """Where each line of `text` starts (and, last, where the text ends), lines counted as
    `str.splitlines` counts them: worked out once for a list of changes, not once per change."""
    starts = [0]
    for piece in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(piece))
    return starts


def line_and_column(text: str, offset: int, starts: list[int] | None = None) -> tuple[int, int]:
    """1-based line and column of `offset` in `text`, lines counted as `str.splitlines` counts them
    (`starts`: `line_starts(text)`, when it is known)."""
    starts = line_starts(text) if starts is None else starts
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def change_to_json(change: Change, text: str, starts: list[int] | None = None) -> dict[str, object]:
    """A change as `newsdesk format --json` lists it (positions in the input `text`; `starts`:
    `line_starts(text)`, when it is known)."""
    line, column = line_and_column(text, change.start, starts)
    return {
        "rule": str(change.rule),
        "offset": change.start,
        "line": line,
        "column": column,
        "before": change.before,
        "after": change.after,
        "doubtful": change.doubtful,
    }


@dataclass(frozen=True, slots=True)
class WordDiff:
    """The words a new text of a post takes out and puts in, in reading order (the editor checks
    these before a correction reaches the channel)."""

    removed: tuple[str, ...]
    added: tuple[str, ...]


def word_diff(old: str, new: str) -> WordDiff:
    """Words removed from `old` and added in `new` (plain text; whitespace between words ignored)."""
    before, after = old.split(), new.split()
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.extend(before[i1:i2])
        if tag in ("replace", "insert"):
            added.extend(after[j1:j2])
    return WordDiff(tuple(removed), tuple(added))
