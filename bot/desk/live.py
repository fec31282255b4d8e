"""What the desk does to posts already in the channel, and the helpers every desk action shares.

A new text or new files for a published post (a reply to its "published" notice with a text, a file
or an album, or an edit of the message it was made from) are only proposed: held in the database and
shown exactly as the post would stand, with what changes (files, words, messages), they reach the
channel on ✅ alone. /history shows every act on a post in the channel, with who and when. Deleting
is `bot.desk.removal`'s, built on this class as `Desk` is on that.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.config import Settings
from bot.core.links import linked_message_id
from bot.core.media import MediaItem, replaced_media
from bot.core.post import Article, HeldCorrection
from bot.core.source import Source
from bot.desk.answers import (
    NO_WORD_CHANGES,
    Answer,
    AskCorrect,
    Corrected,
    EditorMessage,
    HistoryShown,
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

type Files = tuple[MediaItem, ...]
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
        return await self._hold(article, post, None, short=short)

    async def _propose_media(self, article: Article, text: str, media: Sequence[MediaItem]) -> Answer:
        """New files in reply to a published post's notice (`bot.core.media.replaced_media`: one file for
        one, an album's items in order, or one item by its number sent as the caption), held like a
        new text: a caption that is no item number is the post's corrected text too. Nothing reaches
        the channel before ✅."""
        if article.deleted:
            return await self._refused(article.id)
        if not article.media:
            return Refused(Refusal.NO_MEDIA, article.id)
        typed = normalize_typed(strip_markup(text)).lstrip("#")
        place = int(typed) if typed.isascii() and typed.isdigit() else None
        replaced = replaced_media(article.media, media, place)
        if replaced is None:
            return Refused(Refusal.MEDIA_MISMATCH, article.id, article)
        if not message_ids_known(article):
            return Corrected(RevisionOutcome.UNKNOWN_IDS, article.id)
        post = PreparedPost(title=article.title, body=article.body, messages=article.html)  # the text stays
        if place is None and text.strip():
            ready = await self._ready(text, article.id)
            if isinstance(ready, Refused):
                return ready
            post = ready
        return await self._hold(article, post, replaced)

    async def _hold(
        self, article: Article, post: PreparedPost, media: Files | None, *, short: bool = False
    ) -> Answer:
        """Hold a proposed correction (a new text, new files: `media`, None when they stay) and show
        the post as it would stand; one that changes nothing is said so, not held."""
        files = article.media if media is None else media
        if post.messages == article.html and files == article.media:
            return Corrected(RevisionOutcome.UNCHANGED, article.id)
        await self.db.hold_correction(article.id, HeldCorrection(post.title, post.body, post.messages, media))
        words = word_diff(article.body, post.body) if post.messages != article.html else NO_WORD_CHANGES
        copies = tuple(await self.publisher.copies_following(article))
        return AskCorrect(article, post.messages, words, short, files, copies)

    async def _apply_held_correction(self, article_id: int, user_id: int) -> Answer:
        """✅: the held correction reaches the channel, once (taken from the database first, so a double
        tap or a restart finds it applied or still held, never applied twice): its files, then its text."""
        held = await self.db.take_correction(article_id)
        if held is None:
            return Refused(Refusal.STALE_BUTTON, article_id)
        files_replaced = False
        if held.media is not None:
            swap = await self.publisher.replace_media(article_id, held.media, by=user_id)
            if swap.outcome is RevisionOutcome.REFUSED:
                return await self._refused(article_id)
            if swap.outcome not in (RevisionOutcome.CORRECTED, RevisionOutcome.UNCHANGED):
                return Corrected(swap.outcome, article_id, swap.detail)
            files_replaced = swap.outcome is RevisionOutcome.CORRECTED
        post = PreparedPost(title=held.title, body=held.body, messages=held.messages)
        revision = await self.publisher.correct(article_id, post, by=user_id)
        if revision.outcome is RevisionOutcome.REFUSED:
            return await self._refused(article_id)
        outcome = revision.outcome
        if files_replaced and outcome is RevisionOutcome.UNCHANGED:  # the files were the correction
            outcome = RevisionOutcome.CORRECTED
        return corrected_answer(outcome, article_id, revision.detail, post, revision.article)

    async def history_request(self, message: EditorMessage, typed: str) -> Answer:
        """/history: replying to a "published" notice, with a post number (as the desk shows it: 12,
        #۱۲) or with the link of one of its channel messages; the post's history from its start."""
        article = await self._replied_post(message)
        typed = normalize_typed(typed)
        number = typed.lstrip("#")
        if article is None and number.isascii() and number.isdigit() and len(number) <= 18:
            article = await self.db.get(int(number))
        elif article is None and typed:
            channels = {str(self.settings.channel_id or ""), await self.db.own_channel() or ""} - {""}
            linked = {linked_message_id(typed, channel) for channel in channels} - {None}
            article = await self.db.find_by_channel_message(linked.pop()) if linked else None
        if article is None or article.source != "bot":
            return Refused(Refusal.HISTORY_USAGE)
        return HistoryShown(article, tuple(await self.db.history_of(article.id)))

    async def _history_page(self, article_id: int, page: int) -> Answer:
        """Another page of a post's history (its page buttons)."""
        article = await self.db.get(article_id)
        if article is None or article.source != "bot":
            return Refused(Refusal.STALE_BUTTON, article_id)
        return HistoryShown(article, tuple(await self.db.history_of(article_id)), page)

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
