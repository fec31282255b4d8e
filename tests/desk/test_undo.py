"""Cancel and discard keep the post (bot.desk.undo): ↩️ for a minute of the desk's clock, restore from
/drafts for a week, back to the queue at its time if still ahead, and nothing but ↩️ revives it."""

from __future__ import annotations

from datetime import timedelta

from bot.core.status import PostStatus
from bot.desk.answers import Cancelled, DoneKind, Listing, Preview, Refusal, Refused, Restored
from bot.desk.callbacks import Action, Button
from bot.desk.service import Desk
from bot.desk.undo import KEPT, UNDO_WINDOW
from storage.database import Database
from tests.desk.test_desk import EDITOR, Clock, clock, db, desk, new_draft  # noqa: F401  (fixtures)


async def test_a_discarded_drafts_old_buttons_do_nothing(desk: Desk, db: Database) -> None:
    article_id = (await new_draft(desk)).article.id
    assert await desk.press(EDITOR, Button(Action.DISCARD, article_id)) == Cancelled(
        DoneKind.DISCARDED, article_id
    )
    for action in (
        Action.PUBLISH_NOW, Action.PUBLISH_ALL, Action.NEXT_SLOT, Action.IN_AN_HOUR, Action.TONIGHT,
        Action.TOMORROW_MORNING, Action.PICK_TIME, Action.EDIT, Action.RING, Action.CHANGES,
        Action.DISCARD, Action.CANCEL,
    ):  # fmt: skip
        answer = await desk.press(EDITOR, Button(action, article_id))
        assert isinstance(answer, Refused) and answer.reason is Refusal.WRONG_STATE, action
    article = await db.get(article_id)
    assert article.status is PostStatus.CANCELLED and await db.awaited_input(EDITOR) is None


async def test_undo_works_for_a_minute_of_the_desks_clock(desk: Desk, db: Database, clock: Clock) -> None:
    article_id = (await new_draft(desk)).article.id
    await desk.press(EDITOR, Button(Action.DISCARD, article_id))
    clock.now += UNDO_WINDOW
    answer = await desk.press(EDITOR, Button(Action.UNDO, article_id))
    assert isinstance(answer, Restored) and answer.undo and answer.article.status is PostStatus.DRAFT
    assert answer.time_passed is None
    await desk.press(EDITOR, Button(Action.DISCARD, article_id))
    clock.now += UNDO_WINDOW + timedelta(seconds=1)
    assert await desk.press(EDITOR, Button(Action.UNDO, article_id)) == Refused(
        Refusal.UNDO_EXPIRED, article_id
    )
    assert (await db.get(article_id)).status is PostStatus.CANCELLED
    # /drafts still offers it, for a week.
    listing = await desk.drafts()
    assert isinstance(listing, Listing) and [a.id for a in listing.articles] == [article_id]
    answer = await desk.press(EDITOR, Button(Action.RESTORE, article_id))
    assert isinstance(answer, Restored) and not answer.undo
    assert await desk.press(EDITOR, Button(Action.RESTORE, article_id)) == Refused(
        Refusal.WRONG_STATE, article_id, await db.get(article_id)
    )


async def test_a_cancelled_post_goes_back_to_its_slot_or_becomes_a_draft(
    desk: Desk, db: Database, clock: Clock
) -> None:
    early, late = (await new_draft(desk)).article.id, (await new_draft(desk)).article.id
    for article_id, hours in ((early, 1), (late, 3)):
        await db.schedule(article_id, clock.now + timedelta(hours=hours))
        assert await desk.press(EDITOR, Button(Action.CANCEL, article_id)) == Cancelled(
            DoneKind.CANCELLED, article_id
        )
    assert await desk.queue() == Listing(Action.QUEUE_PAGE, (), 0, 1, 0)
    clock.now += timedelta(hours=2)  # the early one's time went by while it was cancelled
    back = await desk.press(EDITOR, Button(Action.RESTORE, late))
    assert isinstance(back, Restored) and back.article.status is PostStatus.SCHEDULED
    assert back.article.scheduled_at == clock.now + timedelta(hours=1) and back.time_passed is None
    back = await desk.press(EDITOR, Button(Action.RESTORE, early))
    assert isinstance(back, Restored) and back.article.status is PostStatus.DRAFT
    assert back.time_passed == clock.now - timedelta(hours=1) and back.article.scheduled_at is None
    assert [a.id for a in (await desk.queue()).articles] == [late]


async def test_drafts_lists_a_weeks_cancelled_posts_after_the_drafts(
    desk: Desk, db: Database, clock: Clock
) -> None:
    old, kept, draft = [(await new_draft(desk)).article.id for _ in range(3)]
    await desk.press(EDITOR, Button(Action.DISCARD, old))
    clock.now += KEPT - timedelta(hours=1)
    await desk.press(EDITOR, Button(Action.DISCARD, kept))
    clock.now += timedelta(hours=1, seconds=1)  # `old` was discarded a week and a second ago
    listing = await desk.drafts()
    assert [a.id for a in listing.articles] == [draft, kept]
    card = await desk.press(EDITOR, Button(Action.OPEN, kept))
    assert not isinstance(card, Preview) and card.article.status is PostStatus.CANCELLED
