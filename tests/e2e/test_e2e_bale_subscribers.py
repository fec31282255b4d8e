"""End to end: subscribers on Bale (issue 21, slice 6). The bot copies its posts to a Bale channel and,
in the same process, a second Application on the Bale bot answers Bale's readers from the same archive:
/search and /latest in plain text (the emulator's Bale dialect refuses parse_mode), results linking to
the post's copy on Bale (else to Telegram), page buttons, the rate limit and the search log as on
Telegram; no inline mode, which Bale lacks."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import messages as msg
from bot.archive.ratelimit import SEARCHES_PER_WINDOW
from bot.archive.view import PAGE_SIZE
from bot.botapi.server import BotApiServer
from bot.botapi.world import StoredMessage
from storage.database import ImportRecord
from tests.botapi.fixtures import SUBSCRIBER_ID, assert_no_server_errors, bot_environment
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_destinations import DRAFT, QUICK, publish_now
from tests.e2e.test_e2e_editor import send_draft
from tests.e2e.test_restart import _start

BALE_READER = 9001  # a Bale user: Bale's ids are its own (no language code: Persian)
BASE = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def bale() -> Iterator[BotApiServer]:
    with BotApiServer(
        "7001:" + "b" * 30, network="bale", channel_username="news_bale", bot_username="news_bale_bot"
    ) as server:
        server.add_user(BALE_READER, "خوانندهٔ بله", None)
        yield server
    assert_no_server_errors(server)


@pytest.fixture
async def desk(botapi: BotApiServer, bale: BotApiServer, tmp_path: Path):
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", retry=QUICK,
        bale_token=bale.token, bale_channel_id="@news_bale", bale_api_url=bale.base_url,
    ) as running:  # fmt: skip
        # Older posts, imported from the Telegram channel's export: no copy on Bale.
        old = [
            ImportRecord(f"old{i}", f"بودجه سال {i}", f"گزارش بودجه شهرداری بخش {i}.",
                         BASE + timedelta(hours=i), f"https://t.me/news_test/{500 + i}")
            for i in range(PAGE_SIZE)
        ]  # fmt: skip
        await running.db.import_articles(old)
        await bale.wait_for(lambda: bale.calls("getUpdates"), timeout=10)  # the Bale bot polls
        yield running
    # Everything the bot asked of Bale, Bale took: no parse_mode, no inline answer, no scoped menu (but
    # the long poll a stop cut short, ended by the stop's last getUpdates).
    refused = [(c.method, c.response) for c in bale.calls() if c.status not in (200, 409)]
    assert refused == [] and bale.commands()  # the menu was set too


async def ask(bale: BotApiServer, text: str) -> StoredMessage:
    """The Bale reader writes to the Bale bot; returns its answer."""
    sent = bale.user_sends_text(BALE_READER, text)
    return await bale.wait_for_bot_message(BALE_READER, after=sent, timeout=10)


async def test_a_bale_reader_finds_the_post_and_its_link_opens_the_bale_copy(
    desk: Desk, botapi: BotApiServer, bale: BotApiServer
) -> None:
    article_id, _, choose = await send_draft(desk, DRAFT)
    await publish_now(desk, article_id, choose)
    (on_bale,) = bale.channel_posts()
    (primary,) = botapi.channel_posts()

    found = await ask(bale, "/search شورای شهر بودجه")
    assert found.parse_mode is None  # plain text: Bale has no parse_mode
    assert "نشست شورای شهر" in found.text
    assert f"https://ble.ir/news_bale/{on_bale.message_id}" in found.text  # the copy on Bale
    assert f"t.me/news_test/{primary.message_id}" not in found.text
    assert "<b>" not in found.text and "<a " not in found.text

    # Plain text searches too, and the imported posts (no Bale copy) link to Telegram.
    everything = await ask(bale, "بودجه")
    assert "https://t.me/news_test/50" in everything.text
    pages = [b["callback_data"] for b in everything.buttons if "callback_data" in b]
    assert any(data.endswith(":2") for data in pages)  # six posts: a second page
    bale.user_presses_button(BALE_READER, everything, next(d for d in pages if d.endswith(":2")))
    turned = await bale.wait_for(
        lambda: (m := bale.message(BALE_READER, everything.message_id)).edit_date and m, timeout=10
    )
    assert turned.parse_mode is None and "https://" in turned.text  # page 2, still plain text


async def test_latest_on_bale_links_each_post_on_its_reader_network(desk: Desk, bale: BotApiServer) -> None:
    article_id, _, choose = await send_draft(desk, DRAFT)
    await publish_now(desk, article_id, choose)
    (on_bale,) = bale.channel_posts()

    latest = await ask(bale, "/latest 2")
    assert latest.parse_mode is None
    assert latest.text.startswith(msg.text("latest_header", msg.FA, count=2))
    newest, older = latest.text.split("\n\n")[1:3]
    assert "نشست شورای شهر" in newest and f"https://ble.ir/news_bale/{on_bale.message_id}" in newest
    assert "https://t.me/news_test/504" in older  # imported: only on Telegram
    usage = await ask(bale, "/latest صد")
    assert usage.parse_mode is None and "/latest ۵" in usage.text and "<code>" not in usage.text


async def test_bale_has_no_inline_mode_and_its_help_does_not_offer_it(
    desk: Desk, botapi: BotApiServer, bale: BotApiServer
) -> None:
    await bale.wait_for(lambda: "message" in bale.allowed_updates, timeout=10)
    assert "inline_query" not in bale.allowed_updates  # never asked for: Bale has no inline mode
    bale.user_inline_query(BALE_READER, "بودجه")  # a client cannot send one; if it did, unheard
    welcome = await ask(bale, "/start")
    assert welcome.parse_mode is None and "@news_bale_bot" not in welcome.text
    assert "خوانندهٔ بله" in welcome.text
    helped = await ask(bale, "/help")
    assert "@news_bale_bot" not in helped.text and "روی هشتگ" not in helped.text
    assert "<code>" not in helped.text and "/search قیمت دلار" in helped.text
    assert not bale.calls("answerInlineQuery")


async def test_the_rate_limit_and_the_search_log_apply_on_bale(desk: Desk, bale: BotApiServer) -> None:
    for _ in range(SEARCHES_PER_WINDOW):
        await ask(bale, "بودجه")
    refused = await ask(bale, "بودجه")
    polite = msg.text("rate_limited", msg.FA, limit=SEARCHES_PER_WINDOW, seconds=1).split("؛")[0]
    assert refused.text.startswith(polite)
    telegram_reader = desk.server.user_sends_text(SUBSCRIBER_ID, "بودجه")  # Telegram's own budget
    answer = await desk.server.wait_for_bot_message(SUBSCRIBER_ID, after=telegram_reader, timeout=10)
    assert "بودجه" in answer.text

    def logged() -> list[tuple[str, int, int]]:  # written within SEARCH_LOG_SECONDS
        with sqlite3.connect(desk.settings.database_path) as conn:
            query = "SELECT kind, user_id, COUNT(*) FROM search_log GROUP BY kind, user_id ORDER BY kind"
            return conn.execute(query).fetchall()

    expected = [("bale:search", BALE_READER, SEARCHES_PER_WINDOW), ("search", SUBSCRIBER_ID, 1)]
    assert await bale.wait_for(lambda: logged() == expected, timeout=10)


def test_newsdesk_run_serves_bale_and_stops_within_10_s_even_without_bale(
    botapi: BotApiServer, bale: BotApiServer, tmp_path: Path
) -> None:
    env = bot_environment(botapi, tmp_path / "newsdesk.sqlite3") | {
        "BALE_TOKEN": bale.token, "BALE_CHANNEL_ID": "@news_bale", "BALE_API_URL": bale.base_url,
    }  # fmt: skip
    log = tmp_path / "bot.log"

    def stop(bot) -> float:
        asked = time.monotonic()
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=30) == 0
        return time.monotonic() - asked

    bot = _start(env, log)
    try:
        sent = bale.user_sends_text(BALE_READER, "/latest")  # the process's second Application answers
        answer = bale.wait_for_bot_message_sync(BALE_READER, after=sent, timeout=30)
        assert answer.text == msg.text("latest_none", msg.FA) and answer.parse_mode is None
    finally:
        took = stop(bot)
    assert took < 10, took  # its long poll is cut, not waited for

    bale.stop()  # Bale unreachable at the start: the Telegram bot serves all the same
    bot = _start(env, log)
    try:
        sent = botapi.user_sends_text(SUBSCRIBER_ID, "/latest")
        botapi.wait_for_bot_message_sync(SUBSCRIBER_ID, after=sent, timeout=30)
    finally:
        took = stop(bot)
    assert took < 10, took
    lines = log.read_text(encoding="utf-8")
    assert "Traceback" not in lines and "bale bot for subscribers is not reachable" in lines
