"""How search results look in Telegram: pure functions from archive hits to HTML, buttons and inline results.

No I/O here. The handlers in `handlers/subscriber.py` ask the archive for hits and hand them to this
module; everything a subscriber sees of a result (title, Jalali date, snippet with the matched words in
bold, link to the channel post, page buttons) is decided here, with the words taken from
`bot.messages`.

Deep links and hashtags: a search can be started from a link `https://t.me/<bot>?start=search_<payload>`.
Telegram allows only `A-Z a-z 0-9 _ -` and 64 characters in a start parameter, so the payload is the
URL-safe base64 of the UTF-8 words, without padding (Persian works; about 20 Persian letters fit).
A hashtag becomes such a link to a search for the tag itself (`#انتخابات_مجلس`: posts carrying it; a
tag too long for the payload searches for its words, `انتخابات مجلس`); the bot renders hashtags in its
own result messages that way, and a post renderer can do the same with
`hashtag_search_url`. A payload that is not valid base64 of printable UTF-8 is read as plain ASCII
words with `_` or `-` between them (`/start search_tehran_metro`), so hand-made links work too.

Pagination: the query itself never travels in callback data. `QueryStore` keeps it server-side under a
short key derived from the query, so a button's data (`PageCallback`: key, page and order — the most
relevant or the newest first) is ≤ 24 bytes whatever was searched.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.constants import MessageLimit, ParseMode

from bot import messages as msg
from bot.core.links import post_link, start_link
from bot.core.media import marked_title
from bot.text.limits import MAX_MESSAGE_UTF16, visible_len

if TYPE_CHECKING:
    from bot.core.post import Article
    from storage.database import SearchHit

START_SEARCH_PREFIX = "search_"
DEEP_LINK_MAX_CHARS = MessageLimit.DEEP_LINK_LENGTH  # start parameter: ≤ 64 characters of [A-Za-z0-9_-]
PAGE_CALLBACK_PREFIX = "sp"
PAGE_CALLBACK_PATTERN = rf"^{PAGE_CALLBACK_PREFIX}:[A-Za-z0-9_-]{{1,16}}:[0-9]{{1,3}}(?::[rn])?\Z"
MAX_PAGES = 200  # 1,000 results deep; a forged page number cannot make the archive rank more

_ASCII_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]+$")
# A hashtag starts the text or follows a space, an opening bracket/quote or a tag's `>`; this keeps
# `&#39;` entities and URL fragments (`/page#top`) out.
# Snippets may already carry <b>…</b> around matched words inside a tag (`#<b>نفت</b>_ایران`).
_HASHTAG = re.compile(r"(?<![^\s(\[«>])#((?:</?b>)?\w(?:[\w\u200c]|</?b>)*)")


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
    """A t.me link that opens the bot and searches for the hashtag (`#انتخابات_مجلس`: the posts carrying
    that tag); a tag too long for a start parameter searches for its words instead, as a cut tag
    would find nothing."""
    tag = "#" + tag.lstrip("#")
    payload = search_start_payload(tag)
    if words_from_start_payload(payload) != tag:
        payload = search_start_payload(hashtag_words(tag))
    return start_link(bot_username, payload)


def link_hashtags(escaped_html_text: str, bot_username: str | None) -> str:
    """Each #hashtag of already-escaped text made a link that searches for it (no-op without a bot name)."""
    if not bot_username:
        return escaped_html_text

    def to_link(match: re.Match[str]) -> str:
        tag = match[0]
        while tag.endswith("<b>") or (tag.endswith("</b>") and tag.count("</b>") > tag.count("<b>")):
            tag = tag[: tag.rindex("<")]  # a mark that belongs around or after the tag, not inside it
        if tag.count("<b>") != tag.count("</b>"):
            return match[0]  # a mark crosses the tag's end: leave it unlinked rather than break HTML
        url = hashtag_search_url(bot_username, tag.replace("<b>", "").replace("</b>", ""))
        return f'<a href="{url}">{tag}</a>' + match[0][len(tag) :]

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


class Order(StrEnum):
    """How a results page is sorted; the value is what the page buttons carry."""

    RELEVANCE = "r"
    NEWEST = "n"


@dataclass(frozen=True, slots=True)
class PageCallback:
    """What a results button asks for: page `page` of the stored query `key`, in `order`.

    As callback data: `sp:<key>:<page>` for the most relevant first (what buttons sent before the
    order existed, so they still work), `sp:<key>:<page>:n` for the newest first; ASCII, ≤ 24 bytes."""

    key: str
    page: int
    order: Order = Order.RELEVANCE

    def data(self) -> str:
        """The callback data of this button."""
        tail = f":{self.order.value}" if self.order is not Order.RELEVANCE else ""
        return f"{PAGE_CALLBACK_PREFIX}:{self.key}:{self.page}{tail}"

    @classmethod
    def parse(cls, data: str) -> PageCallback | None:
        """The button behind `data`, or None when it is not one of ours (or forged)."""
        if not re.match(PAGE_CALLBACK_PATTERN, data or ""):
            return None
        _, key, page, *order = data.split(":")
        if not 1 <= int(page) <= MAX_PAGES:
            return None
        return cls(key, int(page), Order(order[0]) if order else Order.RELEVANCE)


def page_callback_data(key: str, page: int, order: Order = Order.RELEVANCE) -> str:
    """Callback data of a page button: `sp:<key>:<page>[:n]`, ASCII and far below 64 bytes."""
    return PageCallback(key, page, order).data()


# --- results as Telegram HTML -------------------------------------------------------------------------

PAGE_SIZE = 5
LATEST_DEFAULT = 5
LATEST_MAX = 10
# Telegram allows MAX_INLINE_RESULTS (50) a page, but every result carries a snippet that the archive
# builds from the whole article (about 0.5–1 ms each), and inline queries come at every pause in
# typing; 10 fill a phone screen, and the client asks for `next_offset` by itself as the user scrolls.
INLINE_PAGE_SIZE = 10
INLINE_MAX_OFFSET = 1000  # deeper than this nobody scrolls; also bounds a forged offset's cost
# With these caps PAGE_SIZE cards and the notes always fit one message (4096), so no hit of a page is
# ever dropped; `_fit` is only the safety net.
TITLE_MAX_CHARS = 150
SNIPPET_MAX_CHARS = 450
LATEST_SNIPPET_WORDS = 30  # as many words as the archive's search snippets hold
DESCRIPTION_MAX_CHARS = 160


@dataclass(frozen=True, slots=True)
class ResultCard:
    """One article as a result: what every view of a search hit or a latest post is made from."""

    article_id: int
    title: str
    published_at: datetime
    snippet_html: str  # escaped; matched words in <b>
    snippet_text: str
    url: str | None
    media_kind: str | None = None  # shown as 📷 🎬 📎 before the title


def article_url(channel_id: str | None, channel_message_ids: list[int], url: str | None) -> str | None:
    """Where a result links: our channel post when we know its message id, else the archived URL."""
    if channel_id and channel_message_ids:
        return post_link(channel_id, channel_message_ids[0])
    if url and url.startswith(("https://", "http://")):
        return url
    return None


def card_from_hit(hit: SearchHit, channel_id: str | None) -> ResultCard:
    """A search hit as a card; the snippet's matched words become bold."""
    if len(hit.snippet.text) <= SNIPPET_MAX_CHARS:
        snippet_html = hit.snippet.marked("<b>", "</b>", html.escape)
    else:  # a body without word breaks: no window to mark, cut it plain
        snippet_html = html.escape(_short(hit.snippet.text, SNIPPET_MAX_CHARS))
    return ResultCard(
        article_id=hit.article_id,
        title=hit.title,
        published_at=hit.published_at,
        snippet_html=snippet_html,
        snippet_text=hit.snippet.text,
        url=article_url(channel_id, hit.channel_message_ids, hit.url),
        media_kind=hit.media_kind,
    )


def card_from_article(article: Article, channel_id: str | None) -> ResultCard:
    """A published article (e.g. from `latest`) as a card; its snippet is the start of the body."""
    # Nothing to mark, so no analysis: the first words are the snippet (an empty inline query, sent
    # as soon as someone types "@bot ", lists ten of these).
    words = (article.body or article.title).split()
    snippet = " ".join(words[:LATEST_SNIPPET_WORDS]) + (" …" if len(words) > LATEST_SNIPPET_WORDS else "")
    return ResultCard(
        article_id=article.id,
        title=article.title,
        published_at=article.published_at or article.created_at,
        snippet_html=html.escape(_short(snippet, SNIPPET_MAX_CHARS)),
        snippet_text=snippet,
        url=article_url(channel_id, article.channel_message_ids, article.url),
        media_kind=article.media[0].kind if article.media else None,
    )


def _shown_title(card: ResultCard, lang: str) -> str:
    """A result's title as shown; a post without text (an imported photo) is named by its kind."""
    title = _short(card.title, TITLE_MAX_CHARS)
    if not title and card.media_kind:
        return msg.text(f"media_{card.media_kind}", lang)
    return title or "…"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_card(
    card: ResultCard, number: int | None, lang: str, tz: ZoneInfo, bot_username: str | None = None
) -> str:
    """One result: numbered, linked title in bold, Jalali date, snippet (hashtags link to a search)."""
    title = html.escape(_shown_title(card, lang))
    if card.url:
        title = f'<a href="{html.escape(card.url)}">{title}</a>'
    title = marked_title(card.media_kind, title)
    snippet = link_hashtags(card.snippet_html, bot_username)
    return msg.text(
        "result_card",
        lang,
        number=msg.text("result_number", lang, n=number) if number is not None else "",
        title=title,
        when=msg.when(card.published_at, tz, lang),
        snippet=snippet,
    )


def _fit(header: str, blocks: list[str]) -> str:
    """Header and as many whole blocks as fit one Telegram message."""
    text = header
    for block in blocks:
        candidate = f"{text}\n\n{block}" if text else block
        if visible_len(candidate) > MAX_MESSAGE_UTF16:
            break
        text = candidate
    return text


def render_results_page(
    cards: list[ResultCard],
    *,
    query: str,
    page: int,
    partial: bool,
    truncated: bool,
    lang: str,
    tz: ZoneInfo,
    bot_username: str | None = None,
    order: Order = Order.RELEVANCE,
    total: int | None = None,
    total_capped: bool = False,
) -> str:
    """A page of search results (≤ PAGE_SIZE cards, numbered across pages) with its notes; the header
    says which results these are and of how many (`total`; with `total_capped`, more than that)."""
    shown_query = html.escape(_short(query, 60))
    first = (page - 1) * PAGE_SIZE + 1
    shown = result_range(first, first + len(cards) - 1, total, total_capped, lang)
    lines = [msg.text("search_header", lang, query=shown_query, shown=shown)]
    if order is Order.NEWEST:
        lines.append(msg.text("search_newest_note", lang))
    if partial:
        lines.append(msg.text("search_partial", lang, query=shown_query))
    if truncated:
        lines.append(msg.text("search_truncated", lang))
    blocks = [render_card(c, first + i, lang, tz, bot_username) for i, c in enumerate(cards)]
    return _fit("\n".join(lines), blocks)


def result_range(first: int, last: int, total: int | None, capped: bool, lang: str) -> str:
    """`۱ تا ۵ از ۲۳ نتیجه`, `… از بیش از ۲۰۰ نتیجه` when the count stopped at its cap, or only
    the range when the total is not known (a partial answer)."""
    first_text, last_text = msg.count(first, lang), msg.count(last, lang)
    if total is None:
        return msg.text("search_range", lang, first=first_text, last=last_text)
    key = "search_range_more" if capped else "search_range_total"
    return msg.text(key, lang, first=first_text, last=last_text, total=msg.count(total, lang))


def render_no_results(query: str, *, truncated: bool, lang: str, only_excluded: bool = False) -> str:
    """The reply when nothing, not even a partial match, was found; or, for a query of words to leave
    out alone (`only_excluded`), what it lacks."""
    key = "search_only_excluded" if only_excluded else "search_none"
    text = msg.text(key, lang, query=html.escape(_short(query, 60)))
    return text + ("\n" + msg.text("search_truncated", lang) if truncated else "")


def render_latest(cards: list[ResultCard], lang: str, tz: ZoneInfo, bot_username: str | None = None) -> str:
    """The newest posts, newest first."""
    if not cards:
        return msg.text("latest_none", lang)
    blocks = [render_card(c, i + 1, lang, tz, bot_username) for i, c in enumerate(cards)]
    return _fit(msg.text("latest_header", lang, count=len(cards)), blocks)


def render_welcome(name: str, lang: str, bot_username: str | None, *, inline: bool) -> str:
    """The greeting of /start; it names inline mode only where the network has it (`inline`)."""
    more = msg.text("start_inline", lang, bot=bot_username) if inline else ""
    return msg.text("start_welcome", lang, name=html.escape(name), inline=more)


def render_help(lang: str, bot_username: str | None, limit: int, *, inline: bool, links: bool) -> str:
    """How searching works; tapping a hashtag (`links`: results carry links) and inline mode are
    named only where the network has them."""
    hashtags = msg.text("help_hashtags", lang) if links else ""
    more = msg.text("help_inline", lang, bot=bot_username) if inline else ""
    return msg.text("help", lang, limit=limit, hashtags=hashtags, inline=more)


def _page_button(label: str, key: str, page: int, lang: str, order: Order) -> InlineKeyboardButton:
    return InlineKeyboardButton(msg.text(label, lang), callback_data=page_callback_data(key, page, order))


def page_keyboard(
    key: str, page: int, has_next: bool, lang: str, order: Order = Order.RELEVANCE, *, sortable: bool = False
) -> InlineKeyboardMarkup | None:
    """« previous / next » buttons for a results page, and with `sortable` (more than one hit) a
    button that shows the same search from its first page in the other order; None when there is
    nothing to press."""
    rows = []
    buttons = []
    if page > 1:
        buttons.append(_page_button("btn_prev", key, page - 1, lang, order))
    if has_next and page < MAX_PAGES:
        buttons.append(_page_button("btn_next", key, page + 1, lang, order))
    if buttons:
        rows.append(buttons)
    if sortable:
        other = Order.RELEVANCE if order is Order.NEWEST else Order.NEWEST
        label = "btn_newest_first" if other is Order.NEWEST else "btn_relevant_first"
        rows.append([_page_button(label, key, 1, lang, other)])
    return InlineKeyboardMarkup(rows) if rows else None


# --- inline mode --------------------------------------------------------------------------------------


def parse_inline_offset(offset: str) -> int:
    """The result offset Telegram echoes back from our `next_offset` ('' or forged → 0)."""
    return int(offset) if offset.isascii() and offset.isdigit() and int(offset) <= INLINE_MAX_OFFSET else 0


def next_inline_offset(offset: int, has_more: bool) -> str | None:
    """`next_offset` for the page after the one starting at `offset`; None (not sent, the same as
    Telegram's '') when there is none."""
    following = offset + INLINE_PAGE_SIZE
    return str(following) if has_more and following <= INLINE_MAX_OFFSET else None


NO_RESULTS_ID = "none"  # result ids are ours to choose; an article's id is its number


def inline_no_results(
    query: str, lang: str, bot_username: str, *, only_excluded: bool = False, truncated: bool = False
) -> InlineQueryResultArticle:
    """The one inline result when a search finds nothing: what was not found and what to try; sent,
    it is the bot's no-results reply with a link that runs the search in the bot."""
    shown = _short(query, 60)
    kind = "inline_only_excluded" if only_excluded else "inline_none"
    url = start_link(bot_username, search_start_payload(query))
    reply = render_no_results(query, truncated=truncated, lang=lang, only_excluded=only_excluded)
    link = msg.text("inline_search_in_bot", lang, url=html.escape(url))
    return InlineQueryResultArticle(
        id=NO_RESULTS_ID,
        title=msg.text(f"{kind}_title", lang, query=shown),
        description=msg.text(f"{kind}_hint", lang),
        input_message_content=InputTextMessageContent(f"{reply}\n{link}", parse_mode=ParseMode.HTML),
    )


def inline_results(cards: list[ResultCard], lang: str, tz: ZoneInfo) -> list[InlineQueryResultArticle]:
    """Cards as inline results: title, date and snippet shown in the list; the card itself is sent."""
    results = []
    for card in cards[:INLINE_PAGE_SIZE]:
        results.append(
            InlineQueryResultArticle(
                id=str(card.article_id),
                title=marked_title(card.media_kind, _shown_title(card, lang)),
                description=_short(
                    f"{msg.when(card.published_at, tz, lang)} — {card.snippet_text}", DESCRIPTION_MAX_CHARS
                ),
                input_message_content=InputTextMessageContent(
                    render_card(card, None, lang, tz), parse_mode=ParseMode.HTML
                ),
                url=card.url,
            )
        )
    return results
