"""How Telegram measures text, and the limits the text pipeline cuts to: the one UTF-16 count.

Text length is counted in UTF-16 code units after entity parsing (tags removed, `&amp;` is one unit);
callback data and `next_offset` in UTF-8 bytes (a Persian letter is 2, most emoji 4). Telegram's other
limits come from `telegram.constants` where they are used; the two lengths below are written here
because `bot.text` runs in worker processes and the CLI, which do not import PTB (importing
`telegram.constants` costs a process about 0.35 s); tests/text/test_limits.py holds them to PTB's.
"""

from __future__ import annotations

import re
from html import unescape
from itertools import accumulate

MAX_MESSAGE_UTF16 = 4096
"""A text message, after entity parsing (`telegram.constants.MessageLimit.MAX_TEXT_LENGTH`)."""

MAX_CAPTION_UTF16 = 1024
"""A media caption, after entity parsing (`telegram.constants.MessageLimit.CAPTION_LENGTH`)."""

ALLOWED_HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
        "blockquote", "tg-spoiler", "span", "tg-emoji",
    }
)  # fmt: skip
"""Tags Telegram's HTML parse mode accepts; anything else (`<br>`, `<p>`) makes the request fail."""

ALLOWED_HTML_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "span": frozenset({"class"}),  # only class="tg-spoiler"
    "code": frozenset({"class"}),  # class="language-…" inside <pre>
    "blockquote": frozenset({"expandable"}),
    "tg-emoji": frozenset({"emoji-id"}),
}
"""Attributes allowed per tag; tags not listed take none."""


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, the way Telegram measures message length."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_offsets(text: str) -> list[int]:
    """The UTF-16 offset of every character boundary of `text`: `offsets[i] == utf16_len(text[:i])`
    (a character beyond the Basic Multilingual Plane, most emoji, is two units)."""
    return [0, *accumulate(2 if ord(char) > 0xFFFF else 1 for char in text)]


_TAG = re.compile(r"<[^>]*>")


def visible_text(html: str) -> str:
    """The text a reader sees of HTML we wrote ourselves: tags removed, entities such as `&amp;` read
    (for places that take no markup, e.g. a button's alert)."""
    return unescape(_TAG.sub("", html))


def visible_len(html: str) -> int:
    """The UTF-16 length Telegram counts for HTML we wrote ourselves: tags removed, an entity such as
    `&amp;` one character. (Telegram's own parser, with its errors, is `bot.botapi.html_check`.)"""
    return utf16_len(visible_text(html))


def utf8_len(text: str) -> int:
    """Length of `text` in UTF-8 bytes, the way Telegram measures callback data and offsets."""
    return len(text.encode("utf-8"))
