"""A post's history: one entry for every act that wrote to the channel about it (issue 20).

The publisher records them (`bot.publishing.history`), storage keeps them (`storage.history`), the desk
shows them (`/history`). An entry says who acted (an editor's user id and the name the desk knew them
by; none for the schedule), when (the app's clock), which channel messages it sent, edited and
deleted, and what changed. It knows nothing of SQL or Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Act(StrEnum):
    """What was done to a post in the channel."""

    PUBLISHED = "published"  # its messages went out (🔔 or 🔕)
    CONFIRMED = "confirmed"  # a doubtful part the editor saw in the channel, recorded as sent
    UNCERTAIN = "uncertain"  # messages sent, the last one's fate unknown: put to the editor
    FAILED = "failed"  # refused by Telegram; any message already sent was taken back
    DROPPED = "dropped"  # a half-sent post the editor dropped: its messages taken back
    CORRECTED = "corrected"  # a new text: messages edited, added (replies to the post) or removed
    MEDIA = "media"  # files of the post replaced
    DELETED = "deleted"  # removed from the channel
    COPIED = "copied"  # its copy sent to another destination (bot/destinations.py, bot.publishing.copies)


@dataclass(slots=True)
class Writes:
    """The channel messages one act sent, edited and deleted, collected as Telegram confirms each."""

    sent: list[int] = field(default_factory=list)
    edited: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sent or self.edited or self.deleted)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One act on a post, as recorded. `complete` is False for an act that stopped midway (a correction
    refused after some messages were already changed): `writes` then says what did reach the channel."""

    article_id: int
    act: Act
    at: datetime  # UTC, from the app's clock
    editor_id: int | None  # None: the schedule (or the bot by itself)
    writes: Writes
    removed: tuple[str, ...] = ()  # a correction's words taken out…
    added: tuple[str, ...] = ()  # …and put in (bot.text.changes.word_diff)
    ring: bool | None = None  # a publication: 🔔 (True) or 🔕
    items: tuple[int, ...] = ()  # replaced files: their places in the post, from 1
    complete: bool = True
    reason: str = ""  # why an act failed, as Telegram said it
    destination: str = ""  # a copy's destination, as editors see it (`Destination.name`)
    editor_name: str | None = None  # filled by storage from the names it knows
    id: int = 0  # storage's row id; 0 before it is stored
