"""Half-space (ZWNJ, U+200C) restoration for Persian words, decided with hazm's lexicon.

How: `fix_word` looks at one token written without its half-spaces (`شهرداریها`, `میتوانند`,
`برنامهریزی`) and lists every reading the lexicon supports: a joined plural/comparative suffix on a
known stem, the verb prefix `می`/`نمی` on a finite verb, or a dictionary compound. It changes the word
only when there is exactly one reading and it differs from the input; a word with a corpus frequency
is valid and never changed, and two readings (`خانهای` = `خانه‌ای` or `خان‌های`) mean "leave it".
`join_tokens` does the same for neighbours written with a space (`شهرداری ها`, `می توانند`,
`سرمایه گذاری`). No half-space is ever put after a letter that does not join to the left
(ا د ذ ر ز ژ و …): there the parts are simply written together (`شوراها`). Both are cached per word or
pair, so a text costs one dictionary lookup per token once the cache is warm.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.text import lexicon

ZWNJ = "\u200c"

NON_JOINING = frozenset("اآأإٱدذرزژوؤةء")
"""Letters that never join the next letter: no half-space belongs after them."""

ARABIC_LETTERS = "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
"""Arabic-script letters, for regular-expression character classes. It holds ؠ and ػ–ؿ too: hazm maps
them to ی and ک, and a letter left out made a line look un-Persian before hazm ran and Persian after
(`ؠ.…` → `ی.…` → `ی …`: the clean-up was not idempotent)."""

_REPEAT_RE = re.compile(f"([{ARABIC_LETTERS}])\\1{{2,}}")

PLURAL_SUFFIXES = ("هایشان", "هایتان", "هایمان", "هایی", "هایم", "هایت", "هایش", "هاست", "های", "ها")
COMPARATIVE_SUFFIXES = ("ترین", "تر")
# Clitics written with a half-space after a silent final ه (`بوده‌ایم`, `نامه‌ای`). Joined `ات` is left
# out on purpose: `توجهات`, `اشتباهات` are Arabic plurals, not `توجه‌ات`.
JOINED_AFTER_HEH = ("ایم", "اید", "اند", "ام", "اش", "ای")
SPACED_AFTER_HEH = ("ای", "ی", "ایم", "اید", "اند", "ام", "ات", "اش")
VERB_PREFIXES = ("نمی", "می")

_FUNCTION_WORDS_TEXT = """
به با از در بر که را و تا این آن یک هر چه چند همین همان نه هم یا اگر چون ولی اما نیز پس
است بود شد کرد باید شاید وی او ما شما آنها ایشان من تو خود
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
"""Words never taken as the stem of a suffix or a part of a compound (`به روز` stays two words)."""

_NOUN_TAGS = frozenset({"N", "AJ", "NUM", "0"})
_ATTESTED_NOUN_TAGS = frozenset({"N", "AJ", "NUM"})
_ADJECTIVE_TAGS = frozenset({"AJ"})


def joins_next(word: str) -> bool:
    """True when the last letter connects to a following letter (so a half-space is needed there)."""
    return bool(word) and word[-1] not in NON_JOINING


def _attach(stem: str, suffix: str) -> str:
    return stem + ZWNJ + suffix if joins_next(stem) else stem + suffix


MAX_WORD_LENGTH = 40
"""Longer tokens are no Persian word (the longest real ones are ~30 letters); they are left alone,
which also bounds the recursion of `fix_word` through stems and keeps its cost linear in the text."""


_PERSIAN_WORD_RE = re.compile(
    f"[\u0621-\u06ff](?:[\u0621-\u06ff{ZWNJ}]{{0,{MAX_WORD_LENGTH - 2}}}[\u0621-\u06ff])?"
)


def _is_persian_word(word: str) -> bool:
    return _PERSIAN_WORD_RE.fullmatch(word) is not None


def _stem(stem: str, tags: frozenset[str], attested: bool) -> str | None:
    """`stem` (or its own half-space correction) when the lexicon knows it with one of `tags`.

    `attested` asks for a corpus frequency too, not only a dictionary listing.
    """
    if len(stem) < 2 or stem in FUNCTION_WORDS:
        return None
    candidate = fix_word(stem)  # a misspelled stem (`مییافت`) counts only as what it really is
    if lexicon.word_tags(candidate) & tags and (not attested or lexicon.word_count(candidate) > 0):
        return candidate
    return None


def _lexicon_variants(word: str) -> set[str]:
    """Spellings of `word` with one more half-space that the lexicon lists (`برنامه‌ریزی`)."""
    found = set()
    known = lexicon.words()
    for i in range(2, len(word) - 1):
        left, right = word[i - 1], word[i]
        if ZWNJ in (left, right) or left in NON_JOINING:
            continue
        variant = word[:i] + ZWNJ + word[i:]
        if variant in known:
            found.add(variant)
    return found


def _dominates(noun: str, with_heh: str) -> bool:
    """True when the noun is so much more frequent than noun+ه (`سال` vs `ساله`, `کلاس` vs `کلاسه`)
    that `سالهای` is not read as `ساله‌ای`/`ساله‌های`. `خان`/`خانه` and `نام`/`نامه` stay ambiguous."""
    count, tags = lexicon.word_count(noun), lexicon.word_tags(noun)
    noun_like = "N" in tags and not tags & {"P", "PRO", "DET", "CONJ"}  # not پیش، بیش
    return noun_like and count >= 30 * max(lexicon.word_count(with_heh), 1)


def _readings(word: str, listed: bool) -> set[str]:
    """Every spelling of `word` that the lexicon supports; the word itself among them if it may be fine.

    `listed` words are in the dictionary part of words.dat, which holds real words (`تنهایی`,
    `ماهی`) beside joined misspellings (`مهمترین`, `کتابها`): for them every piece of evidence
    must have a corpus frequency.
    """
    # A listed joined compound (`هموطن`, `یکصد`) is a valid spelling: only unlisted words get one.
    readings = set() if listed else _lexicon_variants(word)
    # Suffixes written joined on purpose compete with ours: `تنهایی` is `تنها`+`یی`, `میدانی` `میدان`+`ی`.
    for suffix in ("ی", "یی", "ان", "ات"):
        if word.endswith(suffix) and lexicon.word_count(word[: -len(suffix)]) > 0:
            readings.add(word)
    for suffix in PLURAL_SUFFIXES if word.endswith(PLURAL_SUFFIXES) else ():
        if not word.endswith(suffix):
            continue
        plain = word[: -len(suffix)]
        stem = _stem(plain, _ATTESTED_NOUN_TAGS if listed else _NOUN_TAGS, listed)
        if stem:
            readings.add(_attach(stem, suffix))
        # A writer who drops the half-space often drops an ه too (`پروژهای` for `پروژه‌های`,
        # or `ماها` for `ماه‌ها`): such a reading only ever makes the word ambiguous.
        dropped = plain + "ه"
        if not _dominates(plain, dropped) and _stem(dropped, _NOUN_TAGS, attested=True):
            readings.update((_attach(dropped, suffix), word))
    if not listed:
        # A plural in ان / گان of a compound: `دانشآموزان` through `دانش‌آموز`.
        for singular in _singulars(word)[1:]:
            fixed = fix_word(singular)
            if fixed != singular and lexicon.word_tags(fixed) & _NOUN_TAGS and fixed in lexicon.words():
                readings.add(fixed[:-1] + "گان" if word.endswith("گان") else fixed + "ان")
    for suffix in COMPARATIVE_SUFFIXES:
        if word.endswith(suffix):
            stem = _stem(word[: -len(suffix)], _ADJECTIVE_TAGS, attested=True)
            if stem and lexicon.word_count(stem + "تر") > 0:
                readings.add(word)  # lexicalized: بیشترین، بهترین
            elif stem and (not listed or _attach(stem, suffix) in lexicon.words()):
                readings.add(_attach(stem, suffix))
    heh_stem = word[:-2]
    if (
        word.endswith("ای")
        and heh_stem.endswith("ه")
        and not _dominates(heh_stem[:-1], heh_stem)
        and _stem(heh_stem, _NOUN_TAGS, attested=True)
    ):
        readings.add(heh_stem + ZWNJ + "ای")
    for suffix in JOINED_AFTER_HEH if word.endswith(JOINED_AFTER_HEH) else ():
        stem = word[: -len(suffix)]
        if not (word.endswith(suffix) and stem.endswith("ه") and len(stem) >= 3) or stem in FUNCTION_WORDS:
            continue
        participle = stem[:-1] in lexicon.past_stems()
        possessive = suffix in ("ام", "اش") and not listed and lexicon.word_count(stem) > 0
        # `ای` after a noun is `_readings`' own case above; here it is the verb (`نشسته‌ای`).
        if participle or possessive:
            readings.add(stem + ZWNJ + suffix)
    for prefix in VERB_PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and rest and rest[0] != ZWNJ and lexicon.is_verb_form(rest):
            readings.add(prefix + ZWNJ + rest)
            break
    return readings


def _squeeze_repeats(word: str) -> str:
    """hazm's rule for `سلامممم`: a letter written 3+ times becomes 1 or 2, whichever the lexicon knows."""
    once = _REPEAT_RE.sub(r"\1", word)
    twice = _REPEAT_RE.sub(r"\1\1", word)
    if (once in lexicon.words()) != (twice in lexicon.words()):
        return once if once in lexicon.words() else twice
    return twice


@lru_cache(maxsize=131072)
def fix_word(word: str) -> str:
    """Restore the half-spaces of one token (`شهرداریها` → `شهرداری‌ها`); unchanged if valid or ambiguous.

    A letter repeated three times or more (`سلامممم`) is squeezed first, as hazm does.
    """
    if not _is_persian_word(word):
        return word
    if _REPEAT_RE.search(word) and word not in lexicon.words():
        word = _squeeze_repeats(word)
    count = lexicon.word_count(word)
    if count > 0:
        return word
    readings = _readings(word, listed=count == 0)
    if len(readings) == 1:
        return readings.pop()
    return word


def _verbal_noun(word: str, bare: bool) -> bool:
    """`گذاری`, `ریزی`, `کننده`, `کنندگان`: a present stem with ی / نده / ندگی / ندگان.

    `bare` also accepts the stem alone when it has 3+ letters (`گذار`, `ساز`, not `کن`, `ده`).
    """
    stems = lexicon.present_stems()
    if bare and len(word) >= 3 and word in stems:
        return True
    for ending in ("ی", "نده", "ندگی", "ندگان"):
        if word.endswith(ending) and word[: -len(ending)] in stems:
            return True
    return False


_LIGHT_PAST = frozenset(
    ["شد", "کرد", "یافت", "گرفت", "داد", "نمود", "گشت", "گردید", "داشت", "ساخت", "آورد", "آمد", "رفت"]
)
_LIGHT_PRESENT = frozenset(["شو", "کن", "یاب", "گیر", "ده", "نما", "گرد", "دار", "ساز", "آور", "آی", "رو"])


@lru_cache(maxsize=65536)
def _verb_part(word: str) -> bool:
    """A form of a light verb (`شده`, `یافته`, `نشده`, `کرد`, `کنند`): the verb of a compound verb
    (`بازسازی شده`, `کاهش یافته است`), written apart even where the lexicon lists the adjective
    `بازسازی‌شده`. Present stem + ی is left out: `سازی` in `بهینه‌سازی` is a noun."""
    stem = word[1:] if word.startswith("ن") and len(word) > 3 else word
    if stem in _LIGHT_PAST or (stem.endswith("ه") and stem[:-1] in _LIGHT_PAST):
        return True
    for ending in ("م", "ی", "یم", "ید", "ند"):
        if stem.endswith(ending) and stem[: -len(ending)] in _LIGHT_PAST:
            return True
    return any(stem.endswith(e) and stem[: -len(e)] in _LIGHT_PRESENT for e in ("م", "د", "یم", "ید", "ند"))


def _singulars(word: str) -> tuple[str, ...]:
    """`word` and its singular when it is a plural in ان / گان (`آموزان`, `کنندگان` → `کننده`)."""
    if word.endswith("گان") and len(word) > 4:
        return word, word[:-3] + "ه"
    if word.endswith("ان") and len(word) > 3:
        return word, word[:-2]
    return (word,)


def _compound(left: str, right: str) -> str | None:
    """`left right` as one dictionary word: `سرمایه‌گذاری`, `تولیدکننده`, `مصرف‌کنندگان`."""
    if left in FUNCTION_WORDS or right in FUNCTION_WORDS:
        return None
    # A plural is checked through its singular: مصرف‌کنندگان through مصرف‌کننده.
    singulars = _singulars(right)
    if joins_next(left):
        count = max(lexicon.word_count(left + ZWNJ + form) for form in singulars)
        joined = left + ZWNJ + right
        listed = count > 0 or (count == 0 and _verbal_noun(right, bare=True))
    else:
        # After ا د ر و … the parts are written together; only for verbal nouns, so `کار کرد` stays.
        joined = left + right
        listed = _verbal_noun(right, bare=False) and max(lexicon.word_count(left + f) for f in singulars) > 0
    return joined if listed and not _verb_part(right) else None


@lru_cache(maxsize=131072)
def join_pair(left: str, right: str) -> str | None:
    """The one word that `left right` should be (`شهرداری ها` → `شهرداری‌ها`), or None to keep both."""
    if not (_is_persian_word(left) and _is_persian_word(right)):
        return None
    if right in PLURAL_SUFFIXES:
        return _attach(left, right) if _stem(left, _NOUN_TAGS, attested=False) == left else None
    if right in COMPARATIVE_SUFFIXES:
        if _stem(left, _ADJECTIVE_TAGS, attested=True) != left:
            return None
        joined, half_spaced = left + right, _attach(left, right)
        if lexicon.word_count(joined) > max(lexicon.word_count(half_spaced), 0):
            return joined  # lexicalized: بیشتر، کمتر
        return half_spaced
    if right in SPACED_AFTER_HEH:
        if left.endswith("ه") and len(left) >= 2 and left not in FUNCTION_WORDS:
            return left + ZWNJ + right
        return None
    if left in VERB_PREFIXES:
        return left + ZWNJ + right if lexicon.is_verb_form(right) else None
    return _compound(left, right)


@lru_cache(maxsize=131072)
def _join(left: str, right: str) -> str | None:
    """`join_pair`, else `join_extra`: one cached answer per pair of neighbours; a suffix written glued
    by the copy editor (`گر`) is glued whichever answered (`پژوهش گر` → `پژوهشگر`)."""
    joined = join_pair(left, right) or join_extra(left, right)
    if joined is not None and right in lexicon.GLUED_SUFFIXES:
        return _glued_suffix_spelling(joined) or joined
    return joined


@lru_cache(maxsize=65536)
def _participle(word: str) -> bool:
    """A past participle (`دیده`, `ندیده`, `دیده‌اند`): past stem + ه, perhaps negated, perhaps with its
    copula."""
    word = word.split(ZWNJ, 1)[0]
    if not word.endswith("ه") or len(word) < 3:
        return False
    stem = word[:-1]
    return stem in lexicon.past_stems() or (stem.startswith("ن") and stem[1:] in lexicon.past_stems())


def _verb_phrase(right: str, following: str | None) -> bool:
    """`آسیب دیده است`, `آسیب دیده‌اند`: the participle is the verb, so `آسیب دیده` is no adjective."""
    if not _participle(right):
        return False
    return (ZWNJ in right and right.endswith(_COPULA_ENDINGS)) or following in _AUXILIARIES


def _opens_name(part: str, following: str | None) -> bool:
    """`مسعود پور احمد`: before a given name, `پور` opens the family name (`پوراحمد`), so it is not
    the end of the word before it."""
    return part in lexicon.NAME_PARTS and following in lexicon.GIVEN_NAMES


def join_tokens(tokens: list[str]) -> list[str]:
    """Fix each word, then merge neighbours left to right (`سرمایه گذاری های` → one word)."""
    result: list[str] = []
    ham = "هم" in tokens  # one scan in C: the hot loop below tests it per pair
    for index, token in enumerate(tokens):
        token = fix_token(token)
        if result:
            joined = _join(result[-1], token)
            if joined is not None and (_participle(token) or token in lexicon.NAME_PARTS):
                # checked only for a pair that would join
                following = tokens[index + 1] if index + 1 < len(tokens) else None
                if _verb_phrase(token, following) or _opens_name(token, following):
                    joined = None
            if ham and joined is None and result[-1] == "هم":
                joined = _ham(result[-2] if len(result) > 1 else None, token, tokens)
            if joined is not None:
                result[-1] = joined
                # `در می آید`: `می آید` is joined first, then the preverb before it
                if len(result) > 1 and result[-2] in lexicon.PREVERBS:
                    with_preverb = join_extra(result[-2], result[-1])
                    if with_preverb is not None:
                        result[-2:] = [with_preverb]
                continue
        result.append(token)
    return result


_HAM_OPENERS = frozenset(["و", "در", "از", "به", "برای", "یک", "هر", "بدون"])
"""Words after which `هم` opens a compound (`و هم چنین`, `برای هم کاری`) rather than meaning "also"
(`او هم خون داد`, `این هم راه حل است`) or "each other" (`با هم کار کردند`)."""


def _ham(before: str | None, word: str, tokens: list[str]) -> str | None:
    """`هم خون` → `هم‌خون`, `هم چنین` → `همچنین`: `هم` and the next word as the compound the lexicon
    attests, when `هم` opens its phrase (the run's first word, or after `_HAM_OPENERS`) and the run has
    no second `هم` (`هم کار و هم زندگی` is "both … and")."""
    if (before is not None and before not in _HAM_OPENERS) or tokens.count("هم") > 1:
        return None
    head, _, tail = word.partition(ZWNJ)
    glued = "هم" + ("ا" + head[1:] if head.startswith("آ") else head)
    spaced = "هم" + ZWNJ + head
    glued_count, spaced_count = lexicon.word_count(glued), lexicon.word_count(spaced)
    if max(glued_count, spaced_count) < 0 or not _is_persian_word(head) or head in FUNCTION_WORDS:
        return None
    joined = spaced if spaced_count > glued_count else glued
    return joined + ZWNJ + tail if tail else joined


# ── The copy editor's layer: forms the search analyzer does not need (it stays on `fix_word` and
# `join_pair`, whose answers decide its index terms), but a clean text does. ──

_ADJECTIVE_SUFFIXES = ("ترین", "تری", "تر")
_PRONOUN_ENDINGS = ("تان", "شان", "مان", "تون", "شون", "مون")
_FREE_PRONOUN_ENDINGS = ("تان", "مان", "تون", "شون", "مون")
"""Clitics never written as words of their own, so joined to any noun before them (`کتاب مان` →
`کتابمان`); `شان` is also the noun "dignity" (`در شان او`) and joins only after ه or های."""
_FUTURE_RE = re.compile("(بر|در|باز|فرا|فرو|وا)?(ن?خواه(?:یم|ید|ند|م|ی|د))(.+)")
_DEMONSTRATIVES = ("آن", "این")
_PLACE_PARTS = ("جا", "جایی", "جاست", "جاها")
_PLACE_DEMONSTRATIVES = ("این", "آن", "همین", "همان")
_GLUED_PREFIXES = {"سانتی": (), "میلی": (), "وب": ("سایت",)}
"""Loan prefixes of units and web words (with the words they take, if only some), written with a
half-space (`سانتی‌متر`, `میلی‌گرم`, `وب‌سایت`) where the lexicon attests that spelling a hundred times
more often than the glued one (`وبگاه`, `وبلاگ` are written glued)."""
_AUXILIARIES = frozenset(
    ["است", "بود", "بودند", "بودیم", "بوده", "باشد", "باشند", "باشیم", "هست", "هستند", "اند", "ایم", "اید"]
)
"""Words after a past participle that make it a verb (`آسیب دیده است`), not an adjective."""
_COPULA_ENDINGS = ("اند", "ایم", "اید", "ام", "ای", "است")


@lru_cache(maxsize=1)
def _glued_compounds() -> dict[str, str]:
    """Our compounds typed glued or with a half-space → the entry (only where hazm does not attest
    the glued spelling as a word of its own: `همزمان` stays, `بهشمار` → `به‌شمار`)."""
    found = {}
    for parts, entry in lexicon.COMPOUNDS.items():
        for form in ("".join(parts), ZWNJ.join(parts)):
            if form != entry and lexicon.word_count(form) <= 0:
                found[form] = entry
    return found


_ADJECTIVE_ENDINGS = ("ناک", "مند", "انه", "وار", "آمیز", "پذیر", "گین")
"""Endings that make an adjective of a noun (`خطرناک`, `قدرتمند`, `عاقلانه`, `موفقیت‌آمیز`)."""


def _is_adjective(word: str) -> bool:
    """An attested adjective, a relational adjective in ی on an attested noun (`آبی`, `منطقی`), an
    adjective by its derivational ending (`خطرناک`, `عاقلانه`), or a spoken one whose written form
    is an adjective (`گرون` for `گران`, `آسون` for `آسان`)."""
    if word in FUNCTION_WORDS or len(word) < 2:
        return False
    if lexicon.word_tags(word) & _ADJECTIVE_TAGS and lexicon.word_count(word) > 0:
        return True
    if word.endswith("ون") and len(word) >= 4 and lexicon.word_count(word) <= 0:
        written = word[:-2] + "ان"
        if lexicon.word_tags(written) & _ADJECTIVE_TAGS:  # `ارزان` is listed without a count
            return True
    if word.endswith(_ADJECTIVE_ENDINGS) and len(word) >= 5:
        ending = next(e for e in _ADJECTIVE_ENDINGS if word.endswith(e))
        base = word[: -len(ending)].removesuffix(ZWNJ)
        if lexicon.word_count(base) > 0 and lexicon.word_tags(base) & _NOUN_TAGS:
            return True
    stem = word[:-1]
    return word.endswith("ی") and len(stem) >= 2 and _stem(stem, _ATTESTED_NOUN_TAGS, attested=True) == stem


def _with_adjective_suffix(stem: str, suffix: str) -> str:
    """`درست` + `تری` → `درست‌تری`; lexicalized glued forms stay glued (`بیشتری`, `کمتر`)."""
    glued, half_spaced = stem + "تر", _attach(stem, "تر")
    if lexicon.word_count(glued) > max(lexicon.word_count(half_spaced), 0):
        return stem + suffix
    return _attach(stem, suffix)


def _preverb_verb(preverb: str, verb: str) -> str | None:
    """`بر` + `می‌گردد`/`میگردد` → `برمی‌گردد` when the preverb and the verb's stem form one verb."""
    for prefix in VERB_PREFIXES:
        if verb.startswith(prefix):
            rest = verb[len(prefix) :].removeprefix(ZWNJ)
            if rest and lexicon.verb_stems(rest) & lexicon.preverb_stems()[preverb]:
                return preverb + prefix + ZWNJ + rest
            return None
    return None


def _glued_suffix_spelling(word: str) -> str | None:
    """`تحلیل‌گر` → `تحلیلگر`: a suffix of `lexicon.GLUED_SUFFIXES` after a half-space is glued, except
    after a silent ه (`معامله‌گر`)."""
    stem, _, suffix = word.rpartition(ZWNJ)
    if suffix in lexicon.GLUED_SUFFIXES and stem and ZWNJ not in stem and not stem.endswith("ه"):
        return stem + suffix
    return None


def _loan_prefix(word: str) -> str | None:
    """`سانتیمتر` → `سانتی‌متر`, `وبسایت` → `وب‌سایت`: where the half-spaced spelling is the lexicon's."""
    for prefix, rests in _GLUED_PREFIXES.items():
        rest = word[len(prefix) :]
        if rests and not rest.startswith(rests):
            continue
        if word.startswith(prefix) and len(rest) >= 2 and rest[0] != ZWNJ:
            spaced = prefix + ZWNJ + rest
            if lexicon.word_count(spaced) > max(lexicon.word_count(word), 0) * 100:
                return spaced
    return None


def _glued_part(word: str) -> str | None:
    """`سرخپوشان` → `سرخ‌پوشان`, `مردمپسند` → `مردم‌پسند`: a noun or adjective glued to a second part of
    `lexicon.SUFFIX_PARTS` that the lexicon does not list glued."""
    if ZWNJ in word:  # already written with its half-space (`جوان‌پسند`)
        return None
    for at in range(2, len(word) - 2):
        left, right = word[:at], word[at:]
        part = right in lexicon.SUFFIX_PARTS and joins_next(left) and left not in FUNCTION_WORDS
        if part and _stem(left, _ATTESTED_NOUN_TAGS, attested=False) == left:
            return left + ZWNJ + right
    return None


def _future(word: str) -> str | None:
    """`خواهدگشت` → `خواهد گشت`, `برنخواهدگشت` → `برنخواهد گشت`: the future typed glued, with or without
    its preverb (which stays on the auxiliary: `برخواهد گشت`)."""
    future = _FUTURE_RE.fullmatch(word)
    if not future:
        return None
    preverb, auxiliary, stem = future.group(1) or "", future.group(2), future.group(3)
    if stem not in lexicon.past_stems():
        return None
    if preverb and stem not in lexicon.preverb_stems()[preverb]:
        return None
    return f"{preverb}{auxiliary} {stem}"


@lru_cache(maxsize=131072)
def fix_token(word: str) -> str:
    """`fix_word` and, where it has no answer, the forms a copy editor fixes too: phrases typed glued
    (`باتوجه`), our compounds (`بهشمار`), preverbs (`برمیگردد`), spoken verbs (`میشه`), the future
    typed glued (`خواهدگشت`, `برنخواهدگشت`), comparatives on relational adjectives (`آبیتر`), loan
    prefixes (`سانتیمتر`), glued second parts (`سرخپوشان`), and `گر`/`مند` glued (`تحلیل‌گر`)."""
    if word in lexicon.SPLITS:
        return lexicon.SPLITS[word]
    if ZWNJ in word and (glued := _glued_suffix_spelling(word)):
        return glued
    if (loan := _loan_prefix(word)) is not None:
        return loan
    fixed = fix_word(word)
    if fixed != word and ZWNJ in fixed:  # `وبسایتهای` → `وبسایت‌های` → `وب‌سایت‌های`
        head, _, tail = fixed.partition(ZWNJ)
        if (loan := _loan_prefix(head)) is not None:
            return loan + ZWNJ + tail
    if fixed != word or not _is_persian_word(word) or lexicon.word_count(word) > 0:
        return fixed
    if word in _glued_compounds():
        return _glued_compounds()[word]
    for preverb in lexicon.PREVERBS:
        if word.startswith(preverb) and (joined := _preverb_verb(preverb, word[len(preverb) :])):
            return joined
    for prefix in VERB_PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and rest[:1] != ZWNJ and lexicon.is_colloquial_verb_form(rest):
            return prefix + ZWNJ + rest
    if (future := _future(word)) is not None:
        return future
    if lexicon.word_count(word) < 0 and (part := _glued_part(word)) is not None:
        return part
    # A listed joined comparative may be a word of its own (`لوستر` is no `لوس‌تر`).
    for suffix in _ADJECTIVE_SUFFIXES if lexicon.word_count(word) < 0 else ():
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and ZWNJ not in stem and _is_adjective(stem):
            return _with_adjective_suffix(stem, suffix)
    return word


@lru_cache(maxsize=131072)
def join_extra(left: str, right: str) -> str | None:
    """The pairs beyond `join_pair` that a copy editor writes as one word (`کم برخوردار`,
    `موفقیت آمیز`, `آن ها`, `درست تری`, `خواب‌های تان`, `بر می‌گردد`, `می شه`), or None."""
    if not (_is_persian_word(left) and _is_persian_word(right)):
        return None
    compound = lexicon.COMPOUNDS.get((left, right))
    if compound:
        return compound
    if right in lexicon.SUFFIX_PARTS and left not in FUNCTION_WORDS:
        # a tagged dictionary entry is enough (`جوان` has no corpus count in words.dat)
        if _stem(left, _ATTESTED_NOUN_TAGS, attested=False) == left:
            return _attach(left, right)
        # `کننده`, `دهنده` end nothing but a compound: a listed first part is enough (`تامین کننده`).
        bound = right.startswith(("کنند", "دهند")) and len(left) >= 3
        return _attach(left, right) if bound and lexicon.word_count(left) >= 0 else None
    if right in lexicon.GLUED_SUFFIXES and left not in FUNCTION_WORDS and len(left) >= 2:
        # `گران` is also the adjective "expensive" (`قیمت گران`): only after a noun the lexicon
        # knows in گر (`پژوهش گران`).
        agent = max(lexicon.word_count(left + "گر"), lexicon.word_count(left + ZWNJ + "گر"))
        if right.startswith("گرا") and agent <= 0:
            return None
        if left.endswith("ه"):
            return left + ZWNJ + right if _stem(left, _ATTESTED_NOUN_TAGS, attested=True) == left else None
        return left + right if _stem(left, _ATTESTED_NOUN_TAGS, attested=True) == left else None
    if (name := _family_name(left, right)) is not None:
        return name
    if left in _DEMONSTRATIVES and right == "ها":
        return left + ZWNJ + right
    if left in _PLACE_DEMONSTRATIVES and right in _PLACE_PARTS:
        return _place(left, right)
    if right in _ADJECTIVE_SUFFIXES:
        return _with_adjective_suffix(left, right) if _is_adjective(left) else None
    if right in _PRONOUN_ENDINGS:
        if left.endswith("های"):
            return left + right
        if left.endswith("ه") and len(left) >= 3 and left not in FUNCTION_WORDS:
            return left + ZWNJ + right
        free = right in _FREE_PRONOUN_ENDINGS and left not in FUNCTION_WORDS and len(left) >= 2
        if free and lexicon.word_count(left) > 0 and "N" in lexicon.word_tags(left):
            return left + right
        return None
    if left in lexicon.PREVERBS:
        return _preverb_verb(left, right)
    if left in VERB_PREFIXES and lexicon.is_colloquial_verb_form(right):
        return left + ZWNJ + right
    return None


def _family_name(left: str, right: str) -> str | None:
    """`عباس زاده` → `عباس‌زاده`, `حسن پور` → `حسن‌پور`, `رضا نژاد` → `رضانژاد`: a family name's second
    part joined to its first, the same way for every name of a draft."""
    if left in FUNCTION_WORDS or len(left) < 2:
        return None
    if right in lexicon.NAME_PARTS or (
        right in lexicon.NAME_PARTS_AFTER_NAMES and left in lexicon.GIVEN_NAMES
    ):
        return _attach(left, right)
    return None


def _place(left: str, right: str) -> str:
    """`این جا` → `اینجا`, `از آن جایی که` → `از آنجایی که`: the spelling the lexicon attests most
    (glued for all four: `همینجا`, `همانجا`), glued if it attests none."""
    glued, spaced = left + right, left + ZWNJ + right
    return spaced if lexicon.word_count(spaced) > lexicon.word_count(glued) else glued


_NO_EZAFE_AFTER = frozenset(
    ["که", "را", "و", "با", "در", "از", "به", "برای", "تا", "است", "بود", "شد", "نیز"]
)
"""Words that cannot follow an ezafe: before them `جلسهای` is `جلسه‌ای`, never `جلسه‌های`."""
_SENTENCE_MARKS = frozenset(".،؛:!؟?")
_INDEFINITE_BEFORE = frozenset(["یک", "هر", "چنین", "چنان", "چه", "هیچ"])
"""Words after which `جلسهای` is `جلسه‌ای` (`یک جلسه‌ای`, `هر خانه‌ای`), never a plural."""
_DEFINITE_BEFORE = frozenset(
    ["این", "آن", "همین", "همان", "همه", "تمام", "تمامی", "برخی", "بعضی", "سایر", "کلیه"]
)
"""Words after which the indefinite ای cannot stand (`این جلسه‌ای` is no phrase): `جلسهای` is a plural."""
_QUESTION_WORDS = frozenset(["که", "چه", "چرا", "چطور", "کجا", "چقدر"])
_SECOND_PERSON = frozenset(["تو", "آیا", "خودت"])


def _heh_ye(word: str) -> str | None:
    """`جلسهای` → `جلسه‌ای`: a noun in ه with the indefinite ای (the caller knows no ezafe follows)."""
    stem = word[:-2]
    joined = word.endswith("ای") and stem.endswith("ه") and len(stem) >= 3 and ZWNJ not in word
    if joined and _stem(stem, _ATTESTED_NOUN_TAGS, attested=True) == stem:
        return stem + ZWNJ + "ای"
    return None


def _plural(word: str) -> str | None:
    """`جلسهای` → `جلسه‌های` when the indefinite reading is ruled out and one plural reading is left
    whose stem the lexicon attests (`گلهای`: `گل‌های` or `گله‌های`, both attested: left alone)."""
    if ZWNJ in word or not word.endswith("های") or lexicon.word_count(word) > 0:
        return None
    plain = word[:-3]
    found = set()
    for stem in (plain, plain + "ه"):
        if len(stem) >= 2 and _stem(stem, _ATTESTED_NOUN_TAGS, attested=True) == stem:
            found.add(_attach(stem, "های"))
    return found.pop() if len(found) == 1 else None


def _mi_verb(word: str) -> str | None:
    """`میدانی` → `می‌دانی`: a word that is also a noun + ی (`میدان` + `ی`), read as the verb."""
    for prefix in VERB_PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and rest.endswith("ی") and lexicon.is_verb_form(rest):
            return prefix + ZWNJ + rest
    return None


def in_context(tokens: list[str], following: str) -> list[str]:
    """Readings that only the neighbours decide; `following` is the mark after the last token ("" if
    none): `جلسهای که` → `جلسه‌ای که`, `تو میدانی` → `تو می‌دانی`; `خانهای` alone stays."""
    out = tokens
    for index, token in enumerate(tokens):
        heh_ye, mi = token.endswith("ای"), token.startswith(VERB_PREFIXES)
        if not (heh_ye or mi):  # the cheap test first: most words are neither
            continue
        before = tokens[index - 1] if index else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        fixed = token
        no_ezafe = after in _NO_EZAFE_AFTER or (after is None and following in _SENTENCE_MARKS)
        if heh_ye and (no_ezafe or before in _INDEFINITE_BEFORE):
            fixed = _heh_ye(token) or token
        elif heh_ye and before in _DEFINITE_BEFORE:
            fixed = _plural(token) or token
        asked = after in _QUESTION_WORDS or (after is None and following in ("؟", "?"))
        if mi and (before in _SECOND_PERSON or (before is None and asked)):
            fixed = _mi_verb(fixed) or fixed
        if fixed != token:
            out = list(out) if out is tokens else out
            out[index] = fixed
    return out


_INFLECTIONS = frozenset(
    [*PLURAL_SUFFIXES, *COMPARATIVE_SUFFIXES, *SPACED_AFTER_HEH, *_ADJECTIVE_SUFFIXES, *_PRONOUN_ENDINGS]
)


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, str] | None:
    """The two words of a compound written with one half-space (`رضایت‌نامه` → `رضایت`, `نامه`), or
    None when the half-space stands before an inflection (`کتاب‌ها`), after `می` or `هم`, or beside a
    function word: those are written by rule, not by the draft's example."""
    left, _, right = word.partition(ZWNJ)
    if not right or ZWNJ in right or len(left) < 2 or len(right) < 2:
        return None
    if left in VERB_PREFIXES or left == "هم" or left in FUNCTION_WORDS or right in FUNCTION_WORDS:
        return None
    if right in _INFLECTIONS or _verb_part(right) or not _is_persian_word(word):
        return None
    return left, right


def keeps_apart(right: str, following: str | None) -> bool:
    """True when `right` must stay a word of its own although the draft writes `left‌right` elsewhere:
    it is the verb of a verb phrase (`آسیب دیده است`)."""
    return _verb_phrase(right, following) or _verb_part(right)
