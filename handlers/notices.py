"""Notices the desk sends editors unasked: published, failed, missed, uncertain; a wait that ended.

The publisher and the scheduler call these (`bot.publishing.publisher.EditorNotices`,
`bot.publishing.scheduler.StartupNotices`). Who hears of a post is a setting (NOTIFY_EDITORS): its
author only, or every editor (the default: a desk has several editors, and whoever is on duty
should know). Posts without
an author (imported ones) always go to every editor. Each notice is in the reader's language, as
recorded when they last wrote to the bot. Every copy of a "published" notice is recorded as it is
sent, so a reply to any editor's copy corrects the post; while a notice to a chat is on its way,
the chat is marked (`bot.desk.pending`), so a reply faster than the record waits for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import timedelta

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot import messages as msg
from bot.config import Settings
from bot.core.post import Article
from bot.desk import view
from bot.desk.answers import Wait
from bot.desk.pending import PendingNotices
from bot.publishing.copies import CopyOutcome
from storage.database import Database
from storage.desk_state import EndedWait

log = logging.getLogger(__name__)


class EditorNotices:
    """Tells editors what happened to posts, in each editor's language."""

    def __init__(
        self, bot: Bot, db: Database, settings: Settings, pending: PendingNotices | None = None
    ) -> None:
        self.bot = bot
        self.db = db
        self.settings = settings
        self.pending = pending or PendingNotices()

    def _chats(self, article: Article) -> list[int]:
        author = article.editor_chat_id or article.editor_id
        if author and self.settings.notify_editors == "author":
            return [author]
        others = sorted(self.settings.editor_ids - {author} if author else self.settings.editor_ids)
        return [author, *others] if author else others

    async def _send(
        self,
        article: Article,
        compose: Callable[[view.ViewContext], view.Outgoing],
        *,
        replies_correct: bool = False,
    ) -> None:
        """Send the notice to each editor chat; with `replies_correct`, record each copy before the
        chat's mark is lifted (a reply to it corrects the post)."""
        for chat_id in self._chats(article):
            lang = await self.db.language_of(chat_id) or msg.FA
            s = self.settings
            ctx = view.ViewContext(lang, s.tz, str(s.channel_id), quiet_hours=s.quiet_hours)
            outgoing = compose(ctx)
            async with self.pending.sending(chat_id):
                sent = await self._send_one(article, chat_id, outgoing)
                if sent is not None and replies_correct:
                    await self.db.record_notice(article.id, chat_id, sent.message_id)

    async def _send_one(self, article: Article, chat_id: int, outgoing: view.Outgoing) -> Message | None:
        try:
            return await self.bot.send_message(
                chat_id, outgoing.text, parse_mode=ParseMode.HTML, reply_markup=outgoing.keyboard
            )
        except TelegramError as error:
            log.warning("could not tell editor %s about post %s: %s", chat_id, article.id, error)
            return None

    async def published(
        self, article: Article, message_ids: Sequence[int], copies: Sequence[CopyOutcome] = ()
    ) -> None:
        """Confirm a publication, with a link to the channel post (and to each copy elsewhere)."""
        await self._send(
            article,
            lambda ctx: view.published_notice(article, message_ids, ctx, copies),
            replies_correct=True,
        )

    async def copies(self, article: Article, copies: Sequence[CopyOutcome]) -> None:
        """Where a post's copies stand: one failed or is in doubt (found at start-up), or a correction or a
        deletion of the post followed them."""
        await self._send(article, lambda ctx: view.copies_notice(article.id, copies, ctx))

    async def failed(self, article: Article, reason: str, detail: str) -> None:
        """Say why Telegram did not take the post, and offer to retry."""
        await self._send(article, lambda ctx: view.failed_notice(article, reason, detail, ctx))

    async def missed(self, article: Article, late: timedelta) -> None:
        """Ask what to do with a post missed by more than the grace period."""
        minutes = int(late.total_seconds() // 60)
        await self._send(article, lambda ctx: view.missed_notice(article, minutes, ctx))

    async def wait_ended(self, ended: EndedWait) -> None:
        """An editor's wait expired: its prompt says so and loses its ✖️ (bot.desk.waits)."""
        assert ended.prompt_chat_id is not None and ended.prompt_message_id is not None
        lang = await self.db.language_of(ended.prompt_chat_id) or msg.FA
        ctx = view.ViewContext(lang, self.settings.tz, str(self.settings.channel_id))
        outgoing = view.wait_ended_notice(Wait(ended.kind), ended.article_id, ctx)
        try:  # no reply_markup: the prompt's buttons go
            await self.bot.edit_message_text(
                outgoing.text, ended.prompt_chat_id, ended.prompt_message_id, parse_mode=ParseMode.HTML
            )
        except TelegramError as error:  # e.g. the editor deleted the prompt
            log.warning("could not end the wait shown in %s: %s", ended.prompt_chat_id, error)

    async def uncertain(self, article: Article) -> None:
        """Ask about a post that was being sent when the bot stopped."""
        await self._send(article, lambda ctx: view.uncertain_notice(article, ctx))
