"""Times typed by editors: `14:30`, `فردا ۸:۳۰`, `+2h`, `۲ ساعت دیگر`, `امشب`, `۱۴۰۵/۰۹/۱۰ ۰۸:۰۰`,
`2026-12-01 08:00`.

`parse_when(text, now=..., tz=...)` reads the text in the editors' time zone (Persian, Latin and
Arabic-Indic digits alike) and returns an aware UTC datetime, or raises `TimeParseError` whose
`reason` says what was wrong; the handler turns the reason into a Persian explanation with an
example (bot.messages). A time that has already passed is an error, never silently moved to
another day: wrong days are what editors fear most from scheduling bots.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import jdatetime

TONIGHT = time(21, 0)
TOMORROW_MORNING = time(8, 0)
MAX_AHEAD = timedelta(days=366)

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "\u200c": " ", "：": ":", "٫": ":", "＋": "+"})


class TimeParseReason(StrEnum):
    """Why a typed time was refused."""

    UNREADABLE = "unreadable"
    NO_SUCH_DATE = "no_such_date"
    PAST = "past"
    TOO_FAR = "too_far"


class TimeParseError(ValueError):
    """The text is not a usable publication time."""

    def __init__(self, reason: TimeParseReason, text: str) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason
        self.text = text


_CLOCK = r"(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d))?"
_RELATIVE_UNITS = {
    "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1, "دقیقه": 1,
    "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60, "ساعت": 60,
    "d": 1440, "day": 1440, "days": 1440, "روز": 1440,
}  # fmt: skip
_RELATIVE_PART = re.compile(r"(\d{1,4})\s*([a-z]+|دقیقه|ساعت|روز)")
_RELATIVE = re.compile(
    r"^(?:\+|in\s)?\s*((?:\d{1,4}\s*(?:[a-z]+|دقیقه|ساعت|روز)\s*(?:و\s*)?)+)"
    r"(?:دیگر|دیگه|بعد|later|from now)?$"
)
_DAY_WORDS = {
    "امروز": 0, "today": 0, "امشب": 0, "tonight": 0,
    "فردا": 1, "tomorrow": 1, "فردا شب": 1,
    "پس فردا": 2, "پسفردا": 2,
}  # fmt: skip
_DAY_CLOCK = re.compile(
    r"^(?:(?P<day>امروز|today|امشب|tonight|فردا شب|فردا|tomorrow|پس فردا|پسفردا)\s*)?(?:ساعت\s*)?"
    rf"(?:{_CLOCK})?\s*(?P<ampm>am|pm|صبح|ظهر|عصر|شب)?$"
)
_DATE = r"(?P<y>\d{4})[/\-.](?P<mo>\d{1,2})[/\-.](?P<d>\d{1,2})"
_DATE_CLOCK = re.compile(rf"^{_DATE}(?:\s*(?:t|,|،)?\s*(?:ساعت\s*)?{_CLOCK})?$")
_CLOCK_DATE = re.compile(rf"^(?:ساعت\s*)?{_CLOCK}\s*(?:,|،)?\s*{_DATE}$")


def normalize_typed(text: str) -> str:
    """Latin digits, Persian letters, one space between words, lower case."""
    cleaned = text.translate(_DIGITS).translate(_LETTERS).lower()
    cleaned = re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", cleaned)
    return " ".join(cleaned.split())


def parse_when(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """The UTC moment `text` means, typed at `now` (aware) by an editor in `tz`."""
    typed = normalize_typed(text)
    when = _parse_relative(typed, now) or _parse_date(typed, tz, text) or _parse_day_clock(typed, now, tz)
    if when is None:
        raise TimeParseError(TimeParseReason.UNREADABLE, text)
    if when <= now:
        raise TimeParseError(TimeParseReason.PAST, text)
    if when - now > MAX_AHEAD:
        raise TimeParseError(TimeParseReason.TOO_FAR, text)
    return when.astimezone(UTC)


def at_local(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The UTC moment of a wall-clock time on a day in `tz`."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def tonight(now: datetime, tz: ZoneInfo) -> datetime:
    """Today at TONIGHT local time (may be in the past late in the evening)."""
    return at_local(now.astimezone(tz).date(), TONIGHT, tz)


def tomorrow_morning(now: datetime, tz: ZoneInfo) -> datetime:
    """Tomorrow at TOMORROW_MORNING local time."""
    return at_local(now.astimezone(tz).date() + timedelta(days=1), TOMORROW_MORNING, tz)


def _parse_relative(typed: str, now: datetime) -> datetime | None:
    match = _RELATIVE.match(typed)
    if not match:
        return None
    minutes = 0
    for amount, unit in _RELATIVE_PART.findall(match[1]):
        if unit not in _RELATIVE_UNITS:
            return None
        minutes += int(amount) * _RELATIVE_UNITS[unit]
    return now + timedelta(minutes=minutes) if minutes else None


def _parse_date(typed: str, tz: ZoneInfo, original: str) -> datetime | None:
    match = _DATE_CLOCK.match(typed) or _CLOCK_DATE.match(typed)
    if not match:
        return None
    year, month, day = int(match["y"]), int(match["mo"]), int(match["d"])
    if match["h"] is None:
        raise TimeParseError(TimeParseReason.UNREADABLE, original)  # a day without a time
    clock = time(int(match["h"]), int(match["m"] or 0))
    try:
        if 1300 <= year < 1500:
            gregorian = jdatetime.date(year, month, day).togregorian()
        elif 1900 <= year < 2200:
            gregorian = date(year, month, day)
        else:
            raise ValueError(year)
    except ValueError:
        raise TimeParseError(TimeParseReason.NO_SUCH_DATE, original) from None
    return at_local(gregorian, clock, tz)


def _parse_day_clock(typed: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    match = _DAY_CLOCK.match(typed)
    if not match or not typed:
        return None
    day_word, ampm = match["day"], match["ampm"]
    if match["h"] is None:
        if day_word in ("امشب", "tonight", "فردا شب") and ampm is None:
            hour, minute = TONIGHT.hour, TONIGHT.minute
        else:
            return None
    else:
        hour, minute = int(match["h"]), int(match["m"] or 0)
    evening = ampm in ("pm", "عصر", "شب") or day_word in ("امشب", "tonight", "فردا شب")
    if ampm == "ظهر" and hour < 6:
        evening = True
    if evening and hour < 12:
        hour += 12
    if ampm in ("am", "صبح") and hour == 12:
        hour = 0
    offset = _DAY_WORDS.get(day_word or "امروز", 0)
    day = now.astimezone(tz).date() + timedelta(days=offset)
    return at_local(day, time(hour, minute), tz)
