"""Whatever a subscriber typed → search terms → an FTS5 expression that is always valid.

How: the query goes through the same analyzer as the articles (`bot.text.analyze`), so FTS5 never sees
the user's characters — only analyzed terms, each one quoted. Every term must match (AND); the last one
also matches as a prefix, for search-as-you-type. Overlong queries are cut, and the cut is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.text.analyze import analyze

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MIN_PREFIX_CHARS = 2


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """Analyzed terms of a query; `prefix` says whether the last one also matches as a prefix."""

    terms: tuple[str, ...]
    prefix: bool
    truncated: bool

    @property
    def empty(self) -> bool:
        """True when nothing searchable is left (blank, punctuation only, inflection parts only)."""
        return not self.terms


def parse_query(text: str) -> ParsedQuery:
    """Analyze a user's query: at most MAX_QUERY_CHARS characters and MAX_TERMS distinct terms."""
    truncated = len(text) > MAX_QUERY_CHARS
    if truncated:
        text = text[:MAX_QUERY_CHARS]
        cut = text.rfind(" ")
        if cut > MAX_QUERY_CHARS // 2:  # do not search for half a word
            text = text[:cut]
    terms: list[str] = []
    for t in analyze(text):
        if t not in terms:
            terms.append(t)
    if len(terms) > MAX_TERMS:
        terms, truncated = terms[:MAX_TERMS], True
    # A query typed to its end with a space or punctuation is not a word in progress.
    prefix = bool(terms) and len(terms[-1]) >= MIN_PREFIX_CHARS and text[-1:].isalnum()
    return ParsedQuery(tuple(terms), prefix, truncated)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_match(groups: Sequence[Sequence[str]]) -> str:
    """An FTS5 MATCH expression: each group is a set of alternatives (OR), groups are ANDed.

    Every term is quoted, so no character of it can act as FTS5 syntax. Empty groups are not allowed
    (they would match nothing).
    """
    if not groups or any(not g for g in groups):
        raise ValueError("every group needs at least one term")
    parts = []
    for group in groups:
        alternatives = " OR ".join(_quote(t) for t in group)
        parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
    return " AND ".join(parts)
