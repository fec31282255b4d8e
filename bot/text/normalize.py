"""Persian clean-up of arbitrary text: letters, punctuation spacing and half-spaces.

How, in order (each step is named by its `Rule`, so that `normalize_explained` can say what it did):
1. line breaks: CRLF/CR → LF; every later step keeps the number of lines;
2. on the raw text: a soft hyphen between letters is a half-space; a tatweel between digits is a
   dash (`۱۱ـ۲۳` → `۱۱–۲۳`), a pair around a phrase is a parenthetic dash (`ـ که … ـ`), a loose one
   goes (before masking, so that no two numbers can merge);
3. links, e-mails, @handles, #hashtags, numbers, dates and times are masked (`bot.text.protect`);
4. runs of four or more dots, or spaced dots, become one ellipsis; the ezafe `هٔ` is written one way
   (`بهانهء`, `خانۀ`, an Arabic `ة` on a Persian noun);
5. hazm's `Normalizer` (built once, lazily) maps Arabic letters to Persian ones (ي→ی, ك→ک, …),
   turns "…" into «…» and `...` into `…`, and drops diacritics and special marks (the ezafe hamza is
   kept). Its spacing, digit and `می` steps are switched off: they cost 80% of its time, break lines
   and numbers (`12.5` → `۱۲ ٫ ۵`, `. \\n`) and are done here instead;
6. our own spacing: no space before ، ؛ : . ! ؟, one after; a Latin comma after Persian text is
   Persian; quotes and brackets hug their text;
7. half-spaces word by word and pair by pair (`bot.text.halfspace`), then the readings that the
   neighbouring words decide;
8. the masked spans come back; plain numbers on a Persian line get Persian digits (`۱۲٫۵`), except
   inside Latin words, Latin phrases and `code`.
`?` is left exactly as it is: the draft parser decides what each `?` means.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from bot.text import halfspace, lexicon
from bot.text.changes import Change, Rule, Tracker
from bot.text.halfspace import ARABIC_LETTERS, ZWNJ
from bot.text.protect import MASK, Span, mask, persian_number, unmask

if TYPE_CHECKING:
    from hazm import Normalizer

_AR = f"[{ARABIC_LETTERS}]"
TATWEEL = "\u0640"
SOFT_HYPHEN = "\u00ad"
EN_DASH = "–"
LATIN_MASK = "\ue003"
"""Stands, during the steps, for a masked link, e-mail, handle or dotted Latin token: Latin text, to
which Persian spacing rules do not apply (`node.js . . .` keeps its spaces; a number's `MASK` does)."""
EZAFE = "ه\u0654"
"""The ezafe after a silent ه as a Persian keyboard types it: ه + hamza above (`خانهٔ ما`)."""

_WORD = f"{_AR}+(?:{ZWNJ}{_AR}+)*"
_WORD_RUN_RE = re.compile(f"{_WORD}(?: {_WORD})*")

# Each pattern starts with the character it is about, and each pass runs only when that character
# is present: a regex pass over a seed-sized draft costs ~0.1 ms here, a substring test ~3 µs.
_SPACES_RE = re.compile(r"  +")
_MARKS = "\u064b-\u0652\u0670"  # diacritics that may end a word (`واقعاً`)
_LATIN_COMMA_RE = re.compile(
    f"(?:(?<=[{ARABIC_LETTERS}{_MARKS}])|(?<={_AR}[»)\\]}}])) *[,;](?![0-9])"
    # spaced on both sides between a number or link and Persian text: no thousands separator
    f"|(?<=[{MASK}{LATIN_MASK}]) +[,;] +(?={_AR})"
)
_SPACE_BEFORE_PUNCT_RE = re.compile(
    # A quotation or bracket may close right after the mark: `… است .»` → `… است.»`.
    f"(?<=\\S) +(?=[،؛؟])|(?<=[{ARABIC_LETTERS}{_MARKS}{MASK}»)]) +(?=[.:!](?:[ \\n{ARABIC_LETTERS}«»)]|$))",
    re.MULTILINE,
)
_SPACE_AFTER_PUNCT_RE = re.compile(
    f"[،؛](?=[^\\s،؛.:!؟?»)\\]}}])"
    f"|[.!؟:](?<=[{ARABIC_LETTERS}{MASK}»)][.!؟:])(?=[{ARABIC_LETTERS}«])"
    f"|:(?<={_AR}:)(?=[{MASK}{LATIN_MASK}])"
)
_INSIDE_QUOTES_RE = re.compile("(?<=«) +(?=\\S)|(?<=\\S) +(?=»)")
# The inside holds no bracket, so each opening bracket is tried against its own stretch only: linear.
_INSIDE_BRACKETS_RE = re.compile(r"([(\[{])([^()\[\]{}\n]*)([)\]}])")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_OUTSIDE_BRACKETS_RE = re.compile(f"[«(\\[{{](?<={_AR}[«(\\[{{])|(?<=[»)\\]}}])(?={_AR})")
_ZWNJ_RUN_RE = re.compile(f"{ZWNJ}[{ZWNJ} ]*")
_LOOSE_JOINERS_RE = re.compile(f"[{ZWNJ}{TATWEEL}]+")
_ARABIC_LETTER_RE = re.compile(_AR)
_NOT_SPACE_RE = re.compile("[^ ]")
_SOFT_HYPHEN_RE = re.compile(f"(?<={_AR}){SOFT_HYPHEN}+(?={_AR})")
# Any number of spaces between the dots: with one at most, `.  …` became `. …` here and `…` on a
# second run, once the spaces were made one (the clean-up was not idempotent).
_DOTS_RE = re.compile(r"[.…](?: *[.…])+")
_EZAFE_RE = re.compile(f"(?<={_AR})(?:ه ?ء|ۀ)(?!{_AR})|(?<={_AR}{{2}})ة(?![{ARABIC_LETTERS}{ZWNJ}])")
_LATIN_LETTER_RE = re.compile(r"[A-Za-z]")
_LATIN_NEIGHBOUR_RE = re.compile(f"[A-Za-z{LATIN_MASK}]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z][\w.+#-]*")

_QUOTED_RE = re.compile('"([^\\n"]+)"')
_ELLIPSIS_RE = re.compile(r" ?\.\.\.")
LATIN_QUOTE, LATIN_DOT, KEPT_TANWIN = "\ue001", "\ue002", "\ue004"
"""Stand-ins that carry the quotes and dots of Latin text and an adverb's tanwin past hazm (private-use
characters)."""
TANWIN = "\u064b"
ADVERB_TANWIN = "ا" + TANWIN

_TO_PERSIAN_PUNCT = str.maketrans({",": "،", ";": "؛"})
_CLOSING_MARKS = frozenset(".،؛:!؟?»)]}\"'")


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


@cache
def _hazm_tables() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """From hazm's constants: what any enabled step could change, and its letter mapping."""
    from hazm.constants import (
        DIACRITICS_PATTERNS,
        SPECIAL_CHARS_PATTERNS,
        TRANSLATION_DST,
        TRANSLATION_SRC,
        UNICODE_REPLACEMENTS,
    )

    letters = dict(zip(TRANSLATION_SRC, TRANSLATION_DST, strict=True))
    letters = {src: dst for src, dst in letters.items() if src != dst}
    translate_re = re.compile("[" + re.escape("".join(letters)) + "]")
    classes = "".join(pattern[1:-1] for pattern, _ in DIACRITICS_PATTERNS + SPECIAL_CHARS_PATTERNS)
    ligatures = "".join(old for old, _ in UNICODE_REPLACEMENTS if len(old) == 1) + "ﻵﻶﻷﻸﻹﻺﻻﻼ"
    changes_re = re.compile(
        "[" + re.escape("".join(letters)) + classes + re.escape(ligatures) + '"]|\\.\\.\\.'
    )
    return changes_re, translate_re, letters


@cache
def _tag_letters() -> tuple[re.Pattern[str], dict[str, str]]:
    """hazm's letter mapping, letters only (no digits, quotes or marks): what a hashtag may change."""
    _, _, letters = _hazm_tables()
    mapping = {src: dst for src, dst in letters.items() if src.isalpha() and dst.isalpha()}
    return re.compile("[" + re.escape("".join(mapping)) + "]"), mapping


def _hashtag_letters(spans: list[Span]) -> list[Span]:
    """A hashtag's Arabic letters become the Persian ones the body gets (`#فريدونشهر` →
    `#فریدونشهر`), nothing else: a tag is never split or joined, so the channel's tags stay one tag
    (and the search analyzer folds letters, so posts tagged the old way are found by the new tag)."""
    pattern, mapping = _tag_letters()
    if not any(span.kind == "hashtag" and pattern.search(span.text) for span in spans):
        return spans
    return [
        Span(span.kind, pattern.sub(lambda m: mapping[m.group()], span.text))
        if span.kind == "hashtag"
        else span
        for span in spans
    ]


def _apply_hazm(text: str) -> str:
    """hazm's `normalize` with our switches, in its order, minus work that cannot change anything.

    Its first step rebuilds a 400-entry translation table and runs `str.translate` on every call
    (~0.6 ms on the seed); mapping only the characters that are present gives the same result.
    The decimal rule of `persian_style` never fires: numbers are masked before hazm runs.
    """
    hazm = hazm_normalizer()
    changes_re, translate_re, letters = _hazm_tables()
    if not changes_re.search(text):
        return text
    text = translate_re.sub(lambda match: letters[match.group()], text)
    if '"' in text or "..." in text:
        text = hazm.persian_style(text)
    text = hazm.remove_diacritics(text)
    text = hazm.unicodes_replacement(text)
    return hazm.remove_specials_chars(text)


# ── steps on the raw text ──


def _soft_hyphens(text: str) -> str:
    """A soft hyphen between two letters stands for a half-space (`کتاب­ها`)."""
    if SOFT_HYPHEN not in text:
        return text
    return _SOFT_HYPHEN_RE.sub(ZWNJ, text)


def _edge(text: str, at: int) -> bool:
    """True at the start or end of the text, at a blank, or at a closing mark."""
    return at < 0 or at >= len(text) or text[at].isspace() or text[at] in _CLOSING_MARKS


def _loose_joiners(text: str) -> str:
    """Decide every tatweel and half-space that is not inside a word, before masking (removing one
    later could glue two protected spans into a new one: `12.ـ5` would turn into `12.5`).

    A tatweel between digits is a dash (`۱۱ـ۲۳` → `۱۱–۲۳`); a free-standing one, or a pair opening
    and closing a phrase on one line (`ـکه … میبالیمـ`), is a parenthetic dash; any other goes."""
    if ZWNJ not in text and TATWEEL not in text:
        return text
    out: list[str] = []
    last = 0
    opener: int | None = None  # index in `out` of a tatweel that may open a parenthetic phrase
    for match in _LOOSE_JOINERS_RE.finditer(text):
        start, end, run = match.start(), match.end(), match.group()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        out.append(text[last:start])
        last = end
        if opener is not None and "\n" in out[-1]:
            opener = None
        if before.isalnum() and after.isalpha():
            out.append(run)  # inside a word: dealt with after masking
        elif ZWNJ in run:
            out.append("")
        elif (before.isdigit() and after.isdigit()) or (_edge(text, start - 1) and _edge(text, end)):
            out.append(EN_DASH)
        elif _edge(text, start - 1):
            opener = len(out)
            out.append("")
        elif _edge(text, end) and opener is not None:
            out[opener] = EN_DASH
            out.append(EN_DASH)
            opener = None
        else:
            out.append("")
    out.append(text[last:])
    return "".join(out)


_RAW_STEPS: tuple[tuple[Rule, Callable[[str], str]], ...] = (
    (Rule.SOFT_HYPHEN, _soft_hyphens),
    (Rule.KASHIDA, _loose_joiners),
)


# ── steps on the masked text ──


class _PersianSide:
    """Answers, for one text, whether a mark at text[start:end] (dots, quotes) belongs to Persian text:
    its line holds Persian letters and no Latin letter stands right beside it (`alpha... Beta` is
    Latin text). Each line is searched for Persian letters once, however many marks it holds."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[int, bool] = {}
        self._seen = self._line_start = 0  # marks come in order: the line start is carried forward

    def __call__(self, start: int, end: int) -> bool:
        text = self.text
        if start >= self._seen:
            newline = text.rfind("\n", self._seen, start)
            self._line_start = newline + 1 if newline >= 0 else self._line_start
        else:
            self._line_start = text.rfind("\n", 0, start) + 1
        self._seen = start
        line_start = self._line_start
        persian = self._lines.get(line_start)
        if persian is None:
            line_end = text.find("\n", line_start)
            line_end = len(text) if line_end < 0 else line_end
            persian = self._lines[line_start] = (
                _ARABIC_LETTER_RE.search(text, line_start, line_end) is not None
            )
        if not persian:
            return False
        # Walked from the mark, not by stripping copies of the line (quadratic on "x... x... x...").
        before = _last_before(text, start, " :،؛!؟»)\"'.…", line_start)
        after = _first_after(text, end, " «(\"'.…")
        return not (_LATIN_NEIGHBOUR_RE.match(before) or _LATIN_NEIGHBOUR_RE.match(after))


def _first_after(text: str, end: int, skipped: str) -> str:
    """The first character from `end` on that is not in `skipped`, within the line ('' if none)."""
    at = end
    while at < len(text) and text[at] in skipped:
        at += 1
    return text[at] if at < len(text) and text[at] != "\n" else ""


def _last_before(text: str, start: int, skipped: str, low: int = 0) -> str:
    """The last character before `start` (and from `low` on) that is not in `skipped` ('' if none)."""
    at = start - 1
    while at >= low and text[at] in skipped:
        at -= 1
    return text[at] if at >= low else ""


def _dots(text: str) -> str:
    """Four or more dots, or dots with spaces between them, next to Persian text: one ellipsis."""
    if ".." not in text and ". ." not in text and ".  " not in text and "…" not in text:
        return text

    persian_side = _PersianSide(text)

    def fix(match: re.Match[str]) -> str:
        run = match.group()
        count = run.count(".") + 3 * run.count("…")
        loose = " " in run or "…" in run or count >= 4
        if count >= 3 and loose and persian_side(match.start(), match.end()):
            return "..."
        return run

    return _DOTS_RE.sub(fix, text)


def _ezafe(text: str) -> str:
    """One spelling for the ezafe after ه: `بهانهء`, `بهانه ء`, `خانۀ` → `…هٔ`; an Arabic `ة` ending a
    Persian noun is `هٔ` before the next word (`سایة درخت` → `سایهٔ درخت`) and `ه` elsewhere."""
    if "ء" not in text and "ۀ" not in text and "ة" not in text:
        return text

    def fix(match: re.Match[str]) -> str:
        if match.group() != "ة":
            return EZAFE
        start = match.start()
        word_start = start
        while word_start and _ARABIC_LETTER_RE.match(text[word_start - 1]):
            word_start -= 1
        noun = text[word_start:start] + "ه"
        if lexicon.word_count(noun) <= 0:
            return "ة"  # an Arabic word (`الصلاة`), not a Persian noun
        follows = text[match.end() : match.end() + 3]
        next_word = (
            follows[:1] == " " and _ARABIC_LETTER_RE.match(follows[1:2] or "-") and follows[1:3] != "ال"
        )
        return EZAFE if next_word else "ه"

    return _EZAFE_RE.sub(fix, text)


def _letters(text: str) -> str:
    """hazm's letter, quote and diacritic rules. The hamza of the ezafe and the tanwin of an adverb
    (`واقعاً`, typed before or after its alef) are not diacritics to drop, and the quotes and dots of
    Latin text stay as they are (hazm would turn `"x", "y"` into `«x», «y»`)."""
    if TANWIN in text:
        text = text.replace(TANWIN + "ا", "ا" + TANWIN)
    guarded = EZAFE in text or ADVERB_TANWIN in text or '"' in text or "..." in text
    if not guarded or LATIN_QUOTE in text or LATIN_DOT in text or KEPT_TANWIN in text:
        return _apply_hazm(text)
    if '"' in text:
        persian_side = _PersianSide(text)

        def quotes(match: re.Match[str]) -> str:  # hazm's `"…"` → `«…»`, beside Persian text only
            persian = _ARABIC_LETTER_RE.search(match.group(1)) or persian_side(match.start(), match.end())
            return f"«{match.group(1)}»" if persian else match.group()

        text = _QUOTED_RE.sub(quotes, text).replace('"', LATIN_QUOTE)
    if "..." in text:
        persian_side = _PersianSide(text)

        def ellipsis(match: re.Match[str]) -> str:  # hazm's ` ?...` → ` … `, beside Persian text only
            return " … " if persian_side(match.start(), match.end()) else match.group()

        text = _ELLIPSIS_RE.sub(ellipsis, text).replace(".", LATIN_DOT)
    text = text.replace(EZAFE, "ۀ").replace(ADVERB_TANWIN, KEPT_TANWIN)
    text = _apply_hazm(text).replace("ۀ", EZAFE).replace(KEPT_TANWIN, ADVERB_TANWIN)
    return text.replace(LATIN_QUOTE, '"').replace(LATIN_DOT, ".")


def _inner_kashidas(text: str) -> str:
    return text.replace(TATWEEL, "") if TATWEEL in text else text


def _tidy_zwnj(match: re.Match[str]) -> str:
    """Keep one half-space, and only between a joining Arabic-script letter and another letter."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    if before == " ":
        return ""
    if " " in match.group():
        return " "
    after = text[end] if end < len(text) else ""
    arabic_before = bool(before) and (_ARABIC_LETTER_RE.match(before) is not None)
    arabic_after = bool(after) and (_ARABIC_LETTER_RE.match(after) is not None)
    if arabic_before and arabic_after and before not in halfspace.NON_JOINING:
        return ZWNJ
    if before == MASK and arabic_after:
        return ZWNJ
    if before.isalpha() and after.isalpha() and not (arabic_before or arabic_after):
        return ZWNJ  # between letters of another script (Indic scripts use ZWNJ too)
    return ""


def _half_space_tidy(text: str) -> str:
    return _ZWNJ_RUN_RE.sub(_tidy_zwnj, text) if ZWNJ in text else text


def _latin_commas(text: str) -> str:
    """A Latin comma or semicolon after Persian text (or its closing quote or bracket) is Persian, and
    so is one spaced on both sides between a number and Persian text (`۲۰ , تهران`)."""
    if "," not in text and ";" not in text:
        return text
    return _LATIN_COMMA_RE.sub(lambda m: m.group().strip(" ").translate(_TO_PERSIAN_PUNCT), text)


def _punctuation_spacing(text: str) -> str:
    """One space between words; none before ، ؛ : . ! ؟ and one after."""
    if "  " in text:
        text = _SPACES_RE.sub(" ", text)
    if any(f" {mark}" in text for mark in "،؛؟.:!"):
        text = _SPACE_BEFORE_PUNCT_RE.sub("", text)
    return _SPACE_AFTER_PUNCT_RE.sub(lambda m: m.group() + " ", text)


def _hug(match: re.Match[str]) -> str:
    """`( متن )` → `(متن)`: a pair of brackets around Persian text; code (`f( x )`) is left alone."""
    opening, inside, closing = match.groups()
    if _PAIRS[opening] != closing or not _ARABIC_LETTER_RE.search(inside):
        return match.group()
    return opening + inside.strip(" ") + closing


def _bracket_spacing(text: str) -> str:
    """Quotes and brackets hug their text and stand apart from the words outside."""
    if "« " in text or " »" in text:
        text = _INSIDE_QUOTES_RE.sub("", text)
    if any(pair in text for pair in ("( ", " )", "[ ", " ]", "{ ", " }")):
        text = _INSIDE_BRACKETS_RE.sub(_hug, text)
    if any(mark in text for mark in "«»()[]{}"):
        text = _OUTSIDE_BRACKETS_RE.sub(lambda m: f" {m.group()}" if m.group() else " ", text)
    return text


def _line_edges(text: str) -> str:
    if text.startswith(" ") or text.endswith(" ") or " \n" in text or "\n " in text:
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return text


def _fix_run(match: re.Match[str]) -> str:
    tokens = halfspace.join_tokens(match.group().split(" "))
    after = _NOT_SPACE_RE.search(match.string, match.end())  # not a copy of the rest per run
    following = after.group() if after else ""
    return " ".join(halfspace.in_context(tokens, following))


_WORD_EDGES = "«»()[]{}.،؛:!؟?\"'…–-" + MASK + LATIN_MASK


def _half_spaces(text: str) -> str:
    """Half-spaces run by run, then one spelling per compound the draft itself writes with a
    half-space (`_consistent_compounds`). The compounds our rules make need no such pass: a rule
    answers the same for the same two words wherever they stand."""
    typed = {word.strip(_WORD_EDGES) for word in text.split() if ZWNJ in word} if ZWNJ in text else ()
    text = _WORD_RUN_RE.sub(_fix_run, text)
    return _consistent_compounds(text, typed) if typed else text


def _consistent_compounds(text: str, half_spaced: set[str] | tuple[()]) -> str:
    """One spelling per compound in a draft: where the draft writes `A‌B`, the same two words written
    apart elsewhere are joined too (`رضایت‌نامه` … `رضایت نامه`), unless the
    second is the verb of its phrase (`آسیب‌دیده` … `آسیب دیده است` stays). `half_spaced` holds the
    draft's words typed with a half-space."""
    compounds = {}
    # A substring test per compound before any pattern is built: most drafts write each compound one
    # way (a pattern built for every draft cost more than the rest of this step).
    for word in half_spaced:
        parts = halfspace.compound_parts(word)
        if parts is not None and f"{parts[0]} {parts[1]}" in text:
            compounds[parts] = word
    if not compounds:
        return text
    firsts = {left for left, _ in compounds}
    pattern = re.compile(
        f"(?<![{ARABIC_LETTERS}{ZWNJ}])("
        + "|".join(sorted((re.escape(left) for left in firsts), key=len, reverse=True))
        + f") ({_AR}+)(?![{ARABIC_LETTERS}{ZWNJ}])(?=(?: ({_AR}+))?)"
    )

    def fix(match: re.Match[str]) -> str:
        left, right, following = match.group(1), match.group(2), match.group(3)
        joined = compounds.get((left, right))
        if joined is None or halfspace.keeps_apart(right, following):
            return match.group()
        return joined

    return pattern.sub(fix, text)


_MASKED_STEPS: tuple[tuple[Rule, Callable[[str], str]], ...] = (
    (Rule.DOTS, _dots),
    (Rule.EZAFE, _ezafe),
    (Rule.LETTERS, _letters),
    (Rule.KASHIDA, _inner_kashidas),
    (Rule.HALF_SPACE_TIDY, _half_space_tidy),
    (Rule.PUNCTUATION, _latin_commas),
    (Rule.SPACING, _punctuation_spacing),
    (Rule.BRACKETS, _bracket_spacing),
    (Rule.SPACING, _line_edges),
    (Rule.HALF_SPACE, _half_spaces),
)


# ── the masked spans back ──


_LATIN_SPANS = frozenset({"url", "email", "handle", "latin"})
_AROUND_A_WORD = " ()[]{}«»\"',;:.!?"


def _latin_context(pieces: list[str], spans: list[Span], index: int, before: _Before) -> bool:
    """True when the number spans[index], between pieces[index] and pieces[index + 1], belongs to Latin
    text: it touches a Latin letter (`alert(1)`), stands in `code` or a Latin call (`max(1, 2)`), or
    has a Latin word (or link, handle, `node.js`) on both sides. `before` describes the line up to
    the number."""
    left, right = pieces[index], pieces[index + 1]
    left_token = left.rsplit(maxsplit=1)[-1] if left.strip() and not left[-1:].isspace() else ""
    right_token = right.split(maxsplit=1)[0] if right.strip() and not right[:1].isspace() else ""
    if _LATIN_LETTER_RE.search(left_token) or _LATIN_LETTER_RE.search(right_token):
        return True
    if before.in_code or before.in_latin_call:
        return True
    left_words = left.rstrip(_AROUND_A_WORD).split()
    right_words = right.lstrip(_AROUND_A_WORD).split()
    latin_before = (
        bool(_LATIN_WORD_RE.match(left_words[-1]))
        if left_words
        else index > 0 and spans[index - 1].kind in _LATIN_SPANS
    )
    latin_after = (
        bool(_LATIN_WORD_RE.match(right_words[0]))
        if right_words
        else index + 1 < len(spans) and spans[index + 1].kind in _LATIN_SPANS
    )
    return latin_before and latin_after


class _Before:
    """What the line holds up to a number, learned piece by piece as the line is walked: counting from
    the line's start for every number was quadratic in a line of many numbers."""

    def __init__(self) -> None:
        self.in_code = False  # an odd number of backticks so far
        self._brackets: list[bool] = []  # open brackets, each: does a Latin letter stand before it
        self._last = ""

    def read(self, piece: str) -> None:
        """Take in the next piece of the line."""
        if "`" in piece:
            self.in_code ^= piece.count("`") % 2 == 1
        if any(ch in piece for ch in "()[]"):
            for at, ch in enumerate(piece):
                if ch in "([":
                    previous = piece[at - 1] if at else self._last
                    self._brackets.append(bool(previous) and bool(_LATIN_LETTER_RE.match(previous)))
                elif ch in ")]" and self._brackets:
                    self._brackets.pop()
        if piece:
            self._last = piece[-1]

    @property
    def in_latin_call(self) -> bool:
        """Inside the brackets of a Latin call or index (`max(1, `, `arr[`)."""
        return bool(self._brackets) and self._brackets[-1]


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
        if not _ARABIC_LETTER_RE.search(line.replace(MASK, "")):
            lines[index] = unmask(line, mine)
            continue
        pieces = line.split(MASK)
        out = [pieces[0]]
        before = _Before()
        for number, span in enumerate(mine):
            before.read(pieces[number])
            persian = span.kind == "number" and not _latin_context(pieces, mine, number, before)
            out.append(persian_number(span.text) if persian else span.text)
            out.append(pieces[number + 1])
        lines[index] = "".join(out)
    return "\n".join(lines)


def _mask(text: str) -> tuple[str, list[Span]]:
    """`protect.mask`, with `LATIN_MASK` for the spans of Latin text (unless the text holds one)."""
    masked, spans = mask(text)
    if LATIN_MASK in masked or not any(span.kind in _LATIN_SPANS for span in spans):
        return masked, spans
    pieces = masked.split(MASK)
    out = [pieces[0]]
    for span, piece in zip(spans, pieces[1:], strict=True):
        out.append(LATIN_MASK if span.kind in _LATIN_SPANS else MASK)
        out.append(piece)
    return "".join(out), spans


def _unmask(masked: str, spans: list[Span]) -> str:
    return unmask(masked.replace(LATIN_MASK, MASK), spans) if spans else masked


def _unify_line_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize_text(text: str) -> str:
    """Full Persian clean-up of `text`; the result has exactly as many lines (`\\n`) as the input."""
    text = _unify_line_breaks(text)
    for _, step in _RAW_STEPS:
        text = step(text)
    masked, spans = _mask(text)
    for rule, step in _MASKED_STEPS:
        masked = step(masked)
        if rule is Rule.LETTERS and spans:
            spans = _hashtag_letters(spans)
    return _restore(masked.replace(LATIN_MASK, MASK), spans)


def normalize_explained(text: str) -> tuple[str, list[Change]]:
    """`normalize_text(text)` and the list of its changes, each with its rule and its place in `text`.

    Line breaks (CRLF → LF) are not listed: nobody sees them."""
    origin = [i for i, ch in enumerate(text) if not (ch == "\r" and text[i + 1 : i + 2] == "\n")]
    tracker = Tracker(_unify_line_breaks(text), [*origin, len(text)])
    for rule, step in _RAW_STEPS:
        tracker.step(rule, step(tracker.text))
    masked, spans = _mask(tracker.text)
    for rule, step in _MASKED_STEPS:
        masked = step(masked)
        if rule is Rule.LETTERS and spans:
            spans = _hashtag_letters(spans)
        tracker.step(rule, _unmask(masked, spans))
    tracker.step(Rule.DIGITS, _restore(masked.replace(LATIN_MASK, MASK), spans))
    return tracker.text, sorted(tracker.changes, key=lambda change: change.start)
