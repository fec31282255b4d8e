"""Properties of the whole formatter (parse + render + split) over generated drafts.

For any text: no exception; every message at most 4096 UTF-16 units of visible text; only
well-formed HTML with Telegram's tags. For drafts built from known lines: every word of every line
comes out, once, in order — compared after folding away what the clean-up may legitimately change
(see `fold`).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from bot.botapi.html_check import parse_html
from bot.text.draft import parse_draft
from bot.text.limits import ALLOWED_HTML_ATTRIBUTES, ALLOWED_HTML_TAGS, MAX_MESSAGE_UTF16, utf16_len
from bot.text.render import render_post, split_html

_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);)")
_BARE_LESS_THAN = re.compile(r"<(?!/?[a-z][a-z-]*[\s>])")


class _TelegramHtml(HTMLParser):
    """Collects the visible text of a message and every way it breaks Telegram's HTML rules."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_HTML_TAGS:
            self.problems.append(f"tag <{tag}> not allowed")
        for name, _ in attrs:
            if name not in ALLOWED_HTML_ATTRIBUTES.get(tag, ()):
                self.problems.append(f"attribute {name} not allowed on <{tag}>")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> does not close the open {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, _decl: str) -> None:
        self.problems.append("declaration")


def check_message(message: str) -> str:
    """Assert the message is valid Telegram HTML within the length limit; return its visible text."""
    parser = _TelegramHtml()
    parser.feed(message)
    parser.close()
    problems = parser.problems + [f"unclosed <{tag}>" for tag in parser.stack]
    problems += [f"bare & at {m.start()}" for m in _BARE_AMPERSAND.finditer(message)]
    problems += [f"bare < at {m.start()}" for m in _BARE_LESS_THAN.finditer(message)]
    assert not problems, (problems, message[:300])
    text = "".join(parser.text)
    assert text.strip(), "empty message"
    assert utf16_len(text) <= MAX_MESSAGE_UTF16
    plain, _ = parse_html(message)  # and the Bot API test server's tdlib-faithful parser agrees
    assert plain == text
    return text


def test_the_checker_catches_what_telegram_rejects():
    for bad in ["<br>", "a<p>b</p>", "<b>x", "<b><i>x</b></i>", "x & y", "1 < 2", '<b class="x">y</b>']:
        parser_fails = False
        try:
            check_message(bad)
        except AssertionError:
            parser_fails = True
        assert parser_fails, bad
    assert check_message('<b>a</b> &amp; <a href="https://x.io/?a=1&amp;b=2">l</a>') == "a & l"


_FOLD_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def fold(text: str) -> str:
    """Letters and digits only, in order, in one spelling.

    The clean-up may change spaces and half-spaces, punctuation, Arabic to Persian letters, Latin to
    Persian digits, and shorten letters repeated for emphasis; it may not drop, add or move a letter
    or digit. Markup (bullets, `?`, emoji) has none.
    """
    chars = [
        str(unicodedata.digit(ch)) if ch.isdigit() else ch
        for ch in text.translate(_FOLD_LETTERS)
        if ch.isalnum()
    ]
    return re.sub(r"(.)\1+", r"\1", "".join(chars))


_PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيك"
persian_words = st.text(alphabet=_PERSIAN, min_size=1, max_size=9)
latin_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8)
numbers = st.sampled_from(
    ["12.5", "1,250,000", "1403/05/12", "14:30", "۱۴۰۳/۰۵/۱۲", "۲۵", "7", "۳٫۵", "50%", "2024-08-02"]
)
links = st.builds(
    lambda host, path, query: f"https://{host}.com/{path}{query}",
    latin_words,
    latin_words,
    st.sampled_from(["", "?x=1", "?a=1&b=2", "?q=" + "خبر"]),
) | st.sampled_from(["https://t.me/news_channel?x=1", "t.me/news_channel", "www.example.ir/a?b"])
handles = st.builds(lambda name: f"@news_{name}", latin_words)
hashtags = st.builds(lambda word: f"#{word}", persian_words)
markup_in_text = st.sampled_from(
    ["?", "??", "???", "😀", "🔹", "✅", "🇮🇷", "👨‍👩‍👧", "؟", "!", "،", ":", "«", "»"]
)
specials = st.sampled_from(["<", ">", "&", "<b>", "</i>", "a&b", "&amp;", "x<y>z", '"quoted"', "'"])
tokens = st.one_of(
    persian_words, persian_words, persian_words, latin_words, numbers, links, handles, hashtags,
    markup_in_text, specials,
)  # fmt: skip

# Bullet markup a line may open with; `None` is a plain line.
line_markers = st.sampled_from(
    [None, "?", "? ", "🔹 ", "🔸", "▪️ ", "◾️", "• ", "- ", "* ", "✅ ", "1. ", "۱- ", "2) "]
)


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """A line's body: a few tokens, sometimes repeated into a paragraph longer than a message."""
    words = draw(st.lists(tokens, min_size=1, max_size=12))
    repeat = draw(st.sampled_from([1, 1, 1, 2, 30, 120]))
    if draw(st.integers(0, 9)) == 0:  # a run without spaces, longer than a message
        return draw(persian_words) * draw(st.integers(1, 900))
    return " ".join(words * repeat)


@st.composite
def drafts(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A draft and the bodies of its lines (what must come out), markup left aside."""
    lines: list[str] = []
    bodies: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        marker = draw(line_markers) or ""
        body = draw(paragraphs())
        lines.append(marker + body)
        bodies.append(body)
        if draw(st.booleans()):
            lines.append("")
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(lines), bodies


_LIST_NUMBER = re.compile(r"(?m)^[0-9۰-۹]{1,2}[.)-](?: |$)")
"""The number a numbered line keeps (tests/text/test_draft_reading.py checks it); markup for this property."""


def visible_text(messages: list[str]) -> list[str]:
    return [check_message(message) for message in messages]


@given(drafts())
def test_every_word_survives_once_in_order(case):
    draft_text, bodies = case
    messages = render_post(parse_draft(draft_text))
    texts = [_LIST_NUMBER.sub("", text) for text in visible_text(messages)]  # numbers are markup here
    assert fold("".join(texts)) == fold("".join(bodies))


@given(st.text(max_size=3000) | st.lists(tokens | st.text(max_size=20), max_size=300).map(" ".join))
def test_any_text_gives_valid_messages(text):
    draft = parse_draft(text)
    messages = render_post(draft, bullet="▪️", signature="🆔 @news_channel <&>")
    visible_text(messages)
    if messages:
        assert messages[-1].endswith("🆔 @news_channel &lt;&amp;&gt;")
    if draft.headline:
        assert messages[0].startswith("<b>")


@given(drafts(), st.sampled_from(["🔹", "▪️", "•", ""]))
def test_headline_only_first_signature_only_last(case, bullet):
    draft = parse_draft(case[0])
    messages = render_post(draft, bullet=bullet, signature="SIGNATURE-LINE")
    assert messages[-1].split("\n")[-1] == "SIGNATURE-LINE"
    assert all("SIGNATURE-LINE" not in message for message in messages[:-1])
    if draft.headline and utf16_len(draft.headline) < MAX_MESSAGE_UTF16:
        assert sum(message.count("<b>") for message in messages) == 1


_formatted = st.lists(
    st.tuples(st.sampled_from(["", "b", "i", "u", "s", "code"]), st.text(max_size=400) | paragraphs()),
    min_size=1,
    max_size=20,
)


@given(_formatted, st.integers(min_value=2, max_value=5000))
def test_split_html_keeps_every_character_but_the_whitespace_at_cuts(parts, limit):
    from html import escape

    html = "\n\n".join(f"<{tag}>{escape(text, quote=False)}</{tag}>" if tag else escape(text, quote=False)
                       for tag, text in parts)  # fmt: skip
    pieces = split_html(html, limit)
    texts = []
    for piece in pieces:
        parser = _TelegramHtml()
        parser.feed(piece)
        parser.close()
        assert not parser.problems and not parser.stack, piece
        text = "".join(parser.text)
        assert 0 < utf16_len(text) <= limit
        texts.append(text)
    expected = "".join(text for _, text in parts)
    assert "".join("".join(t.split()) for t in texts) == "".join(expected.split())


def test_a_long_run_of_suffix_letters_is_formatted():
    # Found by test_every_word_survives_once_in_order: the half-space step recursed once per `ها`.
    messages = render_post(parse_draft("تیتر\n" + "ها" * 3000))
    assert fold("".join(visible_text(messages))) == fold("تیتر" + "ها" * 3000)
