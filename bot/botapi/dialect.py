"""What Bale's Bot API lacks beside Telegram's, as the emulator enforces it (`BotApiServer(network="bale")`).

Bale serves the Bot API in Telegram's shape at `https://tapi.bale.ai/bot<TOKEN>/<METHOD>` (docs.bale.ai:
GET or POST, query string, form, JSON, or multipart for uploads; `ok / result / error_code /
description`). What it lacks, as far as its docs say (checked 2026-12; the bot's own belief lives in
bot/networks.py and tests/botapi/test_dialects.py holds the two together):
- no `parse_mode` on its send and edit methods (their parameter lists have none): formatting would be
  lost, so the emulator refuses it rather than show the markup as text;
- no inline mode (no answerInlineQuery) and no menu of commands per scope (setMyCommands with a scope);
- file ids are Bale's own: a Telegram file id is unknown there (the separate world does that by itself).
"""

from __future__ import annotations

import json

from bot.botapi.rules import ApiError, bad_request
from bot.botapi.state import Params

NETWORKS = ("telegram", "bale")
BALE_LACKS = frozenset({"answerinlinequery"})  # lower-case method names


def _has_parse_mode(params: Params) -> bool:
    if params.values.get("parse_mode"):
        return True
    media = params.values.get("media")  # an album's or an edited file's items carry their own
    if isinstance(media, str):
        try:
            items = json.loads(media)
        except ValueError:
            return False
        items = items if isinstance(items, list) else [items]
        return any(isinstance(item, dict) and item.get("parse_mode") for item in items)
    return False


def refusal(network: str, method: str, params: Params) -> ApiError | None:
    """Bale's answer to what it does not do; None when the call is one it takes (or on Telegram)."""
    if network != "bale":
        return None
    if method.lower() in BALE_LACKS:
        return ApiError(404, "Not Found")
    if method.lower() == "setmycommands" and params.values.get("scope"):
        return bad_request("scope is not supported")
    if _has_parse_mode(params):
        return bad_request("parse_mode is not supported")
    return None
