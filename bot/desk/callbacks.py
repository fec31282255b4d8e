"""The editor desk's button data: one typed protocol, encoded and parsed here only.

Every inline button of the desk carries `p:<ref>:<action>`, where `ref` is a post number (or, for
page buttons, a page number, or for "make this a draft", the editor's message id) and `action` one
of `Action`; a button that turns the page of a post's list (`PAGED`) adds `:<page>`, one that names a
destination (`KEYED`: a toggle under the preview, ✅ of a copy) adds `:<key>` (bot.destinations.KEY_RE).
At most 1 + 1 + 19 + 1 + 4 + 1 + 16 = 43 ASCII bytes, below Telegram's 64. Callback data comes from the
client, so `parse` trusts nothing: only ASCII digits (Python's `\\d` would also take Arabic-Indic
ones), a ref that fits SQLite's 64-bit integer, a known action, and a page (or a destination's key)
exactly where the action takes one; anything else is `None`, which the desk answers as a stale button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from telegram.constants import InlineKeyboardButtonLimit

from bot.destinations import KEY_RE

PREFIX = "p"
MAX_REF = 2**63 - 1  # SQLite's largest rowid
# A draft of 512 KB holds at most about 260,000 changes (one in two characters): 13,000 pages of 20.
MAX_PAGE = 99_999
_DATA = re.compile(rf"{PREFIX}:([0-9]{{1,19}}):([a-z0-9]{{1,4}})(?::([0-9]{{1,5}}|[a-z][a-z0-9_]{{0,15}}))?")


class Action(StrEnum):
    """What an editor's button asks for."""

    PUBLISH_NOW = "now"
    PUBLISH_ALL = "all"  # publish now a post of more than FLOOD_MESSAGES messages: asked once more
    NEXT_SLOT = "slot"
    IN_AN_HOUR = "h1"
    TONIGHT = "tn"
    TOMORROW_MORNING = "tm"
    PICK_TIME = "pick"
    EDIT = "edit"
    DISCARD = "del"  # a draft
    CANCEL = "can"  # a scheduled or failed post
    UNDO = "undo"  # the ↩️ under a cancel's or discard's answer, for a minute (bot.desk.undo)
    RESTORE = "rst"  # the ↩️ of a cancelled or discarded post in /drafts
    OPEN = "open"  # a /queue or /drafts entry: the post with its choices
    SEND_ANYWAY = "send"  # an uncertain post
    ALREADY_SENT = "sent"
    DROP = "drop"
    ASK_DELETE = "rm"  # a published post
    DELETE = "rmy"
    REMOVAL_NOTE = "rmn"  # a post that cannot be deleted: propose turning it into a removal note
    DISMISS = "no"
    CORRECT = "fix"  # apply a held correction to the channel post
    KEEP = "keep"  # leave the channel post as it is
    MAKE_DRAFT = "mk"  # a message too short to be a post: take it as a draft after all
    SPACE_OUT = "sp"  # move posts that share a minute apart
    STOP_WAITING = "cw"  # stop waiting for a typed time or a corrected text
    CHANGES = "chg"  # what the clean-up changed in the draft
    CHANGES_PAGE = "chgp"  # another page of that list (the post in `ref`, the page in `page`)
    HISTORY_PAGE = (
        "hp"  # another page of a post's history (`/history`; the post in `ref`, the page in `page`)
    )
    RING = "ring"  # switch a post not yet sent between 🔔 (notify subscribers) and 🔕
    ROUTE = "to"  # switch a destination of a post not yet sent on or off (the key in `key`)
    COPY_RETRY = "cpr"  # send again a post's copies that failed or are in doubt (bot.publishing.copies)
    COPY_THERE = "cpt"  # the copy in doubt in one destination (`key`) is in its channel
    QUEUE_PAGE = "qp"
    DRAFTS_PAGE = "dp"
    # The same choices, once the editor said yes to "this story was published or queued already: go on?"
    NOW_ANYWAY = "dnow"
    SLOT_ANYWAY = "dsl"
    HOUR_ANYWAY = "dh1"
    TONIGHT_ANYWAY = "dtn"
    MORNING_ANYWAY = "dtm"
    PICK_ANYWAY = "dpk"


# The choices that publish or schedule a post, each with its "yes, all the same" after the duplicate
# guard asked (bot.desk.duplicates).
ANYWAY: dict[Action, Action] = {
    Action.PUBLISH_NOW: Action.NOW_ANYWAY,
    Action.NEXT_SLOT: Action.SLOT_ANYWAY,
    Action.IN_AN_HOUR: Action.HOUR_ANYWAY,
    Action.TONIGHT: Action.TONIGHT_ANYWAY,
    Action.TOMORROW_MORNING: Action.MORNING_ANYWAY,
    Action.PICK_TIME: Action.PICK_ANYWAY,
}
CONFIRMED: dict[Action, Action] = {anyway: action for action, anyway in ANYWAY.items()}


PAGED = frozenset({Action.CHANGES_PAGE, Action.HISTORY_PAGE})
"""The actions whose button names a post and a page of something about it."""
KEYED = frozenset({Action.ROUTE, Action.COPY_THERE})
"""The actions whose button names a post and one of its destinations: a toggle under the preview
(bot.desk.routes), ✅ for one copy in doubt (each is looked at in its own channel)."""


@dataclass(frozen=True, slots=True)
class Button:
    """One button's meaning: an action on a post (or a page, or a message), for a `PAGED` action the
    page (0-based), for a `KEYED` one the destination's key."""

    action: Action
    ref: int = 0
    page: int = 0
    key: str = ""

    def encode(self) -> str:
        """The callback data for Telegram."""
        data = f"{PREFIX}:{self.ref}:{self.action}"
        if self.action in PAGED:
            data += f":{self.page}"
        if self.action in KEYED:
            data += f":{self.key}"
        assert len(data.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA and 0 <= self.ref <= MAX_REF
        assert 0 <= self.page <= MAX_PAGE and (self.action in PAGED or not self.page)
        assert (self.action in KEYED) == bool(KEY_RE.fullmatch(self.key))
        return data


def parse(data: str | None) -> Button | None:
    """The button behind callback data, or None when it is not one of ours (forged, stale, damaged)."""
    match = _DATA.fullmatch(data or "")
    if match is None:
        return None
    ref = int(match[1])
    try:
        action = Action(match[2])
    except ValueError:
        return None
    extra = match[3]
    if ref > MAX_REF or (extra is not None) != (action in PAGED or action in KEYED):
        return None
    if action in KEYED:
        return Button(action, ref, key=extra) if KEY_RE.fullmatch(extra) else None
    if extra is not None and not extra.isdigit():
        return None
    return Button(action, ref, int(extra or 0))
