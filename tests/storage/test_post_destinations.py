"""Where each post goes (`post_destinations`, storage.copies) on a real SQLite file: a toggle is kept
while the post is a draft, scheduled or failed, refused once it is being published, and the start-up
catch-up of copies skips a destination the post was turned off for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.database import Database

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
EDITOR = 4242


async def _draft(db: Database) -> int:
    return await db.create_draft("تیتر", "متن خبر", ["<b>تیتر</b>"], editor_id=EDITOR, editor_chat_id=EDITOR)


async def test_a_toggle_is_kept_until_the_post_goes_out(db: Database) -> None:
    article_id, other = await _draft(db), await _draft(db)
    assert await db.choose_destination(article_id, "eitaa", False)
    assert await db.schedule(article_id, T0 + timedelta(hours=1))
    assert await db.choose_destination(article_id, "bale", True)
    assert await db.choose_destination(article_id, "eitaa", True)  # on again: one row, replaced
    assert await db.choose_destination(article_id, "eitaa", False)
    assert await db.destination_choices([article_id, other]) == {article_id: {"eitaa": False, "bale": True}}

    assert await db.claim_for_publishing(article_id)
    assert not await db.choose_destination(article_id, "eitaa", True)  # being published: its plan holds
    assert await db.mark_published(article_id, [10], T0)
    assert not await db.choose_destination(article_id, "bale", False)
    assert not await db.choose_destination(999, "bale", False)  # no such post
    assert await db.destination_choices([article_id]) == {article_id: {"eitaa": False, "bale": True}}


async def test_the_catch_up_skips_a_destination_turned_off(db: Database) -> None:
    off, on, default = await _draft(db), await _draft(db), await _draft(db)
    assert await db.choose_destination(off, "eitaa", False)
    assert await db.choose_destination(on, "eitaa", True)
    for article_id in (off, on, default):
        assert await db.claim_for_publishing(article_id)
        assert await db.mark_published(article_id, [article_id], T0)
    since = T0 - timedelta(days=1)
    assert set(await db.posts_with_copy_to_send("eitaa", since)) == {on, default}
    assert await db.posts_with_copy_to_send("eitaa", since, default_on=False) == [on]
