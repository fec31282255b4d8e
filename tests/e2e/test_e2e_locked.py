"""A database locked by another program just as a send completes (issue 24): the post is out, so the
editor is told it is published — never that it did not work — once the lock clears, and the post is
recorded, never left to be asked about with "send" offered."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from bot import messages as msg
from bot.botapi.server import BotApiServer
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import running_desk
from tests.e2e.test_e2e_editor import wait_status

HOLD_SECONDS = 8.0  # longer than the bot's 5 s busy timeout


def _hold_the_write_lock(path: Path, taken: threading.Event) -> None:
    """Another program writes to the database for HOLD_SECONDS."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        taken.set()
        threading.Event().wait(HOLD_SECONDS)
        conn.execute("COMMIT")
    finally:
        conn.close()


async def test_a_locked_database_as_a_send_completes_ends_published_not_failed(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    path = tmp_path / "newsdesk.sqlite3"
    async with running_desk(botapi, path) as desk:
        botapi.user_sends_text(EDITOR_ID, "سلام")  # the editor has talked to the bot: it may write back
        article_id = await desk.db.create_draft(
            "خبر فوری", "متن", ["<b>خبر فوری</b>"], editor_id=EDITOR_ID, editor_chat_id=EDITOR_ID
        )
        # Telegram posts the message at once but its answer takes a moment: the lock is taken meanwhile.
        botapi.inject_fault(
            "delay", method="sendmessage", chat_id=botapi.channel.id, hang_seconds=1.5, apply=True
        )
        before = desk.last_id(EDITOR_ID)
        assert await desk.db.schedule(article_id, desk.clock())
        await desk.application.bot_data["services"].scheduler.wake()
        await botapi.wait_for(lambda: botapi.channel_posts(), timeout=10)
        taken = threading.Event()
        holder = threading.Thread(target=_hold_the_write_lock, args=(path, taken))
        holder.start()
        try:
            await asyncio.to_thread(taken.wait, 5)
            # Before: the row stayed `publishing` (after a restart the editor was offered "send").
            await wait_status(desk, article_id, "published", timeout=HOLD_SECONDS + 30)
        finally:
            await asyncio.to_thread(holder.join)
        notice = await desk.wait_bot_message(EDITOR_ID, lambda m: "منتشر شد" in (m.text or ""), after=before)
        said = [m.text or "" for m in botapi.bot_messages(EDITOR_ID) if m.message_id > before]
    assert len(botapi.channel_posts()) == 1 and notice is not None
    failure = msg.text("error_generic", msg.FA)
    assert not [text for text in said if failure in text], said
