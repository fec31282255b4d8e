"""How the bot retries what Telegram did not take: one policy object, passed to the publisher, the
rate limiter and the scheduler, so each rule has one home.

- A message that certainly did not arrive (Telegram answered 5xx, the connection was never made) is
  sent again, `max_attempts` times in all, waiting `backoff(attempt)` between tries.
- A flood answer (429 `retry_after`) is waited out: `rate_limiter_retries` times inside PTB's rate
  limiter for any request, and up to `max_flood_waits` times per channel message by the publisher.
- When publishing due posts fails as a whole (e.g. a locked database), the schedule tries again after
  `schedule_retry_seconds`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempts and waits for requests that did not go through."""

    max_attempts: int = 6
    backoff_seconds: float = 1.0
    max_flood_waits: int = 20
    rate_limiter_retries: int = 2
    schedule_retry_seconds: float = 5.0

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1, 2, …): doubling each time."""
        return self.backoff_seconds * 2 ** (attempt - 1)


DEFAULT_RETRY = RetryPolicy()
