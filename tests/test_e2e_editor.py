"""End to end: the editor desk through python-telegram-bot, real HTTP to the Bot API test server,
and a real SQLite file. Draft → exact preview → schedule → time passes → channel post → archive.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jdatetime
import pytest

from bot import messages as msg
from bot.text.draft import parse_draft
from bot.text.render import render_post
from tests.botapi.fixtures import EDITOR_ID, ENGLISH_SUBSCRIBER_ID, SUBSCRIBER_ID, botapi  # noqa: F401
from tests.botapi.server import BotApiServer
from tests.desk_harness import Desk, running_desk

SEED = (Path(__file__).parent / "data" / "seed-draft.txt").read_text(encoding="utf-8")
TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):  # noqa: F811
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as running:
        yield running


def fa_digits(text: str) -> str:
    return msg.fa_digits(text)


def _has_post_buttons(message) -> bool:
    return any(b.get("callback_data", "").startswith("p:") for b in message.buttons)


def _choose_message(desk: Desk, after: int):
    return desk.wait_bot_message(EDITOR_ID, _has_post_buttons, after=after)


async def send_draft(desk: Desk, text: str) -> tuple[int, list[str], object]:
    """The editor sends a draft; returns the article id, the preview HTML and the choices message."""
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(text)
    choose = await _choose_message(desk, before)
    article_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    previews = [
        m.html for m in desk.server.bot_messages(EDITOR_ID)
        if before < m.message_id < choose.message_id and m.parse_mode == "HTML"
    ]  # fmt: skip
    return article_id, previews, choose


async def wait_status(desk: Desk, article_id: int, status: str, timeout: float = 10.0):
    """The article once it has reached `status`."""

    async def reached():
        article = await desk.db.get(article_id)
        return article if article and article.status == status else None

    deadline = datetime.now(UTC) + timedelta(seconds=timeout)
    while datetime.now(UTC) < deadline:
        if found := await reached():
            return found
        await asyncio.sleep(0.02)
    raise AssertionError(f"post {article_id} never reached {status!r}: {await desk.db.get(article_id)}")


def set_bot_time_before_minute(desk: Desk, seconds_before: float) -> datetime:
    """Move the bot's clock so the next whole minute is `seconds_before` away; return that minute."""
    now = datetime.now(UTC)
    target = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    desk.clock.offset = target - timedelta(seconds=seconds_before) - now
    return target


async def test_seed_preview_schedule_publish_and_search(desk: Desk) -> None:
    article_id, previews, choose = await send_draft(desk, SEED)

    expected = render_post(parse_draft(SEED), bullet="🔹", signature="🆔 @news_test")
    assert previews == expected  # the preview is the exact HTML the channel will get
    assert not desk.server.channel_posts()

    # "pick a time", then a Jalali date and time typed in Persian digits, 3 s ahead of the bot's now.
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:pick")
    await desk.wait_bot_message(EDITOR_ID, lambda m: "زمان انتشار" in (m.text or ""), after=before)
    due = set_bot_time_before_minute(desk, 3)
    local = jdatetime.datetime.fromgregorian(datetime=due.astimezone(TEHRAN))
    typed = fa_digits(f"{local.year}/{local.month:02d}/{local.day:02d} {local.hour:02d}:{local.minute:02d}")
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(typed)
    confirmation = await desk.wait_bot_message(
        EDITOR_ID, lambda m: "زمان‌بندی شد" in (m.text or ""), after=before
    )
    assert msg.when(due, TEHRAN, msg.FA) in confirmation.text  # echoed back in Jalali, Persian digits
    assert (await desk.db.get(article_id)).status == "scheduled"
    assert not desk.server.channel_posts()  # not before its time

    posts = await desk.server.wait_for(lambda: desk.server.channel_posts(), timeout=10)
    assert desk.clock() >= due
    assert [p.html for p in posts] == expected
    article = await wait_status(desk, article_id, "published")
    assert article.channel_message_ids == [p.message_id for p in posts]

    result = await desk.db.search("همیاری شهرداری")
    assert article_id in [hit.article_id for hit in result.hits]
    # The editor is told, on a message they can reply to for corrections.
    done = await desk.wait_bot_message(EDITOR_ID, lambda m: "منتشر شد" in (m.text or ""))
    assert f"p:{article_id}:rm" in [b.get("callback_data") for b in done.buttons]


async def test_publish_now_button(desk: Desk) -> None:
    article_id, previews, choose = await send_draft(desk, "خبر فوری\nمتن کوتاه خبر برای انتشار فوری.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    posts = await desk.server.wait_for(lambda: desk.server.channel_posts(), timeout=10)
    assert [p.html for p in posts] == previews
    await wait_status(desk, article_id, "published")
