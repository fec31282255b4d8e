"""The one UTF-16 measure, and the two lengths bot.text keeps without importing PTB, held to PTB's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from telegram.constants import MessageLimit

from bot.text.limits import MAX_CAPTION_UTF16, MAX_MESSAGE_UTF16, utf16_len, utf16_offsets, visible_len


def test_the_lengths_are_telegrams_as_ptb_declares_them():
    assert MAX_MESSAGE_UTF16 == MessageLimit.MAX_TEXT_LENGTH
    assert MAX_CAPTION_UTF16 == MessageLimit.CAPTION_LENGTH


def test_utf16_counts_an_emoji_as_two_and_a_persian_letter_as_one():
    assert utf16_len("خبر") == 3
    assert utf16_len("★") == 1  # in the Basic Multilingual Plane
    assert utf16_len("📷") == 2
    assert utf16_len("🇮🇷") == 4


@given(st.text())
def test_the_offsets_agree_with_the_length_of_every_prefix(text):
    offsets = utf16_offsets(text)
    assert offsets == [utf16_len(text[:i]) for i in range(len(text) + 1)]


def test_the_visible_length_drops_tags_and_counts_an_entity_as_one():
    assert visible_len('<b>خبر</b> &amp; <a href="https://x.ir">📷</a>') == len("خبر & ") + 2
