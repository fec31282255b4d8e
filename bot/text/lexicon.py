"""hazm's Persian lexicon (`words.dat`, `verbs.dat`, `stopwords.dat`), loaded once and cached.

How: the files are read from hazm's package data with `importlib.resources` (no hazm import, which
costs ~0.4 s), parsed with plain string splits, and kept in module-level caches. `words.dat` lines are
`word<TAB>count<TAB>tags`; about 80% of its entries come from a dictionary with count 0 and tag `0`,
and some of those are non-standard joined spellings (`مهمترین`, `کتابها`), so callers that must be
precise look at `word_count` and `word_tags`, not only membership. `verbs.dat` lines are
`past_stem#present_stem`.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.resources import files

_ENDINGS_PRESENT = ("م", "ی", "د", "یم", "ید", "ند")
_ENDINGS_PAST = ("م", "ی", "", "یم", "ید", "ند")


def _read(name: str) -> str:
    return (files("hazm") / "data" / name).read_text(encoding="utf-8")


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
