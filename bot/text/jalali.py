"""Jalali dates as people type them, for typed publishing times (`bot.desk.timeparse`) and search
dates (`bot.text.query`) alike: the one table of month names, and the one year rule (`typed_date`:
which years are Jalali, which Gregorian, which no date at all). Digits and Arabic letters:
`bot.text.letters`."""

from __future__ import annotations

from datetime import date

import jdatetime

from bot.text.letters import ALEF_FORMS, ARABIC_LETTERS

# What a month name may be typed with instead of its letters: Arabic ي ى ك, and the hat left out
# (`اذر` for `آذر`).
_FOLD = str.maketrans(ARABIC_LETTERS | ALEF_FORMS)

MONTHS: dict[str, int] = {
    name: index + 1
    for names in (jdatetime.date.j_months_fa, jdatetime.date.j_months_en)
    for index, name in enumerate(names)
} | {"امرداد": 5, "اردبیهشت": 2, "اردیبهست": 2, "فرودین": 1}  # the official alias, common typos

_FOLDED_MONTHS = {name.translate(_FOLD).lower(): number for name, number in MONTHS.items()}


def month_number(word: str) -> int | None:
    """The Jalali month (1–12) a word names, however its letters were typed; None if it names none."""
    return _FOLDED_MONTHS.get(word.translate(_FOLD).lower())


def month_days(year: int, month: int) -> int:
    """The days of a Jalali month (Esfand has 30 in a leap year)."""
    if month == 12 and jdatetime.date(year, 1, 1).isleap():
        return 30
    return jdatetime.j_days_in_month[month - 1]


JALALI_YEARS = range(1300, 1500)
"""Years a typed date is read as Jalali (1921–2121 in Gregorian years)."""

GREGORIAN_YEARS = range(1900, 2200)
"""Years a typed date is read as Gregorian. A year in neither range is a typo, not a date."""


def typed_date(year: int, month: int, day: int) -> date | None:
    """The day a typed numeric date names: Jalali for a year in JALALI_YEARS, Gregorian for one in
    GREGORIAN_YEARS; None for any other year or a day the month does not have. The one year rule for
    dates typed to schedule a post and to search the archive."""
    try:
        if year in JALALI_YEARS:
            return jdatetime.date(year, month, day).togregorian()
        if year in GREGORIAN_YEARS:
            return date(year, month, day)
    except ValueError:
        pass
    return None


def jalali_date(year: int, month: int, day: int) -> date | None:
    """The day of a date written with a Jalali month's name (`۱۰ آذر ۱۴۰۵`): its year must be a
    Jalali one; None otherwise or for a day the month does not have."""
    return typed_date(year, month, day) if year in JALALI_YEARS else None
