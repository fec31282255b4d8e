"""Persian clean-up of arbitrary text: letters, punctuation spacing and half-spaces.

How, in order:
1. line breaks: CRLF/CR → LF; every later step keeps the number of lines;
2. links, e-mails, @handles, #hashtags, numbers, dates and times are masked (`bot.text.protect`);
3. hazm's `Normalizer` (built once, lazily) maps Arabic letters to Persian ones (ي→ی, ك→ک, …),
   turns "…" into «…» and `...` into `…`, and drops diacritics and special marks. Its spacing,
   digit and `می` steps are switched off: they cost 80% of its time, break lines and numbers
   (`12.5` → `۱۲ ٫ ۵`, `. \n`) and are done here instead;
4. our own spacing: no space before ، ؛ : . ! ؟, one after; quotes and brackets hug their text;
5. half-spaces word by word and pair by pair (`bot.text.halfspace`);
6. the masked spans come back; plain numbers on a Persian line get Persian digits (`۱۲٫۵`).
`?` is left exactly as it is: the draft parser decides what each `?` means.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from bot.text import halfspace, lexicon
from bot.text.halfspace import ARABIC_LETTERS, ZWNJ
from bot.text.protect import MASK, Span, mask, persian_number, unmask

if TYPE_CHECKING:
    from hazm import Normalizer

_AR = f"[{ARABIC_LETTERS}]"
_NON_JOINING = "".join(sorted(halfspace.NON_JOINING))

_WORD = f"{_AR}+(?:{ZWNJ}{_AR}+)*"
_WORD_RUN_RE = re.compile(f"{_WORD}(?: {_WORD})*")

_SPACES_RE = re.compile(r" {2,}")
_EDGE_SPACES_RE = re.compile(r"^ +| +$", re.MULTILINE)
_TATWEEL_RE = re.compile("\u0640+")
_ZWNJ_RUN_RE = re.compile(f"{ZWNJ}{{2,}}")
# A half-space only belongs between a joining Arabic-script letter and another letter.
_STRAY_ZWNJ_RE = re.compile(
    f"(?<=[{_NON_JOINING}]){ZWNJ}"
    f"|(?<={_AR}){ZWNJ}(?!{_AR})"
    f"|(?<![{ARABIC_LETTERS}{MASK}]){ZWNJ}(?={_AR})"
)
_LATIN_COMMA_RE = re.compile(f"(?<={_AR})( *)([,;])(?![0-9])")
_SPACE_BEFORE_PERSIAN_PUNCT_RE = re.compile(r"(?<=\S) +(?=[،؛؟])")
_SPACE_BEFORE_PUNCT_RE = re.compile(
    f"(?<=[{ARABIC_LETTERS}{MASK}»)]) +(?=[.:!](?:[ {ARABIC_LETTERS}«]|$))", re.MULTILINE
)
_SPACE_AFTER_PERSIAN_PUNCT_RE = re.compile(r"([،؛])(?=[^\s،؛.:!؟?»)\]])")
_SPACE_AFTER_PUNCT_RE = re.compile(f"(?<=[{ARABIC_LETTERS}{MASK}»)])([.!؟:])(?=[{ARABIC_LETTERS}«])")
_SPACE_AFTER_COLON_RE = re.compile(f"(?<={_AR}):(?={MASK})")
_INSIDE_QUOTES_RE = re.compile(r"(?<=[«(]) +(?=\S)|(?<=\S) +(?=[»)])")
_BEFORE_OPENING_RE = re.compile(f"(?<={_AR})(?=[«(])")
_AFTER_CLOSING_RE = re.compile(f"(?<=[»)])(?={_AR})")
_REPEATED_RE = re.compile(f"({_AR})\\1\\1")
_PERSIAN_LINE_RE = re.compile(_AR)

_TO_PERSIAN = str.maketrans({",": "،", ";": "؛"})


@cache
def hazm_normalizer() -> Normalizer:
    """hazm's Normalizer with the steps we replace switched off; built once per process."""
    from hazm import Normalizer

    return Normalizer(
        correct_spacing=False,
        persian_numbers=False,
        seperate_mi=False,
        decrease_repeated_chars=False,
    )


def _fix_spacing(text: str) -> str:
    text = _TATWEEL_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = _ZWNJ_RUN_RE.sub(ZWNJ, text)
    text = text.replace(" " + ZWNJ, " ").replace(ZWNJ + " ", " ")
    text = _STRAY_ZWNJ_RE.sub("", text)
    text = _LATIN_COMMA_RE.sub(lambda m: m.group(2).translate(_TO_PERSIAN), text)
    text = _SPACE_BEFORE_PERSIAN_PUNCT_RE.sub("", text)
    text = _SPACE_BEFORE_PUNCT_RE.sub("", text)
    text = _SPACE_AFTER_PERSIAN_PUNCT_RE.sub(r"\1 ", text)
    text = _SPACE_AFTER_PUNCT_RE.sub(r"\1 ", text)
    text = _SPACE_AFTER_COLON_RE.sub(": ", text)
    text = _INSIDE_QUOTES_RE.sub("", text)
    text = _BEFORE_OPENING_RE.sub(" ", text)
    text = _AFTER_CLOSING_RE.sub(" ", text)
    text = _SPACES_RE.sub(" ", text)
    return _EDGE_SPACES_RE.sub("", text)


def _decrease_repeated(match: re.Match[str]) -> str:
    """hazm's rule: a letter written 3+ times becomes 1 or 2 copies, whichever the lexicon knows."""
    word = match.group()
    if word in lexicon.words():
        return word
    once = re.sub(f"({_AR})\\1{{2,}}", r"\1", word)
    twice = re.sub(f"({_AR})\\1{{2,}}", r"\1\1", word)
    if (once in lexicon.words()) != (twice in lexicon.words()):
        return once if once in lexicon.words() else twice
    return twice


def _fix_run(match: re.Match[str]) -> str:
    return " ".join(halfspace.join_tokens(match.group().split(" ")))


def _restore(text: str, spans: list[Span]) -> str:
    """Unmask line by line: plain numbers get Persian digits where the line is Persian."""
    if not spans:
        return text
    lines = text.split("\n")
    position = 0
    for index, line in enumerate(lines):
        count = line.count(MASK)
        if not count:
            continue
        mine = spans[position : position + count]
        position += count
        if _PERSIAN_LINE_RE.search(line.replace(MASK, "")):
            lines[index] = unmask(line, mine, _render_persian)
        else:
            lines[index] = unmask(line, mine)
    return "\n".join(lines)


def _render_persian(span: Span) -> str:
    return persian_number(span.text) if span.kind == "number" else span.text


def normalize_text(text: str) -> str:
    """Full Persian clean-up of `text`; the result has exactly as many lines (`\\n`) as the input."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    masked, spans = mask(text)
    masked = hazm_normalizer().normalize(masked)
    if _REPEATED_RE.search(masked):
        masked = re.sub(f"{_AR}*({_AR})\\1{{2,}}{_AR}*", _decrease_repeated, masked)
    masked = _fix_spacing(masked)
    masked = _WORD_RUN_RE.sub(_fix_run, masked)
    return _restore(masked, spans)
