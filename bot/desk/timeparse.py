"""Times typed by editors, read against a clock: `14:30`, `نیم ساعت دیگر`, `+2h`, `ساعت ۲ بعدازظهر`,
`امشب`, `فردا صبح`, `شنبه ساعت ۹`, `۱۰ آذر ساعت ۹`, `۱۴۰۵/۰۹/۱۰ ۰۸:۰۰`, `2026-12-01 08:00`, `14.30`.

`read_time(text, now=..., tz=..., first_slot=...)` reads the text in the editors' time zone (Persian,
Latin and Arabic-Indic digits, Arabic ي/ك, ZWNJ or spaces alike) and returns a `TypedTime`: the aware
UTC moment and the `Assumption` it made, if any, which the desk must say to the editor. It raises
`TimeParseError` whose `reason` says what was wrong (and, for a past time, `meant` says which moment
the text named); the desk turns that into a Persian explanation with an example (bot.messages).
`parse_when` is the same reading without a posting slot, for callers that only need the moment.

The text is cut into tokens, each looked up in the vocabulary tables below (number words, units,
day words, parts of the day, weekdays, month names), then read by one of two small grammars:
a duration from now (`[+|in] amount unit [و amount unit]… [دیگر]`), or a moment made of at most one
day (a day word, a weekday, a date), one clock and one part of the day, in any order.

Rules, decided once:
- A time that has passed is an error (PAST), never silently moved to another day: wrong days are
  what editors fear most from scheduling bots. The exceptions below are named assumptions.
- 12-hour reading: with no day and no part of the day named (or «امروز»), an hour 1–11 written
  without a leading zero whose morning reading has passed today but whose afternoon reading is
  still ahead today is read as the afternoon one (`2:30` typed at noon is 14:30; Assumption.AFTERNOON).
  If both have passed it is PAST. A leading zero (`02:30`, `09:00`) is a 24-hour time, read as written;
  so is any hour after a named day (`فردا ۲` is 02:00 tomorrow; `فردا ۲ بعدازظهر` is 14:00).
- A day without an hour (`فردا`, `شنبه`, `۱۰ آذر`) is that day's first posting slot
  (Assumption.FIRST_SLOT); without a slot (`parse_when`) it is UNREADABLE. A bare `امروز` too.
- A weekday alone is its next occurrence: today if its time is still ahead today, otherwise the same
  weekday next week (Assumption.NEXT_WEEK). A weekday beside a date must agree with it (NO_SUCH_DATE).
- A day and month without a year (`۱۰ آذر`) is this Jalali year's if that day is today or later,
  otherwise next year's (Assumption.NEXT_YEAR). A day of today whose time has passed is PAST.
- Night: with `شب`/`امشب` an hour 0–4 or 12 is after that night's midnight (`امشب ۱` is 01:00
  tomorrow, `۱۲ شب` is the midnight that ends the day), 5–11 is evening (`۸ شب` is 20:00).
- When one assumption implies another (a bare weekday that is today, its first slot passed), the
  first slot is the one reported: the shown date makes the week visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum, StrEnum, auto
from zoneinfo import ZoneInfo

import jdatetime

from bot.text.jalali import MONTHS as _MONTHS
from bot.text.jalali import jalali_date, typed_date
from bot.text.letters import ALEF_FORMS, ARABIC_LETTERS
from bot.text.letters import TO_ASCII_DIGITS as _DIGITS

TONIGHT = time(21, 0)
TOMORROW_MORNING = time(8, 0)
MAX_AHEAD = timedelta(days=366)
MAX_TYPED_CHARS = 100  # a time is a few words; a longer text is not one (and stays cheap to read)
MAX_TIME_WORDS = 8  # «۱۰ آذر ۱۴۰۵ ساعت ۲ بعد از ظهر» is 8 tokens

_LETTERS = str.maketrans(ARABIC_LETTERS | {"\u200c": " ", "：": ":", "٫": ":", "＋": "+"})
_FOLD = str.maketrans(ALEF_FORMS)  # «اذر» for «آذر»: the hat is often left out
# Linear: a digit run may carry separated digit runs (each must start with a separator), or a run
# of letters, or one other character. No nested quantifier can backtrack.
_TOKEN = re.compile(r"[0-9]+(?:[:./\-][0-9]+)*|[^\W\d_]+|\S")
_LONE_DOT = re.compile(r"\.(?![0-9])|(?<![0-9])\.")  # `a.m.`, «ب.ظ»; not `14.30`
_CLOCK_TOKEN = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")
_DATE_TOKEN = re.compile(r"([0-9]{4})[/.\-]([0-9]{1,2})[/.\-]([0-9]{1,2})")


class TimeParseReason(StrEnum):
    """Why a typed time was refused."""

    UNREADABLE = "unreadable"
    NO_SUCH_DATE = "no_such_date"
    PAST = "past"
    TOO_FAR = "too_far"


class TimeParseError(ValueError):
    """The text is not a usable publication time; for PAST, `meant` is the moment it named (UTC)."""

    def __init__(self, reason: TimeParseReason, text: str, meant: datetime | None = None) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason
        self.text = text
        self.meant = meant


class Assumption(StrEnum):
    """What the reading had to assume; the desk says it (bot.messages `time_assumed_<value>`)."""

    FIRST_SLOT = "first_slot"  # a day without an hour: that day's first posting slot
    AFTERNOON = "afternoon"  # an hour 1–11 whose morning had passed today: its afternoon twin
    NEXT_WEEK = "next_week"  # today's weekday named, its time passed today: the same day next week
    NEXT_YEAR = "next_year"  # a day and month without a year, past this year: next year's


@dataclass(frozen=True, slots=True)
class TypedTime:
    """A typed time as read: the aware UTC moment and what the reading assumed, if anything."""

    when: datetime
    assumption: Assumption | None = None


# — vocabulary: one table each —


@dataclass(frozen=True, slots=True)
class _Part:
    """A part of the day: its moment when no hour is written, and how it reads a written hour."""

    default: time | None
    hours: tuple[tuple[int, int, int], ...]  # (first, last, add): hour h in first..last means h + add
    overnight: bool = False  # the default lies after the day's midnight (the next calendar day)

    def hour(self, written: int) -> int | None:
        """Hours after the day's start that `written` means in this part (24+ is past midnight)."""
        for first, last, add in self.hours:
            if first <= written <= last:
                return written + add
        return None


# Each part: its moment when no hour is written, then (first, last, add) for a written hour.
_AM = _Part(None, ((0, 11, 0), (12, 12, -12)))  # `12 am` is 00:00
_MORNING = _Part(TOMORROW_MORNING, _AM.hours)  # «صبح»: 08:00
_NOON = _Part(time(12, 0), ((11, 12, 0), (1, 4, 12), (13, 16, 0)))  # «۲ ظهر» is 14:00
_PM = _Part(None, ((1, 11, 12), (12, 23, 0)))
_AFTERNOON = _Part(time(15, 0), _PM.hours)  # «بعدازظهر»: 15:00
_EVENING = _Part(time(17, 0), ((1, 11, 12), (13, 23, 0)))  # «عصر»: 17:00, «۶ عصر» is 18:00
_NIGHT = _Part(TONIGHT, ((0, 4, 24), (5, 11, 12), (12, 12, 12), (13, 23, 0)))  # «شب»: 21:00
_MIDNIGHT = _Part(time(0, 0), ((0, 0, 24), (12, 12, 12), (1, 4, 24)), overnight=True)

_PARTS: dict[str, _Part] = {
    "صبح": _MORNING, "morning": _MORNING,
    "بامداد": _AM, "قبل از ظهر": _AM, "ق.ظ": _AM, "am": _AM, "a.m.": _AM,
    "ظهر": _NOON, "noon": _NOON,
    "بعد از ظهر": _AFTERNOON, "بعد ظهر": _AFTERNOON, "afternoon": _AFTERNOON,
    "ب.ظ": _PM, "pm": _PM, "p.m.": _PM,
    "عصر": _EVENING, "evening": _EVENING,
    "شب": _NIGHT, "night": _NIGHT,
    "نیمه شب": _MIDNIGHT, "نصف شب": _MIDNIGHT, "نصفه شب": _MIDNIGHT, "midnight": _MIDNIGHT,
}  # fmt: skip
_DAYS: dict[str, int] = {
    "امروز": 0, "today": 0, "فردا": 1, "tomorrow": 1, "پس فردا": 2, "day after tomorrow": 2,
}  # fmt: skip
_DAYS_WITH_PART: dict[str, tuple[int, _Part]] = {"امشب": (0, _NIGHT), "tonight": (0, _NIGHT)}
_NUMBER_WORDS: dict[str, int] = {
    "یک": 1, "یه": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "شیش": 6, "هفت": 7,
    "هشت": 8, "نه": 9, "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14,
    "پانزده": 15, "پونزده": 15, "شانزده": 16, "شونزده": 16, "هفده": 17, "هجده": 18, "هیجده": 18,
    "نوزده": 19, "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
}  # fmt: skip
_TENS = frozenset({20, 30, 40, 50})  # «چهل و پنج»: a tens word, «و», a units word
_HALF_WORDS = ("نیم", "half")
_UNITS: dict[str, int] = {  # minutes
    "دقیقه": 1, "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1,
    "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60,
    "روز": 1440, "d": 1440, "day": 1440, "days": 1440,
    "هفته": 10080, "week": 10080, "weeks": 10080,
}  # fmt: skip
_HOUR_WORDS = ("ساعت",)  # an hour unit (`۲ ساعت دیگر`) or the clock's mark (`ساعت ۹`)
_UNITS_ALONE: dict[str, int] = {  # units that may stand without an amount (`ربع ساعت دیگر`)
    "ربع": 15, "ربع ساعت": 15, "quarter": 15, "quarter of an hour": 15, "half an hour": 30,
}  # fmt: skip
_PLUS_WORDS = ("+", "in", "تا")
_FUTURE_WORDS = ("دیگر", "دیگه", "بعد", "later", "from now")
_AND_WORDS = ("و", "and")
_FILLER_WORDS = ("t", ",", "،", "at", "on", "ماه")
# Weekday names from jdatetime (Saturday first), as Python weekdays (Monday = 0).
_WEEKDAYS: dict[str, int] = {
    name: (index + 5) % 7
    for names in (jdatetime.date.j_weekdays_fa, jdatetime.date.j_weekdays_en)
    for index, name in enumerate(names)
}


class _Kind(Enum):
    NUMBER = auto()
    CLOCK = auto()
    DATE = auto()
    DAY = auto()
    WEEKDAY = auto()
    MONTH = auto()
    PART = auto()
    UNIT = auto()
    UNIT_ALONE = auto()
    HOUR_WORD = auto()
    HALF = auto()
    PLUS = auto()
    FUTURE = auto()
    AND = auto()
    FILLER = auto()


@dataclass(frozen=True, slots=True)
class _Lexeme:
    """One word or number of the text, as the vocabulary knows it."""

    kind: _Kind
    number: int = 0  # NUMBER; DAY: days from today; WEEKDAY: Python's; MONTH; UNIT*: minutes
    numbers: tuple[int, ...] = ()  # CLOCK: (hour, minute); DATE: (year, month, day)
    part: _Part | None = None  # PART
    text: str = ""  # as written: digits, or the phrase of the table


_Vocabulary = Mapping[str, int] | Mapping[str, _Part] | Iterable[str]


def normalize_typed(text: str) -> str:
    """Latin digits, Persian letters, one space between words, lower case."""
    cleaned = text.translate(_DIGITS).translate(_LETTERS).lower()
    cleaned = re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", cleaned)
    return " ".join(cleaned.split())


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(_LONE_DOT.sub(" ", normalize_typed(text).translate(_FOLD)))


def _lexicon() -> tuple[dict[tuple[str, ...], tuple[_Lexeme, ...]], int]:
    """Every phrase of the tables as its tokens, also written as one word (`پنجشنبه`, `بعدازظهر`)."""
    tables: tuple[tuple[_Kind, _Vocabulary], ...] = (
        (_Kind.NUMBER, _NUMBER_WORDS),
        (_Kind.HALF, _HALF_WORDS),
        (_Kind.UNIT, _UNITS),
        (_Kind.UNIT_ALONE, _UNITS_ALONE),
        (_Kind.HOUR_WORD, _HOUR_WORDS),
        (_Kind.PLUS, _PLUS_WORDS),
        (_Kind.FUTURE, _FUTURE_WORDS),
        (_Kind.AND, _AND_WORDS),
        (_Kind.FILLER, _FILLER_WORDS),
        (_Kind.DAY, _DAYS),
        (_Kind.PART, _PARTS),
        (_Kind.WEEKDAY, _WEEKDAYS),
        (_Kind.MONTH, _MONTHS),
    )
    entries: list[tuple[str, tuple[_Lexeme, ...]]] = [
        (phrase, (_Lexeme(_Kind.DAY, days), _Lexeme(_Kind.PART, part=part)))
        for phrase, (days, part) in _DAYS_WITH_PART.items()
    ]
    for kind, table in tables:
        values: Mapping[str, int | _Part | None] = (
            table if isinstance(table, Mapping) else dict.fromkeys(table)
        )
        for phrase, value in values.items():
            if isinstance(value, _Part):
                entries.append((phrase, (_Lexeme(kind, part=value),)))
            else:
                entries.append((phrase, (_Lexeme(kind, value or 0),)))
    lexicon: dict[tuple[str, ...], tuple[_Lexeme, ...]] = {}
    for phrase, lexemes in entries:
        words = tuple(_tokens(phrase))
        for key in (words, tuple(_tokens("".join(words)))):
            lexicon.setdefault(key, tuple(replace(lexeme, text=" ".join(key)) for lexeme in lexemes))
    return lexicon, max(len(key) for key in lexicon)


_LEXICON, _LONGEST = _lexicon()


def _lex(text: str) -> list[_Lexeme] | None:
    """The text as vocabulary, longest phrase first; None if a word is not in it."""
    tokens = _tokens(text)
    lexemes: list[_Lexeme] = []
    start = 0
    while start < len(tokens):
        for size in range(min(_LONGEST, len(tokens) - start), 0, -1):
            found = _LEXICON.get(tuple(tokens[start : start + size]))
            if found:
                lexemes.extend(found)
                start += size
                break
        else:
            number = _number(tokens[start])
            if number is None:
                return None
            lexemes.append(number)
            start += 1
    return _join_number_words(lexemes)


def _number(token: str) -> _Lexeme | None:
    if token.isascii() and token.isdigit():
        return _Lexeme(_Kind.NUMBER, int(token), text=token)
    for kind, pattern in ((_Kind.CLOCK, _CLOCK_TOKEN), (_Kind.DATE, _DATE_TOKEN)):
        if match := pattern.fullmatch(token):
            return _Lexeme(kind, numbers=tuple(int(group) for group in match.groups()), text=token)
    return None


def _join_number_words(lexemes: list[_Lexeme]) -> list[_Lexeme]:
    """«چهل و پنج» → 45 (words only: `ساعت ۲۰ و ۵ دقیقه` keeps its numbers apart)."""
    joined: list[_Lexeme] = []
    for lexeme in lexemes:
        if (
            len(joined) >= 2
            and _is_number_word(lexeme)
            and 1 <= lexeme.number < 10
            and joined[-1].kind is _Kind.AND
            and _is_number_word(joined[-2])
            and joined[-2].number in _TENS
        ):
            tens = joined[-2]
            joined[-2:] = [
                _Lexeme(_Kind.NUMBER, tens.number + lexeme.number, text=f"{tens.text} و {lexeme.text}")
            ]
            continue
        joined.append(lexeme)
    return joined


def _is_number_word(lexeme: _Lexeme) -> bool:
    return lexeme.kind is _Kind.NUMBER and not lexeme.text.isdigit()


class _Cursor:
    """A walk over the lexemes: look at the next one, take it if it is of a kind."""

    def __init__(self, lexemes: list[_Lexeme]) -> None:
        self._lexemes = lexemes
        self._at = 0

    def done(self) -> bool:
        return self._at >= len(self._lexemes)

    def peek(self, offset: int = 0) -> _Lexeme | None:
        at = self._at + offset
        return self._lexemes[at] if at < len(self._lexemes) else None

    def is_next(self, *kinds: _Kind) -> bool:
        return all(
            (lexeme := self.peek(offset)) is not None and lexeme.kind is kind
            for offset, kind in enumerate(kinds)
        )

    def take(self, kind: _Kind) -> _Lexeme | None:
        lexeme = self.peek()
        if lexeme is None or lexeme.kind is not kind:
            return None
        self._at += 1
        return lexeme

    def take_run(self, *kinds: _Kind) -> list[_Lexeme] | None:
        """The next lexemes if they are of `kinds` in this order, else None (and nothing taken)."""
        if not self.is_next(*kinds):
            return None
        self._at += len(kinds)
        return self._lexemes[self._at - len(kinds) : self._at]

    def __iter__(self) -> Iterator[_Lexeme]:
        while not self.done():
            lexeme = self._lexemes[self._at]
            self._at += 1
            yield lexeme


class _Refused(Exception):
    """Internal: the reading stops for `reason`; `read_time` raises it with the text."""

    def __init__(self, reason: TimeParseReason = TimeParseReason.UNREADABLE) -> None:
        super().__init__(reason)
        self.reason = reason


# — the entry points —


def read_time(text: str, *, now: datetime, tz: ZoneInfo, first_slot: time | None = None) -> TypedTime:
    """The moment `text` means, typed at `now` (aware) by an editor in `tz`, and what was assumed.

    `first_slot` is the first posting slot of a day, taken when only a day is given (`فردا`);
    without it such a text is UNREADABLE.
    """
    try:
        typed = _read(text, now, tz, first_slot)
    except _Refused as refused:
        raise TimeParseError(refused.reason, text) from None
    when = typed.when.astimezone(UTC)
    if when <= now:
        raise TimeParseError(TimeParseReason.PAST, text, meant=when)
    if when - now > MAX_AHEAD:
        raise TimeParseError(TimeParseReason.TOO_FAR, text)
    return TypedTime(when, typed.assumption)


def looks_like_time(text: str) -> bool:
    """Whether a message reads as an attempt at a time (to answer, or to explain what was wrong
    with it) rather than a text of its own: one line of at most MAX_TIME_WORDS words, at least half
    of them time words or numbers (`دیروز عصر` is one, badly; `قیمت نان` and a headline are not)."""
    if len(text) > MAX_TYPED_CHARS or "\n" in text.strip():
        return False
    tokens = _tokens(text)
    if not tokens or len(tokens) > MAX_TIME_WORDS:
        return False
    known = sum(1 for token in tokens if (token,) in _LEXICON or _number(token) is not None)
    return 2 * known >= len(tokens)


def parse_when(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """The UTC moment `text` means, typed at `now` (aware) by an editor in `tz`; no slot is assumed."""
    return read_time(text, now=now, tz=tz).when


def at_local(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The UTC moment of a wall-clock time on a day in `tz`."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def tonight(now: datetime, tz: ZoneInfo) -> datetime:
    """Today at TONIGHT local time (may be in the past late in the evening)."""
    return at_local(now.astimezone(tz).date(), TONIGHT, tz)


def tomorrow_morning(now: datetime, tz: ZoneInfo) -> datetime:
    """Tomorrow at TOMORROW_MORNING local time."""
    return at_local(now.astimezone(tz).date() + timedelta(days=1), TOMORROW_MORNING, tz)


def _read(text: str, now: datetime, tz: ZoneInfo, first_slot: time | None) -> TypedTime:
    if len(text) > MAX_TYPED_CHARS:
        raise _Refused
    lexemes = _lex(text)
    if not lexemes:
        raise _Refused
    minutes = _duration_minutes(lexemes)
    if minutes is None:
        return _resolve(_read_spec(lexemes), now, tz, first_slot)
    if minutes <= 0:
        raise _Refused
    if minutes > MAX_AHEAD / timedelta(minutes=1):  # before timedelta() could overflow on `+9999999d`
        raise _Refused(TimeParseReason.TOO_FAR)
    return TypedTime(now + timedelta(minutes=minutes))


# — grammar 1: a duration from now —


def _duration_minutes(lexemes: list[_Lexeme]) -> float | None:
    """`[+|in] amount unit [[و] amount unit]… [و نیم] [دیگر]` in minutes; None if not a duration."""
    cursor = _Cursor(lexemes)
    cursor.take(_Kind.PLUS)
    total = 0.0
    unit: int | None = None  # the last unit read, for «و نیم»
    while not cursor.done() and not cursor.is_next(_Kind.FUTURE):
        if unit is not None:
            cursor.take(_Kind.AND)  # «۱ ساعت و ۳۰ دقیقه», `1h30m`
            if cursor.take(_Kind.HALF):  # «۲ ساعت و نیم»: half of the unit before, and the end
                total += unit / 2
                break
        amount = _amount(cursor)
        unit = _unit(cursor, bare=amount is None)
        if unit is None:
            return None
        total += (1 if amount is None else amount) * unit
    cursor.take(_Kind.FUTURE)
    return total if unit is not None and cursor.done() else None


def _amount(cursor: _Cursor) -> float | None:
    """`۲`, `دو`, `نیم`, `دو و نیم`; None when no amount is written."""
    if cursor.take(_Kind.HALF):
        return 0.5
    number = cursor.take(_Kind.NUMBER)
    if number is None:
        return None
    if any(cursor.is_next(_Kind.AND, _Kind.HALF, kind) for kind in (_Kind.UNIT, _Kind.HOUR_WORD)):
        cursor.take_run(_Kind.AND, _Kind.HALF)
        return number.number + 0.5
    return float(number.number)


def _unit(cursor: _Cursor, *, bare: bool) -> int | None:
    """Minutes of the unit next; a bare unit (no amount before it) only if it may stand alone."""
    if alone := cursor.take(_Kind.UNIT_ALONE):
        cursor.take(_Kind.HOUR_WORD)  # «یک ربع ساعت»
        return alone.number
    if bare:
        return None
    if cursor.take(_Kind.HOUR_WORD):
        return 60
    unit = cursor.take(_Kind.UNIT)
    return None if unit is None else unit.number


# — grammar 2: a moment: at most one day, one weekday, one clock, one part of the day —


@dataclass(slots=True)
class _Spec:
    """The pieces of a moment as written."""

    offset: int | None = None  # days from today: امروز, فردا, پس فردا
    date: tuple[int, ...] | None = None  # a numeric date, Jalali or Gregorian by its year
    day_month: tuple[int, int, int | None] | None = None  # «۱۰ آذر [۱۴۰۵]»
    weekday: int | None = None  # Python's: Monday = 0
    clock: tuple[int, int] | None = None
    twelve_hour: bool = False  # an hour 1–11 without a leading zero: its afternoon twin may be meant
    part: _Part | None = None

    def dates_named(self) -> int:
        """How many of a day word, a date, a day and month are written (a weekday aside)."""
        return sum(named is not None for named in (self.offset, self.date, self.day_month))

    def put(self, name: str, value: object) -> None:
        if getattr(self, name) is not None:
            raise _Refused  # «فردا پس فردا», two clocks: not one moment
        setattr(self, name, value)


def _read_spec(lexemes: list[_Lexeme]) -> _Spec:
    spec = _Spec()
    cursor = _Cursor(lexemes)
    for lexeme in cursor:
        match lexeme.kind:
            case _Kind.FILLER:
                pass
            case _Kind.DAY:
                spec.put("offset", lexeme.number)
            case _Kind.WEEKDAY:
                spec.put("weekday", lexeme.number)
            case _Kind.DATE:
                spec.put("date", lexeme.numbers)
            case _Kind.PART:
                spec.put("part", lexeme.part)
            case _Kind.NUMBER if (month := cursor.take(_Kind.MONTH)) is not None:
                year = cursor.peek()
                if year is not None and year.kind is _Kind.NUMBER and len(year.text) == 4:
                    cursor.take(_Kind.NUMBER)
                    spec.put("day_month", (lexeme.number, month.number, year.number))
                else:
                    spec.put("day_month", (lexeme.number, month.number, None))
            case _Kind.HOUR_WORD:
                clock = cursor.take(_Kind.CLOCK) or cursor.take(_Kind.NUMBER)
                if clock is None:
                    raise _Refused
                _put_clock(spec, clock, cursor)
            case _Kind.CLOCK | _Kind.NUMBER:
                _put_clock(spec, lexeme, cursor)
            case _:
                raise _Refused
    return spec


def _put_clock(spec: _Spec, lexeme: _Lexeme, cursor: _Cursor) -> None:
    """`۱۴:۳۰`, `14.30`, `۹`, `نه`, «۹ و نیم», «۹ و ربع», «۹ و ۲۰ دقیقه»."""
    if lexeme.kind is _Kind.CLOCK:
        hour, minute = lexeme.numbers
    else:
        hour, minute = lexeme.number, _minutes_after(cursor)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _Refused
    spec.put("clock", (hour, minute))
    spec.twelve_hour = 1 <= hour <= 11 and not lexeme.text.startswith("0")


def _minutes_after(cursor: _Cursor) -> int:
    """The minutes written after an hour with «و»: نیم, ربع, or a number of minutes."""
    if cursor.take_run(_Kind.AND, _Kind.HALF):
        return 30
    if quarter := cursor.take_run(_Kind.AND, _Kind.UNIT_ALONE):
        return quarter[1].number
    unit = cursor.peek(2)
    if (
        unit is not None
        and unit.number == 1
        and (minutes := cursor.take_run(_Kind.AND, _Kind.NUMBER, _Kind.UNIT))
    ):
        return minutes[1].number
    return 0


def _resolve(spec: _Spec, now: datetime, tz: ZoneInfo, first_slot: time | None) -> TypedTime:
    """The moment the pieces name, by the rules of the module docstring."""
    today = now.astimezone(tz).date()
    day, day_assumption = _named_day(spec, today)
    hour, minute, clock_assumption = _hour_of_day(spec, named_day=day is not None, first_slot=first_slot)
    assumption = clock_assumption or day_assumption
    on_day = day or today
    when = _at(on_day, hour, minute, tz)
    # Only a day left unnamed, or «امروز», takes the afternoon twin: a named day takes the hour as written.
    twelve_hour_today = spec.twelve_hour and spec.part is None and (day is None or spec.offset == 0)
    if twelve_hour_today and when <= now:
        afternoon = _at(on_day, hour + 12, minute, tz)
        if afternoon > now:
            when, assumption = afternoon, Assumption.AFTERNOON
    if spec.weekday is not None and spec.dates_named() == 0 and when <= now:
        when = _at(on_day + timedelta(days=7), hour, minute, tz)
        assumption = assumption or Assumption.NEXT_WEEK
    return TypedTime(when, assumption)


def _named_day(spec: _Spec, today: date) -> tuple[date | None, Assumption | None]:
    """The day the text names, if any: a day word, a date, a day and month, a weekday."""
    if spec.dates_named() > 1:
        raise _Refused
    day, assumption = None, None
    if spec.offset is not None:
        day = today + timedelta(days=spec.offset)
    elif spec.date is not None:
        day = _calendar_date(*spec.date)
    elif spec.day_month is not None:
        day, assumption = _day_month(*spec.day_month, today=today)
    if spec.weekday is None:
        return day, assumption
    if day is None:  # the next such weekday, today included (the caller moves a passed one a week on)
        return today + timedelta(days=(spec.weekday - today.weekday()) % 7), None
    if day.weekday() != spec.weekday:
        raise _Refused(TimeParseReason.NO_SUCH_DATE)  # «شنبه ۱۰ آذر» when 10 Azar is a Tuesday
    return day, assumption


def _hour_of_day(
    spec: _Spec, *, named_day: bool, first_slot: time | None
) -> tuple[int, int, Assumption | None]:
    """Hours from the day's start (24+ is past its midnight) and minutes; a bare day takes the slot."""
    if spec.clock is not None:
        hour, minute = spec.clock
        if spec.part is None:
            return hour, minute, None
        read = spec.part.hour(hour)
        if read is None:
            raise _Refused  # «۱۸ صبح»
        return read, minute, None
    if spec.part is not None and spec.part.default is not None:
        return spec.part.default.hour + (24 if spec.part.overnight else 0), spec.part.default.minute, None
    if spec.part is None and named_day and first_slot is not None:
        return first_slot.hour, first_slot.minute, Assumption.FIRST_SLOT
    raise _Refused  # nothing but a day and no slot to take, or `pm` alone


def _at(day: date, hours: int, minute: int, tz: ZoneInfo) -> datetime:
    """`hours` after the start of `day` (24 or more: past its midnight), as a UTC moment."""
    return at_local(day + timedelta(days=hours // 24), time(hours % 24, minute), tz)


def _calendar_date(year: int, month: int, day: int) -> date:
    """A numeric date, by the one year rule (`bot.text.jalali.typed_date`)."""
    day_named = typed_date(year, month, day)
    if day_named is None:
        raise _Refused(TimeParseReason.NO_SUCH_DATE)
    return day_named


def _day_month(day: int, month: int, year: int | None, *, today: date) -> tuple[date, Assumption | None]:
    """«۱۰ آذر [۱۴۰۵]»; without a year, the next such day (today included)."""
    if year is not None:
        day_named = jalali_date(year, month, day)
        if day_named is None:  # no such day, or a Jalali month with a Gregorian year
            raise _Refused(TimeParseReason.NO_SUCH_DATE)
        return day_named, None
    jalali_today = jdatetime.date.fromgregorian(date=today)
    if (month, day) >= (jalali_today.month, jalali_today.day):
        return _calendar_date(jalali_today.year, month, day), None
    return _calendar_date(jalali_today.year + 1, month, day), Assumption.NEXT_YEAR
