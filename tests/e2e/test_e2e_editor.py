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
from bot.botapi.server import BotApiServer
from bot.publishing.scheduler import TIMER
from bot.publishing.slots import next_free_slot
from bot.text.draft import parse_draft
from bot.text.render import render_post
from storage.database import Database
from tests.botapi.fixtures import EDITOR_ID, ENGLISH_SUBSCRIBER_ID, SUBSCRIBER_ID
from tests.desk_harness import Desk, running_desk, search_in_for

SEED = (Path(__file__).parent.parent / "data" / "seed-draft.txt").read_text(encoding="utf-8")
TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path, request: pytest.FixtureRequest):
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", search_in=search_in_for(request)
    ) as running:
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
    shown = [m for m in desk.server.bot_messages(EDITOR_ID) if before < m.message_id < choose.message_id]
    assert "پیش‌نمایش" in shown[0].text  # the intro, then the post's messages exactly as they will go out
    return article_id, [m.html for m in shown[1:]], choose


async def wait_article(desk: Desk, article_id: int, predicate, timeout: float = 10.0):
    """The article once `predicate(article)` holds."""
    deadline = datetime.now(UTC) + timedelta(seconds=timeout)
    while datetime.now(UTC) < deadline:
        article = await desk.db.get(article_id)
        if article is not None and predicate(article):
            return article
        await asyncio.sleep(0.02)
    raise AssertionError(f"post {article_id} never got there: {await desk.db.get(article_id)}")


async def recorded_notice(desk: Desk, article_id: int, chat_id: int = EDITOR_ID, timeout: float = 10.0):
    """The bot's notice in `chat_id` that a reply to corrects post `article_id`, once the bot has
    recorded it (its "published" notice)."""
    deadline = datetime.now(UTC) + timedelta(seconds=timeout)
    while datetime.now(UTC) < deadline:
        for message in reversed(desk.server.bot_messages(chat_id)):
            found = await desk.db.find_by_notice(chat_id, message.message_id)
            if found is not None and found.id == article_id:
                return message
        await asyncio.sleep(0.02)
    raise AssertionError(f"no notice of post {article_id} recorded in chat {chat_id}")


async def wait_status(desk: Desk, article_id: int, status: str, timeout: float = 10.0):
    """The article once it has reached `status`."""
    return await wait_article(desk, article_id, lambda article: article.status == status, timeout)


def set_bot_time_before_minute(desk: Desk, seconds_before: float) -> datetime:
    """Move the bot's clock so the next whole minute is `seconds_before` away; return that minute."""
    now = datetime.now(UTC)
    target = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    desk.clock.offset = target - timedelta(seconds=seconds_before) - now
    return target


@pytest.mark.searches
async def test_seed_preview_schedule_publish_and_search(desk: Desk) -> None:
    article_id, previews, choose = await send_draft(desk, SEED)

    expected = render_post(parse_draft(SEED), bullet="🔹", signature="🆔 @news_test")
    assert previews == expected  # the preview is the exact HTML the channel will get
    shown = [m for m in desk.server.bot_messages(EDITOR_ID) if m.html in expected]
    assert all(m.options.get("link_preview_options") == {"is_disabled": True} for m in shown)
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
    # …and a subscriber's /search finds it through the bot, with a link to the channel post.
    before = desk.last_id(SUBSCRIBER_ID)
    desk.server.user_sends_text(SUBSCRIBER_ID, "/search همیاری شهرداری")
    answer = await desk.wait_bot_message(SUBSCRIBER_ID, after=before)
    assert f"t.me/news_test/{posts[0].message_id}" in (answer.html or "")
    # The editor is told, on a message they can reply to for corrections.
    done = await desk.wait_bot_message(EDITOR_ID, lambda m: "در کانال منتشر شد" in (m.text or ""))
    assert f"p:{article_id}:rm" in [b.get("callback_data") for b in done.buttons]


async def test_editors_menu_has_their_commands_and_everyone_elses(desk: Desk) -> None:
    menu = desk.server.commands(scope={"type": "chat", "chat_id": EDITOR_ID})
    names = [command["command"] for command in menu]
    assert {"queue", "delete", "search"} <= set(names)
    assert next(c["description"] for c in menu if c["command"] == "queue") == "صف انتشار"


async def test_publish_now_button(desk: Desk) -> None:
    article_id, previews, choose = await send_draft(desk, "خبر فوری\nمتن کوتاه خبر برای انتشار فوری.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    posts = await desk.server.wait_for(lambda: desk.server.channel_posts(), timeout=10)
    assert [p.html for p in posts] == previews
    await wait_status(desk, article_id, "published")


async def _timer(desk: Desk):
    """The scheduler's one job (once it is set again after a run)."""
    [job] = await desk.server.wait_for(lambda: desk.application.job_queue.get_jobs_by_name(TIMER))
    return job


async def _armed_for(desk: Desk):
    """The post time the scheduler's one timer is armed for (it fires at least once a minute, to
    recheck, so the job itself may be due sooner)."""
    await _timer(desk)
    return desk.application.bot_data["services"].scheduler.upcoming


def _with_button(data: str):
    """A predicate: the message carries a button with this callback data."""
    return lambda message: data in [b.get("callback_data") for b in message.buttons]


def _current_text(desk: Desk, message) -> str:
    """The text of a bot message as it is now (buttons edit messages in place)."""
    return desk.server.message(message.chat.id, message.message_id).text or ""


@pytest.mark.searches  # the subscriber's «سلام» is a search
async def test_non_editor_cannot_publish_schedule_or_read_the_queue(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر محرمانه\nمتنی که هنوز نباید منتشر شود.")
    # A subscriber forges the editor's callback data, on their own chat and on the editor's preview.
    desk.server.user_sends_text(SUBSCRIBER_ID, "سلام")
    actions = ("now", "slot", "h1", "tn", "tm", "sent", "send", "rmy", "open", "sp", "fix")
    forged = [f"p:{article_id}:{action}" for action in actions]
    records = [desk.server.user_sends_callback(SUBSCRIBER_ID, data, choose) for data in forged]
    await desk.server.wait_for(lambda: all(r.answer for r in records), timeout=10)
    for record in records:
        assert record.answer.get("show_alert") and "دبیران" in record.answer["text"]
    # Data that is no button of ours (old formats, forged, damaged) is answered too: no spinner left.
    junk = ["q:0", "p:1:zz", f"p:{'٣' * 3}:now", f"p:{2**64}:now", "p:-1:now", "x" * 64]
    records = [desk.server.user_sends_callback(EDITOR_ID, data, choose) for data in junk]
    await desk.server.wait_for(lambda: all(r.answer for r in records), timeout=10)
    assert all(r.answer["text"] == msg.text("refused_stale_button", msg.FA) for r in records)
    before = desk.last_id(SUBSCRIBER_ID)
    desk.server.user_sends_text(SUBSCRIBER_ID, "/queue")
    refusal = await desk.wait_bot_message(SUBSCRIBER_ID, after=before)
    assert "فقط برای دبیران" in refusal.text and not refusal.buttons
    before = desk.last_id(ENGLISH_SUBSCRIBER_ID)
    desk.server.user_sends_text(ENGLISH_SUBSCRIBER_ID, "/queue")
    refusal = await desk.wait_bot_message(ENGLISH_SUBSCRIBER_ID, after=before)
    assert refusal.text == msg.text("not_editor", msg.EN)
    # Nothing moved: the post is still a draft and the channel is empty.
    assert (await desk.db.get(article_id)).status == "draft"
    assert desk.server.channel_posts() == []
    # A subscriber's text is not taken as a draft.
    desk.server.user_sends_text(SUBSCRIBER_ID, "تیتر\nمتنی از یک خواننده")
    await asyncio.sleep(0.5)
    assert (await desk.db.get(article_id + 1)) is None


async def _open_from_queue(desk: Desk, queue, article_id: int):
    """Press a /queue entry: the post comes with its choices (the last message of the card)."""
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, queue, f"p:{article_id}:open")
    return await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:can"), after=before)


async def test_queue_cancel_reschedule_and_publish_now(desk: Desk) -> None:
    ids = []
    for number in range(3):
        article_id, _, choose = await send_draft(desk, f"خبر صف {number}\nمتن خبر صف شماره {number}.")
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:tm")
        await desk.server.wait_for(lambda choose=choose: "زمان‌بندی شد" in _current_text(desk, choose))
        ids.append(article_id)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/queue")
    queue = await desk.wait_bot_message(EDITOR_ID, after=before)
    for article_id in ids:
        assert f"#{fa_digits(str(article_id))}" in queue.text
    data = [b["callback_data"] for b in queue.buttons]
    assert data == [f"p:{article_id}:open" for article_id in ids]
    # The three share tomorrow morning's minute: flagged, and each card offers to space them out.
    assert queue.text.count("هم‌دقیقه") == 3

    card = await _open_from_queue(desk, queue, ids[0])
    assert {f"p:{ids[0]}:{a}" for a in ("now", "pick", "edit", "can", "sp")} <= set(_data(card))
    desk.server.user_presses_button(EDITOR_ID, card, f"p:{ids[0]}:can")
    await wait_status(desk, ids[0], "cancelled")

    card = await _open_from_queue(desk, queue, ids[1])
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, card, f"p:{ids[1]}:pick")
    await desk.wait_bot_message(EDITOR_ID, lambda m: "زمان انتشار" in (m.text or ""), after=before)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("+۳ ساعت")
    await desk.wait_bot_message(EDITOR_ID, lambda m: "زمان‌بندی شد" in (m.text or ""), after=before)
    moved = await desk.db.get(ids[1])
    assert abs(moved.scheduled_at - (desk.clock() + timedelta(hours=3))) < timedelta(seconds=10)

    card = await _open_from_queue(desk, queue, ids[2])
    desk.server.user_presses_button(EDITOR_ID, card, f"p:{ids[2]}:now")
    await wait_status(desk, ids[2], "published")
    assert len(desk.server.channel_posts()) == 1
    # The one timer waits for the earliest post still scheduled: the moved one.
    assert abs(await _armed_for(desk) - moved.scheduled_at) < timedelta(seconds=2)


def _data(message) -> list[str]:
    return [b.get("callback_data") for b in message.buttons]


async def test_typed_time_errors_are_explained_in_persian(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر زمان\nمتن خبر برای آزمون زمان.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:pick")
    await desk.wait_bot_message(EDITOR_ID, lambda m: "زمان انتشار" in (m.text or ""))
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("دیروز عصر")
    unreadable = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert "نفهمیدم" in unreadable.text and "فردا ۸:۳۰" in unreadable.text
    past = (desk.clock() - timedelta(hours=1)).astimezone(TEHRAN)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(f"{past.year}-{past.month:02d}-{past.day:02d} {past.hour:02d}:{past.minute:02d}")
    refused = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert "گذشته است" in refused.text and "مثلاً" in refused.text
    assert (await desk.db.get(article_id)).status == "draft"


async def test_forwarded_and_document_drafts(desk: Desk) -> None:
    before = desk.last_id(EDITOR_ID)
    forwarded = "?خبر بازنشر\n?بند اول خبر\n?بند دوم خبر"
    desk.server.user_forwards(EDITOR_ID, forwarded, from_channel=desk.server.channel)
    choose = await _choose_message(desk, before)
    first = int(choose.buttons[0]["callback_data"].split(":")[1])
    assert (await desk.db.get(first)).title == "خبر بازنشر"

    before = desk.last_id(EDITOR_ID)
    desk.server.user_sends_document(EDITOR_ID, SEED.encode("utf-8"), file_name="seed.txt")
    choose = await _choose_message(desk, before)
    second = int(choose.buttons[0]["callback_data"].split(":")[1])
    article = await desk.db.get(second)
    assert article.html == render_post(parse_draft(SEED), bullet="🔹", signature="🆔 @news_test")

    before = desk.last_id(EDITOR_ID)
    desk.server.user_sends_document(EDITOR_ID, b"\xff\xfe\x00bad", file_name="bad.txt")
    refusal = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert "UTF-8" in refusal.text


async def test_an_edited_caption_follows_a_photo_but_leaves_a_text_files_draft(desk: Desk) -> None:
    """A photo's caption added by an edit becomes its text and ends the wait for it; a .txt file's
    caption edited is answered, and the draft made from the file's text stays as it was."""
    before = desk.last_id(EDITOR_ID)
    photo = desk.server.user_sends_photo(EDITOR_ID, b"jpeg", width=8, height=6)
    choose = await _choose_message(desk, before)
    photo_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    before = desk.last_id(EDITOR_ID)
    desk.server.user_edits_caption(EDITOR_ID, photo, "خبر عکس\nمتن خبر درباره نمایشگاه کتاب.")
    choose = await _choose_message(desk, before)
    assert choose.buttons[0]["callback_data"] == f"p:{photo_id}:now"  # the same post
    assert (await desk.db.get(photo_id)).title == "خبر عکس"
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("خبر دیگر\nمتن خبری دیگر درباره بازار.")  # no longer taken as the photo's text
    choose = await _choose_message(desk, before)
    assert choose.buttons[0]["callback_data"] != f"p:{photo_id}:now"
    assert (await desk.db.get(photo_id)).title == "خبر عکس"

    before = desk.last_id(EDITOR_ID)
    sent = desk.server.user_sends_document(
        EDITOR_ID, SEED.encode("utf-8"), file_name="seed.txt", caption="پیش‌نویس"
    )
    choose = await _choose_message(desk, before)
    file_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    kept = (await desk.db.get(file_id)).html
    before = desk.last_id(EDITOR_ID)
    desk.server.user_edits_caption(EDITOR_ID, sent, "یک خط")
    answer = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert answer.text == msg.text("file_caption_edit_ignored", msg.FA)
    assert (await desk.db.get(file_id)).html == kept


async def test_edit_draft_then_discard(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر اول\nمتن نخست.")
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:edit")
    await desk.wait_bot_message(EDITOR_ID, lambda m: "اصلاح" in (m.text or ""), after=before)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("خبر اصلاح‌شده\nمتن تازه.")
    choose = await _choose_message(desk, before)
    assert choose.buttons[0]["callback_data"] == f"p:{article_id}:now"  # the same post
    assert (await desk.db.get(article_id)).title == "خبر اصلاح‌شده"
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:del")
    await wait_status(desk, article_id, "cancelled")


@pytest.mark.searches
async def test_correcting_and_deleting_a_published_post(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر نخست\nجلسه شورای شهر درباره بودجه برگزار شد.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    confirmation = await desk.wait_bot_message(EDITOR_ID, lambda m: "در کانال منتشر شد" in (m.text or ""))
    [post] = desk.server.channel_posts()

    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("خبر اصلاحی\nجلسه شورای شهر درباره پارک‌ها برگزار شد.", reply_to=confirmation)
    assert "اصلاح شد" in (await desk.confirm_correction(EDITOR_ID, article_id, after=before)).text
    edited = desk.server.message(desk.server.channel.id, post.message_id)
    correction = parse_draft("خبر اصلاحی\nجلسه شورای شهر درباره پارک‌ها برگزار شد.")
    assert [edited.html] == render_post(correction, bullet="🔹", signature="🆔 @news_test")
    assert edited.history  # it was edited in place, not re-posted
    assert len(desk.server.channel_posts()) == 1
    assert article_id in [h.article_id for h in (await desk.db.search("پارک")).hits]
    assert article_id not in [h.article_id for h in (await desk.db.search("بودجه")).hits]

    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/delete", reply_to=confirmation)
    ask = await desk.wait_bot_message(EDITOR_ID, after=before)
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:rmy")
    await desk.server.wait_for(lambda: not desk.server.channel_posts(), timeout=10)
    await wait_article(desk, article_id, lambda article: article.deleted)
    assert article_id not in [h.article_id for h in (await desk.db.search("پارک")).hits]


async def test_bot_not_admin_is_told_in_persian_and_recoverable(desk: Desk) -> None:
    desk.server.set_channel_access("left")
    article_id, _, choose = await send_draft(desk, "خبر ناکام\nمتن خبری که به کانال نمی‌رسد.")
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    notice = await desk.wait_bot_message(EDITOR_ID, lambda m: "ناموفق" in (m.text or ""), after=before)
    assert "ادمین نیست" in notice.text
    assert (await desk.db.get(article_id)).status == "failed"
    desk.server.set_channel_access("administrator")
    desk.server.user_presses_button(EDITOR_ID, notice, f"p:{article_id}:now")
    await wait_status(desk, article_id, "published")
    assert len(desk.server.channel_posts()) == 1


async def test_startup_rearms_publishes_within_grace_and_asks_about_the_rest(
    botapi: BotApiServer,
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    now = datetime.now(UTC)
    async with Database.open(path) as db:

        async def post(title: str, due: datetime) -> int:
            article_id = await db.create_draft(title, "متن", [f"<b>{title}</b>"], editor_id=EDITOR_ID,
                                               editor_chat_id=EDITOR_ID)  # fmt: skip
            assert await db.schedule(article_id, due)
            return article_id

        late_a_little = await post("کمی دیر", now - timedelta(minutes=5))
        late_a_lot = await post("خیلی دیر", now - timedelta(hours=2))
        await post("آینده", now + timedelta(hours=1))
        half_sent = await post("نیمه‌کاره", now - timedelta(minutes=1))
        assert await db.claim_for_publishing(half_sent)  # the crash happened right after this
    botapi.user_sends_text(EDITOR_ID, "/start")
    botapi.inject_fault("bad_request", method="setMyCommands", times=5, description="commands refused")

    async with running_desk(botapi, path) as desk:
        await wait_status(desk, late_a_little, "published")
        missed = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{late_a_lot}:now"))
        assert "خاموش" in missed.text
        uncertain = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{half_sent}:send"))
        assert "معلوم نیست" in uncertain.text
        assert (await desk.db.get(late_a_lot)).status == "scheduled"  # asked, not sent
        assert (await desk.db.get(half_sent)).status == "publishing"  # asked, not guessed
        assert abs(await _armed_for(desk) - (now + timedelta(hours=1))) < timedelta(seconds=2)

        desk.server.user_presses_button(EDITOR_ID, missed, f"p:{late_a_lot}:now")
        await wait_status(desk, late_a_lot, "published")
        desk.server.user_presses_button(EDITOR_ID, uncertain, f"p:{half_sent}:drop")
        await wait_status(desk, half_sent, "cancelled")
        titles = sorted(p.text for p in desk.server.channel_posts())
        assert titles == sorted(["کمی دیر", "خیلی دیر"])
        # The command menu was refused, and the bot works all the same.
        assert all(call.status == 400 for call in desk.server.calls("setMyCommands")[:1])
        article_id, _, _ = await send_draft(desk, "خبر پس از راه‌اندازی\nمتن.")
        assert article_id > half_sent


async def test_a_failing_handler_answers_in_persian_not_with_silence(desk: Desk) -> None:
    desk.server.inject_fault("bad_request", method="sendMessage", chat_id=EDITOR_ID, description="chat busy")
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("خبر\nمتن خبر.")
    answer = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert answer.text == msg.text("error_generic", msg.FA)


async def test_next_free_slot_skips_taken_slots(desk: Desk) -> None:
    taken = []
    for number in range(2):
        article_id, _, choose = await send_draft(desk, f"خبر نوبت {number}\nمتن خبر نوبت {number}.")
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:slot")
        await desk.server.wait_for(lambda choose=choose: "زمان‌بندی شد" in _current_text(desk, choose))
        taken.append((await desk.db.get(article_id)).scheduled_at)
    slots = desk.settings.posting_slots
    assert taken[0] == next_free_slot(desk.clock(), slots, TEHRAN)
    assert taken[1] == next_free_slot(desk.clock(), slots, TEHRAN, [taken[0]])
    assert taken[1] > taken[0]


async def test_long_draft_is_previewed_and_posted_as_the_same_messages(desk: Desk) -> None:
    paragraph = "جلسه شورای شهر درباره بودجه سال آینده و پروژه‌های عمرانی شهرستان‌ها برگزار شد. " * 12
    draft = "خبر بلند\n" + "\n".join(f"?{paragraph}{number}" for number in range(6))
    article_id, previews, choose = await send_draft(desk, draft)
    assert len(previews) >= 2
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    article = await wait_status(desk, article_id, "published")
    posts = desk.server.channel_posts()
    assert [p.html for p in posts] == previews
    assert article.channel_message_ids == [p.message_id for p in posts]


async def test_delete_after_48_hours_is_explained_and_keeps_the_post(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر قدیمی\nمتن خبری که دیگر حذف نمی‌شود.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    await wait_status(desk, article_id, "published")
    desk.server.clock.advance(49 * 3600)  # Telegram lets bots delete channel posts for 48 h only
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(f"/delete {fa_digits(str(article_id))}")
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:rmy"), after=before)
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:rmy")
    # The bot's clock saw a new post; Telegram's refusal says why all the same, in Persian, in place
    # of the question, with the removal note offered.
    await desk.server.wait_for(lambda: "۴۸ ساعت" in _current_text(desk, ask))
    assert "نمی‌تواند" in _current_text(desk, ask) and "can't" not in _current_text(desk, ask)
    assert _with_button(f"p:{article_id}:rmn")(desk.server.message(EDITOR_ID, ask.message_id))
    assert len(desk.server.channel_posts()) == 1
    article = await desk.db.get(article_id)
    assert not article.deleted and article.status == "published"


async def test_editor_confirms_a_doubtful_part_and_the_rest_follows(
    botapi: BotApiServer,
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    parts = ["<b>بخش یک</b>", "بخش دو", "بخش سه"]
    async with Database.open(path) as db:  # part one went out (confirmed), part two was in flight
        article_id = await db.create_draft("سه‌بخشی", "متن", parts, editor_id=EDITOR_ID,
                                           editor_chat_id=EDITOR_ID)  # fmt: skip
        assert await db.schedule(article_id, datetime.now(UTC) - timedelta(minutes=1))
        assert await db.claim_for_publishing(article_id)
        assert await db.record_sent_parts(article_id, [7001])
    botapi.user_sends_text(EDITOR_ID, "/start")

    async with running_desk(botapi, path) as desk:
        notice = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:sent"))
        assert "۱ پیام نخستش" in notice.text and "پیام ۲" in notice.text
        desk.server.user_presses_button(EDITOR_ID, notice, f"p:{article_id}:sent")  # part two is there
        article = await wait_status(desk, article_id, "published")
        [third] = desk.server.channel_posts()
        assert third.text == "بخش سه"  # only the part after the confirmed one was sent
        assert article.channel_message_ids == [7001, third.message_id]
        # Its second message id is unknown, so a correction is refused with an explanation.
        confirmation = await desk.wait_bot_message(EDITOR_ID, lambda m: "در کانال منتشر شد" in (m.text or ""))
        assert "(۳ پیام)" in confirmation.text  # the post's three messages, the one confirmed by eye too
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says("سه‌بخشی\nمتن تازه", reply_to=confirmation)
        refusal = await desk.wait_bot_message(EDITOR_ID, after=before)
        assert "معلوم نیست" in refusal.text


async def test_dropping_a_half_sent_post_takes_back_its_confirmed_parts(
    botapi: BotApiServer,
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    botapi.user_sends_text(EDITOR_ID, "/start")
    async with running_desk(botapi, path) as desk:
        # Part one is in the channel and recorded; part two was in flight when the bot stopped.
        part_one = await desk.application.bot.send_message(desk.settings.channel_id, "بخش یک")
        article_id = await desk.db.create_draft("دوبخشی", "متن", ["بخش یک", "بخش دو"], editor_id=EDITOR_ID,
                                                editor_chat_id=EDITOR_ID)  # fmt: skip
        assert await desk.db.schedule(article_id, datetime.now(UTC) + timedelta(hours=1))
        assert await desk.db.claim_for_publishing(article_id)
        assert await desk.db.record_sent_parts(article_id, [part_one.message_id])
        await desk.application.bot_data["services"].scheduler.notices.uncertain(await desk.db.get(article_id))
        notice = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:drop"))
        desk.server.user_presses_button(EDITOR_ID, notice, f"p:{article_id}:drop")
        await wait_status(desk, article_id, "cancelled")
        assert desk.server.channel_posts() == []  # part one was taken back


async def test_an_awaited_time_or_correction_survives_a_restart(
    botapi: BotApiServer,
    tmp_path: Path,
) -> None:
    """The bot restarts between "type a time" / "send the corrected text" and the editor's answer."""
    path = tmp_path / "newsdesk.sqlite3"
    async with running_desk(botapi, path) as desk:
        timed, _, choose = await send_draft(desk, "خبر زمان‌دار\nمتن خبر برای زمان.")
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{timed}:pick")
        await desk.wait_bot_message(EDITOR_ID, lambda m: "زمان انتشار" in (m.text or ""))
    async with running_desk(botapi, path) as desk:
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says("فردا ۸:۳۰")
        await desk.wait_bot_message(EDITOR_ID, after=before)
        article = await wait_status(desk, timed, "scheduled")
        assert article.scheduled_at.astimezone(TEHRAN).strftime("%H:%M") == "08:30"
        edited, _, choose = await send_draft(desk, "خبر نادرست\nمتن نخست.")
        assert edited != timed
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{edited}:edit")
        await desk.wait_bot_message(EDITOR_ID, lambda m: "اصلاح" in (m.text or ""))
    async with running_desk(botapi, path) as desk:
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says("خبر درست\nمتن تازه.")
        choose = await _choose_message(desk, before)
        assert choose.buttons[0]["callback_data"] == f"p:{edited}:now"  # the same post, corrected
        assert (await desk.db.get(edited)).title == "خبر درست"
        assert await desk.db.awaited_input(EDITOR_ID) is None


async def test_notices_sent_unasked_speak_the_editors_language(
    botapi: BotApiServer,
    tmp_path: Path,
) -> None:
    """An editor whose Telegram is in English gets publication and missed-post notices in English,
    also from a restarted bot that has not heard from them since."""
    english_editor = 4004
    botapi.add_user(english_editor, "Editor", "en")
    path = tmp_path / "newsdesk.sqlite3"
    editors = frozenset({EDITOR_ID, english_editor})
    async with running_desk(botapi, path, editor_ids=editors) as desk:
        botapi.user_sends_text(english_editor, "Headline here\nA short body for the English desk.")
        choose = await desk.wait_bot_message(english_editor, _has_post_buttons)
        published = int(choose.buttons[0]["callback_data"].split(":")[1])
        botapi.user_presses_button(english_editor, choose, f"p:{published}:now")
        notice = await desk.wait_bot_message(english_editor, _with_button(f"p:{published}:rm"))
        assert notice.text.startswith(f"✅ Post #{published} is published")
        botapi.user_sends_text(english_editor, "Second headline\nAnother body.")
        choose = await desk.wait_bot_message(english_editor, _has_post_buttons, after=notice.message_id)
        missed = int(choose.buttons[0]["callback_data"].split(":")[1])
        assert await desk.db.schedule(missed, datetime.now(UTC) - timedelta(hours=2))
        before = desk.last_id(english_editor)
    async with running_desk(botapi, path, editor_ids=editors) as desk:
        notice = await desk.wait_bot_message(english_editor, _with_button(f"p:{missed}:now"), after=before)
        assert notice.text.startswith(f"⏰ Post #{missed} was due at")
