"""Telegram's hard limits, in the units Telegram counts them: the one place newsdesk takes them from.

Text length is counted in UTF-16 code units after entity parsing (tags removed, `&amp;` is one unit);
callback data and `next_offset` in UTF-8 bytes (a Persian letter is 2, most emoji 4).
"""

from __future__ import annotations

MAX_MESSAGE_UTF16 = 4096
"""A text message, after entity parsing."""

MAX_CAPTION_UTF16 = 1024
"""A media caption, after entity parsing."""

MAX_CALLBACK_DATA_BYTES = 64
"""`callback_data` of an inline button (at least 1 byte)."""

MAX_INLINE_RESULTS = 50
"""Results in one answer to an inline query."""

MAX_NEXT_OFFSET_BYTES = 64
"""`next_offset` of an answer to an inline query."""

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


def utf8_len(text: str) -> int:
    """Length of `text` in UTF-8 bytes, the way Telegram measures callback data and offsets."""
    return len(text.encode("utf-8"))
