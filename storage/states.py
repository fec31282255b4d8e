"""SQL for the post states (`bot.core.status.PostStatus`): the one way a query filters by state."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.status import PostStatus


def sql_in(states: Iterable[PostStatus], column: str = "status") -> str:
    """`status IN ('draft', …)` for a set of states (constant text: the values are ours, not input)."""
    values = ", ".join(f"'{state.value}'" for state in sorted(states))
    return f"{column} IN ({values})"


# A searchable article: published and not deleted.
LIVE = f"status = '{PostStatus.PUBLISHED}' AND deleted = 0"
# The same test kept off indexes ('+'): next to `search_key` it must not make SQLite scan every published
# row through the status index (300 ms at 100k articles instead of 0.3 ms).
LIVE_ROW = f"+status = '{PostStatus.PUBLISHED}' AND +deleted = 0"
