"""The publisher against the Bot API test server (real HTTP) and a real SQLite file: exactly once,
flood waits honoured, 5xx retried, unanswered requests never repeated, refusals recoverable."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import ExtBot

from bot.botapi.server import BotApiServer
from bot.core.media import MediaItem, MediaKind
from bot.core.post import Article
from bot.publishing.formatter import prepare_post
from bot.publishing.publisher import FailureReason, Outcome, Publisher, RemovalOutcome, RevisionOutcome
from bot.publishing.retry import RetryPolicy
from storage.database import Database

CHANNEL = "@news_test"


class Notices:
    """Collects what the publisher would tell editors."""

    def __init__(self) -> None:
        self.published_calls: list[tuple[int, list[int]]] = []
        self.failed_calls: list[tuple[int, FailureReason, str]] = []
        self.uncertain_calls: list[int] = []

    async def published(self, article: Article, message_ids: Sequence[int]) -> None:
        self.published_calls.append((article.id, list(message_ids)))

    async def failed(self, article: Article, reason: FailureReason, detail: str) -> None:
        self.failed_calls.append((article.id, reason, detail))

    async def uncertain(self, article: Article) -> None:
        self.uncertain_calls.append(article.id)


class Sleeps:
    """Records requested waits and waits only a moment."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database.open(tmp_path / "newsdesk.sqlite3") as database:
        yield database


@pytest.fixture
def notices() -> Notices:
    return Notices()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def publisher(tg_bot, db: Database, notices: Notices, sleeps: Sleeps) -> Publisher:
    return Publisher(
        tg_bot, db, channel_id=CHANNEL, notices=notices, retry=RetryPolicy(max_attempts=4), sleep=sleeps
    )


async def scheduled_post(
    db: Database, *, at: datetime | None = None, limit_parts: list[str] | None = None
) -> int:
    """A post due now (or at `at`), with the formatter's HTML or the given parts."""
    post = prepare_post("تیتر خبر\nمتن خبر درباره شهرداری تهران.", bullet="🔹", signature="")
    article_id = await db.create_draft(post.title, post.body, limit_parts or post.messages, editor_id=1001)
    assert await db.schedule(article_id, at or datetime.now(UTC) - timedelta(seconds=1))
    return article_id


async def test_publishes_once_and_archives(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    notices: Notices,
) -> None:
    article_id = await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.PUBLISHED
    posts = botapi.channel_posts()
    assert len(posts) == 1 and posts[0].html == (await db.get(article_id)).html[0]
    article = await db.get(article_id)
    assert article.status == "published"
    assert article.channel_message_ids == [posts[0].message_id]
    assert notices.published_calls == [(article_id, [posts[0].message_id])]
    assert article_id in [hit.article_id for hit in (await db.search("شهرداری")).hits]
    # A second call (a stale job, a double tap) sends nothing.
    assert await publisher.publish(article_id) is Outcome.SKIPPED
    assert len(botapi.channel_posts()) == 1


async def test_concurrent_publish_of_one_post_sends_once(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
) -> None:
    article_id = await scheduled_post(db)
    outcomes = await asyncio.gather(*(publisher.publish(article_id) for _ in range(5)))
    assert sorted(outcomes) == sorted([Outcome.PUBLISHED] + [Outcome.SKIPPED] * 4)
    assert len(botapi.channel_posts()) == 1


async def test_post_not_yet_due_is_not_claimed(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
) -> None:
    article_id = await scheduled_post(db, at=datetime.now(UTC) + timedelta(hours=1))
    assert await publisher.publish(article_id) is Outcome.SKIPPED
    assert (await db.get(article_id)).status == "scheduled"
    assert botapi.channel_posts() == []


async def test_cancelled_post_is_not_sent(publisher: Publisher, db: Database, botapi: BotApiServer) -> None:
    article_id = await scheduled_post(db)
    assert await db.cancel(article_id)
    assert await publisher.publish(article_id) is Outcome.SKIPPED
    assert botapi.channel_posts() == []


async def test_retry_after_is_honoured(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    sleeps: Sleeps,
) -> None:
    botapi.inject_fault("retry_after", times=2, method="sendMessage", retry_after=7)
    article_id = await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.PUBLISHED
    assert sleeps.seconds == [7, 7]
    assert len(botapi.channel_posts()) == 1
    assert [c.status for c in botapi.calls("sendMessage")] == [429, 429, 200]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_5xx_answer_is_uncertain_never_repeated(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    notices: Notices,
    sleeps: Sleeps,
    status: int,
) -> None:
    # Telegram may have performed the call before its gateway answered: the editor is asked.
    botapi.inject_fault("server_error", times=1, method="sendMessage", status=status)
    article_id = await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.UNCERTAIN
    assert len(botapi.calls("sendMessage")) == 1 and sleeps.seconds == []
    assert notices.uncertain_calls == [article_id]
    assert (await db.get(article_id)).status == "publishing"


async def test_a_gateway_timeout_after_a_hang_is_uncertain(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    notices: Notices,
) -> None:
    # The server hangs, then answers 504 (within the client's read timeout): maybe performed.
    botapi.inject_fault("timeout", times=1, method="sendMessage", hang_seconds=0.3)
    article_id = await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.UNCERTAIN
    assert len(botapi.calls("sendMessage")) == 1
    assert notices.uncertain_calls == [article_id]


async def media_post(db: Database, botapi: BotApiServer, kinds: list[str]) -> int:
    """A post of one file or an album, with a caption, due now."""
    media = [
        MediaItem(MediaKind(kind), botapi.add_file(kind, f"{i}".encode()).file_id)
        for i, kind in enumerate(kinds)
    ]
    article_id = await db.create_draft("تیتر", "متن", ["<b>تیتر</b>"], editor_id=1001, media=media)
    assert await db.schedule(article_id, datetime.now(UTC) - timedelta(seconds=1))
    return article_id


@pytest.mark.parametrize(
    ("method", "kinds"),
    [
        ("sendMessage", []),
        ("sendPhoto", ["photo"]),
        ("sendVideo", ["video"]),
        ("sendMediaGroup", ["photo", "photo"]),
    ],
)
async def test_a_send_done_but_answered_504_goes_out_once_and_the_editor_is_asked(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    notices: Notices,
    method: str,
    kinds: list[str],
) -> None:
    # The probe's case: Telegram performed the send, then answered 504. Before, it was sent again.
    botapi.inject_fault("server_error", method=method.lower(), status=504, apply=True)
    article_id = await media_post(db, botapi, kinds) if kinds else await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.UNCERTAIN
    assert len(botapi.calls(method)) == 1
    assert len(botapi.channel_posts()) == max(len(kinds), 1)  # in the channel once, not twice
    assert notices.uncertain_calls == [article_id] and notices.published_calls == []
    # The editor sees it in the channel and says so: recorded, nothing sent again.
    assert await publisher.confirm_uncertain_part(article_id)
    assert (await db.get(article_id)).status == "published"
    assert len(botapi.channel_posts()) == max(len(kinds), 1)


async def test_corrections_and_deletions_done_but_answered_504_are_confirmed_by_repeating(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    sleeps: Sleeps,
) -> None:
    text_id = await scheduled_post(db)
    photo_id = await media_post(db, botapi, ["photo"])
    for article_id in (text_id, photo_id):
        assert await publisher.publish(article_id) is Outcome.PUBLISHED
    new = prepare_post("تیتر تازه\nمتن اصلاح‌شده درباره شهرداری.", bullet="🔹", signature="")
    for article_id, method in ((text_id, "editmessagetext"), (photo_id, "editmessagecaption")):
        botapi.inject_fault("server_error", method=method, status=504, apply=True)
        revision = await publisher.correct(article_id, new)
        assert revision.outcome is RevisionOutcome.CORRECTED, revision
        assert (await db.get(article_id)).html == new.messages  # the archive says what the channel shows
    assert "اصلاح‌شده" in botapi.channel_posts()[0].text and "اصلاح‌شده" in botapi.channel_posts()[1].caption
    other = MediaItem(MediaKind.PHOTO, botapi.add_file("photo", b"new").file_id)
    botapi.inject_fault("server_error", method="editmessagemedia", status=504, apply=True)
    assert (await publisher.replace_media(photo_id, [other])).outcome is RevisionOutcome.CORRECTED
    assert (await db.get(photo_id)).media == (other,)
    botapi.inject_fault("server_error", method="deletemessage", status=504, apply=True)
    assert (await publisher.delete(text_id)).outcome is RemovalOutcome.DELETED
    assert (await db.get(text_id)).deleted
    assert len(sleeps.seconds) == 4  # each write was repeated once to learn that it was done


async def test_a_post_deleted_in_the_channel_by_hand_is_gone_for_a_correction_and_new_files(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
) -> None:
    text_id = await scheduled_post(db)
    photo_id = await media_post(db, botapi, ["photo"])
    for article_id in (text_id, photo_id):
        assert await publisher.publish(article_id) is Outcome.PUBLISHED
        for message_id in (await db.get(article_id)).channel_message_ids:  # an admin deletes it
            await publisher.bot.delete_message(CHANNEL, message_id)
    new = prepare_post("تیتر تازه\nمتن اصلاح‌شده درباره شهرداری.", bullet="🔹", signature="")
    for article_id in (text_id, photo_id):
        before = (await db.get(article_id)).html
        assert (await publisher.correct(article_id, new)).outcome is RevisionOutcome.GONE
        assert (await db.get(article_id)).html == before  # the archive keeps what was published
    other = MediaItem(MediaKind.PHOTO, botapi.add_file("photo", b"new").file_id)
    assert (await publisher.replace_media(photo_id, [other])).outcome is RevisionOutcome.GONE
    assert (await db.get(photo_id)).media != (other,)
    assert botapi.channel_posts() == []


async def test_a_correction_telegram_never_answers_is_uncertain_not_failed(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
) -> None:
    article_id = await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.PUBLISHED
    botapi.inject_fault("server_error", times=10, method="editmessagetext", status=502)
    new = prepare_post("تیتر تازه\nمتن اصلاح‌شده.", bullet="🔹", signature="")
    assert (await publisher.revise(article_id, new)).outcome is RevisionOutcome.LIVE  # never unasked
    assert (await publisher.correct(article_id, new)).outcome is RevisionOutcome.UNCERTAIN
    botapi.inject_fault("server_error", times=10, method="deletemessage", status=502)
    assert (await publisher.delete(article_id)).outcome is RemovalOutcome.UNCERTAIN
    assert not (await db.get(article_id)).deleted


async def test_unanswered_request_is_uncertain_not_repeated(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    notices: Notices,
) -> None:
    # Telegram performs the call but the answer never arrives (longer than the 2 s read timeout).
    botapi.inject_fault("timeout", times=1, method="sendMessage", hang_seconds=4, apply=True)
    article_id = await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.UNCERTAIN
    assert len(botapi.channel_posts()) == 1  # posted once, and not again
    assert (await db.get(article_id)).status == "publishing"
    assert notices.uncertain_calls == [article_id]
    assert notices.published_calls == []
    assert await publisher.publish(article_id) is Outcome.SKIPPED


async def test_dropped_connection_is_uncertain(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    notices: Notices,
) -> None:
    botapi.inject_fault("disconnect", times=1, method="sendMessage")
    article_id = await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.UNCERTAIN
    assert notices.uncertain_calls == [article_id]
    assert len(botapi.calls("sendMessage")) == 1


async def test_forbidden_fails_tells_editor_and_is_recoverable(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    notices: Notices,
) -> None:
    botapi.set_channel_access("left")
    article_id = await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.FAILED
    article = await db.get(article_id)
    assert article.status == "failed" and "not_admin" in article.failure_reason
    assert [(a, r) for a, r, _ in notices.failed_calls] == [(article_id, FailureReason.NOT_ADMIN)]
    assert botapi.channel_posts() == []
    # The admin fixes the channel; the editor publishes the same post again.
    botapi.set_channel_access("administrator")
    assert await db.schedule(article_id, datetime.now(UTC))
    assert await publisher.publish(article_id) is Outcome.PUBLISHED
    assert len(botapi.channel_posts()) == 1


async def test_bad_request_fails(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    notices: Notices,
) -> None:
    article_id = await scheduled_post(db, limit_parts=["<b>broken</p>"])
    assert await publisher.publish(article_id) is Outcome.FAILED
    assert notices.failed_calls[0][1] is FailureReason.BAD_REQUEST
    assert "parse entities" in notices.failed_calls[0][2]


async def test_parts_sent_before_a_refusal_are_taken_back(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
) -> None:
    article_id = await scheduled_post(db, limit_parts=["<b>بخش یک</b>", "بخش دو"])
    channel_id = botapi.channel.id
    sent_first = []

    original = publisher.bot.send_message

    async def send_then_lose_rights(*args, **kwargs):
        message = await original(*args, **kwargs)
        sent_first.append(message.message_id)
        botapi.inject_fault("forbidden", times=1, method="sendMessage", chat_id=channel_id)
        return message

    publisher.bot = _BotWith(publisher.bot, send_message=send_then_lose_rights)
    assert await publisher.publish(article_id) is Outcome.FAILED
    assert sent_first and botapi.channel_posts() == []  # the first part was deleted again
    assert botapi.message(channel_id, sent_first[0]).deleted


async def test_quiet_hours_send_silently(tg_bot, db: Database, botapi: BotApiServer) -> None:
    tehran = ZoneInfo("Asia/Tehran")
    now_local = datetime.now(tehran).time()
    start = time(now_local.hour)
    end = time((now_local.hour + 1) % 24)
    quiet = Publisher(tg_bot, db, channel_id=CHANNEL, notices=Notices(), quiet_hours=(start, end), tz=tehran)
    loud = Publisher(tg_bot, db, channel_id=CHANNEL, notices=Notices(), quiet_hours=(end, start), tz=tehran)
    first, second = await scheduled_post(db), await scheduled_post(db)
    assert await quiet.publish(first) is Outcome.PUBLISHED
    assert await loud.publish(second) is Outcome.PUBLISHED
    assert [p.disable_notification for p in botapi.channel_posts()] == [True, False]


async def test_drain_lets_the_publication_in_flight_finish(
    tg_bot,
    db: Database,
    botapi: BotApiServer,
) -> None:
    slow = Publisher(tg_bot, db, channel_id=CHANNEL, notices=Notices(), sleep=asyncio.sleep)
    botapi.inject_fault("retry_after", times=1, method="sendMessage", retry_after=1)
    article_id = await scheduled_post(db)
    in_flight = asyncio.create_task(slow.publish(article_id))
    await botapi.wait_for(lambda: botapi.calls("sendMessage"))
    in_flight.cancel()  # the caller goes away (a stopping job queue): the publication does not
    await slow.drain()
    assert (await db.get(article_id)).status == "published"
    assert len(botapi.channel_posts()) == 1
    later = await scheduled_post(db)
    assert await slow.publish(later) is Outcome.SKIPPED  # closed for new work after drain


class _BotWith:
    """A bot whose chosen methods are replaced, everything else passed through."""

    def __init__(self, bot, **methods) -> None:
        self._bot = bot
        self.__dict__.update(methods)

    def __getattr__(self, name: str):
        return getattr(self._bot, name)


async def test_connection_refused_is_retried_then_failed(db: Database, sleeps: Sleeps) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    notices = Notices()
    offline = ExtBot("1:" + "a" * 30, base_url=f"http://127.0.0.1:{port}/bot")
    publisher = Publisher(
        offline, db, channel_id=CHANNEL, notices=notices, retry=RetryPolicy(max_attempts=3), sleep=sleeps
    )
    article_id = await scheduled_post(db)
    assert await publisher.publish(article_id) is Outcome.FAILED  # never sent: retried, not "uncertain"
    assert sleeps.seconds == [1.0, 2.0]
    assert notices.failed_calls[0][1] is FailureReason.NETWORK
    assert notices.uncertain_calls == []
    assert (await db.get(article_id)).status == "failed"


async def test_parts_are_recorded_so_a_cut_off_post_resumes_after_them(
    publisher: Publisher,
    db: Database,
    botapi: BotApiServer,
    notices: Notices,
) -> None:
    article_id = await scheduled_post(db, limit_parts=["<b>بخش یک</b>", "بخش دو", "بخش سه"])
    original = publisher.bot.send_message
    channel_id = botapi.channel.id

    async def lose_the_answer_after_the_first(*args, **kwargs):
        message = await original(*args, **kwargs)
        if len(botapi.channel_posts()) == 1:
            botapi.inject_fault("disconnect", times=1, method="sendMessage", chat_id=channel_id)
        return message

    publisher.bot = _BotWith(publisher.bot, send_message=lose_the_answer_after_the_first)
    assert await publisher.publish(article_id) is Outcome.UNCERTAIN
    [first] = botapi.channel_posts()
    article = await db.get(article_id)
    assert article.status == "publishing" and article.channel_message_ids == [first.message_id]
    assert notices.uncertain_calls == [article_id]

    # The editor looked: part two is not in the channel. Publishing resumes with it, not from the start.
    publisher.bot = publisher.bot._bot
    assert await db.revert_to_scheduled(article_id, datetime.now(UTC))
    assert await publisher.publish(article_id) is Outcome.PUBLISHED
    posts = botapi.channel_posts()
    assert [p.text for p in posts] == ["بخش یک", "بخش دو", "بخش سه"]
    assert (await db.get(article_id)).channel_message_ids == [p.message_id for p in posts]


async def test_a_post_is_held_by_one_operation_at_a_time_even_as_its_lock_changes_hands(
    publisher: Publisher,
) -> None:
    """A third comer arriving between a release and the waiter's wake-up must wait too (the lock
    was once dropped when merely unlocked, and a new one let two operations hold the post)."""
    holding: list[str] = []
    most = 0

    async def operation(name: str, hold: asyncio.Event | None = None) -> None:
        nonlocal most
        async with publisher._post(7):
            holding.append(name)
            most = max(most, len(holding))
            if hold is not None:
                await hold.wait()
            await asyncio.sleep(0)
            holding.remove(name)

    release = asyncio.Event()
    first = asyncio.create_task(operation("first", release))
    await asyncio.sleep(0)
    second = asyncio.create_task(operation("second"))
    await asyncio.sleep(0)  # the second now waits on the first's lock
    release.set()
    while "first" in holding:
        await asyncio.sleep(0)
    third = asyncio.create_task(operation("third"))  # the lock is released, the second not yet awake
    await asyncio.gather(first, second, third)
    assert most == 1
    assert not publisher._post_locks
