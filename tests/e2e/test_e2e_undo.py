"""Nothing discarded is lost, and nothing discarded goes out (issue 20), end to end over HTTP against
the emulator, checked on the channel side: cancel and discard keep the post for /drafts to restore,
their answer offers ↩️ for a minute of the bot's clock, the old buttons of a discarded draft publish
nothing, and the dates the desk shows are the bot's clock's, not the machine's."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import messages as msg
from bot.botapi.server import BotApiServer
from bot.publishing.retry import RetryPolicy
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import _with_button, send_draft, wait_status

TEHRAN = ZoneInfo("Asia/Tehran")
FAR = timedelta(days=-400)  # the bot's clock, far from the machine's: a date shown off the machine's is seen


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as running:
        yield running


def _date(desk: Desk) -> str:
    """Today's Jalali date on the bot's clock, as the desk writes it (without the time)."""
    return msg.when(desk.clock(), TEHRAN, msg.FA).split("،")[0]


async def test_drafts_shows_the_bots_clock_date(desk: Desk) -> None:
    desk.clock.offset = FAR
    article_id, _, _ = await send_draft(desk, "خبر آزمایشی\nمتن کوتاه خبر برای فهرست پیش‌نویس‌ها.")
    shown = _date(desk)
    assert shown != msg.when(desk.clock() - FAR, TEHRAN, msg.FA).split("،")[0]
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/drafts")
    listing = await desk.wait_bot_message(EDITOR_ID, lambda m: "پیش‌نویس‌ها" in (m.text or ""), after=before)
    assert f"#{msg.fa_digits(article_id)}" in listing.text and shown in listing.text


@pytest.fixture
async def ticking_desk(botapi: BotApiServer, tmp_path: Path):
    """A desk whose timer rechecks every second, so a post goes out soon after its time."""
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", retry=RetryPolicy(schedule_recheck_seconds=1)
    ) as running:
        yield running


async def _pressed(desk: Desk, message, data: str):
    """Press the button `data` on `message` (a bot message of the editor's chat); once the bot has
    decided (it asked to edit the message, or answered the press with an alert), the query and the
    message as it then stands."""

    def edits() -> int:
        calls = desk.server.calls("editMessageText")
        return sum(c.params.get("message_id") in (message.message_id, str(message.message_id)) for c in calls)

    edited = edits()
    record = desk.server.user_sends_callback(
        EDITOR_ID, data, desk.server.message(EDITOR_ID, message.message_id)
    )

    def decided():
        alert = record.answer is not None and record.answer.get("show_alert")
        answered = alert or (edits() > edited and all(c.status for c in desk.server.calls("editMessageText")))
        return answered and (record, desk.server.message(EDITOR_ID, message.message_id))

    return await desk.server.wait_for(decided, timeout=10)


async def _new_after(desk: Desk, before: int, data: str):
    """The first bot message after `before` that carries the button `data`."""
    return await desk.wait_bot_message(EDITOR_ID, _with_button(data), after=before)


async def test_a_cancelled_post_is_restored_from_drafts_and_then_publishes(ticking_desk: Desk) -> None:
    desk = ticking_desk
    article_id, previews, choose = await send_draft(desk, "جلسه شورا\nجلسه شورای شهر فردا برگزار می‌شود.")
    _, scheduled = await _pressed(desk, choose, f"p:{article_id}:h1")
    due = (await desk.db.get(article_id)).scheduled_at
    _, cancelled = await _pressed(desk, scheduled, f"p:{article_id}:can")
    assert [b["callback_data"] for b in cancelled.buttons] == [f"p:{article_id}:undo"]
    assert msg.text("done_cancelled", msg.FA, article_id=article_id) in cancelled.text
    desk.clock.advance(timedelta(minutes=30))  # past the undo's minute; its time still ahead
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/drafts")
    listing = await _new_after(desk, before, f"p:{article_id}:rst")
    assert msg.text("drafts_flag_cancelled", msg.FA, when=msg.when(due, TEHRAN, msg.FA)) in listing.text
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, listing, f"p:{article_id}:rst")
    back = await _new_after(desk, before, f"p:{article_id}:can")  # its choices as a scheduled post
    shown = [m for m in desk.server.bot_messages(EDITOR_ID) if before < m.message_id <= back.message_id]
    assert msg.text("restored_scheduled", msg.FA, article_id=article_id) in shown[0].text
    assert msg.when(due, TEHRAN, msg.FA) in back.text  # at its own time
    assert not desk.server.channel_posts()
    desk.clock.advance(due - desk.clock() + timedelta(seconds=1))
    posts = await desk.server.wait_for(lambda: desk.server.channel_posts(), timeout=10)
    assert [p.html for p in posts] == previews
    await wait_status(desk, article_id, "published")


async def test_a_discarded_draft_is_restored_by_undo_and_publishes(desk: Desk) -> None:
    article_id, previews, choose = await send_draft(desk, "خبر ورزشی\nتیم ملی فردا به اردو می‌رود.")
    _, discarded = await _pressed(desk, choose, f"p:{article_id}:del")
    assert msg.text("done_discarded", msg.FA, article_id=article_id) in discarded.text
    assert (await desk.db.get(article_id)).status == "cancelled"
    desk.clock.advance(timedelta(seconds=50))  # inside the minute, on the bot's clock
    _, back = await _pressed(desk, discarded, f"p:{article_id}:undo")
    assert msg.text("restored_draft", msg.FA, article_id=article_id) in back.text
    assert f"p:{article_id}:now" in [b["callback_data"] for b in back.buttons]
    desk.server.user_presses_button(EDITOR_ID, back, f"p:{article_id}:now")
    posts = await desk.server.wait_for(lambda: desk.server.channel_posts(), timeout=10)
    assert [p.html for p in posts] == previews


async def test_the_first_previews_publish_button_of_a_discarded_draft_publishes_nothing(desk: Desk) -> None:
    article_id, _, first = await send_draft(
        desk, "خبر اقتصادی\nبازار سکه امروز آرام بود و قیمت‌ها تغییری نکرد."
    )
    # Discarded from its other copy: the card /drafts opens.
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/drafts")
    listing = await _new_after(desk, before, f"p:{article_id}:open")
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, listing, f"p:{article_id}:open")
    card = await _new_after(desk, before, f"p:{article_id}:del")
    await _pressed(desk, card, f"p:{article_id}:del")
    assert (await desk.db.get(article_id)).status == "cancelled"
    # The first preview's buttons, as they still stand: 🚀, a slot, in an hour.
    for action in ("now", "slot", "h1", "tm", "pick", "edit"):
        record, after = await _pressed(desk, first, f"p:{article_id}:{action}")
        assert record.answer["show_alert"]  # said over the preview, which stays as it was
        assert (after.text, after.buttons) == (first.text, first.buttons)
    desk.clock.advance(timedelta(days=2))  # past any time a button could have given it
    await desk.application.bot_data["services"].scheduler.wake()
    await asyncio.sleep(1)
    assert not desk.server.channel_posts() and (await desk.db.get(article_id)).status == "cancelled"
    channel = ("@news_test", str(desk.server.channel.id))
    writes = [
        c for c in desk.server.calls() if str(c.params.get("chat_id")) in channel and c.method != "getChat"
    ]
    assert not writes


async def test_an_undo_after_its_minute_is_refused(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر فرهنگی\nنمایشگاه کتاب هفتهٔ آینده گشایش می‌یابد.")
    _, discarded = await _pressed(desk, choose, f"p:{article_id}:del")
    desk.clock.advance(timedelta(seconds=61))
    record, after = await _pressed(desk, discarded, f"p:{article_id}:undo")
    refusal = msg.text("refused_undo_expired", msg.FA, article_id=article_id, seconds=60, days=7)
    assert record.answer["show_alert"] and record.answer["text"] == refusal
    assert after.text == discarded.text  # the answer stays; its ↩️ only says the minute is over
    assert (await desk.db.get(article_id)).status == "cancelled" and not desk.server.channel_posts()


async def test_a_cancelled_post_never_publishes_after_a_restart(botapi: BotApiServer, tmp_path: Path) -> None:
    path, retry = tmp_path / "newsdesk.sqlite3", RetryPolicy(schedule_recheck_seconds=1)
    async with running_desk(botapi, path, retry=retry) as desk:
        article_id, _, choose = await send_draft(
            desk, "خبر شب\nبرنامهٔ پخش امشب تغییر کرد و سریال پخش نمی‌شود."
        )
        _, scheduled = await _pressed(desk, choose, f"p:{article_id}:h1")
        await _pressed(desk, scheduled, f"p:{article_id}:can")
        due = (await desk.db.get(article_id)).scheduled_at
    async with running_desk(botapi, path, retry=retry) as desk:
        desk.clock.advance(due - desk.clock() - timedelta(seconds=2))  # 2 s before its old time
        await desk.application.bot_data["services"].scheduler.wake()
        await asyncio.sleep(4)  # its old time goes by, with a recheck every second
        assert desk.clock() > due
        assert not botapi.channel_posts() and (await desk.db.get(article_id)).status == "cancelled"
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says("/queue")
        queue = await desk.wait_bot_message(EDITOR_ID, after=before)
        assert queue.text == msg.text("queue_empty", msg.FA)
