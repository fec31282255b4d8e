"""What editors send, as Telegram delivers it: formatted text, a file's kind and id, albums gathered.

Telegram sends an album as separate updates, one per item, sharing a `media_group_id`, the caption
on one of them. `Albums` holds the items of each group until no new one has come for
ALBUM_QUIET_SECONDS, then hands the whole album on in the order sent, so the desk makes one draft.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import (
    Message,
    MessageOrigin,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
)
from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.core.links import public_post_link
from bot.core.media import MediaItem, MediaKind
from bot.core.source import Source
from bot.desk.answers import EditorMessage
from bot.text.markup import disarm, from_telegram_html
from handlers.common import services

ALBUM_QUIET_SECONDS = 1.5  # Telegram delivers an album's updates within a moment of each other
_FORMATTING = frozenset(
    {"bold", "italic", "underline", "strikethrough", "spoiler", "blockquote", "expandable_blockquote",
     "code", "pre", "text_link", "custom_emoji"}
)  # fmt: skip


def draft_text(message: Message) -> str:
    """What the editor wrote (a text or a caption), with its formatting kept as the draft's markers
    (`bot.text.markup`) when it has any; Telegram's own links, tags and mentions are plain text."""
    entities = message.entities or message.caption_entities
    if not any(entity.type in _FORMATTING for entity in entities):
        return disarm(message.text or message.caption or "")  # the desk's markers cannot be forged
    return from_telegram_html(message.text_html if message.text is not None else message.caption_html)


def file_text(data: bytes) -> str | None:
    """A `.txt` draft file's text (None when it is not UTF-8), disarmed like a typed draft."""
    try:
        return disarm(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None


def editor_message(message: Message, context: ContextTypes.DEFAULT_TYPE) -> EditorMessage:
    """Who wrote, where, which message and in reply to which, and where a forward came from."""
    replied = message.reply_to_message
    assert message.from_user is not None
    source = forward_source(message.forward_origin, services(context).settings, bot_id=context.bot.id)
    return EditorMessage(
        message.from_user.id,
        message.chat_id,
        message.message_id,
        replied.message_id if replied else None,
        source,
    )


def forward_source(origin: MessageOrigin | None, settings: Settings, *, bot_id: int) -> Source | None:
    """Where a forwarded message came from, to be credited (bot.core.source): a channel's title and its
    post's public link, a group's title, a person's name. None when it is not a forward, or comes
    from our own channel, one of our editors or the bot itself (we never credit ourselves)."""
    if isinstance(origin, MessageOriginChannel):
        chat, own = origin.chat, (settings.channel_id or "").lower()
        if own in (str(chat.id), f"@{chat.username or ''}".lower()):
            return None
        return Source(chat.title or chat.username or "", public_post_link(chat.username, origin.message_id))
    if isinstance(origin, MessageOriginChat):
        return Source(origin.sender_chat.title or origin.sender_chat.username or "")
    if isinstance(origin, MessageOriginUser):
        user = origin.sender_user
        return None if user.id in settings.editor_ids or user.id == bot_id else Source(user.full_name)
    if isinstance(origin, MessageOriginHiddenUser):
        return Source(origin.sender_user_name)
    return None


def media_item(message: Message) -> MediaItem | None:
    """The message's file as a post's media (the largest size of a photo); None for none."""
    if message.photo:
        return MediaItem(MediaKind.PHOTO, message.photo[-1].file_id)
    for kind in (MediaKind.ANIMATION, MediaKind.VIDEO, MediaKind.AUDIO, MediaKind.DOCUMENT):
        found = getattr(message, kind.value)  # an animation also has a `document`: checked first
        if found is not None:
            return MediaItem(kind, found.file_id)
    return None


@dataclass
class _Gathering:
    messages: list[Message] = field(default_factory=list)
    last: float = 0.0  # when the latest item came (the event loop's clock)
    timer: asyncio.Task | None = None


class Albums:
    """Albums being gathered, by (chat, media_group_id)."""

    def __init__(self, quiet: float = ALBUM_QUIET_SECONDS) -> None:
        self.quiet = quiet
        self._open: dict[tuple[int, str], _Gathering] = {}

    def add(
        self, application: Application, message: Message, done: Callable[[list[Message]], Awaitable[None]]
    ) -> None:
        """Take one item; `done(messages)` runs once the album has been quiet for `quiet` seconds."""
        assert message.media_group_id is not None
        key = (message.chat_id, message.media_group_id)
        gathering = self._open.setdefault(key, _Gathering())
        gathering.messages.append(message)
        gathering.last = asyncio.get_running_loop().time()
        if gathering.timer is None:  # one timer per album, which waits on while items keep coming
            gathering.timer = application.create_task(self._close_after_quiet(key, done))

    async def _close_after_quiet(
        self, key: tuple[int, str], done: Callable[[list[Message]], Awaitable[None]]
    ) -> None:
        gathering = self._open[key]
        loop = asyncio.get_running_loop()
        while (left := gathering.last + self.quiet - loop.time()) > 0:
            await asyncio.sleep(left)
        del self._open[key]
        await done(sorted(gathering.messages, key=lambda m: m.message_id))
