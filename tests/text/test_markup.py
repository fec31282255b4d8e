"""The editor's formatting through the draft pipeline (bot.text.markup): properties and cases.

For generated formatted drafts (Persian words, `?`-bullets, bold, italic, underline, spoiler, links
with awkward URLs, code, custom emoji, spans across lines): the post is valid Telegram HTML; every
link keeps its exact URL; the formatting never changes the words (the visible text is the one the
same draft gets without formatting); the archive's text holds no marker.
"""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.botapi.html_check import parse_html
from bot.publishing.formatter import prepare_post
from bot.text.draft import parse_draft
from bot.text.markup import MARK_OPEN, from_telegram_html, strip_markup

SIGNATURE = "🆔 @news_test"
WORDS = [
    "خبر", "وزير", "گفت", "گفت.", "پایان؟", "مي شود", "دولت", "بودجه", "۱۴۰۳", "12.5", "شهرداری", "كتاب",
    "Tehran",
]  # fmt: skip
URLS = [
    "https://example.com/a?b=1&c=2",
    "https://t.me/news_test/12",
    "http://x.ir/%D8%AE%D8%A8%D8%B1",
    "https://example.com/path_with-dash/123?q=خبر#top",
    "https://example.com/ي/ك/1",
]
TAGS = ["b", "i", "u", "s", "tg-spoiler"]


@st.composite
def formatted_lines(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A draft as PTB's `text_html` gives it, and the URLs of its links."""
    lines, urls = [], []
    # A bold span across lines holds no bold of its own: Telegram never nests an entity in one of its type.
    bold_across = draw(st.booleans())
    tags = [tag for tag in TAGS if not (bold_across and tag == "b")]
    for _ in range(draw(st.integers(1, 6))):
        pieces = []
        if draw(st.booleans()):
            pieces.append(draw(st.sampled_from(["? ", "?", "🔹 ", "۱- "])))
        for _ in range(draw(st.sampled_from([1, 3, 6, 40]))):  # 40: a first line cut after its headline
            word = html.escape(draw(st.sampled_from(WORDS)), quote=False)
            style = draw(st.sampled_from(["plain", "tag", "link", "code", "emoji"]))
            if style == "tag":
                tag = draw(st.sampled_from(tags))
                word = f"<{tag}>{word}</{tag}>"
            elif style == "link":
                url = draw(st.sampled_from(URLS))
                urls.append(url)
                word = f'<a href="{html.escape(url)}">{word}</a>'
            elif style == "code":  # kept verbatim (no clean-up): Latin words the clean-up keeps too
                word = f"<code>{draw(st.sampled_from(['npm', 'git', 'README']))}</code>"
            elif style == "emoji":
                word = f'<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> {word}'
            pieces.append(word + " ")
        lines.append("".join(pieces).strip())
    text = "\n".join(lines)
    if bold_across and len(lines) > 1:
        text = f"<b>{text}</b>"
    return text, urls


def _visible(messages: list[str]) -> tuple[str, list[dict]]:
    texts, entities = [], []
    for message in messages:
        text, found = parse_html(message)
        texts.append(text)
        entities += found
    return "\n\n".join(texts), entities


def _fold(text: str) -> str:
    return text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٫", "0123456789."))


def _plain_of(text_html: str) -> str:
    """The same message without formatting, as Telegram's `text` gives it."""
    text, _ = parse_html(text_html, strict=False)
    return text


@settings(max_examples=150, deadline=None)
@given(formatted_lines())
def test_formatting_keeps_links_and_words_and_valid_html(case: tuple[str, list[str]]) -> None:
    text_html, urls = case
    post = prepare_post(from_telegram_html(text_html), bullet="🔹", signature=SIGNATURE)
    plain = prepare_post(_plain_of(text_html), bullet="🔹", signature=SIGNATURE)
    visible, entities = _visible(post.messages)  # raises on HTML Telegram would refuse
    links = [entity["url"] for entity in entities if entity["type"] == "text_link"]
    assert sorted(links) == sorted(urls)  # every link, its URL exactly as the editor set it
    # No word lost, added or changed (a number beside a code span may differ in its digits only).
    assert _fold(visible).split() == _fold(_visible(plain.messages)[0]).split()
    assert MARK_OPEN not in post.title + post.body
    assert _fold(post.body).split() == _fold(plain.body).split()
    if parse_draft(from_telegram_html(text_html)).headline is not None:  # bold once, not <b><b>…</b></b>
        headline = post.messages[0].split("\n")[0]
        assert _bold_depth(headline) <= 1, headline


def _bold_depth(message: str) -> int:
    """How deep <b> tags nest in a message."""
    depth = deepest = 0
    for closing in re.findall(r"<(/?)b>", message):
        depth += -1 if closing else 1
        deepest = max(deepest, depth)
    return deepest


def test_a_link_a_bullet_and_bold_across_lines() -> None:
    text_html = '<b>خبر مهم\n? بند اول</b> با <a href="https://example.com/x?a=1&amp;b=2">این گزارش</a>'
    post = prepare_post(from_telegram_html(text_html), bullet="🔹", signature="")
    (message,) = post.messages
    assert '<a href="https://example.com/x?a=1&amp;b=2">این گزارش</a>' in message
    assert message.startswith("<b>خبر مهم</b>")  # the headline bold once
    assert "🔹 <b>بند اول</b> با" in message  # the lost bullet read after the bold that opens the line
    assert strip_markup(from_telegram_html("<code>x  = 1</code> و <i>ب</i>")) == "x  = 1 و ب"


def test_a_headline_made_bold_is_bold_once_and_keeps_its_other_formatting() -> None:
    for text_html in (
        "<b>تیتر مهم</b>\nمتن",
        "<strong>تیتر</strong> <b>مهم</b>\nمتن",
        "تیتر <b>مهم</b>\nمتن",
    ):
        (message,) = prepare_post(from_telegram_html(text_html), bullet="🔹", signature="").messages
        assert message.split("\n")[0] == "<b>تیتر مهم</b>", message
    (message,) = prepare_post(
        from_telegram_html('<b>تیتر <i>مهم</i> <a href="https://x.ir/a">خبر</a></b>\nمتن <b>پررنگ</b>'),
        bullet="🔹",
        signature="",
    ).messages
    assert message == '<b>تیتر <i>مهم</i> <a href="https://x.ir/a">خبر</a></b>\n\nمتن <b>پررنگ</b>'
