"""Typed publication times: formats, digits, time zone, and the refusals."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.timeparse import (
    TimeParseError,
    TimeParseReason,
    normalize_typed,
    parse_when,
    tomorrow_morning,
    tonight,
)

TEHRAN = ZoneInfo("Asia/Tehran")
# Thursday 26 Nov 2026, 10:00 in Tehran (UTC+03:30) = 5 Azar 1405.
NOW = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)


def tehran(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TEHRAN).astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", tehran(2026, 11, 26, 14, 30)),
        ("۱۴:۳۰", tehran(2026, 11, 26, 14, 30)),
        ("١٤:٣٠", tehran(2026, 11, 26, 14, 30)),
        (" 14:30 ", tehran(2026, 11, 26, 14, 30)),
        ("ساعت ۱۴:۳۰", tehran(2026, 11, 26, 14, 30)),
        ("امروز ۱۸", tehran(2026, 11, 26, 18)),
        ("فردا ۸:۳۰", tehran(2026, 11, 27, 8, 30)),
        ("فردا ساعت ۸:۳۰", tehran(2026, 11, 27, 8, 30)),
        ("tomorrow 8:30", tehran(2026, 11, 27, 8, 30)),
        ("Tomorrow 08:30", tehran(2026, 11, 27, 8, 30)),
        ("پس‌فردا ۹", tehran(2026, 11, 28, 9)),
        ("پسفردا ۹:۱۵", tehran(2026, 11, 28, 9, 15)),
        ("فردا ۸ شب", tehran(2026, 11, 27, 20)),
        ("۲ ظهر", tehran(2026, 11, 26, 14)),
        ("5 pm", tehran(2026, 11, 26, 17)),
        ("امشب", tehran(2026, 11, 26, 21)),
        ("tonight", tehran(2026, 11, 26, 21)),
        ("امشب ۱۰:۳۰", tehran(2026, 11, 26, 22, 30)),
        ("امشب ۲۲:۰۰", tehran(2026, 11, 26, 22)),
        ("فردا شب", tehran(2026, 11, 27, 21)),
        ("+2h", NOW + timedelta(hours=2)),
        ("+2 h", NOW + timedelta(hours=2)),
        ("+۲ ساعت", NOW + timedelta(hours=2)),
        ("+۲ ساعت دیگر", NOW + timedelta(hours=2)),
        ("+30m", NOW + timedelta(minutes=30)),
        ("+۴۵ دقیقه", NOW + timedelta(minutes=45)),
        ("+1h30m", NOW + timedelta(minutes=90)),
        ("+۱ ساعت و ۳۰ دقیقه", NOW + timedelta(minutes=90)),
        ("+1d", NOW + timedelta(days=1)),
        ("۲ ساعت دیگر", NOW + timedelta(hours=2)),
        ("۴۵ دقیقه بعد", NOW + timedelta(minutes=45)),
        ("in 2 hours", NOW + timedelta(hours=2)),
        ("3h", NOW + timedelta(hours=3)),
        ("۱۴۰۵/۰۹/۱۰ ۰۸:۰۰", tehran(2026, 12, 1, 8)),
        ("1405/9/10 8:00", tehran(2026, 12, 1, 8)),
        ("۱۴۰۵-۰۹-۱۰ ساعت ۰۸:۰۰", tehran(2026, 12, 1, 8)),
        ("۰۸:۰۰ ۱۴۰۵/۰۹/۱۰", tehran(2026, 12, 1, 8)),
        ("2026-12-01 08:00", tehran(2026, 12, 1, 8)),
        ("2026/12/01 8:00", tehran(2026, 12, 1, 8)),
        ("2026-12-01T08:00", tehran(2026, 12, 1, 8)),
        ("١٤٠٥/٠٩/١٠ ٠٨:٠٠", tehran(2026, 12, 1, 8)),
    ],
)
def test_accepted_forms(typed: str, expected: datetime) -> None:
    assert parse_when(typed, now=NOW, tz=TEHRAN) == expected


def test_result_is_aware_utc() -> None:
    when = parse_when("فردا ۸:۳۰", now=NOW, tz=TEHRAN)
    assert when.tzinfo is UTC
    assert (when.hour, when.minute) == (5, 0)  # 08:30 Tehran = 05:00 UTC, not a naive local time


def test_day_boundary_in_tehran_not_utc() -> None:
    # 23:00 UTC on 26 Nov is already 02:30 on 27 Nov in Tehran: "tomorrow" means 28 Nov there.
    late = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
    assert parse_when("فردا ۸:۰۰", now=late, tz=TEHRAN) == tehran(2026, 11, 28, 8)
    assert parse_when("۰۸:۰۰", now=late, tz=TEHRAN) == tehran(2026, 11, 27, 8)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", TimeParseReason.UNREADABLE),
        ("سلام", TimeParseReason.UNREADABLE),
        ("25:00", TimeParseReason.UNREADABLE),
        ("14:75", TimeParseReason.UNREADABLE),
        ("امروز", TimeParseReason.UNREADABLE),
        ("+", TimeParseReason.UNREADABLE),
        ("+0h", TimeParseReason.UNREADABLE),
        ("+2 parsecs", TimeParseReason.UNREADABLE),
        ("۱۴۰۵/۰۹/۱۰", TimeParseReason.UNREADABLE),
        ("۱۴۰۵/۱۳/۰۱ ۰۸:۰۰", TimeParseReason.NO_SUCH_DATE),
        ("۱۴۰۵/۰۷/۳۱ ۰۸:۰۰", TimeParseReason.NO_SUCH_DATE),
        ("2026-02-30 08:00", TimeParseReason.NO_SUCH_DATE),
        ("0999-01-01 08:00", TimeParseReason.NO_SUCH_DATE),
        ("09:00", TimeParseReason.PAST),
        ("۱۰:۰۰", TimeParseReason.PAST),
        ("۱۴۰۵/۰۹/۰۴ ۲۳:۵۹", TimeParseReason.PAST),
        ("2026-11-26 09:59", TimeParseReason.PAST),
        ("2028-01-01 08:00", TimeParseReason.TOO_FAR),
        ("+9999d", TimeParseReason.TOO_FAR),
    ],
)
def test_refused_with_reason(typed: str, reason: TimeParseReason) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_when(typed, now=NOW, tz=TEHRAN)
    assert caught.value.reason is reason
    assert caught.value.text == typed


def test_presets() -> None:
    assert tonight(NOW, TEHRAN) == tehran(2026, 11, 26, 21)
    assert tomorrow_morning(NOW, TEHRAN) == tehran(2026, 11, 27, 8)


def test_normalize_typed_folds_digits_letters_and_marks() -> None:
    assert normalize_typed("\u200fفردا  ۸:۳۰\u200e") == "فردا 8:30"
    assert normalize_typed("پس\u200cفردا") == "پس فردا"


@given(st.text(max_size=60))
def test_never_raises_anything_but_time_parse_error(typed: str) -> None:
    try:
        when = parse_when(typed, now=NOW, tz=TEHRAN)
    except TimeParseError:
        return
    assert when.tzinfo is UTC
    assert NOW < when <= NOW + timedelta(days=366)
