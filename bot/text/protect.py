"""Spans of a text that no normalizer may touch: links, e-mails, @handles, #hashtags, numbers.

How: one regular expression per kind (exported, so the draft parser and the renderer find the same
things), combined into one scanner. `mask` replaces every span with the single private-use character
`MASK` and returns the spans in order; `unmask` puts them back in the same order. The normalizer
never creates, drops or reorders `MASK`, so restoring by position in sequence is exact. A `MASK`
already present in the input is itself masked, so it comes back unchanged too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.text.letters import TO_PERSIAN_DIGITS
from bot.text.markup import MARKER_RE

MASK = "\ue000"

_URL_TAIL = r"[^\s<>\"'«»\u200c\ue000\ue010\ue011]*"  # a formatting marker (bot.text.markup) ends it
_TRAILING_PUNCT = ".,;:!?؟،؛)]}»'\"…"

URL_RE = re.compile(
    r"(?:(?:https?|ftp)://|www\.|(?<![\w.@])(?:t|telegram)\.me/)"
    + _URL_TAIL
    # A bare domain starts only where a run of label characters starts (not after `-`), and a label
    # never gives back characters (`++`: it ends at its dot anyway): linear on 100,000 dashes, where
    # trying every start and backtracking through the run took a minute.
    + r"|(?<![\w.@/-])(?:[A-Za-z0-9-]++\.)+(?:com|org|net|ir|me|io|info|news|tv|co|uk|de|fr|ru|app|dev)"
    r"(?![\w.])(?:/" + _URL_TAIL + ")?",
    re.IGNORECASE,
)
"""A link: with a scheme, `www.`, a bare `t.me/…`, or a bare domain with a common top-level domain."""

EMAIL_RE = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
"""An e-mail address."""

HANDLE_RE = re.compile(r"(?<![A-Za-z0-9_@.])@[A-Za-z][A-Za-z0-9_]{2,31}(?![A-Za-z0-9_])")
"""A Telegram @username (letters, digits and underscores, starting with a letter)."""

HASHTAG_RE = re.compile(r"(?<![A-Za-z0-9_&#])#[^\W_]\w*(?:\u200c\w+)*|(?<![A-Za-z0-9_&#])#_\w+")
"""A #hashtag in any script (letters, digits, underscores, inner half-spaces)."""

_D = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
NUMBER_RE = re.compile(
    r"(?<![A-Za-z0-9_\u0660-\u0669\u06f0-\u06f9٫٬])(?<!" + _D + r"[.,/:-])(?<![A-Za-z_][.,])"
    r"(?:"
    rf"{_D}{{4}}-{_D}{{1,2}}-{_D}{{1,2}}"  # 2024-08-02
    rf"|{_D}{{1,4}}/{_D}{{1,2}}/{_D}{{1,4}}"  # 1403/05/12, 12/05/1403
    rf"|{_D}+(?:-{_D}+)+"  # 1400-1402, 0912-123-4567
    rf"|{_D}{{1,2}}:{_D}{{1,2}}(?::{_D}{{2}})?"  # 14:30, 14:30:05, 2:1
    rf"|{_D}{{1,3}}(?:[,٬]{_D}{{3}})+(?:[.٫]{_D}+)?"  # 1,250,000 and 1,250.5
    rf"|{_D}+(?:[.٫]{_D}+)?"  # 12, 12.5, ۱۲٫۵
    r")"
    r"[%٪]?"
    r"(?![A-Za-z0-9_\u0660-\u0669\u06f0-\u06f9]|[.,٫٬/:]" + _D + ")"
)
"""A number, decimal, grouped number, date or clock time (Latin, Persian or Arabic-Indic digits)."""

_LATIN = r"[A-Za-z0-9_\u0660-\u0669\u06f0-\u06f9]"
LATIN_DOTTED_RE = re.compile(rf"(?<![\w.]){_LATIN}+(?:[.\-]{_LATIN}+)+")
"""Latin tokens with inner dots or hyphens (`v1.2`, `node.js`, `COVID-19`, `1.2.3`): kept verbatim."""

_SCANNER = re.compile(
    "|".join(
        f"(?P<{name}>{rx.pattern})"
        for name, rx in (
            ("markup", MARKER_RE),  # the editor's formatting: a tag, a link's URL, a code span
            ("url", URL_RE),
            ("email", EMAIL_RE),
            ("handle", HANDLE_RE),
            ("hashtag", HASHTAG_RE),
            ("number", NUMBER_RE),
            ("latin", LATIN_DOTTED_RE),
            ("mask", re.compile(MASK)),
        )
    ),
    re.IGNORECASE,
)

_TO_PERSIAN = TO_PERSIAN_DIGITS | str.maketrans(".,%", "٫٬٪")
_TO_PERSIAN_TIME = TO_PERSIAN_DIGITS


@dataclass(frozen=True, slots=True)
class Span:
    """One protected piece of text: what it is and its exact characters."""

    kind: str
    text: str


def _trim_url(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the link (`…/x).` → `…/x`)."""
    end = len(url)
    while end and url[end - 1] in _TRAILING_PUNCT:
        if url[end - 1] == ")" and url.count("(", 0, end) >= url.count(")", 0, end):
            break
        end -= 1
    return url[:end]


# Every protected span lies inside a whitespace-free run holding one of these characters; scanning
# only such runs keeps masking cheap on plain Persian prose.
_TRIGGER_RE = re.compile(r"[0-9A-Za-z\u0660-\u0669\u06f0-\u06f9@#\ue000\ue010]")
_BLANKS = (" ", "\n", "\t")
_BLANK_RE = re.compile(r"\s")


def find_protected(text: str) -> Iterator[tuple[int, int, Span]]:
    """Yield `(start, end, span)` for every protected span of `text`, in order, not overlapping."""
    position = 0
    while trigger := _TRIGGER_RE.search(text, position):
        at = trigger.start()
        start = max(text.rfind(blank, position, at) for blank in _BLANKS) + 1
        start = max(start, position)
        blank = _BLANK_RE.search(text, at)
        end = blank.start() if blank else len(text)
        for match in _SCANNER.finditer(text, start, end):
            kind = match.lastgroup or "mask"
            value = match.group()
            if kind == "url":
                value = _trim_url(value)
                if not value:
                    continue
            yield match.start(), match.start() + len(value), Span(kind, value)
        position = end


def mask(text: str) -> tuple[str, list[Span]]:
    """Replace each protected span with `MASK`; return the masked text and the spans in order."""
    spans: list[Span] = []
    parts: list[str] = []
    last = 0
    for start, end, span in find_protected(text):
        if start < last:  # a trimmed URL can leave its tail to be scanned again; never overlap
            continue
        parts.append(text[last:start])
        parts.append(MASK)
        spans.append(span)
        last = end
    if not spans:
        return text, spans
    parts.append(text[last:])
    return "".join(parts), spans


def persian_number(number: str) -> str:
    """`12.5` → `۱۲٫۵`, `1,250,000` → `۱٬۲۵۰٬۰۰۰`; dates and times keep their `/ - :`."""
    if any(sep in number for sep in "/-:"):
        return number.translate(_TO_PERSIAN_TIME)
    return number.translate(_TO_PERSIAN)


def unmask(text: str, spans: list[Span], render: Callable[[Span], str] | None = None) -> str:
    """Put the spans back in order (through `render` if given). Extra `MASK`s stay as they are."""
    if not spans:
        return text
    pieces = text.split(MASK)
    out = [pieces[0]]
    for index, piece in enumerate(pieces[1:]):
        if index < len(spans):
            span = spans[index]
            out.append(render(span) if render else span.text)
        else:
            out.append(MASK)
        out.append(piece)
    return "".join(out)
