"""Telegram's side of the Bot API test server: the simulated world and the Bot API methods.

`BotApiMethods` owns the state (users, chats, messages, files, queued updates, commands) and
implements each Bot API method as a small `_api_<methodName>(params)` function; `METHOD_TABLE`
lists them and the HTTP layer in bot/botapi/server.py dispatches to them by name. Every rule
violation raises `ApiError` with Telegram's own status and description (bot/botapi/rules.py).
Methods run under the server's lock, so they are plain synchronous functions.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from bot.botapi.rules import (
    MAX_CALLBACK_ANSWER_CHARS,
    MAX_DELETED_AT_ONCE,
    MAX_SECRET_TOKEN_CHARS,
    ApiError,
    bad_request,
    check_commands,
    check_inline_results,
    check_reply_markup,
    forbidden,
    formatted_text,
    too_many_requests,
)
from bot.botapi.world import (
    CHANNEL_ADMIN_RIGHTS,
    CallbackQueryRecord,
    Chat,
    FakeClock,
    InlineQueryRecord,
    StoredFile,
    StoredMessage,
    User,
)

DEFAULT_TOKEN = "7000000001:TEST-newsdesk-AAAAAAAAAAAAAAAAAAAAAAAAAAAA"
DEFAULT_CHANNEL_ID = -1001234567890
CHANNEL_DELETE_WINDOW = 48 * 3600
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "my_chat_member",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "chat_join_request",
    }
)
UPLOAD = "upload"  # a file uploaded with a request: it takes the kind it is sent as
MAX_MEDIA_GROUP = 10
MEDIA_TYPES = frozenset({"photo", "video", "animation", "audio", "document"})
GROUP_KINDS = frozenset({"photo", "video", "audio", "document"})  # sendMediaGroup takes no animation
_MESSAGE_OPTIONS = ("link_preview_options", "disable_web_page_preview", "protect_content")
_MEDIA_OPTIONS = ("show_caption_above_media", "has_spoiler", "protect_content")


@dataclass(frozen=True)
class Caption:
    """A caption as a send or edit call gives it, after Telegram's entity parsing."""

    text: str | None  # None for an empty caption, as Telegram leaves it out
    entities: list[dict]
    html: str | None  # as the bot sent it (the markup, with parse_mode HTML)
    parse_mode: str | None

    def fields(self) -> dict[str, Any]:
        """The `StoredMessage` fields it sets."""
        return {
            "caption": self.text,
            "caption_entities": self.entities,
            "html": self.html,
            "parse_mode": self.parse_mode,
        }

    def same_as(self, message: StoredMessage) -> bool:
        return self.text == message.caption and self.entities == message.caption_entities


class Params:
    """A Bot API call's parameters, from a query string, a form, multipart or a JSON body."""

    def __init__(self, values: dict[str, Any], files: dict[str, StoredFile]) -> None:
        self.values = values
        self.files = files

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        return default if value is None else str(value)

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None:
            return default
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")

    def json(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def required(self, name: str) -> Any:
        if not self.has(name):
            raise bad_request(f"{name} is empty")
        return self.values[name]

    def logged(self) -> dict[str, Any]:
        """Values with JSON-encoded objects decoded, for the call log."""
        shown: dict[str, Any] = {}
        for name, value in self.values.items():
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            shown[name] = value
        for name, stored in self.files.items():
            shown[name] = f"<file {stored.file_name} {len(stored.content)} bytes>"
        return shown


class BotApiMethods:
    """The simulated Telegram: world state plus one handler per Bot API method."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "newsdesk_test_bot",
        channel_username: str | None = "news_test",
        channel_id: int = DEFAULT_CHANNEL_ID,
        channel_title: str = "خبرگزاری آزمایشی",
        strict_html: bool = True,
        query_timeout: float | None = None,
    ) -> None:
        self.token = token
        self.strict_html = strict_html
        # seconds a callback or inline query stays answerable; None = forever (Telegram: a few seconds)
        self.query_timeout = query_timeout
        self.clock = FakeClock()
        self.bot_user = User(int(token.split(":")[0]), "Newsdesk Test", None, bot_username, is_bot=True)
        self.channel = Chat(channel_id, "channel", title=channel_title, username=channel_username)
        self.channel.bot_rights = default_admin_rights()
        self.webhook: dict[str, Any] = {}
        self.allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._lock = threading.RLock()
        self._users: dict[int, User] = {}
        self._chats: dict[int, Chat] = {self.channel.id: self.channel}
        self._messages: dict[int, dict[int, StoredMessage]] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_ids = itertools.count(1)
        self._media_groups = itertools.count(13_000_000_000_000_001)
        self._query_ids = itertools.count(1)
        self._callback_queries: dict[str, CallbackQueryRecord] = {}
        self._inline_queries: dict[str, InlineQueryRecord] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 500_000_001
        self._confirmed_below = 0
        self._commands: dict[tuple[str, str], list[dict]] = {}
        self._rate_limits: dict[str, int] | None = None
        self._send_times: dict[int, deque[float]] = {}
        self._global_send_times: deque[float] = deque()

    def _notify(self) -> None:
        """Called after the update queue changed; the server wakes long polls here."""

    # ------------------------------------------------------------------ world lookups

    def _chat_id_or_none(self, value: Any) -> int | None:
        try:
            return self._resolve_chat(value).id
        except ApiError:
            return None

    def _resolve_chat(self, value: Any) -> Chat:
        if value in (None, ""):
            raise bad_request("chat_id is empty")
        text = str(value)
        if text.startswith("@"):
            for chat in self._chats.values():
                if chat.username and chat.username.lower() == text[1:].lower():
                    return chat
            raise bad_request("chat not found")
        try:
            chat = self._chats.get(int(text))
        except ValueError:
            raise bad_request("chat not found") from None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _find_message(self, chat: Chat, message_id: int | None, missing: str) -> StoredMessage:
        message = self._messages.get(chat.id, {}).get(message_id or 0)
        if message is None or message.deleted:
            raise bad_request(missing)
        return message

    def _check_can_send(self, chat: Chat) -> None:
        if chat.type == "private":
            user = chat.user
            if user.blocked_bot:
                raise forbidden("bot was blocked by the user")
            if not user.started_bot:
                raise forbidden("bot can't initiate conversation with a user")
        elif chat.type == "channel":
            self._check_channel_right(chat, "can_post_messages")

    def _check_channel_right(self, chat: Chat, right: str) -> None:
        if chat.bot_status == "left":
            raise forbidden("bot is not a member of the channel chat")
        if chat.bot_status != "administrator" or not chat.bot_rights.get(right):
            raise bad_request("need administrator rights in the channel chat")

    def _check_rate(self, chat: Chat) -> None:
        if self._rate_limits is None:
            return
        now = time.monotonic()
        self._limit_window(self._global_send_times, now, 1.0, self._rate_limits["global_per_second"])
        if chat.type != "private":
            times = self._send_times.setdefault(chat.id, deque())
            self._limit_window(times, now, 60.0, self._rate_limits["channel_per_minute"])
            times.append(now)
        self._global_send_times.append(now)

    @staticmethod
    def _limit_window(times: deque[float], now: float, window: float, limit: int) -> None:
        while times and now - times[0] >= window:
            times.popleft()
        if len(times) >= limit:
            raise too_many_requests(max(1, math.ceil(window - (now - times[0]))))

    def _new_file(
        self,
        content: bytes,
        file_name: str | None,
        mime_type: str | None,
        *,
        folder: str = "documents",
        kind: str = "document",
    ) -> StoredFile:
        number = next(self._file_ids)
        suffix = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"BQACAgQAAxkBAAI{number:08d}",
            file_unique_id=f"AgAD{number:06d}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{folder}/file_{number}.{suffix}",
            kind=kind,
        )
        with self._lock:
            self._files[stored.file_id] = stored
        return stored

    def _new_message(
        self,
        chat: Chat,
        *,
        outgoing: bool,
        sender: User | None,
        date: float | None = None,
        media: tuple[str, StoredFile] | None = None,
        **fields: Any,
    ) -> StoredMessage:
        """The one way a message enters a chat: the chat's next id, dated now (or `date`), stored.

        `media` is (kind, file), set as `StoredMessage.set_media` does (an animation is also its
        document); `fields` are the other `StoredMessage` fields.
        """
        message = StoredMessage(
            chat=chat,
            message_id=chat.take_message_id(),
            date=int(self.clock.now() if date is None else date),
            outgoing=outgoing,
            sender=sender,
            **fields,
        )
        if media is not None:
            message.set_media(*media)
        self._messages.setdefault(chat.id, {})[message.message_id] = message
        return message

    def _edit_message(
        self, message: StoredMessage, *, media: tuple[str, StoredFile] | None = None, **changes: Any
    ) -> dict:
        """The one way a message changes: its current version joins `history`, `changes` (and
        `media`) are applied and the edit is dated now. Returns the edited message as sent."""
        message.history.append(message.snapshot())
        if media is not None:
            message.set_media(*media)
        for name, value in changes.items():
            if not hasattr(message, name):
                raise AttributeError(f"a message has no field {name!r}")
            setattr(message, name, value)
        message.edit_date = int(self.clock.now())
        return message.to_api()

    def _bot_message(self, chat: Chat, params: Params, **fields: Any) -> StoredMessage:
        """A message the bot sends with the call `params`: its sender is the bot, except in a
        channel, where the channel itself signs."""
        sender = None if chat.type == "channel" else self.bot_user
        notify = params.bool("disable_notification")
        return self._new_message(chat, outgoing=True, sender=sender, disable_notification=notify, **fields)

    # ------------------------------------------------------------------ Bot API methods

    def _api_getMe(self, params: Params) -> dict:
        return {
            **self.bot_user.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _confirm(self, offset: int) -> None:
        """Forget updates below `offset` (a negative offset keeps the last -offset updates)."""
        if offset < 0:
            kept = self._updates[offset:]
            offset = kept[0]["update_id"] if kept else self._next_update_id
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._confirmed_below = max(self._confirmed_below, offset)

    def _api_deleteWebhook(self, params: Params) -> bool:
        self.webhook = {}
        if params.bool("drop_pending_updates"):
            self._confirm(self._next_update_id)
        return True

    def _api_setWebhook(self, params: Params) -> bool:
        url = params.str("url", "")
        secret = params.str("secret_token")
        # plain http is refused like Telegram does, except to this machine, where tests listen
        if url and not url.startswith(("https://", "http://127.0.0.1:", "http://localhost:")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not re.fullmatch(rf"[A-Za-z0-9_-]{{1,{MAX_SECRET_TOKEN_CHARS}}}", secret):
            raise bad_request("secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret} if url else {}
        if params.bool("drop_pending_updates"):
            self._confirm(self._next_update_id)
        allowed = params.json("allowed_updates")
        if allowed is not None:
            self.allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        return True

    def _api_getWebhookInfo(self, params: Params) -> dict:
        info = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        info.update({k: v for k, v in self.webhook.items() if k.startswith("last_error")})
        return info

    def _api_close(self, params: Params) -> bool:
        return True

    def _api_logOut(self, params: Params) -> bool:
        return True

    def _commands_key(self, params: Params) -> tuple[str, str]:
        scope = params.json("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.str("language_code", "") or ""

    def _api_setMyCommands(self, params: Params) -> bool:
        self._commands[self._commands_key(params)] = check_commands(params.json("commands", []))
        return True

    def _api_getMyCommands(self, params: Params) -> list[dict]:
        return self._commands.get(self._commands_key(params), [])

    def _api_deleteMyCommands(self, params: Params) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _api_sendChatAction(self, params: Params) -> bool:
        self._check_can_send(self._resolve_chat(params.required("chat_id")))
        return True

    def _api_sendMessage(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        html = params.str("text", "")
        text, entities = formatted_text(
            html, params.str("parse_mode"), params.json("entities"), strict=self.strict_html
        )
        return self._send_one(
            chat,
            params,
            _MESSAGE_OPTIONS,
            text=text,
            entities=entities,
            html=html,
            parse_mode=params.str("parse_mode"),
        )

    def _send_one(self, chat: Chat, params: Params, options: tuple[str, ...], **content: Any) -> dict:
        """The last steps of sendMessage, sendPhoto, …: the keyboard, the message replied to and the
        rate limit are checked (in Telegram's order), then the message is sent."""
        markup = check_reply_markup(params.json("reply_markup"))
        reply_to = self._reply_target(chat, params)
        self._check_rate(chat)
        options_given = _extra_options(params, options)
        message = self._bot_message(
            chat, params, reply_markup=markup, reply_to=reply_to, options=options_given, **content
        )
        return message.to_api()

    def _reply_target(self, chat: Chat, params: Params) -> StoredMessage | None:
        reply = params.json("reply_parameters") or {}
        message_id = reply.get("message_id") or params.int("reply_to_message_id")
        if not message_id:
            return None
        target = self._messages.get(chat.id, {}).get(int(message_id))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply") or params.bool("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return target

    def _api_sendPhoto(self, params: Params) -> dict:
        return self._send_media(params, "photo")

    def _api_sendVideo(self, params: Params) -> dict:
        return self._send_media(params, "video")

    def _api_sendAnimation(self, params: Params) -> dict:
        return self._send_media(params, "animation")

    def _api_sendAudio(self, params: Params) -> dict:
        return self._send_media(params, "audio")

    def _api_sendDocument(self, params: Params) -> dict:
        return self._send_media(params, "document")

    def _send_media(self, params: Params, kind: str) -> dict:
        """sendPhoto, sendVideo, …: one file of `kind` with an optional caption."""
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        stored = self._media_file(self._input_file(params, kind), kind)
        caption = self._caption(
            params.str("caption"), params.str("parse_mode"), params.json("caption_entities")
        )
        return self._send_one(chat, params, _MEDIA_OPTIONS, media=(kind, stored), **caption.fields())

    def _caption(self, html: str | None, parse_mode: str | None, entities: Any) -> Caption:
        """A caption after entity parsing, within 1,024 UTF-16 units (Telegram's error otherwise)."""
        text, parsed = formatted_text(html, parse_mode, entities, caption=True, strict=self.strict_html)
        return Caption(text or None, parsed, html, parse_mode)

    def _media_file(self, stored: StoredFile, kind: str) -> StoredFile:
        """An upload becomes a file of `kind`; a known file id must be of that kind (a photo's id
        cannot be sent as a video; any file may go as a document except a photo)."""
        if stored.kind == UPLOAD:
            stored.kind = kind
            if kind == "photo":
                stored.width, stored.height = stored.width or 1280, stored.height or 720
            return stored
        if stored.kind != kind and not (kind == "document" and stored.kind != "photo"):
            raise bad_request("wrong file identifier/HTTP URL specified: type of file mismatch")
        return stored

    def _api_sendMediaGroup(self, params: Params) -> list[dict]:
        """An album: 2–10 photos and videos, or documents only, or audio only, in one request."""
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        media = params.json("media")
        if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
            raise bad_request("media must be an array of InputMedia")
        if not 2 <= len(media) <= MAX_MEDIA_GROUP:
            raise bad_request("wrong number of media specified: it must include 2-10 items")
        kinds = [item.get("type") for item in media]
        if any(kind not in GROUP_KINDS for kind in kinds):
            raise bad_request("media must be an array of InputMediaAudio, InputMediaDocument, "
                              "InputMediaPhoto and InputMediaVideo")  # fmt: skip
        for alone in ("document", "audio"):
            if alone in kinds and set(kinds) != {alone}:
                raise bad_request(f"{alone} can't be mixed with other media types")
        items = [self._input_media(params, item) for item in media]
        reply_to = self._reply_target(chat, params)
        self._check_rate(chat)
        group_id = str(next(self._media_groups))
        sent = []
        for kind, stored, caption in items:
            message = self._bot_message(
                chat,
                params,
                media=(kind, stored),
                **caption.fields(),
                reply_to=reply_to,
                media_group_id=group_id,
            )
            sent.append(message.to_api())
        return sent

    def _input_media(self, params: Params, item: dict) -> tuple[str, StoredFile, Caption]:
        """One InputMedia: its kind, its file (known or uploaded), and its parsed caption."""
        kind = str(item.get("type"))
        if kind not in MEDIA_TYPES:
            raise bad_request(f"unsupported media type {kind!r}")
        stored = self._media_file(
            self._input_file(Params({"media": item.get("media")}, params.files), "media"), kind
        )
        caption = self._caption(item.get("caption"), item.get("parse_mode"), item.get("caption_entities"))
        return kind, stored, caption

    def _input_file(self, params: Params, name: str) -> StoredFile:
        value = params.values.get(name)
        if name in params.files:
            return params.files[name]
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in params.files:
            return params.files[value[9:]]
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        raise bad_request(f"invalid file HTTP URL specified: {name} is not a known file_id or upload")

    def _api_getFile(self, params: Params) -> dict:
        stored = self._files.get(params.str("file_id", ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _api_editMessageText(self, params: Params) -> dict:
        message = self._editable_message(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        html = params.str("text", "")
        text, entities = formatted_text(
            html, params.str("parse_mode"), params.json("entities"), strict=self.strict_html
        )
        markup = check_reply_markup(params.json("reply_markup"))
        if text == message.text and entities == message.entities and markup == message.reply_markup:
            raise _not_modified()
        return self._edit_message(
            message,
            text=text,
            entities=entities,
            html=html,
            parse_mode=params.str("parse_mode"),
            reply_markup=markup,
        )

    def _api_editMessageCaption(self, params: Params) -> dict:
        message = self._editable_message(params)
        if message.media is None:
            raise bad_request("there is no caption in the message to edit")
        caption = self._caption(
            params.str("caption"), params.str("parse_mode"), params.json("caption_entities")
        )
        markup = check_reply_markup(params.json("reply_markup"))
        if caption.same_as(message) and markup == message.reply_markup:
            raise _not_modified()
        return self._edit_message(message, **caption.fields(), reply_markup=markup)

    def _api_editMessageMedia(self, params: Params) -> dict:
        """Replace a message's file (and caption); an album's part keeps to its album's kinds."""
        message = self._editable_message(params)
        if message.media is None:
            raise bad_request("there is no media in the message to edit")
        item = params.json("media")
        if not isinstance(item, dict):
            raise bad_request("media is empty")
        kind, stored, caption = self._input_media(params, item)
        if message.media_group_id is not None:
            old = message.media_kind
            if (old in ("document", "audio") or kind in ("document", "audio")) and kind != old:
                raise bad_request("can't change the media type of a part of an album")
            if kind == "animation":
                raise bad_request("can't use an animation in an album")
        markup = check_reply_markup(params.json("reply_markup"))
        if stored is message.media and caption.same_as(message):
            raise _not_modified()
        return self._edit_message(message, media=(kind, stored), **caption.fields(), reply_markup=markup)

    def _api_editMessageReplyMarkup(self, params: Params) -> dict:
        message = self._editable_message(params)
        markup = check_reply_markup(params.json("reply_markup"))
        if markup == message.reply_markup or (not markup and not message.reply_markup):
            raise _not_modified()
        return self._edit_message(message, reply_markup=markup)

    def _editable_message(self, params: Params) -> StoredMessage:
        if params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._resolve_chat(params.required("chat_id"))
        if chat.type == "channel":
            self._check_channel_right(chat, "can_post_messages")
        message = self._find_message(chat, params.int("message_id"), "message to edit not found")
        if not message.outgoing:
            raise bad_request("message can't be edited")
        return message

    def _api_deleteMessage(self, params: Params) -> bool:
        chat = self._resolve_chat(params.required("chat_id"))
        message = self._find_message(chat, params.int("message_id"), "message to delete not found")
        self._check_can_delete(chat, message)
        message.deleted = True
        return True

    def _api_deleteMessages(self, params: Params) -> bool:
        chat = self._resolve_chat(params.required("chat_id"))
        ids = params.json("message_ids", [])
        if not 1 <= len(ids) <= MAX_DELETED_AT_ONCE:
            raise bad_request("MESSAGE_IDS_INVALID")
        found = [m for m in (self._messages.get(chat.id, {}).get(int(i)) for i in ids) if m and not m.deleted]
        for message in found:
            self._check_can_delete(chat, message)
        for message in found:
            message.deleted = True
        return True

    def _check_can_delete(self, chat: Chat, message: StoredMessage) -> None:
        if chat.type != "channel":
            if self.clock.now() - message.date >= CHANNEL_DELETE_WINDOW:
                raise bad_request("message can't be deleted for everyone")
            return
        if chat.bot_status == "left":
            raise forbidden("bot is not a member of the channel chat")
        can_delete_any = chat.bot_status == "administrator" and chat.bot_rights.get("can_delete_messages")
        if can_delete_any:
            return
        may_post = chat.bot_status == "administrator" and chat.bot_rights.get("can_post_messages")
        if not (message.outgoing and may_post) or self.clock.now() - message.date >= CHANNEL_DELETE_WINDOW:
            raise bad_request("message can't be deleted")

    def _api_forwardMessage(self, params: Params) -> dict:
        return self._copy(params, forward=True).to_api()

    def _api_copyMessage(self, params: Params) -> dict:
        return {"message_id": self._copy(params, forward=False).message_id}

    def _copy(self, params: Params, *, forward: bool) -> StoredMessage:
        source_chat = self._resolve_chat(params.required("from_chat_id"))
        source = self._find_message(source_chat, params.int("message_id"), "message to copy not found")
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        self._check_rate(chat)
        origin = None
        if forward:
            origin = {"type": "channel", "chat": source_chat.to_api(), "message_id": source.message_id}
            if source_chat.type != "channel":
                origin = {"type": "user", "sender_user": (source.sender or self.bot_user).to_api()}
            origin["date"] = source.date
        return self._bot_message(
            chat,
            params,
            media=(source.media_kind, source.media) if source.media else None,
            text=source.text,
            entities=list(source.entities),
            html=source.html,
            caption=source.caption,
            caption_entities=list(source.caption_entities),
            forward_origin=origin,
            reply_markup=None if forward else check_reply_markup(params.json("reply_markup")),
        )

    def _api_answerCallbackQuery(self, params: Params) -> bool:
        query = self._answerable(self._callback_queries, params.str("callback_query_id", ""))
        text = params.str("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_CHARS:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = params.logged()
        return True

    def _api_answerInlineQuery(self, params: Params) -> bool:
        query = self._answerable(self._inline_queries, params.str("inline_query_id", ""))
        results = params.json("results", [])
        next_offset = params.str("next_offset")
        check_inline_results(results, next_offset, strict=self.strict_html)
        query.answer = {**params.logged(), "results": results, "next_offset": next_offset or ""}
        return True

    def _answerable(self, queries: dict, query_id: str) -> Any:
        """The query to answer: known, not answered yet, and not older than `query_timeout`."""
        query = queries.get(query_id)
        expired = (
            query is not None
            and self.query_timeout is not None
            and self.clock.now() - query.asked_at > self.query_timeout
        )
        if query is None or query.answer is not None or expired:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        return query

    def _api_getChat(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        info = {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        return info

    def _api_getChatMember(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        user_id = params.int("user_id")
        if user_id == self.bot_user.id:
            return self._bot_membership(chat)
        user = self._users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        in_chat = chat.type != "private" or chat.user is user
        return {"status": "member" if in_chat else "left", "user": user.to_api()}

    def _bot_membership(self, chat: Chat) -> dict:
        member: dict[str, Any] = {"status": chat.bot_status, "user": self.bot_user.to_api()}
        if chat.type == "private":
            member["status"] = "member"
        elif chat.bot_status == "administrator":
            member.update({"can_be_edited": False, "is_anonymous": False})
            member.update({right: bool(chat.bot_rights.get(right)) for right in CHANNEL_ADMIN_RIGHTS})
        return member

    # ------------------------------------------------------------------ updates

    def enqueue_update(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update of type `kind` for getUpdates; None if allowed_updates filters it out."""
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
            if kind not in self.allowed_updates:
                return None
            self._updates.append({"update_id": update_id, kind: payload})
        self._notify()
        return update_id


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


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly the same "
        "as a current content and reply markup of the message"
    )


def _extra_options(params: Params, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: params.json(name) for name in names if params.has(name)}


def default_admin_rights(**rights: bool) -> dict[str, bool]:
    """A channel admin that may post and edit but not delete others' posts (so the 48 h rule applies)."""
    granted = {right: False for right in CHANNEL_ADMIN_RIGHTS}
    for right in ("can_manage_chat", "can_post_messages", "can_edit_messages", "can_invite_users"):
        granted[right] = True
    granted.update(rights)
    return granted
