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
database for WAIT_EXPIRES; then bot.desk.waits ends it, and the next message is told so before it
is taken for what it is. Within it, «لغو», «cancel» or /cancel ends the wait; a message that is not
an answer (not time-like, for a time) ends it too and is taken for what it is, with a note.
A message of fewer than SHORT_DRAFT_WORDS words on one line is not taken as a draft unasked: the
desk asks (`AskMakeDraft`), so «سلام» or «قیمت نان» never become numbered drafts by accident.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.config import Settings
from bot.core.media import MediaItem
from bot.core.post import Article
from bot.core.status import EDITABLE, PostStatus
from bot.desk.answers import (
    Answer,
    AskDuplicate,
    Asked,
    AskFlood,
    AskMakeDraft,
    Card,
    Changes,
    Done,
    DoneKind,
    EditorMessage,
    Listing,
    Note,
    Prepare,
    Preview,
    Refusal,
    Refused,
    RingChosen,
    Scheduled,
    SpacedOut,
    TimeRefused,
    Wait,
    WaitEnded,
)
from bot.desk.callbacks import ANYWAY, CONFIRMED, Action, Button
from bot.desk.duplicates import Duplicate, DuplicateGuard
from bot.desk.live import corrected_answer
from bot.desk.pending import PendingNotices
from bot.desk.removal import Removals
from bot.desk.routes import Routing
from bot.desk.timeparse import (
    Assumption,
    TimeParseError,
    looks_like_time,
    normalize_typed,
    read_time,
    tomorrow_morning,
    tonight,
)
from bot.desk.undo import Undoing
from bot.desk.waits import Waits
from bot.destinations import Destination
from bot.publishing.formatter import FormattingTimeout, PreparedPost
from bot.publishing.publisher import Outcome, Publisher, RevisionOutcome
from bot.publishing.scheduler import Scheduler
from bot.publishing.slots import is_quiet, is_urgent, next_free_slot, rings
from bot.text.changes import Change
from bot.text.markup import strip_markup
from storage.database import Database

log = logging.getLogger(__name__)

SHORT_DRAFT_WORDS = 4  # fewer words than this on one line: ask before making it a draft
SPACING_MINUTES = 10  # "space them out": posts that shared a minute go this far apart
SPACING = timedelta(minutes=SPACING_MINUTES)
PAGE_SIZE = 8
SLOT_HORIZON = timedelta(days=400)  # how far "next free slot" looks for a free posting slot
CANCEL_WORDS = frozenset({"لغو", "انصراف", "بیخیال", "cancel", "/cancel", "stop"})


@dataclass
class Desk(Removals, Undoing, Routing):
    """The editor workflow over the database, the publisher and the schedule."""

    db: Database
    publisher: Publisher
    scheduler: Scheduler
    settings: Settings
    clock: Callable[[], datetime]
    prepare: Prepare
    explain: Callable[[str], Awaitable[list[Change]]]  # what the clean-up changes in a draft (likewise)
    pending_notices: PendingNotices = field(default_factory=PendingNotices)  # shared with the notices
    waits: Waits = None  # type: ignore[assignment]  # ends waits at expiry (bot.desk.waits)
    mirrors: tuple[Destination, ...] = ()  # where posts go besides the primary channel (bot.desk.routes)
    # (chat, message) of short messages being made drafts: updates run concurrently, so a double tap
    # on "make it a draft" would otherwise make two before either is stored
    _drafting: set[tuple[int, int]] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.waits is None:  # built without the app's timer (tests): waits end as messages come
            self.waits = Waits(self.db, self.clock)

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
        waiting = await self._awaited(message.user_id)
        if waiting is not None:
            kind, article_id, _ = waiting
            if _is_cancel(text):
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
        elif (late := await self.waits.late_for(message.user_id)) is not None:  # told, then taken
            return WaitEnded(Wait(late.kind), late.article_id, late.ended_at, None if _is_cancel(text) else (
                await self._take_text(message, text, asked=asked)
            ))  # fmt: skip
        elif _is_cancel(text):
            return Refused(Refusal.NOTHING_TO_CANCEL)
        if not asked and _too_short(text):
            return AskMakeDraft(message.message_id, notes)
        return await self._new_draft(message, text, notes)

    async def _awaited(self, user_id: int) -> tuple[str, int, datetime] | None:
        """What `user_id`'s message is awaited as; a wait past its time ends first (its prompt says so),
        whether or not the timer got there."""
        await self.waits.end_expired()
        return await self.db.awaited_input(user_id)

    async def take_media(self, message: EditorMessage, text: str, media: Sequence[MediaItem]) -> Answer:
        """A photo, video, animation, audio, file or a gathered album, with its caption (or none;
        forwarded too): a new draft; without a text, the desk waits for it (or it goes out as it is).
        In reply to a "published" notice, new files (and a caption, the post's text) are a proposed
        correction of the post, as a text is."""
        article = await self._replied_post(message)
        if article is not None and article.status is PostStatus.PUBLISHED:
            return await self._propose_media(article, text, media)
        notes: tuple[Note, ...] = ()
        if await self._awaited(message.user_id) is not None:  # media answers no awaited question
            await self.db.stop_awaiting_input(message.user_id)
            notes = (Note.WAIT_ENDED,)
        elif (late := await self.waits.late_for(message.user_id)) is not None:
            then = await self.take_media(message, text, media)
            return WaitEnded(Wait(late.kind), late.article_id, late.ended_at, then)
        post = await self._ready(text, source=message.source, empty_ok=True)  # no text (yet): the media alone
        if isinstance(post, Refused):
            return post
        article_id = await self.db.create_draft(
            post.title, post.body, post.messages, editor_id=message.user_id, editor_chat_id=message.chat_id,
            source_message_id=message.message_id, source_text=text, media=media,
            forward_source=message.source, ring=self._urgent(post),
        )  # fmt: skip
        if not post.has_content:
            await self.db.await_input(message.user_id, Wait.EDIT.value, article_id, since=self.clock())
            notes = (*notes, Note.NEEDS_TEXT_SIGNED if post.messages else Note.NEEDS_TEXT)
        article = await self._get(article_id)
        return Preview(article, notes, (), await self._duplicate(article), await self._routes(article.id))

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

    async def cancel_wait(self, user_id: int, article_id: int = 0) -> Answer:
        """/cancel (or ✖️ under the prompt of post `article_id`'s wait): stop waiting for a typed time
        or a corrected text. An old prompt's ✖️ does not end a newer wait."""
        waiting = await self._awaited(user_id)
        if waiting is not None and article_id in (0, waiting[1]):
            await self.db.stop_awaiting_input(user_id)
            return Done(DoneKind.WAIT_STOPPED, waiting[1])
        if article_id or (late := await self.waits.late_for(user_id)) is None:
            return Refused(Refusal.NOTHING_TO_CANCEL)
        return WaitEnded(Wait(late.kind), late.article_id, late.ended_at)  # /cancel after it expired

    async def _new_draft(self, message: EditorMessage, text: str, notes: tuple[Note, ...]) -> Answer:
        post = await self._ready(text, source=message.source)
        if isinstance(post, Refused):
            return post
        article_id = await self.db.create_draft(
            post.title, post.body, post.messages, editor_id=message.user_id, editor_chat_id=message.chat_id,
            source_message_id=message.message_id, source_text=text, forward_source=message.source,
            ring=self._urgent(post),
        )  # fmt: skip
        article = await self._get(article_id)
        return Preview(article, notes, (), await self._duplicate(article), await self._routes(article.id))

    def _urgent(self, post: PreparedPost) -> bool | None:
        """🔔 for a draft whose headline opens with an urgent word (URGENT_WORDS), else None: quiet
        hours decide, and the editor can switch it either way."""
        return True if is_urgent(post.title, self.settings.urgent_words) else None

    async def _revise(self, article_id: int, text: str, notes: tuple[Note, ...]) -> Answer:
        """A new text for a post: before its send it is updated (and keeps its time); one that went
        out meanwhile (its send was under way) gets it as a proposed correction, as after its send."""
        post = await self._ready(text, article_id)
        if isinstance(post, Refused):
            return post
        revision = await self.publisher.revise(article_id, post)
        if revision.outcome is RevisionOutcome.LIVE:
            return await self._propose_correction(await self._get(article_id), text)
        if revision.outcome is RevisionOutcome.UPDATED:
            article = await self._get(article_id)
            if article.status is PostStatus.SCHEDULED:
                notes = (*notes, Note.STILL_SCHEDULED)
            clashes, duplicate = await self._clashes(article), await self._duplicate(article)
            return Preview(article, notes, clashes, duplicate, await self._routes(article.id))
        if revision.outcome is RevisionOutcome.REFUSED:
            return await self._refused(article_id)
        return corrected_answer(revision.outcome, article_id, revision.detail, post, revision.article)

    # ——— buttons ———

    async def press(self, user_id: int, button: Button) -> Answer:
        """An editor pressed one of the desk's buttons (already parsed and checked to be ours)."""
        ref, action = button.ref, button.action
        if action in ANYWAY:  # publishing or scheduling a story told already asks once more
            asked = await self._ask_if_duplicate(ref, action)
            if asked is not None:
                return asked
        action = CONFIRMED.get(action, action)  # "yes, all the same": the choice itself
        match action:
            case Action.PUBLISH_NOW:
                article = await self.db.get(ref)
                total = len(article.parts) if article is not None else 0  # an album shows as one
                if total > self.settings.flood_messages > 0 and article.status in EDITABLE:
                    return AskFlood(ref, total)  # one tap would flood the channel: asked once more
                return await self.publish_now(ref, user_id)
            case Action.PUBLISH_ALL:
                return await self.publish_now(ref, user_id)
            case Action.NEXT_SLOT | Action.IN_AN_HOUR | Action.TONIGHT | Action.TOMORROW_MORNING:
                return await self._schedule_preset(ref, action)
            case Action.PICK_TIME | Action.EDIT:
                return await self._ask(user_id, ref, Wait.TIME if action is Action.PICK_TIME else Wait.EDIT)
            case Action.DISCARD | Action.CANCEL:
                return await self._cancel(ref, action)
            case Action.UNDO | Action.RESTORE:
                return await self._restore(ref, undo=action is Action.UNDO)
            case Action.OPEN:
                article = await self.db.get(ref)
                if article is None:
                    return Refused(Refusal.NOT_FOUND, ref)
                clashes, duplicate = await self._clashes(article), await self._duplicate(article)
                return Card(article, clashes, duplicate, await self._routes(ref))
            case Action.SEND_ANYWAY:
                ok = await self.publisher.send_uncertain_anyway(ref, by=user_id)
                return Done(DoneKind.PUBLISHED, ref) if ok else await self._refused(ref)
            case Action.ALREADY_SENT:
                ok = await self.publisher.confirm_uncertain_part(ref, by=user_id)
                return Done(DoneKind.MARKED_PUBLISHED, ref) if ok else await self._refused(ref)
            case Action.DROP:
                ok = await self.publisher.drop_uncertain(ref, by=user_id)
                return Done(DoneKind.CANCELLED, ref) if ok else await self._refused(ref)
            case Action.ASK_DELETE:
                return await self.ask_delete(ref)
            case Action.DELETE:
                return await self.delete(ref, user_id)
            case Action.REMOVAL_NOTE:
                return await self.propose_removal_note(ref)
            case Action.DISMISS:
                return Done(DoneKind.DISMISSED, ref)
            case Action.CORRECT:
                return await self._apply_held_correction(ref, user_id)
            case Action.KEEP:
                if await self.db.take_correction(ref) is None:
                    return Refused(Refusal.STALE_BUTTON, ref)
                return Done(DoneKind.KEPT, ref)
            case Action.SPACE_OUT:
                return await self.space_out(ref)
            case Action.STOP_WAITING:
                return await self.cancel_wait(user_id, ref)
            case Action.QUEUE_PAGE:
                return await self.queue(ref)
            case Action.DRAFTS_PAGE:
                return await self.drafts(ref)
            case Action.HISTORY_PAGE:
                return await self._history_page(ref, button.page)
            case Action.CHANGES:
                return await self._changes(ref)
            case Action.CHANGES_PAGE:
                return await self._changes(ref, button.page, turned=True)
            case Action.RING:
                return await self._switch_ring(ref)
            case Action.ROUTE:
                return await self._toggle_route(ref, button.key) or await self._choices(ref)
        return Refused(Refusal.STALE_BUTTON, ref)  # MAKE_DRAFT needs the replied message: the handler

    async def _switch_ring(self, article_id: int) -> Answer:
        """🔔 ⇄ 🔕 for a post not yet sent: the opposite of what it would do at its time (or now)."""
        article = await self.db.get(article_id)
        if article is None or article.deleted or article.status not in EDITABLE:
            return await self._refused(article_id)
        when = article.scheduled_at if article.status is PostStatus.SCHEDULED else None
        s = self.settings
        loud = rings(article.ring, when or self.clock(), s.quiet_hours, s.tz)
        if not await self.db.set_ring(article_id, not loud):
            return await self._refused(article_id)
        return await self._choices(article_id)

    async def _choices(self, article_id: int) -> RingChosen:
        """The post's choices again, as they now stand (in place of those pressed)."""
        article = await self._get(article_id)
        clashes, duplicate = await self._clashes(article), await self._duplicate(article)
        return RingChosen(article, clashes, duplicate, await self._routes(article_id))

    async def _duplicate(self, article: Article) -> Duplicate | None:
        """The earlier post (published in DUPLICATE_DAYS, or queued) telling `article`'s story."""
        s = self.settings
        return await DuplicateGuard(self.db, s.channel_id, s.duplicate_days, self.clock).earlier(article)

    async def _ask_if_duplicate(self, article_id: int, action: Action) -> AskDuplicate | None:
        article = await self.db.get(article_id)
        duplicate = await self._duplicate(article) if article is not None else None
        return None if duplicate is None else AskDuplicate(article_id, action, duplicate)

    async def publish_now(self, article_id: int, user_id: int | None = None) -> Answer:
        """Publish at once (asked by editor `user_id`); the "published" notice (or the failure notice)
        follows."""
        now = self.clock()
        if not await self.db.schedule(article_id, now):
            return await self._refused(article_id)
        outcome = await self.publisher.publish(article_id, due_by=now + timedelta(seconds=1), by=user_id)
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
        if article is None or article.deleted or article.status not in EDITABLE:
            return await self._refused(article_id)
        await self.db.await_input(user_id, wait.value, article_id, since=self.clock())  # type: ignore[arg-type]
        await self.waits.wake()
        return Asked(wait, article_id)

    # ——— lists ———

    async def queue(self, page: int = 0) -> Listing:
        """/queue: scheduled posts, soonest first, a page at a time."""
        scheduled = await self.db.list_scheduled()
        listing = _page(Action.QUEUE_PAGE, scheduled, page, clashing_ids(scheduled))
        return replace(listing, routes=await self._routes_of([a.id for a in listing.articles]))

    async def drafts(self, page: int = 0) -> Listing:
        """/drafts: drafts and failed posts, newest first; then what was cancelled or discarded lately,
        to restore (bot.desk.undo)."""
        listed = [*await self.db.list_drafts(), *await self.cancelled_lately()]
        return _page(Action.DRAFTS_PAGE, listed, page, frozenset())

    async def space_out(self, article_id: int) -> Answer:
        """Move the posts that share `article_id`'s minute apart, SPACING each, into free minutes."""
        scheduled = await self.db.list_scheduled()
        article = next((a for a in scheduled if a.id == article_id), None)
        if article is None:
            return await self._refused(article_id)
        moves = spread(article, scheduled)
        if not moves:  # spaced out already (a second tap, or from another message)
            return Refused(Refusal.NO_CLASH, article_id)
        done = []
        for moved_id, when in moves:
            if await self.db.schedule(moved_id, when):
                done.append((moved_id, when))
        await self.scheduler.wake()
        return SpacedOut(tuple(done))

    # ——— helpers ———

    async def _changes(self, article_id: int, page: int = 0, *, turned: bool = False) -> Answer:
        """The clean-up's changes, worked out afresh from the draft as stored now: a page asked after a
        restart, or after the draft was edited, is a page of the draft as it stands, never one kept
        from another text."""
        article = await self.db.get(article_id)
        if article is not None and article.status is PostStatus.CANCELLED:  # restored first, if at all
            return await self._refused(article_id)
        if article is None or article.source_text is None:
            return Refused(Refusal.NOT_FOUND if article is None else Refusal.STALE_BUTTON, article_id)
        source = strip_markup(article.source_text)  # the words the editor sent, without formatting markers
        try:
            changes = await self.explain(source)
        except FormattingTimeout:
            return Refused(Refusal.TOO_COMPLEX, article_id)
        return Changes(article_id, source, tuple(changes), page, turned)

    async def _still_editable(self, article_id: int) -> bool:
        """Whether an awaited text may still become the post's: not once it is out, or gone (a text
        for a published post is a correction, which is asked for by reply, not taken unasked)."""
        article = await self.db.get(article_id)
        return article is not None and not article.deleted and article.status is not PostStatus.PUBLISHED

    async def _clashes(self, article: Article) -> tuple[Article, ...]:
        if article.status is not PostStatus.SCHEDULED or article.scheduled_at is None:
            return ()
        return tuple(same_minute(article, await self.db.list_scheduled()))


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
