"""Jalali calendar words and digits as people type them: the one table of month names that typed
publishing times (`bot.desk.timeparse`) and search dates (`bot.text.query`) both read."""

from __future__ import annotations

import jdatetime

# Persian and Arabic-Indic digits → Latin.
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# What a month name may be typed with instead of its letters: Arabic ي ى ك, and the hat left out
# (`اذر` for `آذر`).
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "آ": "ا", "أ": "ا", "إ": "ا"})

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
