"""Telegram's documented limits, as checks that raise the Bot API's own errors.

Every check raises `ApiError` carrying the status code and description the real Bot API returns,
so the bot under test meets exactly the failures it would meet in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from telegram.constants import (
    BotCommandLimit,
    BulkRequestLimit,
    CallbackQueryLimit,
    InlineKeyboardButtonLimit,
    InlineKeyboardMarkupLimit,
    InlineQueryLimit,
    InlineQueryResultLimit,
    MessageLimit,
    WebhookLimit,
)

from bot.botapi.html_check import (
    MAX_CAPTION_UTF16,
    MAX_TEXT_UTF16,
    HtmlParseError,
    parse_html,
    strip_message_text,
)
from bot.text.limits import utf16_len

# As PTB declares Telegram's limits (not the bot's constants, which these checks must catch out).
MAX_CALLBACK_DATA_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
MAX_INLINE_RESULTS = InlineQueryLimit.RESULTS
MAX_INLINE_ID_BYTES = InlineQueryResultLimit.MAX_ID_LENGTH
MAX_NEXT_OFFSET_BYTES = InlineQueryLimit.MAX_OFFSET_LENGTH
MAX_KEYBOARD_BUTTONS = InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER
MAX_COMMANDS = BotCommandLimit.MAX_COMMAND_NUMBER
MAX_DELETED_AT_ONCE = BulkRequestLimit.MAX_LIMIT  # deleteMessages
MAX_CALLBACK_ANSWER_CHARS = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
MAX_SECRET_TOKEN_CHARS = WebhookLimit.MAX_SECRET_TOKEN_LENGTH
WEBHOOK_CONNECTIONS = (WebhookLimit.MIN_CONNECTIONS_LIMIT, WebhookLimit.MAX_CONNECTIONS_LIMIT)  # 1..100
DEFAULT_WEBHOOK_CONNECTIONS = 40  # setWebhook's max_connections when not given (Bot API docs)
MAX_START_PAYLOAD_CHARS = MessageLimit.DEEP_LINK_LENGTH
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "login_url",
    "web_app",
    "callback_game",
    "pay",
)
_TEXT_BUTTON = "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
_AUTO_ENTITIES = (
    ("url", re.compile(r"https?://[^\s<>\"]+[^\s<>\".,:;!?)\]،؛]")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b")),
    ("hashtag", re.compile(r"(?<![\w#&])#[\w\u200c]*[^\W\d][\w\u200c]*")),
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z][A-Za-z0-9_]{3,31})?")),
)


@dataclass
class ApiError(Exception):
    """A Bot API error response: {"ok": false, "error_code", "description", "parameters"?}."""

    error_code: int
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


def formatted_text(
    text: str | None,
    parse_mode: str | None,
    entities: list[dict] | None,
    *,
    caption: bool = False,
    strict: bool = True,
) -> tuple[str, list[dict]]:
    """Apply parse_mode/entities and Telegram's text rules; return the stored (text, entities)."""
    text = text or ""
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        raise bad_request("strings must be encoded in UTF-8")
    if parse_mode:
        if parse_mode.lower() != "html":
            raise bad_request(f"unsupported parse_mode {parse_mode!r} (the test server implements HTML only)")
        try:
            text, entities = parse_html(text, strict=strict)
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    entities = [dict(e) for e in (entities or [])]
    text, entities = strip_message_text(text, entities)
    if not text and not caption:
        raise bad_request("message text is empty")
    limit = MAX_CAPTION_UTF16 if caption else MAX_TEXT_UTF16
    if utf16_len(text) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return text, merge_entities(entities, detect_entities(text))


def detect_entities(text: str) -> list[dict]:
    """The entities Telegram finds by itself: URLs, @mentions, #hashtags and /commands."""
    found = []
    for kind, pattern in _AUTO_ENTITIES:
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group()),
                }
            )
    return sorted(found, key=lambda e: e["offset"])  # as Telegram sends them (PTB reads the first)


def merge_entities(explicit: list[dict], detected: list[dict]) -> list[dict]:
    """Add detected entities that do not overlap a code/pre/link entity or each other."""
    blocked = [e for e in explicit if e["type"] in ("code", "pre", "text_link")]
    merged = list(explicit)
    taken: list[dict] = []
    for entity in sorted(detected, key=lambda e: e["offset"]):
        if any(_overlap(entity, other) for other in blocked + taken):
            continue
        taken.append(entity)
    merged.extend(taken)
    merged.sort(key=lambda e: (e["offset"], -e["length"]))
    return merged


def _overlap(a: dict, b: dict) -> bool:
    return a["offset"] < b["offset"] + b["length"] and b["offset"] < a["offset"] + a["length"]


def check_reply_markup(markup: dict | None) -> dict | None:
    """Validate an InlineKeyboardMarkup, the one stored (other keyboards pass through unchecked)."""
    if not markup or "inline_keyboard" not in markup:
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    buttons = [button for row in rows for button in row]
    if len(buttons) > MAX_KEYBOARD_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    for button in buttons:
        check_button(button)
    return markup if buttons else None  # an empty keyboard is no keyboard


def check_button(button: dict) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request(_TEXT_BUTTON)
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if len(actions) != 1:
        raise bad_request(_TEXT_BUTTON)
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not re.match(r"(https?|tg)://\S+$", url):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def check_inline_results(results: list[dict], next_offset: str | None, *, strict: bool = True) -> None:
    """answerInlineQuery limits: count, ids, next_offset, message contents and keyboards."""
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    if next_offset is not None and len(next_offset.encode("utf-8")) > MAX_NEXT_OFFSET_BYTES:
        raise bad_request("NEXT_OFFSET_INVALID")
    seen: set[str] = set()
    for result in results:
        result_id = str(result.get("id", ""))
        if not 1 <= len(result_id.encode("utf-8")) <= MAX_INLINE_ID_BYTES:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if result.get("type") == "article" and not result.get("title"):
            raise bad_request("RESULT_TITLE_EMPTY")
        content = result.get("input_message_content")
        if content and "message_text" in content:
            try:
                formatted_text(
                    content["message_text"], content.get("parse_mode"), content.get("entities"), strict=strict
                )
            except ApiError as error:
                if error.description.endswith(("is too long", "is empty")):
                    raise bad_request("MESSAGE_TEXT_INVALID") from None
                raise
        check_reply_markup(result.get("reply_markup"))


def check_commands(commands: list[dict]) -> list[dict]:
    """setMyCommands: at most 100 commands, names [a-z0-9_]{1,32}, descriptions 1..256 chars."""
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    cleaned = []
    for entry in commands:
        name = str(entry.get("command", "")).removeprefix("/")
        description = str(entry.get("description", "")).strip()
        if not _COMMAND_NAME.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= BotCommandLimit.MAX_DESCRIPTION:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": name, "description": description})
    return cleaned
