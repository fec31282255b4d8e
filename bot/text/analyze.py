"""The one Persian search analyzer: the same text in, the same index terms out, for articles and queries.

How: a `str.translate` table does the character-level normalization (Arabic ي/ك → ی/ک, every digit to
ASCII, diacritics, tatweel and bidi marks removed); a regex cuts words (ZWNJ kept inside a word); each
distinct word then goes once through `term()` (cached), which finds the word's parts with the formatter's
half-space rules (`bot.text.halfspace.fix_word`), drops inflection parts (ها/های/تر/ترین, می/نمی,
ام/اند…), strips a joined plural ان/ات only when hazm's lexicon knows the stem and not the whole word
(so `شهرداری` stays, `کارگران` → `کارگر`), and folds look-alike letters (ة→ه, أ/إ/آ→ا, ؤ→و, ئ→ی) for
matching. A word and its space-split spelling meet because two neighbours that form a lexicon compound
(`پیش بینی`) are joined before analysis, and every term is written without ZWNJ, so `پروژه های`,
`پروژههای` and `پروژه‌های` all become `پروژه`.

The full formatter normalizer is not run per article: it is built for drafts and is far too slow for
archive imports (thousands of articles a second). Its word-level half-space logic is what matters for
matching, and that is shared through `fix_word`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, chain, compress, count, repeat
from operator import is_, itemgetter, not_, sub
from pathlib import Path

from bot.text.halfspace import fix_word, join_pair
from bot.text.letters import ALEF_FORMS, ARABIC_LETTERS, TO_ASCII_DIGITS
from bot.text.lexicon import stopwords, word_count, word_tags
from bot.text.lexicon import words as lexicon_words

# Bump whenever `term()` can give a different answer for some word: the index is rebuilt at start-up.
ANALYZER_VERSION = 4  # 4: numbers in one form; compounds apart with a glued suffix

ZWNJ = "\u200c"
MAX_TERM_CHARS = 48

_NORMALIZE = str.maketrans(
    {
        **ARABIC_LETTERS, "ې": "ی", "ێ": "ی", "ۍ": "ی", "ڪ": "ک", "ە": "ه", "ہ": "ه",
        **{chr(digit): chr(ascii_digit) for digit, ascii_digit in TO_ASCII_DIGITS.items()},
        # Diacritics (harakat, tanwin, shadda, sukun, superscript alef), tatweel, bidi/format marks.
        **dict.fromkeys([chr(c) for c in range(0x064B, 0x0660)], None),
        "\u0670": None, "\u0640": None, "\u200d": None, "\u200e": None, "\u200f": None,
        "\u00ad": None, "\ufeff": None, "\u061c": None,
        **dict.fromkeys([chr(c) for c in range(0x202A, 0x202F)], None),
        **dict.fromkeys([chr(c) for c in range(0x2066, 0x206A)], None),
    }
)  # fmt: skip
_FOLD = str.maketrans({"ة": "ه", "ۀ": "ه", **ALEF_FORMS, "ٱ": "ا", "ؤ": "و", "ئ": "ی"})


def _compatibility_letters() -> dict[int, str]:
    """NFKC for the Arabic presentation forms (`ﻣﺪﺭﺳﻪ` copied from a PDF → `مدرسه`, `ﻻ` → `لا`), fullwidth
    ASCII and a few stray Arabic-script letters; NFKC is not run on other text, where it would change
    what a reader typed (`½`, `ﬁ`, superscripts)."""
    ranges = [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF), *range(0xFF01, 0xFF5F)]
    found = {}
    for code in ranges:
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded != chr(code):
            found[code] = folded.translate(_NORMALIZE)
    found.update({ord("ھ"): "ه", ord("ۃ"): "ه", ord("ۂ"): "ه", ord("ٶ"): "ؤ", ord("ٸ"): "ئ"})
    return found


_NORMALIZE = str.maketrans({**_compatibility_letters(), **_NORMALIZE})

# A number with thousands separators or a decimal point is one word, in one canonical form
# (`۸۵٬۴۰۰٬۰۰۰`, `85,400,000` and `85400000` → `85400000`; `۴٫۲`, `4.2`, `۴/۲` → `4٫2`), so a reader
# finds a price however it is typed. Only a reading that cannot join two separate numbers is taken:
# thousands groups (`٬` or `,`) of exactly three digits after one to three, then at most one decimal
# point (`٫`, `.` or `/`); a lone decimal point between two digit runs; nothing touching another
# mark-and-digits (`1403/05/12`, `1.2.3`, `12,34` stay separate numbers); a slash between a year and a
# month (`1403/5`, `2024/11`) is a date's, not a decimal point. A number never starts inside a word
# (`x1,234`); a letter may follow it (`۱۲٫۵درصد`: `12٫5`, `درصد`).
DECIMAL_MARK = "\u066b"  # ٫ in a term: FTS5's ascii tokenizer keeps non-ASCII characters in a token


def _number_pattern(digit: str) -> str:
    """The regex of a number with marks, over a digit class (ASCII after normalizing, any script in
    the text as written)."""
    mark, thousands, point = r"[,\u066c.\u066b/]", r"[,\u066c]", r"[.\u066b/]"
    year_month = rf"(?:1[34]|19|20){digit}{{2}}/(?:0?[1-9]|1[0-2])(?!{digit})"
    return (
        rf"(?<![\w,\u066c.\u066b/])(?!{year_month})"
        rf"(?:{digit}{{1,3}}(?:{thousands}{digit}{{3}})+(?:{point}{digit}+)?|{digit}+{point}{digit}+)"
        rf"(?!{digit}|{mark}{digit})"
    )


_NUMBER = re.compile(_number_pattern("[0-9]"))
# A word: letters/digits, possibly joined by ZWNJ (`پروژه‌های` is one word with two parts; `۵‌ساله`), or
# a number. ZWNJ between two digits joins nothing: `۱۲‌۳۴۵` is two numbers.
_WORD = re.compile(rf"{_NUMBER.pattern}|[^\W_]+(?:(?:(?<![0-9])\u200c+|\u200c+(?![0-9]))[^\W_]+)*")
_THOUSANDS = str.maketrans("", "", ",\u066c")
_POINTS = str.maketrans("./", "\u066b\u066b")


def _number_term(number: str) -> str:
    """The canonical term of a `_NUMBER` (ASCII digits): no thousands separators, no leading zeros,
    the decimal point as DECIMAL_MARK without trailing zeros (`4.20` → `4٫2`, `4.0` → `4`)."""
    whole, _, fraction = number.translate(_THOUSANDS).translate(_POINTS).partition(DECIMAL_MARK)
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    return f"{whole}{DECIMAL_MARK}{fraction}" if fraction else whole


# Parts that only inflect the word before them; as separate words (`پروژه های`) they vanish.
_SUFFIX_PARTS = frozenset(
    ["ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "تر", "تری", "ترین",
     "ترینها", "ای", "ام", "ات", "اش", "ایم", "اید", "اند", "ی", "یی"]
)  # fmt: skip
_PREFIX_PARTS = frozenset(["می", "نمی"])
# Joined endings worth removing when the lexicon knows the stem but not the whole word.
# (ending, what to put back): نمایندگان → نماینده, دانشجویان → دانشجو.
_JOINED_ENDINGS = (
    ("هایی", ""), ("های", ""), ("ها", ""), ("ترین", ""), ("تر", ""),
    ("گان", "ه"), ("یان", ""), ("ان", ""), ("ات", ""),
)  # fmt: skip


@cache
def _lexicon() -> frozenset[str]:
    return lexicon_words()


# Words that end a name or a place name and are written apart, with a half-space or glued (`حسن پور`,
# `حسن‌پور`, `حسنپور`; `اسلام آباد`; `علی زاده`): written apart, they are joined to the word before.
NAME_TAILS = ("پور", "زاده", "آباد", "نژاد", "وند")
# Marks a hashtag's index term (`#انتخابات_مجلس` → `ـانتخاباتمجلس`). Tatweel is removed from all text
# before analysis, so no word's term can start with it, and FTS5's ascii tokenizer keeps it in a token.
HASHTAG_MARK = "\u0640"
PLURALS_FILE = "broken_plurals.tsv"


@cache
def _compounds() -> dict[str, dict[str, str]]:
    """First part → {term of the second part: term of the whole} for the two-part lexicon compounds
    that the formatter's `join_pair` joins when written apart (`پیش` → {`بینی`: `پیشبینی`, …}).
    Keyed by the second part's term, so a suffix on it (`کتاب خانه‌ها`) does not keep them apart.

    Asked once per lexicon compound at start-up, so analysis only looks pairs up in dicts."""
    found: dict[str, dict[str, str]] = {}
    for word in _lexicon():
        if word.count(ZWNJ) == 1:
            head, tail = (part.translate(_NORMALIZE) for part in word.split(ZWNJ))
            joined = join_pair(head, tail)
            whole = term(joined) if joined else None
            tail_term = term(tail)
            if whole and tail_term:
                found.setdefault(head, {})[tail_term] = whole
    return found


@cache
def _name_tails() -> frozenset[str]:
    return frozenset(t for t in map(term, NAME_TAILS) if t)


def _is_attested(word: str) -> bool:
    """A lexicon word seen in hazm's corpus or tagged; its untagged dictionary-only entries include
    joined spellings like `کتابها` that must not block stemming."""
    return word_count(word) > 0 or bool(word_tags(word) - {"0"})


def _strip_joined_ending(word: str) -> str:
    lexicon = _lexicon()
    if len(word) < 4 or _is_attested(word):
        return word
    for ending, restore in _JOINED_ENDINGS:
        if word.endswith(ending):
            stem = word[: -len(ending)] + restore
            if len(stem) >= 2 and stem in lexicon:
                return stem
    # The ezafe written as ی after a vowel (شورای شهر, هوای تهران, دانشجوی): the word in the corpus.
    if word[-1] == "ی" and word[-2] in "او" and word_count(word[:-1]) > 0:
        return word[:-1]
    return word


def _base_term(word: str) -> str | None:
    """`term` before the broken-plural table."""
    if word[:1].isdigit() and not word.isdigit() and _NUMBER.fullmatch(word):
        return _number_term(word)[:MAX_TERM_CHARS]
    parts = (word if ZWNJ in word else fix_word(word)).split(ZWNJ)
    parts = [p for p in parts if p]
    if not parts or (len(parts) == 1 and (parts[0] in _SUFFIX_PARTS or parts[0] in _PREFIX_PARTS)):
        return None
    while len(parts) > 1 and parts[0] in _PREFIX_PARTS:
        parts.pop(0)
    while len(parts) > 1 and parts[-1] in _SUFFIX_PARTS:
        parts.pop()
    if len(parts) > 1:  # a compound's plural: its last part's (دانش‌آموزان → دانش‌آموز)
        parts[-1] = _strip_joined_ending(parts[-1])
    joined = "".join(parts)
    if joined.isdigit():
        joined = joined.lstrip("0") or "0"
    else:
        joined = _strip_joined_ending(joined)
        if joined.endswith("اء") and len(joined) > 2:  # اعضاء / اعضا, انشاء / انشا
            joined = joined[:-1]
    return joined.translate(_FOLD).lower()[:MAX_TERM_CHARS]


@cache
def _broken_plurals() -> dict[str, str]:
    """Plural term → singular term, from the project's table (PLURALS_FILE, next to this module)."""
    table: dict[str, str] = {}
    text = Path(__file__).with_name(PLURALS_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            singular, plural = (_base_term(w.translate(_NORMALIZE)) for w in line.split("\t"))
            if singular and plural and singular != plural:
                table[plural] = singular
    return table


@cache
def _plurals_of() -> dict[str, tuple[str, ...]]:
    """Singular term → the plural terms that mean it (for snippets, which look for a term's letters)."""
    found: dict[str, list[str]] = {}
    for plural, singular in _broken_plurals().items():
        found.setdefault(singular, []).append(plural)
    return {singular: tuple(plurals) for singular, plurals in found.items()}


@lru_cache(maxsize=1 << 18)
def fold_letters(text: str) -> str:
    """`text` with the letters and digits folded as the index folds them (ي → ی, ۴ → 4, أ → ا…),
    diacritics and format marks dropped, lower case; cheap: no lexicon."""
    return text.translate(_NORMALIZE).translate(_FOLD).lower()


@lru_cache(maxsize=1 << 18)
def term(word: str) -> str | None:
    """The index term of one normalized word (see `words()`), or None for a pure inflection part."""
    base = _base_term(word)
    if not base:
        return None
    plurals = _broken_plurals()
    singular = plurals.get(base)
    if singular is None and base[-1] == "ی":  # اعضای شورا, مناطقی که: the plural with its ی
        singular = plurals.get(base[:-1])
    return singular or base


# Endings that derive a word or make a plural the analyzer keeps apart from its base, as the two
# differ in meaning often enough (`شهرداری` is not `شهردار`, `انتخابات` not `انتخاب`): a search for the
# base also asks for these (`storage.search`'s ranking, `derived_terms`). `ه` gives way to `ات`
# (`مطالعه` → `مطالعات`).
_DERIVING_ENDINGS = ("ی", "ات", "یات")
MIN_DERIVED_BASE = 4  # `ماه`/`ماهی`, `کار`/`کاری`, `رو`/`روی`: short words derive too loosely


@lru_cache(maxsize=4096)
def derived_terms(base: str) -> tuple[str, ...]:
    """The terms of the words derived from the term `base` by an ending the analyzer leaves on
    (`تعطیل` → `تعطیلی`, `تعطیلات`): a post holding only those is about the word searched for. None
    for a number, a hashtag, or a base shorter than MIN_DERIVED_BASE letters."""
    if len(base) < MIN_DERIVED_BASE or not base.isalpha() or base[0] == HASHTAG_MARK:
        return ()
    if base[-1] == "ه":  # `خانه‌ای`, `خانه‌ی` are the ezafe: only `مطالعات`
        words = [base[:-1] + "ات"]
    else:
        words = [base + ending for ending in _DERIVING_ENDINGS]
    # Only a word the analyzer keeps as it is: `مدرسات` gives `مدرس`, another word.
    return tuple(word for word in words if term(word) == word)


def hashtag_term(tag: str) -> str | None:
    """The index term of a hashtag (`#انتخابات_مجلس`, its `#` optional): HASHTAG_MARK and its words'
    terms run together, so `#انتخابات_مجلس` and `#انتخابات‌مجلس` meet; None when it has no word."""
    words = _WORD.findall(tag.translate(_NORMALIZE))
    joined = "".join(t for t in map(term, words) if t)
    return (HASHTAG_MARK + joined)[:MAX_TERM_CHARS] if joined else None


# What a whitespace-separated piece of text contributes: its terms, the term of the word it starts
# with, the compounds its last word can begin ({second part's term: term of the whole}), that last
# word, the first word again if it is a name tail (`پور`), and when the first word is a compound's
# second part with a glued suffix (`آموزی` of `دانش آموزی`), that part's term and the word. The edge
# words are None when punctuation separates them from the next piece, or when they have no term.
type _Chunk = tuple[
    tuple[str, ...], str | None, dict[str, str] | None, str | None, str | None, str | None, str | None
]
_TERMS = itemgetter(0)
_FIRST = itemgetter(1)
_TAILS = itemgetter(2)
_NAME_TAIL = itemgetter(4)
_SUFFIXED_TAIL = itemgetter(5)
_CHUNK_CACHE_SIZE = 1 << 18
# A plain dict read through `map(dict.get, …)` keeps the per-piece cost in C; lru_cache's bookkeeping
# costs more than the rest of analysis for a 200-word article. Cleared when full.
_chunk_cache: dict[str, _Chunk] = {}


_NO_TERMS: _Chunk = ((), None, None, None, None, None, None)


# Pieces a snippet passed over unanalyzed once: met again, they are analyzed and cached, so a
# long-running searcher stops re-checking the words its archive repeats, while a word met once
# costs no analysis. Cleared with the cache.
_passed_over: set[str] = set()


def _chunks(pieces: list[str], words: frozenset[str] | None = None) -> list[_Chunk]:
    """Each piece's chunk, from the cache or analyzed now. With `words`, a piece not analyzed yet
    that certainly gives none of them (nor a term beginning with one) is passed over as termless
    the first time."""
    found = list(map(_chunk_cache.get, pieces))
    if None in found:
        if len(_chunk_cache) > _CHUNK_CACHE_SIZE:
            _chunk_cache.clear()
            _passed_over.clear()
        elif len(_passed_over) > _CHUNK_CACHE_SIZE:  # bounded too: most words met once stay unmet
            _passed_over.clear()
        passed = []
        # Only the pieces not in the cache are visited in Python: a text's other words cost nothing here.
        for i in compress(count(), map(is_, found, repeat(None))):
            piece = pieces[i]
            if words is not None and piece not in _passed_over and not _may_give(piece, words):
                _passed_over.add(piece)
                found[i] = _NO_TERMS
                passed.append(i)
                continue
            found[i] = _chunk_cache[piece] = _chunk(piece)
        if passed:
            _analyze_passed_over_heads(pieces, found, passed)  # type: ignore[arg-type]
    return found  # type: ignore[return-value]


def _analyze_passed_over_heads(pieces: list[str], found: list[_Chunk], passed: list[int]) -> None:
    """Analyze each piece passed over (at the indexes `passed`, ascending) whose next piece may end a
    compound or a name written apart.

    Had it been analyzed, it might have joined that next piece, and a piece taken by one join takes
    part in no other (`حسن پور پور`: the first `پور` ends `حسنپور`, the second stands alone); passed
    over, it would leave the next piece free to join the one after it (`پورپور`), losing a term the
    text holds. Right to left, so a piece analyzed here is seen by the one before it."""
    tails = _compound_tails()
    for i in reversed(passed):
        if i + 1 < len(found) and found[i] is _NO_TERMS and pieces[i] in _passed_over:
            after = found[i + 1]
            if after[4] is not None or after[5] is not None or (after[1] is not None and after[1] in tails):
                _passed_over.discard(pieces[i])
                found[i] = _chunk_cache[pieces[i]] = _chunk(pieces[i])


@cache
def _compound_tails() -> frozenset[str]:
    """The terms that end some lexicon compound written apart (`بینی` of `پیش بینی`)."""
    return frozenset(tail for tails in _compounds().values() for tail in tails)


# A piece folded as the analysis folds its words, and without ZWNJ: each term of a piece is a substring
# of it (parts are dropped only from a word's ends before the rest is joined), but where letters
# repeated three times are squeezed, for the ه an ending like گان gives back (نمایندگان → نماینده),
# for a broken plural (اخبار → خبر), whose letters are looked for instead, and for a hashtag's term.
# Numbers lose their thousands separators and have one decimal point, as in their terms (a term holds
# none of these marks, so no other term's letters are parted).
_SEARCH_FOLD = str.maketrans(
    {c: (t.translate(_FOLD) if t else t) for c, t in {**_NORMALIZE, **_FOLD, ord(ZWNJ): None}.items()}
    | {ord(","): None, ord("\u066c"): None, ord("."): DECIMAL_MARK, ord("/"): DECIMAL_MARK}
)
_REPEATED = re.compile(r"(\w)\1\1")


def _may_give(piece: str, words: frozenset[str]) -> bool:
    """False only if `piece` surely gives none of `words` and no term beginning with one of them."""
    letters = piece.translate(_SEARCH_FOLD)
    if _REPEATED.search(letters) or "Σ" in letters:  # Σ: lowercase depends on what follows the word
        return True
    letters = letters.lower()
    plurals = _plurals_of()
    return any(
        w in letters
        or (w[-1] == "ه" and w[:-1] + "گان" in letters)
        or (w in plurals and any(p in letters for p in plurals[w]))
        or (w[0] == HASHTAG_MARK and "#" in letters)
        for w in words
    )


@cache
def _compound_parts() -> dict[str, tuple[str, ...]]:
    """The term of each lexicon compound that may be written apart → its two parts' letters, folded
    as `_may_give` folds a piece (so a snippet does not pass over a part unanalyzed)."""
    parts: dict[str, set[str]] = {}
    for head, tails in _compounds().items():
        for tail, whole in tails.items():
            parts.setdefault(whole, set()).update(p.translate(_SEARCH_FOLD) for p in (head, tail))
    return {whole: tuple(halves) for whole, halves in parts.items()}


# A hashtag in a piece: `#` not inside a word or a URL (`/page#top`, `&#39;`).
_HASHTAG = re.compile(r"(?<![\w/&])#([^\W_][\w\u200c]*)")


def _name_halves(whole: str) -> tuple[str, ...]:
    """The parts of a term that may be a name written apart (`حسنپور` → `حسن`, `پور`), else ()."""
    for tail in _name_tails():
        if whole.endswith(tail) and len(whole) > len(tail):
            return whole[: -len(tail)], tail
    return ()


@lru_cache(maxsize=256)  # a search asks it once per hit, with the same terms
def _halves(terms: frozenset[str]) -> tuple[str, ...]:
    """The letters of the parts of those `terms` that are compounds or names a text may write apart."""
    compound_parts = _compound_parts()
    halves = [half for t in terms for half in compound_parts.get(t, ())]
    # A compound with a glued suffix (`دانشاموزی`): its parts are those of the compound it begins with.
    halves += [
        half
        for t in terms
        if t not in compound_parts
        for cut in range(1, min(_LONGEST_GLUED, len(t) - 2) + 1)
        for half in compound_parts.get(t[:-cut], ())
    ]
    return (*halves, *(half for t in terms for half in _name_halves(t)))


# Suffixes glued to a compound's second part written apart (`دانش آموزی`, `کتاب خانهها`), with what
# they take away (گان gives back ه: `رزمندگان`). The longest first.
_GLUED_ENDINGS = (
    ("هایی", ""), ("ترین", ""), ("های", ""), ("ها", ""), ("تر", ""), ("ای", ""), ("یی", ""),
    ("گان", "ه"), ("یان", ""), ("ان", ""), ("ات", ""), ("ی", ""),
)  # fmt: skip
_LONGEST_GLUED = max(len(ending) for ending, _ in _GLUED_ENDINGS)
# Endings written after a half-space (`سرمایه‌گذاری‌ها`, `خانه‌ای`); the others are written glued
# (`دانش‌آموزی`, `دانش‌آموزان`).
_HALF_SPACED_ENDINGS = frozenset(["هایی", "ترین", "های", "ها", "تر"])


def _suffixed_tail(word: str, word_term: str) -> tuple[str, str] | None:
    """When `word` is a compound's second part with a glued suffix (`آموزی`) and its own term is another
    (`term` keeps `آموزی`): that part's term and the word as written in the compound (`اموز`, `آموزی`;
    `گذاریها` → `گذاری`, `گذاری‌ها`); else None. Never for a word the lexicon knows: `علی رضایی` is a
    name and a surname, not `علیرضا` with a suffix (nor `علی اکبری`, `محمد حسینی`)."""
    if ZWNJ in word or word in _lexicon():  # `آموز‌ها`: `term` takes the suffix off already
        return None
    tails = _compound_tails()
    for ending, restore in _GLUED_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem_word = word[: -len(ending)] + restore
            stem = term(stem_word)
            if stem is not None and stem != word_term and stem in tails:
                if ending in _HALF_SPACED_ENDINGS or (ending == "ای" and stem_word[-1] == "ه"):
                    return stem, stem_word + ZWNJ + ending
                return stem, word
    return None


def _chunk(piece: str) -> _Chunk:
    norm = piece.translate(_NORMALIZE)
    found = list(_WORD.finditer(norm))
    terms = tuple(t for t in (term(m.group()) for m in found) if t)
    if "#" in norm:
        tags = tuple(t for t in map(hashtag_term, _HASHTAG.findall(norm)) if t)
        if tags:  # its words count as words, the tag as a term of its own; it joins no neighbour
            return terms + tags, None, None, None, None, None, None
    if not found:
        return terms, None, None, None, None, None, None
    # Edge words take part in joins only with a term of their own (the piece's first or last term).
    first = found[0].group() if found[0].start() == 0 else None
    first_term = term(first) if first else None
    last = found[-1].group() if found[-1].end() == len(norm) and term(found[-1].group()) else None
    tails = _compounds().get(last) if last else None
    name_tail = first if first_term in _name_tails() else None
    suffixed = _suffixed_tail(first, first_term) if first_term is not None else None  # type: ignore[arg-type]
    if suffixed is None:
        return terms, first_term, tails, last, name_tail, None, None
    return terms, first_term, tails, last, name_tail, *suffixed


def _join(a: _Chunk, b: _Chunk) -> str | None:
    """The term of a compound written apart across two neighbouring pieces (`پیش بینی`, `کتاب خانه‌ها`,
    `حسن پور`), as the same words written with a half-space give it; None when they are no compound."""
    whole = a[2].get(b[1]) if a[2] is not None else None  # type: ignore[arg-type]
    if whole is None and b[5] is not None and a[2] is not None and b[5] in a[2]:
        whole = term(a[3] + ZWNJ + b[6])  # type: ignore[operator]  (`دانش آموزی` as `دانش‌آموزی`)
    if whole is None and b[4] is not None and a[3] is not None:
        whole = term(a[3] + ZWNJ + b[4])
    return whole


def _suffixed_points(chunks: list[_Chunk]) -> list[int]:
    """Indexes i where chunk i ends with a compound's head and chunk i + 1 starts with its second part
    with a glued suffix (`دانش آموزی`); such pieces are few, so this pass is Python."""
    return [
        j - 1
        for j in compress(count(), map(_SUFFIXED_TAIL, chunks))
        if j > 0 and (tails := chunks[j - 1][2]) is not None and chunks[j][5] in tails
    ]


def _compound_points(chunks: list[_Chunk]) -> list[int]:
    """Indexes i (ascending) where chunks i and i + 1 form a lexicon compound, or may form a name
    (`_join` decides). A news text has a compound head every few words (`آب`, `روی`, `بین`) but a
    compound written apart rarely: the heads' next pieces are looked up in C, and only the few that
    join, and the name tails, are left to Python."""
    heads = list(compress(count(), map(_TAILS, chunks[:-1])))
    if heads:
        pairs = map(dict.get, map(_TAILS, map(chunks.__getitem__, heads)),
                    map(_FIRST, map(chunks.__getitem__, map((1).__add__, heads))))  # fmt: skip
        heads = list(compress(heads, pairs))
    names = [j - 1 for j in compress(count(), map(_NAME_TAIL, chunks)) if j > 0]
    names += _suffixed_points(chunks)
    return sorted({*heads, *names}) if names else heads


def analyzed_terms(
    text: str, *, for_query: bool = False, words: frozenset[str] | None = None
) -> Iterable[str]:
    """The index terms of `text`, in order (inflection-only words dropped). With `words`, a piece not
    analyzed before that surely gives none of them is passed over as if it had no term (see
    `may_hold_phrases`).

    Text is cut at whitespace and each distinct piece is analyzed once (cached); the pass over the
    pieces stays in C unless two neighbours form a compound written apart (`پیش بینی`). Any
    per-character pass over whole articles would cost more than all the rest of an import.

    A name written apart (`حسن پور`) gives the whole (`حسنپور`); in an article its first word's term
    stays too, as `تهران زاده شد` is about Tehran; a query asks for the whole only, which its glued
    and half-spaced spellings hold."""
    return _joined_terms(_chunks(text.split(), words), for_query)


def _joined_terms(chunks: list[_Chunk], for_query: bool) -> Iterable[str]:
    """The terms of a text's chunks, compounds and names written apart joined (see `analyzed_terms`)."""
    joins: list[tuple[int, str, bool]] = []
    for i in _compound_points(chunks):
        a, b = chunks[i], chunks[i + 1]
        whole = a[2].get(b[1]) if a[2] is not None else None  # type: ignore[arg-type]  (_join, inline)
        if whole is None:
            whole = _join(a, b)
        if whole is not None and (not joins or joins[-1][0] != i - 1):
            joins.append((i, whole, b[4] is not None and not for_query))
    if not joins:
        return chain.from_iterable(map(_TERMS, chunks))
    out: list[str] = []
    start = 0
    for i, whole, keep_head in joins:
        out.extend(chain.from_iterable(map(_TERMS, chunks[start:i])))
        # The compound's parts are the last term of one piece and the first of the next.
        out.extend(chunks[i][0] if keep_head else chunks[i][0][:-1])
        out.append(whole)
        out.extend(chunks[i + 1][0][1:])
        start = i + 2
    out.extend(chain.from_iterable(map(_TERMS, chunks[start:])))
    return out


def may_hold_phrases(text: str, phrases: Iterable[tuple[str, ...]]) -> bool:
    """False only if some phrase (a run of query terms) surely does not stand whole in `text`'s terms:
    an exact check (`analyze`) need only follow a True. Words never analyzed before that cannot give
    a phrase's term (nor a part of one written apart) are not analyzed but passed over as termless,
    which can only bring terms closer together, never part them: a cold article costs a letter test
    per word, not an analysis."""
    phrases = list(phrases)
    terms = frozenset(chain.from_iterable(phrases))
    halves = _halves(terms)
    chunks = _chunks(text.split(), terms.union(halves))
    if halves:
        text_terms = f" {' '.join(_joined_terms(chunks, True))} "
    else:
        # No phrase term is a compound or a name a text may write apart, so none is made by a join; a
        # join only puts one term for the two it joins, so a run of other terms stands whole in the
        # joined terms only if it does in the pieces' own. Finding the joins is most of an analysis.
        text_terms = f" {' '.join(chain.from_iterable(map(_TERMS, chunks)))} "
    return all(f" {' '.join(phrase)} " in text_terms for phrase in phrases)


def analyze(text: str, *, for_query: bool = False) -> list[str]:
    """The index terms of `text`, in order (inflection-only words dropped); see `analyzed_terms`."""
    return list(analyzed_terms(text, for_query=for_query))


@cache
def stop_terms() -> frozenset[str]:
    """hazm's stop words as terms: alone they never make a partial match, nor tell a story apart."""
    return frozenset(t for word in stopwords() for t in analyze(word, for_query=True))


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short excerpt of a text with the spans (start, end offsets into `text`) of matched words."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def marked(self, open_mark: str, close_mark: str, escape=lambda s: s) -> str:
        """The excerpt with each matched word wrapped, other text passed through `escape`."""
        out, pos = [], 0
        for start, end in self.spans:
            out += [escape(self.text[pos:start]), open_mark, escape(self.text[start:end]), close_mark]
            pos = end
        out.append(escape(self.text[pos:]))
        return "".join(out)


SNIPPET_SCAN = 100
# A word as written (diacritics and tatweel inside it), to mark it within its piece.
_ANY_DIGIT = "[0-9\u06f0-\u06f9\u0660-\u0669]"
_JOINERS = "[\u200c\u064b-\u065f\u0670\u0640]+"
_TEXT_WORD = re.compile(
    rf"{_number_pattern(_ANY_DIGIT)}|[^\W_]+(?:(?:(?<!{_ANY_DIGIT}){_JOINERS}|{_JOINERS}(?!{_ANY_DIGIT}))[^\W_]+)*"
)


def make_snippet(
    text: str, terms: frozenset[str], prefixes: tuple[str, ...] = (), *, max_words: int = 30,
    opening_only: bool = False,
) -> Snippet:  # fmt: skip
    """The `max_words`-piece window of `text` holding most matched words (terms, or term prefixes),
    within its opening SNIPPET_SCAN pieces if any is there. With `opening_only` (say, when the title
    shown above the snippet already holds a matched word) it is the opening itself, the lead that
    says what the story is, with whatever matched words it holds marked.

    Pieces are cut at whitespace and analyzed through the same cache as indexing, so a snippet costs
    little more than a dictionary lookup per word; whitespace in the excerpt becomes single spaces."""
    scan = max_words if opening_only else SNIPPET_SCAN
    pieces = text.split(maxsplit=scan)  # a body is rarely read past its opening: not split past it
    rest = pieces.pop() if len(pieces) > scan else ""
    if not pieces:
        return Snippet("", ())

    def matches(t: str | None) -> bool:
        return bool(t) and (t in terms or (bool(prefixes) and t.startswith(prefixes)))  # type: ignore[union-attr, arg-type]

    def hits_in(chunks: list[_Chunk]) -> tuple[list[bool], set[int]]:
        """Which pieces hold a matched word, and which begin a matched compound written apart
        (`پیش بینی`: the search found `پیشبینی`) that ends in the next piece."""
        if prefixes:
            hits = [any(map(matches, c[0])) for c in chunks]
        else:
            hits = list(map(not_, map(terms.isdisjoint, map(_TERMS, chunks))))
        joined: set[int] = set()
        if not (halves or prefixes):  # no matched word is a compound
            return hits, joined
        for i in _compound_points(chunks):  # the few neighbours that join, found in C
            if matches(_join(chunks[i], chunks[i + 1])):
                hits[i] = hits[i + 1] = True
                joined.add(i)
        return hits, joined

    # A news text tells its story first: the window is sought in the opening, and further only if it
    # holds no matched word. A word never analyzed before is analyzed only if it may be a matched one
    # (or a part of a matched compound).
    halves = _halves(terms)
    words = terms.union(prefixes, halves)
    hits, joined = hits_in(_chunks(pieces, words))
    if rest and not any(hits) and not opening_only:
        pieces += rest.split()
        rest = ""
        hits, joined = hits_in(_chunks(pieces, words))
    best = 0
    if len(hits) > max_words:
        sums = list(accumulate(hits, initial=0))
        counts = list(map(sub, sums[max_words:], sums[:-max_words]))
        best = counts.index(max(counts))
    window = pieces[best : best + max_words]
    lead = "… " if best > 0 else ""
    spans, pos = [], len(lead)
    for index, (piece, hit) in enumerate(zip(window, hits[best : best + max_words], strict=True), best):
        if hit:
            found = list(_TEXT_WORD.finditer(piece))
            for number, word in enumerate(found):
                start, end = pos + word.start(), pos + word.end()
                if joined and number == 0 and index - 1 in joined and spans and spans[-1][1] == start - 1:
                    spans[-1] = (spans[-1][0], end)  # a compound's second part: one mark for both
                elif matches(term(word.group().translate(_NORMALIZE))) or (
                    joined and number == len(found) - 1 and index in joined  # a compound's first part
                ):
                    spans.append((start, end))
        pos += len(piece) + 1
    tail = " …" if rest or best + max_words < len(pieces) else ""
    return Snippet(lead + " ".join(window) + tail, tuple(spans))
