"""hazm's Persian lexicon (`words.dat`, `verbs.dat`, `stopwords.dat`), loaded once and cached.

How: the files are read from hazm's package folder, found with `importlib.util.find_spec`, without
importing hazm (`importlib.resources.files("hazm")` would: 0.4 s, 1.4 s on a fresh install before
its bytecode is written, as it imports nltk); they are parsed with plain string splits and kept in
module-level caches. `words.dat` lines are `word<TAB>count<TAB>tags`; about 80% of its entries
come from a dictionary with count 0 and tag `0`, and some of those are non-standard joined spellings
(`مهمترین`, `کتابها`), so callers that must be precise look at `word_count` and `word_tags`, not only
membership. `verbs.dat` lines are `past_stem#present_stem`.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

_ENDINGS_PRESENT = ("م", "ی", "د", "یم", "ید", "ند")
_ENDINGS_PAST = ("م", "ی", "", "یم", "ید", "ند")


def _read(name: str) -> str:
    spec = find_spec("hazm")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("hazm is not installed", name="hazm")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "data" / name).read_text(encoding="utf-8")


@cache
def _entries() -> dict[str, str]:
    """word → the rest of its line (`count<TAB>tags`), parsed on demand."""
    entries: dict[str, str] = {}
    for line in _read("words.dat").splitlines():
        word, _, rest = line.partition("\t")
        if word and word not in entries:
            entries[word] = rest
    return entries


@cache
def words() -> frozenset[str]:
    """Every word of hazm's `words.dat` (with its half-spaces)."""
    return frozenset(_entries())


@lru_cache(maxsize=65536)
def word_count(word: str) -> int:
    """Corpus frequency from `words.dat`; 0 for dictionary-only entries, -1 for unknown words."""
    rest = _entries().get(word)
    if rest is None:
        return -1
    count, _, _ = rest.partition("\t")
    return int(count) if count.isdigit() else 0


@lru_cache(maxsize=65536)
def word_tags(word: str) -> frozenset[str]:
    """Part-of-speech tags from `words.dat` (`N`, `AJ`, `ADV`, …; `0` = untagged); empty if unknown."""
    rest = _entries().get(word)
    if rest is None:
        return frozenset()
    _, _, tags = rest.partition("\t")
    return frozenset(tags.split(","))


@cache
def verbs() -> frozenset[tuple[str, str]]:
    """`(past_stem, present_stem)` pairs of `verbs.dat` (`('رفت', 'رو')`); past may be empty."""
    pairs = set()
    for line in _read("verbs.dat").splitlines():
        past, sep, present = line.strip().partition("#")
        if sep and " " not in present:
            pairs.add((past, present))
    return frozenset(pairs)


@cache
def past_stems() -> frozenset[str]:
    """Past stems (`رفت`, `توانست`)."""
    return frozenset(past for past, _ in verbs() if past)


@cache
def present_stems() -> frozenset[str]:
    """Present stems (`رو`, `توان`)."""
    return frozenset(present for _, present in verbs() if present)


@cache
def stopwords() -> frozenset[str]:
    """hazm's stop words."""
    return frozenset(line.strip() for line in _read("stopwords.dat").splitlines() if line.strip())


@lru_cache(maxsize=65536)
def is_verb_form(word: str) -> bool:
    """True for a finite verb without its prefix: stem + personal ending (`توانند`, `رفتیم`, `گویند`).

    This is what may follow `می`/`نمی`. Stems ending in a vowel also take the glide `ی` (`گو`→`گویند`).
    """
    for ending in _ENDINGS_PRESENT:
        stem = word[: len(word) - len(ending)]
        if word.endswith(ending) and stem:
            if stem in present_stems():
                return True
            glided = ending and stem.endswith("ی") and stem[-2:-1] in ("ا", "و", "آ")
            if glided and stem[:-1] in present_stems():
                return True
    for ending in _ENDINGS_PAST:
        stem = word[: len(word) - len(ending)] if ending else word
        if word.endswith(ending) and stem in past_stems():
            return True
    return False


# ── Our own small tables, for what hazm's lexicon does not hold or holds in a spelling we do not use ──

_COMPOUNDS_TEXT = """
هم|زمان هم|زمانی هم|اکنون هم|سو هم|راستا هم|تراز هم|مرز هم|کیش هم|رده هم|سن هم|نوع
بلند+مدت بلند+مدتی کوتاه|مدت کوتاه|مدتی میان|مدت میان|مدتی دراز+مدت
کم|برخوردار کم|درآمد کم|سابقه کم|نظیر کم|توجهی کم|رنگ کم|فروغ کم|بضاعت
به|زودی به|شمار به|شدت به|سرعت به|تدریج به|ویژه به|خصوص به|تازگی به|راحتی به|موقع
کار+آفرین کار+آفرینی کار+آفرینان طنز+آمیز
نیم|سکه ربع|سکه نیم|سکه‌های ربع|سکه‌های
"""
COMPOUNDS: dict[tuple[str, ...], str] = {}
"""Compounds as a copy editor writes them, keyed by their parts (`('کم', 'برخوردار')` → `کم‌برخوردار`).

In the table `|` is a half-space and `+` joins the parts outright. The parts may be typed apart, glued
or with a half-space; all three come out as the entry. Only entries whose parts cannot be read as a
phrase are listed (`به روز` = "to the day" or "updated" is not)."""

for _entry in _COMPOUNDS_TEXT.split():
    _parts = tuple(_entry.replace("+", "|").split("|"))
    COMPOUNDS[_parts] = _entry.replace("|", "\u200c").replace("+", "")

_SPLITS_TEXT = """
با+توجه با+اینکه در+مورد در+حالی+که در+حال+حاضر
"""
SPLITS: dict[str, str] = {entry.replace("+", ""): entry.replace("+", " ") for entry in _SPLITS_TEXT.split()}
"""Phrases typed glued that are written apart (`باتوجه` → `با توجه`)."""

_SUFFIX_PARTS_TEXT = """
آمیز آمیزی پذیر پذیری ناپذیر ناپذیری انگیز انگیزی پسند پسندی کننده کنندگان کنندگی دهنده دهندگان
آور آوری نشین نشینان نشینی پوش پوشان
"""
SUFFIX_PARTS = frozenset(_SUFFIX_PARTS_TEXT.split())
"""Second parts that are never a word of their own in news prose: a noun or adjective before them
forms one word with them (`موفقیت آمیز` → `موفقیت‌آمیز`, `مصرف کننده` → `مصرف‌کننده`, `شگفت آور` →
`شگفت‌آور`, `سرخ پوشان` → `سرخ‌پوشان`; after a letter that does not join, glued: `بازارپسند`).
`پسند` and `کننده` stand alone only after a preposition (`به پسند مردم`), never taken as a first part."""

GLUED_SUFFIXES = frozenset(["گر", "گران", "گری", "گرانه", "مند", "مندان", "مندی", "ناک", "وار", "کده"])
"""Suffixes written glued to their noun (`پژوهش گر` → `پژوهشگر`, `ستم گر` → `ستمگر`, `قدرت مند` →
`قدرتمند`, `خطر ناک` → `خطرناک`), with a half-space after a silent ه (`معامله‌گر`, `علاقه‌مند`), as
the Academy's دستور خط writes suffixes; one rule, so a draft never holds `تحلیلگر` beside `تحلیل‌گر`."""

NAME_PARTS = frozenset(["پور", "وند"])
"""Parts of family names that are no word of their own: joined to any word before them
(`عباس پور` → `عباس‌پور`)."""
NAME_PARTS_AFTER_NAMES = frozenset(["زاده", "نژاد", "نیا", "فر", "راد", "منش"])
"""Parts of family names that are words too (`زاده تهران`, `نژاد`): joined only after a given name
(`عباس زاده` → `عباس‌زاده`, `علی نژاد` → `علی‌نژاد`, `رضا زاده` → `رضازاده`)."""
_GIVEN_NAMES_TEXT = """
حسن حسین علی عباس محمد احمد محمود رضا قاسم کاظم جعفر تقی نقی قلی اکبر اصغر مهدی هادی یوسف ابراهیم
اسماعیل موسی عیسی یحیی ملک شاه میر آقا حاجی مصطفی مرتضی مجتبی صادق باقر جواد امیر نصر فتح ولی نبی
کریم رحیم رحمان سلیمان داوود یعقوب اسحاق ایوب زکی جمال کمال حمید مجید سعید فرید وحید رشید نجف رسول
طاهر ناصر منصور مسعود بهرام خسرو فریدون جمشید بیژن کیوان شهاب غلام حبیب عزیز خلیل یزدان ایزد قربان
رمضان شعبان رجب محرم حیدر اسد شریف لطف فضل نور مراد
"""
GIVEN_NAMES = frozenset(_GIVEN_NAMES_TEXT.split())
"""Given names that open family names (`حسن‌زاده`, `رضانژاد`, `علی‌نیا`): a second name part after
them is part of the family name, not a word of its own."""

PREVERBS = ("بر", "در", "باز", "فرا", "فرو", "وا")
_PREVERB_STEMS_TEXT = {
    "بر": "گرد خیز دار آی آ انگیز خور شمار آور گزین تاب کش چین گزار افراز",
    "در": "آی آ گیر گذر یاب رو آور",
    "باز": "گرد گو دار ایست شناس گشا آفرین خوان ستان یاب آی آ",
    "فرا": "گیر خوان رس رو",
    "فرو": "رو ریز پاش نشین بر خور",
    "وا": "دار گذار",
}


@cache
def preverb_stems() -> dict[str, frozenset[str]]:
    """Preverb → the verb stems (present, and past through `verbs.dat`) it forms one verb with
    (`بر` + `گرد`/`گشت`: `برمی‌گردد`, `برمی‌گشت`). hazm's `verbs.dat` lists only a few of them."""
    past_of: dict[str, set[str]] = {}
    for past, present in verbs():
        if past:
            past_of.setdefault(present, set()).add(past)
    table = {}
    for preverb, text in _PREVERB_STEMS_TEXT.items():
        stems = set(text.split())
        for present in list(stems):
            stems |= past_of.get(present, set())
        table[preverb] = frozenset(stems)
    return table


_COLLOQUIAL_STEMS = {
    "ش": "شو", "ر": "رو", "گ": "گو", "تون": "توان", "دون": "دان", "خوا": "خواه", "شین": "نشین",
    "ذار": "گذار", "د": "ده",
}  # fmt: skip
"""Spoken present stems (`می‌شه`, `می‌ره`, `می‌گه`, `می‌تونه`, `می‌دونه`, `می‌خواد`, `می‌شینم`,
`می‌ذارم`, `می‌دن`). Stems in آ are left out: spoken `میاد`, `میارن` are written glued by convention,
and splitting them needs the آ back (`می‌آد`)."""
_COLLOQUIAL_PAST_STEMS = frozenset(["تونست", "دونست", "خواست", "شد", "گفت", "رفت", "کرد", "داشت"])
"""Past stems whose spoken forms follow `می` (`نمی‌دونستم`, `می‌گفتن`): spoken ones, and common ones
for the spoken plural ending ن (`می‌گفتن` for `می‌گفتند`)."""
_COLLOQUIAL_EXCLUDED = frozenset(["ان"])
"""`میان` is the word "between", never read as spoken `می‌آن`."""


def verb_stems(word: str) -> set[str]:
    """Every stem (present or past) that `word` is a finite form of: stem + personal ending."""
    found = set()
    for ending in _ENDINGS_PRESENT:
        stem = word[: len(word) - len(ending)]
        if word.endswith(ending) and stem:
            if stem in present_stems():
                found.add(stem)
            elif ending and stem.endswith("ی") and stem[-2:-1] in ("ا", "و", "آ"):
                found.add(stem[:-1])  # the glide of `گویند`, `آیند`
            elif stem in ("آ",):
                found.add(stem)
    for ending in _ENDINGS_PAST:
        stem = word[: len(word) - len(ending)] if ending else word
        if word.endswith(ending) and stem in past_stems():
            found.add(stem)
    return found


@lru_cache(maxsize=65536)
def is_colloquial_verb_form(word: str) -> bool:
    """A spoken form after `می`: present stem + `ه` (3rd singular), `ن` (3rd plural) or `ین`, a spoken
    stem with any ending (`شه`, `کنه`, `کنن`, `تونه`, `خواد`, `شینم`), or a spoken past (`دونستم`,
    `گفتن`)."""
    if word in _COLLOQUIAL_EXCLUDED:
        return False
    for ending in ("ه", "ن", "د", "م", "ی", "یم", "ین"):
        stem = word[: -len(ending)]
        if not word.endswith(ending) or not stem:
            continue
        if stem in _COLLOQUIAL_STEMS:
            return stem != "د" or ending != "د"  # `میدد` is no word
        if ending in ("ه", "ن", "ین") and stem in present_stems() and stem[-1] not in "اوی":
            return True
    for ending in ("م", "ی", "", "یم", "ین", "ن"):
        stem = word[: len(word) - len(ending)] if ending else word
        if word.endswith(ending) and stem in _COLLOQUIAL_PAST_STEMS:
            return bool(ending) or stem in ("تونست", "دونست")
    return False
