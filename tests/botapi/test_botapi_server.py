"""The Bot API test server, driven by python-telegram-bot over real HTTP.

These tests pin down the rules the end-to-end suite relies on: Telegram's HTML, length and
keyboard limits with Telegram's error texts, getUpdates semantics, and injected faults surfacing
as the PTB exceptions the bot will meet in production.
"""

from __future__ import annotations

import asyncio
import html
import signal
import subprocess
import sys

import httpx
import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.botapi.html_check import HtmlParseError, parse_html
from bot.botapi.server import BotApiServer
from bot.botapi.world import Chat
from bot.text.limits import utf16_len
from tests.botapi.fixtures import EDITOR_ID, ENGLISH_SUBSCRIBER_ID, SUBSCRIBER_ID

PERSIAN_LETTER = "ب"  # two bytes in UTF-8, one UTF-16 unit
EMOJI = "😀"  # four bytes in UTF-8, two UTF-16 units


def keyboard(*data: str) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(f"b{i}", callback_data=d)] for i, d in enumerate(data)]
    return InlineKeyboardMarkup(rows)


async def drain(bot: Bot) -> None:
    """Confirm every pending update."""
    updates = await bot.get_updates()
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1)


def articles(count: int, prefix: str = "r") -> list[InlineQueryResultArticle]:
    return [
        InlineQueryResultArticle(f"{prefix}{i}", f"عنوان {i}", InputTextMessageContent(f"متن {i}"))
        for i in range(count)
    ]


@pytest.fixture
def started(botapi: BotApiServer) -> BotApiServer:
    """The editor and the subscribers have written to the bot, so it may answer them."""
    for user_id in (EDITOR_ID, SUBSCRIBER_ID, ENGLISH_SUBSCRIBER_ID):
        botapi.user_sends_text(user_id, "/start")
    return botapi


# ---------------------------------------------------------------- identity and updates


async def test_get_me_describes_the_bot(tg_bot, botapi):
    me = await tg_bot.get_me()
    assert me.id == botapi.bot_user.id
    assert me.username == "newsdesk_test_bot"
    assert me.is_bot and me.supports_inline_queries


async def test_command_message_carries_bot_command_entity(tg_bot, botapi):
    botapi.user_sends_text(EDITOR_ID, "/search تهران #اقتصاد")
    (update,) = await tg_bot.get_updates()
    message = update.message
    assert message.from_user.id == EDITOR_ID and message.from_user.language_code == "fa"
    assert message.chat.type == "private"
    types = {e.type: message.parse_entity(e) for e in message.entities}
    assert types == {"bot_command": "/search", "hashtag": "#اقتصاد"}


async def test_offset_confirms_updates_forever(tg_bot, botapi):
    ids = [botapi.user_sends_text(EDITOR_ID, f"پیام {i}").update_id for i in range(3)]
    assert ids == sorted(ids)
    updates = await tg_bot.get_updates()
    assert [u.update_id for u in updates] == ids
    assert [u.update_id for u in await tg_bot.get_updates(offset=ids[1])] == ids[1:]
    assert await tg_bot.get_updates(offset=ids[2] + 1) == ()
    assert await tg_bot.get_updates() == ()  # confirmed updates never come back
    assert botapi.is_confirmed(ids[2]) and botapi.pending_updates() == []


async def test_limit_and_negative_offset(tg_bot, botapi):
    ids = [botapi.user_sends_text(SUBSCRIBER_ID, str(i)).update_id for i in range(5)]
    assert [u.update_id for u in await tg_bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await tg_bot.get_updates(offset=-1)] == ids[-1:]
    assert [u.update_id for u in await tg_bot.get_updates()] == ids[-1:]


async def test_long_poll_returns_when_an_update_arrives(tg_bot, botapi):
    loop = asyncio.get_running_loop()
    started_at = loop.time()
    poll = asyncio.create_task(tg_bot.get_updates(timeout=8, read_timeout=12))
    await asyncio.sleep(0.3)
    assert not poll.done()
    botapi.user_sends_text(EDITOR_ID, "سلام")
    updates = await poll
    assert updates[0].message.text == "سلام"
    assert loop.time() - started_at < 6  # well before the 8 s poll timeout


async def test_long_poll_times_out_empty(tg_bot):
    assert await tg_bot.get_updates(timeout=1) == ()


async def test_allowed_updates_filters_types(tg_bot, botapi):
    await tg_bot.get_updates(allowed_updates=["message"])
    botapi.user_inline_query(SUBSCRIBER_ID, "تهران")
    botapi.user_sends_text(SUBSCRIBER_ID, "متن")
    updates = await tg_bot.get_updates()
    assert [bool(u.message) for u in updates] == [True]


async def test_second_poller_terminates_the_first_with_conflict(tg_bot, botapi):
    first = asyncio.create_task(tg_bot.get_updates(timeout=5, read_timeout=10))
    await botapi.wait_for(lambda: botapi.calls("getUpdates"))
    second = asyncio.create_task(tg_bot.get_updates(timeout=1, read_timeout=5))
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first
    assert await second == ()


async def test_ids_keep_increasing_for_a_new_bot_process(botapi, started):
    async def send_with_fresh_bot(text: str) -> tuple[int, int]:
        async with Bot(botapi.token, base_url=botapi.base_url) as bot:
            sent = await bot.send_message(EDITOR_ID, text)
            updates = await bot.get_updates()
            await bot.get_updates(offset=updates[-1].update_id + 1)
            return sent.message_id, updates[-1].update_id

    first_message, first_update = await send_with_fresh_bot("یک")
    botapi.user_sends_text(EDITOR_ID, "دو")
    second_message, second_update = await send_with_fresh_bot("سه")
    assert second_message > first_message and second_update > first_update


# ---------------------------------------------------------------- HTML parse mode


@pytest.mark.parametrize(
    ("markup", "plain", "types"),
    [
        ("<b>خبر</b> فوری", "خبر فوری", ["bold"]),
        (
            "<strong>a</strong><i>b</i><em>c</em><u>d</u><ins>e</ins>",
            "abcde",
            ["bold", "italic", "italic", "underline", "underline"],
        ),
        ("<s>a</s><strike>b</strike><del>c</del>", "abc", ["strikethrough"] * 3),
        ('<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span>', "ab", ["spoiler", "spoiler"]),
        ('<a href="https://t.me/news_test/12">پیوند</a>', "پیوند", ["text_link"]),
        ("<code>x</code> <pre>y</pre>", "x y", ["code", "pre"]),
        ("<blockquote>نقل</blockquote>", "نقل", ["blockquote"]),
        ("<blockquote expandable>نقل</blockquote>", "نقل", ["expandable_blockquote"]),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍", ["custom_emoji"]),
        ("<b>a <i>b</i></b>", "a b", ["bold", "italic"]),
        ("1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;x&quot; &#1575;&#x628;", '1 < 2 && 3 > 2 "x" اب', []),
        ("<b>ok</b>  \n", "ok", ["bold"]),
        ("<B>upper</B>", "upper", ["bold"]),
    ],
)
async def test_html_accepted(tg_bot, started, markup, plain, types):
    message = await tg_bot.send_message(EDITOR_ID, markup, parse_mode="HTML")
    assert message.text == plain
    assert [e.type for e in message.entities] == types
    assert started.last_bot_message(EDITOR_ID).html == markup


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ("خط<br>خط", 'Unsupported start tag "br" at byte offset 4'),
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("AT&T", 'Character "&" at byte offset 2 must be escaped as "&amp;"'),
        ("&laquo;خبر&raquo;", 'Character "&" at byte offset 0 must be escaped as "&amp;"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        (
            "<b class>x</b>",
            'Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0',
        ),
    ],
)
async def test_html_rejected_with_telegram_wording(tg_bot, started, markup, error):
    with pytest.raises(BadRequest) as caught:
        await tg_bot.send_message(EDITOR_ID, markup, parse_mode="HTML")
    assert caught.value.message.lower() == f"can't parse entities: {error}".lower()
    answer = started.calls("sendMessage")[-1].response
    assert answer["description"] == f"Bad Request: can't parse entities: {error}"
    assert started.last_bot_message(EDITOR_ID) is None


@given(st.text())
def test_escaped_text_parses_back_to_itself(text):
    assume_valid = not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    if assume_valid:
        assert parse_html(html.escape(text)) == (text, [])


@given(st.text(st.characters(exclude_categories=["Cs"]), min_size=1))
def test_entity_offsets_are_utf16(text):
    plain, entities = parse_html(f"{EMOJI}<b>{html.escape(text)}</b>")
    assert plain == EMOJI + text
    assert entities == [{"type": "bold", "offset": 2, "length": utf16_len(text)}]


@pytest.mark.parametrize(
    ("markup", "plain", "entities"),
    [
        (
            '<pre><code class="language-python">x = 1</code></pre>',
            "x = 1",
            [{"type": "pre", "offset": 0, "length": 5, "language": "python"}],
        ),
        (
            "<b>a</><i>b</ >",
            "ab",
            [{"type": "bold", "offset": 0, "length": 1}, {"type": "italic", "offset": 1, "length": 1}],
        ),
        ("<b></b>x", "x", []),  # zero-length entities are dropped
        (
            '<a href="https://x.ir/?a=1&amp;b=&quot;2&quot;">پیوند</a>',
            "پیوند",
            [{"type": "text_link", "offset": 0, "length": 5, "url": 'https://x.ir/?a=1&b="2"'}],
        ),
        ("<a href=t.me>t</a>", "t", [{"type": "text_link", "offset": 0, "length": 1, "url": "t.me"}]),
        ("<b unknown='x'>a</b>", "a", [{"type": "bold", "offset": 0, "length": 1}]),
        ("😀<i>😀</i>", "😀😀", [{"type": "italic", "offset": 2, "length": 2}]),
    ],
)
def test_parse_html_details(markup, plain, entities):
    assert parse_html(markup) == (plain, entities)


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        (
            "&#xD83D;",
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units",
        ),
        ("سلام <x>", 'Unsupported start tag "x" at byte offset 9'),  # offsets count UTF-8 bytes
        ("<i>a</i   ", "Unclosed end tag at byte offset 4"),
        ("<i   =a>", 'Empty attribute name in the tag "i" at byte offset 0'),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("<b>&lt</b>", 'Character "&" at byte offset 3 must be escaped as "&amp;"'),
    ],
)
def test_parse_html_errors(markup, error):
    with pytest.raises(HtmlParseError) as caught:
        parse_html(markup)
    assert str(caught.value) == error


def test_lenient_mode_keeps_bare_ampersand_like_telegram():
    assert parse_html("AT&T &laquo;", strict=False) == ("AT&T &laquo;", [])
    with pytest.raises(HtmlParseError):
        parse_html("AT&T")


# ---------------------------------------------------------------- text length


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (PERSIAN_LETTER * 4096, True),
        (PERSIAN_LETTER * 4097, False),
        (EMOJI * 2048, True),
        (EMOJI * 2049, False),  # 2049 characters, 4098 UTF-16 units
        ("<b>" + PERSIAN_LETTER * 4096 + "</b>", True),  # counted after entity parsing
        ("&amp;" * 4096, True),
        ("&amp;" * 4097, False),
        ("\n" + "x" * 4096 + "\n", True),  # surrounding whitespace is trimmed first
    ],
)
async def test_length_counted_in_utf16_after_parsing(tg_bot, started, text, ok):
    if ok:
        message = await tg_bot.send_message(EDITOR_ID, text, parse_mode="HTML")
        assert utf16_len(message.text) <= 4096
    else:
        with pytest.raises(BadRequest, match="Message is too long"):
            await tg_bot.send_message(EDITOR_ID, text, parse_mode="HTML")


@pytest.mark.parametrize("text", [" \n ", "<b></b>", "<i> </i>"])
async def test_empty_text_rejected(tg_bot, started, text):
    with pytest.raises(BadRequest, match="Message text is empty"):
        await tg_bot.send_message(EDITOR_ID, text, parse_mode="HTML")


# ---------------------------------------------------------------- keyboards and callbacks


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ("x" * 64, True),
        ("x" * 65, False),
        (PERSIAN_LETTER * 32, True),  # 64 bytes
        (PERSIAN_LETTER * 33, False),  # 33 characters, 66 bytes
        (EMOJI * 16, True),
        ("x" + EMOJI * 16, False),
    ],
)
async def test_callback_data_limit_in_bytes(tg_bot, started, data, ok):
    if ok:
        message = await tg_bot.send_message(EDITOR_ID, "پیش‌نمایش", reply_markup=keyboard(data))
        assert message.reply_markup.inline_keyboard[0][0].callback_data == data
    else:
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await tg_bot.send_message(EDITOR_ID, "پیش‌نمایش", reply_markup=keyboard(data))


async def test_url_button_must_be_a_url(tg_bot, started):
    good = InlineKeyboardMarkup([[InlineKeyboardButton("کانال", url="https://t.me/news_test/5")]])
    await tg_bot.send_message(EDITOR_ID, "x", reply_markup=good)
    bad = InlineKeyboardMarkup([[InlineKeyboardButton("کانال", url="not a url")]])
    with pytest.raises(BadRequest, match="is invalid"):
        await tg_bot.send_message(EDITOR_ID, "x", reply_markup=bad)


async def test_pressing_a_button_delivers_its_data(tg_bot, started):
    await tg_bot.send_message(EDITOR_ID, "پیش‌نمایش", reply_markup=keyboard("publish:7", "discard:7"))
    sent = started.last_bot_message(EDITOR_ID)
    await drain(tg_bot)
    query = started.user_presses_button(EDITOR_ID, sent, "b1")
    (update,) = await tg_bot.get_updates()
    callback = update.callback_query
    assert callback.data == "discard:7"
    assert callback.message.message_id == sent.message_id
    assert callback.from_user.id == EDITOR_ID
    assert await callback.answer("انجام شد")
    assert query.answer["text"] == "انجام شد"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await callback.answer("again")


async def test_forged_callback_data_arrives_verbatim(tg_bot, started):
    await tg_bot.send_message(SUBSCRIBER_ID, "نتایج")
    started.user_sends_callback(SUBSCRIBER_ID, "publish:1; DROP TABLE")
    updates = await tg_bot.get_updates()
    assert updates[-1].callback_query.data == "publish:1; DROP TABLE"
    assert updates[-1].callback_query.from_user.id == SUBSCRIBER_ID


# ---------------------------------------------------------------- editing and deleting


async def test_edit_records_history_and_rejects_identical_content(tg_bot, started):
    sent = await tg_bot.send_message(
        EDITOR_ID, "<b>نسخه یک</b>", parse_mode="HTML", reply_markup=keyboard("a")
    )
    with pytest.raises(BadRequest, match="Message is not modified"):
        await tg_bot.edit_message_text(
            "<b>نسخه یک</b>", EDITOR_ID, sent.message_id, parse_mode="HTML", reply_markup=keyboard("a")
        )
    edited = await tg_bot.edit_message_text("<i>نسخه دو</i>", EDITOR_ID, sent.message_id, parse_mode="HTML")
    assert edited.text == "نسخه دو" and edited.edit_date is not None
    stored = started.message(EDITOR_ID, sent.message_id)
    assert stored.history[0]["text"] == "نسخه یک"
    assert stored.reply_markup is None  # editing text without reply_markup drops the keyboard
    with pytest.raises(BadRequest, match="Message is not modified"):
        await tg_bot.edit_message_reply_markup(EDITOR_ID, sent.message_id)
    await tg_bot.edit_message_reply_markup(EDITOR_ID, sent.message_id, reply_markup=keyboard("b"))
    assert started.message(EDITOR_ID, sent.message_id).buttons[0]["callback_data"] == "b"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await tg_bot.edit_message_text("x", EDITOR_ID, 99_999)


async def test_channel_delete_follows_the_48_hour_rule(tg_bot, botapi):
    old = await tg_bot.send_message("@news_test", "قدیمی")
    botapi.clock.advance(48 * 3600 + 1)
    fresh = await tg_bot.send_message(botapi.channel.id, "تازه")
    assert fresh.message_id == old.message_id + 1
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await tg_bot.delete_message("@news_test", old.message_id)
    assert await tg_bot.delete_message("@news_test", fresh.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await tg_bot.delete_message("@news_test", fresh.message_id)
    botapi.set_channel_access("administrator", can_delete_messages=True)
    assert await tg_bot.delete_message("@news_test", old.message_id)
    assert botapi.channel_posts() == []
    assert [m.deleted for m in botapi.channel_posts(include_deleted=True)] == [True, True]


async def test_delete_messages_skips_missing_ones(tg_bot, botapi):
    posts = [await tg_bot.send_message("@news_test", f"بخش {i}") for i in range(3)]
    assert await tg_bot.delete_messages("@news_test", [p.message_id for p in posts] + [12345])
    assert botapi.channel_posts() == []


# ---------------------------------------------------------------- who may receive what


async def test_channel_access_errors(tg_bot, botapi):
    assert (await tg_bot.get_chat_member("@news_test", botapi.bot_user.id)).status == "administrator"
    botapi.set_channel_access("member")
    with pytest.raises(BadRequest, match="Need administrator rights in the channel chat"):
        await tg_bot.send_message("@news_test", "خبر")
    botapi.set_channel_access("left")
    with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
        await tg_bot.send_message("@news_test", "خبر")
    assert (await tg_bot.get_chat_member("@news_test", botapi.bot_user.id)).status == "left"
    assert botapi.channel_posts() == []


async def test_users_who_never_wrote_or_blocked_the_bot(tg_bot, botapi):
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await tg_bot.send_message(SUBSCRIBER_ID, "سلام")
    botapi.user_sends_text(SUBSCRIBER_ID, "/start")
    await tg_bot.send_message(SUBSCRIBER_ID, "سلام")
    botapi.block_bot(SUBSCRIBER_ID)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await tg_bot.send_message(SUBSCRIBER_ID, "سلام")
    with pytest.raises(BadRequest, match="Chat not found"):
        await tg_bot.send_message(424242, "سلام")


async def test_get_chat_describes_the_channel(tg_bot, botapi):
    chat = await tg_bot.get_chat("@news_test")
    assert chat.id == botapi.channel.id and chat.type == "channel" and chat.username == "news_test"


# ---------------------------------------------------------------- fault injection


async def test_429_surfaces_as_retry_after(tg_bot, botapi):
    botapi.inject_fault("retry_after", retry_after=7, method="sendMessage", chat_id="@news_test")
    with pytest.raises(RetryAfter, match="Retry in 7 seconds"):
        await tg_bot.send_message("@news_test", "خبر")
    assert botapi.calls("sendMessage")[-1].response["parameters"] == {"retry_after": 7}
    assert botapi.channel_posts() == []  # a refused call did nothing
    await tg_bot.send_message("@news_test", "خبر")  # the fault was used up
    assert len(botapi.channel_posts()) == 1


async def test_fault_matches_only_its_chat_and_method(tg_bot, started):
    started.inject_fault("retry_after", chat_id="@news_test")
    await tg_bot.send_message(EDITOR_ID, "به سردبیر")
    await tg_bot.get_updates()  # getUpdates is never hit by a fault without method
    with pytest.raises(RetryAfter):
        await tg_bot.send_message("@news_test", "به کانال")


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_surface_as_network_errors(tg_bot, botapi, status):
    botapi.inject_fault("server_error", status=status, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await tg_bot.send_message("@news_test", "خبر")
    await tg_bot.send_message("@news_test", "خبر")


async def test_hang_surfaces_as_timed_out(tg_bot, botapi):
    botapi.inject_fault("timeout", method="sendMessage", hang_seconds=5)
    with pytest.raises(TimedOut):
        await tg_bot.send_message("@news_test", "خبر", read_timeout=0.5)
    assert botapi.channel_posts() == []


async def test_hang_after_apply_posts_but_loses_the_answer(tg_bot, botapi):
    botapi.inject_fault("timeout", method="sendMessage", hang_seconds=5, apply=True)
    with pytest.raises(TimedOut):
        await tg_bot.send_message("@news_test", "خبر", read_timeout=0.5)
    assert [p.text for p in botapi.channel_posts()] == ["خبر"]


async def test_delay_acts_after_the_wait_or_with_apply_at_once(tg_bot, botapi):
    late = botapi.inject_fault("delay", method="sendMessage", hang_seconds=30)
    slow = asyncio.create_task(tg_bot.send_message("@news_test", "دیر"))
    await botapi.wait_for(lambda: late.used)
    assert botapi.channel_posts() == []  # nothing happens before the wait is over
    slow.cancel()
    await asyncio.gather(slow, return_exceptions=True)
    botapi.inject_fault("delay", method="sendMessage", hang_seconds=30, apply=True)
    slow = asyncio.create_task(tg_bot.send_message("@news_test", "زود"))
    await botapi.wait_for(lambda: botapi.channel_posts())  # in the channel at once ...
    assert not slow.done()  # ... while its answer is still on the way
    slow.cancel()
    await asyncio.gather(slow, return_exceptions=True)


async def test_dropped_connection_is_a_network_error(tg_bot, botapi):
    botapi.inject_fault("disconnect")
    with pytest.raises(NetworkError):
        await tg_bot.send_message("@news_test", "خبر")


async def test_forbidden_and_custom_bad_request(tg_bot, botapi):
    botapi.inject_fault("forbidden")
    with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
        await tg_bot.send_message("@news_test", "خبر")
    botapi.inject_fault("bad_request", description="Bad Request: CHAT_WRITE_FORBIDDEN")
    with pytest.raises(BadRequest, match="Chat_write_forbidden"):
        await tg_bot.send_message("@news_test", "خبر")


async def test_channel_rate_limit_answers_429(tg_bot, botapi):
    botapi.set_rate_limits(channel_per_minute=3)
    for i in range(3):
        await tg_bot.send_message("@news_test", f"خبر {i}")
    with pytest.raises(RetryAfter):
        await tg_bot.send_message("@news_test", "خبر ۴")
    assert 1 <= botapi.calls("sendMessage")[-1].response["parameters"]["retry_after"] <= 60
    botapi.set_rate_limits(None)
    await tg_bot.send_message("@news_test", "خبر ۴")


# ---------------------------------------------------------------- inline mode


@pytest.mark.parametrize(
    ("results", "next_offset", "error"),
    [
        (articles(50), "50", None),
        (articles(51), None, "Results_too_much"),
        (articles(2, prefix="same") + articles(1, prefix="same"), None, "Result_id_duplicate"),
        ([InlineQueryResultArticle("x" * 65, "t", InputTextMessageContent("m"))], None, "Result_id_invalid"),
        (articles(1), "x" * 64, None),
        (articles(1), PERSIAN_LETTER * 33, "Next_offset_invalid"),
        (
            [InlineQueryResultArticle("a", "t", InputTextMessageContent("<p>x</p>", parse_mode="HTML"))],
            None,
            "Can't parse entities",
        ),
    ],
)
async def test_inline_answer_limits(tg_bot, botapi, results, next_offset, error):
    query = botapi.user_inline_query(SUBSCRIBER_ID, "تهران")
    (update,) = await tg_bot.get_updates()
    assert update.inline_query.query == "تهران"
    if error is None:
        assert await update.inline_query.answer(results, next_offset=next_offset, cache_time=30)
        assert len(query.results) == len(results) and query.answer["next_offset"] == next_offset
    else:
        with pytest.raises(BadRequest, match=error):
            await update.inline_query.answer(results, next_offset=next_offset)
        assert query.answer is None


async def test_inline_query_offset_and_single_answer(tg_bot, botapi):
    query = botapi.user_inline_query(ENGLISH_SUBSCRIBER_ID, "news", offset="50")
    (update,) = await tg_bot.get_updates()
    assert update.inline_query.offset == "50"
    assert update.inline_query.from_user.language_code == "en"
    await update.inline_query.answer(articles(1))
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await update.inline_query.answer(articles(1))
    assert query.results[0]["id"] == "r0"


# ---------------------------------------------------------------- drafts as documents and forwards


async def test_txt_document_is_downloadable(tg_bot, botapi):
    draft = "?خبر فوری\n?بند اول"
    botapi.user_sends_document(EDITOR_ID, draft, file_name="draft.txt")
    (update,) = await tg_bot.get_updates()
    document = update.message.document
    assert document.file_name == "draft.txt" and document.mime_type == "text/plain"
    telegram_file = await tg_bot.get_file(document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()).decode("utf-8") == draft
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await tg_bot.get_file("nonsense")


async def test_photo_arrives_with_its_size_and_caption_and_is_downloadable(tg_bot, botapi):
    jpeg = b"\xff\xd8\xff\xe0 not really a jpeg"
    botapi.user_sends_photo(EDITOR_ID, jpeg, width=800, height=600, caption="عکس خبر #اقتصاد")
    (update,) = await tg_bot.get_updates()
    (size,) = update.message.photo
    assert (size.width, size.height, size.file_size) == (800, 600, len(jpeg))
    assert update.message.caption == "عکس خبر #اقتصاد"
    assert [e.type for e in update.message.caption_entities] == ["hashtag"]
    telegram_file = await tg_bot.get_file(size.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == jpeg


async def test_forwarded_channel_post_keeps_origin_and_entities(tg_bot, botapi):
    source = botapi.channel
    entities = [{"type": "bold", "offset": 0, "length": 3}]
    botapi.user_forwards(EDITOR_ID, "خبر مهم", entities=entities, from_channel=source)
    (update,) = await tg_bot.get_updates()
    origin = update.message.forward_origin
    assert isinstance(origin, MessageOriginChannel) and origin.chat.id == source.id
    assert update.message.text_html == "<b>خبر</b> مهم"


async def test_every_kind_of_forward_origin(tg_bot, botapi):
    other = Chat(-1005550001, "channel", title="کانال دیگر", username="other_news")
    group = Chat(-1005550002, "supergroup", title="گروه خبری")
    person = botapi.user(SUBSCRIBER_ID)
    botapi.user_forwards(EDITOR_ID, "از کانال", from_channel=other, message_id=42)
    botapi.user_forwards(EDITOR_ID, "از گروه", from_channel=group)
    botapi.user_forwards(EDITOR_ID, "از کسی", sender=person)
    botapi.user_forwards(EDITOR_ID, "از پنهان", sender_name="ناشناس")
    botapi.user_sends_media(EDITOR_ID, "video", b"v", forward_from=other, forward_message_id=7)
    botapi.user_sends_media(EDITOR_ID, "photo", b"p", forward_from=group)
    botapi.user_sends_media(EDITOR_ID, "document", b"d", forward_from=person)
    botapi.user_sends_media(EDITOR_ID, "audio", b"a", forward_from="ناشناس")
    origins = [update.message.forward_origin for update in await tg_bot.get_updates()]
    channel, chat, user, hidden = origins[:4]
    assert isinstance(channel, MessageOriginChannel) and channel.chat.username == "other_news"
    assert channel.message_id == 42
    assert isinstance(chat, MessageOriginChat) and chat.sender_chat.title == "گروه خبری"
    assert isinstance(user, MessageOriginUser) and user.sender_user.id == SUBSCRIBER_ID
    assert isinstance(hidden, MessageOriginHiddenUser) and hidden.sender_user_name == "ناشناس"
    assert [type(origin) for origin in origins[4:]] == [type(origin) for origin in origins[:4]]
    assert origins[4].message_id == 7


async def test_bot_can_send_a_document(tg_bot, started):
    message = await tg_bot.send_document(
        EDITOR_ID, b"archive", filename="export.txt", caption="<b>خروجی</b>", parse_mode="HTML"
    )
    assert message.document.file_name == "export.txt" and message.caption == "خروجی"
    assert started.last_bot_message(EDITOR_ID).document.content == b"archive"


# ---------------------------------------------------------------- commands and raw protocol


async def test_commands_are_stored_per_scope_and_language(tg_bot, botapi):
    await tg_bot.set_my_commands([BotCommand("search", "جستجو"), BotCommand("latest", "تازه‌ها")])
    await tg_bot.set_my_commands([BotCommand("search", "Search")], language_code="en")
    assert [c.command for c in await tg_bot.get_my_commands()] == ["search", "latest"]
    assert botapi.commands(language_code="en") == [{"command": "search", "description": "Search"}]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await tg_bot.set_my_commands([BotCommand("Search-Now", "x")])
    await tg_bot.delete_my_commands()
    assert await tg_bot.get_my_commands() == ()


def test_raw_http_shapes_json_and_form(botapi):
    botapi.user_sends_text(EDITOR_ID, "/start")
    url = f"{botapi.base_url}{botapi.token}"
    with httpx.Client() as client:
        as_json = client.post(f"{url}/sendMessage", json={"chat_id": EDITOR_ID, "text": "سلام"}).json()
        as_form = client.post(f"{url}/sendMessage", data={"chat_id": str(EDITOR_ID), "text": "<b>x"}).json()
        too_long = client.post(f"{url}/sendMessage", data={"chat_id": EDITOR_ID, "text": "x" * 4097})
        unknown = client.post(f"{url}/sendTelepathy", json={})
        bad_token = client.post(f"{botapi.base_url}1:wrong/getMe")
    assert as_json["ok"] is True and as_json["result"]["text"] == "سلام"
    assert as_json["result"]["from"]["id"] == botapi.bot_user.id
    assert as_form == {"ok": True, "result": as_form["result"]} and as_form["result"]["text"] == "<b>x"
    assert too_long.status_code == 400
    assert too_long.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message is too long",
    }
    assert unknown.status_code == 404 and unknown.json()["description"] == "Not Found"
    assert bad_token.status_code == 401
    assert [c.method for c in botapi.calls()][-3:] == ["sendMessage", "sendTelepathy", "getMe"]


async def test_wrong_token_is_invalid_token(botapi):
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong-token-wrong-token", base_url=botapi.base_url):
            pass


# ---------------------------------------------------------------- both ways of running it


async def test_in_process_server_and_wait_for(botapi_inprocess):
    server = botapi_inprocess
    async with Bot(server.token, base_url=server.base_url) as bot:
        server.user_sends_text(EDITOR_ID, "سلام")

        async def echo() -> None:
            (update,) = await bot.get_updates(timeout=2)
            await bot.send_message(update.message.chat_id, update.message.text)

        task = asyncio.create_task(echo())
        reply = await server.wait_for(lambda: server.last_bot_message(EDITOR_ID))
        await task
    assert reply.text == "سلام"
    with pytest.raises(AssertionError, match="never"):
        await server.wait_for(lambda: False, timeout=0.1, message="never")


def test_thread_mode_survives_its_client_and_sync_wait(botapi):
    botapi.user_sends_text(EDITOR_ID, "/start")

    async def client_process() -> None:
        async with Bot(botapi.token, base_url=botapi.base_url) as bot:
            await bot.send_message(EDITOR_ID, "از فرایند دیگر")

    asyncio.run(client_process())  # a client with its own loop, gone afterwards
    assert botapi.wait_for_sync(lambda: botapi.last_bot_message(EDITOR_ID)).text == "از فرایند دیگر"
    with pytest.raises(AssertionError):
        botapi.wait_for_sync(lambda: None, timeout=0.1)


# ---------------------------------------------------------------- a real PTB Application and webhooks


async def test_ptb_application_polls_and_answers(botapi):
    async def greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_html(f"<b>سلام</b> {html.escape(update.message.text)}")

    application = (
        Application.builder()
        .token(botapi.token)
        .base_url(botapi.base_url)
        .base_file_url(botapi.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", greet))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        asked = botapi.user_sends_text(EDITOR_ID, "/start a<b")
        answer = await botapi.wait_for_bot_message(EDITOR_ID, after=asked)
        await application.updater.stop()
        await application.stop()
    assert answer.text == "سلام /start a<b" and answer.entities[0]["type"] == "bold"
    assert botapi.is_confirmed(asked.update_id)
    assert "deleteWebhook" in [c.method for c in botapi.calls()]


async def test_webhook_receives_updates_with_secret_and_retries(tg_bot, botapi):
    received: list[tuple[str | None, dict]] = []
    failures = [500]  # the first delivery fails and is retried

    async def hook(request: web.Request) -> web.Response:
        if failures:
            return web.Response(status=failures.pop())
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
            await tg_bot.set_webhook("http://example.com/hook")
        await tg_bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret_token")
        with pytest.raises(Conflict, match="webhook is active"):
            await tg_bot.get_updates()
        sent = botapi.user_sends_text(SUBSCRIBER_ID, "از وب‌هوک")
        await botapi.wait_for(lambda: received, timeout=5)
        assert len(received) == 1 and received[0][0] == "s3cret_token"
        assert received[0][1]["update_id"] == sent.update_id
        assert received[0][1]["message"]["text"] == "از وب‌هوک"
        info = await tg_bot.get_webhook_info()
        assert info.pending_update_count == 0 and "500" in info.last_error_message
        await tg_bot.delete_webhook()
        assert (await tg_bot.get_webhook_info()).url == ""
    finally:
        await runner.cleanup()


async def test_webhook_posts_over_max_connections_at_once_and_one_update_per_chat_at_a_time(tg_bot, botapi):
    readers = [SUBSCRIBER_ID, ENGLISH_SUBSCRIBER_ID, EDITOR_ID, 4004]
    botapi.add_user(4004, "خواننده دیگر")
    in_flight: list[int] = []
    most, twice, received = 0, [], []
    release = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        nonlocal most
        message = (await request.json())["message"]
        chat = message["chat"]["id"]
        if chat in in_flight:
            twice.append(message["text"])
        in_flight.append(chat)
        most = max(most, len(in_flight))
        received.append(message["text"])
        await release.wait()
        in_flight.remove(chat)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        botapi.user_sends_text(readers[0], "اول")
        botapi.user_sends_text(readers[0], "دوم")  # the same chat: only once the first was taken
        for reader in readers[1:]:
            botapi.user_sends_text(reader, f"از {reader}")
        await tg_bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/hook", max_connections=3)
        assert (await tg_bot.get_webhook_info()).max_connections == 3
        await botapi.wait_for(lambda: len(in_flight) == 3, timeout=10)
        await asyncio.sleep(0.5)  # room for a fourth POST or a second one of a chat, were either sent
        assert sorted(received) == sorted(["اول", f"از {readers[1]}", f"از {readers[2]}"])
        release.set()
        await botapi.wait_for(lambda: len(received) == 5 and not botapi.pending_updates(), timeout=10)
        assert most == 3 and not twice and received.index("اول") < received.index("دوم")
        await tg_bot.delete_webhook()
    finally:
        release.set()
        await runner.cleanup()


ECHO_BOT = """
import os
from telegram.ext import Application, MessageHandler, filters

async def echo(update, context):
    await update.message.reply_text("pong " + update.message.text)

app = Application.builder().token(os.environ["BOT_TOKEN"]).base_url(os.environ["TELEGRAM_API_URL"]).build()
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling(poll_interval=0, timeout=30)
"""


def test_server_outlives_a_sigkilled_bot_process(botapi, botapi_env):
    def run_bot() -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", ECHO_BOT], env=botapi_env, stderr=subprocess.DEVNULL)

    first = run_bot()
    try:
        ping = botapi.user_sends_text(EDITOR_ID, "یک")
        first_answer = botapi.wait_for_bot_message_sync(EDITOR_ID, after=ping, timeout=30)
        botapi.wait_for_sync(lambda: botapi.is_confirmed(ping.update_id), timeout=15)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    second = run_bot()
    try:
        ping = botapi.user_sends_text(EDITOR_ID, "دو")
        second_answer = botapi.wait_for_bot_message_sync(EDITOR_ID, after=ping, timeout=30)
    finally:
        second.terminate()
        second.wait(timeout=15)
    assert (first_answer.text, second_answer.text) == ("pong یک", "pong دو")
    assert second_answer.message_id > first_answer.message_id
    # the killed bot's long poll was still open; the new poller ended it like Telegram does
    assert 409 in [call.status for call in botapi.calls("getUpdates")]


def test_malformed_requests_get_telegram_style_errors(botapi):
    botapi.user_sends_text(EDITOR_ID, "/start")
    url = f"{botapi.base_url}{botapi.token}"
    with httpx.Client() as client:
        json_type = {"Content-Type": "application/json"}
        broken_json = client.post(f"{url}/sendMessage", content=b"{", headers=json_type)
        surrogate_body = b'{"chat_id": %d, "text": "\\ud83d"}' % EDITOR_ID
        lone_surrogate = client.post(f"{url}/sendMessage", content=surrogate_body, headers=json_type)
        no_chat = client.post(f"{url}/sendMessage", json={"text": "x"})
    assert broken_json.json()["description"] == "Bad Request: can't parse JSON encoded request body"
    assert lone_surrogate.json()["description"] == "Bad Request: strings must be encoded in UTF-8"
    assert no_chat.json()["description"] == "Bad Request: chat_id is empty"


def test_a_bug_in_the_server_is_reported_not_hidden(botapi):
    def broken(params):
        raise KeyError("oops")

    botapi._methods["getme"] = broken
    response = httpx.post(f"{botapi.base_url}{botapi.token}/getMe")
    assert response.status_code == 500 and "KeyError" in response.json()["description"]
    assert botapi.internal_errors == ["getMe: KeyError('oops')"]
    botapi.internal_errors.clear()  # the fixture would otherwise fail this test at teardown


async def test_manual_channel_post_reaches_an_admin_bot_only(tg_bot, botapi):
    post = botapi.admin_posts_to_channel("خبر دستی #ورزش")
    (update,) = await tg_bot.get_updates()
    assert update.channel_post.message_id == post.message_id
    assert update.channel_post.sender_chat.id == botapi.channel.id
    assert [e.type for e in update.channel_post.entities] == ["hashtag"]
    assert botapi.channel_posts() == []  # channel_posts() lists the bot's own posts
    botapi.set_channel_access("left")
    assert botapi.admin_posts_to_channel("بی‌خبر").update_id is None


@pytest.mark.parametrize(
    ("link", "text"),
    [
        ("https://t.me/newsdesk_test_bot?start=search_2LPZhNin2YU", "/start search_2LPZhNin2YU"),
        ("t.me/newsdesk_test_bot?start=" + "a" * 64, "/start " + "a" * 64),
        ("https://t.me/newsdesk_test_bot?start=" + "a" * 65, "/start"),  # too long: dropped
        ("https://t.me/newsdesk_test_bot?start=تهران", "/start"),  # not [A-Za-z0-9_-]: dropped
        ("https://t.me/newsdesk_test_bot", "/start"),
    ],
)
async def test_deep_links_follow_telegram_payload_rules(tg_bot, botapi, link, text):
    botapi.user_opens_link(SUBSCRIBER_ID, link)
    (update,) = await tg_bot.get_updates()
    assert update.message.text == text
    with pytest.raises(ValueError):
        botapi.user_opens_link(SUBSCRIBER_ID, "https://t.me/other_bot?start=x")


async def test_post_links_resolve_to_live_channel_messages(tg_bot, botapi):
    post = await tg_bot.send_message("@news_test", "خبر")
    internal = str(botapi.channel.id).removeprefix("-100")
    assert botapi.message_at_link(f"https://t.me/news_test/{post.message_id}").text == "خبر"
    assert botapi.message_at_link(f"https://t.me/c/{internal}/{post.message_id}").text == "خبر"
    assert botapi.message_at_link(f"https://t.me/news_test/{post.message_id + 1}") is None
    assert botapi.message_at_link(f"https://t.me/other_channel/{post.message_id}") is None
    await tg_bot.delete_message("@news_test", post.message_id)
    assert botapi.message_at_link(f"https://t.me/news_test/{post.message_id}") is None


async def test_empty_keyboard_removes_the_keyboard(tg_bot, started):
    sent = await tg_bot.send_message(EDITOR_ID, "صف", reply_markup=keyboard("a"))
    empty = InlineKeyboardMarkup([])
    edited = await tg_bot.edit_message_reply_markup(EDITOR_ID, sent.message_id, reply_markup=empty)
    assert edited.reply_markup is None and started.message(EDITOR_ID, sent.message_id).buttons == []
    with pytest.raises(BadRequest, match="Message is not modified"):
        await tg_bot.edit_message_reply_markup(EDITOR_ID, sent.message_id, reply_markup=empty)


async def test_queries_expire_when_a_timeout_is_set(tg_bot, botapi):
    botapi.query_timeout = 10
    late = botapi.user_inline_query(SUBSCRIBER_ID, "دیر")
    botapi.clock.advance(11)
    prompt = botapi.user_inline_query(SUBSCRIBER_ID, "زود")
    late_update, prompt_update = await tg_bot.get_updates()
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await late_update.inline_query.answer(articles(1))
    assert await prompt_update.inline_query.answer(articles(1))
    assert late.answer is None and prompt.results
