"""What Telegram lets the bot do to a channel post it published: asked before an editor is asked.

Telegram's rules (Bot API, deleteMessage; the emulator in bot/botapi follows them): a bot that may
post in a channel may delete its own posts there for DELETE_WINDOW after they went out; one holding
the "delete messages" right may delete any post; an admin may edit its own posts (and any post with
the "edit messages" right); a bot that is no admin may do neither. `channel_rights` reads the bot's
standing (getChatMember of the bot), `delete_block` says why a deletion would be refused, so the
desk says it before asking for a confirmation that could only fail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner
from telegram.error import TelegramError

log = logging.getLogger(__name__)

DELETE_WINDOW_HOURS = 48  # how long a bot may delete its own channel post (the texts say it)
DELETE_WINDOW = timedelta(hours=DELETE_WINDOW_HOURS)
CANNOT_DELETE = "message can't be deleted"  # Telegram's refusal of a deletion it does not allow


class DeleteBlock(StrEnum):
    """Why Telegram would refuse to let the bot delete a channel post."""

    NOT_ADMIN = "not_admin"  # a member, or not in the channel at all
    NO_RIGHT = "no_right"  # an admin that may neither post (its own posts) nor delete (any post)
    TOO_OLD = "too_old"  # older than DELETE_WINDOW, without the right to delete any post


@dataclass(frozen=True, slots=True)
class ChannelRights:
    """The bot's standing in the channel, as getChatMember gives it."""

    admin: bool
    can_post: bool = False
    can_edit: bool = False
    can_delete: bool = False

    @property
    def can_edit_own(self) -> bool:
        """Whether the bot may edit the posts it published (into a removal note, say)."""
        return self.admin and (self.can_post or self.can_edit)


async def channel_rights(bot: Bot, channel_id: int | str) -> ChannelRights | None:
    """The bot's rights in the channel; None when Telegram could not tell (the action itself will)."""
    try:
        member = await bot.get_chat_member(channel_id, bot.id)
    except TelegramError as error:
        log.warning("could not read the bot's rights in %s: %s", channel_id, error)
        return None
    if isinstance(member, ChatMemberOwner):
        return ChannelRights(admin=True, can_post=True, can_edit=True, can_delete=True)
    if not isinstance(member, ChatMemberAdministrator):
        return ChannelRights(admin=False)
    return ChannelRights(
        admin=True,
        can_post=bool(member.can_post_messages),
        can_edit=bool(member.can_edit_messages),
        can_delete=member.can_delete_messages,
    )


def delete_block(
    rights: ChannelRights | None, published_at: datetime | None, now: datetime, *, refused: str = ""
) -> DeleteBlock | None:
    """Why deleting a post published at `published_at` would be refused now; None if it would not be
    (or the rights are unknown: then the deletion is tried, and its own answer tells). `refused`:
    Telegram's answer to a deletion tried already; its "can't be deleted", where the rights allowed
    it, is the age on Telegram's clock (a post imported, or a clock behind Telegram's)."""
    block = _block(rights, published_at, now)
    if block is None and CANNOT_DELETE in refused.lower():
        return DeleteBlock.TOO_OLD
    return block


def _block(rights: ChannelRights | None, published_at: datetime | None, now: datetime) -> DeleteBlock | None:
    if rights is None:
        return None
    if not rights.admin:
        return DeleteBlock.NOT_ADMIN
    if rights.can_delete:
        return None
    if not rights.can_post:
        return DeleteBlock.NO_RIGHT
    if published_at is not None and now - published_at >= DELETE_WINDOW:
        return DeleteBlock.TOO_OLD
    return None
