"""Search results as Telegram sees them: links, deep-link payloads, page buttons, HTML of hits."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.search_view import (
    DEEP_LINK_MAX_CHARS,
    QueryStore,
    clean_words,
    hashtag_search_url,
    hashtag_words,
    link_hashtags,
    page_callback_data,
    parse_page_callback,
    post_url,
    query_key,
    search_start_payload,
    words_from_start_payload,
)
from bot.text.limits import MAX_CALLBACK_DATA_BYTES, utf8_len

_START_PARAM = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def test_post_url_public_and_private_channel():
    assert post_url("@news_channel", 42) == "https://t.me/news_channel/42"
    assert post_url("-1001234567890", 7) == "https://t.me/c/1234567890/7"
    with pytest.raises(ValueError):
        post_url("news_channel", 1)


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


def test_hashtag_words_and_link():
    assert hashtag_words("#انتخابات_مجلس") == "انتخابات مجلس"
    url = hashtag_search_url("@newsdesk_bot", "#انتخابات_مجلس")
    start = url.split("?start=", 1)[1]
    assert url.startswith("https://t.me/newsdesk_bot?start=")
    assert words_from_start_payload(start) == "انتخابات مجلس"


def test_link_hashtags_leaves_entities_and_url_fragments_alone():
    html = "#اول خبر &#x27;x&#x27; &amp; a#b https://x.com/a#top (#تگ_دوم)"
    out = link_hashtags(html, "newsdesk_bot")
    assert out.count("<a href=") == 2
    assert ">#اول</a>" in out and ">#تگ_دوم</a>" in out
    assert "&#x27;x&#x27;" in out and "a#b" in out and "a#top" in out
    assert link_hashtags(html, None) == html


def test_page_callback_data_is_short_for_any_query():
    query = "پروژه‌های عمرانی شهرداری‌های استان تهران " * 50
    data = page_callback_data(query_key(query), 12)
    assert utf8_len(data) <= MAX_CALLBACK_DATA_BYTES
    assert parse_page_callback(data) == (query_key(query), 12)


@pytest.mark.parametrize("data", ["", "sp:", "sp:abc", "sp:abc:x", "ed:abc:1", "sp:a b:1", "sp:abc:1:2"])
def test_forged_page_callbacks_are_refused(data):
    assert parse_page_callback(data) is None


def test_query_store_is_bounded_lru():
    store = QueryStore(capacity=3)
    keys = [store.put(q) for q in ("الف", "ب", "پ")]
    assert store.get(keys[0]) == "الف"  # touch: now most recent
    store.put("ت")
    assert len(store) == 3
    assert store.get(keys[1]) is None  # the least recently used one went
    assert store.get(keys[0]) == "الف"
    assert store.put("الف") == keys[0]  # same query, same key
