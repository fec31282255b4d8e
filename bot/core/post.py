"""A post: one row of the archive, in any state (draft, scheduled, publishing, published, failed,
cancelled; `bot.core.status`), with its text, its media (`bot.core.media`) and where a forwarded one
came from (`bot.core.source`). Storage reads and writes it (`storage.posts`); the desk, the publisher
and the archive's views read it. It knows nothing of SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.media import MediaItem, Part, plan_parts
from bot.core.source import Source
from bot.core.status import PostStatus


@dataclass(frozen=True, slots=True)
class Article:
    """One row of the archive, in any state."""

    id: int
    source: str
    external_id: str | None
    title: str
    body: str
    html: list[str]
    status: PostStatus
    deleted: bool
    scheduled_at: datetime | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    channel_message_ids: list[int]
    editor_id: int | None
    editor_chat_id: int | None
    url: str | None
    failure_reason: str | None

    source_message_id: int | None = None  # the editor's message the draft came from (its edits update it)
    source_text: str | None = None  # the editor's text as sent, before the clean-up
    media: tuple[MediaItem, ...] = ()  # its photo, video, file… or album (bot.core.media)
    forward_source: Source | None = None  # where a forwarded draft came from: its credit (bot.core.source)
    ring: bool | None = (
        None  # 🔔 True / 🔕 False as the editor (or an urgent headline) chose; None: QUIET_HOURS
    )
    cancelled_at: datetime | None = None  # when it was cancelled or discarded (bot.desk.undo), if it is
    # `parts`, once worked out (a slot: `cached_property` needs a __dict__). Not an __init__ argument, so
    # `dataclasses.replace` with another text starts without it and lays the new text out.
    _parts: list[Part] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def parts(self) -> list[Part]:
        """The requests that publish it: its media and text as `bot.core.media.plan_parts` lays them out
        (split once per row read: the desk and the publisher ask for them several times)."""
        if self._parts is None:
            object.__setattr__(self, "_parts", plan_parts(self.media, self.html))
        return self._parts  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class HeldCorrection:
    """A published post as an editor proposed to correct it, held until they confirm it or keep the
    post as it is: its new text, and its files when a file or an album came with the correction."""

    title: str
    body: str
    messages: list[str]
    media: tuple[MediaItem, ...] | None = None  # the post's files after it (all of them); None: they stay
