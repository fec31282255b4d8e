"""What the desk does to posts already in the channel, and the helpers every desk action shares.

A new text for a published post (a reply to its "published" notice, or an edit of the message it was
made from) is only proposed: it is held in the database and shown exactly as it would stand, with the
words it changes, and reaches the channel on ✅ alone. New files in reply replace the post's media;
/delete asks first. `Desk` (bot.desk.service) is built on this class.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.config import Settings
from bot.core.media import MediaItem, replaced_media
from bot.core.post import Article
from bot.core.source import Source
from bot.core.status import PostStatus
from bot.desk.answers import (
    Answer,
    AskCorrect,
    AskDelete,
    Corrected,
    EditorMessage,
    Prepare,
    Refusal,
    Refused,
)
from bot.desk.pending import PendingNotices
from bot.desk.timeparse import normalize_typed
from bot.publishing.credit import credit_line
from bot.publishing.formatter import FormattingTimeout, PreparedPost
from bot.publishing.publisher import Publisher, RevisionOutcome, message_ids_known
from bot.text.changes import word_diff
from bot.text.markup import strip_markup
from storage.database import Database

log = logging.getLogger("bot.desk.service")  # one logger for the desk


class LivePosts:
    """Corrections, media replacements and deletions of published posts; the shared helpers."""

    db: Database
    publisher: Publisher
    settings: Settings
    prepare: Prepare
    pending_notices: PendingNotices

    async def _propose_correction(self, article: Article, text: str, *, short: bool = False) -> Answer:
        """A new text for a published post, held until the editor presses ✅ (`_apply_held_correction`):
        the preview shows the post exactly as it would stand and which words change."""
        if article.deleted:
            return await self._refused(article.id)
        if not message_ids_known(article):  # said now, not after the editor confirmed
            return Corrected(RevisionOutcome.UNKNOWN_IDS, article.id)
        post = await self._ready(text, article.id)
        if isinstance(post, Refused):
            return post
        if post.messages == article.html:
            return Corrected(RevisionOutcome.UNCHANGED, article.id)
        await self.db.hold_correction(article.id, post.title, post.body, post.messages)
        return AskCorrect(article, post.messages, word_diff(article.body, post.body), short)

    async def _apply_held_correction(self, article_id: int) -> Answer:
        held = await self.db.take_correction(article_id)
        if held is None:
            return Refused(Refusal.STALE_BUTTON, article_id)
        title, body, messages = held
        post = PreparedPost(title=title, body=body, messages=messages)
        revision = await self.publisher.correct(article_id, post)
        if revision.outcome is RevisionOutcome.REFUSED:
            return await self._refused(article_id)
        return corrected_answer(revision.outcome, article_id, revision.detail, post, revision.article)

    async def _replace_media(self, article: Article, text: str, media: Sequence[MediaItem]) -> Answer:
        """New files in reply to a published post's notice (`bot.core.media.replaced_media`: one file for
        one, an album's items in order, or one item by its number sent as the caption). A caption that
        is no item number is the post's corrected text: the files are replaced, then the text."""
        if not article.media:
            return Refused(Refusal.NO_MEDIA, article.id)
        typed = normalize_typed(strip_markup(text)).lstrip("#")
        place = int(typed) if typed.isascii() and typed.isdigit() else None
        replaced = replaced_media(article.media, media, place)
        if replaced is None:
            return Refused(Refusal.MEDIA_MISMATCH, article.id, article)
        revision = await self.publisher.replace_media(article.id, replaced)
        if revision.outcome is RevisionOutcome.REFUSED:
            return await self._refused(article.id)
        done = revision.outcome in (RevisionOutcome.CORRECTED, RevisionOutcome.UNCHANGED)
        if done and place is None and text.strip():  # the caption is a new text: proposed, as a reply's
            return await self._propose_correction(await self._get(article.id), text)
        return Corrected(revision.outcome, article.id, revision.detail)

    async def delete_request(self, message: EditorMessage, typed: str) -> Answer:
        """/delete, replying to a "published" notice or with a post number: ask first."""
        article = await self._replied_post(message)
        number = normalize_typed(typed).lstrip("#")
        if article is None and number.isascii() and number.isdigit() and len(number) <= 18:
            article = await self.db.get(int(number))
        if article is None or article.status is not PostStatus.PUBLISHED or article.deleted:
            return Refused(Refusal.DELETE_USAGE)
        return AskDelete(article.id)

    async def _replied_post(self, message: EditorMessage) -> Article | None:
        """The post whose "published" notice (any editor's copy) `message` replies to, if any. A reply
        can outrun the record of a notice still on its way to this chat: then it is looked up again
        once that notice is recorded (`bot.desk.pending`)."""
        if message.reply_to_message_id is None:
            return None
        article = await self.db.find_by_notice(message.chat_id, message.reply_to_message_id)
        if article is None:
            await self.pending_notices.settled(message.chat_id)
            article = await self.db.find_by_notice(message.chat_id, message.reply_to_message_id)
        return article

    async def _ready(
        self, text: str, article_id: int = 0, *, source: Source | None = None, empty_ok: bool = False
    ) -> PreparedPost | Refused:
        """The draft formatted, or why it cannot be a post (empty, or too complex to format in time);
        `empty_ok`: a post with media may have no text. The source credit (SOURCE_CREDIT) is the one
        of `source` for a new draft, and the post's own for a new text of post `article_id`: an edit
        keeps it."""
        if article_id:
            article = await self.db.get(article_id)
            source = article.forward_source if article is not None else None
        try:
            post = await self.prepare(text, credit=credit_line(source, self.settings.source_credit))
        except FormattingTimeout:
            log.warning("a draft of %d characters took too long to format", len(text))
            return Refused(Refusal.TOO_COMPLEX, article_id)
        return post if post.has_content or empty_ok else Refused(Refusal.EMPTY, article_id)

    async def _get(self, article_id: int) -> Article:
        article = await self.db.get(article_id)
        assert article is not None  # written just now
        return article

    async def _refused(self, article_id: int) -> Refused:
        article = await self.db.get(article_id)
        return Refused(Refusal.NOT_FOUND if article is None else Refusal.WRONG_STATE, article_id, article)


def corrected_answer(
    outcome: RevisionOutcome, article_id: int, detail: str, post: PreparedPost, before: Article | None
) -> Corrected:
    parts = (len(post.messages), len(before.html) if before else 0)
    return Corrected(outcome, article_id, detail, parts)
