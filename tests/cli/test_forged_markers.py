"""Hostile input: the desk's private-use markers (bot.text.markup, bot.text.protect, bot.text.normalize)
fed everywhere text comes in — a typed or forwarded draft, a caption, a link's URL, a channel's name,
a `.txt` file, `newsdesk format` — never become markup: the post is exactly the one the same input
gets without them, and it is valid Telegram HTML.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Chat, Message, MessageEntity, MessageOriginChannel

from bot.botapi.html_check import parse_html
from bot.cli import main
from bot.core.links import public_post_link
from bot.core.source import CreditMode, Source
from bot.publishing.credit import credit_line
from bot.publishing.formatter import prepare_post
from bot.text.markup import MARK_CLOSE, MARK_OPEN, RESERVED_RE
from handlers.media import draft_text, file_text

RESERVED = [chr(code) for code in range(0xE000, 0xE020)]


def forged(tag: str) -> str:
    """A marker as the desk writes one: the tag percent-encoded between MARK_OPEN and MARK_CLOSE."""
    return f"{MARK_OPEN}{quote(tag, safe='')}{MARK_CLOSE}"


FORGERIES = [
    forged("<b>"),
    forged('<a href="javascript:alert(1)">'),
    forged('<a href="https://phish.example/login">'),
    forged("</a>"),
    forged("<pre>"),
    MARK_OPEN,
    MARK_CLOSE,
]
WORDS = ["خبر", "مهم", "وزیر", "گفت:", "۱۴۰۳", "12.5", "https://t.me/news_test/1", "@news_test", "#بودجه",
         "?", "<", "&", "\n", "\n\n", " "]  # fmt: skip

hostile = st.lists(
    st.sampled_from(WORDS) | st.sampled_from(FORGERIES) | st.sampled_from(RESERVED), min_size=1, max_size=40
).map(" ".join)


def clean(text: str) -> str:
    return RESERVED_RE.sub("", text)


def assert_sound(messages: list[str]) -> None:
    for message in messages:
        _, entities = parse_html(message)  # raises on HTML Telegram would refuse
        assert not RESERVED_RE.search(message)
        links = [entity.get("url", "") for entity in entities]
        assert not [link for link in links if "javascript:" in link or "phish.example" in link]


def format_cli(text: str) -> tuple[int, str]:
    """`newsdesk format FILE` in-process: exit status and stdout."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draft.txt"
        path.write_text(text, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["format", str(path)])
    return status, out.getvalue()


@settings(max_examples=60, deadline=None)
@given(hostile)
def test_newsdesk_format_never_takes_a_marker_from_its_input(text: str) -> None:
    status, out = format_cli(text)
    assert (status, out) == format_cli(clean(text)) if clean(text).strip() else status == 2
    if status == 0:
        assert_sound(out.split("\n-----\n"))


def telegram_message(text: str, *, url: str, title: str, caption: bool) -> Message:
    """A forwarded channel post as PTB builds it from Telegram's JSON: bold on the first word, a hidden
    link on the rest, the channel's title and the link's URL from outside too."""
    first = len(text.split(" ")[0].encode("utf-16-le")) // 2
    total = len(text.encode("utf-16-le")) // 2
    entities = [MessageEntity(MessageEntity.BOLD, 0, max(first, 1))]
    if total > first:
        entities.append(MessageEntity(MessageEntity.TEXT_LINK, first, total - first, url=url))
    chat = Chat(-1001234567890, Chat.CHANNEL, title=title, username="other_news")
    origin = MessageOriginChannel(datetime.now(UTC), chat, message_id=7)
    fields = (
        {"caption": text, "caption_entities": entities} if caption else {"text": text, "entities": entities}
    )
    return Message(1, datetime.now(UTC), Chat(1001, Chat.PRIVATE), forward_origin=origin, **fields)


def post_from(message: Message) -> list[str]:
    """What the desk makes of the message: its draft text, credited to the forwarded channel."""
    origin = message.forward_origin
    assert isinstance(origin, MessageOriginChannel)
    source = Source(origin.chat.title or "", public_post_link(origin.chat.username, origin.message_id))
    credit = credit_line(source, CreditMode.LINK)
    return prepare_post(draft_text(message), bullet="🔹", signature="🆔 @news_test", credit=credit).messages


@settings(max_examples=60, deadline=None)
@given(
    hostile.filter(str.strip),
    st.sampled_from(["https://example.com/a", "https://example.com/" + MARK_CLOSE + forged("<b>")]),
    hostile,
    st.booleans(),
)
def test_a_forwarded_post_its_caption_link_and_channel_name_never_forge_a_marker(
    text: str, url: str, title: str, caption: bool
) -> None:
    messages = post_from(telegram_message(text, url=url, title=title, caption=caption))
    assert_sound(messages)
    links = set(re.findall(r'href="([^"]*)"', "".join(messages)))
    assert links <= {html.escape(clean(url)), "https://t.me/other_news/7"}
    plain = Message(2, datetime.now(UTC), Chat(1001, Chat.PRIVATE), text=text)  # no entities at all
    assert not RESERVED_RE.search(draft_text(plain)) and draft_text(plain) == clean(text)


@given(hostile)
def test_a_draft_file_is_disarmed_like_a_typed_draft(text: str) -> None:
    assert file_text(text.encode("utf-8")) == clean(text)
    assert file_text(b"\xff\xfe\x00") is None


def test_the_reserved_block_holds_every_private_character_the_pipeline_uses() -> None:
    from bot.text import normalize, protect

    used = [MARK_OPEN, MARK_CLOSE, protect.MASK, normalize.LATIN_MASK, normalize.LATIN_QUOTE,
            normalize.LATIN_DOT, normalize.KEPT_TANWIN]  # fmt: skip
    assert all(RESERVED_RE.fullmatch(ch) for ch in used)


def test_the_probes_case_a_bold_and_a_script_link_in_a_draft() -> None:
    text = f"خبر مهم\n{forged('<b>')}متن {forged('<a href="javascript:alert(1)">')}کلیک"
    status, out = format_cli(text)
    assert status == 0 and "<a" not in out and out.count("<b>") == out.count("</b>") == 1
    assert_sound(out.split("\n-----\n"))
