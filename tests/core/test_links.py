"""The one builder of t.me links: channel posts by @handle or -100… id, and deep links to the bot."""

from __future__ import annotations

import pytest

from bot.core.links import post_link, public_post_link, start_link


def test_a_post_link_for_a_public_and_a_private_channel():
    assert post_link("@news_channel", 42) == "https://t.me/news_channel/42"
    assert post_link(" -1001234567890 ", 7) == "https://t.me/c/1234567890/7"
    with pytest.raises(ValueError):
        post_link("news_channel", 1)  # neither a @handle nor a -100… id


def test_a_public_link_only_for_a_channel_with_a_username():
    assert public_post_link("news_channel", 42) == "https://t.me/news_channel/42"
    assert public_post_link(None, 42) is None
    assert public_post_link("", 42) is None


def test_a_deep_link_to_the_bot():
    assert start_link("@newsdesk_bot", "search_abc") == "https://t.me/newsdesk_bot?start=search_abc"
    assert start_link("newsdesk_bot", "x") == "https://t.me/newsdesk_bot?start=x"
