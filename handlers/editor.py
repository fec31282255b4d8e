"""The editor desk in Telegram: drafts in, exact previews, publish now or on a schedule, the queue.

Only EDITOR_IDS reach it, and only in their private chat with the bot. An editor sends a draft (text,
a forwarded post, or a `.txt` file) and gets the post exactly as it will appear in the channel, with
buttons: publish now · next free slot · +1 h · tonight · tomorrow morning · pick a time · edit ·
discard. Editing the sent message in Telegram updates the draft. `/queue` and `/drafts` list posts,
each opening with its choices; `/delete` removes a published post; `/cancel` stops a wait. Replying
to a "published" notice with new text corrects the post in the channel.

Each handler reads the update, calls the desk service (`bot.desk.service`), and shows its answer with
`bot.desk.view`. Button data is parsed by `bot.desk.callbacks`; `editors_only` is the one gate.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.constants import ChatType
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
from bot.core.inputs import MAX_DRAFT_CHARS
from bot.desk import callbacks, copies, view
from bot.desk.answers import Asked, EditorMessage
from bot.desk.callbacks import Action
from handlers import media, showing, subscriber
from handlers.common import SERVICES_KEY, is_editor, lang_of, services
from handlers.showing import show

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 512 * 1024
TEXT_FILE = filters.Document.FileExtension("txt") | filters.Document.MimeType(
    "text/plain"
)  # a draft as a file
ALBUMS_KEY = "albums"  # bot_data: albums being gathered (handlers.media.Albums)
EDITOR_LANGUAGES_KEY = "editor_languages"  # bot_data: the language and name last recorded for each editor
EDITOR_COMMANDS = ("drafts", "queue", "delete", "history", "cancel")  # the order of the editors' menu

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE, view.ViewContext], Awaitable[None]]


def editors_only(handler: Handler) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
    """The one gate: editors, in their private chat with the bot. Anyone else is refused, and an
    editor's command in a group is refused there without showing anything of the desk."""

    @functools.wraps(handler)
    async def gated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        lang = lang_of(update)
        chat = update.effective_chat
        refusal = None
        if not is_editor(update, context):
            refusal = msg.text("not_editor", lang)
        elif chat is None or chat.type != ChatType.PRIVATE:
            refusal = msg.text("private_only", lang)
        if refusal is None:
            svc = services(context)
            s = svc.settings
            ctx = view.ViewContext(
                lang, s.tz, str(s.channel_id), svc.clock(), s.quiet_hours, s.flood_messages, s.eitaa_deletion
            )
            await handler(update, context, ctx)
        elif update.callback_query is not None:
            await update.callback_query.answer(refusal, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(refusal)

    return gated


async def remember_editor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record an editor's Telegram language and name (when they change): the notices sent unasked
    speak their language, and a post's history names who acted (`/history`)."""
    user = update.effective_user
    if user is None or not is_editor(update, context):
        return
    known: dict[int, tuple[str, str]] = context.bot_data.setdefault(EDITOR_LANGUAGES_KEY, {})
    lang, name = seen = (lang_of(update), user.full_name)
    if known.get(user.id) != seen:
        await services(context).db.remember_language(user.id, lang)
        await services(context).db.remember_editor_name(user.id, name)
        known[user.id] = seen


@editors_only
async def text_received(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """A text or a forwarded post: a correction, an awaited answer, or a draft."""
    message = update.effective_message
    assert message is not None
    text = media.draft_text(message)
    if len(text) > MAX_DRAFT_CHARS:
        await message.reply_text(msg.text("draft_too_long", ctx.lang, limit=MAX_DRAFT_CHARS))
        return
    said = media.editor_message(message, context)
    await show(message, await services(context).desk.take_text(said, text), ctx)


@editors_only
async def edit_received(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """The editor edited a message they had sent: the draft made from it follows."""
    message = update.edited_message
    assert message is not None
    if TEXT_FILE.check_update(update):  # the draft is the file's text, not its caption
        await message.reply_text(msg.text("file_caption_edit_ignored", ctx.lang))
        return
    text = media.draft_text(message)
    if len(text) > MAX_DRAFT_CHARS:
        await message.reply_text(msg.text("draft_too_long", ctx.lang, limit=MAX_DRAFT_CHARS))
        return
    said = media.editor_message(message, context)
    await show(message, await services(context).desk.take_edit(said, text), ctx)


@editors_only
async def document_received(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext
) -> None:
    """A `.txt` file: its text is the draft."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    text = None
    if (document.file_size or 0) <= MAX_FILE_BYTES:  # a .txt or text/plain (the handler's filter)
        text = media.file_text(bytes(await (await document.get_file()).download_as_bytearray()))
    if text is None or len(text) > MAX_DRAFT_CHARS:
        await message.reply_text(msg.text("draft_bad_file", ctx.lang, limit=MAX_DRAFT_CHARS))
        return
    answer = await services(context).desk.take_text(media.editor_message(message, context), text, asked=True)
    await show(message, answer, ctx)


@editors_only
async def media_received(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """A photo, video, GIF, audio or file (not .txt), forwarded or not; an album's items are gathered."""
    message = update.effective_message
    assert message is not None
    desk = services(context).desk

    async def take(messages: list[Message]) -> None:
        items = [item for m in messages if (item := media.media_item(m)) is not None]
        text = next((media.draft_text(m) for m in messages if m.caption), "")
        said = media.editor_message(messages[0], context)  # an album's parts share their origin
        await show(messages[0], await desk.take_media(said, text, items), ctx)

    if message.media_group_id is None:
        await take([message])
    else:
        context.bot_data.setdefault(ALBUMS_KEY, media.Albums()).add(context.application, message, take)


@editors_only
async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """A desk button: parse it, let the desk act, and show the outcome."""
    query = update.callback_query
    assert query is not None and query.from_user is not None
    button = callbacks.parse(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if button is None or message is None:
        await query.answer(msg.text("refused_stale_button", ctx.lang), show_alert=True)
        return
    desk = services(context).desk
    if button.action is Action.MAKE_DRAFT:  # the short message this question replied to
        replied = message.reply_to_message
        text = media.draft_text(replied) if replied else ""
        source = EditorMessage(query.from_user.id, message.chat_id, button.ref)
        if replied is not None and replied.from_user is not None:  # the editor's message: its origin too
            source = media.editor_message(replied, context)
        decision = desk.take_text(source, text, asked=True)
    elif button.action in copies.ACTIONS:  # the copies in other destinations: not the desk's own posts
        decision = copies.press(services(context).copies, button, query.from_user.id)
    else:
        decision = desk.press(query.from_user.id, button)
    answer, alerted = await showing.decide_for_button(query, decision, ctx)
    sent = await showing.show_for_button(query, message, answer, ctx, alerted=alerted)
    if isinstance(answer, Asked) and sent:  # the wait's prompt: edited when the wait expires
        user, prompt = query.from_user.id, sent[-1]
        await desk.waits.prompt_shown(user, answer.article_id, prompt.chat_id, prompt.message_id)


@editors_only
async def queue_command(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """`/queue`: the scheduled posts; each opens with edit, reschedule and cancel."""
    assert update.effective_message is not None
    await show(update.effective_message, await services(context).desk.queue(), ctx)


@editors_only
async def drafts_command(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """`/drafts`: drafts and failed posts not yet scheduled."""
    assert update.effective_message is not None
    await show(update.effective_message, await services(context).desk.drafts(), ctx)


@editors_only
async def delete_command(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """`/delete` (replying to a "published" notice, or with a post number): ask, then delete."""
    message = update.effective_message
    assert message is not None
    typed = context.args[0] if context.args else ""
    said = media.editor_message(message, context)
    await show(message, await services(context).desk.delete_request(said, typed), ctx)


@editors_only
async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """`/history` (replying to a "published" notice, or with a post number or link): every act on the
    post in the channel, with who and when."""
    message = update.effective_message
    assert message is not None
    typed = " ".join(context.args or ())
    said = media.editor_message(message, context)
    await show(message, await services(context).desk.history_request(said, typed), ctx)


@editors_only
async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """`/cancel`: stop waiting for a typed time or a corrected text."""
    message = update.effective_message
    assert message is not None and message.from_user is not None
    await show(message, await services(context).desk.cancel_wait(message.from_user.id), ctx)


@editors_only
async def editor_help(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: view.ViewContext) -> None:
    """`/start` and `/help` for editors: the desk's commands and rules (a search link still searches)."""
    if context.args and update.message and (update.message.text or "").startswith("/start"):
        await subscriber.start(update, context)
        return
    assert update.effective_message is not None
    await update.effective_message.reply_html(view.editor_help(context.bot.username, ctx))


async def not_for_the_desk(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, voice note, location, poll…: say what the desk takes."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(msg.text("draft_unsupported_kind", lang_of(update)))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any button data no handler knows (old, forged, damaged): answered, so no spinner hangs."""
    assert update.callback_query is not None
    await update.callback_query.answer(msg.text("refused_stale_button", lang_of(update)), show_alert=True)


def register_last(application: Application) -> None:
    """Handlers that must come after every other side's (the catch-all for unknown buttons)."""
    application.add_handler(CallbackQueryHandler(stale_button))


def register(application: Application) -> None:
    """Add the desk's handlers (before the subscriber side: an editor's private text is a draft)."""
    editor_ids = application.bot_data[SERVICES_KEY].settings.editor_ids
    editors = filters.User(user_id=editor_ids)
    editors_private = filters.ChatType.PRIVATE & editors
    application.add_handler(TypeHandler(Update, remember_editor), group=-1)
    application.add_handler(CommandHandler(("start", "help"), editor_help, filters=editors_private))
    commands = {
        "drafts": drafts_command,
        "queue": queue_command,
        "delete": delete_command,
        "history": history_command,
        "cancel": cancel_command,
    }
    for name in EDITOR_COMMANDS:
        application.add_handler(CommandHandler(name, commands[name]))
    application.add_handler(CallbackQueryHandler(button_pressed, pattern=rf"^{callbacks.PREFIX}:"))
    edits = filters.UpdateType.EDITED_MESSAGE & editors_private & (filters.TEXT | filters.CAPTION)
    application.add_handler(MessageHandler(edits & ~filters.COMMAND, edit_received))
    new = filters.UpdateType.MESSAGE & editors_private
    application.add_handler(MessageHandler(new & TEXT_FILE, document_received))
    files = filters.PHOTO | filters.VIDEO | filters.ANIMATION | filters.AUDIO | filters.Document.ALL
    application.add_handler(MessageHandler(new & files, media_received))
    application.add_handler(
        MessageHandler(new & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND, text_received)
    )
    application.add_handler(MessageHandler(new & ~filters.COMMAND, not_for_the_desk))
