"""Pure scheduling decisions: the next free posting slot, quiet hours, what to do with a missed post.

All moments in and out are aware UTC datetimes; posting slots and quiet hours are wall-clock times
in the editors' time zone, so they stay put when the offset of that zone changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.desk.timeparse import at_local
from bot.text.analyze import fold_letters

MIN_LEAD = timedelta(minutes=1)  # a slot this close is too late to still be picked
_SEARCH_DAYS = 400


class Misfire(StrEnum):
    """What to do with a scheduled post found at start-up."""

    ARM = "arm"  # due in the future: wait for it
    PUBLISH = "publish"  # late, but within the grace period: publish now
    ASK = "ask"  # later than the grace period: ask the editor


def next_free_slot(
    now: datetime, slots: Sequence[time], tz: ZoneInfo, taken: Iterable[datetime] = ()
) -> datetime:
    """The first posting slot at least MIN_LEAD after `now` that no scheduled post occupies."""
    if not slots:
        raise ValueError("no posting slots configured")
    occupied = {_minute(moment) for moment in taken}
    local_today = now.astimezone(tz).date()
    for offset in range(_SEARCH_DAYS):
        day = local_today + timedelta(days=offset)
        for slot in sorted(slots):
            moment = at_local(day, slot, tz)
            if moment >= now + MIN_LEAD and _minute(moment) not in occupied:
                return moment
    raise ValueError("every posting slot of the coming year is taken")


def copy_due(
    published: datetime, slots: Sequence[time], tz: ZoneInfo, taken: Iterable[datetime] = ()
) -> datetime | None:
    """When a post's copy goes to a destination with its own posting `slots`: the first free one at or
    after the primary's publication (`next_free_slot`'s rule, the other copies waiting there `taken`);
    None for a destination without slots: the copy goes with the primary."""
    return next_free_slot(published, slots, tz, taken) if slots else None


def is_quiet(moment: datetime, quiet_hours: tuple[time, time] | None, tz: ZoneInfo) -> bool:
    """Whether `moment` falls in the quiet window [start, end) of local time (may wrap midnight)."""
    if quiet_hours is None:
        return False
    start, end = quiet_hours
    clock = moment.astimezone(tz).time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def rings(ring: bool | None, moment: datetime, quiet_hours: tuple[time, time] | None, tz: ZoneInfo) -> bool:
    """Whether a post going out at `moment` notifies subscribers: as chosen (🔔 / 🔕), else loud
    outside QUIET_HOURS and silent inside them."""
    return ring if ring is not None else not is_quiet(moment, quiet_hours, tz)


def is_urgent(headline: str, urgent_words: Iterable[str]) -> bool:
    """Whether a headline opens with one of URGENT_WORDS («فوری | …», «🔴 خبر فوری: …», «Breaking: …»),
    word by word with letters folded as the index folds them, so emoji and punctuation do not count."""
    words = _WORDS.findall(fold_letters(headline))
    for phrase in urgent_words:
        wanted = _WORDS.findall(fold_letters(phrase))
        if wanted and words[: len(wanted)] == wanted:
            return True
    return False


_WORDS = re.compile(r"\w+")


def misfire_decision(due: datetime, now: datetime, grace_minutes: int) -> Misfire:
    """Arm a future post, publish one at most `grace_minutes` late, ask about a later one."""
    if due > now:
        return Misfire.ARM
    if now - due <= timedelta(minutes=grace_minutes):
        return Misfire.PUBLISH
    return Misfire.ASK


def _minute(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(second=0, microsecond=0)
