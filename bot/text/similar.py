"""Whether two news texts tell the same story: overlap of their analyzed content terms. Pure, no I/O.

A text's *story terms* are its search terms (`bot.text.analyze`, so `پروژه‌های`, `پروژه ها` and
`پروژه` meet, and `۸۵٬۴۰۰` is `85,400` is `85400`) without hazm's stop words, and without the words
of @handles and links: who signs or credits a post is not what it tells, and every post of a channel
carries the same signature.

Two texts tell the same story when most of the smaller one's terms are in the other one
(`overlap`: shared terms over the smaller set, "containment"): a reworded, reordered or shortened
report keeps its names, places, numbers and key nouns, while another event about the same people
or place shares the names but not the rest. Measured on tests/data/duplicates.json (42 stories, 141
pairs written as a newsroom would: the same report reworded, reordered, shortened, re-headlined,
signed; and another event of the same people or place), containment over these terms separates
the two at 0.50 (same-story pairs from 0.50 up, other-event pairs up to 0.48, one at 0.56), where
Jaccard over the same terms overlaps more (0.26 vs 0.33) and word-pair shingles far more (a
paraphrase keeps the words, not their neighbours).

Containment alone would call a three-line item "the same story" as any long report that happens to
hold its words, so the smaller set counts as at least 1/MAX_SIZE_RATIO of the larger (a shortened
version in the table is at most 3.3 times smaller), and fewer than MIN_SHARED shared terms are
never the same story.
"""

from __future__ import annotations

import re

from bot.text.analyze import analyzed_terms, stop_terms

SAME_STORY = 0.5  # `overlap` from which two texts tell the same story (see the module's docstring)
MIN_SHARED = 5  # fewer shared story terms than this are never the same story (the table's least: 7)
MAX_SIZE_RATIO = 4.0  # the smaller text counts as at least this fraction of the larger one's terms

# @handles, links and e-mail addresses: their words are a signature's or a credit's, not the story's.
_NOT_STORY = re.compile(r"(?:https?://|www\.|t\.me/)\S+|\S*@\w+")


def story_terms(text: str) -> frozenset[str]:
    """The distinct analyzed terms of `text` that say what it tells (see the module's docstring)."""
    stop = stop_terms()
    return frozenset(t for t in analyzed_terms(_NOT_STORY.sub(" ", text)) if t not in stop)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the smaller term set is in the larger one, 0.0 to 1.0 (1.0: the same set, or one
    holding the other no more than MAX_SIZE_RATIO times larger); 0.0 when either is empty.
    Symmetric: `overlap(a, b) == overlap(b, a)`."""
    if not a or not b:
        return 0.0
    small, large = sorted((len(a), len(b)))
    return len(a & b) / max(small, large / MAX_SIZE_RATIO)


def same_story(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two texts' story terms (`story_terms`) tell the same story."""
    return len(a & b) >= MIN_SHARED and overlap(a, b) >= SAME_STORY
