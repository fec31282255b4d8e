"""The editor desk as a service: every editor action, without Telegram.

An editor sends a draft (`take_text`), edits the message it came from (`take_edit`), presses a
button (`press`), types a time or a corrected text when one is awaited, lists `queue` and `drafts`,
and asks to `delete` a published post. Each call returns an answer (one of the dataclasses below)
that `bot.desk.view` turns into Telegram text and buttons in the editor's language; the handlers in
`handlers/editor.py` only translate updates into these calls.

The database row is the truth for a post's state (`storage.states.PostStatus`): each step is a
guarded transition there, so a stale button or a double tap is refused, not repeated. Everything
that touches the channel goes through the `Publisher` (one post at a time).

What an editor's next message is awaited as (a typed time, a corrected text) is kept in the
database for WAIT_EXPIRES. Within it, «لغو», «cancel» or /cancel ends the wait; a message that is
not an answer (not time-like, for a time) ends it too and is taken for what it is, with a note.
A message of fewer than SHORT_DRAFT_WORDS words on one line is not taken as a draft unasked: the
desk asks (`AskMakeDraft`), so «سلام» or «قیمت نان» never become numbered drafts by accident.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.config import Settings
from bot.core.media import MediaItem, replaced_media
from bot.core.post import Article
from bot.core.source import Source
from bot.core.status import EDITABLE, PostStatus
from bot.desk.callbacks import Action, Button
from bot.desk.pending import PendingNotices
from bot.desk.timeparse import (
    Assumption,
    TimeParseError,
    looks_like_time,
    normalize_typed,
    read_time,
    tomorrow_morning,
    tonight,
)
from bot.publishing.credit import credit_line
from bot.publishing.formatter import FormattingTimeout, PreparedPost
from bot.publishing.publisher import Outcome, Publisher, RemovalOutcome, RevisionOutcome, message_ids_known
from bot.publishing.scheduler import Scheduler
from bot.publishing.slots import is_quiet, next_free_slot
from bot.text.changes import Change, WordDiff, word_diff
from bot.text.markup import strip_markup
from storage.database import Database

log = logging.getLogger(__name__)

WAIT_EXPIRES = timedelta(minutes=10)
SHORT_DRAFT_WORDS = 4  # fewer words than this on one line: ask before making it a draft
SPACING = timedelta(minutes=10)  # "space them out": posts that shared a minute go this far apart
PAGE_SIZE = 8
SLOT_HORIZON = timedelta(days=400)  # how far "next free slot" looks for a free posting slot
NO_WORD_CHANGES = WordDiff((), ())
CANCEL_WORDS = frozenset({"لغو", "انصراف", "بیخیال", "cancel", "/cancel", "stop"})


class Wait(StrEnum):
    """What an editor's next message is awaited as."""

    TIME = "time"
    EDIT = "edit"


class Note(StrEnum):
    """A one-line remark the view adds to an answer."""

    WAIT_ENDED = "wait_ended"  # the message was not the awaited answer: the wait is over
    UPDATED = "updated"  # an edit of the editor's message updated the draft
    STILL_SCHEDULED = "still_scheduled"  # …and the post keeps its time
    NEEDS_TEXT = "needs_text"  # media without a text: the next message is its text, or publish it as it is
    NEEDS_TEXT_SIGNED = "needs_text_signed"  # …as it is: with only the signature (and credit) as its caption


class Refusal(StrEnum):
    """Why the desk did not do what was asked."""

    NOT_FOUND = "not_found"
    WRONG_STATE = "wrong_state"
    EMPTY = "empty"
    NO_FREE_SLOT = "no_free_slot"
    TONIGHT_PASSED = "tonight_passed"
    STALE_BUTTON = "stale_button"
    NOTHING_TO_CANCEL = "nothing_to_cancel"
    TOO_COMPLEX = "too_complex"  # formatting did not finish within its time limit
    DELETE_USAGE = "delete_usage"
    NO_MEDIA = "no_media"  # a new photo for a post that has none (a text message cannot become one)
    MEDIA_MISMATCH = "media_mismatch"  # new files that do not say which of the post's they replace


class DoneKind(StrEnum):
    """What was done (the view says it in the editor's words)."""

    PUBLISHED = "published"
    DISCARDED = "discarded"
    CANCELLED = "cancelled"
    MARKED_PUBLISHED = "marked_published"
    WAIT_STOPPED = "wait_stopped"
    KEPT = "kept"
    DISMISSED = "dismissed"


# ——— answers ———


@dataclass(frozen=True, slots=True)
class Preview:
    """The post exactly as the channel will get it, with its choices."""

    article: Article
    notes: tuple[Note, ...] = ()
    clashes: tuple[Article, ...] = ()


@dataclass(frozen=True, slots=True)
class Scheduled:
    """The post will go out at `when` (UTC)."""

    article: Article
    when: datetime
    quiet: bool
    assumption: Assumption | None = None
    typed: str = ""  # what the editor typed, when the time was typed
    clashes: tuple[Article, ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class Refused:
    """Not done, and why."""

    reason: Refusal
    article_id: int = 0
    article: Article | None = None


@dataclass(frozen=True, slots=True)
class TimeRefused:
    """A typed time that cannot be used; the wait goes on."""

    error: TimeParseError


@dataclass(frozen=True, slots=True)
class Done:
    """Something finished; `article_id` 0 when it concerns no post."""

    outcome: DoneKind
    article_id: int = 0


@dataclass(frozen=True, slots=True)
class Asked:
    """The desk waits for the editor's next message (a time, or a corrected text), or a yes/no."""

    wait: Wait
    article_id: int


@dataclass(frozen=True, slots=True)
class AskMakeDraft:
    """A message too short to be a post: make it a draft? (`message_id`: the editor's message.)"""

    message_id: int
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class AskCorrect:
    """A new text for a published post (a reply to its notice, or an edit of its draft): correct the
    channel post with it? Nothing reaches the channel before ✅. `words`: what the text takes out and
    puts in; `short`: the reply is too short to be a post (a note, or really the correction?)."""

    article: Article
    messages: list[str]
    words: WordDiff = NO_WORD_CHANGES
    short: bool = False


@dataclass(frozen=True, slots=True)
class AskDelete:
    """Delete this published post from the channel?"""

    article_id: int


@dataclass(frozen=True, slots=True)
class Corrected:
    """The outcome of correcting a published post (or of an edit applied after its send)."""

    outcome: RevisionOutcome
    article_id: int
    detail: str = ""
    parts: tuple[int, int] = (0, 0)  # new, old: when they differ


@dataclass(frozen=True, slots=True)
class Deleted:
    """The outcome of deleting a published post."""

    outcome: RemovalOutcome
    article_id: int
    detail: str = ""
    unknown: int = 0


@dataclass(frozen=True, slots=True)
class Listing:
    """A page of /queue or /drafts; `clashes`: ids of posts that share their minute with another."""

    kind: Action  # QUEUE_PAGE or DRAFTS_PAGE
    articles: tuple[Article, ...]
    page: int
    pages: int
    total: int
    clashes: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Card:
    """One post from /queue or /drafts, with the choices its state allows."""

    article: Article
    clashes: tuple[Article, ...] = ()


@dataclass(frozen=True, slots=True)
class Changes:
    """What the clean-up changed in a draft's text (`source`), each with its rule and place."""

    article_id: int
    source: str
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class SpacedOut:
    """Posts moved apart: (post, new time) each."""

    moves: tuple[tuple[int, datetime], ...]


Answer = (
    Preview | Scheduled | Refused | TimeRefused | Done | Asked | AskMakeDraft | AskCorrect | AskDelete
    | Corrected | Deleted | Listing | Card | SpacedOut | Changes
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class EditorMessage:
    """Who wrote, where, and which message (for edits and replies); `source`: where a forwarded
    message came from (bot.core.source), None for the editor's own or one never credited."""

    user_id: int
    chat_id: int
    message_id: int
    reply_to_message_id: int | None = None
    source: Source | None = None


class Prepare(Protocol):
    """The draft formatter (bounded, off the loop): a text and its source credit line → the post."""

    def __call__(self, text: str, *, credit: str = "") -> Awaitable[PreparedPost]: ...


@dataclass
class Desk:
    """The editor workflow over the database, the publisher and the schedule."""

    db: Database
    publisher: Publisher
    scheduler: Scheduler
    settings: Settings
    clock: Callable[[], datetime]
    prepare: Prepare
    explain: Callable[[str], Awaitable[list[Change]]]  # what the clean-up changes in a draft (likewise)
    pending_notices: PendingNotices = field(default_factory=PendingNotices)  # shared with the notices
    # (chat, message) of short messages being made drafts: updates run concurrently, so a double tap
    # on "make it a draft" would otherwise make two before either is stored
    _drafting: set[tuple[int, int]] = field(default_factory=set, init=False, repr=False)

    # ——— messages ———

    async def take_text(self, message: EditorMessage, text: str, *, asked: bool = False) -> Answer:
        """A text (typed, pasted, forwarded, or a file's) from an editor: a correction by reply, an
        awaited answer, or a draft. `asked`: the editor already said "make it a draft" (once: the
        same message asked again is a stale button)."""
        if not asked:
            return await self._take_text(message, text, asked=False)
        key = (message.chat_id, message.message_id)
        if key in self._drafting:
            return Refused(Refusal.STALE_BUTTON)
        self._drafting.add(key)  # before the first await, so a concurrent tap sees it
        try:
            if await self.db.find_by_source(*key) is not None:
                return Refused(Refusal.STALE_BUTTON)
            return await self._take_text(message, text, asked=True)
        finally:
            self._drafting.discard(key)

    async def _take_text(self, message: EditorMessage, text: str, *, asked: bool) -> Answer:
        article = await self._replied_post(message)
        if article is not None and article.status is PostStatus.PUBLISHED:
            return await self._propose_correction(article, text, short=_too_short(text))
        notes: tuple[Note, ...] = ()
        waiting = await self.db.awaited_input(message.user_id)
        if waiting is not None:
            kind, article_id, since = waiting
            if self.clock() - since > WAIT_EXPIRES:
                await self.db.stop_awaiting_input(message.user_id)
            elif _is_cancel(text):
                await self.db.stop_awaiting_input(message.user_id)
                return Done(DoneKind.WAIT_STOPPED, article_id)
            elif kind == Wait.TIME and looks_like_time(text):
                return await self._schedule_typed(message.user_id, article_id, text)
            elif kind == Wait.EDIT and await self._still_editable(article_id):
                await self.db.stop_awaiting_input(message.user_id)
                if message.source is not None:  # a forwarded text (a photo's): the post credits it too
                    await self.db.credit_source(article_id, message.source)
                return await self._revise(article_id, text, ())
            else:  # not an answer; or the post went out meanwhile (a photo published as it is)
                await self.db.stop_awaiting_input(message.user_id)
                notes = (Note.WAIT_ENDED,)
        elif _is_cancel(text):
            return Refused(Refusal.NOTHING_TO_CANCEL)
        if not asked and _too_short(text):
            return AskMakeDraft(message.message_id, notes)
        return await self._new_draft(message, text, notes)

    async def take_media(self, message: EditorMessage, text: str, media: Sequence[MediaItem]) -> Answer:
        """A photo, video, animation, audio, file or a gathered album, with its caption (or none;
        forwarded too): a new draft; without a text, the desk waits for it (or it goes out as it is).
        In reply to a "published" notice, new files replace the post's media in the channel (and a
        caption its text)."""
        article = await self._replied_post(message)
        if article is not None and article.status is PostStatus.PUBLISHED:
            return await self._replace_media(article, text, media)
        notes: tuple[Note, ...] = ()
        if await self.db.awaited_input(message.user_id) is not None:  # media answers no awaited question
            await self.db.stop_awaiting_input(message.user_id)
            notes = (Note.WAIT_ENDED,)
        post = await self._ready(text, source=message.source, empty_ok=True)  # no text (yet): the media alone
        if isinstance(post, Refused):
            return post
        article_id = await self.db.create_draft(
            post.title, post.body, post.messages, editor_id=message.user_id, editor_chat_id=message.chat_id,
            source_message_id=message.message_id, source_text=text, media=media,
            forward_source=message.source,
        )  # fmt: skip
        if not post.has_content:
            await self.db.await_input(message.user_id, Wait.EDIT.value, article_id, since=self.clock())
            notes = (*notes, Note.NEEDS_TEXT_SIGNED if post.messages else Note.NEEDS_TEXT)
        return Preview(await self._get(article_id), notes)

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

    async def take_edit(self, message: EditorMessage, text: str) -> Answer:
        """The editor edited a message in Telegram: the draft made from it follows the new text."""
        article = await self.db.find_by_source(message.chat_id, message.message_id)
        if article is None:  # not a draft's message (yet): read it as a new message
            return await self.take_text(message, text)
        if article.status is PostStatus.PUBLISHED and not article.deleted:
            return await self._propose_correction(article, text)
        waiting = await self.db.awaited_input(message.user_id)
        if waiting is not None and waiting[0] == Wait.EDIT and waiting[1] == article.id:
            await self.db.stop_awaiting_input(message.user_id)  # the edit gave the text asked for
        return await self._revise(article.id, text, (Note.UPDATED,))

    async def cancel_wait(self, user_id: int) -> Answer:
        """/cancel: stop waiting for a typed time or a corrected text."""
        waiting = await self.db.awaited_input(user_id)
        if waiting is None:
            return Refused(Refusal.NOTHING_TO_CANCEL)
        await self.db.stop_awaiting_input(user_id)
        return Done(DoneKind.WAIT_STOPPED, waiting[1])

    async def _new_draft(self, message: EditorMessage, text: str, notes: tuple[Note, ...]) -> Answer:
        post = await self._ready(text, source=message.source)
        if isinstance(post, Refused):
            return post
        article_id = await self.db.create_draft(
            post.title, post.body, post.messages, editor_id=message.user_id, editor_chat_id=message.chat_id,
            source_message_id=message.message_id, source_text=text, forward_source=message.source,
        )  # fmt: skip
        return Preview(await self._get(article_id), notes)

    async def _revise(self, article_id: int, text: str, notes: tuple[Note, ...]) -> Answer:
        """A new text for a post: before its send it is updated (and keeps its time); during its send
        the edit waits and corrects the channel post; after it, see `take_edit`."""
        post = await self._ready(text, article_id)
        if isinstance(post, Refused):
            return post
        revision = await self.publisher.revise(article_id, post)
        if revision.outcome is RevisionOutcome.UPDATED:
            article = await self._get(article_id)
            if article.status is PostStatus.SCHEDULED:
                notes = (*notes, Note.STILL_SCHEDULED)
            return Preview(article, notes, await self._clashes(article))
        if revision.outcome is RevisionOutcome.REFUSED:
            return await self._refused(article_id)
        return _corrected(revision.outcome, article_id, revision.detail, post, revision.article)

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

    # ——— buttons ———

    async def press(self, user_id: int, button: Button) -> Answer:
        """An editor pressed one of the desk's buttons (already parsed and checked to be ours)."""
        ref, action = button.ref, button.action
        match action:
            case Action.PUBLISH_NOW:
                return await self.publish_now(ref)
            case Action.NEXT_SLOT | Action.IN_AN_HOUR | Action.TONIGHT | Action.TOMORROW_MORNING:
                return await self._schedule_preset(ref, action)
            case Action.PICK_TIME | Action.EDIT:
                return await self._ask(user_id, ref, Wait.TIME if action is Action.PICK_TIME else Wait.EDIT)
            case Action.DISCARD | Action.CANCEL:
                return await self._cancel(ref, action)
            case Action.OPEN:
                article = await self.db.get(ref)
                if article is None:
                    return Refused(Refusal.NOT_FOUND, ref)
                return Card(article, await self._clashes(article))
            case Action.SEND_ANYWAY:
                ok = await self.publisher.send_uncertain_anyway(ref)
                return Done(DoneKind.PUBLISHED, ref) if ok else await self._refused(ref)
            case Action.ALREADY_SENT:
                ok = await self.publisher.confirm_uncertain_part(ref)
                return Done(DoneKind.MARKED_PUBLISHED, ref) if ok else await self._refused(ref)
            case Action.DROP:
                ok = await self.publisher.drop_uncertain(ref)
                return Done(DoneKind.CANCELLED, ref) if ok else await self._refused(ref)
            case Action.ASK_DELETE:
                article = await self.db.get(ref)
                if article is None or article.status is not PostStatus.PUBLISHED or article.deleted:
                    return await self._refused(ref)
                return AskDelete(ref)
            case Action.DELETE:
                removal = await self.publisher.delete(ref)
                if removal.outcome is RemovalOutcome.REFUSED:
                    return await self._refused(ref)
                return Deleted(removal.outcome, ref, removal.detail, removal.unknown)
            case Action.DISMISS:
                return Done(DoneKind.DISMISSED, ref)
            case Action.CORRECT:
                return await self._apply_held_correction(ref)
            case Action.KEEP:
                if await self.db.take_correction(ref) is None:
                    return Refused(Refusal.STALE_BUTTON, ref)
                return Done(DoneKind.KEPT, ref)
            case Action.SPACE_OUT:
                return await self.space_out(ref)
            case Action.STOP_WAITING:
                return await self.cancel_wait(user_id)
            case Action.QUEUE_PAGE:
                return await self.queue(ref)
            case Action.DRAFTS_PAGE:
                return await self.drafts(ref)
            case Action.CHANGES:
                return await self._changes(ref)
        return Refused(Refusal.STALE_BUTTON, ref)  # MAKE_DRAFT needs the replied message: the handler

    async def publish_now(self, article_id: int) -> Answer:
        """Publish at once; the "published" notice (or the failure notice) follows."""
        now = self.clock()
        if not await self.db.schedule(article_id, now):
            return await self._refused(article_id)
        outcome = await self.publisher.publish(article_id, due_by=now + timedelta(seconds=1))
        if outcome is Outcome.PUBLISHED:
            return Done(DoneKind.PUBLISHED, article_id)
        return await self._refused(article_id)

    async def _schedule_preset(self, article_id: int, action: Action) -> Answer:
        """Next free slot, +1 h, tonight or tomorrow morning."""
        now, tz = self.clock(), self.settings.tz
        if action is Action.NEXT_SLOT:
            taken = await self.db.scheduled_times(now, now + SLOT_HORIZON)
            try:
                when = next_free_slot(now, self.settings.posting_slots, tz, taken)
            except ValueError:
                return Refused(Refusal.NO_FREE_SLOT, article_id, await self.db.get(article_id))
        elif action is Action.IN_AN_HOUR:
            when = now + timedelta(hours=1)
        elif action is Action.TONIGHT:
            when = tonight(now, tz)
            if when <= now:
                return Refused(Refusal.TONIGHT_PASSED, article_id, await self.db.get(article_id))
        else:
            when = tomorrow_morning(now, tz)
        return await self.schedule(article_id, when)

    async def schedule(
        self, article_id: int, when: datetime, assumption: Assumption | None = None, typed: str = ""
    ) -> Answer:
        """Move the post to `when` and re-set the timer."""
        if not await self.db.schedule(article_id, when):
            return await self._refused(article_id)
        await self.scheduler.wake()
        article = await self._get(article_id)
        quiet = is_quiet(when, self.settings.quiet_hours, self.settings.tz)
        return Scheduled(article, when, quiet, assumption, typed, await self._clashes(article))

    async def _schedule_typed(self, user_id: int, article_id: int, typed: str) -> Answer:
        first_slot = min(self.settings.posting_slots, default=None)
        try:
            reading = read_time(typed, now=self.clock(), tz=self.settings.tz, first_slot=first_slot)
        except TimeParseError as error:
            return TimeRefused(error)
        await self.db.stop_awaiting_input(user_id)
        return await self.schedule(article_id, reading.when, reading.assumption, typed)

    async def _ask(self, user_id: int, article_id: int, wait: Wait) -> Answer:
        article = await self.db.get(article_id)
        allowed = EDITABLE if wait is Wait.EDIT else EDITABLE | {PostStatus.CANCELLED}
        if article is None or article.deleted or article.status not in allowed:
            return await self._refused(article_id)
        await self.db.await_input(user_id, wait.value, article_id, since=self.clock())  # type: ignore[arg-type]
        return Asked(wait, article_id)

    async def _cancel(self, article_id: int, action: Action) -> Answer:
        if not await self.db.cancel(article_id):
            return await self._refused(article_id)
        await self.scheduler.wake()
        return Done(DoneKind.DISCARDED if action is Action.DISCARD else DoneKind.CANCELLED, article_id)

    async def _apply_held_correction(self, article_id: int) -> Answer:
        held = await self.db.take_correction(article_id)
        if held is None:
            return Refused(Refusal.STALE_BUTTON, article_id)
        title, body, messages = held
        post = PreparedPost(title=title, body=body, messages=messages)
        revision = await self.publisher.revise(article_id, post)
        if revision.outcome is RevisionOutcome.REFUSED:
            return await self._refused(article_id)
        return _corrected(revision.outcome, article_id, revision.detail, post, revision.article)

    # ——— lists ———

    async def queue(self, page: int = 0) -> Listing:
        """/queue: scheduled posts, soonest first, a page at a time."""
        scheduled = await self.db.list_scheduled()
        return _page(Action.QUEUE_PAGE, scheduled, page, clashing_ids(scheduled))

    async def drafts(self, page: int = 0) -> Listing:
        """/drafts: drafts and failed posts, newest first."""
        return _page(Action.DRAFTS_PAGE, await self.db.list_drafts(), page, frozenset())

    async def space_out(self, article_id: int) -> Answer:
        """Move the posts that share `article_id`'s minute apart, SPACING each, into free minutes."""
        scheduled = await self.db.list_scheduled()
        article = next((a for a in scheduled if a.id == article_id), None)
        if article is None:
            return await self._refused(article_id)
        moves = spread(article, scheduled)
        done = []
        for moved_id, when in moves:
            if await self.db.schedule(moved_id, when):
                done.append((moved_id, when))
        await self.scheduler.wake()
        return SpacedOut(tuple(done))

    async def delete_request(self, message: EditorMessage, typed: str) -> Answer:
        """/delete, replying to a "published" notice or with a post number: ask first."""
        article = await self._replied_post(message)
        number = normalize_typed(typed).lstrip("#")
        if article is None and number.isascii() and number.isdigit() and len(number) <= 18:
            article = await self.db.get(int(number))
        if article is None or article.status is not PostStatus.PUBLISHED or article.deleted:
            return Refused(Refusal.DELETE_USAGE)
        return AskDelete(article.id)

    # ——— helpers ———

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

    async def _changes(self, article_id: int) -> Answer:
        article = await self.db.get(article_id)
        if article is None or article.source_text is None:
            return Refused(Refusal.NOT_FOUND if article is None else Refusal.STALE_BUTTON, article_id)
        source = strip_markup(article.source_text)  # the words the editor sent, without formatting markers
        try:
            changes = await self.explain(source)
        except FormattingTimeout:
            return Refused(Refusal.TOO_COMPLEX, article_id)
        return Changes(article_id, source, tuple(changes))

    async def _still_editable(self, article_id: int) -> bool:
        """Whether an awaited text may still become the post's: not once it is out, or gone (a text
        for a published post is a correction, which is asked for by reply, not taken unasked)."""
        article = await self.db.get(article_id)
        return article is not None and not article.deleted and article.status is not PostStatus.PUBLISHED

    async def _get(self, article_id: int) -> Article:
        article = await self.db.get(article_id)
        assert article is not None  # written just now
        return article

    async def _refused(self, article_id: int) -> Refused:
        article = await self.db.get(article_id)
        return Refused(Refusal.NOT_FOUND if article is None else Refusal.WRONG_STATE, article_id, article)

    async def _clashes(self, article: Article) -> tuple[Article, ...]:
        if article.status is not PostStatus.SCHEDULED or article.scheduled_at is None:
            return ()
        return tuple(same_minute(article, await self.db.list_scheduled()))


def _corrected(
    outcome: RevisionOutcome, article_id: int, detail: str, post: PreparedPost, before: Article | None
) -> Corrected:
    parts = (len(post.messages), len(before.html) if before else 0)
    return Corrected(outcome, article_id, detail, parts)


def _is_cancel(text: str) -> bool:
    return normalize_typed(text).strip(" .!؟?") in CANCEL_WORDS


def _too_short(text: str) -> bool:
    """One line of fewer than SHORT_DRAFT_WORDS words (the editors' help states this rule)."""
    stripped = text.strip()
    return "\n" not in stripped and len(stripped.split()) < SHORT_DRAFT_WORDS


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def same_minute(article: Article, scheduled: Sequence[Article]) -> list[Article]:
    """The other scheduled posts that go out in the same minute as `article`."""
    if article.scheduled_at is None:
        return []
    minute = _minute(article.scheduled_at)
    return [
        other for other in scheduled
        if other.id != article.id and other.scheduled_at is not None and _minute(other.scheduled_at) == minute
    ]  # fmt: skip


def clashing_ids(scheduled: Sequence[Article]) -> frozenset[int]:
    """Ids of the scheduled posts that share their minute with another."""
    by_minute: dict[datetime, list[int]] = {}
    for article in scheduled:
        if article.scheduled_at is not None:
            by_minute.setdefault(_minute(article.scheduled_at), []).append(article.id)
    return frozenset(i for ids in by_minute.values() if len(ids) > 1 for i in ids)


def spread(article: Article, scheduled: Sequence[Article]) -> list[tuple[int, datetime]]:
    """New times for the posts sharing `article`'s minute: the earliest stays, each other goes
    SPACING after the previous one, skipping minutes another post already holds."""
    group = sorted([article, *same_minute(article, scheduled)], key=lambda a: (a.scheduled_at, a.id))
    if len(group) < 2:
        return []
    in_group = {a.id for a in group}
    taken = {_minute(a.scheduled_at) for a in scheduled if a.id not in in_group and a.scheduled_at}
    when = group[0].scheduled_at
    assert when is not None
    moves = []
    for other in group[1:]:
        when += SPACING
        while _minute(when) in taken:
            when += SPACING
        moves.append((other.id, when))
    return moves


def _page(kind: Action, articles: Sequence[Article], page: int, clashes: frozenset[int]) -> Listing:
    pages = max(1, -(-len(articles) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = tuple(articles[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    return Listing(kind, shown, page, pages, len(articles), clashes)
