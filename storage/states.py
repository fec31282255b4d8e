"""SQL for the post states (`bot.core.status.PostStatus`): the one way a query filters by state."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.status import PostStatus


def sql_in(states: Iterable[PostStatus], column: str = "status") -> str:
    """`status IN ('draft', …)` for a set of states (constant text: the values are ours, not input)."""
    values = ", ".join(f"'{state.value}'" for state in sorted(states))
    return f"{column} IN ({values})"
