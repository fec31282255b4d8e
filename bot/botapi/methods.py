"""Telegram's side of the Bot API test server: the simulated world and every Bot API method.

`BotApiMethods` composes the state (`WorldState`, bot/botapi/state.py) with one mixin per kind of
method: bot/botapi/api_updates.py, api_messages.py, api_media.py, api_edits.py and api_chats.py.
Each method is a small `_api_<methodName>(params)` function; `METHOD_NAMES` lists them and the HTTP
layer in bot/botapi/server.py dispatches to them by name. Every rule violation raises `ApiError` with
Telegram's own status and description (bot/botapi/rules.py). Methods run under the server's lock, so
they are plain synchronous functions.
"""

from __future__ import annotations

from bot.botapi.api_chats import ChatMethods
from bot.botapi.api_edits import EditMethods
from bot.botapi.api_media import MediaMethods
from bot.botapi.api_messages import MessageMethods
from bot.botapi.api_updates import UpdateMethods


class BotApiMethods(EditMethods, MediaMethods, MessageMethods, ChatMethods, UpdateMethods):
    """The simulated Telegram: its state (bot/botapi/state.py) and one handler per Bot API method."""


METHOD_NAMES = (
    "getMe",
    "getUpdates",
    "deleteWebhook",
    "setWebhook",
    "getWebhookInfo",
    "close",
    "logOut",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "sendChatAction",
    "sendMessage",
    "sendPhoto",
    "sendVideo",
    "sendAnimation",
    "sendAudio",
    "sendDocument",
    "sendMediaGroup",
    "getFile",
    "editMessageText",
    "editMessageCaption",
    "editMessageMedia",
    "editMessageReplyMarkup",
    "deleteMessage",
    "deleteMessages",
    "forwardMessage",
    "copyMessage",
    "answerCallbackQuery",
    "answerInlineQuery",
    "getChat",
    "getChatMember",
)
