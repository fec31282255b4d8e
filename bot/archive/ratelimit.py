"""Per-user limit on subscriber searches: a sliding window of each user's recent searches.

`SearchRateLimiter.hit(user_id)` records one search and says whether it may run; when it may not, it
also says how many seconds until the oldest search in the window expires, so the bot can tell the
user when to try again. The limiter lives in memory (one bot process); `clock` is injectable so tests
need no sleeping. Idle users are forgotten, so memory follows the number of *active* users.
The query length cap is not here: `bot.text.query.parse_query` cuts every query (and says so).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

SEARCHES_PER_WINDOW = 20
WINDOW_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class RateDecision:
    """The verdict for one search: allowed, or refused with the whole seconds to wait."""

    allowed: bool
    retry_after: int = 0


class SearchRateLimiter:
    """At most `limit` searches per user in any `window` seconds (a true sliding window)."""

    def __init__(
        self,
        limit: int = SEARCHES_PER_WINDOW,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be ≥ 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}
        self._next_sweep = clock() + window

    def hit(self, user_id: int) -> RateDecision:
        """Count one search by `user_id` if the window has room; refused searches are not counted."""
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        stamps = self._recent.get(user_id)
        if stamps is None:
            stamps = self._recent[user_id] = deque()
        cutoff = now - self.window
        while stamps and stamps[0] <= cutoff:
            stamps.popleft()
        if len(stamps) >= self.limit:
            return RateDecision(False, max(1, math.ceil(stamps[0] - cutoff)))
        stamps.append(now)
        return RateDecision(True)

    def tracked_users(self) -> int:
        """How many users currently have searches inside the window (for tests and monitoring)."""
        self._sweep(self._clock())
        return len(self._recent)

    def _sweep(self, now: float) -> None:
        cutoff = now - self.window
        idle = [user for user, stamps in self._recent.items() if not stamps or stamps[-1] <= cutoff]
        for user in idle:
            del self._recent[user]
        self._next_sweep = now + self.window
