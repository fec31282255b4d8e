"""A post left half-sent: the editor's answers about its doubtful part, and taking back parts sent.

A stop (or a request that left without an answer) can leave a post in `publishing` with its first
unrecorded part in doubt (bot.publishing.publisher). The editor says whether they see it in the
channel: `confirm_uncertain_part` records it and sends the rest, `send_uncertain_anyway` sends it
again, `drop_uncertain` takes back what was sent and cancels the post. `Publisher` is built on this
class; each answer holds the post's lock and leaves its trace in the post's history.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bot.core.history import Act, Writes
from bot.core.media import message_total, parts_covered
from bot.core.post import Article
from bot.core.status import PostStatus
from bot.publishing.history import History
from storage.database import Database

log = logging.getLogger("bot.publishing.publisher")  # one logger for the door to the channel


class UncertainParts:
    """The editor's answers about a half-sent post; taking back parts already sent."""

    bot: Bot
    db: Database
    channel_id: str | int
    clock: Callable[[], datetime]
    history: History
    publish: Callable[..., Any]  # Publisher.publish
    is_sending: Callable[[int], bool]  # Publisher.is_sending
    _post: Callable[[int], contextlib.AbstractAsyncContextManager[None]]  # Publisher._post

    async def confirm_uncertain_part(self, article_id: int, *, by: int | None = None) -> bool:
        """The editor saw the doubtful part in the channel: record it (its id is unknown, so a
        placeholder below zero), then publish the parts after it, if any; False if not uncertain."""
        async with self._post(article_id):
            article = await self._uncertain(article_id)
            if article is None:
                return False
            parts, recorded = article.parts, article.channel_message_ids
            doubtful = parts[min(parts_covered(parts, recorded), len(parts) - 1)]
            confirmed = [*recorded, *[-article_id] * doubtful.message_count]  # an album: each of its ids
            await self.history.record(article_id, Act.CONFIRMED, by, Writes())
            if len(confirmed) >= message_total(parts):
                known = [message_id for message_id in confirmed if message_id > 0]
                return await self.db.mark_published(article_id, known, self.clock())
            if not await self.db.record_sent_parts(article_id, confirmed):
                return False
            if not await self.db.revert_to_scheduled(article_id, self.clock()):
                return False
        await self.publish(article_id, by=by)
        return True

    async def send_uncertain_anyway(self, article_id: int, *, by: int | None = None) -> bool:
        """The editor does not see the doubtful part: send it (and the rest) again."""
        async with self._post(article_id):
            if await self._uncertain(article_id) is None:
                return False
            if not await self.db.revert_to_scheduled(article_id, self.clock()):
                return False
        await self.publish(article_id, by=by)
        return True

    async def drop_uncertain(self, article_id: int, *, by: int | None = None) -> bool:
        """The editor does not want the half-sent post: take back its confirmed parts and cancel it."""
        async with self._post(article_id):
            article = await self._uncertain(article_id)
            if article is None:
                return False
            taken_back = await self.take_back(article.channel_message_ids)
            await self.history.record(article_id, Act.DROPPED, by, Writes(deleted=taken_back))
            await self.db.record_sent_parts(article_id, [])
            return await self.db.mark_failed(article_id, "dropped by the editor") and await self.db.cancel(
                article_id
            )

    async def _uncertain(self, article_id: int) -> Article | None:
        """The post, if it is left in `publishing` by a stop (not being sent by us right now)."""
        article = await self.db.get(article_id)
        if article is None or article.status is not PostStatus.PUBLISHING or self.is_sending(article_id):
            return None
        return article

    async def take_back(self, message_ids: Sequence[int]) -> list[int]:
        """Delete parts of a post that went out before it failed or was dropped (best effort); the
        ones deleted, for the post's history."""
        deleted = []
        for message_id in message_ids:
            if message_id <= 0:  # a part the editor confirmed by eye: its id is unknown
                continue
            try:
                await self.bot.delete_message(self.channel_id, message_id)
                deleted.append(message_id)
            except TelegramError as error:
                log.warning("could not delete part %s of a failed post: %s", message_id, error)
        return deleted
