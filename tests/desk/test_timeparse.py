"""Typed publication times: formats, digits, time zone, and the refusals."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import messages as msg
from bot.desk.timeparse import (
    MAX_AHEAD,
    MAX_TYPED_CHARS,
    Assumption,
    TimeParseError,
    TimeParseReason,
    TypedTime,
    normalize_typed,
    parse_when,
    read_time,
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
        # The one year rule (bot.text.jalali.typed_date), as search reads it too: 1300–1499 Jalali,
        # 1900–2199 Gregorian, any other year no date.
        ("۱۵۵۰/۰۱/۰۱ ۰۸:۰۰", TimeParseReason.NO_SUCH_DATE),
        ("1899-12-31 08:00", TimeParseReason.NO_SUCH_DATE),
        ("۱۰ آذر ۱۵۵۰ ۹:۰۰", TimeParseReason.NO_SUCH_DATE),
        ("09:00", TimeParseReason.PAST),
        ("۰۹:۵۹", TimeParseReason.PAST),
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


# — the phrase table: what editors type, read against fixed clocks —

AT_NOON = datetime(2026, 11, 26, 8, 30, tzinfo=UTC)  # Thursday 5 Azar 1405, 12:00 in Tehran
LATE = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # the same Thursday, 22:30 in Tehran
FIRST_SLOT = time(8, 0)  # the default first posting slot (bot.config)


@dataclass(frozen=True)
class Row:
    typed: str
    expected: datetime | timedelta | TimeParseReason  # Tehran wall clock, a delta from now, or a refusal
    assumption: Assumption | None = None
    now: datetime = NOW  # Thursday 10:00

    def __str__(self) -> str:
        return self.typed


def local(mo: int, d: int, h: int, mi: int = 0, y: int = 2026) -> datetime:
    """A Tehran wall-clock moment, naive: the table is read as an editor reads it."""
    return datetime(y, mo, d, h, mi)


F, A, W, Y = Assumption.FIRST_SLOT, Assumption.AFTERNOON, Assumption.NEXT_WEEK, Assumption.NEXT_YEAR
MIN = timedelta(minutes=1)
R = TimeParseReason

TABLE = [
    # relative: number words, نیم and ربع, digits of three scripts, units in two languages
    Row("نیم ساعت دیگر", 30 * MIN),
    Row("ده دقیقه دیگر", 10 * MIN),
    Row("پنج دقیقه دیگر", 5 * MIN),
    Row("بیست دقیقه بعد", 20 * MIN),
    Row("چهل و پنج دقیقه دیگر", 45 * MIN),
    Row("شصت دقیقه دیگر", 60 * MIN),
    Row("یک ربع دیگر", 15 * MIN),
    Row("ربع ساعت دیگه", 15 * MIN),
    Row("سه ربع دیگر", 45 * MIN),
    Row("یه ساعت دیگه", 60 * MIN),
    Row("۲ ساعت دیگر", 120 * MIN),
    Row("٢ ساعت ديگر", 120 * MIN),
    Row("دو ساعت و نیم دیگر", 150 * MIN),
    Row("دو و نیم ساعت دیگر", 150 * MIN),
    Row("یک ساعت و نیم دیگر", 90 * MIN),
    Row("۱ ساعت و ۳۰ دقیقه دیگر", 90 * MIN),
    Row("دو ساعت و یک ربع دیگر", 135 * MIN),
    Row("+2h", 120 * MIN),
    Row("+1h30m", 90 * MIN),
    Row("+۱ ساعت و ۳۰ دقیقه", 90 * MIN),
    Row("in 20 min", 20 * MIN),
    Row("in an hour", 60 * MIN),
    Row("in half an hour", 30 * MIN),
    Row("2 hours later", 120 * MIN),
    Row("تا ۱۰ دقیقه دیگه", 10 * MIN),
    Row("۳ روز دیگر", 3 * 1440 * MIN),
    Row("یک هفته دیگر", 7 * 1440 * MIN),
    Row("   نیم    ساعت  دیگر ", 30 * MIN),
    # parts of the day (Thursday 26 Nov 2026 = 5 Azar 1405, 10:00)
    Row("ظهر", local(11, 26, 12)),
    Row("عصر", local(11, 26, 17)),
    Row("امروز عصر", local(11, 26, 17)),
    Row("امشب", local(11, 26, 21)),
    Row("صبح فردا", local(11, 27, 8)),
    Row("فردا صبح", local(11, 27, 8)),
    Row("فردا ظهر", local(11, 27, 12)),
    Row("فردا عصر", local(11, 27, 17)),
    Row("ساعت ۲ بعدازظهر", local(11, 26, 14)),
    Row("ساعت ۲ بعد از ظهر", local(11, 26, 14)),
    Row("۲ بعد\u200cاز\u200cظهر", local(11, 26, 14)),
    Row("۳ ب.ظ", local(11, 26, 15)),
    Row("۸ شب", local(11, 26, 20)),
    Row("ساعت ۹ و نیم شب", local(11, 26, 21, 30)),
    Row("ساعت پنج عصر", local(11, 26, 17)),
    Row("فردا ۷ صبح", local(11, 27, 7)),
    Row("9 a.m. tomorrow", local(11, 27, 9)),
    Row("5 pm", local(11, 26, 17)),
    Row("نیمه شب", local(11, 27, 0)),
    Row("۱۲ شب", local(11, 27, 0)),
    Row("امشب ساعت ۱", local(11, 27, 1)),
    Row("۷ صبح", R.PAST),
    Row("۱۸ صبح", R.UNREADABLE),
    # clocks
    Row("14.30", local(11, 26, 14, 30)),
    Row("14٫30", local(11, 26, 14, 30)),
    Row("۱۴٫۳۰", local(11, 26, 14, 30)),
    Row("ساعت يازده", local(11, 26, 11)),
    Row("۱۰:۰۰", local(11, 26, 22), A),  # typed at 10:00 sharp: the morning one is not ahead
    # bare days: the first posting slot, said
    Row("فردا", local(11, 27, 8), F),
    Row("پس‌فردا", local(11, 28, 8), F),
    Row("یکشنبه", local(11, 29, 8), F),
    Row("پنجشنبه", local(12, 3, 8), F),  # today's slot has passed: next week's, shown by its date
    Row("۱۰ آذر", local(12, 1, 8), F),
    Row("2026-12-01", local(12, 1, 8), F),
    Row("امروز", R.PAST),  # today's first slot, 08:00, has passed
    Row("فردا ۲:۳۰", local(11, 27, 2, 30)),  # a named day: the hour as written
    # weekdays: the next occurrence, today if still ahead
    Row("شنبه ساعت ۹", local(11, 28, 9)),
    Row("saturday 9:00", local(11, 28, 9)),
    Row("پنجشنبه ۱۸:۳۰", local(11, 26, 18, 30)),
    Row("پنج شنبه ۱۸:۳۰", local(11, 26, 18, 30)),
    Row("پنج‌شنبه ۹", local(12, 3, 9), W),
    Row("جمعه ۱۰ صبح", local(11, 27, 10)),
    Row("سه شنبه ساعت ۸", local(12, 1, 8)),
    Row("سه‌شنبه ۸", local(12, 1, 8)),
    Row("سهشنبه ۸:۰۰", local(12, 1, 8)),
    Row("يكشنبه ۱۴:۰۰", local(11, 29, 14)),
    Row("دوشنبه عصر", local(11, 30, 17)),
    Row("چهارشنبه شب", local(12, 2, 21)),
    Row("سه شنبه ۱۰ آذر ساعت ۹", local(12, 1, 9)),
    Row("شنبه ۱۰ آذر", R.NO_SUCH_DATE),  # 10 Azar 1405 is a Tuesday
    # Jalali dates, by month name or number
    Row("۱۰ آذر ساعت ۹", local(12, 1, 9)),
    Row("۱۰ اذر ساعت ۹", local(12, 1, 9)),
    Row("۱۰ آذر ماه ساعت ۹", local(12, 1, 9)),
    Row("۱۰ آذر ۱۴۰۵ ۹:۰۰", local(12, 1, 9)),
    Row("۱۴۰۵/۹/۱۰ ۰۹:۰۰", local(12, 1, 9)),
    Row("۱۴۰۵.۹.۱۰ ۹:۰۰", local(12, 1, 9)),
    Row("10 azar 9:00", local(12, 1, 9)),
    Row("۵ آذر ۱۸:۰۰", local(11, 26, 18)),
    Row("۱ فروردین ساعت ۱۰", local(3, 21, 10, y=2027), Y),
    Row("۱۵ ارديبهشت ۸:۳۰", local(5, 5, 8, 30, y=2027), Y),
    Row("۱۵ اردبیهشت ۸:۳۰", local(5, 5, 8, 30, y=2027), Y),
    Row("۵ آذر ۹:۰۰", R.PAST),
    Row("۳۱ مهر ساعت ۹", R.NO_SUCH_DATE),
    Row("۱۰ آذر ۲۰۲۶ ۹:۰۰", R.NO_SUCH_DATE),
    Row("2026-12-01 08:00", local(12, 1, 8)),
    # 12-hour readings at noon: an hour whose morning has passed is its afternoon, and says so
    Row("2:30", local(11, 26, 14, 30), A, AT_NOON),
    Row("۲:۳۰", local(11, 26, 14, 30), A, AT_NOON),
    Row("ساعت ۲", local(11, 26, 14), A, AT_NOON),
    Row("ساعت ۳ و ربع", local(11, 26, 15, 15), A, AT_NOON),
    Row("امروز ۴", local(11, 26, 16), A, AT_NOON),
    Row("11:30", local(11, 26, 23, 30), A, AT_NOON),
    Row("12:30", local(11, 26, 12, 30), None, AT_NOON),
    Row("14:30", local(11, 26, 14, 30), None, AT_NOON),
    Row("02:30", R.PAST, None, AT_NOON),  # a leading zero is a 24-hour time
    Row("۲:۳۰ صبح", R.PAST, None, AT_NOON),
    Row("10:45", local(11, 26, 22, 45), A, LATE),
    Row("9:00", R.PAST, None, LATE),  # both 09:00 and 21:00 have passed: never tomorrow
    Row("امشب", R.PAST, None, LATE),
    # refusals
    Row("دیروز عصر", R.UNREADABLE),
    Row("فردا پس فردا", R.UNREADABLE),
    Row("ساعت", R.UNREADABLE),
    Row("pm", R.UNREADABLE),
    Row("+999999999999d", R.TOO_FAR),
    Row("ساعت ۹ " * 20, R.UNREADABLE),
]


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) >= 60
    assert len({row.typed for row in TABLE}) == len(TABLE) - 1  # «امشب» twice, on two clocks


@pytest.mark.parametrize("row", TABLE, ids=str)
def test_phrase_table(row: Row) -> None:
    if isinstance(row.expected, TimeParseReason):
        with pytest.raises(TimeParseError) as caught:
            read_time(row.typed, now=row.now, tz=TEHRAN, first_slot=FIRST_SLOT)
        assert caught.value.reason is row.expected
        return
    typed = read_time(row.typed, now=row.now, tz=TEHRAN, first_slot=FIRST_SLOT)
    if isinstance(row.expected, timedelta):
        assert typed.when == row.now + row.expected
    else:
        assert typed.when.astimezone(TEHRAN).replace(tzinfo=None) == row.expected
    assert typed.when.tzinfo is UTC
    assert typed.assumption is row.assumption


def test_read_time_is_frozen_and_parse_when_agrees() -> None:
    typed = read_time("فردا ۸:۳۰", now=NOW, tz=TEHRAN, first_slot=FIRST_SLOT)
    assert typed == TypedTime(tehran(2026, 11, 27, 8, 30), None)
    with pytest.raises(AttributeError):
        typed.when = NOW  # type: ignore[misc]
    assert parse_when("فردا ۸:۳۰", now=NOW, tz=TEHRAN) == typed.when


def test_a_bare_day_without_a_slot_asks_for_the_hour() -> None:
    for typed in ("فردا", "شنبه", "۱۰ آذر"):
        with pytest.raises(TimeParseError) as caught:
            parse_when(typed, now=NOW, tz=TEHRAN)
        assert caught.value.reason is TimeParseReason.UNREADABLE


@pytest.mark.parametrize(
    ("typed", "now", "meant"),
    [
        ("۷ صبح", NOW, tehran(2026, 11, 26, 7)),
        ("9:00", LATE, tehran(2026, 11, 26, 9)),  # the morning reading, as written
        ("۵ آذر ۹:۰۰", NOW, tehran(2026, 11, 26, 9)),
        ("امشب", LATE, tehran(2026, 11, 26, 21)),
    ],
)
def test_a_past_time_says_which_moment_it_meant(typed: str, now: datetime, meant: datetime) -> None:
    with pytest.raises(TimeParseError) as caught:
        read_time(typed, now=now, tz=TEHRAN, first_slot=FIRST_SLOT)
    assert caught.value.reason is TimeParseReason.PAST
    assert caught.value.meant == meant


def test_a_text_longer_than_a_time_is_refused_whatever_it_holds() -> None:
    long = "ساعت " + " " * MAX_TYPED_CHARS + "۹"
    with pytest.raises(TimeParseError) as caught:
        parse_when(long, now=NOW, tz=TEHRAN)
    assert caught.value.reason is TimeParseReason.UNREADABLE


@pytest.mark.parametrize("assumption", list(Assumption))
@pytest.mark.parametrize("lang", [msg.FA, msg.EN])
def test_every_assumption_is_said_to_the_editor(assumption: Assumption, lang: str) -> None:
    shown = msg.when(tehran(2026, 12, 1, 8), TEHRAN, lang)
    said = msg.text(f"time_assumed_{assumption}", lang, typed="فردا", when=shown)
    assert shown in said and "فردا" in said


# — properties: any text, any clock —

WORDS = sorted(
    {word for row in TABLE for word in row.typed.split()} | {"0", "24", "99", "00:00", "1499/12/30"}
)
CLOCKS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(WORDS), max_size=7).map(" ".join)), CLOCKS)
def test_any_text_at_any_clock_is_a_future_moment_or_a_refusal(typed: str, now: datetime) -> None:
    try:
        read = read_time(typed, now=now, tz=TEHRAN, first_slot=FIRST_SLOT)
    except TimeParseError as error:
        assert error.meant is None or error.meant <= now
        return
    assert read.when.tzinfo is UTC
    assert now < read.when <= now + MAX_AHEAD
