"""Clocks, end to end (the bot over HTTP against the emulator): a wall clock that jumps forward does
not leave a scheduled post waiting for its old timer. (Crowds: tests/e2e/test_e2e_burst.py.)"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.botapi.server import BotApiServer
from bot.publishing.retry import RetryPolicy
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import running_desk
from tests.e2e.test_e2e_editor import wait_status

RECHECK = 1.0  # seconds; 60 in production


async def test_a_forward_wall_clock_jump_does_not_make_a_post_late(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    retry = RetryPolicy(schedule_recheck_seconds=RECHECK)
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3", retry=retry, quiet_hours="") as desk:
        now = desk.clock()
        article_id = await desk.db.create_draft("خبر ساعت", "متن", ["<b>خبر ساعت</b>"], editor_id=EDITOR_ID)
        assert await desk.db.schedule(article_id, now + timedelta(minutes=10))
        await desk.application.bot_data["services"].scheduler.wake()  # its timer: in 10 minutes
        # The machine's clock jumps 10 minutes forward (NTP after a suspend): nobody tells the timer.
        desk.clock.advance(timedelta(minutes=10, seconds=1))
        await wait_status(desk, article_id, "published", timeout=RECHECK + 10)
    assert len(botapi.channel_posts()) == 1
