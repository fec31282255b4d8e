"""A wait ends visibly (issue 20): at expiry, on the bot's clock, the prompt says the wait ended and
loses its ✖️; an answer typed after it is first told so, then taken for what it is."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from bot import messages as msg
from bot.botapi.server import BotApiServer
from bot.desk.waits import WAIT_EXPIRES
from bot.sandbox.clock import TimeMachine
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import _current_text, _with_button, send_draft


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path):
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as running:
        yield running


def _time_passes(desk: Desk, delta: timedelta) -> None:
    """The bot's clock, Telegram's and the bot's timers move on together (as in the sandbox)."""
    scheduler = desk.application.bot_data["services"].scheduler
    TimeMachine(desk.clock, desk.server, desk.application, scheduler).advance(delta)


def _prompt_recorded(path: Path, message_id: int) -> bool:
    """The desk has stored the prompt's message id with its wait (it does so after sending it)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        found = conn.execute("SELECT 1 FROM editor_waits WHERE prompt_message_id = ?", (message_id,))
        return found.fetchone() is not None


async def test_an_expired_wait_edits_its_prompt_and_a_late_answer_is_told_then_taken(
    desk: Desk, tmp_path: Path
) -> None:
    article_id, _, choose = await send_draft(desk, "خبر منتظر\nمتن خبری که زمانش را می‌خواهیم.")
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:pick")
    prompt = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:cw"), after=before)
    # The prompt is on screen a moment before the desk records it: time moves on only after that.
    await desk.server.wait_for(lambda: _prompt_recorded(tmp_path / "newsdesk.sqlite3", prompt.message_id))
    await desk.server.wait_for(lambda: desk.application.job_queue.get_jobs_by_name("wait-timer"))
    _time_passes(desk, WAIT_EXPIRES + timedelta(minutes=1))

    ended = msg.text("wait_ended_time", msg.FA, article_id=article_id, minutes=10, button="x").split("؛")[0]
    await desk.server.wait_for(lambda: ended in _current_text(desk, prompt), timeout=15)
    assert not desk.server.message(EDITOR_ID, prompt.message_id).buttons  # ✖️ gone with the wait
    assert await desk.db.awaited_input(EDITOR_ID) is None

    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("فردا ساعت ۹")
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{before + 1}:mk"), after=before)
    told = [m for m in desk.server.bot_messages(EDITOR_ID) if before < m.message_id < ask.message_id]
    assert len(told) == 1 and f"پست #{msg.fa_digits(article_id)}" in told[0].text
    assert "تمام شده بود" in told[0].text and "زمان‌بندی نشد" in told[0].text
    assert "خیلی کوتاه" in ask.text  # then taken for what it is: a short message, a draft if wished
    assert (await desk.db.get(article_id)).status == "draft"
    # Told once: the next message is only itself.
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("ساعت ۱۰")
    again = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert "خیلی کوتاه" in again.text and "تمام شده بود" not in again.text
