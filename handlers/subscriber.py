"""The subscriber side: /start, /help, /search and plain-text search, result pages, /latest, inline mode.

How: every search goes to `Database.search` (the query language of `bot.text.query`: AND of all words,
the last one as a prefix, phrases, words left out, hashtags, dates; partial matches flagged) and the
hits are drawn by `bot.archive.view`. Result pages carry « previous / next » buttons and one that sorts
the newest first (or back); their callback data is a `PageCallback` (`sp:<key>:<page>[:n]`): the query
stays on the server under that short key (`QueryStore`), so the data is ≤ 24 bytes whatever was
searched. Inline mode (`@bot words` in any chat)
answers 50 results per page with `next_offset`; an empty inline query lists the newest posts.

Deep links `t.me/<bot>?start=search_<base64url of the words>` start a search; the bot renders every
#hashtag in its result snippets as such a link, so tapping a tag searches for it (see bot.archive.view).
Plain text in a private chat is a search for subscribers only: for editors it is a draft, and the
editor desk (registered first) takes it. Each user gets SEARCHES_PER_WINDOW searches a minute, inline
queries (one per keystroke) a larger budget of their own; over it, a polite reply says when to retry.
The menu (setMyCommands) is set once at start; a server that refuses it does not stop the bot.

Readers on another network (Bale) are served by the same handlers on a second Application, the
network's own bot (bot/subscriber_bots.py), told apart by its `Audience`: what the network can do
(bot.networks) decides inline mode and what /start and /help offer, its bot sends the HTML as plain
text where the network has none (bot.bale), and results link to the posts' copies there
(bot.archive.copy_links), else to Telegram. The editors' desk is on Telegram only.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace

from telegram import (
    BotCommand,
    InlineKeyboardMarkup,
    InlineQueryResultsButton,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import messages as msg
from bot.archive.copy_links import copy_links
from bot.archive.ratelimit import SEARCHES_PER_WINDOW, RateDecision, SearchRateLimiter
from bot.archive.view import (
    INLINE_PAGE_SIZE,
    LATEST_DEFAULT,
    LATEST_MAX,
    PAGE_CALLBACK_PATTERN,
    PAGE_SIZE,
    Order,
    PageCallback,
    QueryStore,
    ResultCard,
    card_from_article,
    card_from_hit,
    inline_no_results,
    inline_results,
    next_inline_offset,
    page_keyboard,
    parse_inline_offset,
    render_help,
    render_latest,
    render_no_results,
    render_results_page,
    render_welcome,
    search_start_payload,
    words_from_start_payload,
)
from bot.destinations import Destination
from bot.networks import CAPABILITIES, Capabilities, Network
from bot.text.query import MAX_QUERY_CHARS
from handlers.common import SERVICES_KEY, Services, lang_of, services
from storage.database import SearchResult

log = logging.getLogger(__name__)

SUBSCRIBER_KEY = "subscriber"
SUBSCRIBER_COMMANDS = ("search", "latest", "help")
INLINE_QUERIES_PER_WINDOW = 90  # Telegram sends one inline query per pause in typing
INLINE_CACHE_SECONDS = 60  # new posts show up in inline answers within a minute
INLINE_LATEST_CACHE_SECONDS = 30
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True, slots=True)
class Audience:
    """The readers one Application serves: on `network` (Telegram: the main bot), their results
    linking to the posts' copies in `mirrors` (that network's destinations, the bot's own first)."""

    network: Network = Network.TELEGRAM
    mirrors: tuple[Destination, ...] = ()

    @property
    def can(self) -> Capabilities:
        return CAPABILITIES[self.network]

    def log_kind(self, kind: str) -> str:
        """The search log's kind: `search` on Telegram, `bale:search` on Bale (user ids are per network)."""
        return kind if self.network is Network.TELEGRAM else f"{self.network}:{kind}"


@dataclass
class SubscriberState:
    """What the subscriber side keeps in memory: rate limiters and the queries behind page buttons
    (one per Application: the same limits for every reader, on each network apart)."""

    audience: Audience = field(default_factory=Audience)

    searches: SearchRateLimiter = field(default_factory=SearchRateLimiter)
    inline: SearchRateLimiter = field(
        default_factory=lambda: SearchRateLimiter(limit=INLINE_QUERIES_PER_WINDOW)
    )
    queries: QueryStore = field(default_factory=QueryStore)


def _state(context: ContextTypes.DEFAULT_TYPE) -> SubscriberState:
    return context.bot_data[SUBSCRIBER_KEY]


def _stored_query(text: str) -> str:
    """The query as searched, shown and kept for page buttons ('' when nothing was typed)."""
    # parse_query reads at most MAX_QUERY_CHARS characters; one more keeps its "was cut" signal, so a
    # stored query searches exactly like the typed one while the store stays small.
    return text[: MAX_QUERY_CHARS + 1] if text.strip() else ""


async def _refuse_if_limited(message: Message, decision: RateDecision, lang: str) -> bool:
    """Tell a user over the limit when to try again; True when the search must not run."""
    if decision.allowed:
        return False
    await message.reply_text(
        msg.text("rate_limited", lang, limit=SEARCHES_PER_WINDOW, seconds=decision.retry_after)
    )
    return True


def _log_search(context: ContextTypes.DEFAULT_TYPE, query: str, result: SearchResult, started: float,
                kind: str, user_id: int | None) -> None:  # fmt: skip
    """Record the search after the answer went out (the log is for tuning, not on the answer's path)."""
    ms = (time.perf_counter() - started) * 1000
    services(context).db.log_search(
        query, results=len(result.hits), partial=result.partial, ms=round(ms, 2),
        kind=_audience(context).log_kind(kind), user_id=user_id,
    )  # fmt: skip


def _audience(context: ContextTypes.DEFAULT_TYPE) -> Audience:
    return _state(context).audience


async def _on_readers_network(
    context: ContextTypes.DEFAULT_TYPE, cards: list[ResultCard]
) -> list[ResultCard]:
    """On another network's bot, each result links to the post's copy there; a post without one keeps
    its Telegram link (the only place it is)."""
    mirrors = _audience(context).mirrors
    if not mirrors or not cards:
        return cards
    links = await copy_links(services(context).db, mirrors, [card.article_id for card in cards])
    return [replace(card, url=links[card.article_id]) if card.article_id in links else card for card in cards]


async def _search_page(
    context: ContextTypes.DEFAULT_TYPE, query: str, page: int, lang: str, order: Order = Order.RELEVANCE
) -> tuple[str, InlineKeyboardMarkup | None, SearchResult]:
    """The HTML and keyboard of one page of results for `query` (or the no-results reply)."""
    svc = services(context)
    newest = order is Order.NEWEST
    result = await svc.db.search(
        query, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE, newest=newest, tz=svc.settings.tz
    )
    if not result.hits:
        no_results = render_no_results(
            query, truncated=result.truncated, lang=lang, only_excluded=result.only_excluded
        )
        return no_results, None, result
    # The partial fallback answers one page only: paging it would repeat the same best matches.
    has_next = len(result.hits) > PAGE_SIZE and not result.partial
    cards = await _on_readers_network(
        context, [card_from_hit(hit, svc.settings.channel_id) for hit in result.hits[:PAGE_SIZE]]
    )
    text = render_results_page(
        cards, query=query, page=page, partial=result.partial, truncated=result.truncated,
        lang=lang, tz=svc.settings.tz, bot_username=context.bot.username, order=order,
        total=result.total, total_capped=result.total_capped,
    )  # fmt: skip
    sortable = len(result.hits) > 1 or page > 1
    keyboard = page_keyboard(
        _state(context).queries.put(query), page, has_next, lang, order, sortable=sortable
    )
    return text, keyboard, result


async def _answer_search(update: Update, context: ContextTypes.DEFAULT_TYPE, typed: str) -> None:
    """Run one search for the sender and reply with the first page of results."""
    message, user, lang = update.effective_message, update.effective_user, lang_of(update)
    assert message is not None and user is not None
    query = _stored_query(typed)
    if not query:
        await message.reply_html(msg.text("search_usage", lang))
        return
    if await _refuse_if_limited(message, _state(context).searches.hit(user.id), lang):
        return
    started = time.perf_counter()
    text, keyboard, result = await _search_page(context, query, 1, lang)
    await message.reply_html(text, reply_markup=keyboard, link_preview_options=NO_PREVIEW)
    _log_search(context, query, result, started, "search", user.id)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user, or run the search a deep link (`/start search_…`) carries."""
    words = words_from_start_payload(context.args[0]) if context.args else None
    if words:
        await _answer_search(update, context, words)
        return
    user, lang, can = update.effective_user, lang_of(update), _audience(context).can
    welcome = render_welcome(user.first_name if user else "", lang, context.bot.username, inline=can.inline)
    await update.effective_message.reply_html(welcome)  # type: ignore[union-attr]


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how searching works (a tap on a hashtag searches only where results carry links)."""
    can = _audience(context).can
    helped = render_help(
        lang_of(update), context.bot.username, SEARCHES_PER_WINDOW, inline=can.inline, links=can.html
    )
    await update.effective_message.reply_html(helped)  # type: ignore[union-attr]


async def search_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/search <words>."""
    await _answer_search(update, context, " ".join(context.args or ()))


async def search_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text from a subscriber in a private chat is a search."""
    await _answer_search(update, context, update.effective_message.text or "")  # type: ignore[union-attr]


async def page_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show another page of a search; the query comes from the server-side store."""
    query_callback, lang = update.callback_query, lang_of(update)
    assert query_callback is not None
    parsed = PageCallback.parse(query_callback.data or "")
    query = _state(context).queries.get(parsed.key) if parsed else None
    if parsed is None or query is None:
        await query_callback.answer(msg.text("search_expired", lang), show_alert=True)
        return
    decision = _state(context).searches.hit(query_callback.from_user.id)
    if not decision.allowed:
        limited = msg.text("rate_limited", lang, limit=SEARCHES_PER_WINDOW, seconds=decision.retry_after)
        await query_callback.answer(limited, show_alert=True)
        return
    started = time.perf_counter()
    text, keyboard, result = await _search_page(context, query, parsed.page, lang, parsed.order)
    try:
        await query_callback.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=keyboard, link_preview_options=NO_PREVIEW
        )
    except BadRequest as error:  # a double tap: the page is already shown
        if "not modified" not in str(error).lower():
            raise
    await query_callback.answer()
    _log_search(context, query, result, started, "page", query_callback.from_user.id)


async def latest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/latest [N]: the N newest posts (default LATEST_DEFAULT, at most LATEST_MAX)."""
    message, user, lang = update.effective_message, update.effective_user, lang_of(update)
    assert message is not None and user is not None
    try:
        count = int(context.args[0]) if context.args else LATEST_DEFAULT  # int() reads ۵ as well as 5
    except ValueError:
        count = 0
    if not 1 <= count <= LATEST_MAX:
        await message.reply_html(msg.text("latest_usage", lang, max=LATEST_MAX))
        return
    if await _refuse_if_limited(message, _state(context).searches.hit(user.id), lang):
        return
    svc = services(context)
    cards = await _on_readers_network(
        context, [card_from_article(a, svc.settings.channel_id) for a in await svc.db.latest(count)]
    )
    text = render_latest(cards, lang, svc.settings.tz, context.bot.username)
    await message.reply_html(text, link_preview_options=NO_PREVIEW)


async def inline_search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot words → article results, 50 a page; an empty query → the newest posts."""
    inline_query, lang = update.inline_query, lang_of(update)
    assert inline_query is not None
    svc, user_id = services(context), inline_query.from_user.id
    if not _state(context).inline.hit(user_id).allowed:
        button = InlineQueryResultsButton(msg.text("inline_limited", lang), start_parameter="limited")
        await inline_query.answer([], cache_time=0, is_personal=True, button=button)
        return
    offset, query = parse_inline_offset(inline_query.offset), _stored_query(inline_query.query)
    started = time.perf_counter()
    if not query:
        articles = await svc.db.latest(INLINE_PAGE_SIZE + 1, offset)
        cards = [card_from_article(a, svc.settings.channel_id) for a in articles]
        has_more, cache_time, result = len(articles) > INLINE_PAGE_SIZE, INLINE_LATEST_CACHE_SECONDS, None
    else:
        result = await svc.db.search(query, INLINE_PAGE_SIZE + 1, offset, tz=svc.settings.tz)
        hits = result.hits if not (result.partial and offset) else []  # the fallback has one page
        cards = [card_from_hit(hit, svc.settings.channel_id) for hit in hits]
        has_more, cache_time = len(hits) > INLINE_PAGE_SIZE and not result.partial, INLINE_CACHE_SECONDS
    button = None
    results = inline_results(cards, lang, svc.settings.tz)
    if not cards and offset == 0 and query and result is not None:
        # One result that says nothing was found and what to try (an empty list shows nothing at
        # all), and the button that opens the bot with this search.
        only_excluded = result.only_excluded
        results = [inline_no_results(query, lang, context.bot.username, only_excluded=only_excluded,
                                     truncated=result.truncated)]  # fmt: skip
        label = "inline_only_excluded" if only_excluded else "inline_none"
        button = InlineQueryResultsButton(msg.text(label, lang), start_parameter=search_start_payload(query))
    # is_personal: the results' dates and wording follow each user's language.
    await inline_query.answer(
        results, cache_time=cache_time, is_personal=True,
        next_offset=next_inline_offset(offset, has_more), button=button,
    )  # fmt: skip
    if result is not None and offset == 0:
        _log_search(context, query, result, started, "inline", user_id)


async def set_subscriber_commands(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The command menu for everyone, in Persian and English; optional, so a refusal is only logged."""
    for language_code, lang in (("", msg.FA), ("en", msg.EN)):
        commands = [BotCommand(name, msg.text(f"cmd_{name}", lang)) for name in SUBSCRIBER_COMMANDS]
        try:
            await context.bot.set_my_commands(commands, language_code=language_code or None)
        except TelegramError as error:
            log.warning("could not set the subscribers' command menu (%s): %s", language_code, error)


# ——— wiring ———


def subscriber_updates(audience: Audience) -> list[str]:
    """The update kinds the subscriber side takes on the audience's network (asked for these only)."""
    kinds = [Update.MESSAGE, Update.CALLBACK_QUERY]
    return [*kinds, Update.INLINE_QUERY] if audience.can.inline else kinds


def register(application: Application, audience: Audience | None = None) -> None:
    """Add the subscriber side's handlers (on Telegram after the editor desk, whose private-chat text
    comes first); `audience`: readers on another network, through that network's own bot."""
    svc: Services = application.bot_data[SERVICES_KEY]
    audience = audience or Audience()
    application.bot_data[SUBSCRIBER_KEY] = SubscriberState(audience)
    subscribers_text = (
        filters.ChatType.PRIVATE
        & filters.TEXT
        & ~filters.COMMAND
        & ~filters.VIA_BOT  # a result the user sent with inline mode is not a new search
    )
    if audience.network is Network.TELEGRAM:  # EDITOR_IDS are Telegram's users: their text is a draft
        subscribers_text &= ~filters.User(user_id=svc.settings.editor_ids)
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("search", search_command))
    application.add_handler(CommandHandler("latest", latest_command))
    application.add_handler(CallbackQueryHandler(page_pressed, pattern=PAGE_CALLBACK_PATTERN))
    if audience.can.inline:
        application.add_handler(InlineQueryHandler(inline_search))
    application.add_handler(MessageHandler(subscribers_text, search_text))
    assert application.job_queue is not None
    # However late the Application starts (Bale's starts once Bale answers): never "missed".
    application.job_queue.run_once(
        set_subscriber_commands, when=0, name="subscriber-commands", job_kwargs={"misfire_grace_time": None}
    )
