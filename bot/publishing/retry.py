"""How the bot retries what Telegram did not take: one policy object, passed to the publisher, the
rate limiter and the scheduler, so each rule has one home.

- A message that certainly did not arrive (Telegram answered 5xx, the connection was never made) is
  sent again, `max_attempts` times in all, waiting `backoff(attempt)` between tries.
- A flood answer (429 `retry_after`) is waited out: `rate_limiter_retries` times inside PTB's rate
  limiter for any request, and up to `max_flood_waits` times per channel message by the publisher.
- When publishing due posts fails as a whole (e.g. a locked database), the schedule tries again after
  `schedule_retry_seconds`.
- The schedule's timer fires at least every `schedule_recheck_seconds`, so a wall clock that jumps
  forward makes a post at most that late.
- At a stop, a publication still running after `stop_grace_seconds` is cut off (SIGTERM must end
  within 10 s, also during a 120 s flood wait); `WireRateLimiter` tells whether its request was with
  Telegram, so a post cut off before it left resumes at the next start instead of being uncertain.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempts and waits for requests that did not go through."""

    max_attempts: int = 6
    backoff_seconds: float = 1.0
    max_flood_waits: int = 20
    rate_limiter_retries: int = 2
    schedule_retry_seconds: float = 5.0
    schedule_recheck_seconds: float = 60.0  # the schedule looks for due posts at least this often
    stop_grace_seconds: float = 4.0

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1, 2, …): doubling each time."""
        return self.backoff_seconds * 2 ** (attempt - 1)


DEFAULT_RETRY = RetryPolicy()


@dataclass(slots=True)
class Wire:
    """Whether a channel request of the publisher may be with Telegram unanswered right now. While
    it is not (waiting for the rate limiter, or out a flood wait), a stop may cut the send off and
    the post resumes at the next start; while it is, the part is uncertain."""

    left: bool = True  # without a limiter that says otherwise, a request in progress may have left


ON_WIRE: ContextVar[Wire | None] = ContextVar("on_wire", default=None)
"""The publisher's `Wire` for the send in progress in this task (None for every other request)."""


class WireRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter that tells the publisher (`ON_WIRE`) when its request is actually with
    Telegram: not while the limiter holds it back or waits out a 429 (PTB sleeps `retry_after` inside
    the request), so a stop during a 120 s flood wait knows that nothing was sent."""

    async def process_request(  # type: ignore[override]
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        wire = ON_WIRE.get()
        if wire is None:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        wire.left = False

        async def sent(*call_args: Any, **call_kwargs: Any) -> bool | dict[str, Any] | list[dict[str, Any]]:
            wire.left = True
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter:  # answered: nothing was done, and the limiter now waits
                wire.left = False
                raise

        return await super().process_request(sent, args, kwargs, endpoint, data, rate_limit_args)
