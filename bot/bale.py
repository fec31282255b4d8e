"""Bale's Bot API through python-telegram-bot: `BaleBot`, an ExtBot that speaks Bale's dialect.

Bale takes the Bot API's requests at its own address (BALE_API_URL) but lists no `parse_mode`
(bot/networks.py): every text or caption the bot's shared code writes as Telegram HTML (the
subscribers' result pages, for one) goes to Bale as its plain text instead, links keeping their
address after the text; a #hashtag linked to a search keeps only the tag.
"""

from __future__ import annotations

from typing import Any

from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot.text.plain import plain_text


class BaleBot(ExtBot):
    """An ExtBot whose HTML texts reach Bale as plain text (the module docstring)."""

    async def _do_post(self, endpoint: str, data: dict[str, Any], **timeouts: Any) -> Any:
        if data.get("parse_mode") == ParseMode.HTML:
            for field in ("text", "caption"):
                if isinstance(data.get(field), str):
                    data[field] = plain_text(data[field], bare_tags=True)
        data.pop("parse_mode", None)
        data.pop("link_preview_options", None)  # not in Bale's lists either
        return await super()._do_post(endpoint, data, **timeouts)
