"""Posts and the publishing ledger: every state change of a post, and the queries that read posts.

Publishing state machine: draft → scheduled → publishing → published | failed, plus cancelled;
published posts can later be marked deleted. Only published, not deleted posts are in the search
index, and they enter and leave it in the same transaction as their state change. While a post is
'publishing', `channel_message_ids` is its ledger: the channel messages of the parts certainly sent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from bot.core.media import MediaItem, media_from_json, media_to_json
from bot.core.post import Article
from bot.core.source import Source, source_from_json, source_to_json
from bot.core.status import EDITABLE, PENDING, PostStatus
from storage.connection import Connection, from_db_time, to_db_time
from storage.desk_state import own_channel_of
from storage.search import IndexEntry, search_key
from storage.states import LIVE, LIVE_ROW, sql_in

# The columns an `Article` is read from, in `article_from_row`'s order. The table also holds
# `preview_message_id`, `confirmation_message_id` and `attempts`, which nothing reads any more (dropping
# a column rewrites the whole table: about 17 s per 200k articles at start-up, so they stay, unused).
_COLUMN_NAMES = (
    "id",
    "source",
    "external_id",
    "title",
    "body",
    "html",
    "status",
    "deleted",
    "scheduled_at",
    "published_at",
    "created_at",
    "updated_at",
    "channel_message_ids",
    "editor_id",
    "editor_chat_id",
    "url",
    "failure_reason",
    "source_message_id",
    "source_text",
    "media",
    "forward_source",
    "ring",
    "cancelled_at",
)
_COLUMNS = ", ".join(_COLUMN_NAMES)


def article_from_row(row: Sequence) -> Article:
    """An `Article` from a row selected with `_COLUMNS`, reading each column by name."""
    values = dict(zip(_COLUMN_NAMES, row, strict=True))
    times = ("scheduled_at", "published_at", "created_at", "updated_at", "cancelled_at")
    values.update({name: from_db_time(values[name]) for name in times})
    values["html"] = json.loads(values["html"]) if values["html"] else []
    values["channel_message_ids"] = json.loads(values["channel_message_ids"] or "[]")
    values["status"] = PostStatus(values["status"])
    values["deleted"] = bool(values["deleted"])
    values["media"] = media_from_json(values["media"])
    values["forward_source"] = source_from_json(values["forward_source"])
    values["ring"] = None if values["ring"] is None else bool(values["ring"])
    return Article(**values)


class Posts(Connection):
    """Drafts, their states up to published or deleted, and the posts read back."""

    # --- drafts and the publishing state machine ---------------------------------------------------

    async def create_draft(
        self,
        title: str,
        body: str,
        html: Sequence[str],
        *,
        editor_id: int | None = None,
        editor_chat_id: int | None = None,
        source_message_id: int | None = None,
        source_text: str | None = None,
        media: Sequence[MediaItem] = (),
        forward_source: Source | None = None,
        ring: bool | None = None,
    ) -> int:
        """Store a new draft (source 'bot', status 'draft') and return its id."""
        now = self._now()
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO articles (source, title, body, html, status, created_at, updated_at,"
                " editor_id, editor_chat_id, source_message_id, source_text, media, forward_source, ring)"
                " VALUES ('bot', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (title, body, json.dumps(list(html), ensure_ascii=False), PostStatus.DRAFT, now, now,
                 editor_id, editor_chat_id, source_message_id, source_text,
                 media_to_json(media), source_to_json(forward_source), ring),
            )  # fmt: skip
            return cursor.lastrowid  # type: ignore[return-value]

    async def set_ring(self, article_id: int, ring: bool | None) -> bool:
        """Whether a post not yet sent rings its subscribers (🔔 True, 🔕 False, None: QUIET_HOURS)."""
        return await self._update(article_id, "ring = ?", (ring,), sql_in(EDITABLE))

    async def update_draft(
        self, article_id: int, title: str, body: str, html: Sequence[str], *, source_text: str | None = None
    ) -> bool:
        """Replace the text of a draft or not-yet-published post; False if it is past that point."""
        return await self._update(
            article_id,
            "title = ?, body = ?, html = ?, source_text = COALESCE(?, source_text)",
            (title, body, json.dumps(list(html), ensure_ascii=False), source_text),
            sql_in(EDITABLE),
        )

    async def credit_source(self, article_id: int, source: Source) -> bool:
        """A not-yet-published post takes the origin of a forwarded text given to it (bot.core.source),
        unless it already has one; False if it is past that point."""
        return await self._update(
            article_id,
            "forward_source = COALESCE(forward_source, ?)",
            (source_to_json(source),),
            sql_in(EDITABLE),
        )

    async def set_media(
        self, article_id: int, media: Sequence[MediaItem], *, published: bool = False
    ) -> bool:
        """Replace a post's media: a draft's or not-yet-published post's, or (`published`) a published
        one's after its channel message was edited; False if it is not in that state."""
        states = {PostStatus.PUBLISHED} if published else EDITABLE
        return await self._update(article_id, "media = ?", (media_to_json(media),), sql_in(states))

    async def record_notice(self, article_id: int, chat_id: int, message_id: int) -> None:
        """Remember one editor's copy of a post's "published" notice: a reply to it corrects the post."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO notice_messages (chat_id, message_id, article_id) VALUES (?, ?, ?)",
                (chat_id, message_id, article_id),
            )

    async def schedule(self, article_id: int, when: datetime) -> bool:
        """Set the publication time of a draft (or move a scheduled or failed post) to `when`.

        Returns False if the article is cancelled, publishing, published, deleted or missing."""
        return await self._update(
            article_id,
            "status = ?, scheduled_at = ?, failure_reason = NULL",
            (PostStatus.SCHEDULED, to_db_time(when)),
            sql_in(EDITABLE),
        )

    async def cancel(self, article_id: int) -> bool:
        """Cancel a draft (discard it), a scheduled or a failed post, keeping it (and its time) to be
        restored. False if it is publishing, already published or already cancelled."""
        now = self._now()
        return await self._update(
            article_id, "status = ?, cancelled_at = ?", (PostStatus.CANCELLED, now), sql_in(EDITABLE)
        )

    async def restore(self, article_id: int, now: datetime) -> bool:
        """A cancelled post back: in the queue at its time if that is after `now`, else a draft (its
        time, and a failure's reason, forgotten). False if it is not cancelled (any more)."""
        ahead, queued, draft = to_db_time(now), PostStatus.SCHEDULED, PostStatus.DRAFT
        return await self._update(
            article_id,
            f"status = CASE WHEN scheduled_at > ? THEN '{queued}' ELSE '{draft}' END,"
            " scheduled_at = CASE WHEN scheduled_at > ? THEN scheduled_at END, cancelled_at = NULL,"
            " failure_reason = NULL",
            (ahead, ahead),
            sql_in({PostStatus.CANCELLED}),
        )

    async def claim_for_publishing(self, article_id: int, *, due_by: datetime | None = None) -> bool:
        """Atomically move a draft/scheduled/failed post to 'publishing'.

        Exactly one caller gets True; any other (a second job, a double tap) gets False and must not
        send anything. A row left in 'publishing' after a crash is *uncertain*: see `list_pending`.
        With `due_by`, only a post scheduled at or before that moment is claimed (a stale job of a
        post moved to a later time claims nothing)."""
        if due_by is not None:
            async with self._transaction() as conn:
                cursor = await conn.execute(
                    "UPDATE articles SET status = ?, updated_at = ?"
                    " WHERE id = ? AND deleted = 0 AND status = ? AND scheduled_at <= ?",
                    (
                        PostStatus.PUBLISHING,
                        self._now(),
                        article_id,
                        PostStatus.SCHEDULED,
                        to_db_time(due_by),
                    ),
                )
                return cursor.rowcount == 1
        return await self._update(article_id, "status = ?", (PostStatus.PUBLISHING,), sql_in(EDITABLE))

    async def mark_published(
        self, article_id: int, message_ids: Sequence[int], published_at: datetime, *, url: str | None = None
    ) -> bool:
        """'publishing' → 'published' with the channel message ids, and into the search index, in
        one transaction. `external_id` becomes the first message id. False if it was not publishing."""
        ids = [int(m) for m in message_ids]
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT title, body FROM articles WHERE id = ? AND status = ? AND deleted = 0",
                (article_id, PostStatus.PUBLISHING),
            )
            if not rows:
                return False
            title, body = rows[0]
            key = search_key(int(published_at.timestamp()), article_id)
            # The post is (own channel, first message id), unless that key is taken (a channel changed).
            channel = await own_channel_of(conn)
            if (
                channel is not None
                and ids
                and await conn.execute_fetchall(
                    "SELECT 1 FROM articles WHERE channel = ? AND external_id = ?", (channel, str(ids[0]))
                )
            ):
                channel = None
            await conn.execute(
                f"UPDATE articles SET status = '{PostStatus.PUBLISHED}', published_at = ?,"
                " channel_message_ids = ?,"
                " external_id = COALESCE(external_id, ?), url = COALESCE(?, url), search_key = ?,"
                " channel = COALESCE(channel, ?), failure_reason = NULL, updated_at = ? WHERE id = ?",
                (to_db_time(published_at), json.dumps(ids), str(ids[0]) if ids else None, url, key,
                 channel, self._now(), article_id),
            )  # fmt: skip
            self._bot_parts.pop(channel or "", None)
            await self._index.add([IndexEntry.build(key, title, body)])
            return True

    async def record_sent_parts(self, article_id: int, message_ids: Sequence[int]) -> bool:
        """While 'publishing': the channel message ids of the parts that certainly went out so far,
        so a publication cut off by a crash resumes after them instead of sending them twice."""
        return await self._update(
            article_id, "channel_message_ids = ?", (json.dumps([int(m) for m in message_ids]),),
            sql_in({PostStatus.PUBLISHING}),
        )  # fmt: skip

    async def mark_failed(self, article_id: int, reason: str) -> bool:
        """'publishing' → 'failed' with the reason (shown to the editor); the post stays recoverable."""
        return await self._update(
            article_id,
            "status = ?, failure_reason = ?",
            (PostStatus.FAILED, reason),
            sql_in({PostStatus.PUBLISHING}),
        )

    async def revert_to_scheduled(self, article_id: int, when: datetime | None = None) -> bool:
        """'publishing' or 'failed' → 'scheduled' (at `when`, or the old time): the editor chose to
        retry an uncertain or failed post. False in any other state."""
        sets = "status = ?" + (", scheduled_at = ?" if when else "")
        params = (PostStatus.SCHEDULED, to_db_time(when)) if when else (PostStatus.SCHEDULED,)
        return await self._update(
            article_id, sets, params, sql_in({PostStatus.PUBLISHING, PostStatus.FAILED})
        )

    async def update_published_content(
        self,
        article_id: int,
        title: str,
        body: str,
        html: Sequence[str],
        message_ids: Sequence[int] | None = None,
    ) -> bool:
        """Replace the text of a published post (and its channel message ids: a correction may change
        how many messages it takes; None keeps them) and re-index it, in one transaction."""
        ids = None if message_ids is None else json.dumps([int(m) for m in message_ids])
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT search_key, title, body FROM articles WHERE id = ? AND {LIVE}", (article_id,)
            )
            if not rows:
                return False
            key, old_title, old_body = rows[0]
            await conn.execute(
                "UPDATE articles SET title = ?, body = ?, html = ?,"
                " channel_message_ids = COALESCE(?, channel_message_ids), updated_at = ? WHERE id = ?",
                (title, body, json.dumps(list(html), ensure_ascii=False), ids, self._now(), article_id),
            )
            if key is not None:
                await self._index.remove([IndexEntry.build(key, old_title, old_body)])
                await self._index.add([IndexEntry.build(key, title, body)])
            return True

    async def mark_deleted(self, article_id: int) -> bool:
        """Flag a published post deleted (e.g. after /delete) and take it out of search."""
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT search_key, title, body FROM articles WHERE id = ? AND {LIVE}", (article_id,)
            )
            if not rows:
                return False
            key, title, body = rows[0]
            await conn.execute(
                "UPDATE articles SET deleted = 1, search_key = NULL, updated_at = ? WHERE id = ?",
                (self._now(), article_id),
            )
            if key is not None:
                await self._index.remove([IndexEntry.build(key, title, body)])
            return True

    async def _update(self, article_id: int, sets: str, params: Sequence, condition: str = "1") -> bool:
        async with self._transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE articles SET {sets}, updated_at = ? WHERE id = ? AND deleted = 0 AND ({condition})",
                (*params, self._now(), article_id),
            )
            return cursor.rowcount == 1

    # --- reading -----------------------------------------------------------------------------------

    async def get(self, article_id: int) -> Article | None:
        """One article by id, in any state, or None."""
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        )
        return article_from_row(rows[0]) if rows else None

    async def find_by_notice(self, chat_id: int, message_id: int) -> Article | None:
        """The article whose "published" notice is `message_id` in the editor chat `chat_id`."""
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM articles WHERE id ="
            " (SELECT article_id FROM notice_messages WHERE chat_id = ? AND message_id = ?)",
            (chat_id, message_id),
        )
        return article_from_row(rows[0]) if rows else None

    async def find_by_source(self, chat_id: int, message_id: int) -> Article | None:
        """The post made from the editor's message `message_id` in chat `chat_id` (for its edits)."""
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM articles WHERE editor_chat_id = ? AND source_message_id = ?"
            " ORDER BY id DESC LIMIT 1",
            (chat_id, message_id),
        )
        return article_from_row(rows[0]) if rows else None

    async def find_by_channel_message(self, message_id: int) -> Article | None:
        """The bot's post that holds channel message `message_id` (any of its messages, deleted too)."""
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM articles WHERE source = 'bot' AND channel_message_ids IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM json_each(channel_message_ids) WHERE value = ?)"
            " ORDER BY id DESC LIMIT 1",
            (message_id,),
        )
        return article_from_row(rows[0]) if rows else None

    async def list_drafts(self) -> list[Article]:
        """Drafts and failed posts (neither scheduled nor sent), newest first (for /drafts)."""
        return await self._select(
            f"{sql_in({PostStatus.DRAFT, PostStatus.FAILED})} AND deleted = 0 ORDER BY id DESC"
        )

    async def list_cancelled(self, since: datetime) -> list[Article]:
        """Posts cancelled or discarded at or after `since`, the latest first (for /drafts, to restore)."""
        return await self._select(
            f"{sql_in({PostStatus.CANCELLED})} AND deleted = 0 AND cancelled_at >= ?"
            " ORDER BY cancelled_at DESC, id DESC",
            (to_db_time(since),),
        )

    async def list_scheduled(self) -> list[Article]:
        """Scheduled posts, soonest first (for /queue)."""
        return await self._select(
            f"{sql_in({PostStatus.SCHEDULED})} AND deleted = 0 ORDER BY scheduled_at, id"
        )

    async def list_pending(self) -> list[Article]:
        """Every 'scheduled' and 'publishing' post, for re-arming jobs at start-up. A 'publishing'
        row means a crash mid-send: the post may or may not be in the channel — ask the editor."""
        return await self._select(f"{sql_in(PENDING)} AND deleted = 0 ORDER BY scheduled_at, id")

    async def list_publishing(self) -> list[Article]:
        """Posts left in 'publishing': at start-up, each was cut off mid-send by a crash (uncertain)."""
        return await self._select(
            f"{sql_in({PostStatus.PUBLISHING})} AND deleted = 0 ORDER BY scheduled_at, id"
        )

    async def list_due(self, now: datetime) -> list[Article]:
        """Scheduled posts whose time is at or before `now`, oldest first."""
        return await self._select(
            f"{sql_in({PostStatus.SCHEDULED})} AND deleted = 0 AND scheduled_at <= ?"
            " ORDER BY scheduled_at, id",
            (to_db_time(now),),
        )

    async def next_scheduled_at(self, not_before: datetime) -> datetime | None:
        """The earliest time of a scheduled post at or after `not_before` (the scheduler's next wake-up)."""
        rows = await self._conn.execute_fetchall(
            f"SELECT min(scheduled_at) FROM articles WHERE {sql_in({PostStatus.SCHEDULED})} AND deleted = 0"
            " AND scheduled_at >= ?",
            (to_db_time(not_before),),
        )
        return from_db_time(rows[0][0])

    async def scheduled_times(self, start: datetime, end: datetime) -> list[datetime]:
        """Times taken by scheduled or publishing posts in [start, end), sorted (for "next free slot")."""
        rows = await self._conn.execute_fetchall(
            f"SELECT scheduled_at FROM articles WHERE {sql_in(PENDING)} AND deleted = 0"
            " AND scheduled_at >= ? AND scheduled_at < ? ORDER BY scheduled_at",
            (to_db_time(start), to_db_time(end)),
        )
        return [from_db_time(r[0]) for r in rows]  # type: ignore[misc]

    async def latest(self, limit: int = 10, offset: int = 0) -> list[Article]:
        """Published, not deleted articles, newest first."""
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM articles WHERE search_key IS NOT NULL AND {LIVE_ROW}"
            " ORDER BY search_key DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [article_from_row(r) for r in rows]

    async def count_published(self) -> int:
        """How many articles are searchable."""
        rows = await self._conn.execute_fetchall(f"SELECT count(*) FROM articles WHERE {LIVE}")
        return rows[0][0]

    async def _select(self, where: str, params: Sequence = ()) -> list[Article]:
        rows = await self._conn.execute_fetchall(f"SELECT {_COLUMNS} FROM articles WHERE {where}", params)
        return [article_from_row(r) for r in rows]
