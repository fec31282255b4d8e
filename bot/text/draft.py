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
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.text.analyze import fold_letters
from bot.text.changes import Change, Rule, change_to_json, line_starts
from bot.text.markup import MARKER_RE, split_at, strip_markup, visible_chars
from bot.text.protect import HANDLE_RE, HASHTAG_RE, URL_RE, persian_number
from bot.text.questions import reads_as_question

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
_FIRST_WORD = re.compile(r"\S*")
_LEADING_FORMAT = re.compile(rf"(?:{MARKER_RE.pattern}\s*)*")
# Invisible direction and byte-order marks that editors' tools leave around lines.
_EDGE_JUNK = "\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


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
    """One paragraph of a draft: its role, its clean plain text and, for an item of a numbered list,
    its number as the draft wrote it (`۱-`, `2.`), which the renderer shows instead of a bullet."""

    kind: BlockKind
    text: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """A parsed draft: the headline (if the draft has one) and its blocks in order."""

    headline: str | None
    blocks: tuple[Block, ...]


@dataclass(slots=True)
class _Line:
    text: str
    bullet: bool  # the line carried bullet markup (a lost `?`, an emoji, a dash)
    label: str | None  # the number of a numbered line (`1.`, `۲-`)
    source: str  # the text as the draft has it, markup off, before its `?` were decided
    offset: int  # where `source` starts in the draft
    edits: list[_Edit]  # what deciding the `?` did to `source`
    # The `?` that opened the line (a lost emoji) with the first word after the markup: where it is in
    # the draft, the draft's text there and the word alone (what the post starts that line with).
    opening: tuple[int, int, str, str] | None = None
    kind: BlockKind | None = None  # what `_structure` made of the line (None: the headline, or dropped)

    @property
    def numbered(self) -> bool:
        return self.label is not None

    def changes(self) -> list[Change]:
        """The `?` decisions as changes, at their offsets in the draft."""
        return [
            Change(rule, self.offset + low, self.offset + high, self.source[low:high], new, doubtful)
            for low, high, new, rule, doubtful in self.edits
        ]

    def opening_change(self) -> Change | None:
        """The opening `?` as a change: a bullet when the line became one, else a dropped lost emoji
        (the headline's, a byline's); doubtful when the line reads as a question, whose `?` it may
        have been. The line stays a bullet all the same: the editor decides (docs/commands.md)."""
        if self.opening is None:
            return None
        rule = Rule.BULLET if self.kind == "bullet" else Rule.LOST_BULLET
        return Change(rule, *self.opening, doubtful=reads_as_question(self.text))

    def origin(self) -> list[int]:
        """For each position of `source` after the `?` decisions (and its end), the offset in the draft;
        built only to explain a draft."""
        return [self.offset + at for at in _apply_edits(self.source, self.edits)[1]]


def _is_persian(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


# An edit of a line's text: (start, end, replacement, rule, doubtful).
type _Edit = tuple[int, int, str, Rule, bool]
_QUESTION_MARKS = re.compile(r"(?P<space>\s*)(?:(?P<run>\?(?:\s*\?)+)|\?)")


def _question_mark_edits(text: str) -> list[_Edit]:
    """What each `?` outside a URL is: `??` runs and a `?` before a word are lost emojis and go; a `?`
    closing Persian text is a question mark (`؟`); any other stays. A lost emoji right after a
    Persian word could have been a question mark typed apart from it: that edit is doubtful."""
    if "?" not in text:
        return []
    urls = [match.span() for match in URL_RE.finditer(text)]
    edits: list[_Edit] = []
    for match in _QUESTION_MARKS.finditer(text):
        start, end, space = match.start(), match.end(), match.group("space")
        if any(low <= start + len(space) < high for low, high in urls):
            continue
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        after_word = bool(after) and not after.isspace()
        persian_before = bool(before) and _is_persian(before)
        if match.group("run"):
            # Lost emojis between two words stood between them: a space keeps the words apart.
            apart = " " if before and not before.isspace() and not space and after_word else ""
            edits.append((start + len(space), end, apart, Rule.LOST_BULLET, persian_before and not space))
        elif (space or not before) and after_word:
            edits.append((start + len(space), end, "", Rule.LOST_BULLET, persian_before))
        elif persian_before:
            edits.append((start, end, "؟", Rule.QUESTION_MARK, False))
    return edits


def _apply_edits(text: str, edits: list[_Edit]) -> tuple[str, list[int]]:
    """`text` with the edits made, and for each position of the result (and its end) the position
    of `text` it comes from."""
    pieces: list[str] = []
    origin: list[int] = []
    last = 0
    for start, end, replacement, _, _ in edits:
        pieces.append(text[last:start])
        origin.extend(range(last, start))
        pieces.append(replacement)
        origin.extend([start] * len(replacement))
        last = end
    pieces.append(text[last:])
    origin.extend(range(last, len(text) + 1))
    return "".join(pieces), origin


def _label(number: str, sign: str) -> str:
    """`1.` `۱-` `(3)` `2)` `۲ـ` → `1.` `۱-` `3)` `2)` `۲-`: the digits as written, one sign after them."""
    return number + ("." if sign == "." else ")" if sign in ")]" else "-")


def _split_markup(line: str, offset: int = 0) -> _Line:
    """Take the opening markup off a line (starting at `offset` in the draft); the rest, `?` fixed,
    is the line's text."""
    start, end = 0, len(line)
    while start < end and (line[start].isspace() or line[start] in _EDGE_JUNK):
        start += 1
    while end > start and (line[end - 1].isspace() or line[end - 1] in _EDGE_JUNK):
        end -= 1
    rest = line[start:end]
    bullet = False
    label: str | None = None
    lost: int | None = None  # where the first `?` standing for a lost emoji is in `rest`
    # The editor's formatting opening the line (bot.text.markup) stays, and the markup is read after it.
    lead = at = _LEADING_FORMAT.match(rest).end()  # type: ignore[union-attr]
    # Markers are stepped over, not cut off one by one (a copy each: quadratic on 🔹🔹🔹…).
    while (match := _MARKER.match(rest, at)) and match.end() > at:
        if number := match.group("number"):
            digits = "".join(ch for ch in number if ch.isdigit())
            label = label or _label(digits, number.rstrip()[-1])
        else:
            bullet = True
            if match.group("lost") and lost is None:
                lost = match.start()
        at = match.end()
    opening = None
    if lost is not None and not lead:  # explain reads the words, with no formatting markers
        word = _FIRST_WORD.match(rest, at).group()  # type: ignore[union-attr]
        where = offset + start + lost
        opening = (where, where + at - lost + len(word), rest[lost : at + len(word)], word)
    rest = rest[:lead] + rest[at:]
    if not lead:  # a line opening with formatting markers is never explained (explain reads the words)
        start += at
    edits = _question_mark_edits(rest)
    text = _apply_edits(rest, edits)[0] if edits else rest
    return _Line(text, bullet, label, rest, offset + start, edits, opening)


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


def _draft_lines(text: str) -> list[_Line]:
    lines = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        if _visible(raw):
            lines.append(_split_markup(raw, offset))
        offset += len(raw)
    return [line for line in lines if _visible(line.text)]


def _visible(text: str) -> bool:
    """Whether a line shows anything: not only spaces, NULs, joiners and other zero-width characters."""
    return any(unicodedata.category(char)[0] not in "CZ" for char in text)


def parse_draft(text: str, *, normalize: Normalizer | None = None) -> Draft:
    """Parse a draft; `normalize` is the Persian clean-up (the project's normalizer by default)."""
    if normalize is None:
        normalize = _default_normalizer()
    lines = _draft_lines(text)
    if not lines:
        return Draft(None, ())
    for line, clean in zip(lines, _normalize_lines([line.text for line in lines], normalize), strict=True):
        line.text = clean
    return _structure([line for line in lines if line.text])


def explain_draft(text: str, *, signature: str = "") -> tuple[Draft, list[Change]]:
    """The draft `parse_draft` reads and every change made to its text on the way, at offsets in
    `text`, in order: what the clean-up changed, which `?` were taken for lost bullets (those that may
    have been question marks are `doubtful`), which lines opening with `?` became bullets (doubtful
    when the line reads as a question), and, with a `signature`, another channel's signature line
    that the post will not carry."""
    from bot.text.normalize import normalize_explained

    lines = _draft_lines(text)
    if not lines:
        return Draft(None, ()), []
    changes = [change for line in lines for change in line.changes()]
    origins = [line.origin() for line in lines]
    clean, found = normalize_explained("\n".join(line.text for line in lines))
    clean_lines = clean.split("\n")
    if len(clean_lines) == len(lines):
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line.text) + 1)
        for change in found:
            index = bisect_right(starts, change.start) - 1
            origin, start = origins[index], starts[index]
            where = (origin[min(at - start, len(origin) - 1)] for at in (change.start, change.end))
            changes.append(Change(change.rule, *where, change.before, change.after))
        for line, cleaned in zip(lines, clean_lines, strict=True):
            line.text = " ".join(cleaned.split())
    else:  # never expected (the clean-up keeps lines); the draft stays right, the list stays empty
        for line, cleaned in zip(
            lines, _normalize_lines([line.text for line in lines], _default_normalizer()), strict=True
        ):
            line.text = cleaned
    draft = _structure([line for line in lines if line.text])
    changes.extend(change for line in lines if (change := line.opening_change()) is not None)
    dropped = foreign_signature(draft, signature)
    if dropped is not None:
        at = len(text.rstrip())
        changes.append(Change(Rule.FOREIGN_SIGNATURE, at - len(dropped.text), at, dropped.text, ""))
        draft = drop_foreign_signature(draft, signature)
    changes.sort(key=lambda change: change.start)
    return draft, changes


_HEADLINE_MAX_CHARS = 160
"""A first line longer than this is no headline (the seed's is 117 characters)."""
_SENTENCE_END_RE = re.compile(rf"[.!؟?](?:{MARKER_RE.pattern})*(?=\s)")  # a closing tag may follow


def _drop_final_stop(headline: str) -> str:
    """A headline takes no final full stop (before the formatting that closes it, if any)."""
    closers = re.search(rf"(?:{MARKER_RE.pattern})*$", headline)
    at = closers.start() if closers else len(headline)
    return headline[:at].removesuffix(".") + headline[at:]


def _split_headline(first: str) -> tuple[str | None, str]:
    """A long first line gives its first sentence as the headline if that is short enough, else no
    headline; what is left is the lead."""
    if visible_chars(first) <= _HEADLINE_MAX_CHARS:  # the editor's formatting markers do not count
        return first, ""
    end = _SENTENCE_END_RE.search(first, 0, _HEADLINE_MAX_CHARS + 1 + len(first) - visible_chars(first))
    if end is None or visible_chars(first[: end.end()]) > _HEADLINE_MAX_CHARS:
        return None, first
    headline, lead = split_at(first, end.end())  # a bold or a link across the cut: closed, reopened
    return _drop_final_stop(headline), lead.strip()


def _structure(lines: list[_Line]) -> Draft:
    """Give every clean line its role: headline, lead, bullet, paragraph, closing, byline, footer."""
    if not lines:
        return Draft(None, ())
    headline: str | None = None
    if not lines[0].numbered:
        headline, lead = _split_headline(lines[0].text)
        if lead:
            lines[0].text = lead
            lines[0].bullet = False
        else:
            lines.pop(0)

    footer_from = len(lines)
    while footer_from > 0 and _is_footer(lines[footer_from - 1].text):
        footer_from -= 1

    blocks: list[Block] = []
    for index, line in enumerate(lines):
        kind: BlockKind
        label = line.label
        if label and any(_is_persian(ch) for ch in line.text):
            label = persian_number(label[:-1]) + label[-1]
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
        line.kind = kind
        blocks.append(Block(kind, line.text, label))
    return Draft(headline, tuple(blocks))


_SIGNATURE_LINE_RE = re.compile(r"[^\w@]*(@[A-Za-z][A-Za-z0-9_]{2,31})[^\w@]*")


def foreign_signature(draft: Draft, signature: str) -> Block | None:
    """The draft's last line when it is only another channel's @handle (`🆔 @other`), kept by a
    forward; only when we sign posts ourselves, and never our own handle."""
    if not signature.strip() or not draft.blocks or draft.blocks[-1].kind != "footer":
        return None
    last = draft.blocks[-1]
    match = _SIGNATURE_LINE_RE.fullmatch(last.text)
    if match is None or match.group(1).lower() in signature.lower():
        return None
    return last


def _same_line(line: str, own: str) -> bool:
    """Whether a draft's line says what one of the desk's own lines says, however it came back
    (copied from the channel: letters folded by the clean-up, emoji or their variation marks lost):
    the same words once letters are folded as the index folds them (cheap: no lexicon)."""
    words = _WORDS.findall(fold_letters(strip_markup(line)).replace("\u200c", ""))
    return bool(words) and words == _WORDS.findall(fold_letters(strip_markup(own)).replace("\u200c", ""))


_WORDS = re.compile(r"[@#]?\w+")  # a handle is not a hashtag, nor a plain word


def drop_closing_lines(draft: Draft, signature: str, credit: str = "") -> Draft:
    """The draft without the lines the desk ends a post with when they come back at its end — a
    channel post pasted back as a correction, or sent back as a new draft, carries our signature
    and source credit already, and the post adds them again — and without another channel's
    signature (`foreign_signature`)."""
    own = [line for line in (signature.strip(), strip_markup(credit).strip()) if line]
    blocks = list(draft.blocks)
    while blocks and own and any(_same_line(blocks[-1].text, line) for line in own):
        blocks.pop()
    if len(blocks) != len(draft.blocks):
        draft = Draft(draft.headline, tuple(blocks))
    return drop_foreign_signature(draft, signature)


def drop_foreign_signature(draft: Draft, signature: str) -> Draft:
    """The draft without another channel's signature line at its end (see `foreign_signature`)."""
    if foreign_signature(draft, signature) is None:
        return draft
    return Draft(draft.headline, draft.blocks[:-1])


def draft_to_json(
    draft: Draft, messages: list[str], *, changes: list[Change] | None = None, source: str = ""
) -> dict[str, object]:
    """The `newsdesk format --json` object (docs/commands.md); with `changes` (of the draft `source`), also
    `"changes"`: one object per change with its rule, offset, line, column, before, after, doubtful."""
    found: dict[str, object] = {
        "headline": draft.headline,
        "blocks": [_block_json(block) for block in draft.blocks],
        "messages": list(messages),
    }
    if changes is not None:
        starts = line_starts(source)  # once: a line count per change took 21 s for 12,000 changes
        found["changes"] = [change_to_json(change, source, starts) for change in changes]
    return found


def _block_json(block: Block) -> dict[str, str]:
    """`{"kind", "text"}`, and `"label"` for an item of a numbered list."""
    found = {"kind": block.kind, "text": block.text}
    if block.label is not None:
        found["label"] = block.label
    return found


def _default_normalizer() -> Normalizer:
    from bot.text.normalize import normalize_text

    return normalize_text
