"""Posting slots, quiet hours and the decision about posts missed while the bot was down."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.publishing.slots import Misfire, copy_due, is_quiet, misfire_decision, next_free_slot

TEHRAN = ZoneInfo("Asia/Tehran")
SLOTS = (time(8), time(12), time(18), time(21))


def tehran(d: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, 11, d, h, mi, tzinfo=TEHRAN).astimezone(UTC)


def test_next_slot_today() -> None:
    assert next_free_slot(tehran(26, 10), SLOTS, TEHRAN) == tehran(26, 12)


def test_next_slot_rolls_to_tomorrow_after_last_slot() -> None:
    assert next_free_slot(tehran(26, 21, 30), SLOTS, TEHRAN) == tehran(27, 8)


def test_slot_too_close_is_skipped() -> None:
    assert next_free_slot(
        tehran(
            26,
            11,
            59,
        )
        + timedelta(seconds=30),
        SLOTS,
        TEHRAN,
    ) == tehran(26, 18)


def test_taken_slots_are_skipped_by_minute() -> None:
    taken = [tehran(26, 12), tehran(26, 18) + timedelta(seconds=20)]
    assert next_free_slot(tehran(26, 10), SLOTS, TEHRAN, taken) == tehran(26, 21)


def test_slots_order_does_not_matter() -> None:
    assert next_free_slot(tehran(26, 10), tuple(reversed(SLOTS)), TEHRAN) == tehran(26, 12)


def test_all_slots_taken_raises() -> None:
    now = tehran(26, 10)
    taken = [now + timedelta(days=d, hours=2) for d in range(0, 401)]
    with pytest.raises(ValueError):
        next_free_slot(now, (time(12),), TEHRAN, taken)


def test_no_slots_raises() -> None:
    with pytest.raises(ValueError):
        next_free_slot(tehran(26, 10), (), TEHRAN)


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(22, 59, False), (23, 0, True), (2, 0, True), (6, 59, True), (7, 0, False), (12, 0, False)],
)
def test_quiet_hours_wrapping_midnight(hour: int, minute: int, quiet: bool) -> None:
    assert is_quiet(tehran(26, hour, minute), (time(23), time(7)), TEHRAN) is quiet


def test_quiet_hours_same_day_window_and_none() -> None:
    assert is_quiet(tehran(26, 13), (time(12), time(14)), TEHRAN)
    assert not is_quiet(tehran(26, 14), (time(12), time(14)), TEHRAN)
    assert not is_quiet(tehran(26, 13), None, TEHRAN)
    assert not is_quiet(tehran(26, 13), (time(12), time(12)), TEHRAN)


def test_quiet_hours_use_local_time_not_utc() -> None:
    # 20:00 UTC is 23:30 in Tehran: quiet there, though 20:00 is outside 23:00-07:00.
    assert is_quiet(datetime(2026, 11, 26, 20, 0, tzinfo=UTC), (time(23), time(7)), TEHRAN)


def test_misfire_decision() -> None:
    now = tehran(26, 10)
    assert misfire_decision(now + timedelta(seconds=1), now, 30) is Misfire.ARM
    assert misfire_decision(now, now, 30) is Misfire.PUBLISH
    assert misfire_decision(now - timedelta(minutes=30), now, 30) is Misfire.PUBLISH
    assert misfire_decision(now - timedelta(minutes=30, seconds=1), now, 30) is Misfire.ASK
    assert misfire_decision(now - timedelta(seconds=1), now, 0) is Misfire.ASK


def test_a_copy_without_slots_of_its_own_goes_with_the_primary() -> None:
    assert copy_due(tehran(26, 10), (), TEHRAN) is None


def test_a_copy_with_slots_waits_for_the_first_free_one_at_or_after_the_publication() -> None:
    assert copy_due(tehran(26, 10), (time(18), time(9)), TEHRAN) == tehran(26, 18)
    assert copy_due(tehran(26, 17, 59), (time(18),), TEHRAN) == tehran(26, 18)  # MIN_LEAD away: still it
    assert copy_due(tehran(26, 18), (time(18),), TEHRAN) == tehran(27, 18)  # closer: the desk's rule
    assert copy_due(tehran(26, 19), (time(18), time(9)), TEHRAN) == tehran(27, 9)  # past the last: tomorrow
    taken = [tehran(26, 18)]  # another post's copy waits there already
    assert copy_due(tehran(26, 10), (time(18), time(21)), TEHRAN, taken) == tehran(26, 21)
