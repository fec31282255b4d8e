"""Nothing discarded is lost, and nothing discarded goes out (issue 20), end to end over HTTP against
the emulator, checked on the channel side: cancel and discard keep the post for /drafts to restore,
their answer offers ↩️ for a minute of the bot's clock, the old buttons of a discarded draft publish
nothing, and the dates the desk shows are the bot's clock's, not the machine's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import messages as msg
from bot.botapi.server import BotApiServer
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import send_draft

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
