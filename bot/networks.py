"""What differs between the networks a desk publishes to: the one place that says it.

Telegram is the bot's home: every post starts there (the primary channel) and editors work there.
Bale speaks the Bot API in Telegram's shape at its own address; Eitaa has only Eitaayar, a send-only
API. Each network's `Capabilities` decide how a copy is sent, corrected and deleted (bot/publishing/
copies.py); the emulator's dialects (bot/botapi/dialect.py, eitaayar.py) model the same facts from the
networks' side, and tests/botapi/test_dialects.py holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Network(StrEnum):
    TELEGRAM = "telegram"
    BALE = "bale"
    EITAA = "eitaa"


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a network's API lets the bot do with a channel post."""

    edit: bool  # edit a text or a caption in place
    delete: bool
    albums: bool  # several files in one request (else one file a request, the caption on the first)
    html: bool  # parse_mode HTML (else the copy goes as plain text: bot.text.plain)
    inline: bool  # inline mode for subscribers
    updates: bool  # the bot receives messages (getUpdates): subscribers can search there
    own_file_ids: bool  # Telegram's file ids work there (else each file is fetched and uploaded)


CAPABILITIES: dict[Network, Capabilities] = {
    Network.TELEGRAM: Capabilities(
        edit=True, delete=True, albums=True, html=True, inline=True, updates=True, own_file_ids=True,
    ),
    # docs.bale.ai lists no parse_mode and no answerInlineQuery; edits, deletions, albums and
    # getUpdates it has (its subscribers search through a bot of their own: bot/subscriber_bots.py).
    Network.BALE: Capabilities(
        edit=True, delete=True, albums=True, html=False, inline=False, updates=True, own_file_ids=False,
    ),
    # Eitaayar: getMe, sendMessage, sendFile; nothing else (no updates: nobody can search there).
    Network.EITAA: Capabilities(
        edit=False, delete=False, albums=False, html=False, inline=False, updates=False, own_file_ids=False,
    ),
}  # fmt: skip
