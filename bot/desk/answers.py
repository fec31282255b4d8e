"""The desk's answers: what an editor action came to, as typed values that `bot.desk.view` renders.

Every call of `bot.desk.service.Desk` returns one of these (`Answer`); none of them knows Telegram.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.core.history import HistoryEntry
from bot.core.media import MediaItem
from bot.core.post import Article
from bot.core.source import Source
from bot.desk.callbacks import Action
from bot.desk.duplicates import Duplicate
from bot.desk.timeparse import Assumption, TimeParseError
from bot.destinations import CopyFollow, Route
from bot.publishing.copies import CopyOutcome
from bot.publishing.formatter import PreparedPost
from bot.publishing.publisher import RemovalOutcome, RevisionOutcome
from bot.publishing.rights import DeleteBlock
from bot.text.changes import Change, WordDiff

NO_WORD_CHANGES = WordDiff((), ())


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
    NO_CLASH = "no_clash"  # "space them out", but no other post shares the minute (any more)
    UNDO_EXPIRED = "undo_expired"  # the ↩️ under a cancel's answer, pressed after its minute
    HISTORY_USAGE = "history_usage"  # /history of no post, or of one the desk does not know


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
    duplicate: Duplicate | None = None  # an earlier post telling the same story (bot.desk.duplicates)
    routes: tuple[Route, ...] = ()  # the mirrors, each on or off for this post (none configured: ())


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
class Cancelled:
    """A post cancelled, or a draft discarded (`outcome`): kept, and the answer's ↩️ brings it back for
    a minute (then /drafts does, for a week: bot.desk.undo)."""

    outcome: DoneKind  # DISCARDED or CANCELLED
    article_id: int


@dataclass(frozen=True, slots=True)
class Restored:
    """A cancelled post back, in the queue at its time or as a draft; `undo`: by the ↩️ under the cancel's
    answer (shown in its place), else from /drafts; `time_passed`: its time, gone by while it was
    cancelled, so it is a draft now."""

    article: Article
    undo: bool
    time_passed: datetime | None = None
    clashes: tuple[Article, ...] = ()


@dataclass(frozen=True, slots=True)
class Asked:
    """The desk waits for the editor's next message (a time, or a corrected text), or a yes/no."""

    wait: Wait
    article_id: int


@dataclass(frozen=True, slots=True)
class WaitEnded:
    """A wait (`kind`, for post `article_id`) that expired unanswered at `ended_at`: said first to the
    editor's next message, which is then taken for what it is (`then`; None: it only stopped the wait)."""

    kind: Wait
    article_id: int
    ended_at: datetime
    then: Answer | None = None


@dataclass(frozen=True, slots=True)
class AskMakeDraft:
    """A message too short to be a post: make it a draft? (`message_id`: the editor's message.)"""

    message_id: int
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class AskCorrect:
    """A new text or new files for a published post (a reply to its notice, or an edit of its draft):
    correct the channel post with them? Nothing reaches the channel before ✅. `messages` and `media`:
    the post as it would stand; `words`: what the text takes out and puts in; `short`: the reply is
    too short to be a post (a note, or really the correction?)."""

    article: Article
    messages: list[str]
    words: WordDiff = NO_WORD_CHANGES
    short: bool = False
    media: tuple[MediaItem, ...] = ()
    copies: tuple[CopyFollow, ...] = ()  # what ✅ also writes to the post's copies elsewhere


@dataclass(frozen=True, slots=True)
class AskDelete:
    """Delete this published post from the channel (and what that does to its copies elsewhere)?"""

    article_id: int
    copies: tuple[CopyFollow, ...] = ()


@dataclass(frozen=True, slots=True)
class CannotDelete:
    """Telegram would not let the bot delete this published post, and why (said before any "delete
    it?"); `can_edit`: the bot may still turn it into a removal note; `asked`: the editor had already
    confirmed (the answer takes the question's place)."""

    article_id: int
    reason: DeleteBlock
    can_edit: bool
    asked: bool = False


@dataclass(frozen=True, slots=True)
class Corrected:
    """The outcome of correcting a published post (or of an edit applied after its send)."""

    outcome: RevisionOutcome
    article_id: int
    detail: str = ""
    parts: tuple[int, int] = (0, 0)  # new, old: when they differ


@dataclass(frozen=True, slots=True)
class HistoryShown:
    """A post's history (`bot.core.history`), oldest first; `page`: which page of it is shown."""

    article: Article
    entries: tuple[HistoryEntry, ...]
    page: int = 0


@dataclass(frozen=True, slots=True)
class Deleted:
    """The outcome of deleting a published post."""

    outcome: RemovalOutcome
    article_id: int
    detail: str = ""
    unknown: int = 0


@dataclass(frozen=True, slots=True)
class CopiesAnswer:
    """Where a post's copies in the other destinations stand after 🔁 or ✅."""

    article_id: int
    copies: tuple[CopyOutcome, ...]


@dataclass(frozen=True, slots=True)
class Listing:
    """A page of /queue or /drafts; `clashes`: ids of posts that share their minute with another."""

    kind: Action  # QUEUE_PAGE or DRAFTS_PAGE
    articles: tuple[Article, ...]
    page: int
    pages: int
    total: int
    clashes: frozenset[int] = frozenset()
    routes: dict[int, tuple[Route, ...]] = field(default_factory=dict)  # /queue: where each post goes


@dataclass(frozen=True, slots=True)
class Card:
    """One post from /queue or /drafts, with the choices its state allows."""

    article: Article
    clashes: tuple[Article, ...] = ()
    duplicate: Duplicate | None = None
    routes: tuple[Route, ...] = ()  # the mirrors, each on or off for this post (none configured: ())


@dataclass(frozen=True, slots=True)
class Changes:
    """What the clean-up changed in a draft's text (`source`), each with its rule and place; the view
    shows them a page at a time (`page`, 0-based; `turned`: asked by a page button, which replaces the
    page it was under)."""

    article_id: int
    source: str
    changes: tuple[Change, ...]
    page: int = 0
    turned: bool = False


@dataclass(frozen=True, slots=True)
class SpacedOut:
    """Posts moved apart: (post, new time) each."""

    moves: tuple[tuple[int, datetime], ...]


@dataclass(frozen=True, slots=True)
class AskFlood:
    """Publish now a post of `messages` messages, over FLOOD_MESSAGES? (or shorten it first)"""

    article_id: int
    messages: int


@dataclass(frozen=True, slots=True)
class AskDuplicate:
    """Publish or schedule (`action`) a post that tells the same story as `duplicate` after all?"""

    article_id: int
    action: Action  # the choice the editor made (PUBLISH_NOW, NEXT_SLOT, …), done on "yes"
    duplicate: Duplicate


@dataclass(frozen=True, slots=True)
class RingChosen:
    """The editor switched a post between 🔔 and 🔕, or a destination on or off: its choices again, as
    they now stand."""

    article: Article
    clashes: tuple[Article, ...] = ()
    duplicate: Duplicate | None = None
    routes: tuple[Route, ...] = ()  # the mirrors, each on or off for this post (none configured: ())


Answer = (
    Preview | Scheduled | Refused | TimeRefused | Done | Asked | AskMakeDraft | AskCorrect | AskDelete
    | CannotDelete | Corrected | Deleted | Listing | Card | SpacedOut | Changes | RingChosen | AskFlood
    | Cancelled | Restored | AskDuplicate | WaitEnded | CopiesAnswer | HistoryShown
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
