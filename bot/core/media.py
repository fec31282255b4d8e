"""A post's media and how a post with media goes out: the rule, in one place, for preview and channel.

A post is a list of parts, each one request to Telegram (`plan_parts`):
- no media: the text messages, one part each;
- media (one file, or an album of 2–10) and a text that fits a caption (one message of at most
  1,024 UTF-16 units after entity parsing): one part, the media with the text as its caption (an
  album's on its first item);
- media and a longer text: the media first, without a caption, then the text messages;
- media and no text: the media alone.

The publisher sends exactly these parts and the preview shows exactly these parts. A part is one
entry of the publishing ledger however many channel messages it makes (an album is one request with
several message ids), so `parts_covered` reads the ledger (`channel_message_ids`, flat) back into
parts: a part is done when all its message ids are recorded, which they are in one write.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.text.limits import MAX_CAPTION_UTF16, visible_len


class MediaKind(StrEnum):
    """The kinds of file a post can carry (Telegram's names)."""

    PHOTO = "photo"
    VIDEO = "video"
    ANIMATION = "animation"
    AUDIO = "audio"
    DOCUMENT = "document"


class Layout(StrEnum):
    """How a post's text goes with its media (the preview names it)."""

    TEXT = "text"  # no media
    CAPTION = "caption"  # the text is the media's caption
    SEPARATE = "separate"  # the media first, the text as the following message(s)
    MEDIA_ONLY = "media_only"  # no text


@dataclass(frozen=True, slots=True)
class MediaItem:
    """One file of a post: its kind and Telegram file id ('' for an imported post: kind only)."""

    kind: MediaKind
    file_id: str


@dataclass(frozen=True, slots=True)
class Part:
    """One request to Telegram: a text message (`media` empty), or media with `html` as caption."""

    html: str
    media: tuple[MediaItem, ...] = ()

    @property
    def message_count(self) -> int:
        """How many channel messages (ledger ids) this part makes."""
        return len(self.media) or 1


def caption_fits(messages: Sequence[str]) -> bool:
    """Whether the post's text can be a caption: one message of at most 1,024 UTF-16 units once
    its tags are parsed."""
    return len(messages) == 1 and visible_len(messages[0]) <= MAX_CAPTION_UTF16


def layout(media: Sequence[MediaItem], messages: Sequence[str]) -> Layout:
    """Which of the four shapes a post takes."""
    if not media:
        return Layout.TEXT
    if not messages:
        return Layout.MEDIA_ONLY
    return Layout.CAPTION if caption_fits(messages) else Layout.SEPARATE


def plan_parts(media: Sequence[MediaItem], messages: Sequence[str]) -> list[Part]:
    """The requests that publish the post, in order (see the module's rule)."""
    shape = layout(media, messages)
    if shape is Layout.TEXT:
        return [Part(html) for html in messages]
    if shape is Layout.CAPTION:
        return [Part(messages[0], tuple(media))]
    return [Part("", tuple(media)), *(Part(html) for html in messages)]


def album_takes(current: MediaKind, new: MediaKind) -> bool:
    """Whether a file of kind `new` may take the place of one of kind `current` in an album (Telegram:
    files only with files, audio only with audio, photos and videos together, a GIF in none)."""
    if MediaKind.ANIMATION in (current, new):
        return False
    grouped = {MediaKind.DOCUMENT: MediaKind.DOCUMENT, MediaKind.AUDIO: MediaKind.AUDIO}
    return grouped.get(current) == grouped.get(new)


def replaced_media(
    current: Sequence[MediaItem], new: Sequence[MediaItem], place: int | None
) -> tuple[MediaItem, ...] | None:
    """A post's media after a correction that sends the files `new` (the rule the editors' help
    states): one file replaces a post's one file; an album of the post's size replaces its items in
    order; one file with the number of its place (`place`, from 1) replaces that item. None when the
    correction does not say which item it replaces, or puts a kind where an album cannot take it."""
    if len(current) == 1:
        return tuple(new) if len(new) == 1 else None
    if len(new) == len(current):
        chosen = tuple(new)
    elif len(new) == 1 and place is not None and 1 <= place <= len(current):
        chosen = (*current[: place - 1], new[0], *current[place:])
    else:
        return None
    fits = all(album_takes(old.kind, item.kind) for old, item in zip(current, chosen, strict=True))
    return chosen if fits else None


def parts_covered(parts: Sequence[Part], sent: Sequence[int]) -> int:
    """How many of `parts`, from the first, the recorded message ids cover."""
    done = used = 0
    for part in parts:
        if used + part.message_count > len(sent):
            break
        used += part.message_count
        done += 1
    return done


def message_total(parts: Sequence[Part]) -> int:
    """How many channel messages the post makes in all."""
    return sum(part.message_count for part in parts)


MEDIA_MARKS = {
    MediaKind.PHOTO: "📷",
    MediaKind.VIDEO: "🎬",
    MediaKind.ANIMATION: "🎬",
    MediaKind.AUDIO: "📎",
    MediaKind.DOCUMENT: "📎",
}


def media_mark(kind: str | None) -> str:
    """The mark an archived post's kind gets in results and /latest ('' for a text post)."""
    return MEDIA_MARKS.get(MediaKind(kind), "") if kind else ""


def marked_title(kind: str | None, title: str) -> str:
    """A result's title with its media mark in front, when it has media."""
    mark = media_mark(kind)
    return f"{mark} {title}".rstrip() if mark else title


def media_to_json(media: Sequence[MediaItem]) -> str | None:
    """As stored in the `media` column (None: a text post)."""
    return json.dumps([[item.kind.value, item.file_id] for item in media]) if media else None


def media_from_json(stored: str | None) -> tuple[MediaItem, ...]:
    """The `media` column read back."""
    return tuple(MediaItem(MediaKind(kind), file_id) for kind, file_id in json.loads(stored or "[]"))
