"""Deleting a published post: asked only when Telegram would let the bot do it.

/delete (or 🗑 under a "published" notice) first reads the bot's rights in the channel and the post's
age (`bot.publishing.rights`): a post Telegram would not let the bot delete (older than 48 hours, or
no right) is said so at once, with why, instead of a confirmation that could only fail; where the
bot may still edit the post, it offers to turn it into a short removal note («این خبر حذف شد» and
the channel's signature, formatted as any post), which is proposed like any correction (shown
exactly as it would stand, applied on ✅ alone, through the publisher). The rule is checked again
on ✅ (time passes while the editor reads), and a deletion Telegram refused after all is explained
the same way when the rights tell why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot import messages as msg
from bot.core.post import Article
from bot.core.status import PostStatus
from bot.desk.answers import (
    Answer,
    AskDelete,
    CannotDelete,
    Corrected,
    Deleted,
    EditorMessage,
    Refusal,
    Refused,
)
from bot.desk.live import LivePosts
from bot.desk.timeparse import normalize_typed
from bot.publishing.formatter import FormattingTimeout
from bot.publishing.publisher import RemovalOutcome, RevisionOutcome, message_ids_known
from bot.publishing.rights import channel_rights, delete_block


class Removals(LivePosts):
    """/delete and its confirmation; the removal note offered when a post cannot be deleted."""

    clock: Callable[[], datetime]

    async def delete_request(self, message: EditorMessage, typed: str) -> Answer:
        """/delete, replying to a "published" notice or with a post number: ask first, if Telegram
        would let the bot delete it."""
        article = await self._replied_post(message)
        number = normalize_typed(typed).lstrip("#")
        if article is None and number.isascii() and number.isdigit() and len(number) <= 18:
            article = await self.db.get(int(number))
        if article is None or article.status is not PostStatus.PUBLISHED or article.deleted:
            return Refused(Refusal.DELETE_USAGE)
        return await self._ask_delete(article)

    async def ask_delete(self, article_id: int) -> Answer:
        """🗑 under a "published" notice: as /delete."""
        article = await self.db.get(article_id)
        if article is None or article.status is not PostStatus.PUBLISHED or article.deleted:
            return await self._refused(article_id)
        return await self._ask_delete(article)

    async def delete(self, article_id: int, user_id: int) -> Answer:
        """✅ on "delete it?" (by editor `user_id`): the rule checked again, then the post deleted
        through the publisher."""
        article = await self.db.get(article_id)
        if article is None or article.status is not PostStatus.PUBLISHED or article.deleted:
            return await self._refused(article_id)
        cannot = await self._cannot_delete(article, asked=True)
        if cannot is not None:
            return cannot
        removal = await self.publisher.delete(article_id, by=user_id)
        if removal.outcome is RemovalOutcome.REFUSED:
            return await self._refused(article_id)
        if removal.outcome is RemovalOutcome.FAILED:  # the rights changed meanwhile, or the age? say why
            cannot = await self._cannot_delete(article, asked=True, refused=removal.detail)
            if cannot is not None:
                return cannot
        return Deleted(removal.outcome, article_id, removal.detail, removal.unknown)

    async def propose_removal_note(self, article_id: int) -> Answer:
        """The post turned into the removal note, proposed as a correction. Each of its messages
        becomes the note: a shorter post would delete the surplus, which is what cannot be done."""
        article = await self.db.get(article_id)
        if article is None or article.status is not PostStatus.PUBLISHED or article.deleted:
            return await self._refused(article_id)
        if not message_ids_known(article):
            return Corrected(RevisionOutcome.UNKNOWN_IDS, article_id)
        try:  # the channel's words, so the channel's language; no source credit: the story is gone
            note = await self.prepare(msg.text("removal_note", msg.FA))
        except FormattingTimeout:
            return Refused(Refusal.TOO_COMPLEX, article_id)
        each = replace(note, messages=note.messages[:1] * max(len(article.html), 1))
        return await self._hold(article, each, None)

    async def _ask_delete(self, article: Article) -> Answer:
        refused = await self._cannot_delete(article, asked=False)
        return refused or AskDelete(
            article.id, tuple(await self.publisher.copies_following(article, deletion=True))
        )

    async def _cannot_delete(
        self, article: Article, *, asked: bool, refused: str = ""
    ) -> CannotDelete | None:
        rights = await channel_rights(self.publisher.bot, self.publisher.channel_id)
        block = delete_block(rights, article.published_at, self.clock(), refused=refused)
        if block is None:
            return None
        can_edit = rights is not None and rights.can_edit_own and message_ids_known(article)
        return CannotDelete(article.id, block, can_edit, asked)
