"""/delete never asks for what Telegram will refuse (issue 20): the 48-hour rule and the bot's rights
in the channel are checked first; a post that cannot be deleted is said so in Persian, with why, and
can be turned into a short removal note, proposed and applied like any correction."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot import messages as msg
from bot.botapi.server import BotApiServer
from bot.text.draft import parse_draft
from bot.text.render import render_post
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import _with_button, recorded_notice, send_draft

SIGNATURE = "🆔 @news_test"
NOTE = render_post(parse_draft(msg.text("removal_note", msg.FA)), bullet="🔹", signature=SIGNATURE)
LATIN = re.compile("[A-Za-z]")


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as running:
        yield running


async def _published(desk: Desk, text: str) -> tuple[int, object]:
    article_id, _, choose = await send_draft(desk, text)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    return article_id, await recorded_notice(desk, article_id)


def _since(desk: Desk, before: int) -> list:
    return [m for m in desk.server.bot_messages(EDITOR_ID) if m.message_id > before]


def _deletions(desk: Desk) -> int:
    return len(desk.server.calls("deleteMessage")) + len(desk.server.calls("deleteMessages"))


async def _note_applied(desk: Desk, article_id: int, offer) -> None:
    """Press «replace with a removal note» on `offer`, check the proposal leaves the channel as it is,
    and confirm it."""
    posts = desk.server.channel_posts()
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, offer, f"p:{article_id}:rmn")
    await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    shown = [m.html for m in _since(desk, before)]
    assert shown.count(NOTE[0]) == len(posts)  # each message of the post, as it would stand
    assert all(not desk.server.message(p.chat.id, p.message_id).history for p in posts)  # nothing yet
    await desk.confirm_correction(EDITOR_ID, article_id, after=before)


async def test_delete_after_48_hours_says_why_in_persian_and_offers_a_removal_note(desk: Desk) -> None:
    paragraph = "جلسه شورای شهر درباره بودجه سال آینده و پروژه‌های عمرانی شهرستان‌ها برگزار شد. " * 12
    draft = "خبر قدیمی\n" + "\n".join(f"?{paragraph}{number}" for number in range(6))
    article_id, _ = await _published(desk, draft)
    posts = desk.server.channel_posts()
    assert len(posts) >= 2
    desk.clock.advance(timedelta(hours=49))  # the bot's clock and Telegram's: 49 hours later
    desk.server.clock.advance(49 * 3600)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(f"/delete {msg.fa_digits(article_id)}")
    why = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert "۴۸ ساعت" in why.text and "نمی‌تواند" in why.text and not LATIN.search(why.text)
    assert [b["callback_data"] for b in why.buttons] == [f"p:{article_id}:rmn", f"p:{article_id}:no"]
    assert not any(_with_button(f"p:{article_id}:rmy")(m) for m in _since(desk, before))  # never asked

    await _note_applied(desk, article_id, why)
    now = desk.server.channel_posts()
    assert [p.message_id for p in now] == [p.message_id for p in posts]  # edited in place, none deleted
    assert [p.html for p in now] == NOTE * len(posts)
    assert _deletions(desk) == 0
    article = await desk.db.get(article_id)
    assert article.status == "published" and not article.deleted and article.html == NOTE * len(posts)


async def test_delete_without_the_right_says_why_and_offers_the_note_or_says_why_only(desk: Desk) -> None:
    article_id, notice = await _published(desk, "خبر نادرست\nمتن خبری که باید از کانال برود.")
    # An admin that may edit posts but neither post nor delete: it cannot delete even a new post.
    desk.server.set_channel_access("administrator", can_post_messages=False)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/delete", reply_to=notice)
    why = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert "حذف پیام‌ها" in why.text and "۴۸" not in why.text and not LATIN.search(why.text)
    assert _with_button(f"p:{article_id}:rmn")(why) and not _with_button(f"p:{article_id}:rmy")(why)
    await _note_applied(desk, article_id, why)
    assert [p.html for p in desk.server.channel_posts()] == NOTE and _deletions(desk) == 0

    # No admin at all: why, and nothing to offer (the bot can edit nothing either). 🗑 on the notice
    # says it in a message of its own: the notice keeps its text, link and button.
    desk.server.set_channel_access("member")
    seen = desk.server.message(EDITOR_ID, notice.message_id)
    seen = (seen.html, seen.reply_markup, len(seen.history))
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, notice, f"p:{article_id}:rm")
    why = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert "ادمین نیست" in why.text and not why.buttons and not LATIN.search(why.text)
    now = desk.server.message(EDITOR_ID, notice.message_id)
    assert (now.html, now.reply_markup, len(now.history)) == seen
    assert _deletions(desk) == 0 and len(desk.server.channel_posts()) == 1
