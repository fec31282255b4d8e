"""The source credit of a forwarded post: where it came from, and the line the post carries for it.

When an editor forwards another channel's post (or a user's, a group's, a hidden user's message) to
the desk, its origin is kept with the draft as a `Source`: a name and, for a post of a public
channel, the post's link (https://t.me/<username>/<message id>). `SOURCE_CREDIT` decides what the
post shows (`CreditMode`): nothing, the name, or the name linked to the original post. The line
(«منبع: …», wording in bot.messages) comes after the body and before the signature
(`bot.text.render`); it is written in the draft's marked form (`bot.text.markup`) and added after the
clean-up, so the Persian clean-up never alters a name or a URL, and the renderer escapes the name.
Our own channel, our editors and the bot itself are never credited (`handlers.media` leaves them out).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum


class CreditMode(StrEnum):
    """The `SOURCE_CREDIT` setting."""

    OFF = "off"  # no credit
    NAME = "name"  # «منبع: name»
    LINK = "link"  # «منبع: name», the name linked to the original post when it has a public link


@dataclass(frozen=True, slots=True)
class Source:
    """Where a forwarded message came from: its name (a channel's or group's title, a person's name)
    and the public link of the original post (only a public channel's post has one)."""

    name: str
    url: str | None = None


def source_to_json(source: Source | None) -> str | None:
    """As stored in the `forward_source` column (None: not forwarded, or not credited)."""
    if source is None:
        return None
    return json.dumps({"name": source.name, "url": source.url}, ensure_ascii=False)


def source_from_json(stored: str | None) -> Source | None:
    """The `forward_source` column read back."""
    if not stored:
        return None
    found = json.loads(stored)
    return Source(found["name"], found.get("url"))
