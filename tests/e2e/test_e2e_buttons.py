"""Old buttons never overwrite useful messages (issue 20): a stale or impossible action is a callback
alert and leaves the message under it exactly as it was (text, link, buttons); a button that edits a
control message keeps the message's other buttons."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path

import pytest

from bot import messages as msg
from bot.botapi.server import BotApiServer
from bot.desk.callbacks import KEYED, Action, Button
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import _current_text, _with_button, recorded_notice, send_draft, wait_article

# Buttons that name no post's state, or only show it: they are never stale (a card of a deleted post
# says it is deleted; "no" dismisses whatever it is on). Every other action on a deleted post is.
SHOWS_ONLY = {
    Action.OPEN,
    Action.CHANGES,
    Action.CHANGES_PAGE,
    Action.DISMISS,
    Action.QUEUE_PAGE,
    Action.DRAFTS_PAGE,
    Action.HISTORY_PAGE,
}


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as running:
        yield running


def _as_it_stands(desk: Desk, message) -> tuple:
    """What the editor sees of a message: its text with its link, its buttons, its edits."""
    now = desk.server.message(message.chat.id, message.message_id)
    return now.html, now.text, copy.deepcopy(now.reply_markup), len(now.history), now.deleted


async def _alerts(desk: Desk, message, data: list[str]) -> list[dict]:
    """Press each button data on `message` (as a client with an old message would); their answers."""
    records = [desk.server.user_sends_callback(EDITOR_ID, one, message) for one in data]
    await desk.server.wait_for(lambda: all(r.answer for r in records), timeout=20)
    return [r.answer for r in records]


async def test_a_stale_delete_on_a_deleted_posts_notice_alerts_and_leaves_the_notice(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر رفتنی\nمتن خبری که از کانال حذف می‌شود.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    notice = await recorded_notice(desk, article_id)
    assert "t.me/" in notice.html
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/delete", reply_to=notice)
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:rmy"), after=before)
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:rmy")
    await wait_article(desk, article_id, lambda article: article.deleted)
    assert desk.server.channel_posts() == []
    seen = _as_it_stands(desk, notice)
    last = desk.last_id(EDITOR_ID)

    [answer] = await _alerts(desk, notice, [f"p:{article_id}:rm"])  # the notice's own 🗑, pressed again
    assert answer["show_alert"] and "حذف" in answer["text"]
    assert _as_it_stands(desk, notice) == seen  # text, link and 🗑 as they were
    # Every action that changes a post, on the notice of the deleted one: each an alert, nothing else.
    stale = [
        Button(action, article_id, key="bale" if action in KEYED else "").encode()
        for action in Action
        if action not in SHOWS_ONLY
    ]
    answers = await _alerts(desk, notice, stale)
    assert all(a.get("show_alert") and a.get("text") for a in answers), answers
    assert _as_it_stands(desk, notice) == seen and _as_it_stands(desk, ask)[3] == 1  # ask: its one edit
    assert desk.last_id(EDITOR_ID) == last  # no message sent instead
    assert desk.server.channel_posts() == [] and (await desk.db.get(article_id)).deleted


async def test_a_published_posts_old_preview_buttons_alert_and_stay(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, "خبر منتشرشده\nمتن خبری که پیش‌تر منتشر شد.")
    seen_before = _as_it_stands(desk, choose)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    await recorded_notice(desk, article_id)
    await desk.server.wait_for(lambda: "منتشر شد" in _current_text(desk, choose))
    seen = _as_it_stands(desk, choose)
    assert seen != seen_before and not seen[2]  # «published» in place of the choices
    # An old copy of the preview (as another client still shows it): its buttons are stale now.
    for data in (f"p:{article_id}:h1", f"p:{article_id}:del", f"p:{article_id}:pick", f"p:{article_id}:ring"):
        [answer] = await _alerts(desk, choose, [data])
        assert answer["show_alert"] and msg.fa_digits(str(article_id)) in answer["text"]
    assert _as_it_stands(desk, choose) == seen
    assert len(desk.server.channel_posts()) == 1


async def test_space_them_out_keeps_the_messages_other_buttons(desk: Desk) -> None:
    ids = []
    for number in range(3):
        article_id, _, choose = await send_draft(desk, f"خبر هم‌زمان {number}\nمتن خبر هم‌زمان {number}.")
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:tm")
        await desk.server.wait_for(lambda choose=choose: "زمان‌بندی شد" in _current_text(desk, choose))
        ids.append(article_id)
    scheduled = desk.server.message(EDITOR_ID, choose.message_id)
    others = [b["callback_data"] for b in scheduled.buttons if b["callback_data"] != f"p:{ids[2]}:sp"]
    assert {f"p:{ids[2]}:{a}" for a in ("now", "pick", "edit", "can")} <= set(others)
    desk.server.user_presses_button(EDITOR_ID, scheduled, f"p:{ids[2]}:sp")
    await desk.server.wait_for(lambda: "۱۰ دقیقه" in _current_text(desk, scheduled))
    after = desk.server.message(EDITOR_ID, scheduled.message_id)
    assert [b["callback_data"] for b in after.buttons] == others  # all but the one pressed
    times = [(await desk.db.get(article_id)).scheduled_at for article_id in ids]
    assert times[2] - times[0] == timedelta(minutes=20)
    # The kept buttons still work: cancel from the same message.
    desk.server.user_presses_button(EDITOR_ID, after, f"p:{ids[2]}:can")
    await desk.server.wait_for(lambda: "لغو شد" in _current_text(desk, after))
    assert (await desk.db.get(ids[2])).status == "cancelled"
    # An old copy's «space them out», pressed again: an alert, the message as it now stands.
    seen = _as_it_stands(desk, after)
    [answer] = await _alerts(desk, after, [f"p:{ids[2]}:sp"])
    assert answer["show_alert"] and _as_it_stands(desk, after) == seen
