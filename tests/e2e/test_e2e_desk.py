"""End to end, the desk's daily workflow: each case an editor tripped over, played through PTB over real
HTTP against the Bot API emulator with a real SQLite file (issue 10's "Why", a test each)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import messages as msg
from bot.botapi.server import BotApiServer
from bot.text.draft import parse_draft
from bot.text.render import render_post
from tests.botapi.fixtures import EDITOR_ID, ENGLISH_SUBSCRIBER_ID, SUBSCRIBER_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import (
    _choose_message,
    _current_text,
    _with_button,
    send_draft,
    wait_status,
)

TEHRAN = ZoneInfo("Asia/Tehran")
SIGNATURE = "🆔 @news_test"
SECOND_EDITOR = 4010


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as running:
        yield running


def rendered(text: str) -> list[str]:
    return render_post(parse_draft(text), bullet="🔹", signature=SIGNATURE)


async def _reply_to(desk: Desk, text: str, predicate=lambda m: True):
    """The editor writes `text`; the first bot message after it that satisfies `predicate`."""
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(text)
    return await desk.wait_bot_message(EDITOR_ID, predicate, after=before)


async def _press(desk: Desk, message, data: str, predicate=lambda m: True):
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, message, data)
    return await desk.wait_bot_message(EDITOR_ID, predicate, after=before)


async def _pick_time(desk: Desk, article_id: int, choose) -> None:
    await _press(desk, choose, f"p:{article_id}:pick", lambda m: "زمان انتشار" in (m.text or ""))


# ——— the wait for a typed time or a corrected text ———


async def test_a_breaking_news_line_while_a_time_is_awaited_becomes_a_draft(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر اول\nمتن خبر اول برای زمان‌بندی.")
    await _pick_time(desk, article_id, choose)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("فوری: زلزله‌ای به بزرگی ۵ ریشتر حوالی تهران را لرزاند")
    choose = await _choose_message(desk, before)
    new_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    assert new_id != article_id
    notes = [m.text for m in desk.server.bot_messages(EDITOR_ID) if m.message_id > before]
    assert any(msg.text("note_wait_ended", msg.FA) in (text or "") for text in notes)
    assert await desk.db.awaited_input(EDITOR_ID) is None
    assert (await desk.db.get(article_id)).status == "draft"


@pytest.mark.parametrize("stop", ["لغو", "/cancel", "button"])
async def test_the_wait_for_a_time_ends_with_cancel(desk: Desk, stop: str) -> None:
    article_id, _, choose = await send_draft(desk, "خبر دوم\nمتن خبر دوم برای زمان‌بندی.")
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:pick")
    asked = await desk.wait_bot_message(EDITOR_ID, lambda m: "زمان انتشار" in (m.text or ""), after=before)
    assert f"p:{article_id}:cw" in [b["callback_data"] for b in asked.buttons]
    if stop == "button":
        desk.server.user_presses_button(EDITOR_ID, asked, f"p:{article_id}:cw")
        await desk.server.wait_for(lambda: "منتظر پاسخ نیستم" in _current_text(desk, asked))
    else:
        answer = await _reply_to(desk, stop)
        assert "منتظر پاسخ نیستم" in answer.text
    assert await desk.db.awaited_input(EDITOR_ID) is None
    assert (await desk.db.get(article_id)).status == "draft"
    # With no wait, «لغو» is not a draft either.
    answer = await _reply_to(desk, "لغو")
    assert answer.text == msg.text("refused_nothing_to_cancel", msg.FA)


async def test_the_wait_expires_after_ten_minutes(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر سوم\nمتن خبر سوم برای زمان‌بندی.")
    await _pick_time(desk, article_id, choose)
    desk.clock.advance(timedelta(minutes=11))  # a jump of the bot's clock alone: its timer is not told
    told = await _reply_to(desk, "۱۸:۳۰")  # too late to be the answer: said so, then a short message
    assert "تمام شده بود" in told.text
    answer = await desk.wait_bot_message(
        EDITOR_ID, lambda m: "خیلی کوتاه" in (m.text or ""), after=told.message_id
    )
    assert answer.message_id > told.message_id
    assert (await desk.db.get(article_id)).status == "draft"


# ——— edits of sent messages ———


async def test_editing_a_sent_draft_updates_the_same_draft(desk: Desk) -> None:
    before = desk.last_id(EDITOR_ID)
    sent = await desk.editor_says("خبر با غلط تایپی\nمتن خبر با غلظ.")
    choose = await _choose_message(desk, before)
    article_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    before = desk.last_id(EDITOR_ID)
    desk.server.user_edits_text(EDITOR_ID, sent, "خبر بی غلط\nمتن خبر درست.")
    choose = await _choose_message(desk, before)
    assert choose.buttons[0]["callback_data"] == f"p:{article_id}:now"  # the same post, shown again
    shown = [m.text for m in desk.server.bot_messages(EDITOR_ID) if m.message_id > before]
    assert msg.text("note_updated", msg.FA) in shown[0]
    article = await desk.db.get(article_id)
    assert article.title == "خبر بی غلط" and article.html == rendered("خبر بی غلط\nمتن خبر درست.")
    assert await desk.db.get(article_id + 1) is None  # no second draft


async def test_editing_a_scheduled_post_keeps_its_time_and_the_queue_shows_the_new_text(desk: Desk) -> None:
    before = desk.last_id(EDITOR_ID)
    sent = await desk.editor_says("قیمت نان در تهارن\nمتن خبر قیمت نان.")
    choose = await _choose_message(desk, before)
    article_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:tm")
    await desk.server.wait_for(lambda: "زمان‌بندی شد" in _current_text(desk, choose))
    when = (await desk.db.get(article_id)).scheduled_at
    before = desk.last_id(EDITOR_ID)
    desk.server.user_edits_text(EDITOR_ID, sent, "قیمت نان در تهران\nمتن خبر قیمت نان.")
    card = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:can"), after=before)
    assert "زمان‌بندی شده" in card.text
    shown = [m.text for m in desk.server.bot_messages(EDITOR_ID) if m.message_id > before]
    assert msg.text("note_still_scheduled", msg.FA) in shown[0]
    article = await desk.db.get(article_id)
    assert article.status == "scheduled" and article.scheduled_at == when
    assert f"p:{article_id}:edit" in [b["callback_data"] for b in card.buttons]  # the edit button
    queue = await _reply_to(desk, "/queue")
    assert "تهران" in queue.text and "تهارن" not in queue.text


async def test_the_edit_button_of_a_scheduled_post_says_it_stays_scheduled(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر زمان‌دار\nمتن خبری که زمان‌بندی می‌شود.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:tm")
    await desk.server.wait_for(lambda: "زمان‌بندی شد" in _current_text(desk, choose))
    scheduled = desk.server.message(EDITOR_ID, choose.message_id)  # the old preview, now the schedule
    await _press(desk, scheduled, f"p:{article_id}:edit", lambda m: "اصلاح‌شده" in (m.text or ""))
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("خبر زمان‌دار اصلاح‌شده\nمتن تازه‌ای که زمان‌بندی‌اش می‌ماند.")
    card = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:can"), after=before)
    shown = [m.text for m in desk.server.bot_messages(EDITOR_ID) if m.message_id > before]
    assert msg.text("note_still_scheduled", msg.FA) in shown[0] and "زمان‌بندی شده" in card.text
    assert (await desk.db.get(article_id)).status == "scheduled"


async def test_editing_a_published_post_asks_before_correcting_the_channel(desk: Desk) -> None:
    before = desk.last_id(EDITOR_ID)
    sent = await desk.editor_says("جلسه شورای شهر\nجلسه شورای شهر درباره بودجه برگزار شد.")
    choose = await _choose_message(desk, before)
    article_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    await wait_status(desk, article_id, "published")
    [post] = desk.server.channel_posts()
    before = desk.last_id(EDITOR_ID)
    desk.server.user_edits_text(EDITOR_ID, sent, "جلسه شورای شهر\nجلسه شورای شهر درباره پارک‌ها برگزار شد.")
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    assert desk.server.message(desk.server.channel.id, post.message_id).history == []  # asked, not done
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:fix")
    await desk.server.wait_for(lambda: "اصلاح شد" in _current_text(desk, ask))
    edited = desk.server.message(desk.server.channel.id, post.message_id)
    assert [edited.html] == rendered("جلسه شورای شهر\nجلسه شورای شهر درباره پارک‌ها برگزار شد.")
    assert len(desk.server.channel_posts()) == 1
    # "keep" leaves the channel post alone.
    before = desk.last_id(EDITOR_ID)
    desk.server.user_edits_text(EDITOR_ID, sent, "جلسه شورای شهر\nجلسه شورای شهر درباره مترو برگزار شد.")
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:keep"), after=before)
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:keep")
    await desk.server.wait_for(lambda: "همان‌طور که بود" in _current_text(desk, ask))
    assert "پارک" in desk.server.message(desk.server.channel.id, post.message_id).text


async def test_correcting_a_post_deleted_in_the_channel_answers_in_persian(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر حذفی\nمتن خبری که دستی حذف می‌شود.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    confirmation = await desk.wait_bot_message(EDITOR_ID, lambda m: "در کانال منتشر شد" in (m.text or ""))
    [post] = desk.server.channel_posts()
    await desk.application.bot.delete_message(desk.server.channel.id, post.message_id)  # an admin, by hand
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("خبر حذفی\nمتن اصلاح‌شده.", reply_to=confirmation)
    answer = await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    assert answer.text == msg.text("edit_gone", msg.FA, article_id=article_id)


async def test_what_changed_lists_the_clean_up_in_persian(desk: Desk) -> None:
    article_id, _, choose = await send_draft(
        desk, "?سازمان همیاری شهرداریها\n?برنامهریزی پروژههای مهمترین شهرستانها"
    )
    answer = await _press(desk, choose, f"p:{article_id}:chg")
    # Five half-spaces, the headline's lost emoji dropped and the next line's made a bullet.
    assert "۷ تغییر" in answer.text and "«شهرداریها» ← «شهرداری‌ها»" in answer.text
    assert msg.text("change_half_space", msg.FA) in answer.text
    assert desk.server.message(EDITOR_ID, choose.message_id).buttons == choose.buttons  # the choices stay


# ——— drafts, queue, short and empty messages ———


async def test_drafts_lists_unpublished_drafts_with_buttons(desk: Desk) -> None:
    first, _, _ = await send_draft(desk, "پیش‌نویس یکم\nمتن پیش‌نویس یکم.")
    second, _, choose = await send_draft(desk, "پیش‌نویس دوم\nمتن پیش‌نویس دوم.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{second}:tm")  # scheduled: not a draft any more
    await desk.server.wait_for(lambda: "زمان‌بندی شد" in _current_text(desk, choose))
    drafts = await _reply_to(desk, "/drafts")
    assert "پیش‌نویس یکم" in drafts.text and "پیش‌نویس دوم" not in drafts.text
    card = await _press(desk, drafts, f"p:{first}:open", _with_button(f"p:{first}:now"))
    assert f"p:{first}:edit" in [b["callback_data"] for b in card.buttons]


@pytest.mark.parametrize("text", ["سلام", "قیمت نان", "خبر فوری امروز"])
async def test_a_short_message_asks_before_becoming_a_draft(desk: Desk, text: str) -> None:
    ask = await _reply_to(desk, text)
    assert "خیلی کوتاه" in ask.text
    assert await desk.db.get(1) is None  # nothing numbered yet
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, ask, ask.buttons[0]["callback_data"])  # "make it a draft"
    choose = await _choose_message(desk, before)
    assert (await desk.db.get(int(choose.buttons[0]["callback_data"].split(":")[1]))).title == text


async def test_an_empty_post_is_refused_with_the_reason(desk: Desk) -> None:
    for text in ("?? ?? ??", "#اخبار #ایران\n@news_test", "🔹\n•\n-"):
        answer = await _reply_to(desk, text + "\n" + text)
        assert answer.text == msg.text("refused_empty", msg.FA)
    assert await desk.db.get(1) is None
    assert desk.server.channel_posts() == []


# ——— who sees what ———


async def test_editors_start_and_help_show_the_desk(desk: Desk) -> None:
    for command in ("/start", "/help"):
        answer = await _reply_to(desk, command)
        assert "/drafts" in answer.text and "/queue" in answer.text and "/cancel" in answer.text
    # Subscribers still get the search help.
    before = desk.last_id(SUBSCRIBER_ID)
    desk.server.user_sends_text(SUBSCRIBER_ID, "/help")
    answer = await desk.wait_bot_message(SUBSCRIBER_ID, after=before)
    assert "/queue" not in answer.text and "جستجو" in answer.text


async def test_editors_help_in_english_for_an_english_client(botapi: BotApiServer, tmp_path: Path) -> None:
    english_editor = 4004
    botapi.add_user(english_editor, "Editor", "en")
    editors = frozenset({EDITOR_ID, english_editor})
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3", editor_ids=editors) as desk:
        botapi.user_sends_text(english_editor, "/help")
        answer = await desk.wait_bot_message(english_editor)
        assert answer.text.startswith("🗞 The editor desk") and "/drafts" in answer.text


async def test_editor_commands_in_a_group_show_nothing(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر محرمانهٔ صف\nمتنی که نباید در گروه دیده شود.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:tm")
    await desk.server.wait_for(lambda: "زمان‌بندی شد" in _current_text(desk, choose))
    group = desk.server.add_group(-4001)
    for command in ("/queue", "/drafts", "/delete 1", "/cancel"):
        desk.server.user_sends_text_in_group(EDITOR_ID, group.id, command)
        answer = await desk.wait_bot_message(group.id, after=desk.last_id(group.id) - 1)
        assert answer.text == msg.text("private_only", msg.FA) and not answer.buttons
    assert all("محرمانه" not in (m.text or "") for m in desk.server.bot_messages(group.id))


async def test_a_sticker_or_a_photo_without_caption_gets_an_answer(desk: Desk) -> None:
    desk.server.user(EDITOR_ID).started_bot = True
    desk.server.enqueue_update(
        "message",
        {
            "message_id": 900, "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": EDITOR_ID, "type": "private"},
            "from": desk.server.user(EDITOR_ID).to_api(),
            "sticker": {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512,
                        "height": 512, "is_animated": False, "is_video": False},
        },
    )  # fmt: skip
    answer = await desk.wait_bot_message(EDITOR_ID)
    assert answer.text == msg.text("draft_unsupported_kind", msg.FA)


# ——— notices and the schedule ———


def _published(message) -> bool:
    return "در کانال منتشر شد" in (message.text or "")


def _corrected(message) -> bool:
    return "اصلاح شد" in (message.text or "")


def _two_editors(botapi: BotApiServer) -> frozenset[int]:
    """A second editor who has written to the bot; both editors' ids."""
    botapi.add_user(SECOND_EDITOR, "دبیر دوم")
    botapi.user_sends_text(SECOND_EDITOR, "/start")
    return frozenset({EDITOR_ID, SECOND_EDITOR})


async def test_every_editor_hears_of_a_publication_with_a_link(botapi: BotApiServer, tmp_path: Path) -> None:
    editors = _two_editors(botapi)
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3", editor_ids=editors) as desk:
        article_id, _, choose = await send_draft(desk, "خبر برای همه\nمتن خبری که همه باید بدانند.")
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
        [post] = await desk.server.wait_for(lambda: desk.server.channel_posts(), timeout=10)
        link = f"https://t.me/news_test/{post.message_id}"
        for editor in (EDITOR_ID, SECOND_EDITOR):
            notice = await desk.wait_bot_message(editor, _published)
            assert link in (notice.html or "")
    async with running_desk(
        botapi, tmp_path / "author.sqlite3", editor_ids=editors, notify_editors="author"
    ) as desk:
        article_id, _, choose = await send_draft(desk, "خبر برای نویسنده\nمتن خبری فقط برای نویسنده.")
        before = desk.last_id(SECOND_EDITOR)
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
        await desk.wait_bot_message(EDITOR_ID, _published)
        await asyncio.sleep(0.3)
        assert desk.last_id(SECOND_EDITOR) == before


async def _recorded(desk: Desk, chat_id: int, notice) -> None:
    """Wait until the bot has recorded its notice `notice` in `chat_id`."""
    for _ in range(500):
        if await desk.db.find_by_notice(chat_id, notice.message_id) is not None:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"notice {notice.message_id} in chat {chat_id} was never recorded")


async def test_a_reply_to_another_editors_copy_of_the_notice_corrects_the_post(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    editors = _two_editors(botapi)
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3", editor_ids=editors) as desk:
        article_id, _, choose = await send_draft(desk, "خبر دو دبیر\nمتن نخست خبر دو دبیر.")
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
        notice = await desk.wait_bot_message(SECOND_EDITOR, _published)
        await _recorded(desk, SECOND_EDITOR, notice)  # this test is not about a fast reply (the next one is)
        before = desk.last_id(SECOND_EDITOR)
        corrected = "خبر دو دبیر\nمتن اصلاح‌شده به دست دبیر دوم."
        desk.server.user_sends_text(SECOND_EDITOR, corrected, reply_to=notice)
        assert _corrected(await desk.confirm_correction(SECOND_EDITOR, article_id, after=before))
        [post] = desk.server.channel_posts()
        assert [post.html] == rendered(corrected) and post.history  # edited in place
        assert await desk.db.list_drafts() == []  # the reply made no new draft
        # The author's copy still corrects too.
        author_notice = await desk.wait_bot_message(EDITOR_ID, _published)
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says("خبر دو دبیر\nمتن اصلاح‌شده به دست نویسنده.", reply_to=author_notice)
        assert _corrected(await desk.confirm_correction(EDITOR_ID, article_id, after=before))
        assert [desk.server.channel_posts()[0].html] == rendered("خبر دو دبیر\nمتن اصلاح‌شده به دست نویسنده.")


async def test_a_reply_faster_than_the_notices_record_corrects_the_post(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر شتاب\nمتن نخست خبر شتاب.")
    # The notice reaches the editor at once; the bot learns its message id 3 s later.
    slow = desk.server.inject_fault(
        "delay", method="sendMessage", chat_id=EDITOR_ID, hang_seconds=3, apply=True
    )
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    notice = await desk.wait_bot_message(EDITOR_ID, _published)
    assert slow.used and await desk.db.find_by_notice(EDITOR_ID, notice.message_id) is None
    [notice_call] = [call for call in desk.server.calls("sendMessage") if call.fault == "delay"]
    before = desk.last_id(EDITOR_ID)
    corrected = "خبر شتاب\nمتن اصلاح‌شدهٔ خبر شتاب."
    reply = await desk.editor_says(corrected, reply_to=notice)
    await desk.server.wait_for(lambda: desk.server.is_confirmed(reply.update_id))
    assert notice_call.status is None  # the bot has the reply before it knows the notice's id
    assert _corrected(await desk.confirm_correction(EDITOR_ID, article_id, after=before))
    [post] = desk.server.channel_posts()
    assert [post.html] == rendered(corrected)
    assert await desk.db.list_drafts() == []  # not a new draft


async def test_posts_in_the_same_minute_are_flagged_and_spaced_out(desk: Desk) -> None:
    ids = []
    for number in range(3):
        article_id, _, choose = await send_draft(desk, f"خبر هم‌زمان {number}\nمتن خبر هم‌زمان {number}.")
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:tm")
        await desk.server.wait_for(lambda choose=choose: "زمان‌بندی شد" in _current_text(desk, choose))
        ids.append(article_id)
    scheduled = desk.server.message(EDITOR_ID, choose.message_id)
    assert "هم‌دقیقه" in scheduled.text and f"p:{ids[2]}:sp" in [b["callback_data"] for b in scheduled.buttons]
    desk.server.user_presses_button(EDITOR_ID, scheduled, f"p:{ids[2]}:sp")
    await desk.server.wait_for(lambda: "۱۰ دقیقه" in _current_text(desk, scheduled))
    times = [(await desk.db.get(article_id)).scheduled_at for article_id in ids]
    assert times[1] - times[0] == timedelta(minutes=10) and times[2] - times[1] == timedelta(minutes=10)
    queue = await _reply_to(desk, "/queue")
    assert "هم‌دقیقه" not in queue.text


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("نیم ساعت دیگر", None),
        ("ده دقیقه دیگر", None),
        ("ساعت ۲ بعدازظهر", "14:00"),
        ("14.30", "14:30"),
        ("2:30", "14:30"),
    ],
)
async def test_typed_time_phrases_schedule_and_echo_the_jalali_time(
    desk: Desk, typed: str, local: str | None
) -> None:
    # The bot's clock at 12:00 Tehran today, so "2:30" means 14:30 and the afternoon is ahead.
    now = datetime.now(UTC)
    noon = datetime.now(TEHRAN).replace(hour=12, minute=0, second=0, microsecond=0).astimezone(UTC)
    desk.clock.offset = noon - now
    article_id, _, choose = await send_draft(desk, "خبر زمان‌دار\nمتن خبر برای آزمون عبارت زمان.")
    await _pick_time(desk, article_id, choose)
    answer = await _reply_to(desk, typed)
    article = await wait_status(desk, article_id, "scheduled")
    assert msg.when(article.scheduled_at, TEHRAN, msg.FA) in answer.text
    if local is not None:
        assert article.scheduled_at.astimezone(TEHRAN).strftime("%H:%M") == local
    else:
        minutes = 30 if typed.startswith("نیم") else 10
        expected = desk.clock() + timedelta(minutes=minutes)
        assert abs(article.scheduled_at - expected) < timedelta(seconds=15)


async def test_english_subscriber_is_not_an_editor(desk: Desk) -> None:
    before = desk.last_id(ENGLISH_SUBSCRIBER_ID)
    desk.server.user_sends_text(ENGLISH_SUBSCRIBER_ID, "/drafts")
    answer = await desk.wait_bot_message(ENGLISH_SUBSCRIBER_ID, after=before)
    assert answer.text == msg.text("not_editor", msg.EN)
