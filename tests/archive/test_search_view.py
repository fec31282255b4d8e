"""Search results as Telegram sees them: links, deep-link payloads, page buttons, HTML of hits."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.constants import InlineKeyboardButtonLimit, InlineQueryLimit

from bot import messages as msg
from bot.archive.view import (
    DEEP_LINK_MAX_CHARS,
    INLINE_MAX_OFFSET,
    INLINE_PAGE_SIZE,
    MAX_PAGES,
    PAGE_SIZE,
    Order,
    PageCallback,
    QueryStore,
    card_from_article,
    card_from_hit,
    clean_words,
    hashtag_search_url,
    hashtag_words,
    inline_no_results,
    inline_results,
    link_hashtags,
    next_inline_offset,
    page_callback_data,
    page_keyboard,
    parse_inline_offset,
    query_key,
    render_card,
    render_no_results,
    render_results_page,
    result_range,
    search_start_payload,
    words_from_start_payload,
)
from bot.botapi.html_check import parse_html
from bot.core.post import Article
from bot.messages import fa_digits
from bot.text.analyze import Snippet, hashtag_term
from bot.text.limits import MAX_MESSAGE_UTF16, utf8_len, utf16_len
from bot.text.query import parse_query
from storage.database import SearchHit

_START_PARAM = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@pytest.mark.parametrize(
    "words",
    ["انتخابات مجلس", "پروژه‌های شهرداری", "tehran metro", "قیمت دلار ۱۴۰۳", "سلام"],
)
def test_start_payload_round_trip(words):
    payload = search_start_payload(words)
    assert _START_PARAM.match(payload), payload
    assert words_from_start_payload(payload) == words


@given(st.text(min_size=1, max_size=300))
def test_start_payload_always_valid_for_telegram(words):
    payload = search_start_payload(words)
    assert len(payload) <= DEEP_LINK_MAX_CHARS
    assert re.match(r"^[A-Za-z0-9_-]+$", payload)
    decoded = words_from_start_payload(payload)
    if decoded is not None:
        # whatever survives is a prefix of the (whitespace-normalized) words
        assert clean_words(words).startswith(decoded)


def test_long_persian_query_is_cut_at_a_word_boundary():
    words = "پروژه های شهرداری تهران و برنامه ریزی برای سال آینده"
    payload = search_start_payload(words)
    assert len(payload) <= DEEP_LINK_MAX_CHARS
    decoded = words_from_start_payload(payload)
    assert decoded and words.startswith(decoded) and words[len(decoded)] == " "


def test_hand_made_ascii_payload_reads_as_words():
    assert words_from_start_payload("search_tehran_metro") == "tehran metro"
    assert words_from_start_payload("search_oil-price") == "oil price"


@pytest.mark.parametrize("payload", ["", "search_", "hello", "ref_123", "search_$$$"])
def test_non_search_payloads(payload):
    assert words_from_start_payload(payload) is None


def test_hashtag_link_searches_for_the_tag():
    assert hashtag_words("#انتخابات_مجلس") == "انتخابات مجلس"
    url = hashtag_search_url("@newsdesk_bot", "#انتخابات_مجلس")
    start = url.split("?start=", 1)[1]
    assert url.startswith("https://t.me/newsdesk_bot?start=")
    assert words_from_start_payload(start) == "#انتخابات_مجلس"
    assert parse_query(words_from_start_payload(start)).terms == (hashtag_term("انتخابات_مجلس"),)
    # Too long for a start parameter: a cut tag would find nothing, its words still find the posts.
    long_tag = "#انتخابات_مجلس_شورای_اسلامی_دوازدهم"
    words = words_from_start_payload(hashtag_search_url("newsdesk_bot", long_tag).split("?start=")[1])
    assert words and not words.startswith("#") and long_tag[1:].replace("_", " ").startswith(words)


def test_words_left_out_alone_get_their_own_reply():
    text = render_no_results("-تورم", truncated=False, lang="fa", only_excluded=True)
    assert text == msg.text("search_only_excluded", "fa", query="-تورم")
    assert "<code>قیمت -تورم</code>" in text
    assert render_no_results("-x", truncated=False, lang="en", only_excluded=True).startswith("“-x” only")


def test_link_hashtags_leaves_entities_and_url_fragments_alone():
    html = "#اول خبر &#x27;x&#x27; &amp; a#b https://x.com/a#top (#تگ_دوم)"
    out = link_hashtags(html, "newsdesk_bot")
    assert out.count("<a href=") == 2
    assert ">#اول</a>" in out and ">#تگ_دوم</a>" in out
    assert "&#x27;x&#x27;" in out and "a#b" in out and "a#top" in out
    assert link_hashtags(html, None) == html


def test_link_hashtags_with_bold_matches_inside():
    out = link_hashtags("گفت. #<b>نفت</b>_<b>ایران</b> و <b>#اقتصاد</b>", "newsdesk_bot")
    plain, entities = parse_html(out)
    links = [e["url"] for e in entities if e["type"] == "text_link"]
    assert [words_from_start_payload(u.split("?start=")[1]) for u in links] == ["#نفت_ایران", "#اقتصاد"]
    assert plain == "گفت. #نفت_ایران و #اقتصاد"


def test_page_callback_data_is_short_for_any_query():
    query = "پروژه‌های عمرانی شهرداری‌های استان تهران " * 50
    data = page_callback_data(query_key(query), 12)
    assert utf8_len(data) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
    assert PageCallback.parse(data) == PageCallback(query_key(query), 12)
    newest = PageCallback(query_key(query), MAX_PAGES, Order.NEWEST)
    assert utf8_len(newest.data()) <= 24
    assert PageCallback.parse(newest.data()) == newest


def test_page_callbacks_of_either_order_round_trip():
    assert PageCallback.parse("sp:abc:3") == PageCallback("abc", 3, Order.RELEVANCE)  # buttons sent before
    assert PageCallback.parse("sp:abc:3:n") == PageCallback("abc", 3, Order.NEWEST)
    assert PageCallback("abc", 3, Order.RELEVANCE).data() == "sp:abc:3"


@pytest.mark.parametrize(
    "data",
    ["", "sp:", "sp:abc", "sp:abc:x", "ed:abc:1", "sp:a b:1", "sp:abc:1:2", "sp:abc:0", "sp:abc:999",
     "sp:abc:۱", "sp:abc:1\n", "sp:" + "k" * 40 + ":1", "sp:abc:1:x", "sp:abc:1:n:n", "sp:abc:1:"],
)  # fmt: skip
def test_forged_page_callbacks_are_refused(data):
    assert PageCallback.parse(data) is None


def test_query_store_is_bounded_lru():
    store = QueryStore(capacity=3)
    keys = [store.put(q) for q in ("الف", "ب", "پ")]
    assert store.get(keys[0]) == "الف"  # touch: now most recent
    store.put("ت")
    assert len(store) == 3
    assert store.get(keys[1]) is None  # the least recently used one went
    assert store.get(keys[0]) == "الف"
    assert store.put("الف") == keys[0]  # same query, same key


# --- rendering -------------------------------------------------------------------------------------------

TEHRAN = ZoneInfo("Asia/Tehran")
# 2026-11-26 12:00 UTC = Thursday 5 Azar 1405, 15:30 in Tehran
PUBLISHED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def make_hit(article_id=1, title="عنوان خبر", text="متن خبر درباره پروژه های شهرداری", spans=((19, 24),),
             channel_message_ids=(), url=None) -> SearchHit:  # fmt: skip
    return SearchHit(
        article_id=article_id, external_id=str(article_id), title=title, snippet=Snippet(text, spans),
        published_at=PUBLISHED, url=url, channel_message_ids=list(channel_message_ids), score=1.0,
    )  # fmt: skip


def entity_text(plain: str, entity: dict) -> str:
    """The text an entity covers (offsets are UTF-16 code units)."""
    units = plain.encode("utf-16-le")
    return units[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])].decode("utf-16-le")


def test_card_links_to_our_channel_post_before_the_archived_url():
    hit = make_hit(channel_message_ids=[77], url="https://t.me/old/5")
    assert card_from_hit(hit, "@news_channel").url == "https://t.me/news_channel/77"
    assert card_from_hit(hit, "-1009876543210").url == "https://t.me/c/9876543210/77"
    assert card_from_hit(make_hit(url="https://t.me/old/5"), "@news_channel").url == "https://t.me/old/5"
    assert card_from_hit(make_hit(url="javascript:alert(1)"), None).url is None


def test_card_html_escapes_and_bolds_matched_words():
    hit = make_hit(
        title="<script> & «تهران»", text="a<b> پروژه & c", spans=((5, 10),), channel_message_ids=[3]
    )
    html_text = render_card(card_from_hit(hit, "@news_channel"), 1, "fa", TEHRAN)
    plain, entities = parse_html(html_text)  # strict: raises on any unescaped < > &
    assert "<script> & «تهران»" in plain and "a<b> پروژه & c" in plain
    bold = [entity_text(plain, e) for e in entities if e["type"] == "bold"]
    assert "پروژه" in bold
    links = [e["url"] for e in entities if e["type"] == "text_link"]
    assert links == ["https://t.me/news_channel/3"]


def test_card_shows_jalali_date_in_persian_digits_or_english():
    card = card_from_hit(make_hit(), None)
    fa = render_card(card, 12, "fa", TEHRAN)
    assert fa.startswith("۱۲. ") and "۵ آذر ۱۴۰۵" in fa and "۱۵:۳۰" in fa
    en = render_card(card, 12, "en", TEHRAN)
    assert en.startswith("12. ") and "Azar 1405" in en and "15:30" in en


def test_snippet_hashtags_link_to_a_bot_search():
    hit = make_hit(text="خبر تازه #انتخابات_مجلس امروز", spans=())
    html_text = render_card(card_from_hit(hit, None), 1, "fa", TEHRAN, "newsdesk_bot")
    _, entities = parse_html(html_text)
    [link] = [e["url"] for e in entities if e["type"] == "text_link"]
    assert words_from_start_payload(link.split("?start=")[1]) == "#انتخابات_مجلس"  # the tag, not its words


def test_results_page_numbers_across_pages_and_carries_notes():
    cards = [card_from_hit(make_hit(i), None) for i in range(1, 6)]
    text = render_results_page(
        cards, query="<پروژه>", page=3, partial=True, truncated=True, lang="fa", tz=TEHRAN
    )
    parse_html(text)
    assert "«&lt;پروژه&gt;»" in text and "۱۱ تا ۱۵" in text and " از " not in text.split("\n")[0]
    assert msg.text("search_partial", "fa", query="&lt;پروژه&gt;") in text
    assert msg.text("search_truncated", "fa") in text
    assert [f"{fa_digits(n)}. " in text for n in range(11, 16)] == [True] * 5


@pytest.mark.parametrize(
    ("page", "shown", "total", "capped", "fa", "en"),
    [
        (1, 5, 23, False, "۱ تا ۵ از ۲۳ نتیجه", "1–5 of 23"),
        (5, 3, 23, False, "۲۱ تا ۲۳ از ۲۳ نتیجه", "21–23 of 23"),
        (2, 5, 1000, True, "۶ تا ۱۰ از بیش از ۱٬۰۰۰ نتیجه", "6–10 of more than 1,000"),
        (1, 5, 12345, False, "۱ تا ۵ از ۱۲٬۳۴۵ نتیجه", "1–5 of 12,345"),
        (1, 2, None, False, "۱ تا ۲", "1–2"),  # a partial answer: no total
    ],
)
def test_results_page_says_which_results_of_how_many(page, shown, total, capped, fa, en):
    cards = [card_from_hit(make_hit(i), None) for i in range(shown)]
    for lang, expected in (("fa", fa), ("en", en)):
        text = render_results_page(cards, query="نفت", page=page, partial=total is None, truncated=False,
                                   lang=lang, tz=TEHRAN, total=total, total_capped=capped)  # fmt: skip
        header = text.split("\n")[0]
        assert header.endswith(f"— {expected}"), header
    first = (page - 1) * PAGE_SIZE + 1
    assert result_range(first, first + shown - 1, total, capped, "fa") == fa


@pytest.mark.parametrize("only_excluded", [False, True])
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_inline_no_results_is_one_result_saying_what_to_try(only_excluded, lang):
    query = "-نفت" if only_excluded else "زرافه <آبی>"
    result = inline_no_results(query, lang, "@newsdesk_bot", only_excluded=only_excluded).to_dict()
    kind = "inline_only_excluded" if only_excluded else "inline_none"
    assert result["type"] == "article" and result["id"] == "none"
    assert result["title"] == msg.text(f"{kind}_title", lang, query=query)
    assert result["description"] == msg.text(f"{kind}_hint", lang)
    content = result["input_message_content"]
    plain, entities = parse_html(content["message_text"])  # valid Telegram HTML, the query escaped
    assert query in plain
    [link] = [e["url"] for e in entities if e["type"] == "text_link"]
    assert link.startswith("https://t.me/newsdesk_bot?start=")
    assert words_from_start_payload(link.split("?start=")[1]) == clean_words(query)


def test_results_page_always_fits_one_message():
    long_title = "عنوان بسیار بلند " * 200
    long_snippet = "واژه‌ای&" * 2000
    cards = [card_from_hit(make_hit(i, long_title, long_snippet, ()), "@c_hannel") for i in range(PAGE_SIZE)]
    query = "پروژه " * 100
    text = render_results_page(cards, query=query, page=9, partial=True, truncated=True, lang="fa", tz=TEHRAN)
    plain, _ = parse_html(text)
    assert utf16_len(plain) <= MAX_MESSAGE_UTF16
    # every card of the page is there: no hit is ever silently dropped
    assert [f"{fa_digits(n)}. " in text for n in range(41, 46)] == [True] * 5


def test_no_results_reply_is_helpful():
    text = render_no_results("<x>", truncated=False, lang="fa")
    assert "&lt;x&gt;" in text and "/latest" in text
    parse_html(text)


def test_page_keyboard():
    assert page_keyboard("k", 1, False, "fa") is None
    first = page_keyboard("k", 1, True, "fa").inline_keyboard[0]
    assert [b.callback_data for b in first] == ["sp:k:2"]
    middle = page_keyboard("k", 2, True, "en").inline_keyboard[0]
    assert [b.callback_data for b in middle] == ["sp:k:1", "sp:k:3"]
    assert [b.text for b in middle] == [msg.text("btn_prev", "en"), msg.text("btn_next", "en")]


def test_page_keyboard_sorts_the_other_way_from_the_first_page():
    relevant = page_keyboard("k", 2, True, "fa", sortable=True).inline_keyboard
    assert [[b.callback_data for b in row] for row in relevant] == [["sp:k:1", "sp:k:3"], ["sp:k:1:n"]]
    assert relevant[1][0].text == msg.text("btn_newest_first", "fa")
    newest = page_keyboard("k", 1, False, "en", Order.NEWEST, sortable=True).inline_keyboard
    assert [[b.callback_data for b in row] for row in newest] == [["sp:k:1"]]
    assert newest[0][0].text == msg.text("btn_relevant_first", "en")


def test_inline_offsets():
    assert parse_inline_offset("") == 0
    assert parse_inline_offset("50") == 50
    for forged in ("-5", "abc", "۵۰", "99999999999999999999"):
        assert parse_inline_offset(forged) == 0
    assert INLINE_PAGE_SIZE <= InlineQueryLimit.RESULTS
    assert next_inline_offset(0, True) == str(INLINE_PAGE_SIZE)
    assert next_inline_offset(0, False) is None
    assert next_inline_offset(INLINE_MAX_OFFSET, True) is None
    assert utf8_len(next_inline_offset(950, True)) <= InlineQueryLimit.MAX_OFFSET_LENGTH


def test_inline_results_are_valid_articles():
    cards = [card_from_hit(make_hit(i, channel_message_ids=[i]), "@news_channel") for i in range(1, 60)]
    results = inline_results(cards, "fa", TEHRAN)
    assert len(results) == INLINE_PAGE_SIZE
    assert len({r.id for r in results}) == INLINE_PAGE_SIZE
    first = results[0]
    assert first.title == "عنوان خبر" and first.url == "https://t.me/news_channel/1"
    assert "۵ آذر ۱۴۰۵" in first.description
    plain, _ = parse_html(first.input_message_content.message_text)
    assert "عنوان خبر" in plain and "متن خبر" in plain


def test_latest_card_is_the_start_of_the_body():
    body = " ".join(f"واژه{i}" for i in range(100)) + " <&>"
    article = Article(
        id=9, source="import", external_id="9", title="عنوان <تازه>", body=body, html=[], status="published",
        deleted=False, scheduled_at=None, published_at=PUBLISHED, created_at=PUBLISHED, updated_at=PUBLISHED,
        channel_message_ids=[41], editor_id=None, editor_chat_id=None, url=None,
        failure_reason=None,
    )  # fmt: skip
    card = card_from_article(article, "@news_channel")
    assert card.snippet_text == " ".join(f"واژه{i}" for i in range(30)) + " …"
    assert card.url == "https://t.me/news_channel/41"
    plain, _ = parse_html(render_card(card, 1, "fa", TEHRAN))
    assert "عنوان <تازه>" in plain
