"""The desk service without Telegram: a real SQLite file, the real Publisher for the steps that stay off
the channel, and a schedule that only counts its wake-ups. Each answer is checked as data; how it
looks is bot.desk.view's business (and the end-to-end tests')."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.core.media import MediaItem, MediaKind
from bot.core.source import CreditMode, Source
from bot.core.status import PostStatus
from bot.desk.answers import (
    AskCorrect,
    Asked,
    AskMakeDraft,
    Changes,
    Corrected,
    Done,
    DoneKind,
    EditorMessage,
    Listing,
    Note,
    Preview,
    Refusal,
    Refused,
    Scheduled,
    SpacedOut,
    TimeRefused,
    Wait,
    WaitEnded,
)
from bot.desk.callbacks import Action, Button
from bot.desk.pending import PendingNotices
from bot.desk.service import Desk, clashing_ids, spread
from bot.desk.timeparse import Assumption, TimeParseReason
from bot.desk.waits import TELL_LATE_ANSWER, WAIT_EXPIRES
from bot.publishing.formatter import FormattingTimeout, PreparedPost, prepare_post
from bot.publishing.publisher import Publisher, RevisionOutcome
from bot.text.changes import Change, Rule
from bot.text.draft import explain_draft
from storage.database import Database

TEHRAN = ZoneInfo("Asia/Tehran")
EDITOR = 1001
NOON = datetime(2026, 11, 26, 8, 30, tzinfo=UTC)  # Thursday 5 Azar 1405, 12:00 in Tehran
DRAFT = "خبر آزمون میز\nمتن خبر برای آزمودن میز دبیری بی تلگرام."


class Wakes:
    """The schedule's side of the desk: how often it was asked to re-read the next time."""

    def __init__(self) -> None:
        self.count = 0

    async def wake(self) -> None:
        self.count += 1


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def db(tmp_path: Path):
    async with Database.open(tmp_path / "desk.sqlite3") as database:
        yield database


@pytest.fixture
def clock() -> Clock:
    return Clock(NOON)


@pytest.fixture
def desk(db: Database, clock: Clock) -> Desk:
    settings = Settings(
        _env_file=None, channel_id="@news_test", editor_ids=frozenset({EDITOR}), quiet_hours=None
    )

    async def prepare(text: str, *, credit: str = "") -> PreparedPost:
        return prepare_post(text, bullet="🔹", signature="🆔 @news_test", credit=credit)

    async def explain(text: str) -> list[Change]:
        return explain_draft(text, signature="🆔 @news_test")[1]

    publisher = Publisher(None, db, channel_id="@news_test", notices=None, clock=clock)  # type: ignore[arg-type]
    db.clock = clock  # as bot.app wires it: what storage records is on the desk's clock
    return Desk(db, publisher, Wakes(), settings, clock, prepare, explain)  # type: ignore[arg-type]


_ids = iter(range(1, 10_000))


def said(reply_to: int | None = None) -> EditorMessage:
    return EditorMessage(EDITOR, EDITOR, next(_ids), reply_to)


async def new_draft(desk: Desk, text: str = DRAFT) -> Preview:
    answer = await desk.take_text(said(), text)
    assert isinstance(answer, Preview)
    return answer


async def test_a_draft_is_previewed_as_the_channel_will_get_it(desk: Desk) -> None:
    preview = await new_draft(desk)
    assert preview.article.status is PostStatus.DRAFT
    assert preview.article.html == prepare_post(DRAFT, bullet="🔹", signature="🆔 @news_test").messages


async def test_short_messages_are_asked_about_and_empty_ones_refused(desk: Desk, db: Database) -> None:
    assert isinstance(await desk.take_text(said(), "قیمت نان"), AskMakeDraft)
    assert await desk.take_text(said(), "?? ?? ??\n??") == Refused(Refusal.EMPTY)
    assert await db.get(1) is None
    asked = await desk.take_text(said(), "قیمت نان", asked=True)
    assert isinstance(asked, Preview) and asked.article.title == "قیمت نان"


async def test_a_typed_time_schedules_and_says_what_it_assumed(desk: Desk, db: Database) -> None:
    preview = await new_draft(desk)
    assert await desk.press(EDITOR, Button(Action.PICK_TIME, preview.article.id)) == Asked(
        Wait.TIME, preview.article.id
    )
    answer = await desk.take_text(said(), "2:30")
    assert isinstance(answer, Scheduled) and answer.assumption is Assumption.AFTERNOON
    assert answer.when.astimezone(TEHRAN).strftime("%H:%M") == "14:30"
    assert await db.awaited_input(EDITOR) is None


async def test_a_bad_time_keeps_the_wait_and_a_headline_ends_it(desk: Desk, db: Database) -> None:
    preview = await new_draft(desk)
    await desk.press(EDITOR, Button(Action.PICK_TIME, preview.article.id))
    answer = await desk.take_text(said(), "دیروز عصر")
    assert isinstance(answer, TimeRefused) and answer.error.reason is TimeParseReason.UNREADABLE
    assert await db.awaited_input(EDITOR) is not None
    answer = await desk.take_text(said(), "فوری: زلزله‌ای به بزرگی ۵ ریشتر حوالی تهران را لرزاند")
    assert isinstance(answer, Preview) and answer.notes == (Note.WAIT_ENDED,)
    assert answer.article.id != preview.article.id and await db.awaited_input(EDITOR) is None


async def test_cancel_words_and_expiry_end_the_wait(desk: Desk, db: Database, clock: Clock) -> None:
    preview = await new_draft(desk)
    for stop in ("لغو", "انصراف", "cancel", "/cancel"):
        await desk.press(EDITOR, Button(Action.EDIT, preview.article.id))
        assert await desk.take_text(said(), stop) == Done(DoneKind.WAIT_STOPPED, preview.article.id)
    assert await desk.take_text(said(), "لغو") == Refused(Refusal.NOTHING_TO_CANCEL)
    await desk.press(EDITOR, Button(Action.PICK_TIME, preview.article.id))
    clock.now += WAIT_EXPIRES + timedelta(seconds=1)
    late = await desk.take_text(said(), "۱۸:۳۰")  # the wait is over: said, then the message as it is
    assert isinstance(late, WaitEnded) and (late.kind, late.article_id) == (Wait.TIME, preview.article.id)
    assert late.ended_at == clock.now and isinstance(late.then, AskMakeDraft)
    assert (await db.get(preview.article.id)).status is PostStatus.DRAFT
    assert isinstance(await desk.take_text(said(), "۱۸:۳۰"), AskMakeDraft)  # said once
    await desk.press(EDITOR, Button(Action.EDIT, preview.article.id))
    clock.now += WAIT_EXPIRES + timedelta(seconds=1)
    assert await desk.cancel_wait(EDITOR) == WaitEnded(Wait.EDIT, preview.article.id, clock.now)
    await desk.press(EDITOR, Button(Action.PICK_TIME, preview.article.id))
    clock.now += WAIT_EXPIRES + TELL_LATE_ANSWER + timedelta(seconds=1)
    await desk.waits.end_expired()  # as the timer would, long before the next message
    clock.now += TELL_LATE_ANSWER + timedelta(seconds=1)
    assert isinstance(await desk.take_text(said(), "۱۸:۳۰"), AskMakeDraft)  # an hour on: no answer to it


async def test_an_old_prompts_stop_button_leaves_a_newer_wait(desk: Desk, db: Database) -> None:
    first, second = await new_draft(desk), await new_draft(desk, "خبر دوم میز\nمتن خبر دوم برای میز دبیری.")
    await desk.press(EDITOR, Button(Action.PICK_TIME, first.article.id))
    await desk.press(EDITOR, Button(Action.PICK_TIME, second.article.id))
    assert await desk.press(EDITOR, Button(Action.STOP_WAITING, first.article.id)) == Refused(
        Refusal.NOTHING_TO_CANCEL
    )
    assert (await db.awaited_input(EDITOR))[:2] == ("time", second.article.id)
    stopped = await desk.press(EDITOR, Button(Action.STOP_WAITING, second.article.id))
    assert stopped == Done(DoneKind.WAIT_STOPPED, second.article.id)


async def test_an_awaited_correction_replaces_the_text_and_keeps_the_time(desk: Desk, db: Database) -> None:
    preview = await new_draft(desk)
    scheduled = await desk.press(EDITOR, Button(Action.TOMORROW_MORNING, preview.article.id))
    assert isinstance(scheduled, Scheduled)
    await desk.press(EDITOR, Button(Action.EDIT, preview.article.id))
    answer = await desk.take_text(said(), "تیتر تازه\nمتن تازهٔ خبر برای آزمون.")
    assert isinstance(answer, Preview) and answer.notes == (Note.STILL_SCHEDULED,)
    article = await db.get(preview.article.id)
    assert article.title == "تیتر تازه" and article.scheduled_at == scheduled.when


async def test_an_edit_of_the_source_message_follows_the_draft(desk: Desk, db: Database) -> None:
    message = said()
    first = await desk.take_text(message, DRAFT)
    assert isinstance(first, Preview)
    answer = await desk.take_edit(message, "خبر اصلاح‌شده\nمتن اصلاح‌شده.")
    assert isinstance(answer, Preview) and answer.article.id == first.article.id
    assert answer.notes == (Note.UPDATED,)
    # A published post: the correction waits for the editor's yes.
    await db.schedule(first.article.id, NOON)
    await db.claim_for_publishing(first.article.id)
    await db.mark_published(first.article.id, [77], NOON)
    answer = await desk.take_edit(message, "خبر دوباره اصلاح‌شده\nمتن سوم.")
    assert isinstance(answer, AskCorrect)
    assert await db.take_correction(first.article.id) is not None


async def test_a_photo_published_without_its_text_no_longer_waits_for_it(desk: Desk, db: Database) -> None:
    photo = await desk.take_media(said(), "", [MediaItem(MediaKind.PHOTO, "file-1")])
    assert isinstance(photo, Preview) and photo.notes == (Note.NEEDS_TEXT_SIGNED,)
    await db.schedule(photo.article.id, NOON)  # 🚀: it goes out as it is
    await db.claim_for_publishing(photo.article.id)
    await db.mark_published(photo.article.id, [77], NOON)
    # The next text is a new draft (said so), not an unasked correction of the published photo.
    answer = await desk.take_text(said(), DRAFT)
    assert isinstance(answer, Preview) and answer.notes == (Note.WAIT_ENDED,)
    assert (
        answer.article.id != photo.article.id and (await db.get(photo.article.id)).html == photo.article.html
    )


async def test_a_forwarded_drafts_credit_is_kept_through_its_edits(desk: Desk, db: Database) -> None:
    source = Source("خبرگزاری دیگر", "https://t.me/other_news/42")
    message = EditorMessage(EDITOR, EDITOR, next(_ids), source=source)
    credit = '\n\nمنبع: <a href="https://t.me/other_news/42">خبرگزاری دیگر</a>\n\n🆔 @news_test'
    first = await desk.take_text(message, DRAFT)
    assert isinstance(first, Preview) and first.article.html[-1].endswith(credit)
    assert first.article.forward_source == source
    edited = await desk.take_edit(message, "خبر اصلاح‌شده\nمتن اصلاح‌شده.")
    assert isinstance(edited, Preview) and edited.article.html[-1].endswith("اصلاح‌شده." + credit)
    await desk.press(EDITOR, Button(Action.EDIT, first.article.id))
    typed = await desk.take_text(said(), "تیتر تازه\nمتن تازهٔ خبر برای آزمون.")
    assert isinstance(typed, Preview) and typed.article.html[-1].endswith("آزمون." + credit)
    desk.settings = desk.settings.model_copy(update={"source_credit": CreditMode.OFF})
    off = await desk.take_edit(message, "خبر اصلاح‌شده\nمتن اصلاح‌شده.")
    assert isinstance(off, Preview) and off.article.html[-1].endswith("اصلاح‌شده.\n\n🆔 @news_test")


async def test_lists_and_spacing(desk: Desk, db: Database) -> None:
    ids = []
    for number in range(3):
        preview = await new_draft(desk, f"خبر شماره {number}\nمتن خبر شماره {number} برای صف.")
        await desk.press(EDITOR, Button(Action.TOMORROW_MORNING, preview.article.id))
        ids.append(preview.article.id)
    extra = await new_draft(desk, "پیش‌نویس ماندنی\nمتنی که پیش‌نویس می‌ماند.")
    queue = await desk.queue()
    assert isinstance(queue, Listing) and [a.id for a in queue.articles] == ids
    assert queue.clashes == frozenset(ids)
    drafts = await desk.drafts()
    assert [a.id for a in drafts.articles] == [extra.article.id]
    spaced = await desk.press(EDITOR, Button(Action.SPACE_OUT, ids[0]))
    assert isinstance(spaced, SpacedOut) and [i for i, _ in spaced.moves] == ids[1:]
    assert (await desk.queue()).clashes == frozenset()


def test_spread_skips_minutes_already_taken() -> None:
    base = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)

    class Post:  # only what `spread` reads
        def __init__(self, article_id: int, when: datetime) -> None:
            self.id, self.scheduled_at = article_id, when

    posts = [Post(1, base), Post(2, base + timedelta(seconds=20)), Post(3, base + timedelta(minutes=10))]
    moves = spread(posts[0], posts)  # type: ignore[arg-type]
    assert moves == [(2, base + timedelta(minutes=20))]  # :40 is the next free step after :30 and :40 taken
    assert clashing_ids(posts) == frozenset({1, 2})  # type: ignore[arg-type]


async def test_buttons_of_a_post_that_does_not_exist_are_refused(desk: Desk) -> None:
    harmless = {Action.DISMISS, Action.QUEUE_PAGE, Action.DRAFTS_PAGE}  # no post behind them
    for action in set(Action) - harmless - {Action.MAKE_DRAFT, Action.CHANGES}:
        answer = await desk.press(EDITOR, Button(action, 424242))
        assert isinstance(answer, Refused), (action, answer)


async def test_what_changed_lists_the_clean_up_of_the_editors_text(desk: Desk) -> None:
    preview = await new_draft(desk, "?سازمان همیاری شهرداریها\n?برنامهریزی پروژههای مهمترین شهرستانها")
    answer = await desk.press(EDITOR, Button(Action.CHANGES, preview.article.id))
    assert isinstance(answer, Changes) and answer.source.startswith("?سازمان")
    # The headline's opening `?` is dropped, the next line's made a bullet: both listed, with the half-spaces.
    assert {change.rule for change in answer.changes} == {Rule.HALF_SPACE, Rule.LOST_BULLET, Rule.BULLET}
    assert any(change.before == "شهرداریها" and change.after == "شهرداری‌ها" for change in answer.changes)


async def test_a_page_of_what_changed_is_of_the_draft_as_it_stands(desk: Desk) -> None:
    """Nothing is kept between taps: a page button pressed after the draft was edited lists the
    edited draft's changes (the page clamped by the view), never the old text's."""
    message = said()
    first = await desk.take_text(message, "خبر شهرداریها\nمتن پروژههای مهمترین شهرستانها.")
    assert isinstance(first, Preview)
    page = await desk.press(EDITOR, Button(Action.CHANGES_PAGE, first.article.id, 1))
    assert isinstance(page, Changes) and (page.page, page.turned) == (1, True) and len(page.changes) == 4
    await desk.take_edit(message, "خبر تازه\nمتن برنامهریزی شده.")
    page = await desk.press(EDITOR, Button(Action.CHANGES_PAGE, first.article.id, 1))
    assert isinstance(page, Changes) and page.source == "خبر تازه\nمتن برنامهریزی شده."
    assert [change.before for change in page.changes] == ["برنامهریزی"]


async def test_a_draft_too_complex_to_format_in_time_is_refused(desk: Desk, db: Database) -> None:
    async def too_slow(text: str, *, credit: str = "") -> PreparedPost:
        raise FormattingTimeout("formatting took longer than 10 s")

    desk.prepare = too_slow
    assert await desk.take_text(said(), DRAFT) == Refused(Refusal.TOO_COMPLEX)
    assert await db.get(1) is None


async def test_a_reply_is_looked_up_again_once_a_notice_on_its_way_is_recorded(
    desk: Desk, db: Database
) -> None:
    """The editor may reply to a "published" notice before the bot has its id: the desk waits for
    the notice to that chat to be recorded instead of taking the reply for a new draft."""
    article_id = await db.create_draft("خبر", "متن", ["<b>خبر</b>"], editor_id=EDITOR, editor_chat_id=EDITOR)
    assert await db.claim_for_publishing(article_id)
    assert await db.mark_published(article_id, [100], NOON)
    reply = said(reply_to=77)
    async with desk.pending_notices.sending(EDITOR):
        looking = asyncio.create_task(desk._replied_post(reply))
        await asyncio.sleep(0.05)
        assert not looking.done()  # waiting for the notice on its way
        await db.record_notice(article_id, EDITOR, 77)
    assert (await looking).id == article_id
    assert await desk._replied_post(said(reply_to=78)) is None  # nothing on its way: no wait


async def test_a_notice_that_never_settles_holds_a_reply_only_so_long() -> None:
    pending = PendingNotices()
    async with pending.sending(EDITOR):
        await asyncio.wait_for(pending.settled(EDITOR, timeout=0.05), 5)  # gave up waiting, did not hang
        await asyncio.wait_for(pending.settled(EDITOR + 1), 5)  # another chat does not wait at all


async def test_a_photos_caption_added_by_an_edit_ends_the_wait_for_its_text(desk: Desk, db: Database) -> None:
    """The text asked for came by editing the photo: the next message is a new draft, not the photo's."""
    message = said()
    photo = await desk.take_media(message, "", [MediaItem(MediaKind.PHOTO, "file-1")])
    assert isinstance(photo, Preview) and await db.awaited_input(EDITOR) is not None
    edited = await desk.take_edit(message, DRAFT)
    assert isinstance(edited, Preview) and edited.article.id == photo.article.id
    assert await db.awaited_input(EDITOR) is None
    answer = await desk.take_text(said(), "خبر دیگر\nمتن خبری دیگر درباره بازار.")
    assert isinstance(answer, Preview) and answer.article.id != photo.article.id and not answer.notes


async def test_make_it_a_draft_pressed_twice_makes_one_draft(desk: Desk, db: Database) -> None:
    message = said()
    assert isinstance(await desk.take_text(message, "قیمت نان"), AskMakeDraft)
    first, second = await asyncio.gather(
        desk.take_text(message, "قیمت نان", asked=True), desk.take_text(message, "قیمت نان", asked=True)
    )
    assert sorted(type(a).__name__ for a in (first, second)) == ["Preview", "Refused"]
    again = await desk.take_text(message, "قیمت نان", asked=True)
    assert again == Refused(Refusal.STALE_BUTTON)
    assert (await db.get(1)) is not None and (await db.get(2)) is None


async def _published_album(db: Database, media: list[MediaItem], ids: list[int], notice: int) -> int:
    """A post of `media` published as channel messages `ids`, its notice message `notice`."""
    article_id = await db.create_draft(
        "خبر", "متن", ["<b>خبر</b>"], editor_id=EDITOR, editor_chat_id=EDITOR, media=media
    )
    assert await db.claim_for_publishing(article_id)
    assert await db.mark_published(article_id, ids, NOON)
    await db.record_notice(article_id, EDITOR, notice)
    return article_id


async def test_new_files_in_reply_are_held_as_the_post_would_stand(desk: Desk, db: Database) -> None:
    album = [MediaItem(MediaKind.PHOTO, f"old-{i}") for i in range(3)]
    article_id = await _published_album(db, album, [10, 11, 12], notice=500)
    new = MediaItem(MediaKind.PHOTO, "new-2")
    # One photo, no place named: refused with the rule; nothing held.
    refused = await desk.take_media(said(reply_to=500), "", [new])
    assert isinstance(refused, Refused) and refused.reason is Refusal.MEDIA_MISMATCH
    assert await db.take_correction(article_id) is None
    # One photo with its place («۲»): the post as it would stand, its text kept; held until ✅.
    answer = await desk.take_media(said(reply_to=500), "۲", [new])
    assert isinstance(answer, AskCorrect) and answer.media == (album[0], new, album[2])
    assert answer.messages == ["<b>خبر</b>"] and not answer.words.removed and not answer.words.added
    assert (await db.get(article_id)).media == tuple(album)  # nothing applied
    held = await db.take_correction(article_id)
    assert held is not None and held.media == (album[0], new, album[2]) and held.messages == ["<b>خبر</b>"]
    # The same files again change nothing: said, not held.
    same = await desk.take_media(said(reply_to=500), "", album)
    assert isinstance(same, Corrected) and same.outcome is RevisionOutcome.UNCHANGED
    assert await db.take_correction(article_id) is None


async def test_new_files_for_a_post_that_cannot_take_them_are_refused_before_asking(
    desk: Desk, db: Database
) -> None:
    text_post = await _published_album(db, [], [20], notice=600)
    answer = await desk.take_media(said(reply_to=600), "", [MediaItem(MediaKind.PHOTO, "new")])
    assert answer == Refused(Refusal.NO_MEDIA, text_post)
    # A part confirmed by eye after a crash has no message id: it could not be edited after ✅.
    photo = [MediaItem(MediaKind.PHOTO, "old")]
    unknown = await _published_album(db, photo, [-1], notice=601)
    answer = await desk.take_media(said(reply_to=601), "", [MediaItem(MediaKind.PHOTO, "new")])
    assert answer == Corrected(RevisionOutcome.UNKNOWN_IDS, unknown)
    assert await db.take_correction(unknown) is None
