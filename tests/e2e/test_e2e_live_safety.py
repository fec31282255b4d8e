"""A live channel is never hurt by accident (issue 20): a reply to a "published" notice is a proposed
correction, shown exactly as it would stand with the words it changes, and applied only on ✅ — also
when it changes how many messages the post takes, and across a restart."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import messages as msg
from bot.botapi.server import BotApiServer
from bot.text.draft import parse_draft
from bot.text.render import render_post
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import (
    _choose_message,
    _with_button,
    recorded_notice,
    send_draft,
    wait_article,
)

SIGNATURE = "🆔 @news_test"
TEHRAN = ZoneInfo("Asia/Tehran")


def _paragraphs(count: int, topic: str) -> str:
    return "\n\n".join(
        f"بند {i} دربارهٔ {topic}: کارشناسان می‌گویند بازار مسکن در ماه‌های آینده آرام‌تر خواهد شد و "
        f"خریداران تا روشن شدن نرخ وام صبر می‌کنند."
        for i in range(1, count + 1)
    )


def rendered(text: str) -> list[str]:
    return render_post(parse_draft(text), bullet="🔹", signature=SIGNATURE)


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as running:
        yield running


@pytest.fixture
async def night_desk(botapi: BotApiServer, tmp_path: Path):
    """A desk with the default quiet hours, 23:00–07:00 in Tehran."""
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", quiet_hours=(time(23), time(7))
    ) as running:
        yield running


async def _published(desk: Desk, text: str) -> tuple[int, object]:
    """Publish `text` now; the post's id and its "published" notice."""
    article_id, _, choose = await send_draft(desk, text)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    return article_id, await recorded_notice(desk, article_id)


def _channel_writes(desk: Desk) -> int:
    """Edits and deletions the bot asked of the channel (not of the editor's chat)."""
    channel = ("@news_test", str(desk.server.channel.id))
    return sum(
        str(call.params.get("chat_id")) in channel
        for method in ("editMessageText", "editMessageCaption", "deleteMessage", "editMessageMedia")
        for call in desk.server.calls(method)
    )


async def test_a_reply_okay_to_the_notice_leaves_the_channel_untouched(desk: Desk) -> None:
    text = "جلسه شورای شهر\nجلسه شورای شهر دربارهٔ بودجهٔ سال آینده برگزار شد."
    article_id, notice = await _published(desk, text)
    [post] = desk.server.channel_posts()
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("باشه", reply_to=notice)
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:keep"), after=before)
    shown = [m.text for m in desk.server.bot_messages(EDITOR_ID) if before < m.message_id <= ask.message_id]
    assert msg.text("ask_correct_short", msg.FA).split(":")[0] in shown[0]  # note or correction?
    assert _channel_writes(desk) == 0 and desk.server.message(post.chat.id, post.message_id).history == []
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:keep")
    await desk.server.wait_for(
        lambda: "همان‌طور که بود" in (desk.server.message(EDITOR_ID, ask.message_id).text)
    )
    assert [desk.server.message(post.chat.id, post.message_id).html] == rendered(text)
    assert (await desk.db.get(article_id)).html == rendered(text)  # the archive did not follow either
    assert _channel_writes(desk) == 0


async def test_a_reply_shows_the_corrected_post_and_its_words_before_it_is_applied(desk: Desk) -> None:
    article_id, notice = await _published(desk, "سیل در گیلان\nباران شدید در رشت خسارت زد.")
    [post] = desk.server.channel_posts()
    before = desk.last_id(EDITOR_ID)
    corrected = "سیل در گیلان\nباران شدید در لاهیجان و رشت خسارت سنگین زد."
    await desk.editor_says(corrected, reply_to=notice)
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    shown = [m for m in desk.server.bot_messages(EDITOR_ID) if before < m.message_id < ask.message_id]
    assert [m.html for m in shown[1:]] == rendered(corrected)  # exactly as it would stand
    assert "➕" in ask.text and "لاهیجان" in ask.text and "سنگین" in ask.text and "➖" not in ask.text
    assert _channel_writes(desk) == 0
    done = await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    assert done.text == msg.text("edited", msg.FA, article_id=article_id)
    assert [desk.server.message(post.chat.id, post.message_id).html] == rendered(corrected)


async def test_a_two_message_post_is_corrected_to_fewer_and_to_more_messages(desk: Desk) -> None:
    long_text = "گزارش بلند مسکن\n" + _paragraphs(40, "مسکن")
    assert len(rendered(long_text)) == 2
    article_id, notice = await _published(desk, long_text)
    first, second = desk.server.channel_posts()
    # Shorter: one message; the surplus message is deleted from the channel, said before ✅.
    before = desk.last_id(EDITOR_ID)
    short = "گزارش بلند مسکن\n" + _paragraphs(3, "مسکن")
    await desk.editor_says(short, reply_to=notice)
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    assert msg.text("correct_fewer_parts", msg.FA, new=1, old=2, extra=1) in ask.text
    assert _channel_writes(desk) == 0
    await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    assert desk.server.message(second.chat.id, second.message_id).deleted
    assert [desk.server.message(first.chat.id, first.message_id).html] == rendered(short)
    article = await desk.db.get(article_id)
    assert article.channel_message_ids == [first.message_id] and article.html == rendered(short)
    # Longer: three messages; the extra ones go out as replies to the post.
    before = desk.last_id(EDITOR_ID)
    longer = "گزارش بلند مسکن\n" + _paragraphs(70, "بازار")
    expected = rendered(longer)
    assert len(expected) == 3
    await desk.editor_says(longer, reply_to=notice)
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    assert msg.text("correct_more_parts", msg.FA, new=3, old=1, extra=2) in ask.text
    await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    live = [m for m in desk.server.channel_posts() if not m.deleted]
    assert [m.html for m in live] == expected
    assert all(m.reply_to is not None and m.reply_to.message_id == first.message_id for m in live[1:])
    article = await desk.db.get(article_id)
    assert article.channel_message_ids == [m.message_id for m in live] and article.html == expected


async def test_a_correction_awaiting_its_confirmation_survives_a_restart_unapplied(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    text = "نرخ ارز\nنرخ ارز امروز در بازار تهران ثابت ماند."
    corrected = "نرخ ارز\nنرخ ارز امروز در بازار تهران اندکی بالا رفت."
    async with running_desk(botapi, path) as desk:
        article_id, notice = await _published(desk, text)
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says(corrected, reply_to=notice)
        ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    [post] = botapi.channel_posts()
    async with running_desk(botapi, path) as desk:
        assert [desk.server.message(post.chat.id, post.message_id).html] == rendered(text)  # nothing applied
        assert _channel_writes(desk) == 0
        desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:fix")
        await desk.server.wait_for(lambda: not desk.server.message(EDITOR_ID, ask.message_id).buttons)
        assert [desk.server.message(post.chat.id, post.message_id).html] == rendered(corrected)


async def test_an_edit_of_the_draft_during_its_send_is_only_proposed(desk: Desk) -> None:
    """The editor edits the message a post was made from while the post is on its way: the post goes
    out as previewed, and the edit waits for ✅ like a reply would (it used to correct the channel)."""
    original = "خبر مسابقه\nمتن نخست خبر مسابقه."
    before = desk.last_id(EDITOR_ID)
    sent = await desk.editor_says(original)
    choose = await _choose_message(desk, before)
    article_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    slow = desk.server.inject_fault(
        "delay", method="sendMessage", chat_id=desk.server.channel.id, hang_seconds=1.5
    )
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    await desk.server.wait_for(lambda: slow.used)  # the send is on its way, slowly
    assert (await desk.db.get(article_id)).status == "publishing"
    before = desk.last_id(EDITOR_ID)
    edited = "خبر مسابقه\nمتن اصلاح‌شدهٔ خبر مسابقه."
    desk.server.user_edits_text(EDITOR_ID, sent, edited)
    fix = _with_button(f"p:{article_id}:fix")
    ask = await desk.wait_bot_message(EDITOR_ID, fix, after=before, timeout=15)
    assert "اصلاح‌شدهٔ" in ask.text  # the words it puts in
    [post] = desk.server.channel_posts()
    assert [post.html] == rendered(original) and _channel_writes(desk) == 0  # out as previewed, untouched
    assert (await desk.db.get(article_id)).html == rendered(original)
    # Edited again once it is out: proposed again (the newer proposal is the one ✅ applies).
    before = desk.last_id(EDITOR_ID)
    again = "خبر مسابقه\nمتن دوباره اصلاح‌شدهٔ خبر مسابقه."
    desk.server.user_edits_text(EDITOR_ID, sent, again)
    await desk.wait_bot_message(EDITOR_ID, fix, after=before, timeout=15)
    assert _channel_writes(desk) == 0
    done = await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    assert done.text == msg.text("edited", msg.FA, article_id=article_id)
    assert [desk.server.message(post.chat.id, post.message_id).html] == rendered(again)
    channel = ("@news_test", str(desk.server.channel.id))
    sends = [c for c in desk.server.calls("sendMessage") if str(c.params.get("chat_id")) in channel]
    assert len(sends) == 1 and _channel_writes(desk) == 1  # sent once, edited once
    assert (await desk.db.get(article_id)).html == rendered(again)


CAPTION = "خبر تصویری\nوزیر امروز از نمایشگاه کتاب تهران بازدید کرد."


async def _published_media(desk: Desk, send) -> tuple[int, object, list]:
    """The editor sends a file or an album (`send`), publishes it now; its id, notice, channel posts."""
    before = desk.last_id(EDITOR_ID)
    send()
    choose = await _choose_message(desk, before)
    article_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    notice = await recorded_notice(desk, article_id)
    return article_id, notice, desk.server.channel_posts()


def _channel_file_edits(desk: Desk) -> int:
    channel = ("@news_test", str(desk.server.channel.id))
    return sum(str(call.params.get("chat_id")) in channel for call in desk.server.calls("editMessageMedia"))


async def test_a_photo_in_reply_changes_nothing_until_confirmed_then_replaces_once(desk: Desk) -> None:
    article_id, notice, [post] = await _published_media(
        desk, lambda: desk.server.user_sends_media(EDITOR_ID, "photo", b"old jpeg", caption=CAPTION)
    )
    old_file = post.media.file_id
    before = desk.last_id(EDITOR_ID)
    corrected = CAPTION.replace("بازدید کرد", "بازدید و با ناشران گفتگو کرد")
    new = desk.server.user_sends_media(EDITOR_ID, "photo", b"new jpeg", caption=corrected, reply_to=notice)
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    # The post as it would stand: the new photo with the corrected caption; what changes, said.
    mine = desk.server.bot_messages(EDITOR_ID)
    [intro, shown] = [m for m in mine if before < m.message_id < ask.message_id]
    assert msg.text("ask_correct_intro", msg.FA, article_id=article_id) == intro.text
    assert shown.media.file_id == new.media.file_id and [shown.html] == rendered(corrected)
    assert msg.text("correct_file", msg.FA, kind=msg.text("media_photo", msg.FA)) in ask.text
    assert "➕" in ask.text and "ناشران" in ask.text
    # Nothing reached the channel, nor the archive.
    assert _channel_writes(desk) == 0
    assert desk.server.message(post.chat.id, post.message_id).media.file_id == old_file
    assert (await desk.db.get(article_id)).media[0].file_id == old_file
    done = await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    assert done.text == msg.text("edited", msg.FA, article_id=article_id)
    now = desk.server.message(post.chat.id, post.message_id)
    assert now.media.file_id == new.media.file_id and [now.html] == rendered(corrected)
    assert _channel_file_edits(desk) == 1
    # ✅ pressed again (an old button): refused, nothing replaced twice.
    again = desk.server.user_sends_callback(EDITOR_ID, f"p:{article_id}:fix", ask)
    stale = msg.text("refused_stale_button", msg.FA, article_id=article_id)

    def refused() -> bool:  # said in place of the question, or as the button's alert
        shown = desk.server.message(EDITOR_ID, ask.message_id).text
        return stale in (shown, (again.answer or {}).get("text"))

    await desk.server.wait_for(refused)
    assert _channel_file_edits(desk) == 1
    article = await desk.db.get(article_id)
    assert article.media[0].file_id == new.media.file_id and "ناشران" in article.body


async def test_an_album_in_reply_is_proposed_kept_or_confirmed_once(desk: Desk) -> None:
    items = [("photo", b"a"), ("video", b"b"), ("photo", b"c")]
    article_id, notice, posted = await _published_media(
        desk, lambda: desk.server.user_sends_album(EDITOR_ID, items, caption=CAPTION)
    )
    original = [m.media.file_id for m in posted]
    caption_html = posted[0].html

    async def propose(content: bytes) -> tuple[list, object, int]:
        before = desk.last_id(EDITOR_ID)
        sent = desk.server.user_sends_album(
            EDITOR_ID, [("photo", content + b"1"), ("video", content + b"2"), ("photo", content + b"3")],
            reply_to=notice,
        )  # fmt: skip
        ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
        return sent, ask, before

    sent, ask, before = await propose(b"kept")
    shown = [m for m in desk.server.bot_messages(EDITOR_ID) if before < m.message_id < ask.message_id][1:]
    assert [m.media.file_id for m in shown] == [m.media.file_id for m in sent]  # the album as it would stand
    assert len({m.media_group_id for m in shown}) == 1 and shown[0].html == caption_html
    places = msg.text("correct_album_files", msg.FA, places="۱، ۲، ۳", count=3)
    assert places in ask.text and msg.text("correct_text_kept", msg.FA) in ask.text and "➖" not in ask.text
    assert _channel_writes(desk) == 0
    # ✖️ keeps the post: the channel stays as it was.
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:keep")
    await desk.server.wait_for(lambda: not desk.server.message(EDITOR_ID, ask.message_id).buttons)
    assert [desk.server.message(m.chat.id, m.message_id).media.file_id for m in posted] == original
    assert _channel_writes(desk) == 0
    # Another album, confirmed: each item replaced once, the caption kept on the first.
    sent, ask, before = await propose(b"new")
    await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    now = [desk.server.message(m.chat.id, m.message_id) for m in posted]
    assert [m.media.file_id for m in now] == [m.media.file_id for m in sent]
    assert now[0].html == caption_html and _channel_file_edits(desk) == 3
    assert [item.file_id for item in (await desk.db.get(article_id)).media] == [m.media.file_id for m in sent]


async def test_a_new_photo_awaiting_its_confirmation_survives_a_restart_unapplied(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    async with running_desk(botapi, path) as desk:
        article_id, notice, [post] = await _published_media(
            desk, lambda: desk.server.user_sends_media(EDITOR_ID, "photo", b"old jpeg", caption=CAPTION)
        )
        before = desk.last_id(EDITOR_ID)
        new = desk.server.user_sends_media(EDITOR_ID, "photo", b"new jpeg", reply_to=notice)
        ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    async with running_desk(botapi, path) as desk:
        assert desk.server.message(post.chat.id, post.message_id).media.file_id == post.media.file_id
        assert _channel_writes(desk) == 0  # nothing applied by the restart
        desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:fix")
        await desk.server.wait_for(lambda: not desk.server.message(EDITOR_ID, ask.message_id).buttons)
        now = desk.server.message(post.chat.id, post.message_id)
        assert now.media.file_id == new.media.file_id and now.html == post.html  # the caption stays
        assert _channel_file_edits(desk) == 1 and _channel_writes(desk) == 1


async def test_a_pasted_back_correction_is_signed_and_credited_once(desk: Desk) -> None:
    text = "بازدید وزیر\nوزیر فرهنگ امروز از نمایشگاه کتاب بازدید کرد."
    article_id, notice = await _published(desk, text)
    [post] = desk.server.channel_posts()
    assert post.text.endswith(SIGNATURE)
    # The natural way to correct: copy the channel post as it reads, fix a word, reply with it.
    pasted = post.text.replace("امروز", "صبح امروز")
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(pasted, reply_to=notice)
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    shown = [m for m in desk.server.bot_messages(EDITOR_ID) if before < m.message_id < ask.message_id]
    assert [m.text.count("@news_test") for m in shown[1:]] == [1]
    await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    now = desk.server.message(post.chat.id, post.message_id)
    assert now.text.count("@news_test") == 1 and "صبح امروز" in now.text
    assert "news_test" not in (await desk.db.get(article_id)).body  # the archive keeps the words only


async def test_a_channel_post_sent_back_as_a_new_draft_previews_signed_once(desk: Desk) -> None:
    await _published(desk, "قیمت نان\nقیمت نان در تهران از فردا ده درصد گران می‌شود.")
    [post] = desk.server.channel_posts()
    _, preview, _ = await send_draft(desk, post.text)
    assert [part.count("@news_test") for part in preview] == [1]
    assert preview == rendered("قیمت نان\nقیمت نان در تهران از فردا ده درصد گران می‌شود.")


def _to_tehran(desk: Desk, hour: int, minute: int) -> None:
    """Move the desk's clock forward to the next `hour:minute` in Tehran (quiet hours: 23:00–07:00)."""
    now = desk.clock()
    local = now.astimezone(TEHRAN)
    target = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    desk.clock.advance(target - local)


async def test_an_urgent_draft_at_half_past_eleven_at_night_rings(night_desk: Desk) -> None:
    desk = night_desk
    _to_tehran(desk, 23, 30)
    article_id, _, choose = await send_draft(desk, "فوری | انفجار در پالایشگاه\nانفجاری در پالایشگاه رخ داد.")
    assert msg.text("ring_loud", msg.FA) in choose.text  # the preview says it rings
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    notice = await recorded_notice(desk, article_id)
    [post] = desk.server.channel_posts()
    assert post.disable_notification is False
    assert msg.text("ring_loud", msg.FA) in notice.text  # the notice says it rang


async def test_publish_now_in_quiet_hours_is_silent_unless_the_editor_rings(night_desk: Desk) -> None:
    desk = night_desk
    _to_tehran(desk, 23, 1)
    article_id, _, choose = await send_draft(desk, "نرخ ارز\nنرخ ارز در بازار تهران ثابت ماند.")
    assert msg.text("ring_quiet", msg.FA) in choose.text
    buttons = [b["callback_data"] for b in choose.buttons]
    assert f"p:{article_id}:ring" in buttons
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:ring")
    rang = await desk.server.wait_for(
        lambda: (
            (m := desk.server.message(EDITOR_ID, choose.message_id))
            and msg.text("ring_loud", msg.FA) in m.text
            and m
        ),
        timeout=15,
    )
    assert [b["callback_data"] for b in rang.buttons] == buttons  # the same message keeps its buttons
    desk.server.user_presses_button(EDITOR_ID, rang, f"p:{article_id}:ring")  # and back to 🔕
    await desk.server.wait_for(
        lambda: msg.text("ring_silent", msg.FA) in desk.server.message(EDITOR_ID, choose.message_id).text,
        timeout=15,
    )
    desk.server.user_presses_button(EDITOR_ID, rang, f"p:{article_id}:now")
    await recorded_notice(desk, article_id)
    [post] = desk.server.channel_posts()
    assert post.disable_notification is True


async def test_a_scheduled_post_can_be_marked_to_ring_and_queue_says_so(night_desk: Desk) -> None:
    desk = night_desk
    article_id, _, choose = await send_draft(desk, "گزارش شبانه\nگزارش شبانهٔ بازار که فردا صبح منتشر می‌شود.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:tn")  # tonight 21:00: not quiet
    await wait_article(desk, article_id, lambda a: a.status == "scheduled")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:ring")  # 🔔 ⇄ 🔕: now 🔕
    await wait_article(desk, article_id, lambda a: a.ring is False)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:ring")
    await wait_article(desk, article_id, lambda a: a.ring is True)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/queue")
    listing = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert any("🔔" in b["text"] and f"p:{article_id}:open" == b["callback_data"] for b in listing.buttons)


async def test_a_twenty_message_post_needs_a_second_confirmation(desk: Desk) -> None:
    long_text = "گزارش بسیار بلند\n" + _paragraphs(600, "بودجه")
    expected = rendered(long_text)
    assert len(expected) >= 20
    article_id, preview, choose = await send_draft(desk, long_text)
    assert len(preview) == len(expected)
    assert msg.text("flood_warning", msg.FA, messages=len(expected), limit=3) in choose.text
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    ask = await desk.wait_bot_message(
        EDITOR_ID, _with_button(f"p:{article_id}:all"), after=before, timeout=15
    )
    assert [b["callback_data"] for b in ask.buttons] == [f"p:{article_id}:all", f"p:{article_id}:edit"]
    assert desk.server.channel_posts() == []  # one tap did not flood the channel
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:all")
    await wait_article(desk, article_id, lambda a: a.status == "published", timeout=60)
    assert [m.html for m in desk.server.channel_posts()] == expected
