"""The simulated Telegram world behind the Bot API test server: users, chats, messages, files.

Records are plain dataclasses. `to_api()` renders the Bot API JSON object a client receives;
tests read the attributes directly (`message.text`, `message.html`, `message.reply_markup`,
`message.history`, `message.deleted`, ...).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

CHANNEL_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_post_messages",
    "can_edit_messages",
    "can_delete_messages",
    "can_invite_users",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_manage_video_chats",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)

MEDIA_KINDS = ("animation", "photo", "video", "audio", "document")  # animation first: it has a document too


class FakeClock:
    """Wall-clock time plus an offset the test can move forward (message dates, the 48 h rule)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass
class User:
    id: int
    first_name: str
    language_code: str | None = "fa"
    username: str | None = None
    last_name: str | None = None
    is_bot: bool = False
    blocked_bot: bool = False  # the user pressed "Stop and block bot"
    started_bot: bool = False  # the user has written to the bot, so the bot may write back

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return data


@dataclass
class Chat:
    id: int
    type: str  # "private" | "channel" | "group" | "supergroup"
    title: str | None = None
    username: str | None = None
    user: User | None = None  # the other party of a private chat
    # the bot's standing in a channel: "administrator" | "member" | "left"
    bot_status: str = "administrator"
    bot_rights: dict[str, bool] = field(default_factory=dict)
    next_message_id: int = 1

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.user is not None:
            shown = ("first_name", "last_name", "username")
            data.update({k: v for k, v in self.user.to_api().items() if k in shown})
        if self.title:
            data["title"] = self.title
        if self.username:
            data["username"] = self.username
        return data

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None
    file_path: str | None = None
    width: int | None = None  # photos and videos
    height: int | None = None
    kind: str = "document"  # photo, video, animation, audio or document: what a file id may be sent as
    duration: int | None = None  # videos, animations and audio

    def media_api(self, kind: str) -> dict[str, Any] | list[dict[str, Any]]:
        """The file as a message of `kind` carries it (a photo: its PhotoSize list)."""
        if kind == "photo":
            return self.photo_api()
        data = self.document_api()
        if kind in ("video", "animation"):
            data.update(width=self.width or 0, height=self.height or 0, duration=self.duration or 0)
        elif kind == "audio":
            data["duration"] = self.duration or 0
        return data

    def photo_api(self) -> list[dict[str, Any]]:
        """A photo as the PhotoSize list a client receives (one size: the one that was sent)."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": self.width or 0,
                "height": self.height or 0,
                "file_size": len(self.content),
            }
        ]

    def document_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data


@dataclass
class StoredMessage:
    """A message in a chat, sent by the bot (`outgoing`) or by a simulated user."""

    chat: Chat
    message_id: int
    date: int
    outgoing: bool
    sender: User | None  # the bot's user for outgoing private messages, the user for incoming ones
    text: str | None = None
    entities: list[dict] = field(default_factory=list)
    html: str | None = None  # the text exactly as the bot sent it (with parse_mode HTML: the markup)
    parse_mode: str | None = None
    reply_markup: dict | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    video: StoredFile | None = None
    animation: StoredFile | None = None  # Telegram also sends an animation as its `document`
    audio: StoredFile | None = None
    media_group_id: str | None = None  # the parts of an album share it
    caption: str | None = None
    caption_entities: list[dict] = field(default_factory=list)
    forward_origin: dict | None = None
    reply_to: StoredMessage | None = None
    via_bot: User | None = None  # a message the user sent with a bot's inline mode
    disable_notification: bool = False
    options: dict[str, Any] = field(default_factory=dict)  # other send parameters, as received
    edit_date: int | None = None
    history: list[dict] = field(default_factory=list)  # earlier versions, oldest first
    deleted: bool = False
    update_id: int | None = None  # incoming messages: the update that carried it

    @property
    def buttons(self) -> list[dict]:
        """The inline keyboard's buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @property
    def media_kind(self) -> str | None:
        """photo, video, animation, audio or document; None for a text message."""
        for kind in MEDIA_KINDS:
            if getattr(self, kind) is not None:
                return kind
        return None

    @property
    def media(self) -> StoredFile | None:
        """The message's file, whatever its kind."""
        kind = self.media_kind
        return getattr(self, kind) if kind else None

    def set_media(self, kind: str, stored: StoredFile) -> None:
        """Replace the message's file (editMessageMedia)."""
        for other in MEDIA_KINDS:
            setattr(self, other, None)
        setattr(self, kind, stored)
        if kind == "animation":
            self.document = stored

    def snapshot(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "entities": self.entities,
            "html": self.html,
            "caption": self.caption,
            "media": self.media.file_id if self.media else None,
            "reply_markup": self.reply_markup,
            "edit_date": self.edit_date,
        }

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"message_id": self.message_id, "date": self.date, "chat": self.chat.to_api()}
        if self.chat.type == "channel":
            data["sender_chat"] = self.chat.to_api()
        elif self.sender is not None:
            data["from"] = self.sender.to_api()
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = self.entities
        for kind in MEDIA_KINDS:
            stored = getattr(self, kind)
            if stored is not None:
                data[kind] = stored.media_api(kind)
        if self.media_group_id:
            data["media_group_id"] = self.media_group_id
        if self.media is not None and self.caption:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = self.caption_entities
        if self.forward_origin:
            data["forward_origin"] = self.forward_origin
        if self.via_bot is not None:
            data["via_bot"] = self.via_bot.to_api()
        if self.reply_to is not None and with_reply:
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.edit_date:
            data["edit_date"] = self.edit_date
        return data


@dataclass
class CallbackQueryRecord:
    id: str
    user: User
    data: str | None
    message: StoredMessage | None
    asked_at: float = 0.0  # server clock
    answer: dict | None = None  # answerCallbackQuery's parameters once answered


@dataclass
class InlineQueryRecord:
    id: str
    user: User
    query: str
    offset: str
    asked_at: float = 0.0  # server clock
    answer: dict | None = None  # {"results", "next_offset", "cache_time", "is_personal", ...}

    @property
    def results(self) -> list[dict]:
        return (self.answer or {}).get("results", [])


@dataclass
class ApiCall:
    """One request the bot made, with what the server answered."""

    method: str
    params: dict[str, Any]
    time: float
    status: int | None = None
    response: dict | None = None
    fault: str | None = None  # the injected fault's kind, if one answered this call

    @property
    def ok(self) -> bool:
        return self.status == 200


FAULT_KINDS = ("retry_after", "server_error", "timeout", "delay", "forbidden", "bad_request", "disconnect")


@dataclass
class Fault:
    """An injected failure for the next `times` matching calls."""

    kind: str  # one of FAULT_KINDS
    times: int = 1
    method: str | None = None  # lower-case method name; None = any method except getUpdates
    chat_id: int | str | None = None
    retry_after: int = 1
    status: int | None = None
    description: str | None = None
    hang_seconds: float = 30.0
    apply: bool = (
        False  # "timeout"/"server_error": perform the call, then lose the answer; "delay": perform, then wait
    )
    used: int = 0

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.used >= self.times:
            return False
        if self.method is None and method == "getupdates":
            return False
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or self.chat_id == chat_id
