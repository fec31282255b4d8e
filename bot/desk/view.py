"""How the editor desk looks in Telegram: pure functions from the desk's answers to texts and buttons.

No I/O here (as `bot.archive.view` is for search). `render(answer, lang, ...)` gives the messages to
send, each an `Outgoing`; `in_place(answer)` says whether a button's answer replaces the message
the button was on (a short outcome) or comes as new messages (a preview, a post card). Every
button is built with `bot.desk.callbacks.Button`, every word comes from `bot.messages`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import singledispatch
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import messages as msg
from bot.core.history import Act, HistoryEntry
from bot.core.links import post_link
from bot.core.media import Layout, MediaItem, layout, message_total, parts_covered, plan_parts
from bot.core.post import Article
from bot.core.status import EDITABLE, PostStatus
from bot.desk.answers import (
    Answer,
    AskCorrect,
    AskDelete,
    AskDuplicate,
    Asked,
    AskFlood,
    AskMakeDraft,
    Cancelled,
    CannotDelete,
    Card,
    Changes,
    CopiesAnswer,
    Corrected,
    Deleted,
    Done,
    HistoryShown,
    Listing,
    Note,
    Preview,
    Refusal,
    Refused,
    Restored,
    RingChosen,
    Scheduled,
    SpacedOut,
    TimeRefused,
    Wait,
    WaitEnded,
)
from bot.desk.callbacks import ANYWAY, Action, Button
from bot.desk.duplicates import Duplicate
from bot.desk.service import SHORT_DRAFT_WORDS, SPACING_MINUTES
from bot.desk.timeparse import TimeParseReason
from bot.desk.undo import KEPT_DAYS, UNDO_SECONDS
from bot.desk.waits import WAIT_MINUTES
from bot.destinations import CopyFollow, Route
from bot.networks import CAPABILITIES
from bot.publishing.copies import CopyOutcome
from bot.publishing.publisher import RemovalOutcome, RevisionOutcome
from bot.publishing.rights import DELETE_WINDOW_HOURS
from bot.publishing.slots import copy_due, rings
from bot.text.changes import Change, line_and_column, line_starts
from bot.text.limits import MAX_CAPTION_UTF16, MAX_MESSAGE_UTF16, visible_len, visible_text

TITLE_CHARS = 70  # a post's title in /queue and /drafts
CHANGES_PER_PAGE = 20  # the "what changed" list, a page at a time: 50 changes are 3 pages of a screen or so
MAX_WORDS_SHOWN = 60  # a proposed correction's removed (and added) words: the rest is counted
HISTORY_PAGE_SIZE = 5  # acts on one page of /history: 5 corrections of 20 words each stay under 4096
HISTORY_WORDS_SHOWN = 20  # a correction's removed (and added) words in /history: the rest is counted


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to the editor: HTML text and its buttons."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    reply_to: int | None = None  # the editor's message this answers, when it must stay tied to it
    media: tuple[MediaItem, ...] = ()  # a post's file or album, with `text` as its caption
    keeps_buttons: bool = False  # shown in place of a button's message: its other buttons stay


@dataclass(frozen=True, slots=True)
class ViewContext:
    """What rendering needs besides the answer: the reader's language, the desk's clock and channel."""

    lang: str
    tz: ZoneInfo
    channel_id: str
    now: datetime | None = None  # the desk's clock: whether a post published now would ring
    quiet_hours: tuple[time, time] | None = None
    flood_messages: int = 0  # FLOOD_MESSAGES: a longer post is flagged under its preview (0: never)
    eitaa_deletion: str = "editor"  # EITAA_DELETION: said under the preview of a post that goes there


def loud(article: Article, ctx: ViewContext) -> bool:
    """Whether the post rings its subscribers: at its time when scheduled, when it went out when
    published, else now (`bot.publishing.slots.rings`)."""
    when = article.scheduled_at if article.status is PostStatus.SCHEDULED else None
    if article.status is PostStatus.PUBLISHED:
        when = article.published_at
    moment = when or ctx.now or datetime.now(UTC)
    return rings(article.ring, moment, ctx.quiet_hours, ctx.tz)


def _ring_line(article: Article, ctx: ViewContext) -> str:
    """How the post goes out, said when it is not the plain case (loud outside quiet hours)."""
    is_loud = loud(article, ctx)
    if article.ring is None and is_loud:
        return ""
    key = "ring_loud" if is_loud else ("ring_silent" if article.ring is False else "ring_quiet")
    return "\n" + msg.text(key, ctx.lang)


def _flood_line(article: Article, ctx: ViewContext) -> str:
    """A post of more messages than FLOOD_MESSAGES says so under its preview (publishing asks again)."""
    total = len(article.parts)  # an album is one post to read, however many files it holds
    if article.status not in EDITABLE or ctx.flood_messages <= 0 or total <= ctx.flood_messages:
        return ""
    return "\n" + msg.text("flood_warning", ctx.lang, messages=total, limit=ctx.flood_messages)


def _duplicate_line(duplicate: Duplicate | None, ctx: ViewContext) -> str:
    """The earlier post telling the same story: a link to it when published, its time when queued."""
    return "" if duplicate is None else "\n" + _earlier(duplicate, ctx)


def _earlier(duplicate: Duplicate, ctx: ViewContext) -> str:
    title = html.escape(_shorten(duplicate.title, TITLE_CHARS))
    if duplicate.link:
        title = msg.text("duplicate_title_link", ctx.lang, url=html.escape(duplicate.link), title=title)
    else:
        title = msg.text("duplicate_title", ctx.lang, title=title)
    moment = duplicate.due if duplicate.due is not None else duplicate.published_at
    when = _when(moment, ctx) if moment is not None else ""
    key = "duplicate_queued" if duplicate.due is not None else "duplicate_published"
    return msg.text(key, ctx.lang, article_id=duplicate.article_id, title=title, when=when)


def _with_ring_button(keyboard: InlineKeyboardMarkup | None, article: Article, ctx: ViewContext):
    """A post not yet sent can be switched between 🔔 and 🔕 from under its preview or card."""
    if keyboard is None or article.deleted or article.status not in EDITABLE:
        return keyboard
    label = "btn_silent" if loud(article, ctx) else "btn_ring"
    return InlineKeyboardMarkup([*keyboard.inline_keyboard, [_button(label, ctx, Action.RING, article.id)]])


def _routes_lines(routes: Sequence[Route], ctx: ViewContext, article: Article) -> str:
    """Where the post goes: the primary channel, then each mirror on or off (none configured: nothing),
    and how each copy differs there (plain text; on a network that edits and deletes nothing, what a
    correction and a deletion will do)."""
    if not routes:
        return ""
    lines = [
        msg.text("routes_head", ctx.lang),
        msg.text("route_primary", ctx.lang, name=html.escape(ctx.channel_id)),
    ]
    for route in routes:
        name = html.escape(route.destination.name)
        if not route.on:
            lines.append(msg.text("route_off", ctx.lang, name=name))
            continue
        caps = CAPABILITIES[route.destination.network]
        if not caps.html:
            name += msg.text("elsewhere_plain", ctx.lang)
        if not caps.edit:
            name += msg.text(f"elsewhere_no_edit_{ctx.eitaa_deletion}", ctx.lang)
        lines.append(msg.text("route_on", ctx.lang, name=name) + _own_slot(route, article, ctx))
    return "\n\n" + "\n".join(lines)


def _with_route_buttons(
    keyboard: InlineKeyboardMarkup | None, article: Article, routes: Sequence[Route], ctx: ViewContext
) -> InlineKeyboardMarkup | None:
    """A toggle per mirror under the choices of a post not yet sent (on ⇄ off)."""
    if keyboard is None or not routes or article.deleted or article.status not in EDITABLE:
        return keyboard
    toggles = [
        [
            InlineKeyboardButton(
                msg.text(
                    "btn_route_on" if route.on else "btn_route_off", ctx.lang, name=route.destination.name
                ),
                callback_data=Button(Action.ROUTE, article.id, key=route.destination.key).encode(),
            )
        ]
        for route in routes
    ]
    return InlineKeyboardMarkup([*keyboard.inline_keyboard, *toggles])


def _own_slot(route: Route, article: Article, ctx: ViewContext) -> str:
    """When a copy to a destination with its own posting slots goes («: ساعت ۱۸:۰۰»): its first slot at
    or after the post's time (a slot another copy took may push it on: the published notice says when
    exactly); no time known: its slots. Without slots of its own: ""."""
    slots = route.destination.posting_slots
    if not slots:
        return ""
    moment = article.published_at or article.scheduled_at or ctx.now
    if moment is None:
        return msg.text("route_slots", ctx.lang, times="، ".join(_hhmm(slot, ctx) for slot in slots))
    due = copy_due(moment, slots, ctx.tz)
    assert due is not None
    return msg.text("route_slot", ctx.lang, time=_hhmm(due.astimezone(ctx.tz).time(), ctx))


def _hhmm(moment: time, ctx: ViewContext) -> str:
    value = f"{moment.hour:02d}:{moment.minute:02d}"
    return msg.fa_digits(value) if ctx.lang == msg.FA else value


def _queue_routes(routes: Sequence[Route], ctx: ViewContext, article: Article) -> str:
    """A /queue entry's destinations (the primary, and each mirror it goes to); none configured: ""."""
    if not routes:
        return ""
    names = [
        html.escape(ctx.channel_id),
        *(html.escape(r.destination.name) + _own_slot(r, article, ctx) for r in routes if r.on),
    ]
    return "\n" + msg.text("queue_routes", ctx.lang, names="، ".join(names))


def _button(label_key: str, ctx: ViewContext, action: Action, ref: int = 0, **values: object):
    return InlineKeyboardButton(
        msg.text(label_key, ctx.lang, **values), callback_data=Button(action, ref).encode()
    )


def _when(moment: datetime, ctx: ViewContext) -> str:
    return msg.when(moment, ctx.tz, ctx.lang)


def _shorten(text: str, limit: int = TITLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ——— keyboards ———


def _label_values(article_id: int) -> dict[str, int]:
    """What a button's label may name: the post, and the spacing «space them out» applies."""
    return {"article_id": article_id, "minutes": SPACING_MINUTES}


def _keyboard(ctx: ViewContext, ref: int, *rows: Sequence[tuple[str, Action]]) -> InlineKeyboardMarkup:
    """Rows of buttons (label key, action), all about the same post."""
    return InlineKeyboardMarkup(
        [[_button(label, ctx, action, ref, **_label_values(ref)) for label, action in row] for row in rows]
    )


def draft_keyboard(article_id: int, ctx: ViewContext) -> InlineKeyboardMarkup:
    """The choices under a preview."""
    return _keyboard(
        ctx,
        article_id,
        [("btn_now", Action.PUBLISH_NOW), ("btn_slot", Action.NEXT_SLOT)],
        [
            ("btn_hour", Action.IN_AN_HOUR),
            ("btn_tonight", Action.TONIGHT),
            ("btn_morning", Action.TOMORROW_MORNING),
        ],
        [("btn_pick", Action.PICK_TIME), ("btn_changes", Action.CHANGES)],
        [("btn_edit", Action.EDIT), ("btn_discard", Action.DISCARD)],
    )


def scheduled_keyboard(article_id: int, ctx: ViewContext, *, clash: bool = False) -> InlineKeyboardMarkup:
    """The choices under a scheduled post: publish now, another time, edit, cancel (and space out)."""
    rows = [
        [("btn_now", Action.PUBLISH_NOW), ("btn_reschedule", Action.PICK_TIME)],
        [("btn_edit", Action.EDIT), ("btn_cancel", Action.CANCEL)],
    ]
    if clash:
        rows.append([("btn_space_out", Action.SPACE_OUT)])
    return _keyboard(ctx, article_id, *rows)


def failed_keyboard(article_id: int, ctx: ViewContext, *, first: str = "btn_retry") -> InlineKeyboardMarkup:
    """The choices under a failed or missed post."""
    return _keyboard(
        ctx,
        article_id,
        [(first, Action.PUBLISH_NOW), ("btn_pick", Action.PICK_TIME)],
        [("btn_edit", Action.EDIT), ("btn_discard", Action.CANCEL)],
    )


def uncertain_keyboard(article_id: int, ctx: ViewContext) -> InlineKeyboardMarkup:
    """The choices for a post that may or may not have reached the channel."""
    return _keyboard(
        ctx,
        article_id,
        [("btn_send_anyway", Action.SEND_ANYWAY)],
        [("btn_already_sent", Action.ALREADY_SENT)],
        [("btn_drop", Action.DROP)],
    )


def published_keyboard(article_id: int, ctx: ViewContext) -> InlineKeyboardMarkup:
    """The button under a "published" notice."""
    return _keyboard(ctx, article_id, [("btn_delete", Action.ASK_DELETE)])


def restore_keyboard(article_id: int, ctx: ViewContext) -> InlineKeyboardMarkup:
    """The button of a cancelled or discarded post: ↩️ brings it back (bot.desk.undo)."""
    return _keyboard(ctx, article_id, [("btn_restore", Action.RESTORE)])


def card_keyboard(article: Article, ctx: ViewContext, *, clash: bool = False) -> InlineKeyboardMarkup | None:
    """The choices a post's state allows (and 🔔 / 🔕 while it is not sent)."""
    return _with_ring_button(_state_keyboard(article, ctx, clash=clash), article, ctx)


def _state_keyboard(article: Article, ctx: ViewContext, *, clash: bool) -> InlineKeyboardMarkup | None:
    if article.deleted:
        return None
    match article.status:
        case PostStatus.DRAFT:
            return draft_keyboard(article.id, ctx)
        case PostStatus.SCHEDULED:
            return scheduled_keyboard(article.id, ctx, clash=clash)
        case PostStatus.FAILED:
            return failed_keyboard(article.id, ctx)
        case PostStatus.PUBLISHING:
            return uncertain_keyboard(article.id, ctx)
        case PostStatus.PUBLISHED:
            return published_keyboard(article.id, ctx)
        case PostStatus.CANCELLED:
            return restore_keyboard(article.id, ctx)
    return None


def _listing_keyboard(listing: Listing, ctx: ViewContext) -> InlineKeyboardMarkup | None:
    rows = []
    for article in listing.articles:
        if article.status is PostStatus.CANCELLED:  # its content, or straight back
            opened = _button("btn_open", ctx, Action.OPEN, article.id, article_id=article.id, warn="")
            rows.append(
                [opened, _button("btn_restore", ctx, Action.RESTORE, article.id, article_id=article.id)]
            )
            continue
        warn = "⚠️ " if article.id in listing.clashes else ""
        if article.ring is not None or not loud(article, ctx):  # the plain case (loud) goes unmarked
            warn += "🔔 " if loud(article, ctx) else "🔕 "
        rows.append([_button("btn_open", ctx, Action.OPEN, article.id, article_id=article.id, warn=warn)])
    paging = []
    if listing.page > 0:
        paging.append(_button("btn_prev", ctx, listing.kind, listing.page - 1))
    if listing.page + 1 < listing.pages:
        paging.append(_button("btn_next", ctx, listing.kind, listing.page + 1))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows) if rows else None


# The label of each choice the duplicate guard asks about again (as under the preview).
_CHOICE_LABELS = {
    Action.PUBLISH_NOW: "btn_now",
    Action.NEXT_SLOT: "btn_slot",
    Action.IN_AN_HOUR: "btn_hour",
    Action.TONIGHT: "btn_tonight",
    Action.TOMORROW_MORNING: "btn_morning",
    Action.PICK_TIME: "btn_pick",
}


def _yes_no(
    ctx: ViewContext, yes: tuple[str, Action, int], no: tuple[str, Action, int]
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(yes[0], ctx, yes[1], yes[2]), _button(no[0], ctx, no[1], no[2])]])


# ——— answers ———


def in_place(answer: Answer) -> bool:
    """Whether a button's answer replaces the message the button was on (else: new messages)."""
    if isinstance(answer, Restored):  # ↩️ under the cancel's answer: in its place; from /drafts: anew
        return answer.undo
    if isinstance(answer, Changes):
        return answer.turned  # the first page comes under the preview, the others replace it
    if isinstance(answer, CannotDelete):  # in place of "delete it?", not of the notice under 🗑
        return answer.asked
    return not isinstance(
        answer, Preview | Card | AskCorrect | Asked | AskDelete | AskFlood | AskDuplicate | WaitEnded
    )


def alert(answer: Answer, ctx: ViewContext) -> str | None:
    """For a refusal, its plain text: a button's refusal is an alert over the message the button was on,
    which stays as it was (the notice of a deleted post keeps its link, a card its other choices)."""
    if not isinstance(answer, Refused):
        return None
    return "\n".join(visible_text(outgoing.text) for outgoing in render(answer, ctx))


@singledispatch
def render(answer: Answer, ctx: ViewContext) -> list[Outgoing]:
    """The messages that show `answer` to the editor."""
    raise TypeError(f"no view for {type(answer).__name__}")


def _notes(notes: Sequence[Note], ctx: ViewContext) -> str:
    return "".join(msg.text(f"note_{note}", ctx.lang) + "\n" for note in notes)


def _clash_line(clashes: Sequence[Article], ctx: ViewContext) -> str:
    if not clashes:
        return ""
    others = "، ".join(f"#{msg.number(a.id, ctx.lang)}" for a in clashes)
    return "\n" + msg.text("clash_warning", ctx.lang, others=others)


def preview_messages(
    article: Article,
    ctx: ViewContext,
    head: str = "",
    *,
    clashes: Sequence[Article] = (),
    duplicate: Duplicate | None = None,
    routes: Sequence[Route] = (),
) -> list[Outgoing]:
    """The post exactly as the channel will get it, between an intro and the choices (and where it
    goes, when there are mirrors)."""
    intro = head + msg.text(
        "preview_intro", ctx.lang, article_id=article.id, parts=message_total(article.parts)
    )
    shape = layout(article.media, article.html)
    if shape is not Layout.TEXT:  # how the text goes with the media, and why
        intro += "\n" + msg.text(
            f"layout_{shape}",
            ctx.lang,
            kind=msg.text(f"media_{article.media[0].kind}", ctx.lang),
            limit=MAX_CAPTION_UTF16,
        )
    choose = msg.text(f"card_{article.status}", ctx.lang, article_id=article.id)
    if article.status is PostStatus.SCHEDULED and article.scheduled_at is not None:
        choose = msg.text(
            "card_scheduled_at", ctx.lang, article_id=article.id, when=_when(article.scheduled_at, ctx)
        )
    choose += _ring_line(article, ctx) + _flood_line(article, ctx) + _clash_line(clashes, ctx)
    choose += _duplicate_line(duplicate, ctx) + _routes_lines(routes, ctx, article)
    keyboard = _with_route_buttons(card_keyboard(article, ctx, clash=bool(clashes)), article, routes, ctx)
    return [
        Outgoing(html.escape(intro)),
        *(Outgoing(part.html, media=part.media) for part in article.parts),
        Outgoing(choose, keyboard),
    ]


@render.register
def _(answer: Preview, ctx: ViewContext) -> list[Outgoing]:
    notes = _notes(answer.notes, ctx)
    return preview_messages(
        answer.article, ctx, notes, clashes=answer.clashes, duplicate=answer.duplicate, routes=answer.routes
    )


@render.register
def _(answer: AskFlood, ctx: ViewContext) -> list[Outgoing]:
    ref, count = answer.article_id, answer.messages
    keyboard = InlineKeyboardMarkup(
        [
            [
                _button("btn_publish_all", ctx, Action.PUBLISH_ALL, ref, messages=count),
                _button("btn_shorten", ctx, Action.EDIT, ref),
            ]
        ]
    )
    return [Outgoing(msg.text("ask_flood", ctx.lang, article_id=ref, messages=count), keyboard)]


@render.register
def _(answer: AskDuplicate, ctx: ViewContext) -> list[Outgoing]:
    ref = answer.article_id
    choice = msg.text(_CHOICE_LABELS[answer.action], ctx.lang, article_id=ref)
    yes = _button("btn_anyway", ctx, ANYWAY[answer.action], ref, choice=choice)
    keyboard = InlineKeyboardMarkup([[yes, _button("btn_no", ctx, Action.DISMISS, ref)]])
    earlier = _earlier(answer.duplicate, ctx)
    text = msg.text("ask_duplicate", ctx.lang, earlier=earlier, article_id=ref, choice=choice)
    return [Outgoing(text, keyboard)]


@render.register
def _(answer: RingChosen, ctx: ViewContext) -> list[Outgoing]:
    choices = preview_messages(
        answer.article, ctx, clashes=answer.clashes, duplicate=answer.duplicate, routes=answer.routes
    )
    return choices[-1:]  # the choices, in place


@render.register
def _(answer: Card, ctx: ViewContext) -> list[Outgoing]:
    status_key = "deleted" if answer.article.deleted else answer.article.status
    head = msg.text("card_state", ctx.lang, status=msg.text(f"status_{status_key}", ctx.lang)) + "\n"
    return preview_messages(
        answer.article, ctx, head, clashes=answer.clashes, duplicate=answer.duplicate, routes=answer.routes
    )


@render.register
def _(answer: Scheduled, ctx: ViewContext) -> list[Outgoing]:
    quiet = msg.text("quiet_note", ctx.lang) if answer.quiet else ""
    text = _notes(answer.notes, ctx) + msg.text(
        "scheduled", ctx.lang, article_id=answer.article.id, when=_when(answer.when, ctx), quiet=quiet
    )
    if answer.assumption is not None:
        typed, when = html.escape(answer.typed.strip()), _when(answer.when, ctx)
        text += "\n" + msg.text(f"time_assumed_{answer.assumption}", ctx.lang, typed=typed, when=when)
    text += _clash_line(answer.clashes, ctx)
    keyboard = scheduled_keyboard(answer.article.id, ctx, clash=bool(answer.clashes))
    return [Outgoing(text, _with_ring_button(keyboard, answer.article, ctx))]


@render.register
def _(answer: Refused, ctx: ViewContext) -> list[Outgoing]:
    article = answer.article
    if answer.reason is Refusal.WRONG_STATE and article is not None:
        status = msg.text(f"status_{'deleted' if article.deleted else article.status}", ctx.lang)
        return [Outgoing(msg.text("draft_gone", ctx.lang, article_id=answer.article_id, status=status))]
    if answer.reason is Refusal.MEDIA_MISMATCH and article is not None:
        key = "refused_media_mismatch_" + ("one" if len(article.media) == 1 else "album")
        return [Outgoing(msg.text(key, ctx.lang, article_id=article.id, count=len(article.media)))]
    if answer.reason is Refusal.UNDO_EXPIRED:
        values = {"article_id": answer.article_id, "seconds": UNDO_SECONDS, "days": KEPT_DAYS}
        return [Outgoing(msg.text("refused_undo_expired", ctx.lang, **values))]
    if answer.reason in (Refusal.NO_FREE_SLOT, Refusal.TONIGHT_PASSED) and article is not None:
        return [Outgoing(msg.text(f"refused_{answer.reason}", ctx.lang), card_keyboard(article, ctx))]
    return [Outgoing(msg.text(f"refused_{answer.reason}", ctx.lang, article_id=answer.article_id))]


@render.register
def _(answer: TimeRefused, ctx: ViewContext) -> list[Outgoing]:
    error = answer.error
    typed = html.escape(error.text.strip())
    if error.reason is TimeParseReason.PAST:
        if error.meant is None:
            return [Outgoing(msg.text("time_past_plain", ctx.lang, typed=typed))]
        return [Outgoing(msg.text("time_past", ctx.lang, typed=typed, when=_when(error.meant, ctx)))]
    return [Outgoing(msg.text(f"time_{error.reason}", ctx.lang, typed=typed))]


@render.register
def _(answer: Done, ctx: ViewContext) -> list[Outgoing]:
    return [Outgoing(msg.text(f"done_{answer.outcome}", ctx.lang, article_id=answer.article_id))]


@render.register
def _(answer: Cancelled, ctx: ViewContext) -> list[Outgoing]:
    done = msg.text(f"done_{answer.outcome}", ctx.lang, article_id=answer.article_id)
    offer = msg.text("undo_offer", ctx.lang, seconds=UNDO_SECONDS, days=KEPT_DAYS)
    undo = InlineKeyboardMarkup([[_button("btn_undo", ctx, Action.UNDO, answer.article_id)]])
    return [Outgoing(f"{done}\n{offer}", undo)]


@render.register
def _(answer: Restored, ctx: ViewContext) -> list[Outgoing]:
    article = answer.article
    if answer.time_passed is not None:
        when = _when(answer.time_passed, ctx)
        head = msg.text("restored_time_passed", ctx.lang, article_id=article.id, when=when)
    else:
        key = "restored_scheduled" if article.status is PostStatus.SCHEDULED else "restored_draft"
        head = msg.text(key, ctx.lang, article_id=article.id)
    shown = preview_messages(article, ctx, head + "\n", clashes=answer.clashes)
    if not answer.undo:  # from /drafts: the post itself, with its choices
        return shown
    choices = shown[-1]  # in place of the cancel's answer, just above the post's preview
    return [Outgoing(f"{html.escape(head)}\n{choices.text}", choices.keyboard)]


@render.register
def _(answer: Asked, ctx: ViewContext) -> list[Outgoing]:
    key = "ask_time" if answer.wait is Wait.TIME else "ask_edit"
    stop = InlineKeyboardMarkup([[_button("btn_stop_waiting", ctx, Action.STOP_WAITING, answer.article_id)]])
    return [Outgoing(msg.text(key, ctx.lang, article_id=answer.article_id, minutes=WAIT_MINUTES), stop)]


@render.register
def _(answer: WaitEnded, ctx: ViewContext) -> list[Outgoing]:
    when = _when(answer.ended_at, ctx)
    text = msg.text(f"wait_late_{answer.kind}", ctx.lang, article_id=answer.article_id, when=when)
    if answer.then is None:
        return [Outgoing(text)]
    return [Outgoing(text + "\n" + msg.text("wait_late_taken", ctx.lang)), *render(answer.then, ctx)]


def wait_ended_notice(kind: Wait, article_id: int, ctx: ViewContext) -> Outgoing:
    """An expired wait's prompt as it is edited: the wait is over, and how to ask again (no buttons)."""
    button = msg.text("btn_pick" if kind is Wait.TIME else "btn_edit", ctx.lang)
    key = f"wait_ended_{kind}"
    return Outgoing(msg.text(key, ctx.lang, article_id=article_id, minutes=WAIT_MINUTES, button=button))


@render.register
def _(answer: AskMakeDraft, ctx: ViewContext) -> list[Outgoing]:
    keyboard = _yes_no(
        ctx, ("btn_make_draft", Action.MAKE_DRAFT, answer.message_id), ("btn_no", Action.DISMISS, 0)
    )
    # A reply to the short message: the "make it a draft" button takes its text from there.
    text = _notes(answer.notes, ctx) + msg.text("ask_make_draft", ctx.lang, words=SHORT_DRAFT_WORDS)
    return [Outgoing(text, keyboard, reply_to=answer.message_id)]


@render.register
def _(answer: AskCorrect, ctx: ViewContext) -> list[Outgoing]:
    article = answer.article
    intro = msg.text("ask_correct_intro", ctx.lang, article_id=article.id)
    if answer.short:
        intro = msg.text("ask_correct_short", ctx.lang) + "\n\n" + intro
    keyboard = _yes_no(
        ctx, ("btn_correct", Action.CORRECT, article.id), ("btn_keep", Action.KEEP, article.id)
    )
    lines = _file_changes(answer, ctx)
    if answer.messages != article.html:
        lines += _word_changes(answer, ctx)
    elif lines:  # only files change: the text is said to stay
        lines.append(msg.text("correct_text_kept", ctx.lang))
    parts = plan_parts(answer.media, answer.messages)
    new, old = message_total(parts), message_total(article.parts)  # channel messages, an album's each
    if new != old:
        key = "correct_more_parts" if new > old else "correct_fewer_parts"
        lines.append(msg.text(key, ctx.lang, new=new, old=old, extra=abs(new - old)))
    notes = []  # what a copy that cannot be edited gets instead, in the channel's words
    if answer.media != article.media:
        notes.append(msg.text("copy_files_note", msg.FA))
    if answer.messages != article.html:
        notes.append(msg.text("copy_correction_note", msg.FA, text="").strip())
    lines += _copies_following(answer.copies, ctx, note=" + ".join(notes))
    lines.append(msg.text("ask_correct", ctx.lang, article_id=article.id))
    shown = [Outgoing(part.html, media=part.media) for part in parts]  # as the channel would show it
    return [Outgoing(intro), *shown, Outgoing("\n".join(lines), keyboard)]


def _file_changes(answer: AskCorrect, ctx: ViewContext) -> list[str]:
    """Which of the post's files a proposed correction replaces (none: no line)."""
    before = answer.article.media
    places = [
        place
        for place, (old, new) in enumerate(zip(before, answer.media, strict=True), start=1)
        if old != new
    ]
    if not places:
        return []
    if len(before) == 1:
        return [msg.text("correct_file", ctx.lang, kind=msg.text(f"media_{before[0].kind}", ctx.lang))]
    separator = "، " if ctx.lang == msg.FA else ", "
    shown = separator.join(msg.number(place, ctx.lang) for place in places)
    return [msg.text("correct_album_files", ctx.lang, places=shown, count=len(before))]


def _word_changes(answer: AskCorrect, ctx: ViewContext) -> list[str]:
    """The words a proposed correction takes out and puts in (or that only its form changes)."""
    words = answer.words
    if not words.removed and not words.added:
        return [msg.text("correct_form_only", ctx.lang)]
    lines = []
    for key, changed in (("correct_removed", words.removed), ("correct_added", words.added)):
        if not changed:
            continue
        shown = html.escape(" ".join(changed[:MAX_WORDS_SHOWN]))
        if len(changed) > MAX_WORDS_SHOWN:
            shown += " " + msg.text("correct_more_words", ctx.lang, count=len(changed) - MAX_WORDS_SHOWN)
        lines.append(msg.text(key, ctx.lang, words=shown))
    return lines


@render.register
def _(answer: AskDelete, ctx: ViewContext) -> list[Outgoing]:
    keyboard = _yes_no(
        ctx,
        ("btn_yes_delete", Action.DELETE, answer.article_id),
        ("btn_no", Action.DISMISS, answer.article_id),
    )
    text = msg.text("delete_confirm", ctx.lang, article_id=answer.article_id)
    following = _copies_following(
        answer.copies, ctx, note=msg.text("copy_deletion_note", msg.FA), deletion=True
    )
    if following:
        text += "\n\n" + "\n".join(following)
    return [Outgoing(text, keyboard)]


def _copies_following(
    copies: Sequence[CopyFollow], ctx: ViewContext, *, note: str, deletion: bool = False
) -> list[str]:
    """What ✅ also writes to each copy of the post elsewhere, with `note`, the words of the note that
    goes out where a copy cannot be edited (deleted); none: no line."""
    if not copies:
        return []
    lines = [msg.text("follow_head", ctx.lang)]
    for copy in copies:
        key = f"follow_{copy.how}_deletion" if deletion and copy.how == "note" else f"follow_{copy.how}"
        name = html.escape(copy.destination.name)
        lines.append(msg.text(key, ctx.lang, name=name, note=html.escape(note)))
    return lines


@render.register
def _(answer: CannotDelete, ctx: ViewContext) -> list[Outgoing]:
    reason = msg.text(f"cannot_delete_{answer.reason}", ctx.lang, hours=DELETE_WINDOW_HOURS)
    text = msg.text("cannot_delete", ctx.lang, article_id=answer.article_id, reason=reason)
    if not answer.can_edit:
        return [Outgoing(text)]
    note = html.escape(msg.text("removal_note", msg.FA))
    text += "\n\n" + msg.text("removal_offer", ctx.lang, note=note)
    keyboard = _yes_no(
        ctx,
        ("btn_removal_note", Action.REMOVAL_NOTE, answer.article_id),
        ("btn_no", Action.DISMISS, answer.article_id),
    )
    return [Outgoing(text, keyboard)]


@render.register
def _(answer: Corrected, ctx: ViewContext) -> list[Outgoing]:
    values = {"article_id": answer.article_id, "reason": html.escape(answer.detail)}
    new, old = answer.parts
    keys = {
        RevisionOutcome.CORRECTED: "edited",
        RevisionOutcome.UNCHANGED: "edit_unchanged",
        RevisionOutcome.PARTS_DIFFER: "edit_parts_differ",
        RevisionOutcome.UNKNOWN_IDS: "edit_unknown_ids",
        RevisionOutcome.GONE: "edit_gone",
        RevisionOutcome.FAILED: "edit_failed",
        RevisionOutcome.UNCERTAIN: "edit_uncertain",
    }
    return [Outgoing(msg.text(keys[answer.outcome], ctx.lang, new=new, old=old, **values))]


@render.register
def _(answer: Deleted, ctx: ViewContext) -> list[Outgoing]:
    if answer.outcome is RemovalOutcome.UNCERTAIN:
        return [Outgoing(msg.text("delete_uncertain", ctx.lang, article_id=answer.article_id))]
    if answer.outcome is RemovalOutcome.FAILED:
        reason = html.escape(answer.detail)
        return [Outgoing(msg.text("delete_failed", ctx.lang, article_id=answer.article_id, reason=reason))]
    if answer.unknown:
        return [
            Outgoing(
                msg.text("deleted_partly", ctx.lang, article_id=answer.article_id, unknown=answer.unknown)
            )
        ]
    return [Outgoing(msg.text("deleted", ctx.lang, article_id=answer.article_id))]


@render.register
def _(answer: Listing, ctx: ViewContext) -> list[Outgoing]:
    name = "queue" if answer.kind is Action.QUEUE_PAGE else "drafts"
    if not answer.total:
        return [Outgoing(msg.text(f"{name}_empty", ctx.lang))]
    page_note = (
        msg.text("queue_page", ctx.lang, page=answer.page + 1, pages=answer.pages) if answer.pages > 1 else ""
    )
    lines = [msg.text(f"{name}_title", ctx.lang, count=answer.total, page=page_note)]
    if any(article.status is PostStatus.CANCELLED for article in answer.articles):
        lines[0] += "\n" + msg.text("drafts_kept_note", ctx.lang, days=KEPT_DAYS)
    for article in answer.articles:
        moment = article.scheduled_at if answer.kind is Action.QUEUE_PAGE else article.updated_at
        when = _when(moment, ctx) if moment else ""
        flag = msg.text("clash_flag", ctx.lang) if article.id in answer.clashes else ""
        if article.status is PostStatus.CANCELLED:  # listed by when it was thrown away
            when = _when(article.cancelled_at, ctx) if article.cancelled_at else when
            flag = _cancelled_flag(article, ctx)
        title = html.escape(_shorten(article.title or article.body))
        item = msg.text("queue_item", ctx.lang, article_id=article.id, when=when, title=title) + flag
        lines.append(item + _queue_routes(answer.routes.get(article.id, ()), ctx, article))
    return [Outgoing("\n\n".join(lines), _listing_keyboard(answer, ctx))]


def _cancelled_flag(article: Article, ctx: ViewContext) -> str:
    """A cancelled post in /drafts: a discarded draft, or a post cancelled from its time (which shows)."""
    if article.scheduled_at is None:
        return msg.text("drafts_flag_discarded", ctx.lang)
    return msg.text("drafts_flag_cancelled", ctx.lang, when=_when(article.scheduled_at, ctx))


@render.register
def _(answer: Changes, ctx: ViewContext) -> list[Outgoing]:
    if not answer.changes:
        return [Outgoing(msg.text("changes_none", ctx.lang, article_id=answer.article_id))]
    starts = line_starts(answer.source)
    lines = [_change_line(change, answer.source, starts, ctx) for change in answer.changes]
    # Room for the title with the widest page note it can have (as many pages as changes).
    budget = MAX_MESSAGE_UTF16 - visible_len(_changes_title(answer, len(lines), len(lines), ctx))
    bounds = pages([visible_len(line) + 2 for line in lines], budget, CHANGES_PER_PAGE)  # 2: "\n\n"
    page = min(answer.page, len(bounds) - 1)  # the draft may have lost changes since the button was made
    text = "\n\n".join([_changes_title(answer, page, len(bounds), ctx), *lines[bounds[page]]])
    turns = []
    if page > 0:
        turns.append(_page_button("btn_changes_prev", ctx, answer.article_id, page - 1))
    if page + 1 < len(bounds):
        turns.append(_page_button("btn_changes_next", ctx, answer.article_id, page + 1))
    return [Outgoing(text, InlineKeyboardMarkup([turns]) if turns else None)]


def _changes_title(answer: Changes, page: int, total: int, ctx: ViewContext) -> str:
    title = msg.text("changes_title", ctx.lang, article_id=answer.article_id, count=len(answer.changes))
    return title + (msg.text("queue_page", ctx.lang, page=page + 1, pages=total) if total > 1 else "")


def _page_button(label_key: str, ctx: ViewContext, article_id: int, page: int) -> InlineKeyboardButton:
    data = Button(Action.CHANGES_PAGE, article_id, page).encode()
    return InlineKeyboardButton(msg.text(label_key, ctx.lang), callback_data=data)


def pages(sizes: Sequence[int], budget: int, most: int) -> list[slice]:
    """Consecutive items of these sizes cut into pages of at most `most` items whose sizes add up to
    at most `budget`, each page as full as it can be; an item bigger than `budget` alone is a page of
    its own (the caller keeps items smaller). No items: one empty page."""
    found: list[slice] = []
    start, used = 0, 0
    for index, size in enumerate(sizes):
        if index > start and (index - start == most or used + size > budget):
            found.append(slice(start, index))
            start, used = index, 0
        used += size
    found.append(slice(start, len(sizes)))
    return found


def _change_line(change: Change, source: str, starts: list[int], ctx: ViewContext) -> str:
    """One change as the editor reads it: where, what kind, and the words before and after."""
    line, _ = line_and_column(source, change.start, starts)
    rule = f"{change.rule}_doubtful" if change.doubtful else change.rule
    what = ("⚠️ " if change.doubtful else "") + msg.text(f"change_{rule}", ctx.lang)
    before, after = html.escape(_shorten(change.before, 60)), html.escape(_shorten(change.after, 60))
    return msg.text("change_line", ctx.lang, line=line, what=what, before=before, after=after)


@render.register
def _(answer: SpacedOut, ctx: ViewContext) -> list[Outgoing]:
    lines = [msg.text("spaced_out", ctx.lang, minutes=SPACING_MINUTES)]
    lines += [
        f"#{msg.number(article_id, ctx.lang)} · {_when(when, ctx)}" for article_id, when in answer.moves
    ]
    return [Outgoing("\n".join(lines), keeps_buttons=True)]  # the post's other choices still hold


def editor_help(bot: str, ctx: ViewContext) -> str:
    """/help for editors: the desk's commands and rules, with the numbers the desk applies."""
    values = {"words": SHORT_DRAFT_WORDS, "seconds": UNDO_SECONDS, "days": KEPT_DAYS}
    return msg.text("editor_help", ctx.lang, bot=bot, **values)


@render.register
def _(answer: HistoryShown, ctx: ViewContext) -> list[Outgoing]:
    article, entries = answer.article, answer.entries
    title = html.escape(_shorten(article.title or article.body))
    if not entries:
        return [Outgoing(msg.text("history_empty", ctx.lang, article_id=article.id, title=title))]
    pages = -(-len(entries) // HISTORY_PAGE_SIZE)
    page = min(answer.page, pages - 1)  # an old button of a history that has shrunk: its last page
    start = page * HISTORY_PAGE_SIZE
    shown = entries[start : start + HISTORY_PAGE_SIZE]
    head = msg.text("history_title", ctx.lang, article_id=article.id, title=title)
    if pages > 1:
        head += msg.text(
            "history_page", ctx.lang, first=start + 1, last=start + len(shown), total=len(entries)
        )
    turns = [("btn_prev", page - 1)] if page > 0 else []
    turns += [("btn_next", page + 1)] if page + 1 < pages else []
    buttons = [
        InlineKeyboardButton(
            msg.text(label, ctx.lang), callback_data=Button(Action.HISTORY_PAGE, article.id, to).encode()
        )
        for label, to in turns
    ]
    text = "\n\n".join([head, *(_history_entry(entry, ctx) for entry in shown)])
    return [Outgoing(text, InlineKeyboardMarkup([buttons]) if buttons else None)]


def _history_entry(entry: HistoryEntry, ctx: ViewContext) -> str:
    """One act: when, who, what it did in the channel and, for a correction, the words it changed."""
    writes = entry.writes
    if entry.editor_id is None:
        who = msg.text("history_by_schedule", ctx.lang)
    else:
        name = html.escape(entry.editor_name or msg.text("history_editor", ctx.lang))
        who = msg.text("history_by", ctx.lang, name=name, user_id=entry.editor_id)
    counts = {"sent": len(writes.sent), "edited": len(writes.edited), "deleted": len(writes.deleted)}
    ring = msg.text("history_ring" if entry.ring else "history_silent", ctx.lang)
    items = ("، " if ctx.lang == msg.FA else ", ").join(msg.number(item, ctx.lang) for item in entry.items)
    where = html.escape(entry.destination)
    what = msg.text(f"history_{entry.act}", ctx.lang, ring=ring, items=items, destination=where, **counts)
    lines = [msg.text("history_entry", ctx.lang, when=_when(entry.at, ctx), who=who, what=what)]
    for key, words in (("correct_removed", entry.removed), ("correct_added", entry.added)):
        if words:
            more = len(words) - HISTORY_WORDS_SHOWN
            shown = html.escape(" ".join(words[:HISTORY_WORDS_SHOWN]))
            if more > 0:
                shown += " " + msg.text("correct_more_words", ctx.lang, count=more)
            lines.append(msg.text(key, ctx.lang, words=shown))
    if entry.destination and entry.act is not Act.COPIED:  # a copy's correction or deletion
        lines.append(msg.text("history_in_copy", ctx.lang, destination=where))
    if not entry.complete:
        lines.append(msg.text("history_incomplete", ctx.lang, reason=html.escape(entry.reason)))
    return "\n".join(lines)


# ——— notices sent unasked ———


def published_notice(
    article: Article, message_ids: Sequence[int], ctx: ViewContext, copies: Sequence[CopyOutcome] = ()
) -> Outgoing:
    """The post is in the channel: how many messages, and a link to the first; then each copy in the
    other destinations, with its link or why it is missing (and 🔁 / ✅ for those not sent)."""
    link = post_link(ctx.channel_id, message_ids[0]) if message_ids else ""
    text = msg.text("published", ctx.lang, article_id=article.id, parts=message_total(article.parts))
    text += _ring_line(article, ctx)
    if link:
        text += "\n" + msg.text("published_link", ctx.lang, url=html.escape(link))
    if copies:
        text += "\n\n" + msg.text("copies_head", ctx.lang) + "\n" + copy_lines(copies, ctx)
    keyboard = published_keyboard(article.id, ctx)
    return Outgoing(text, _with_copy_buttons(keyboard, article.id, copies, ctx))


def copy_lines(copies: Sequence[CopyOutcome], ctx: ViewContext) -> str:
    """One line per copy: ✅ with its link, ❌ with why, ❔ with what to do."""
    lines = []
    for copy in copies:
        name = html.escape(copy.destination.name)
        if copy.state == "sent":
            line = msg.text("copy_sent", ctx.lang, name=name)
            if copy.link:
                line += msg.text("copy_link", ctx.lang, url=html.escape(copy.link))
        elif copy.state == "planned" and copy.due is not None:  # waiting for its own slot
            line = msg.text("copy_planned", ctx.lang, name=name, when=_when(copy.due, ctx))
        else:
            line = msg.text(
                f"copy_{copy.state}", ctx.lang, name=name, detail=html.escape(_shorten(copy.detail))
            )
        lines.append(line)
    return "\n".join(lines)


def _with_copy_buttons(
    keyboard: InlineKeyboardMarkup | None, article_id: int, copies: Sequence[CopyOutcome], ctx: ViewContext
) -> InlineKeyboardMarkup | None:
    """🔁 under a notice of copies that did not all go, and a ✅ for each copy in doubt: one button for
    them all would vouch for a channel the editor did not look at."""
    retry = (
        [("btn_copy_retry", Action.COPY_RETRY)]
        if any(c.state in ("failed", "uncertain") for c in copies)
        else []
    )
    there = [
        [
            InlineKeyboardButton(
                msg.text("btn_copy_there", ctx.lang, name=copy.destination.name),
                callback_data=Button(Action.COPY_THERE, article_id, key=copy.destination.key).encode(),
            )
        ]
        for copy in copies
        if copy.state == "uncertain"
    ]
    if not retry and not there:
        return keyboard
    rows = list(keyboard.inline_keyboard) if keyboard is not None else []
    if retry:
        rows += _keyboard(ctx, article_id, retry).inline_keyboard
    return InlineKeyboardMarkup([*rows, *there])


def copies_notice(article_id: int, copies: Sequence[CopyOutcome], ctx: ViewContext) -> Outgoing:
    """Where the copies of a post stand (after 🔁 or ✅, or at start-up when one is in doubt)."""
    text = msg.text("copies_of", ctx.lang, article_id=article_id) + "\n" + copy_lines(copies, ctx)
    return Outgoing(text, _with_copy_buttons(None, article_id, copies, ctx))


@render.register
def _(answer: CopiesAnswer, ctx: ViewContext) -> list[Outgoing]:
    return [copies_notice(answer.article_id, answer.copies, ctx)]


def failed_notice(article: Article, reason: str, detail: str, ctx: ViewContext) -> Outgoing:
    """Telegram did not take the post: why, and retry."""
    why = msg.text(f"reason_{reason}", ctx.lang, detail=html.escape(detail))
    text = msg.text("publish_failed", ctx.lang, article_id=article.id, reason=why)
    return Outgoing(text, failed_keyboard(article.id, ctx))


def missed_notice(article: Article, late_minutes: int, ctx: ViewContext) -> Outgoing:
    """A post missed while the bot was down, by more than the grace period."""
    assert article.scheduled_at is not None
    when = _when(article.scheduled_at, ctx)
    text = msg.text("missed", ctx.lang, article_id=article.id, when=when, late=late_minutes)
    return Outgoing(text, failed_keyboard(article.id, ctx, first="btn_now"))


def uncertain_notice(article: Article, ctx: ViewContext) -> Outgoing:
    """A post that was being sent when the bot stopped or Telegram's answer was lost."""
    done, parts = parts_covered(article.parts, article.channel_message_ids), len(article.parts)
    if parts > 1:
        text = msg.text(
            "uncertain_part", ctx.lang, article_id=article.id, parts=parts, done=done, part=done + 1
        )
    else:
        text = msg.text("uncertain", ctx.lang, article_id=article.id)
    return Outgoing(text, uncertain_keyboard(article.id, ctx))
