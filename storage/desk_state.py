"""What the desk remembers of its editors between messages, and the channels it knows.

An editor's next message may be awaited as a typed time or a corrected text (`editor_waits`); a
proposed correction of a published post (a new text, new files) waits for the editor's yes
(`pending_corrections`); each editor's Telegram language (`editor_languages`); the channels by their
Bot API id, with their public @handle and which one the bot publishes to (`channels`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal, NamedTuple

import aiosqlite

from bot.core.media import media_from_json, media_to_json
from bot.core.post import HeldCorrection
from storage.connection import Connection, from_db_time, to_db_time


async def own_channel_of(conn: aiosqlite.Connection) -> str | None:
    """The key of the channel the bot publishes to, read on `conn` (inside a transaction too)."""
    rows = await conn.execute_fetchall("SELECT chat_id FROM channels WHERE own = 1")
    return rows[0][0] if rows else None


class EndedWait(NamedTuple):
    """A wait that expired unanswered: whose, what for, its prompt (None if none was recorded), when."""

    user_id: int
    kind: Literal["time", "edit"]
    article_id: int
    prompt_chat_id: int | None
    prompt_message_id: int | None
    ended_at: datetime


class DeskState(Connection):
    """Editors' waits, held corrections and languages; the channels."""

    # --- editors between messages ------------------------------------------------------------------

    async def await_input(
        self, user_id: int, kind: Literal["time", "edit"], article_id: int, *, since: datetime | None = None
    ) -> None:
        """Remember that `user_id`'s next message is a typed time or a corrected text for a post
        (`since`: the moment the wait began, on the caller's clock; default now)."""
        began = to_db_time(since) if since is not None else self._now()
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO editor_waits (user_id, kind, article_id, since) VALUES (?, ?, ?, ?)",
                (user_id, kind, article_id, began),
            )

    async def awaited_input(self, user_id: int) -> tuple[Literal["time", "edit"], int, datetime] | None:
        """What `user_id`'s next message is awaited as, for which post, and since when; None if nothing
        (or the wait has ended: `end_waits`)."""
        rows = await self._conn.execute_fetchall(
            "SELECT kind, article_id, since FROM editor_waits WHERE user_id = ? AND ended_at IS NULL",
            (user_id,),
        )
        if not rows:
            return None
        kind, article_id, since = rows[0]
        return kind, article_id, from_db_time(since)  # type: ignore[return-value]

    async def record_wait_prompt(self, user_id: int, article_id: int, chat_id: int, message_id: int) -> None:
        """The message that asked for `user_id`'s awaited answer about post `article_id` (its prompt)."""
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE editor_waits SET prompt_chat_id = ?, prompt_message_id = ?"
                " WHERE user_id = ? AND article_id = ? AND ended_at IS NULL",
                (chat_id, message_id, user_id, article_id),
            )

    async def end_waits(self, begun_before: datetime, now: datetime) -> list[EndedWait]:
        """End every wait begun before `begun_before` (expired): each is kept, marked ended at `now`, so
        the editor's next message is told so (`take_ended_wait`); the waits ended."""
        began = to_db_time(begun_before)
        if not await self._conn.execute_fetchall(  # read first: most messages end no wait, so no write
            "SELECT 1 FROM editor_waits WHERE ended_at IS NULL AND since < ? LIMIT 1", (began,)
        ):
            return []
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT user_id, kind, article_id, prompt_chat_id, prompt_message_id FROM editor_waits"
                " WHERE ended_at IS NULL AND since < ?",
                (began,),
            )
            await conn.execute(
                "UPDATE editor_waits SET ended_at = ? WHERE ended_at IS NULL AND since < ?",
                (to_db_time(now), began),
            )
        return [EndedWait(*row, now) for row in rows]  # type: ignore[arg-type]

    async def first_wait_began(self) -> datetime | None:
        """When the oldest wait still running began (it is the next to expire); None if none runs."""
        rows = await self._conn.execute_fetchall("SELECT min(since) FROM editor_waits WHERE ended_at IS NULL")
        return from_db_time(rows[0][0]) if rows else None

    async def take_ended_wait(self, user_id: int) -> EndedWait | None:
        """`user_id`'s wait that ended unanswered, forgotten as it is read; None if there is none."""
        if not await self._conn.execute_fetchall(  # read first: an editor's message seldom follows one
            "SELECT 1 FROM editor_waits WHERE user_id = ? AND ended_at IS NOT NULL", (user_id,)
        ):
            return None
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT user_id, kind, article_id, prompt_chat_id, prompt_message_id, ended_at"
                " FROM editor_waits WHERE user_id = ? AND ended_at IS NOT NULL",
                (user_id,),
            )
            await conn.execute(
                "DELETE FROM editor_waits WHERE user_id = ? AND ended_at IS NOT NULL", (user_id,)
            )
        if not rows:
            return None
        *fields, ended_at = rows[0]
        return EndedWait(*fields, from_db_time(ended_at))  # type: ignore[arg-type]

    async def stop_awaiting_input(self, user_id: int) -> None:
        """Forget what `user_id`'s next message was awaited as."""
        async with self._transaction() as conn:
            await conn.execute("DELETE FROM editor_waits WHERE user_id = ?", (user_id,))

    async def hold_correction(self, article_id: int, held: HeldCorrection) -> None:
        """Keep a proposed correction of a published post (its text, and its files if they change)
        until the editor says whether to apply it; it replaces one held before."""
        media = None if held.media is None else media_to_json(held.media)
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO pending_corrections (article_id, title, body, html, media, since)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (article_id, held.title, held.body, json.dumps(list(held.messages), ensure_ascii=False),
                 media, self._now()),
            )  # fmt: skip

    async def take_correction(self, article_id: int) -> HeldCorrection | None:
        """The held correction of a post, removed from the waiting list (taken once: a double tap on
        ✅ finds nothing the second time)."""
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT title, body, html, media FROM pending_corrections WHERE article_id = ?", (article_id,)
            )
            await conn.execute("DELETE FROM pending_corrections WHERE article_id = ?", (article_id,))
        if not rows:
            return None
        title, body, html, media = rows[0]
        files = None if media is None else media_from_json(media)
        return HeldCorrection(title, body, json.loads(html), files)

    async def remember_language(self, user_id: int, lang: str) -> None:
        """Record the language an editor's Telegram is set to."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO editor_languages (user_id, lang) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang",
                (user_id, lang),
            )

    async def language_of(self, user_id: int) -> str | None:
        """The language last recorded for an editor, if any."""
        rows = await self._conn.execute_fetchall(
            "SELECT lang FROM editor_languages WHERE user_id = ?", (user_id,)
        )
        return rows[0][0] if rows else None

    # --- channels ----------------------------------------------------------------------------------

    async def remember_channel(self, chat_id: int | str, handle: str | None, *, own: bool = False) -> None:
        """Record a channel: its Bot API id and its public @handle (without @), if any. `own`: the
        channel the bot publishes to; its published posts then carry its key, so an export of it
        recognizes them."""
        key = str(chat_id)
        async with self._transaction() as conn:
            if own:
                await conn.execute("UPDATE channels SET own = 0 WHERE own = 1 AND chat_id != ?", (key,))
            await conn.execute(
                "INSERT INTO channels (chat_id, handle, own) VALUES (?, ?, ?) ON CONFLICT (chat_id)"
                " DO UPDATE SET handle = excluded.handle, own = max(channels.own, excluded.own)",
                (key, handle or None, int(own)),
            )
            if own:  # posts published before the bot knew its channel's id (OR IGNORE: a key taken)
                await conn.execute(
                    "UPDATE OR IGNORE articles SET channel = ? WHERE source = 'bot' AND channel IS NULL"
                    " AND external_id IS NOT NULL",
                    (key,),
                )
        self._bot_parts.clear()

    async def own_channel(self) -> str | None:
        """The key of the channel the bot publishes to, once it has learned it."""
        return await own_channel_of(self._conn)

    async def channel_handles(self) -> dict[str, str]:
        """The public @handles (without @) of the channels recorded, by channel key."""
        rows = await self._conn.execute_fetchall(
            "SELECT chat_id, handle FROM channels WHERE handle IS NOT NULL"
        )
        return dict(rows)  # type: ignore[arg-type]
