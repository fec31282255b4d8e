"""End to end: the subscriber side through python-telegram-bot, real HTTP to the Bot API test server,
a real SQLite archive. /start and /help in both languages, the command menu, /search with page
buttons, plain-text search, deep links and hashtag links, no-hit and partial replies, inline mode
with paging, /latest, the rate limit, and callback data within 64 bytes for a long Persian query.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram.constants import InlineKeyboardButtonLimit

from bot import messages as msg
from bot.archive.ratelimit import SEARCHES_PER_WINDOW
from bot.archive.view import (
    INLINE_PAGE_SIZE,
    render_help,
    render_welcome,
    search_start_payload,
    words_from_start_payload,
)
from bot.botapi.html_check import parse_html
from bot.botapi.server import BotApiServer
from bot.botapi.world import StoredMessage
from bot.text.limits import utf8_len
from storage.database import ImportRecord
from tests.botapi.fixtures import EDITOR_ID, ENGLISH_SUBSCRIBER_ID, SUBSCRIBER_ID
from tests.desk_harness import Desk, running_desk

BASE = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)
PROJECTS = 12  # articles about «پروژه»: two full pages of 5 and a third of 2
ELECTIONS = 130  # articles about «انتخابات»: several inline pages, the last one not full


def archive() -> list[ImportRecord]:
    """A small archive: topics with known counts, one hashtag post, newest last."""
    records = []
    for i in range(PROJECTS):
        body = f"متن پروژه‌های عمرانی شهر بخش {i}."
        url = f"https://t.me/news_test/{100 + i}"
        title = f"پروژه شماره {i} شهرداری"
        records.append(ImportRecord(f"p{i}", title, body, BASE + timedelta(hours=i), url))
    for i in range(ELECTIONS):
        records.append(ImportRecord(f"e{i}", f"خبر انتخابات {i}", f"گزارش انتخابات مجلس در حوزه {i}.",
                                    BASE + timedelta(days=1, minutes=i), None))  # fmt: skip
    # The words of the hashtag below without the tag: a tap on the tag does not bring it.
    records.append(ImportRecord("untagged", "بازار نفت ایران", "نفت ایران در بازار جهانی.",
                                BASE + timedelta(hours=20), None))  # fmt: skip
    records.append(ImportRecord("tag", "نشست خبری وزیر نفت", "وزیر نفت از صادرات گفت. #نفت_ایران #اقتصاد",
                                BASE + timedelta(days=2), "https://t.me/news_test/999"))  # fmt: skip
    return records


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3", search_in="process") as running:
        await running.db.import_articles(archive())
        yield running


async def say(desk: Desk, user_id: int, text: str) -> StoredMessage:
    """The user writes to the bot; returns the bot's answer."""
    sent = desk.server.user_sends_text(user_id, text)
    return await desk.server.wait_for_bot_message(user_id, after=sent, timeout=10)


async def press(desk: Desk, user_id: int, message: StoredMessage, data: str) -> StoredMessage:
    """The user taps a button; returns the message once the bot has edited it and answered."""
    record = desk.server.user_presses_button(user_id, message, data)
    await desk.server.wait_for(lambda: record.answer is not None, timeout=10)
    return desk.server.message(user_id, message.message_id)


async def inline(desk: Desk, user_id: int, query: str, offset: str = "") -> dict:
    """The user types `@bot query`; returns the bot's answerInlineQuery parameters."""
    record = desk.server.user_inline_query(user_id, query, offset=offset)
    return await desk.server.wait_for(lambda: record.answer, timeout=10)


def entity_text(text: str, entity: dict) -> str:
    """The text an entity covers (offsets count UTF-16 code units)."""
    units = text.encode("utf-16-le")
    return units[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])].decode("utf-16-le")


def shown_links(message: StoredMessage) -> list[str]:
    return [e["url"] for e in message.entities if e["type"] == "text_link"]


def button_data(message: StoredMessage) -> list[str]:
    return [b["callback_data"] for b in message.buttons if "callback_data" in b]


async def test_start_and_help_in_persian_and_english(desk: Desk) -> None:
    bot_name = desk.application.bot.username
    fa_start = await say(desk, SUBSCRIBER_ID, "/start")
    assert fa_start.html == render_welcome("خواننده", "fa", bot_name, inline=True)
    assert f"@{bot_name} واژه‌ها" in fa_start.text  # Telegram has inline mode
    en_start = await say(desk, ENGLISH_SUBSCRIBER_ID, "/start")
    assert en_start.html == render_welcome("Reader", "en", bot_name, inline=True)
    fa_help = await say(desk, SUBSCRIBER_ID, "/help")
    assert fa_help.html == render_help("fa", bot_name, SEARCHES_PER_WINDOW, inline=True, links=True)
    assert "۲۰ جستجو" in fa_help.text and "روی هشتگ" in fa_help.text and f"@{bot_name}" in fa_help.text
    en_help = await say(desk, ENGLISH_SUBSCRIBER_ID, "/help")
    assert en_help.html == render_help("en", bot_name, SEARCHES_PER_WINDOW, inline=True, links=True)


async def test_command_menu_in_both_languages(desk: Desk) -> None:
    fa = await desk.server.wait_for(lambda: desk.server.commands())
    en = await desk.server.wait_for(lambda: desk.server.commands(language_code="en"))
    assert [c["command"] for c in fa] == ["search", "latest", "help"]
    assert fa[0]["description"] == msg.text("cmd_search", "fa")
    assert en[0]["description"] == msg.text("cmd_search", "en")


async def test_search_pages_through_all_results(desk: Desk) -> None:
    message = await say(desk, SUBSCRIBER_ID, "/search پروژه")  # edited in place by the page buttons
    parse_html(message.html)
    assert "— ۱ تا ۵ از ۱۲ نتیجه" in message.text  # which results, of how many
    seen = shown_links(message)
    assert len(seen) == 5
    [next_page, newest] = button_data(message)  # and the button that sorts the newest first
    assert newest.endswith(":1:n")
    await press(desk, SUBSCRIBER_ID, message, next_page)
    page_two = message.text
    assert "— ۶ تا ۱۰ از ۱۲ نتیجه" in page_two and "۶. " in page_two
    assert len(button_data(message)) == 3  # previous and next, newest first
    seen += shown_links(message)
    await press(desk, SUBSCRIBER_ID, message, button_data(message)[1])
    assert "۱۱. " in message.text and "۱۲. " in message.text and "۱۳. " not in message.text
    assert "— ۱۱ تا ۱۲ از ۱۲ نتیجه" in message.text
    assert len(button_data(message)) == 2  # previous only, newest first
    seen += shown_links(message)
    assert sorted(seen) == sorted(f"https://t.me/news_test/{100 + i}" for i in range(PROJECTS))
    await press(desk, SUBSCRIBER_ID, message, button_data(message)[0])
    assert message.text == page_two


async def test_newest_first_button_sorts_by_date_and_back(desk: Desk) -> None:
    message = await say(desk, SUBSCRIBER_ID, "شهرداری")
    *_, newest = button_data(message)
    await press(desk, SUBSCRIBER_ID, message, newest)
    assert msg.text("search_newest_note", "fa") in message.text
    links = shown_links(message)
    assert links == [f"https://t.me/news_test/{100 + i}" for i in range(PROJECTS - 1, PROJECTS - 6, -1)]
    next_page, relevant = button_data(message)
    assert next_page.endswith(":2:n") and relevant.endswith(":1")
    await press(desk, SUBSCRIBER_ID, message, next_page)
    assert shown_links(message)[0] == f"https://t.me/news_test/{100 + PROJECTS - 6}"
    await press(desk, SUBSCRIBER_ID, message, button_data(message)[-1])
    assert msg.text("search_newest_note", "fa") not in message.text and "— ۱ تا ۵ از " in message.text


async def test_query_language_through_the_bot(desk: Desk) -> None:
    left_out = await say(desk, SUBSCRIBER_ID, "وزیر -صادرات")
    assert left_out.html == msg.text("search_none", "fa", query="وزیر -صادرات")
    tagged = await say(desk, SUBSCRIBER_ID, "#نفت_ایران")
    assert "نشست خبری وزیر نفت" in tagged.text
    command = await say(desk, SUBSCRIBER_ID, "/search #نفت_ایران وزیر")  # a command, its tag after it
    assert "نشست خبری وزیر نفت" in command.text and "/search" not in command.text
    phrase = await say(desk, SUBSCRIBER_ID, "«انتخابات مجلس در حوزه ۷»")
    assert "خبر انتخابات 7" in phrase.text and "خبر انتخابات 8" not in phrase.text
    dated = await say(desk, SUBSCRIBER_ID, "پروژه از:۱۴۰۵/۷/۹ تا:۱۴۰۵/۷/۹")  # 2026-10-01, Tehran time
    assert len(shown_links(dated)) == 5 and "خبر انتخابات" not in dated.text
    month = await say(desk, SUBSCRIBER_ID, "/search پروژه شهریور ۱۴۰۵")
    assert month.html == msg.text("search_none", "fa", query="پروژه شهریور ۱۴۰۵")
    quoted = await inline(desk, SUBSCRIBER_ID, "«وزیر نفت» #اقتصاد")
    assert [r["title"] for r in quoted["results"]] == ["نشست خبری وزیر نفت"]


async def test_results_show_title_jalali_date_and_bold_match(desk: Desk) -> None:
    answer = await say(desk, SUBSCRIBER_ID, "/search صادرات نفت")
    assert "نشست خبری وزیر نفت" in answer.text
    assert "۱۱ مهر ۱۴۰۵" in answer.text  # 2026-10-03 in the Jalali calendar, Persian digits
    bold = {entity_text(answer.text, e).strip() for e in answer.entities if e["type"] == "bold"}
    assert {"صادرات", "نفت"} <= bold
    assert "https://t.me/news_test/999" in shown_links(answer)


async def test_plain_text_searches_for_subscribers_not_for_editors(desk: Desk) -> None:
    answer = await say(desk, SUBSCRIBER_ID, "پروژه های شهرداری")
    assert answer.text.startswith("🔎") and len(shown_links(answer)) == 5
    editor_answer = await say(desk, EDITOR_ID, "پروژه های شهرداری")
    assert not editor_answer.text.startswith("🔎")  # the editor desk took it as a draft


async def test_no_hit_and_partial_match_replies(desk: Desk) -> None:
    none = await say(desk, SUBSCRIBER_ID, "/search زرافه")
    assert none.html == msg.text("search_none", "fa", query="زرافه")
    partial = await say(desk, SUBSCRIBER_ID, "/search وزیر زرافه")
    assert msg.text("search_partial", "fa", query="وزیر زرافه") in partial.html
    assert "نشست خبری وزیر نفت" in partial.text
    assert button_data(partial) == []  # the fallback is one page
    english = await say(desk, ENGLISH_SUBSCRIBER_ID, "/search giraffe")
    assert english.html == msg.text("search_none", "en", query="giraffe")
    usage = await say(desk, SUBSCRIBER_ID, "/search")
    assert usage.html == msg.text("search_usage", "fa")


async def test_deep_link_and_hashtag_tap_search(desk: Desk) -> None:
    answer = await say(desk, SUBSCRIBER_ID, "/start " + search_start_payload("انتخابات مجلس"))
    assert "خبر انتخابات" in answer.text
    tagged = await say(desk, SUBSCRIBER_ID, "/search وزیر نفت")
    tag_links = [u for u in shown_links(tagged) if "?start=" in u]
    assert len(tag_links) == 2
    assert words_from_start_payload(tag_links[0].split("?start=")[1]) == "#نفت_ایران"
    # a tap on the link sends /start <payload> to the bot: the posts carrying the tag, not its words
    tapped = await say(desk, SUBSCRIBER_ID, "/start " + tag_links[0].split("?start=")[1])
    assert "نشست خبری وزیر نفت" in tapped.text and "بازار نفت ایران" not in tapped.text
    assert "بازار نفت ایران" in (await say(desk, SUBSCRIBER_ID, "نفت ایران")).text


async def test_words_left_out_alone_are_explained_everywhere(desk: Desk) -> None:
    """`-نفت` alone is neither every post nor the posts holding نفت: /search, plain text, a deep link
    and inline mode all say that a word (or a date) to search for is missing."""
    command = await say(desk, SUBSCRIBER_ID, "/search -نفت")
    assert command.html == msg.text("search_only_excluded", "fa", query="-نفت")
    typed = await say(desk, ENGLISH_SUBSCRIBER_ID, "-نفت −پروژه")
    assert typed.html == msg.text("search_only_excluded", "en", query="-نفت −پروژه")
    linked = await say(desk, SUBSCRIBER_ID, "/start " + search_start_payload("-نفت"))
    assert linked.html == msg.text("search_only_excluded", "fa", query="-نفت")
    answer = await inline(desk, SUBSCRIBER_ID, "-نفت")
    [only] = answer["results"]  # one result that says what is missing
    assert only["title"] == msg.text("inline_only_excluded_title", "fa", query="-نفت")
    assert answer["button"]["text"] == msg.text("inline_only_excluded", "fa")
    left_out = await say(desk, SUBSCRIBER_ID, "وزیر -صادرات")  # beside a word, a word is left out
    assert left_out.html == msg.text("search_none", "fa", query="وزیر -صادرات")


async def test_callback_data_stays_short_for_a_long_persian_query(desk: Desk) -> None:
    long_query = "پروژه‌های " * 30  # 300 characters, 570 bytes of UTF-8
    answer = await say(desk, SUBSCRIBER_ID, long_query)
    assert msg.text("search_truncated", "fa") in answer.html
    data = button_data(answer)
    assert data and all(utf8_len(d) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA for d in data)
    second = await press(desk, SUBSCRIBER_ID, answer, data[0])
    assert "— ۶ تا ۱۰ از " in second.text


async def test_forged_or_forgotten_page_button(desk: Desk) -> None:
    shown = await say(desk, SUBSCRIBER_ID, "/help")
    record = desk.server.user_sends_callback(SUBSCRIBER_ID, "sp:AAAAAAAAAAA:2", shown)
    await desk.server.wait_for(lambda: record.answer is not None, timeout=10)
    assert record.answer["text"] == msg.text("search_expired", "fa")


async def test_inline_search_pages_with_next_offset(desk: Desk) -> None:
    pages, offset = [], ""
    while True:
        answer = await inline(desk, SUBSCRIBER_ID, "انتخابات", offset)
        pages.append(answer["results"])
        assert int(answer["cache_time"]) > 0
        if not answer["next_offset"]:
            break
        offset = answer["next_offset"]
        assert int(offset) == len(pages) * INLINE_PAGE_SIZE
    assert [len(p) for p in pages[:-1]] == [INLINE_PAGE_SIZE] * (len(pages) - 1)
    ids = [r["id"] for page in pages for r in page]
    assert len(ids) == len(set(ids)) == ELECTIONS  # every hit once: no page repeats or skips one
    plain, _ = parse_html(pages[0][0]["input_message_content"]["message_text"])
    assert "انتخابات" in plain


async def test_inline_empty_query_lists_latest_and_no_hit_offers_the_bot(desk: Desk) -> None:
    latest = await inline(desk, ENGLISH_SUBSCRIBER_ID, "")
    assert latest["results"][0]["title"] == "نشست خبری وزیر نفت"  # the newest post first
    assert latest["next_offset"] == str(INLINE_PAGE_SIZE)
    assert "Mehr 1405" in latest["results"][0]["description"]
    none = await inline(desk, SUBSCRIBER_ID, "زرافه")
    [nothing] = none["results"]  # one result: nothing found, and what to try
    assert nothing["title"] == msg.text("inline_none_title", "fa", query="زرافه")
    assert nothing["description"] == msg.text("inline_none_hint", "fa")
    sent, _ = parse_html(nothing["input_message_content"]["message_text"])
    assert sent.startswith(msg.text("search_none", "fa", query="زرافه").split("\n")[0])
    english = await inline(desk, ENGLISH_SUBSCRIBER_ID, "زرافه")
    assert english["results"][0]["title"] == msg.text("inline_none_title", "en", query="زرافه")
    button = none["button"]
    assert button["text"] == msg.text("inline_none", "fa")
    assert words_from_start_payload(button["start_parameter"]) == "زرافه"


async def test_latest_command(desk: Desk) -> None:
    three = await say(desk, SUBSCRIBER_ID, "/latest 3")
    assert "نشست خبری وزیر نفت" in three.text.split("\n\n")[1]  # newest first
    assert "۳. " in three.text and "۴. " not in three.text
    two = await say(desk, SUBSCRIBER_ID, "/latest ۲")
    assert "۲. " in two.text and "۳. " not in two.text
    bad = await say(desk, SUBSCRIBER_ID, "/latest many")
    assert bad.html == msg.text("latest_usage", "fa", max=10)


async def test_rate_limit_is_polite(desk: Desk) -> None:
    for _ in range(SEARCHES_PER_WINDOW):
        answer = await say(desk, SUBSCRIBER_ID, "نفت")
        assert answer.text.startswith("🔎")
    refused = await say(desk, SUBSCRIBER_ID, "نفت")
    assert refused.text.startswith("کمی آهسته‌تر")
    assert "۲۰" in refused.text
    other = await say(desk, ENGLISH_SUBSCRIBER_ID, "oil")  # other users are not affected
    assert not other.text.startswith("Please slow down")


@pytest.mark.parametrize(
    "typed",
    ['" * ( ) : - ^ NEAR AND OR NOT', "🙂🙂", "\u200f\u200e", "<b>&amp;</b>", "؟؟؟", "ا" * 5000],
)
async def test_any_typed_text_gets_a_polite_answer(desk: Desk, typed: str) -> None:
    answer = await say(desk, SUBSCRIBER_ID, typed)
    parse_html(answer.html)
    assert answer.text.startswith(("🔎", "برای «"))  # a results page or the no-hit help
