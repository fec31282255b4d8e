"""The duplicate guard over Telegram (issue 20): a reworded report of a post already in the channel, or of
one already queued, is flagged under its preview (a link to the channel post, or when the queued one is
due), and publishing or scheduling it asks once more; nothing reaches the channel before "yes"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import messages as msg
from bot.botapi.server import BotApiServer
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import _with_button, recorded_notice, send_draft, wait_article

TABLE = Path(__file__).resolve().parent.parent / "data" / "duplicates.json"
STORIES = {story["story"]: story["texts"] for story in json.loads(TABLE.read_text(encoding="utf-8"))}


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as running:
        yield running


async def _asked_again(desk: Desk, choose, article_id: int, action: str, anyway: str):
    """Press `action` under the preview: the desk asks once more, in a new message with yes/no."""
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:{action}")
    ask = await desk.wait_bot_message(
        EDITOR_ID, _with_button(f"p:{article_id}:{anyway}"), after=before, timeout=15
    )
    assert [b["callback_data"] for b in ask.buttons] == [f"p:{article_id}:{anyway}", f"p:{article_id}:no"]
    return ask


async def test_a_reworded_duplicate_of_a_published_post_is_flagged_with_a_link(desk: Desk) -> None:
    quake = STORIES["quake"]
    first, _, choose = await send_draft(desk, quake["a"])
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{first}:now")
    await recorded_notice(desk, first, timeout=30)  # published, and its notice sent
    [post] = desk.server.channel_posts()
    link = f"https://t.me/{desk.server.channel.username}/{post.message_id}"

    article_id, _, choose = await send_draft(desk, quake["a2"])  # the same quake, reworded and re-headlined
    assert f'href="{link}"' in choose.html and f"#{msg.fa_digits(first)}" in choose.text
    assert "همین خبر" in choose.text
    ask = await _asked_again(desk, choose, article_id, "now", "dnow")
    assert f'href="{link}"' in ask.html and msg.text("btn_now", msg.FA) in ask.text
    assert len(desk.server.channel_posts()) == 1  # asked, not published
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:dnow")
    await recorded_notice(desk, article_id, timeout=30)
    assert len(desk.server.channel_posts()) == 2

    other, _, choose = await send_draft(desk, quake["b"])  # aftershocks a week later: another story
    assert "همین خبر" not in choose.text
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{other}:now")  # asks nothing: published
    await recorded_notice(desk, other, timeout=30)


async def test_a_duplicate_of_a_queued_post_says_when_that_one_is_due(desk: Desk) -> None:
    dam = STORIES["dam"]
    first, _, choose = await send_draft(desk, dam["a"])
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{first}:h1")
    queued = await wait_article(desk, first, lambda a: a.status == "scheduled")
    due = msg.when(queued.scheduled_at, desk.settings.tz, msg.FA)

    article_id, _, choose = await send_draft(desk, dam["a3"])  # the one-line version, signed
    assert (
        msg.text("duplicate_queued", msg.FA, article_id=first, title="", when=due).split(":")[0]
        in choose.text
    )
    ask = await _asked_again(desk, choose, article_id, "slot", "dsl")
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:no")  # no: nothing is scheduled
    await desk.server.wait_for(
        lambda: desk.server.message(EDITOR_ID, ask.message_id).text == msg.text("done_dismissed", msg.FA)
    )
    assert (await desk.db.get(article_id)).status == "draft"
    ask = await _asked_again(desk, choose, article_id, "h1", "dh1")
    desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:dh1")
    await wait_article(desk, article_id, lambda a: a.status == "scheduled")
    assert desk.server.channel_posts() == []
