"""How search results look in Telegram: pure functions from archive hits to HTML, buttons and inline results.

No I/O here. The handlers in `handlers/subscriber.py` ask the archive for hits and hand them to this
module; everything a subscriber sees of a result (title, Jalali date, snippet with the matched words in
bold, link to the channel post, page buttons) is decided here, with the words taken from
`bot.messages`.

Deep links and hashtags: a search can be started from a link `https://t.me/<bot>?start=search_<payload>`.
Telegram allows only `A-Z a-z 0-9 _ -` and 64 characters in a start parameter, so the payload is the
URL-safe base64 of the UTF-8 words, without padding (Persian works; about 20 Persian letters fit).
A hashtag becomes such a link to a search for its words (`#انتخابات_مجلس` → `انتخابات مجلس`); the bot
renders hashtags in its own result messages that way, and a post renderer can do the same with
`hashtag_search_url`. A payload that is not valid base64 of printable UTF-8 is read as plain ASCII
words with `_` or `-` between them (`/start search_tehran_metro`), so hand-made links work too.

Pagination: the query itself never travels in callback data. `QueryStore` keeps it server-side under a
short key derived from the query, so `page_callback_data` is ≤ 20 bytes whatever was searched.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections import OrderedDict

from telegram.constants import MessageLimit

START_SEARCH_PREFIX = "search_"
DEEP_LINK_MAX_CHARS = MessageLimit.DEEP_LINK_LENGTH  # start parameter: ≤ 64 characters of [A-Za-z0-9_-]
PAGE_CALLBACK_PREFIX = "sp"
PAGE_CALLBACK_PATTERN = rf"^{PAGE_CALLBACK_PREFIX}:[A-Za-z0-9_-]{{1,16}}:\d{{1,5}}$"

_ASCII_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]+$")
# A hashtag starts the text or follows a space, an opening bracket/quote or a tag's `>`; this keeps
# `&#39;` entities and URL fragments (`/page#top`) out.
_HASHTAG = re.compile(r"(?<![^\s(\[«>])#(\w[\w\u200c]*)")


def post_url(channel_id: str, message_id: int) -> str:
    """The public link of a channel post: t.me/<handle>/<id>, or t.me/c/<internal id>/<id> for a -100… id."""
    channel_id = channel_id.strip()
    if channel_id.startswith("@"):
        return f"https://t.me/{channel_id[1:]}/{message_id}"
    if channel_id.startswith("-100"):
        return f"https://t.me/c/{channel_id[4:]}/{message_id}"
    raise ValueError(f"not a channel @handle or -100… id: {channel_id!r}")


def search_start_payload(words: str) -> str:
    """The `/start` parameter that runs a search for `words`, cut at a word boundary to fit 64 characters."""
    words = clean_words(words)
    while True:
        encoded = base64.urlsafe_b64encode(words.encode("utf-8")).decode("ascii").rstrip("=")
        payload = START_SEARCH_PREFIX + encoded
        if len(payload) <= DEEP_LINK_MAX_CHARS or not words:
            return payload
        # Too long: drop the last word, or — for a single word — its last letter; the archive matches
        # the last term as a prefix, so a shortened word still finds what the full one does.
        head, _, _ = words.rpartition(" ")
        words = head if head else words[:-1]


def clean_words(text: str) -> str:
    """`text` with control characters dropped and runs of whitespace made one space."""
    kept = "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Cf" else " " for ch in text)
    return " ".join(kept.split())


def words_from_start_payload(payload: str) -> str | None:
    """The search words carried by a `/start` parameter, or None when it is not a search link."""
    if not payload.startswith(START_SEARCH_PREFIX):
        return None
    body = payload[len(START_SEARCH_PREFIX) :]
    if not body or not _ASCII_PAYLOAD.match(body):
        return None
    decoded = _decode_base64_words(body)
    if decoded is not None:
        return decoded
    words = " ".join(body.replace("-", " ").replace("_", " ").split())
    return words or None


def _decode_base64_words(body: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    words = clean_words(text)
    # Our own payloads never hold control characters; text that does is an ASCII payload by chance.
    return words if words and words == " ".join(text.split()) else None


def hashtag_words(tag: str) -> str:
    """The words a hashtag stands for: `#انتخابات_مجلس` → `انتخابات مجلس`."""
    return " ".join(tag.lstrip("#").replace("_", " ").split())


def hashtag_search_url(bot_username: str, tag: str) -> str:
    """A t.me link that opens the bot and searches for the hashtag's words."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={search_start_payload(hashtag_words(tag))}"


def link_hashtags(escaped_html_text: str, bot_username: str | None) -> str:
    """Each #hashtag of already-escaped text made a link that searches for it (no-op without a bot name)."""
    if not bot_username:
        return escaped_html_text

    def to_link(match: re.Match[str]) -> str:
        return f'<a href="{hashtag_search_url(bot_username, match[1])}">{match[0]}</a>'

    return _HASHTAG.sub(to_link, escaped_html_text)


def query_key(query: str) -> str:
    """A short, stable key for a query: 11 URL-safe characters (64 bits of BLAKE2b)."""
    digest = hashlib.blake2b(query.encode("utf-8"), digest_size=8).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class QueryStore:
    """Queries kept server-side under short keys, so page buttons carry only the key (bounded LRU)."""

    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self._queries: OrderedDict[str, str] = OrderedDict()

    def put(self, query: str) -> str:
        """Remember `query` and return its key."""
        key = query_key(query)
        self._queries[key] = query
        self._queries.move_to_end(key)
        if len(self._queries) > self.capacity:
            self._queries.popitem(last=False)
        return key

    def get(self, key: str) -> str | None:
        """The query stored under `key`, or None when it was forgotten (restart or evicted)."""
        query = self._queries.get(key)
        if query is not None:
            self._queries.move_to_end(key)
        return query

    def __len__(self) -> int:
        return len(self._queries)


def page_callback_data(key: str, page: int) -> str:
    """Callback data of a page button: `sp:<key>:<page>`, ASCII and far below 64 bytes."""
    return f"{PAGE_CALLBACK_PREFIX}:{key}:{page}"


def parse_page_callback(data: str) -> tuple[str, int] | None:
    """(key, page) from a page button's callback data, or None when it is not one (or forged)."""
    if not re.match(PAGE_CALLBACK_PATTERN, data or ""):
        return None
    _, key, page = data.split(":")
    return key, int(page)
