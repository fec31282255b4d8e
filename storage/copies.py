"""The copies ledger: each request of a post's copy in another destination (bot/publishing/copies.py).

A row per (post, destination, part): every request of a copy is `planned` at once (so a copy cut off
halfway is finished at the next start), `sending` is written before the request leaves, then `sent`
with the message ids it got, `failed` (refused, or the network never reached) with why, or `uncertain`
(the request left and no clear answer came, or the bot stopped while it was out). The primary
channel's ledger stays `articles.channel_message_ids`.

And where each post goes (`post_destinations`): the editor's toggles under its preview, one row per
destination toggled; no row is the destination's default (bot.destinations.going).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.core.status import EDITABLE
from storage.connection import Connection, from_db_time, to_db_time
from storage.states import sql_in

CopyState = Literal["planned", "sending", "sent", "failed", "uncertain"]


@dataclass(frozen=True, slots=True)
class CopyRow:
    """One request of a copy, as the ledger holds it."""

    article_id: int
    destination: str
    part: int
    state: CopyState
    message_ids: tuple[int, ...] = ()
    detail: str = ""
    due: datetime | None = None  # a planned copy waiting for its destination's own slot; None: at once


class Copies(Connection):
    """The copies of posts in the other destinations."""

    async def copy_rows(self, article_id: int) -> list[CopyRow]:
        """Every recorded request of the post's copies, by destination then part."""
        rows = await self._conn.execute_fetchall(
            "SELECT article_id, destination, part, state, message_ids, detail, due FROM copies"
            " WHERE article_id = ? ORDER BY destination, part",
            (article_id,),
        )
        return [_row(row) for row in rows]

    async def first_copy_ids(
        self, article_ids: Sequence[int], destinations: Sequence[str]
    ) -> dict[tuple[int, str], int]:
        """The first known message id of each sent copy of `article_ids` in `destinations`, by (post,
        destination): where a link to the copy points. A part the editor confirmed by hand (✅, its id
        never learnt: recorded as -1) is skipped for the next one."""
        if not article_ids or not destinations:
            return {}
        posts, keys = ",".join("?" * len(article_ids)), ",".join("?" * len(destinations))
        rows = await self._conn.execute_fetchall(
            "SELECT article_id, destination, message_ids FROM copies WHERE state = 'sent'"
            f" AND article_id IN ({posts}) AND destination IN ({keys}) ORDER BY part",
            (*article_ids, *destinations),
        )
        found: dict[tuple[int, str], int] = {}
        for article_id, destination, message_ids in rows:
            known = [i for i in json.loads(message_ids or "[]") if isinstance(i, int) and i > 0]
            if known:
                found.setdefault((article_id, destination), known[0])
        return found

    async def record_copy(
        self,
        article_id: int,
        destination: str,
        part: int,
        state: CopyState,
        message_ids: Sequence[int] = (),
        detail: str = "",
    ) -> None:
        """Write one request's state (replacing what was recorded of it; its due time stays)."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO copies (article_id, destination, part, state, message_ids, detail, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, destination, part) DO UPDATE"
                " SET state = excluded.state, message_ids = excluded.message_ids,"
                " detail = excluded.detail, at = excluded.at",
                (article_id, destination, part, state, json.dumps(list(message_ids)), detail, self._now()),
            )

    async def plan_copy(
        self, article_id: int, destination: str, parts: int, due: datetime | None = None
    ) -> None:
        """Record the `parts` requests of a copy as `planned` (to go at `due`; None: now), all in one
        transaction."""
        at, when = self._now(), to_db_time(due) if due is not None else None
        async with self._transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO copies"
                " (article_id, destination, part, state, message_ids, detail, at, due)"
                " VALUES (?, ?, ?, 'planned', '[]', '', ?, ?)",
                [(article_id, destination, part, at, when) for part in range(parts)],
            )

    async def copy_slots_taken(self, destination: str, after: datetime) -> list[datetime]:
        """The slots of `destination` from `after` on that a copy already waits for or went out at."""
        rows = await self._conn.execute_fetchall(
            "SELECT DISTINCT due FROM copies WHERE destination = ? AND due >= ?",
            (destination, to_db_time(after)),
        )
        return [moment for (value,) in rows if (moment := from_db_time(value)) is not None]

    async def forget_copy_parts(self, article_id: int, destination: str, states: Sequence[CopyState]) -> int:
        """Drop the post's requests in `states` for `destination` (to send them again); how many."""
        marks = ",".join("?" * len(states))
        async with self._transaction() as conn:
            cursor = await conn.execute(
                f"DELETE FROM copies WHERE article_id = ? AND destination = ? AND state IN ({marks})",
                (article_id, destination, *states),
            )
            return cursor.rowcount

    async def copies_left_sending(self) -> list[CopyRow]:
        """Requests a stopped bot left out (`sending`), now `uncertain`: each is put to the editor."""
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT article_id, destination, part, state, message_ids, detail, due FROM copies"
                " WHERE state = 'sending' ORDER BY article_id, destination, part"
            )
            await conn.execute("UPDATE copies SET state = 'uncertain' WHERE state = 'sending'")
        return [_row(row) for row in rows]

    async def destination_known_since(self, destination: str, now: datetime) -> datetime:
        """Since when `destination` is known (recorded now, the first time): older posts are not copied."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO destinations_known (destination, since) VALUES (?, ?)",
                (destination, to_db_time(now)),
            )
            rows = await conn.execute_fetchall(
                "SELECT since FROM destinations_known WHERE destination = ?", (destination,)
            )
        since = from_db_time(rows[0][0])
        assert since is not None
        return since

    async def posts_with_copy_to_send(
        self, destination: str, since: datetime, *, default_on: bool = True
    ) -> list[int]:
        """Posts published by the bot since `since`, still up, that go to `destination` (toggled so, or
        by its default) and whose copy there was never begun or has requests still `planned`."""
        rows = await self._conn.execute_fetchall(
            "SELECT id FROM articles WHERE source = 'bot' AND status = 'published' AND deleted = 0"
            " AND published_at >= ? AND (id NOT IN (SELECT article_id FROM copies WHERE destination = ?)"
            " OR id IN (SELECT article_id FROM copies WHERE destination = ? AND state = 'planned'))"
            " AND COALESCE((SELECT is_on FROM post_destinations WHERE article_id = articles.id"
            " AND destination = ?), ?) = 1"
            " ORDER BY published_at",
            (to_db_time(since), destination, destination, destination, int(default_on)),
        )
        return [row[0] for row in rows]

    async def destination_choices(self, article_ids: Sequence[int]) -> dict[int, dict[str, bool]]:
        """The destinations toggled under each post's preview (on or off); a post none was: absent."""
        marks = ",".join("?" * len(article_ids))
        rows = await self._conn.execute_fetchall(
            f"SELECT article_id, destination, is_on FROM post_destinations WHERE article_id IN ({marks})",
            tuple(article_ids),
        )
        found: dict[int, dict[str, bool]] = {}
        for article_id, destination, is_on in rows:
            found.setdefault(article_id, {})[destination] = bool(is_on)
        return found

    async def choose_destination(self, article_id: int, destination: str, on: bool) -> bool:
        """Toggle a destination of a post not yet sent; False (nothing written) once it is past that
        point: the check and the write are one transaction, so a post being published keeps its plan."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR REPLACE INTO post_destinations (article_id, destination, is_on)"
                f" SELECT id, ?, ? FROM articles WHERE id = ? AND deleted = 0 AND {sql_in(EDITABLE)}",
                (destination, int(on), article_id),
            )
            return cursor.rowcount == 1


def _row(row: Sequence[object]) -> CopyRow:
    article_id, destination, part, state, message_ids, detail, due = row
    ids = tuple(json.loads(message_ids)) if isinstance(message_ids, str) else ()
    when = from_db_time(due) if isinstance(due, str) else None
    return CopyRow(article_id, destination, part, state, ids, detail or "", when)  # type: ignore[arg-type]
