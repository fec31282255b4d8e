"""A history per post (issue 20): every channel write leaves a trace, and `/history` shows it, in Persian,
with the editor and the bot's own clock. Also the structure check: every write the emulator saw the bot
make to the channel in these flows (publish, corrections to more and fewer messages, a file replaced,
a deletion, a refused publication taken back) is in the history table, under its kind."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import messages as msg
from bot.botapi.server import BotApiServer
from bot.core.history import Act
from bot.core.links import post_link
from tests.botapi.fixtures import EDITOR_ID, SUBSCRIBER_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import _with_button, recorded_notice, send_draft, wait_article
from tests.e2e.test_e2e_live_safety import _paragraphs, _published, rendered
from tests.e2e.test_e2e_media import _preview
from tests.e2e.test_e2e_media import _publish as _publish_media

TEHRAN = ZoneInfo("Asia/Tehran")
APP_CLOCK_AHEAD = timedelta(days=400, hours=5)  # the bot's clock, far from the machine's
_READS = {"getchat", "getchatmember", "getchatadministrators", "getchatmembercount"}


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as running:
        running.clock.offset = APP_CLOCK_AHEAD
        yield running


def _channel_writes(desk: Desk) -> dict[str, set[int]]:
    """Every write the bot made to the channel that Telegram took, by kind, from the emulator's log."""
    channel = {"@news_test", str(desk.server.channel.id)}
    writes: dict[str, set[int]] = {"sent": set(), "edited": set(), "deleted": set(), "other": set()}
    for call in desk.server.calls():
        method = call.method.lower()
        if not call.ok or str(call.params.get("chat_id")) not in channel or method in _READS:
            continue
        if method.startswith(("send", "copy", "forward")):
            result = call.response["result"]
            writes["sent"] |= {m["message_id"] for m in (result if isinstance(result, list) else [result])}
        elif method.startswith("edit"):
            writes["edited"].add(int(call.params["message_id"]))
        elif method == "deletemessage":
            writes["deleted"].add(int(call.params["message_id"]))
        else:  # a pin, a reaction, several deleted at once…: a write no history entry can name
            writes["other"].add(int(call.params.get("message_id") or 0))
    return writes


async def assert_every_channel_write_is_traced(desk: Desk, article_ids: list[int]) -> None:
    """The structure check: no channel write outside the recording path (bot.publishing.history)."""
    traced: dict[str, set[int]] = {"sent": set(), "edited": set(), "deleted": set(), "other": set()}
    for article_id in article_ids:
        for entry in await desk.db.history_of(article_id):
            traced["sent"] |= set(entry.writes.sent)
            traced["edited"] |= set(entry.writes.edited)
            traced["deleted"] |= set(entry.writes.deleted)
    written = _channel_writes(desk)
    assert written["sent"], "the flow wrote nothing: the check would prove nothing"
    for kind, message_ids in written.items():
        assert message_ids <= traced[kind], f"{kind} without a trace: {sorted(message_ids - traced[kind])}"


async def _history(desk: Desk, command: str, *, reply_to=None, user: int = EDITOR_ID):
    """Send /history …; the bot's answer."""
    before = desk.last_id(user)
    if user == EDITOR_ID:
        await desk.editor_says(command, reply_to=reply_to)
    else:
        desk.server.user_sends_text(user, command)
    return await desk.wait_bot_message(user, after=before)


async def test_publish_correct_delete_then_history_shows_the_three(desk: Desk) -> None:
    text = "جلسه شورای شهر\nجلسه شورای شهر دربارهٔ بودجهٔ سال آینده برگزار شد."
    article_id, notice = await _published(desk, text)
    [post] = desk.server.channel_posts()
    desk.clock.advance(timedelta(minutes=7))
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(text.replace("بودجهٔ سال آینده", "پارک‌های شهر"), reply_to=notice)
    await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    desk.clock.advance(timedelta(minutes=9))
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/delete", reply_to=notice)
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:rmy"), after=before)
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:rmy")
    await wait_article(desk, article_id, lambda article: article.deleted)

    entries = await desk.db.history_of(article_id)
    assert [entry.act for entry in entries] == [Act.PUBLISHED, Act.CORRECTED, Act.DELETED]
    assert all(entry.editor_id == EDITOR_ID and entry.editor_name == "سردبیر" for entry in entries)
    assert entries[0].writes.sent == [post.message_id] and entries[0].ring is True
    assert entries[1].writes.edited == [post.message_id]
    assert (entries[1].removed, entries[1].added) == (("بودجهٔ", "سال", "آینده"), ("پارک‌های", "شهر"))
    assert entries[2].writes.deleted == [post.message_id]
    # The times are the bot's clock (400 days ahead of the machine's), 7 and 9 minutes apart.
    for entry in entries:
        assert abs(entry.at - desk.clock()) < timedelta(minutes=17)
    assert timedelta(minutes=7) <= entries[1].at - entries[0].at < timedelta(minutes=8)

    # Asked three ways: in reply to the notice, by the number as the desk shows it, by the post's link.
    link = post_link("@news_test", post.message_id)
    for command, reply_to in (("/history", notice), (f"/history #{msg.fa_digits(article_id)}", None),
                              (f"/history {link}", None)):  # fmt: skip
        shown = await _history(desk, command, reply_to=reply_to)
        assert msg.text("history_title", msg.FA, article_id=article_id, title="جلسه شورای شهر") in shown.text
        lines = shown.text.split("\n")
        for entry in entries:
            assert (
                f"🕓 {msg.when(entry.at, TEHRAN, msg.FA)} — سردبیر (شناسهٔ {msg.fa_digits(EDITOR_ID)})"
                in lines
            )
        assert msg.text("history_published", msg.FA, ring=msg.text("history_ring", msg.FA), sent=1) in lines
        assert msg.text("history_corrected", msg.FA, edited=1, sent=0, deleted=0) in lines
        assert msg.text("correct_removed", msg.FA, words="بودجهٔ سال آینده") in lines
        assert msg.text("correct_added", msg.FA, words="پارک‌های شهر") in lines
        assert msg.text("history_deleted", msg.FA, deleted=1) in lines
        assert not shown.buttons  # three acts: one page
    await assert_every_channel_write_is_traced(desk, [article_id])


async def test_history_of_an_unknown_post_and_for_a_non_editor(desk: Desk) -> None:
    article_id, _ = await _published(desk, "خبر نخست\nجلسه شورای شهر دربارهٔ بودجه برگزار شد.")
    usage = msg.text("refused_history_usage", msg.FA)
    for command in ("/history", "/history 999", "/history https://t.me/news_test/999",
                    "/history https://t.me/another_channel/1", "/history فردا"):  # fmt: skip
        assert (await _history(desk, command)).html == usage, command
    # A draft never sent has a history with nothing in it yet.
    draft_id, _, _ = await send_draft(desk, "پیش‌نویس تازه\nمتنی که هنوز به کانال نرفته است.")
    shown = await _history(desk, f"/history {draft_id}")
    assert shown.text == msg.text("history_empty", msg.FA, article_id=draft_id, title="پیش‌نویس تازه")
    # A subscriber sees nothing of it: neither the command nor a forged page button.
    refusal = await _history(desk, f"/history {article_id}", user=SUBSCRIBER_ID)
    assert refusal.text == msg.text("not_editor", msg.FA)
    record = desk.server.user_sends_callback(SUBSCRIBER_ID, f"p:{article_id}:hp:0", refusal)
    await desk.server.wait_for(lambda: record.answer, timeout=10)
    assert record.answer.get("show_alert") and record.answer["text"] == msg.text("not_editor", msg.FA)
    assert all("تاریخچه" not in (m.text or "") for m in desk.server.bot_messages(SUBSCRIBER_ID))


async def test_corrections_to_more_and_fewer_messages_and_a_long_history_in_pages(desk: Desk) -> None:
    long_text = "گزارش بلند مسکن\n" + _paragraphs(40, "مسکن")
    article_id, notice = await _published(desk, long_text)
    for count in (3, 70, 3, 70):  # fewer messages (one deleted), more (two sent as replies)…
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says("گزارش بلند مسکن\n" + _paragraphs(count, "بازار"), reply_to=notice)
        await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    live = [m for m in desk.server.channel_posts() if not m.deleted]
    assert [m.html for m in live] == rendered("گزارش بلند مسکن\n" + _paragraphs(70, "بازار"))
    entries = await desk.db.history_of(article_id)
    assert [entry.act for entry in entries] == [Act.PUBLISHED] + [Act.CORRECTED] * 4
    assert [(len(e.writes.sent), len(e.writes.deleted)) for e in entries[1:]] == [
        (0, 1),
        (2, 0),
        (0, 2),
        (2, 0),
    ]
    # Five acts fit a page; a sixth (the deletion) opens a second one.
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(f"/delete {article_id}")
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:rmy"), after=before)
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:rmy")
    await wait_article(desk, article_id, lambda article: article.deleted)
    entries = await desk.db.history_of(article_id)
    first = await _history(desk, "/history", reply_to=notice)
    assert msg.text("history_page", msg.FA, first=1, last=5, total=6) in first.text
    assert msg.text("history_deleted", msg.FA, deleted=3) not in first.text
    assert [b["callback_data"] for b in first.buttons] == [f"p:{article_id}:hp:1"]
    desk.server.user_presses_button(EDITOR_ID, first, f"p:{article_id}:hp:1")
    second = await desk.server.wait_for(
        lambda: (m := desk.server.message(EDITOR_ID, first.message_id)) and "۶ تا ۶" in (m.text or "") and m
    )
    assert msg.text("history_deleted", msg.FA, deleted=3) in second.text
    assert [b["callback_data"] for b in second.buttons] == [f"p:{article_id}:hp:0"]
    await assert_every_channel_write_is_traced(desk, [article_id])


async def test_a_replaced_file_is_traced_with_its_place(desk: Desk) -> None:
    caption = "نمایشگاه کتاب\nنمایشگاه کتاب تهران با حضور وزیر گشایش یافت."
    article_id, _, choose = await _preview(
        desk, lambda: desk.server.user_sends_media(EDITOR_ID, "photo", b"old", caption=caption)
    )
    (post,) = await _publish_media(desk, article_id, choose)
    notice = await recorded_notice(desk, article_id)
    before = desk.last_id(EDITOR_ID)
    desk.server.user_sends_media(EDITOR_ID, "photo", b"new", reply_to=notice)
    await desk.confirm_correction(EDITOR_ID, article_id, after=before)  # proposed, applied on ✅
    published, media = await desk.db.history_of(article_id)
    assert published.act is Act.PUBLISHED and published.writes.sent == [post.message_id]
    assert media.act is Act.MEDIA and media.writes.edited == [post.message_id] and media.items == (1,)
    assert media.editor_id == EDITOR_ID and media.complete
    shown = await _history(desk, "/history", reply_to=notice)
    assert msg.text("history_media", msg.FA, items=msg.fa_digits(1)) in shown.text.split("\n")
    await assert_every_channel_write_is_traced(desk, [article_id])
