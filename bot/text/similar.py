"""Whether two news texts tell the same story: overlap of their analyzed content terms. Pure, no I/O.

A text's *story terms* are its search terms (`bot.text.analyze`, so `پروژه‌های`, `پروژه ها` and
`پروژه` meet, and `۸۵٬۴۰۰` is `85,400` is `85400`) without hazm's stop words, and without the words
of @handles and links: who signs or credits a post is not what it tells, and every post of a channel
carries the same signature.

Two texts tell the same story when most of the smaller one's terms are in the other one
(`overlap`: shared terms over the smaller set, "containment"): a reworded, reordered or shortened
report keeps its names, places, numbers and key nouns, while another event about the same people
or place shares the names but not the rest. A number counts as NUMBER_WEIGHT words: a report's
figures are its facts, and the next day's price list, forecast or casualty count repeats the words
of the day before with other numbers.

Measured on tests/data/duplicates.json (50 stories, 165 pairs written as a newsroom would: the same
report reworded, reordered, shortened, re-headlined, signed, credited, as bullets, in Latin digits;
and another event of the same people or place, or the next day's report of the same kind): with
numbers weighted 3 and SAME_STORY 0.58, precision 0.930 and recall 0.981 (the threshold is the one
that does best on the table: same-story pairs score from 0.56, another event's from 0.78 down).
Unweighted, the next day's reports scored like rewordings (precision 0.86); Jaccard over the same
terms and word-pair shingles (a paraphrase keeps the words, not their neighbours) separated worse.

Containment alone would call a three-line item "the same story" as any long report that happens to
hold its words, so the smaller set counts as at least 1/MAX_SIZE_RATIO of the larger (a shortened
version in the table is at most 3.3 times smaller), and fewer than MIN_SHARED shared terms are
never the same story.
"""

from __future__ import annotations

import re

from bot.text.analyze import DECIMAL_MARK, analyzed_terms, stop_terms

SAME_STORY = 0.58  # `overlap` from which two texts tell the same story (see the module's docstring)
NUMBER_WEIGHT = 3  # a number term counts as this many words in `overlap`
MIN_SHARED = 5  # fewer shared story terms than this are never the same story (the table's least: 7)
MAX_SIZE_RATIO = 4.0  # the smaller text counts as at least this fraction of the larger one's terms

# @handles, links and e-mail addresses: their words are a signature's or a credit's, not the story's.
_NOT_STORY = re.compile(r"(?:https?://|www\.|t\.me/)\S+|\S*@\w+")
_NUMBER = re.compile(rf"[0-9][0-9{DECIMAL_MARK}]*")  # a number's term (bot.text.analyze: ASCII digits)


def story_terms(text: str) -> frozenset[str]:
    """The distinct analyzed terms of `text` that say what it tells (see the module's docstring)."""
    stop = stop_terms()
    return frozenset(t for t in analyzed_terms(_NOT_STORY.sub(" ", text)) if t not in stop)


def _weight(terms: frozenset[str]) -> int:
    return sum(NUMBER_WEIGHT if _NUMBER.fullmatch(term) else 1 for term in terms)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the smaller term set is in the larger one, 0.0 to 1.0, a number counting as
    NUMBER_WEIGHT words (1.0: the same set, or one holding the other no more than MAX_SIZE_RATIO
    times larger); 0.0 when either is empty. Symmetric: `overlap(a, b) == overlap(b, a)`."""
    if not a or not b:
        return 0.0
    small, large = sorted((_weight(a), _weight(b)))
    return _weight(a & b) / max(small, large / MAX_SIZE_RATIO)


def same_story(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two texts' story terms (`story_terms`) tell the same story."""
    return len(a & b) >= MIN_SHARED and overlap(a, b) >= SAME_STORY
