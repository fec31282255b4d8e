"""The editor desk: drafts in, exact previews, publish now or on a schedule, the queue, corrections.

Only EDITOR_IDS reach it. An editor sends a draft (text, a forwarded post, or a `.txt` file); the
bot answers with the post exactly as it will appear in the channel and a keyboard: publish now ·
next free slot · +1 h · tonight · tomorrow morning · pick a time · edit · discard. `/queue` lists
scheduled posts with cancel / reschedule / publish-now buttons. Replying to a post's "published"
message with new text corrects the post in the channel and in the archive; `/delete` removes one.

Callback data is `p:<article id>:<action>` (or `q:<page>` for the queue), far below Telegram's 64
bytes. It comes from the client, so every callback is checked again: the sender must be an editor,
and the action must fit the post's state in the database (the storage transitions refuse the rest).
Handlers stay thin: they translate between Telegram and bot/ + storage/.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import messages as msg
from bot.inputs import MAX_DRAFT_CHARS
from bot.publisher import FailureReason, Outcome, prepare_post
from bot.schedule import is_quiet, next_free_slot
from bot.timeparse import (
    TimeParseError,
    TimeParseReason,
    normalize_typed,
    parse_when,
    tomorrow_morning,
    tonight,
)
from handlers.common import SERVICES_KEY, Services, is_editor, lang_of, services
from storage.database import Article, Database

log = logging.getLogger(__name__)

QUEUE_PAGE_SIZE = 8
MAX_FILE_BYTES = 512 * 1024
MAX_TYPED_TIME_CHARS = 60  # longer text while a time is awaited is a new draft, not a time
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
EDITOR_LANGUAGES_KEY = "editor_languages"  # bot_data: the language last recorded for each editor


# ——— keyboards ———


def _button(label_key: str, lang: str, data: str, **values: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(msg.text(label_key, lang, **values), callback_data=data)


def draft_keyboard(article_id: int, lang: str) -> InlineKeyboardMarkup:
    """The choices under a preview."""
    p = f"p:{article_id}:"
    return InlineKeyboardMarkup(
        [
            [_button("btn_now", lang, p + "now"), _button("btn_slot", lang, p + "slot")],
            [
                _button("btn_hour", lang, p + "h1"),
                _button("btn_tonight", lang, p + "tn"),
                _button("btn_morning", lang, p + "tm"),
            ],
            [_button("btn_pick", lang, p + "pick")],
            [_button("btn_edit", lang, p + "edit"), _button("btn_discard", lang, p + "del")],
        ]
    )


def scheduled_keyboard(article_id: int, lang: str) -> InlineKeyboardMarkup:
    """The choices under a scheduled post."""
    p = f"p:{article_id}:"
    return InlineKeyboardMarkup(
        [
            [_button("btn_now", lang, p + "now"), _button("btn_pick", lang, p + "pick")],
            [_button("btn_cancel", lang, p + "can", article_id=article_id)],
        ]
    )


def failed_keyboard(article_id: int, lang: str, *, first: str = "btn_retry") -> InlineKeyboardMarkup:
    """The choices under a failed or missed post."""
    p = f"p:{article_id}:"
    return InlineKeyboardMarkup(
        [
            [_button(first, lang, p + "now"), _button("btn_pick", lang, p + "pick")],
            [_button("btn_discard", lang, p + "can")],
        ]
    )


def uncertain_keyboard(article_id: int, lang: str) -> InlineKeyboardMarkup:
    """The choices for a post that may or may not have reached the channel."""
    p = f"p:{article_id}:"
    return InlineKeyboardMarkup(
        [
            [_button("btn_send_anyway", lang, p + "send")],
            [_button("btn_already_sent", lang, p + "sent")],
            [_button("btn_drop", lang, p + "drop")],
        ]
    )


def published_keyboard(article_id: int, lang: str) -> InlineKeyboardMarkup:
    """The button under a "published" confirmation."""
    return InlineKeyboardMarkup([[_button("btn_delete", lang, f"p:{article_id}:rm")]])


def queue_keyboard(
    articles: Sequence[Article], page: int, pages: int, lang: str
) -> InlineKeyboardMarkup | None:
    """Cancel / reschedule / publish-now per queued post, and paging."""
    rows = [
        [
            _button("btn_cancel", lang, f"p:{a.id}:qcan", article_id=a.id),
            _button("btn_reschedule", lang, f"p:{a.id}:qpick", article_id=a.id),
            _button("btn_publish_id", lang, f"p:{a.id}:qnow", article_id=a.id),
        ]
        for a in articles
    ]
    paging = []
    if page > 0:
        paging.append(_button("btn_prev", lang, f"q:{page - 1}"))
    if page + 1 < pages:
        paging.append(_button("btn_next", lang, f"q:{page + 1}"))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows) if rows else None


# ——— notices from the publisher and the scheduler ———


class EditorNotices:
    """Tells editors what happened to their posts (bot.publisher / bot.scheduler call these)."""

    def __init__(self, bot: Bot, db: Database, editor_ids: frozenset[int], tz: ZoneInfo) -> None:
        self.bot = bot
        self.db = db
        self.editor_ids = editor_ids
        self.tz = tz

    def _chats(self, article: Article) -> list[int]:
        chat = article.editor_chat_id or article.editor_id
        return [chat] if chat else sorted(self.editor_ids)  # imported posts have no editor

    async def _send(
        self, article: Article, compose: Callable[[str], tuple[str, InlineKeyboardMarkup]]
    ) -> Message | None:
        """Send `compose(lang)` to each editor chat of `article`, in that editor's language."""
        sent = None
        for chat_id in self._chats(article):
            text, keyboard = compose(await self.db.language_of(chat_id) or msg.FA)
            try:
                sent = await self.bot.send_message(
                    chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
                )
            except TelegramError as error:
                log.warning("could not tell editor %s about post %s: %s", chat_id, article.id, error)
        return sent

    async def published(self, article: Article, message_ids: Sequence[int]) -> None:
        """Confirm a publication; replies to this message correct the post."""

        def compose(lang: str) -> tuple[str, InlineKeyboardMarkup]:
            text = msg.text("published", lang, article_id=article.id, parts=len(message_ids))
            return text, published_keyboard(article.id, lang)

        sent = await self._send(article, compose)
        if sent is not None:
            await self.db.set_message_refs(article.id, confirmation_message_id=sent.message_id)

    async def failed(self, article: Article, reason: FailureReason, detail: str) -> None:
        """Say why Telegram did not take the post, and offer to retry."""

        def compose(lang: str) -> tuple[str, InlineKeyboardMarkup]:
            why = msg.text(f"reason_{reason}", lang, detail=html.escape(detail))
            text = msg.text("publish_failed", lang, article_id=article.id, reason=why)
            return text, failed_keyboard(article.id, lang)

        await self._send(article, compose)

    async def missed(self, article: Article, late: timedelta) -> None:
        """Ask what to do with a post missed by more than the grace period."""
        scheduled_at = article.scheduled_at
        assert scheduled_at is not None

        def compose(lang: str) -> tuple[str, InlineKeyboardMarkup]:
            text = msg.text(
                "missed",
                lang,
                article_id=article.id,
                when=msg.when(scheduled_at, self.tz, lang),
                late=int(late.total_seconds() // 60),
            )
            return text, failed_keyboard(article.id, lang, first="btn_now")

        await self._send(article, compose)

    async def uncertain(self, article: Article) -> None:
        """Ask about a post that was being sent when the bot stopped."""
        done, parts = len(article.channel_message_ids), len(article.html)

        def compose(lang: str) -> tuple[str, InlineKeyboardMarkup]:
            if parts > 1:
                text = msg.text("uncertain_part", lang, article_id=article.id, parts=parts, done=done,
                                part=done + 1)  # fmt: skip
            else:
                text = msg.text("uncertain", lang, article_id=article.id)
            return text, uncertain_keyboard(article.id, lang)

        await self._send(article, compose)


async def remember_editor_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record an editor's Telegram language (when it changes), for the notices sent unasked."""
    user = update.effective_user
    if user is None or not is_editor(update, context):
        return
    known: dict[int, str] = context.bot_data.setdefault(EDITOR_LANGUAGES_KEY, {})
    lang = lang_of(update)
    if known.get(user.id) != lang:
        await services(context).db.remember_language(user.id, lang)
        known[user.id] = lang


# ——— drafts ———


async def _show_preview(update: Update, svc: Services, article_id: int, messages: Sequence[str]) -> None:
    """Send the post exactly as the channel will get it, then the choices."""
    lang = lang_of(update)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(msg.text("preview_intro", lang, article_id=article_id, parts=len(messages)))
    for part in messages:
        await chat.send_message(part, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)
    await chat.send_message(
        msg.text("preview_choose", lang, article_id=article_id),
        reply_markup=draft_keyboard(article_id, lang),
    )


async def _take_draft(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Turn a draft into a post row and show its preview (or replace an awaited edit)."""
    svc = services(context)
    lang = lang_of(update)
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    if len(text) > MAX_DRAFT_CHARS:
        await message.reply_text(msg.text("draft_too_long", lang, limit=MAX_DRAFT_CHARS))
        return
    post = prepare_post(text, bullet=svc.settings.bullet, signature=svc.settings.signature)
    if not post.messages:
        await message.reply_text(msg.text("draft_empty", lang))
        return
    awaiting = await svc.db.awaited_input(update.effective_user.id)
    if awaiting:
        await svc.db.stop_awaiting_input(update.effective_user.id)
    if awaiting and awaiting[0] == "edit":
        article_id = awaiting[1]
        if not await svc.db.update_draft(article_id, post.title, post.body, post.messages):
            await message.reply_text(await _refusal(svc, article_id, lang))
            return
    else:
        article_id = await svc.db.create_draft(
            post.title,
            post.body,
            post.messages,
            editor_id=update.effective_user.id,
            editor_chat_id=message.chat_id,
        )
    await _show_preview(update, svc, article_id, post.messages)


async def text_received(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text (or a forwarded post) from an editor: a typed time, a correction or a new draft."""
    message = update.effective_message
    assert message is not None
    text = message.text or message.caption or ""
    if message.reply_to_message and await _correct_published(update, context, text):
        return
    assert update.effective_user is not None
    awaiting = await services(context).db.awaited_input(update.effective_user.id)
    # A time is one short line; a whole draft arriving instead is taken as a new draft (and the wait
    # dropped).
    if awaiting and awaiting[0] == "time" and len(text) <= MAX_TYPED_TIME_CHARS and "\n" not in text.strip():
        await _schedule_typed(update, context, awaiting[1], text)
        return
    await _take_draft(update, context, text)


async def document_received(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A `.txt` file from an editor: its text is the draft."""
    message = update.effective_message
    assert message is not None and message.document is not None
    lang = lang_of(update)
    document = message.document
    name = (document.file_name or "").lower()
    if (
        not (name.endswith(".txt") or document.mime_type == "text/plain")
        or (document.file_size or 0) > MAX_FILE_BYTES
    ):
        await message.reply_text(msg.text("draft_bad_file", lang, limit=MAX_DRAFT_CHARS))
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        await message.reply_text(msg.text("draft_bad_file", lang, limit=MAX_DRAFT_CHARS))
        return
    await _take_draft(update, context, text)


# ——— scheduling ———


def _state_text(article: Article | None, article_id: int, lang: str) -> str:
    """Why a post cannot do what was asked: it does not exist, or its state forbids it."""
    if article is None:
        return msg.text("not_found", lang, article_id=article_id)
    status = msg.text(f"status_{'deleted' if article.deleted else article.status}", lang)
    return msg.text("draft_gone", lang, article_id=article_id, status=status)


async def _refusal(svc: Services, article_id: int, lang: str) -> str:
    return _state_text(await svc.db.get(article_id), article_id, lang)


async def _schedule_typed(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, typed: str
) -> None:
    """Schedule the awaited post at a typed time, or explain what was wrong with it."""
    svc = services(context)
    lang = lang_of(update)
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    tz = svc.settings.tz
    now = svc.clock()
    try:
        when = parse_when(typed, now=now, tz=tz)
    except TimeParseError as error:
        await message.reply_text(_time_error_text(error, lang, now, tz), parse_mode=ParseMode.HTML)
        return
    await svc.db.stop_awaiting_input(update.effective_user.id)
    text, keyboard = await _schedule(svc, article_id, when, lang)
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)


def _time_error_text(error: TimeParseError, lang: str, now: datetime, tz: ZoneInfo) -> str:
    typed = html.escape(error.text.strip())
    if error.reason is TimeParseReason.PAST:
        try:  # say which moment the typed time meant, when it names one
            meant = parse_when(error.text, now=now - timedelta(days=366), tz=tz)
        except TimeParseError:
            return msg.text("time_past_plain", lang, typed=typed)
        return msg.text("time_past", lang, typed=typed, when=msg.when(meant, tz, lang))
    return msg.text(f"time_{error.reason}", lang, typed=typed)


async def _schedule(svc: Services, article_id: int, when: datetime, lang: str) -> Reply:
    """Move the post to `when` in the database, arm its job, and say so."""
    if not await svc.db.schedule(article_id, when):
        return await _refusal(svc, article_id, lang), None
    await svc.scheduler.wake()
    quiet = is_quiet(when, svc.settings.quiet_hours, svc.settings.tz)
    text = msg.text(
        "scheduled",
        lang,
        article_id=article_id,
        when=msg.when(when, svc.settings.tz, lang),
        quiet=msg.text("quiet_note", lang) if quiet else "",
    )
    return text, scheduled_keyboard(article_id, lang)


async def _refused_non_editor(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> bool:
    """Turn away anyone not in EDITOR_IDS (an alert for a button, a reply for a message)."""
    if is_editor(update, context):
        return False
    if update.callback_query is not None:
        await update.callback_query.answer(msg.text("not_editor", lang), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(msg.text("not_editor", lang))
    return True


# ——— callbacks ———

Reply = tuple[str, InlineKeyboardMarkup | None]
Action = Callable[[Update, ContextTypes.DEFAULT_TYPE, int, str, str], Awaitable[Reply | None]]


async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button under a preview, a notice or the queue: check the sender, then act."""
    query = update.callback_query
    assert query is not None
    lang = lang_of(update)
    if await _refused_non_editor(update, context, lang):
        return
    _, article_text, action = ((query.data or "") + "::").split(":")[:3]
    from_queue = action.startswith("q") and action[1:] in _ACTIONS  # a button under /queue
    action = action[1:] if from_queue else action
    act = _ACTIONS.get(action)
    await query.answer()
    if act is None or not article_text.isdigit():
        return
    reply = await act(update, context, int(article_text), action, lang)
    if reply is not None and from_queue:  # show the queue as it is now, under the outcome
        queue_text, queue_buttons = await _queue_page(services(context), 0, lang)
        reply = (f"{reply[0]}\n\n{queue_text}", queue_buttons)
    if reply is not None:
        text, keyboard = reply
        try:
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
        except BadRequest as error:  # e.g. "message is not modified" after a double tap
            log.debug("could not edit the button message: %s", error)


async def _act_schedule_preset(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, action: str, lang: str
) -> Reply:
    """Next free slot, +1 h, tonight or tomorrow morning."""
    svc = services(context)
    now = svc.clock()
    tz = svc.settings.tz
    if action == "slot":
        taken = await svc.db.scheduled_times(now, now + timedelta(days=400))
        try:
            when = next_free_slot(now, svc.settings.posting_slots, tz, taken)
        except ValueError:
            return msg.text("no_free_slot", lang), draft_keyboard(article_id, lang)
    elif action == "h1":
        when = now + timedelta(hours=1)
    elif action == "tn":
        when = tonight(now, tz)
        if when <= now:
            return msg.text("tonight_passed", lang), draft_keyboard(article_id, lang)
    else:
        when = tomorrow_morning(now, tz)
    return await _schedule(svc, article_id, when, lang)


async def _act_publish_now(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, action: str, lang: str
) -> Reply:
    """Publish at once; the "published" confirmation (or the failure notice) follows."""
    svc = services(context)
    now = svc.clock()
    if not await svc.db.schedule(article_id, now):
        return await _refusal(svc, article_id, lang), None
    outcome = await svc.publisher.publish(article_id, due_by=now + timedelta(seconds=1))
    if outcome is Outcome.PUBLISHED:
        return msg.text("done", lang), None
    return await _refusal(svc, article_id, lang), None


async def _act_pick(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, action: str, lang: str
) -> None:
    """Wait for a typed time for this post."""
    assert update.effective_user is not None and update.effective_chat is not None
    await services(context).db.await_input(update.effective_user.id, "time", article_id)
    await update.effective_chat.send_message(
        msg.text("ask_time", lang, article_id=article_id), parse_mode=ParseMode.HTML
    )


async def _act_edit(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, action: str, lang: str
) -> Reply | None:
    """Wait for the corrected text of a post not yet published."""
    assert update.effective_user is not None and update.effective_chat is not None
    article = await services(context).db.get(article_id)
    if article is None or article.deleted or article.status not in ("draft", "scheduled", "failed"):
        return _state_text(article, article_id, lang), None
    await services(context).db.await_input(update.effective_user.id, "edit", article_id)
    await update.effective_chat.send_message(msg.text("ask_edit", lang, article_id=article_id))
    return None


async def _act_cancel(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, action: str, lang: str
) -> Reply:
    """Discard a draft, or cancel a scheduled or failed post."""
    svc = services(context)
    if not await svc.db.cancel(article_id):
        return await _refusal(svc, article_id, lang), None
    await svc.scheduler.wake()
    return msg.text("draft_discarded" if action == "del" else "cancelled", lang, article_id=article_id), None


async def _act_uncertain(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, action: str, lang: str
) -> Reply:
    """The editor's answer about a post left in `publishing` by a crash: send, sent, or drop."""
    svc = services(context)
    if svc.publisher.is_sending(article_id):  # in flight right now: not a leftover of a crash
        return await _refusal(svc, article_id, lang), None
    if action == "send":
        if await svc.db.revert_to_scheduled(article_id, svc.clock()):
            await svc.publisher.publish(article_id)
            return msg.text("done", lang), None
    elif action == "sent":
        if await _confirm_uncertain_part(svc, article_id):
            return msg.text("marked_published", lang, article_id=article_id), None
    elif await _drop_uncertain(svc, article_id):
        return msg.text("cancelled", lang, article_id=article_id), None
    return await _refusal(svc, article_id, lang), None


async def _drop_uncertain(svc: Services, article_id: int) -> bool:
    """The editor does not want the half-sent post: take back its confirmed parts and cancel it."""
    article = await svc.db.get(article_id)
    if article is None or article.status != "publishing":
        return False
    await svc.publisher.take_back(article.channel_message_ids)
    await svc.db.record_sent_parts(article_id, [])
    return await svc.db.mark_failed(article_id, "dropped by the editor") and await svc.db.cancel(article_id)


async def _confirm_uncertain_part(svc: Services, article_id: int) -> bool:
    """The editor saw the doubtful part in the channel: record it (its id is unknown, so a
    placeholder below zero), then publish the parts after it, if any; False if not uncertain."""
    article = await svc.db.get(article_id)
    if article is None or article.status != "publishing":
        return False
    confirmed = [*article.channel_message_ids, -article_id]
    if len(confirmed) >= len(article.html):
        known = [message_id for message_id in confirmed if message_id > 0]
        return await svc.db.mark_published(article_id, known, svc.clock())
    if not await svc.db.record_sent_parts(article_id, confirmed):
        return False
    if await svc.db.revert_to_scheduled(article_id, svc.clock()):
        await svc.publisher.publish(article_id)
        return True
    return False


async def _act_ask_delete(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, action: str, lang: str
) -> None:
    """Ask before deleting a published post."""
    assert update.effective_chat is not None
    await _ask_delete(update.effective_chat.send_message, article_id, lang)


async def _act_delete(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, action: str, lang: str
) -> Reply:
    """Delete a published post from the channel and the archive."""
    return await _delete_published(services(context), context, article_id, lang), None


async def _act_dismiss(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int, action: str, lang: str
) -> Reply:
    """Leave things as they are."""
    return msg.text("done", lang), None


_ACTIONS: dict[str, Action] = {
    "now": _act_publish_now,
    "slot": _act_schedule_preset,
    "h1": _act_schedule_preset,
    "tn": _act_schedule_preset,
    "tm": _act_schedule_preset,
    "pick": _act_pick,
    "edit": _act_edit,
    "del": _act_cancel,
    "can": _act_cancel,
    "send": _act_uncertain,
    "sent": _act_uncertain,
    "drop": _act_uncertain,
    "rm": _act_ask_delete,
    "rmy": _act_delete,
    "no": _act_dismiss,
}


# ——— the queue ———


async def queue_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/queue`: the scheduled posts, with cancel / reschedule / publish-now buttons."""
    message = update.effective_message
    assert message is not None
    lang = lang_of(update)
    if await _refused_non_editor(update, context, lang):
        return
    text, keyboard = await _queue_page(services(context), 0, lang)
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)


async def queue_page_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`q:<page>`: another page of the queue."""
    query = update.callback_query
    assert query is not None
    lang = lang_of(update)
    if await _refused_non_editor(update, context, lang):
        return
    page_text = (query.data or "").removeprefix("q:")
    await query.answer()
    if not page_text.isdigit():
        return
    text, keyboard = await _queue_page(services(context), int(page_text), lang)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)


async def _queue_page(svc: Services, page: int, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    pending = await svc.db.list_scheduled()
    if not pending:
        return msg.text("queue_empty", lang), None
    pages = -(-len(pending) // QUEUE_PAGE_SIZE)
    page = min(page, pages - 1)
    shown = pending[page * QUEUE_PAGE_SIZE : (page + 1) * QUEUE_PAGE_SIZE]
    page_note = msg.text("queue_page", lang, page=page + 1, pages=pages) if pages > 1 else ""
    lines = [msg.text("queue_title", lang, count=len(pending), page=page_note)]
    for article in shown:
        assert article.scheduled_at is not None
        title = html.escape(_shorten(article.title or article.body, 70))
        when = msg.when(article.scheduled_at, svc.settings.tz, lang)
        lines.append(msg.text("queue_item", lang, article_id=article.id, when=when, title=title))
    return "\n\n".join(lines), queue_keyboard(shown, page, pages, lang)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ——— published posts: corrections and deletion ———


async def _article_of_reply(svc: Services, message: Message) -> Article | None:
    """The published post whose confirmation `message` replies to, if any."""
    replied = message.reply_to_message
    if replied is None:
        return None
    return await svc.db.find_by_confirmation(replied.chat_id, replied.message_id)


async def _correct_published(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> bool:
    """Replace a published post by the replied-with text; False when the reply is not to one."""
    svc = services(context)
    message = update.effective_message
    assert message is not None
    article = await _article_of_reply(svc, message)
    if article is None or article.status != "published":
        return False
    lang = lang_of(update)
    post = prepare_post(text, bullet=svc.settings.bullet, signature=svc.settings.signature)
    if not post.messages:
        await message.reply_text(msg.text("draft_empty", lang))
        return True
    old_ids = list(article.channel_message_ids)
    if len(old_ids) != len(article.html):  # a part was confirmed by eye: its message id is unknown
        await message.reply_text(msg.text("edit_unknown_ids", lang, article_id=article.id))
        return True
    if len(post.messages) != len(old_ids):
        parts = {"new": len(post.messages), "old": len(old_ids)}
        await message.reply_text(msg.text("edit_parts_differ", lang, **parts))
        return True
    if post.messages == article.html:
        await message.reply_text(msg.text("edit_unchanged", lang, article_id=article.id))
        return True
    channel = svc.settings.channel_id
    try:
        for message_id, old, new in zip(old_ids, article.html, post.messages, strict=True):
            if old != new:
                await context.bot.edit_message_text(
                    new, channel, message_id, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
                )
    except TelegramError as error:
        await message.reply_text(
            msg.text("edit_failed", lang, article_id=article.id, reason=html.escape(str(error))),
            parse_mode=ParseMode.HTML,
        )
        return True
    await svc.db.update_published_content(article.id, post.title, post.body, post.messages)
    await message.reply_text(msg.text("edited", lang, article_id=article.id))
    return True


async def delete_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/delete` (replying to a confirmation, or with a post number): ask, then delete."""
    message = update.effective_message
    assert message is not None
    lang = lang_of(update)
    if await _refused_non_editor(update, context, lang):
        return
    svc = services(context)
    article = await _article_of_reply(svc, message)
    typed_id = normalize_typed(context.args[0]).lstrip("#") if context.args else ""
    if article is None and typed_id.isdigit():
        article = await svc.db.get(int(typed_id))
    if article is None or article.status != "published":
        await message.reply_text(msg.text("delete_usage", lang), parse_mode=ParseMode.HTML)
        return
    await _ask_delete(message.reply_text, article.id, lang)


async def _ask_delete(send: Callable[..., Awaitable[Message]], article_id: int, lang: str) -> None:
    yes = _button("btn_yes_delete", lang, f"p:{article_id}:rmy")
    keyboard = InlineKeyboardMarkup([[yes, _button("btn_no", lang, f"p:{article_id}:no")]])
    await send(msg.text("delete_confirm", lang, article_id=article_id), reply_markup=keyboard)


async def _delete_published(
    svc: Services, context: ContextTypes.DEFAULT_TYPE, article_id: int, lang: str
) -> str:
    article = await svc.db.get(article_id)
    if article is None or article.status != "published" or article.deleted:
        return _state_text(article, article_id, lang)
    for message_id in article.channel_message_ids:
        try:
            await context.bot.delete_message(svc.settings.channel_id, message_id)
        except BadRequest as error:
            if "not found" not in str(error).lower():  # already gone is what we wanted
                return msg.text("delete_failed", lang, article_id=article_id, reason=html.escape(str(error)))
        except TelegramError as error:
            return msg.text("delete_failed", lang, article_id=article_id, reason=html.escape(str(error)))
    await svc.db.mark_deleted(article_id)
    unknown = len(article.html) - len(article.channel_message_ids)
    if unknown > 0:
        return msg.text("deleted_partly", lang, article_id=article_id, unknown=unknown)
    return msg.text("deleted", lang, article_id=article_id)


# ——— wiring ———


def register(application: Application) -> None:
    """Add the editor desk's handlers to the application (editors' private chat first)."""
    editor_ids = application.bot_data[SERVICES_KEY].settings.editor_ids
    editors_private = filters.ChatType.PRIVATE & filters.User(user_id=editor_ids)
    application.add_handler(TypeHandler(Update, remember_editor_language), group=-1)
    application.add_handler(CommandHandler("queue", queue_command))
    application.add_handler(CommandHandler("delete", delete_command))
    application.add_handler(CallbackQueryHandler(button_pressed, pattern=r"^p:"))
    application.add_handler(CallbackQueryHandler(queue_page_pressed, pattern=r"^q:"))
    application.add_handler(
        MessageHandler(editors_private & filters.Document.ALL & ~filters.COMMAND, document_received)
    )
    application.add_handler(
        MessageHandler(editors_private & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND, text_received)
    )
