"""The simulated Telegram's state: users, chats, messages, files, queued updates, commands.

`WorldState` is the base of every part of the emulator: the lookups and checks the Bot API
methods share, the one way a message enters a chat (`_new_message`) or changes
(`_edit_message`), and the update queue. `Params` reads a call's parameters.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import threading
import time
from collections import deque
from typing import Any

from bot.botapi.rules import DEFAULT_WEBHOOK_CONNECTIONS, ApiError, bad_request, forbidden, too_many_requests
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


def default_admin_rights(**rights: bool) -> dict[str, bool]:
    """A channel admin that may post and edit but not delete others' posts (so the 48 h rule applies)."""
    granted = {right: False for right in CHANNEL_ADMIN_RIGHTS}
    for right in ("can_manage_chat", "can_post_messages", "can_edit_messages", "can_invite_users"):
        granted[right] = True
    granted.update(rights)
    return granted


class WorldState:
    """The world's state and the helpers every Bot API method uses."""

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
        self.webhook_connections = DEFAULT_WEBHOOK_CONNECTIONS  # setWebhook's max_connections
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
        self._delivered_early: set[int] = set()  # POSTed to the webhook before an earlier update
        self._commands: dict[tuple[str, str], list[dict]] = {}
        self._rate_limits: dict[str, int] | None = None
        self._send_times: dict[int, deque[float]] = {}
        self._global_send_times: deque[float] = deque()

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

    def _check_channel_right(self, chat: Chat, *rights: str) -> None:
        """The bot is an administrator of the channel holding one of `rights`."""
        if chat.bot_status == "left":
            raise forbidden("bot is not a member of the channel chat")
        if chat.bot_status != "administrator" or not any(chat.bot_rights.get(right) for right in rights):
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

    def _confirm(self, offset: int) -> None:
        """Forget updates below `offset` (a negative offset keeps the last -offset updates)."""
        if offset < 0:
            kept = self._updates[offset:]
            offset = kept[0]["update_id"] if kept else self._next_update_id
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._confirmed_below = max(self._confirmed_below, offset)

    def _confirm_delivered(self, update_id: int) -> None:
        """Forget one update the webhook took; earlier ones of other chats may still be on their way."""
        self._updates = [u for u in self._updates if u["update_id"] != update_id]
        self._delivered_early.add(update_id)
        floor = self._updates[0]["update_id"] if self._updates else self._next_update_id
        self._confirmed_below = max(self._confirmed_below, floor)
        self._delivered_early = {i for i in self._delivered_early if i >= self._confirmed_below}

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

    def _notify(self) -> None:
        """Called after the update queue changed; the server wakes long polls here."""
