"""Parse a raw, damaged draft into headline, lead, bullets, paragraphs, closing note, byline and footer.

Each line of a draft is one paragraph. The markup of a line (a `?` left where an emoji bullet was
lost, an emoji or dash bullet, a list number) is taken off and recorded as the block's kind; what
remains is cleaned by the Persian normalizer and kept word for word. Question marks are decided
here, because only here is it known which `?` is markup: a `?` opening a line or standing before a
word is a lost emoji, a run like `??` is lost emojis, a `?` closing Persian text is a question mark
(`؟`), and a `?` inside a URL is part of the URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.text.protect import HANDLE_RE, HASHTAG_RE, URL_RE

BlockKind = Literal["lead", "bullet", "paragraph", "closing", "byline", "footer"]
Normalizer = Callable[[str], str]

_BULLET_MARKS = "🔹🔸🔶🔷▪▫◾◽◼◻■□●○◆◇•·‣⁃◦∙✅✔☑✓➖►▶➤➔→👈📌🔻🔺"
_DIGIT = "0-9۰-۹٠-٩"
# One piece of line-opening markup; a line may open with several (`? 🔹`, `1. -`).
_MARKER = re.compile(
    rf"""(?:
        (?P<lost>\?+)                                         # emoji lost to a legacy encoding
      | (?P<mark>[{_BULLET_MARKS}][\ufe0e\ufe0f\u200d]*)      # emoji or typographic bullet
      | (?P<dash>[-*–—+](?![{_DIGIT}\-*–—+]))                 # dash or star, not a sign or a rule
      | (?P<number>[(\[]?[{_DIGIT}]{{1,2}}[.)\]\-–_ـ](?![{_DIGIT}]))  # 1. ۱- 1) (2)
    )\s*""",
    re.VERBOSE,
)
# Invisible direction and byte-order marks that editors' tools leave around lines.
_EDGE_JUNK = "\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_QUESTION_RUN = re.compile(r"\?(?:\s*\?)+")
_QUESTION = re.compile(r"\s*\?")

_GAP = r"[\s\u200c]*"  # a space, a half-space or nothing: drafts spell the openers all three ways
_CLOSING = re.compile(
    rf"^(?:شایان{_GAP}(?:ذکر|یادآوری){_GAP}است|گفتنی{_GAP}است|ناگفته{_GAP}نماند"
    rf"|لازم{_GAP}به{_GAP}(?:ذکر|یادآوری|توضیح){_GAP}است|قابل{_GAP}ذکر{_GAP}است"
    rf"|یادآور(?:ی)?{_GAP}می{_GAP}شود|بنا{_GAP}بر{_GAP}این{_GAP}گزارش)"
)
_BYLINE = re.compile(
    r"^(?:نویسنده|نویسندگان|خبرنگار|گزارشگر|گزارش\s+از|منبع|منابع|عکس|عکاس|تهیه\s+و\s+تنظیم|تنظیم"
    r"|ترجمه|مترجم|به\s+قلم|گردآوری|سردبیر)(?=[\s:،,؛\-–]|$)"
)
_BYLINE_MAX_CHARS = 120  # longer lines starting "خبرنگار…" are sentences, not credits


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of a draft: its role and its clean plain text."""

    kind: BlockKind
    text: str


@dataclass(frozen=True, slots=True)
class Draft:
    """A parsed draft: the headline (if the draft has one) and its blocks in order."""

    headline: str | None
    blocks: tuple[Block, ...]


@dataclass(slots=True)
class _Line:
    text: str
    bullet: bool  # the line carried bullet markup (a lost `?`, an emoji, a dash)
    numbered: bool


def _is_persian(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


def _fix_question_marks_outside_urls(text: str) -> str:
    if "?" not in text:
        return text
    pieces: list[str] = []
    last = 0
    for match in URL_RE.finditer(text):
        pieces.append(_fix_question_marks(text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(_fix_question_marks(text[last:]))
    return "".join(pieces)


def _fix_question_marks(text: str) -> str:
    """`??` runs go; a `?` before a word is a lost emoji; a `?` closing Persian text becomes `؟`."""
    if "?" not in text:
        return text
    text = _QUESTION_RUN.sub("", text)

    def decide(match: re.Match[str]) -> str:
        space = match.group()[:-1]
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if (space or not before) and after and not after.isspace():
            return space  # `… ?word`: an emoji that stood before the word
        if before and _is_persian(before):
            return "؟"
        return match.group()

    return _QUESTION.sub(decide, text)


def _split_markup(line: str) -> _Line:
    """Take the opening markup off a line; the rest, `?` fixed, is the line's text."""
    rest = line.strip().strip(_EDGE_JUNK).strip()
    bullet = numbered = False
    while match := _MARKER.match(rest):
        if not match.group():
            break
        numbered = numbered or match.group("number") is not None
        bullet = bullet or match.group("number") is None
        rest = rest[match.end() :]
    return _Line(_fix_question_marks_outside_urls(rest), bullet, numbered)


def _is_footer(text: str) -> bool:
    """A line made only of hashtags, @handles and links (with emoji or punctuation around them)."""
    for token in text.split():  # quick no: a plain word that cannot be a part of a tag or a link
        if not any(ch in token for ch in "#@./") and any(ch.isalnum() for ch in token):
            return False
    found = 0
    for pattern in (URL_RE, HANDLE_RE, HASHTAG_RE):
        text, count = pattern.subn(" ", text)
        found += count
    return found > 0 and not any(ch.isalnum() for ch in text)


def _normalize_lines(texts: list[str], normalize: Normalizer) -> list[str]:
    joined = normalize("\n".join(texts))
    lines = joined.split("\n")
    if len(lines) != len(texts):  # the normalizer promises not to, but a post must not shift lines
        lines = [normalize(text).replace("\n", " ") for text in texts]
    return [" ".join(line.split()) for line in lines]


def parse_draft(text: str, *, normalize: Normalizer | None = None) -> Draft:
    """Parse a draft; `normalize` is the Persian clean-up (the project's normalizer by default)."""
    if normalize is None:
        normalize = _default_normalizer()
    lines = [_split_markup(raw) for raw in text.splitlines()]
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return Draft(None, ())
    for line, clean in zip(lines, _normalize_lines([line.text for line in lines], normalize), strict=True):
        line.text = clean
    lines = [line for line in lines if line.text]
    if not lines:
        return Draft(None, ())

    headline: str | None = None
    if not lines[0].numbered:
        headline = lines.pop(0).text

    footer_from = len(lines)
    while footer_from > 0 and _is_footer(lines[footer_from - 1].text):
        footer_from -= 1

    blocks: list[Block] = []
    for index, line in enumerate(lines):
        kind: BlockKind
        if index >= footer_from:
            kind = "footer"
        elif len(line.text) <= _BYLINE_MAX_CHARS and _BYLINE.match(line.text):
            kind = "byline"
        elif line.bullet or line.numbered:
            kind = "bullet"
        elif _CLOSING.match(line.text):
            kind = "closing"
        else:
            kind = "lead" if index == 0 and not _is_footer(line.text) else "paragraph"
        blocks.append(Block(kind, line.text))
    return Draft(headline, tuple(blocks))


def draft_to_json(draft: Draft, messages: list[str]) -> dict[str, object]:
    """The `newsdesk format --json` object of DESIGN.md."""
    return {
        "headline": draft.headline,
        "blocks": [{"kind": block.kind, "text": block.text} for block in draft.blocks],
        "messages": list(messages),
    }


def _default_normalizer() -> Normalizer:
    from bot.text.normalize import normalize_text

    return normalize_text
