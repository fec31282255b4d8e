"""Public links, the one place a `https://t.me/` (or Bale's, or Eitaa's) address is written.

A channel post's link: `https://t.me/<handle>/<id>` for a public channel, `https://t.me/c/<internal
id>/<id>` for a channel known by its `-100…` Bot API id (it opens for the channel's members only).
A deep link to the bot: `https://t.me/<bot>?start=<payload>`, which the reader's client turns into
`/start <payload>`.
"""

from __future__ import annotations

_TME = "https://t.me/"
_BALE = "https://ble.ir/"
_EITAA = "https://eitaa.com/"
_PRIVATE_PREFIX = "-100"  # a channel's Bot API id is its internal id behind this prefix


def post_link(channel: str, message_id: int) -> str:
    """The link of message `message_id` in `channel`, a `@handle` or a `-100…` id."""
    channel = channel.strip()
    if channel.startswith("@"):
        return f"{_TME}{channel[1:]}/{message_id}"
    if channel.startswith(_PRIVATE_PREFIX):
        return f"{_TME}c/{channel.removeprefix(_PRIVATE_PREFIX)}/{message_id}"
    raise ValueError(f"not a channel @handle or -100… id: {channel!r}")


def linked_message_id(link: str, channel: str) -> int | None:
    """The message id of a post link (either form above, with or without `https://`) that opens a
    message of `channel` (a `@handle` or a `-100…` id); None for any other text."""
    link = link.strip().removeprefix("https://").removeprefix("http://").split("?", 1)[0].rstrip("/")
    where, _, message_id = link.removeprefix(_TME.removeprefix("https://")).rpartition("/")
    if not link.startswith("t.me/") or not message_id.isascii() or not message_id.isdigit():
        return None
    channel = channel.strip().lower()
    own = channel[1:] if channel.startswith("@") else "c/" + channel.removeprefix(_PRIVATE_PREFIX)
    return int(message_id) if where.lower() == own else None


def public_post_link(username: str | None, message_id: int) -> str | None:
    """The public link of a post in a channel with `username` (no @); None for a channel without one
    (a private channel's posts have no link anyone can open)."""
    return post_link(f"@{username}", message_id) if username else None


def copy_link(network: str, chat_id: str, message_id: int) -> str | None:
    """A copy's public link on its network (`bot.networks.Network` values); None for a channel known
    only by a number, whose posts have no public address. Bale's `ble.ir/<channel>/<id>` and Eitaa's
    `eitaa.com/<channel>/<id>` are the forms their clients share (assumed: neither API documents it)."""
    if network == "telegram":
        return post_link(chat_id, message_id) if chat_id.startswith(("@", _PRIVATE_PREFIX)) else None
    name = chat_id.removeprefix("@")
    if not name or name.lstrip("-").isdigit():
        return None
    return f"{_BALE if network == 'bale' else _EITAA}{name}/{message_id}"


def start_link(bot_username: str, payload: str) -> str:
    """The deep link that opens the bot and sends it `/start <payload>`."""
    return f"{_TME}{bot_username.lstrip('@')}?start={payload}"
