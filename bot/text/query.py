"""Whatever a subscriber typed → a parsed query → an FTS5 expression that is always valid.

The query language, in Persian and Latin marks (documented in /help, `bot.messages`):
- plain words: every one must match (AND); the last one also as a prefix, for search-as-you-type;
- «عبارت دقیق», "exact phrase" or “exact phrase”: the words, next to each other in this order;
- `-واژه`: leave out posts with that word (a query of such words alone is not searched: the reader
  is told it needs a word to search for, or a date);
- `#هشتگ`: posts carrying that hashtag;
- dates, in the desk's time zone (the TIMEZONE setting, passed in): `از:۱۴۰۵/۹/۱`, `تا:۱۴۰۵/۹/۳۰`
  (also `from:` / `to:`, Jalali or Gregorian by the one year rule of `bot.text.jalali`), `امروز`,
  `دیروز`, `هفته گذشته`, `ماه گذشته`, `آذر ۱۴۰۵`, `۱ آذر ۱۴۰۵`.
Syntax that does not parse (an unclosed quote, a date that does not exist, a lone `-`) is read as
plain words, never as an error. Every word goes through the same analyzer as the articles
(`bot.text.analyze`), so FTS5 never sees the user's characters: only analyzed terms, each one quoted.
Overlong queries are cut, and the cut is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.text.analyze import analyze, hashtag_term
from bot.text.jalali import jalali_date, month_days, month_number, typed_date
from bot.text.letters import TO_ASCII_DIGITS as _DIGITS

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MIN_PREFIX_CHARS = 2

# A quoted phrase: «…», "…" or “…” (an unclosed quote is left to the plain words).
_PHRASE = re.compile(r"«([^«»]*)»|\"([^\"]*)\"|“([^“”]*)”")
_MINUS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash (phone keyboards swap them)
_DATE = re.compile(r"(\d{1,4})[/\-.](\d{1,2})[/\-.](\d{1,4})")
_FROM = ("از:", "from:", "since:")
_TO = ("تا:", "to:", "until:")
_DAY_WORDS = {"امروز": 0, "today": 0, "دیروز": 1, "yesterday": 1, "پریروز": 2}
_PERIOD_WORDS = {"هفته": 6, "week": 6, "ماه": 29, "month": 29}  # days back from today, with `گذشته`
_PAST = {"گذشته", "پیش", "اخیر", "last", "past"}


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query as the archive searches it.

    `terms`: analyzed terms that must all match (words, the words of phrases, hashtag terms); `prefix`:
    the last one also matches as a prefix. `phrases`: term runs that must stand together in a post;
    `excluded`: terms no hit may hold; `since`/`until`: typed dates as Gregorian dates, inclusive,
    whose days run midnight to midnight in `tz`. `marked`: words to mark in snippets besides the terms
    (a hashtag's words). `date_words`: the typed words read as dates (kept to show what was
    understood)."""

    terms: tuple[str, ...]
    prefix: bool
    truncated: bool
    excluded: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    since: date | None = None
    until: date | None = None
    marked: tuple[str, ...] = ()
    date_words: tuple[str, ...] = field(default=())
    tz: tzinfo = field(default=UTC, compare=False)

    @property
    def empty(self) -> bool:
        """True when nothing searchable is left (blank, punctuation only, inflection parts only, or
        only words to leave out)."""
        return not self.terms and not self.dated

    @property
    def only_excluded(self) -> bool:
        """True for words to leave out and nothing to leave them out of (`-تورم`): no search can
        answer it (the whole archive? the posts holding the word?), so the reader is told instead."""
        return not self.terms and not self.dated and bool(self.excluded)

    @property
    def dated(self) -> bool:
        """Whether the query limits the publication date."""
        return self.since is not None or self.until is not None

    def epoch_range(self) -> tuple[int | None, int | None]:
        """[start, end) of the date limits as epoch seconds: days run midnight to midnight in `tz`."""
        start = self._midnight(self.since) if self.since is not None else None
        end = self._midnight(self.until + timedelta(days=1)) if self.until is not None else None
        return start, end

    def _midnight(self, day: date) -> int:
        return int(datetime.combine(day, time(0), self.tz).timestamp())


def parse_query(text: str, *, tz: tzinfo = UTC, today: date | None = None) -> ParsedQuery:
    """Parse a user's query: at most MAX_QUERY_CHARS characters and MAX_TERMS terms that must match.
    `tz`: the desk's time zone (the TIMEZONE setting), where dates' days run; `today` (in `tz`;
    default: now) anchors `امروز`, `دیروز`, `هفته گذشته`."""
    if today is None:
        today = datetime.now(tz).date()
    truncated = len(text) > MAX_QUERY_CHARS
    if truncated:
        text = text[:MAX_QUERY_CHARS]
        cut = text.rfind(" ")
        if cut > MAX_QUERY_CHARS // 2:  # do not search for half a word
            text = text[:cut]
    parts = _Parts(today)
    position = 0
    for match in _PHRASE.finditer(text):
        parts.plain_text(text[position : match.start()])
        parts.phrase(next(g for g in match.groups() if g is not None))
        position = match.end()
    parts.plain_text(text[position:])
    terms = list(dict.fromkeys(parts.terms))
    if len(terms) > MAX_TERMS:
        terms, truncated = terms[:MAX_TERMS], True
    excluded = [t for t in dict.fromkeys(parts.excluded) if t not in terms]
    if len(excluded) > MAX_TERMS:
        excluded, truncated = excluded[:MAX_TERMS], True
    # A query typed to its end with a space or punctuation is not a word in progress.
    prefix = (
        bool(terms) and parts.last_is_plain and len(terms[-1]) >= MIN_PREFIX_CHARS and text[-1:].isalnum()
    )
    phrases = tuple(p for p in dict.fromkeys(parts.phrases) if set(p) <= set(terms))
    return ParsedQuery(
        tuple(terms), prefix, truncated, tuple(excluded), phrases, parts.since, parts.until,
        tuple(dict.fromkeys(parts.marked)), tuple(parts.date_words), tz,
    )  # fmt: skip


class _Parts:
    """What the pieces of one query add up to, as `parse_query` walks it."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.terms: list[str] = []
        self.excluded: list[str] = []
        self.phrases: list[tuple[str, ...]] = []
        self.marked: list[str] = []
        self.date_words: list[str] = []
        self.since: date | None = None
        self.until: date | None = None
        self.last_is_plain = False

    def phrase(self, inside: str) -> None:
        terms = analyze(inside, for_query=True)
        self.terms += terms
        if len(terms) > 1:
            self.phrases.append(tuple(terms))
        self.last_is_plain = False

    def plain_text(self, text: str) -> None:
        """Words outside quotes: operators, dates, and runs of plain words (analyzed together, so a
        compound written apart meets its other spellings)."""
        tokens = text.replace("«", " ").replace("»", " ").replace("“", " ").replace("”", " ").split()
        run: list[str] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            used = self._dates(tokens, i)
            if used:
                self._flush(run)
                self.last_is_plain = False
                self.date_words += tokens[i : i + used]
                i += used
                continue
            if len(token) > 1 and token[0] in _MINUS:
                self.excluded += analyze(token[1:], for_query=True)
            elif token.startswith("#") and (tag := hashtag_term(token)) is not None:
                self.terms.append(tag)
                self.marked += analyze(token[1:], for_query=True)
            else:
                run.append(token)
                i += 1
                continue
            self._flush(run)
            self.last_is_plain = False
            i += 1
        self._flush(run)

    def _flush(self, run: list[str]) -> None:
        if run:
            terms = analyze(" ".join(run), for_query=True)
            self.terms += terms
            self.last_is_plain = bool(terms)
            run.clear()

    def _dates(self, tokens: list[str], i: int) -> int:
        """How many tokens from i make a date limit (which is then set), or 0."""
        token = tokens[i].translate(_DIGITS).lower()
        following = tokens[i + 1].translate(_DIGITS).lower() if i + 1 < len(tokens) else ""
        for marks, is_start in ((_FROM, True), (_TO, False)):
            for mark in marks:
                if token.startswith(mark):
                    value, used = token[len(mark) :], 1
                    if not value and following:  # `از: ۱۴۰۵/۹/۱`
                        value, used = following, 2
                    day = _typed_date(value)
                    if day is None:
                        return 0
                    self._limit(day, day, only_start=is_start, only_end=not is_start)
                    return used
        if token in _DAY_WORDS:
            day = self.today - timedelta(days=_DAY_WORDS[token])
            self._limit(day, day)
            return 1
        period = _period_word(token)
        days = _PERIOD_WORDS.get(period) if following in _PAST else None
        if days is None and token in _PAST:  # `last week`
            days = _PERIOD_WORDS.get(_period_word(following))
        if days is not None:
            self._limit(self.today - timedelta(days=days), self.today)
            return 2
        return self._month(tokens, i)

    def _month(self, tokens: list[str], i: int) -> int:
        """`آذر ۱۴۰۵` (the month) or `۱ آذر ۱۴۰۵` (the day) from token i; tokens used, or 0."""
        words = [t.translate(_DIGITS) for t in tokens[i : i + 3]]
        day_number = None
        if words and words[0].isdigit() and len(words) == 3:
            day_number, words = int(words[0]), words[1:]
        month = month_number(words[0]) if len(words) >= 2 else None
        if month is None or not (words[1].isdigit() and len(words[1]) == 4):
            return 0
        year = int(words[1])
        if day_number is not None:
            first = last = jalali_date(year, month, day_number)
        else:
            first = jalali_date(year, month, 1)
            last = jalali_date(year, month, month_days(year, month)) if first is not None else None
        if first is None or last is None:
            return 0
        self._limit(first, last)
        return 3 if day_number is not None else 2

    def _limit(self, first: date, last: date, *, only_start: bool = False, only_end: bool = False) -> None:
        if not only_end:
            self.since = first if self.since is None else max(self.since, first)
        if not only_start:
            self.until = last if self.until is None else min(self.until, last)


def _period_word(token: str) -> str:
    """`هفته‌ی` and `هفته ی` as `هفته`."""
    return token.replace("\u200c", "").removesuffix("ی")


def _typed_date(value: str) -> date | None:
    """A typed date (`1405/9/1`, `1405-09-01`, `2026/11/22`, `1/9/1405`), Jalali or Gregorian by the
    one year rule (`bot.text.jalali.typed_date`); None when it is not a date."""
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    a, b, c = (int(g) for g in match.groups())
    year, month, day = (a, b, c) if a > 31 else (c, b, a)
    return typed_date(year, month, day)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_any(terms: Sequence[str]) -> str:
    """An FTS5 MATCH expression for any of `terms` (each quoted)."""
    if not terms:
        raise ValueError("no terms")
    return " OR ".join(_quote(t) for t in terms)


def fts_match(groups: Sequence[Sequence[str]], excluded: Sequence[str] = ()) -> str:
    """An FTS5 MATCH expression: each group is a set of alternatives (OR), groups are ANDed, and no
    excluded term may match.

    Every term is quoted, so no character of it can act as FTS5 syntax. Empty groups are not allowed
    (they would match nothing).
    """
    if not groups or any(not g for g in groups):
        raise ValueError("every group needs at least one term")
    parts = []
    for group in groups:
        alternatives = " OR ".join(_quote(t) for t in group)
        parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
    expression = " AND ".join(parts)
    if excluded:
        expression = f"({expression}) NOT ({fts_any(excluded)})"
    return expression
