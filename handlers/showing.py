"""Showing the desk's answers in Telegram: new messages in the editor's chat, or, for a button, the
message it was on edited in place, or an alert over it.

A button's refusal (a stale or impossible action: the post moved on, the question was answered) is a
callback alert and leaves the message under it exactly as it was: its text, its link and its buttons
may still be the editor's only way to the post. A short outcome replaces the message (its buttons
with it, or, for an answer that says so, only the pressed button: `Outgoing.keeps_buttons`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import CallbackQueryLimit, ParseMode
from telegram.error import BadRequest

from bot.core.media import Part
from bot.desk import view
from bot.desk.answers import Answer
from bot.publishing.publisher import send_part

log = logging.getLogger(__name__)

# How long a button's spinner waits for the desk's decision before it is stopped: Telegram refuses
# an answer to a query about 15 s old ("query is too old"), and publishing a long post may take longer.
# A refusal decided later than this comes as a message instead of an alert.
ALERT_WITHIN_SECONDS = 5.0


async def show(message: Message, answer: Answer, ctx: view.ViewContext) -> list[Message]:
    """Send the answer's messages into the editor's chat; the messages sent."""
    sent: list[Message] = []
    for outgoing in view.render(answer, ctx):
        reply = (
            ReplyParameters(outgoing.reply_to, allow_sending_without_reply=True)
            if outgoing.reply_to
            else None
        )
        if outgoing.media:  # a post's media part, sent as the channel will get it
            part = Part(outgoing.text, outgoing.media)
            sent += await send_part(message.get_bot(), message.chat_id, part, reply_markup=outgoing.keyboard)
            continue
        sent.append(
            await message.chat.send_message(
                outgoing.text,
                parse_mode=ParseMode.HTML,
                reply_markup=outgoing.keyboard,
                reply_parameters=reply,
            )
        )
    return sent


async def decide_for_button(
    query: CallbackQuery, decision: Awaitable[Answer], ctx: view.ViewContext
) -> tuple[Answer, bool]:
    """The desk's answer to a pressed button, and whether an alert has said it. The query is answered
    once: with the refusal as an alert when the desk refused in time (ALERT_WITHIN_SECONDS), else
    plainly, so no spinner hangs."""
    task = asyncio.ensure_future(decision)
    try:
        done, _ = await asyncio.wait({task}, timeout=ALERT_WITHIN_SECONDS)
        if not done:
            await query.answer()
            return await task, False
    except asyncio.CancelledError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        raise
    if task.exception() is not None:  # the error handler tells the editor; the spinner stops here
        await query.answer()
    answer = task.result()
    alert = view.alert(answer, ctx)
    if alert is None:
        await query.answer()
        return answer, False
    await query.answer(alert[: CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH], show_alert=True)
    return answer, True


async def show_for_button(
    query: CallbackQuery, message: Message, answer: Answer, ctx: view.ViewContext, *, alerted: bool
) -> list[Message]:
    """Show the answer to a button (`decide_for_button` has answered the query): a refusal only as its
    alert (or, decided too late for one, as a new message: the pressed one stays as it was), a short
    outcome in place of the message, anything else as new messages."""
    if alerted:
        return []
    shown = view.render(answer, ctx)
    if not view.in_place(answer) or len(shown) != 1 or view.alert(answer, ctx) is not None:
        return await show(message, answer, ctx)
    keyboard = shown[0].keyboard
    if shown[0].keeps_buttons:
        keyboard = other_buttons(message.reply_markup, query.data)
    try:
        await query.edit_message_text(shown[0].text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except BadRequest as error:  # e.g. "message is not modified" after a double tap
        log.debug("could not edit the button message: %s", error)
    return []


def other_buttons(markup: InlineKeyboardMarkup | None, pressed: str | None) -> InlineKeyboardMarkup | None:
    """The message's buttons but the one pressed (and any row it leaves empty)."""
    if markup is None:
        return None
    rows = [[button for button in row if button.callback_data != pressed] for row in markup.inline_keyboard]
    kept = [row for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None
