"""Every post's history (`post_history`, `bot.core.history`) and the names the desk knows its editors by
(`editor_names`).

An entry's channel messages are kept as JSON `{"sent": [...], "edited": [...], "deleted": [...]}` and
what changed as JSON holding only what the act has (a correction's words, a publication's 🔔 or 🔕,
replaced files' places, why it stopped): a row stays small for the common acts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.core.history import Act, HistoryEntry, Writes
from storage.connection import Connection, from_db_time, to_db_time

_DEFAULTS = {
    "removed": (), "added": (), "ring": None, "items": (), "complete": True, "reason": "", "destination": "",
}  # fmt: skip


def _detail(entry: HistoryEntry) -> str:
    """What changed, without the fields left at their defaults."""
    values = {name: getattr(entry, name) for name in _DEFAULTS}
    kept = {name: value for name, value in values.items() if value != _DEFAULTS[name]}
    return json.dumps(kept, ensure_ascii=False)


def _entry(row: Sequence) -> HistoryEntry:
    row_id, article_id, at, act, editor_id, editor_name, writes, detail = row
    values = json.loads(detail)
    for name in ("removed", "added", "items"):
        values[name] = tuple(values.get(name, ()))
    at_time = from_db_time(at)
    assert at_time is not None  # NOT NULL
    return HistoryEntry(
        article_id, Act(act), at_time, editor_id, Writes(**json.loads(writes)),
        editor_name=editor_name, id=row_id, **values,
    )  # fmt: skip


_SELECT = "SELECT id, article_id, at, act, editor_id, editor_name, writes, detail FROM post_history"


class PostHistory(Connection):
    """Posts' histories and editors' names."""

    async def record_history(self, entry: HistoryEntry) -> bool:
        """Append one act to its post's history, with the name its editor is known by (True: for
        `bot.publishing.publisher.until_recorded`)."""
        writes = json.dumps({"sent": entry.writes.sent, "edited": entry.writes.edited,
                             "deleted": entry.writes.deleted})  # fmt: skip
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO post_history (article_id, at, act, editor_id, editor_name, writes, detail)"
                " VALUES (?, ?, ?, ?, (SELECT name FROM editor_names WHERE user_id = ?), ?, ?)",
                (entry.article_id, to_db_time(entry.at), entry.act.value, entry.editor_id, entry.editor_id,
                 writes, _detail(entry)),
            )  # fmt: skip
        return True

    async def history_of(self, article_id: int) -> list[HistoryEntry]:
        """A post's history, oldest first."""
        rows = await self._conn.execute_fetchall(f"{_SELECT} WHERE article_id = ? ORDER BY id", (article_id,))
        return [_entry(row) for row in rows]

    async def remember_editor_name(self, user_id: int, name: str) -> None:
        """The name an editor goes by in Telegram, for the entries of their acts from now on."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO editor_names (user_id, name) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET name = excluded.name",
                (user_id, name),
            )
