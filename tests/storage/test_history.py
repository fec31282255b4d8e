"""Storage of a post's history (`storage.history`) on a real SQLite file: what is written comes back
whole, in order, with the editor's name as it was known at the time."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.core.history import Act, HistoryEntry, Writes
from storage.database import Database

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
EDITOR = 4242


async def _published(db: Database, message_ids: list[int]) -> int:
    article_id = await db.create_draft(
        "تیتر", "متن خبر", ["<b>تیتر</b>"], editor_id=EDITOR, editor_chat_id=EDITOR
    )
    assert await db.claim_for_publishing(article_id)
    assert await db.mark_published(article_id, message_ids, T0)
    return article_id


async def test_entries_come_back_whole_in_order_with_the_name_known_then(db: Database) -> None:
    article_id = await _published(db, [10, 11])
    await db.remember_editor_name(EDITOR, "مریم رضایی")
    published = HistoryEntry(article_id, Act.PUBLISHED, T0, EDITOR, Writes(sent=[10, 11]), ring=False)
    corrected = HistoryEntry(
        article_id, Act.CORRECTED, T0 + timedelta(minutes=5), EDITOR, Writes([12], [10], []),
        removed=("بودجه",), added=("پارک‌ها", "فضای"), complete=False,
        reason="Bad Request: message to edit not found",
    )  # fmt: skip
    assert await db.record_history(published)
    await db.remember_editor_name(EDITOR, "مریم ر.")  # renamed: the earlier entry keeps its name
    assert await db.record_history(corrected)
    scheduled = HistoryEntry(article_id, Act.DELETED, T0 + timedelta(hours=1), None, Writes(deleted=[10, 12]))
    assert await db.record_history(scheduled)

    first, second, third = await db.history_of(article_id)
    assert (first.act, first.at, first.editor_id, first.editor_name) == (
        Act.PUBLISHED,
        T0,
        EDITOR,
        "مریم رضایی",
    )
    assert first.writes == Writes(sent=[10, 11]) and first.ring is False and first.complete
    assert second.editor_name == "مریم ر." and second.writes == Writes([12], [10], [])
    assert (second.removed, second.added) == (("بودجه",), ("پارک‌ها", "فضای"))
    assert not second.complete and "not found" in second.reason
    assert third.editor_id is None and third.editor_name is None and third.writes.deleted == [10, 12]
    assert first.id < second.id < third.id
    assert await db.history_of(article_id + 1) == []


async def test_a_history_survives_reopening_and_a_post_is_found_by_any_of_its_messages(tmp_path) -> None:
    path = tmp_path / "news.sqlite3"
    async with Database.open(path) as db:
        article_id = await _published(db, [30, 31, 32])
        await db.record_history(
            HistoryEntry(article_id, Act.PUBLISHED, T0, EDITOR, Writes(sent=[30, 31, 32]))
        )
        assert await db.mark_deleted(article_id)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT act, writes FROM post_history").fetchall() == [
        ("published", '{"sent": [30, 31, 32], "edited": [], "deleted": []}')
    ]
    conn.close()
    async with Database.open(path) as db:
        assert [entry.act for entry in await db.history_of(article_id)] == [Act.PUBLISHED]
        for message_id in (30, 31, 32):  # a deleted post keeps its history and is still found
            found = await db.find_by_channel_message(message_id)
            assert found is not None and found.id == article_id
        assert await db.find_by_channel_message(33) is None
        assert await db.find_by_channel_message(3) is None  # an id inside another number is no match
