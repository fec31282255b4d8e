"""The subscriber search limiter: a sliding window per user, driven by a fake clock."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.archive.ratelimit import SearchRateLimiter


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_up_to_the_limit_then_refuses_with_wait_time():
    clock = FakeClock()
    limiter = SearchRateLimiter(limit=20, window=60, clock=clock)
    for i in range(20):
        clock.now += 1
        assert limiter.hit(7).allowed, i
    refused = limiter.hit(7)
    assert not refused.allowed
    # first search was at t=1001, window 60 s, now t=1020 → 41 s until it leaves the window
    assert refused.retry_after == 41


def test_window_slides_instead_of_resetting():
    clock = FakeClock()
    limiter = SearchRateLimiter(limit=3, window=10, clock=clock)
    for _ in range(3):
        assert limiter.hit(1).allowed
        clock.now += 4  # searches at 1000, 1004, 1008
    # now 1012: the one at 1000 left the window, so exactly one more is allowed
    assert limiter.hit(1).allowed
    assert not limiter.hit(1).allowed
    clock.now = 1014.5  # 1004 has left too
    assert limiter.hit(1).allowed
    assert not limiter.hit(1).allowed


def test_refused_searches_do_not_extend_the_penalty():
    clock = FakeClock()
    limiter = SearchRateLimiter(limit=2, window=10, clock=clock)
    assert limiter.hit(1).allowed
    assert limiter.hit(1).allowed
    for _ in range(50):
        clock.now += 0.1
        assert not limiter.hit(1).allowed
    clock.now = 1010.0
    assert limiter.hit(1).allowed


def test_users_are_independent():
    clock = FakeClock()
    limiter = SearchRateLimiter(limit=1, window=60, clock=clock)
    assert limiter.hit(1).allowed
    assert not limiter.hit(1).allowed
    assert limiter.hit(2).allowed


def test_idle_users_are_forgotten():
    clock = FakeClock()
    limiter = SearchRateLimiter(limit=5, window=60, clock=clock)
    for user in range(1000):
        limiter.hit(user)
    assert limiter.tracked_users() == 1000
    clock.now += 61
    limiter.hit(5000)
    assert limiter.tracked_users() == 1


def test_retry_after_is_at_least_one_second():
    clock = FakeClock()
    limiter = SearchRateLimiter(limit=1, window=1, clock=clock)
    limiter.hit(1)
    clock.now += 0.999
    decision = limiter.hit(1)
    assert not decision.allowed and decision.retry_after == 1


def test_bad_configuration_is_refused():
    with pytest.raises(ValueError):
        SearchRateLimiter(limit=0)
    with pytest.raises(ValueError):
        SearchRateLimiter(window=0)


@given(st.lists(st.floats(min_value=0, max_value=5, allow_nan=False), max_size=80))
def test_never_more_than_limit_in_any_window(gaps):
    clock = FakeClock()
    limiter = SearchRateLimiter(limit=4, window=10, clock=clock)
    allowed_at: list[float] = []
    for gap in gaps:
        clock.now += gap
        if limiter.hit(1).allowed:
            allowed_at.append(clock.now)
    for t in allowed_at:
        assert sum(1 for u in allowed_at if t - 10 < u <= t) <= 4
