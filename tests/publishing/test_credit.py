"""The source credit of a forwarded post (bot.core.source), its pure part: which origins are credited and
how, where the line sits in the post, that the clean-up never alters it, that it is escaped and
counted in Telegram's limits (property), and the SOURCE_CREDIT setting."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import (
    Chat,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    User,
)

from bot import messages as msg
from bot.botapi.html_check import parse_html
from bot.config import ConfigError, Settings, load_settings
from bot.core.links import public_post_link
from bot.core.media import Layout, MediaItem, MediaKind, layout, plan_parts
from bot.core.source import CreditMode, Source, source_from_json, source_to_json
from bot.publishing.credit import credit_line
from bot.publishing.formatter import prepare_post
from bot.text.limits import MAX_CAPTION_UTF16, MAX_MESSAGE_UTF16, utf16_len
from bot.text.markup import MARK_CLOSE, MARK_OPEN
from handlers.media import forward_source

SIGNATURE = "🆔 @news_test"
DRAFT = "تیتر خبر\nوزیر امروز از نمایشگاه کتاب بازدید کرد.\n#فرهنگ"
OTHER = Source("خبرگزاری دیگر", "https://t.me/other_news/42")
WHEN = datetime(2026, 11, 30, tzinfo=UTC)
EDITOR = 1001
BOT_ID = 9


def credit(source: Source | None, mode: CreditMode = CreditMode.LINK) -> str:
    return credit_line(source, mode)


def covered(text: str, entity: dict) -> str:
    """The text an entity covers (its offset and length count UTF-16 units)."""
    units = text.encode("utf-16-le")
    return units[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])].decode("utf-16-le")


def test_the_line_per_setting() -> None:
    assert credit(OTHER, CreditMode.OFF) == "" and credit(None) == ""
    assert credit(OTHER, CreditMode.NAME) == "منبع: خبرگزاری دیگر"
    post = prepare_post(DRAFT, bullet="🔹", signature=SIGNATURE, credit=credit(OTHER))
    assert post.messages[-1].endswith(
        '#فرهنگ\n\nمنبع: <a href="https://t.me/other_news/42">خبرگزاری دیگر</a>\n\n🆔 @news_test'
    )
    unlinked = Source("کانال خصوصی")  # a private channel, a group, a person: no public link
    assert credit(unlinked) == credit(unlinked, CreditMode.NAME) == "منبع: کانال خصوصی"
    assert credit(Source(" \n ")) == ""  # nothing to show: no line
    assert msg.TEXTS["source_credit"][1] == "Source: {source}"  # the English fallback exists


def test_the_credit_sits_after_the_body_and_before_the_signature_in_the_last_message() -> None:
    long_draft = "تیتر\n" + "\n".join(f"بند {i}: " + "واژه " * 150 for i in range(12))
    post = prepare_post(long_draft, bullet="🔹", signature=SIGNATURE, credit=credit(OTHER, CreditMode.NAME))
    assert len(post.messages) > 1 and all(
        utf16_len(parse_html(m)[0]) <= MAX_MESSAGE_UTF16 for m in post.messages
    )
    assert all("منبع" not in m for m in post.messages[:-1])
    last = parse_html(post.messages[-1])[0]
    assert last.endswith("\n\nمنبع: خبرگزاری دیگر\n\n🆔 @news_test") and "بند ۱۱" in last
    # Without a signature the credit ends the post; the archive's body keeps it (found by its name).
    bare = prepare_post(DRAFT, bullet="🔹", signature="", credit=credit(OTHER, CreditMode.NAME))
    assert bare.messages[-1].endswith("#فرهنگ\n\nمنبع: خبرگزاری دیگر")
    assert bare.body.endswith("منبع: خبرگزاری دیگر") and "منبع" not in bare.title


def test_the_clean_up_never_touches_the_name_or_the_link() -> None:
    # The same words in the text are cleaned (Arabic ك and ي, the spacing), in the credit they are not.
    name = "كانال  خبري 12.5 :تهران"
    source = Source(name, "https://t.me/Kh_news/7?x=1&y=ي")
    post = prepare_post(f"تیتر\n{name} گزارش داد.", bullet="🔹", signature=SIGNATURE, credit=credit(source))
    text, entities = parse_html(post.messages[-1])
    assert "کانال خبری" in text.split("\n")[2]  # the body, cleaned
    link = next(e for e in entities if e["type"] == "text_link")
    assert link["url"] == "https://t.me/Kh_news/7?x=1&y=ي"
    assert covered(text, link) == "كانال خبري 12.5 :تهران"


def test_a_media_post_counts_the_credit_in_its_caption() -> None:
    photo = (MediaItem(MediaKind.PHOTO, "file-1"),)
    text = "تیتر\n" + "ب" * 950
    alone = prepare_post(text, bullet="🔹", signature=SIGNATURE)
    assert layout(photo, alone.messages) is Layout.CAPTION
    long_name = Source("خبرگزاری " * 8, "https://t.me/other_news/42")
    credited = prepare_post(text, bullet="🔹", signature=SIGNATURE, credit=credit(long_name))
    assert layout(photo, credited.messages) is Layout.SEPARATE  # the credit tipped it over 1,024
    # Media and no text: the credit and the signature are its caption.
    (part,) = plan_parts(
        photo, prepare_post("", bullet="🔹", signature=SIGNATURE, credit=credit(OTHER)).messages
    )
    assert parse_html(part.html)[0] == "منبع: خبرگزاری دیگر\n\n🆔 @news_test" and part.media == photo


_LETTERS = "ابپتثجچحخدرزسشصطظعغفقکگلمنوهیيكة ۰۱۲۳۴۵۶۷۸۹0123456789abcXYZ<>&\"'/:?#.@_-\u200c\n\t😀🔹"
NAME_CHARS = st.sampled_from([*_LETTERS, MARK_OPEN, MARK_CLOSE])  # markers: a name must not forge a tag


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(NAME_CHARS, min_size=1, max_size=60),
    username=st.from_regex(r"[A-Za-z][A-Za-z0-9_]{4,20}", fullmatch=True),
    message_id=st.integers(1, 10**9),
    body_words=st.integers(0, 1500),
    mode=st.sampled_from(list(CreditMode)),
)
def test_any_name_is_escaped_kept_exact_and_counted(
    name: str, username: str, message_id: int, body_words: int, mode: CreditMode
) -> None:
    source = Source(name, public_post_link(username, message_id))
    text = ("تیتر\n" + "خبر " * body_words) if body_words else ""
    post = prepare_post(text, bullet="🔹", signature=SIGNATURE, credit=credit(source, mode))
    shown = " ".join(name.replace(MARK_OPEN, "").replace(MARK_CLOSE, "").split())
    for message in post.messages:
        plain, _ = parse_html(message)  # valid Telegram HTML, whatever the name holds
        assert utf16_len(plain) <= MAX_MESSAGE_UTF16
    last, entities = parse_html(post.messages[-1]) if post.messages else ("", [])
    links = [e for e in entities if e["type"] == "text_link"]
    if mode is CreditMode.OFF or not shown:
        assert "منبع" not in last and not links
        return
    assert last.endswith(f"منبع: {shown}\n\n{SIGNATURE}")
    if mode is CreditMode.LINK:
        (link,) = links
        assert link["url"] == f"https://t.me/{username}/{message_id}"
        assert covered(last, link) == shown
    else:
        assert not links and html.escape(shown, quote=False) in post.messages[-1]
    photo = (MediaItem(MediaKind.PHOTO, "f"),)
    parts = plan_parts(photo, post.messages)
    if layout(photo, post.messages) is Layout.CAPTION:  # the caption rule counts the credit
        assert utf16_len(parse_html(parts[0].html)[0]) <= MAX_CAPTION_UTF16


def test_the_origin_is_stored_and_read_back() -> None:
    for source in (OTHER, Source("کانال «ما» & {x}"), None):
        assert source_from_json(source_to_json(source)) == source


SETTINGS = Settings(_env_file=None, channel_id="@news_test", editor_ids=frozenset({EDITOR}))  # type: ignore[call-arg]


def _channel(chat_id: int, title: str, username: str | None = None) -> Chat:
    return Chat(chat_id, Chat.CHANNEL, title=title, username=username)


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        (MessageOriginChannel(WHEN, _channel(-1002, "خبرگزاری دیگر", "other_news"), 42), OTHER),
        (MessageOriginChannel(WHEN, _channel(-1003, "کانال خصوصی"), 5), Source("کانال خصوصی")),
        (MessageOriginChat(WHEN, Chat(-1004, Chat.SUPERGROUP, title="گروه خبری")), Source("گروه خبری")),
        (MessageOriginUser(WHEN, User(77, "علی", False, last_name="رضایی")), Source("علی رضایی")),
        (MessageOriginHiddenUser(WHEN, "خبرنگار ناشناس"), Source("خبرنگار ناشناس")),
        # Never ourselves: our channel (by @handle or by id), an editor, the bot.
        (MessageOriginChannel(WHEN, _channel(-1009, "ما", "News_Test"), 3), None),
        (MessageOriginUser(WHEN, User(EDITOR, "سردبیر", False)), None),
        (MessageOriginUser(WHEN, User(BOT_ID, "newsdesk", True)), None),
        (None, None),
    ],
)
def test_which_origin_is_credited_and_as_what(origin, expected: Source | None) -> None:
    assert forward_source(origin, SETTINGS, bot_id=BOT_ID) == expected


def test_our_channel_by_its_id() -> None:
    by_id = Settings(_env_file=None, channel_id="-1001234567", editor_ids=frozenset({EDITOR}))  # type: ignore[call-arg]
    origin = MessageOriginChannel(WHEN, _channel(-1001234567, "ما", "news_test"), 3)
    assert forward_source(origin, by_id, bot_id=BOT_ID) is None


def test_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_CREDIT", raising=False)
    assert load_settings(env_file=None).source_credit is CreditMode.LINK  # on by default
    monkeypatch.setenv("SOURCE_CREDIT", " Name ")
    assert load_settings(env_file=None).source_credit is CreditMode.NAME
    monkeypatch.setenv("SOURCE_CREDIT", "yes")
    with pytest.raises(ConfigError, match="SOURCE_CREDIT: Input should be 'off', 'name' or 'link'"):
        load_settings(env_file=None)
