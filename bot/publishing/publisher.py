"""Publishing one post into the channel: the driver of the post state machine
(docs/architecture.md).

`Publisher.publish(article_id)` claims the row (`scheduled → publishing`, atomic, so a post is
never sent by two paths), sends its stored messages — the exact HTML the editor previewed — and
marks it `published` with the channel message ids, which also indexes it for search in the same
transaction. Flood limits (`RetryAfter`) are waited out; only a request that never left (the
connection was never made) is retried with backoff. A request that left and got no clear answer —
a 5xx (Telegram may have performed it and answered 504), a read timeout, a dropped connection — may
have been posted: it is not repeated but put to the editor as uncertain, exactly like a crash
mid-send. The other writes (corrections of a text, a caption or a file, deletions) can be checked
by repeating them: an edit Telegram already applied answers "message is not modified", a deletion
already done "message to delete not found", so a doubtful one is repeated until Telegram says which;
if it never does, the editor is told that it is unknown, not that it failed. A permanent refusal (403
bot not admin, 400 bad request) or retries running out marks the post `failed`, deletes any part
already sent, and tells the editor why; the post stays recoverable.

Publications run one at a time (a post's parts are never interleaved with another's) and as tasks
of their own, so shutdown can let the one in flight finish (`drain`).

Each part's channel message id is recorded as soon as Telegram confirms it, so the only doubt a
crash can leave is about one part: the first unrecorded one. At start-up (bot.publishing.scheduler) a row
left in `publishing` with every part recorded is completed; otherwise the editor is asked about
that part, and a retry resumes after the recorded parts instead of repeating them.

The Publisher is the one door to the channel: besides sending, it gives a post not yet out a new
text (`revise`, which never touches one already out), corrects a published post once the editor
confirmed it (`correct`), deletes one (`delete`) and acts on the editor's answer about an uncertain part
(`confirm_uncertain_part`, `send_uncertain_anyway`, `drop_uncertain`). Every one of these holds the
post's own lock, as a send does, so a correction or a deletion never reaches the channel while the
same post is still being sent: it waits, then applies to the post as it is. Retries follow the one
`bot.publishing.retry.RetryPolicy`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import sqlite3
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

import httpx
from telegram import (
    Bot,
    InputMediaAnimation,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.core.history import Act, Writes
from bot.core.media import MediaItem, MediaKind, Part, message_total, parts_covered, plan_parts
from bot.core.post import Article
from bot.core.status import EDITABLE, PostStatus
from bot.destinations import CopyFollow
from bot.publishing.formatter import PreparedPost
from bot.publishing.history import History
from bot.publishing.retry import DEFAULT_RETRY, ON_WIRE, RetryPolicy, Wire
from bot.publishing.slots import rings
from bot.publishing.uncertain import UncertainParts
from storage.database import Database

log = logging.getLogger(__name__)

_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
NOT_MODIFIED = "message is not modified"  # an edit repeated after Telegram had applied it
ALREADY_GONE = "message to delete not found"  # a deletion repeated after Telegram had done it

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # a post's links stay links, not a preview card


class Outcome(StrEnum):
    """How a call to `Publisher.publish` ended."""

    PUBLISHED = "published"
    FAILED = "failed"
    UNCERTAIN = "uncertain"  # sent, but no answer: left in `publishing` and put to the editor
    SKIPPED = "skipped"  # not due or no longer scheduled: someone else already handled it
    INTERRUPTED = "interrupted"  # cut off by a stop before its request left: it resumes at the next start


class FailureReason(StrEnum):
    """Why Telegram did not take a post."""

    NOT_ADMIN = "not_admin"
    BAD_REQUEST = "bad_request"
    NETWORK = "network"


class EditorNotices(Protocol):
    """What the publisher tells editors; implemented by `handlers.notices.EditorNotices`."""

    async def published(self, article: Article, message_ids: Sequence[int]) -> None: ...

    async def failed(self, article: Article, reason: FailureReason, detail: str) -> None: ...

    async def uncertain(self, article: Article) -> None: ...


class UncertainDelivery(Exception):
    """A message request left but no answer came back: it may or may not be in the channel."""


class UnknownOutcome(Exception):
    """A repeatable write (an edit, a deletion) that Telegram never confirmed nor refused."""


class PublishError(Exception):
    """Telegram refused a message for good, or never answered."""

    def __init__(self, reason: FailureReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class RevisionOutcome(StrEnum):
    """How giving a post a new text ended."""

    UPDATED = "updated"  # not yet sent: the new text goes out
    LIVE = "live"  # already in the channel (maybe since a moment): only a confirmed correction changes it
    CORRECTED = "corrected"  # published: edited in the channel and the archive
    UNCHANGED = "unchanged"
    PARTS_DIFFER = "parts_differ"  # the new text needs another number of messages
    UNKNOWN_IDS = "unknown_ids"  # a part was confirmed by eye: its message cannot be edited
    GONE = "gone"  # the channel message no longer exists
    FAILED = "failed"
    UNCERTAIN = "uncertain"  # Telegram never said whether it applied the change
    REFUSED = "refused"  # cancelled, deleted or missing


@dataclass(frozen=True, slots=True)
class Revision:
    """The outcome of `Publisher.revise`, with the post as it was before."""

    outcome: RevisionOutcome
    article: Article | None
    detail: str = ""


def _unapplied(article: Article, error: TelegramError | UnknownOutcome) -> Revision:
    """A new text or file of a published post that Telegram did not apply: its message deleted in the
    channel by hand, never answered for, or refused."""
    if isinstance(error, UnknownOutcome):
        return Revision(RevisionOutcome.UNCERTAIN, article, str(error))
    if isinstance(error, BadRequest):
        if "not found" in error.message.lower():
            return Revision(RevisionOutcome.GONE, article)
        return Revision(RevisionOutcome.FAILED, article, error.message)
    return Revision(RevisionOutcome.FAILED, article, str(error))


class RemovalOutcome(StrEnum):
    """How deleting a published post ended."""

    DELETED = "deleted"
    FAILED = "failed"
    UNCERTAIN = "uncertain"  # Telegram never said whether the messages are gone
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Removal:
    """The outcome of `Publisher.delete`; `unknown`: parts whose message id was never known."""

    outcome: RemovalOutcome
    article: Article | None
    detail: str = ""
    unknown: int = 0


def _first_ids(parts: Sequence[Part], message_ids: Sequence[int]) -> list[int]:
    """The channel message id each part starts at (an album's first item holds its caption)."""
    firsts, at = [], 0
    for part in parts:
        firsts.append(message_ids[at])
        at += part.message_count
    return firsts


def message_ids_known(article: Article) -> bool:
    """Whether every channel message of a published post is known by id (a part confirmed by eye
    after a crash is not): only then can the post be corrected in place."""
    ids = article.channel_message_ids
    return len(ids) == message_total(article.parts) and all(message_id > 0 for message_id in ids)


def utc_now() -> datetime:
    """The current moment, aware UTC (the default clock of the bot)."""
    return datetime.now(UTC)


def may_have_arrived(error: NetworkError) -> bool:
    """Whether a failed request may still have been performed by Telegram.

    Only a connection that was never made, or a pool timeout, sent nothing. A 5xx answer (no httpx
    cause) proves nothing: Telegram may have performed the call and lost its answer (504 after the
    message was posted), and a timeout or a dropped connection left without an answer."""
    return not isinstance(error.__cause__, _NEVER_SENT)


def retry_seconds(error: RetryAfter) -> float:
    """`retry_after` in seconds, whichever type this PTB version gives it."""
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


_INPUT_MEDIA = {
    MediaKind.PHOTO: InputMediaPhoto,
    MediaKind.VIDEO: InputMediaVideo,
    MediaKind.AUDIO: InputMediaAudio,
    MediaKind.DOCUMENT: InputMediaDocument,
    MediaKind.ANIMATION: InputMediaAnimation,  # an edited GIF post's new file; albums take none
}


def input_media(
    item: MediaItem, caption: str = ""
) -> InputMediaPhoto | InputMediaVideo | InputMediaAudio | InputMediaDocument | InputMediaAnimation:
    """An album item (or an edited message's new file), with its HTML caption."""
    return _INPUT_MEDIA[item.kind](
        item.file_id, caption=caption or None, parse_mode=ParseMode.HTML if caption else None
    )


async def send_part(bot: Bot, chat_id: str | int, part: Part, **options: object) -> list[Message]:
    """One part of a post (`bot.core.media.Part`): a text message, one file with its caption, or an
    album in one request with the caption on its first item. The editor's preview and the channel
    get their parts through here, so they are the same."""
    if not part.media:
        message = await bot.send_message(
            chat_id, part.html, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW, **options
        )  # type: ignore[arg-type]
        return [message]
    if len(part.media) > 1:
        items = [input_media(item, part.html if i == 0 else "") for i, item in enumerate(part.media)]
        options.pop("reply_markup", None)  # an album takes no buttons
        return list(await bot.send_media_group(chat_id, items, **options))  # type: ignore[arg-type]
    (item,) = part.media
    send = {
        MediaKind.PHOTO: bot.send_photo,
        MediaKind.VIDEO: bot.send_video,
        MediaKind.ANIMATION: bot.send_animation,
        MediaKind.AUDIO: bot.send_audio,
        MediaKind.DOCUMENT: bot.send_document,
    }[item.kind]
    caption = {"caption": part.html, "parse_mode": ParseMode.HTML} if part.html else {}
    return [await send(chat_id, item.file_id, **caption, **options)]  # type: ignore[operator]


async def repeat_until_answered(
    call: Callable[[], Awaitable[object]],
    *,
    done_when: str,
    retry: RetryPolicy,
    sleep: Callable[[float], Awaitable[None]],
) -> None:
    """A channel write that may be repeated (an edit, a deletion): a request with no clear answer is
    sent again until Telegram answers; `done_when` in its refusal (e.g. "message is not modified")
    after a doubtful try means the earlier try was applied. Flood waits are waited out, refusals
    raised; `UnknownOutcome` if Telegram never answers clearly within the retry policy."""
    attempt = flood_waits = 0
    doubtful = False
    while True:
        try:
            await call()
            return
        except RetryAfter as error:
            flood_waits += 1
            if flood_waits > retry.max_flood_waits:
                raise
            await sleep(retry_seconds(error))
        except BadRequest as error:  # a NetworkError too: caught first
            if doubtful and done_when in error.message.lower():
                return
            raise
        except NetworkError as error:
            doubtful = doubtful or may_have_arrived(error)
            attempt += 1
            if attempt >= retry.max_attempts:
                if doubtful:
                    raise UnknownOutcome(str(error)) from error
                raise
            log.info("channel write unanswered (%s), repeated (%d)", error, attempt)
            await sleep(retry.backoff(attempt))


async def until_recorded(
    write: Callable[[], Awaitable[bool]], *, sleep: Callable[[float], Awaitable[None]]
) -> bool:
    """Record what Telegram confirmed, whatever it takes: the post is in the channel, so a database
    locked by another program is waited out (failing here told the editor it did not work, and left
    the row to be asked about with "send" offered: a duplicate)."""
    wait = 1.0
    while True:
        try:
            return await write()
        except sqlite3.OperationalError as error:
            if not {"locked", "busy"} & set(str(error).lower().split()):
                raise
            log.warning("database locked while recording a sent post; again in %g s", wait)
            await sleep(wait)
            wait = min(wait * 2, 30.0)


async def edit_in_place(
    bot: Bot,
    channel_id: str | int,
    message_id: int,
    part: Part,
    retry: RetryPolicy,
    sleep: Callable[[float], Awaitable[None]],
) -> None:
    """A channel message's new text, or its caption (an album's is on its first item); repeated until
    Telegram answers, a repeat after an applied edit answering "message is not modified"."""
    if part.media:
        edit = functools.partial(bot.edit_message_caption, channel_id, message_id, caption=part.html)
    else:
        edit = functools.partial(
            bot.edit_message_text, part.html, channel_id, message_id, link_preview_options=NO_PREVIEW
        )
    await repeat_until_answered(
        functools.partial(edit, parse_mode=ParseMode.HTML), done_when=NOT_MODIFIED, retry=retry, sleep=sleep
    )


class Publisher(UncertainParts):
    """Sends scheduled posts to the channel, exactly once, and records the outcome (and every act's
    trace in the post's history, `bot.publishing.history`)."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        *,
        channel_id: str | int,
        notices: EditorNotices,
        quiet_hours: tuple[time, time] | None = None,
        tz: ZoneInfo | None = None,
        retry: RetryPolicy = DEFAULT_RETRY,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self.db = db
        self.channel_id = channel_id
        self.notices = notices
        self.quiet_hours = quiet_hours
        self.tz = tz
        self.retry = retry
        self.clock = clock
        self.sleep = sleep
        self._one_at_a_time = asyncio.Lock()
        self._in_flight: set[asyncio.Task[Outcome]] = set()
        self._closing = False
        self._interrupted = False
        self._cutting: asyncio.Task[None] | None = None
        self._sending: int | None = None
        self._wire: Wire | None = None  # the send in progress: may its request be with Telegram?
        self._post_locks: dict[int, tuple[asyncio.Lock, int]] = {}  # lock, its holder and waiters
        self.history = History(db, clock, functools.partial(until_recorded, sleep=sleep))

    async def publish(
        self, article_id: int, *, due_by: datetime | None = None, by: int | None = None
    ) -> Outcome:
        """Publish the post if it is still scheduled (and due by `due_by`, default now); `by`: the
        editor who asked (None: the schedule), for the post's history, as in every act below."""
        if self._closing:
            return Outcome.SKIPPED
        task = asyncio.get_running_loop().create_task(self._publish(article_id, due_by, by))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        # Shielded: a cancelled caller (a stopping job queue) must not cut a publication in half.
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.cancelled() and self._interrupted:  # cut off by `interrupt_after`, not our caller
                return Outcome.INTERRUPTED
            raise

    def is_sending(self, article_id: int) -> bool:
        """Whether this process is sending the post right now (so `publishing` is not a leftover)."""
        return self._sending == article_id

    def interrupt_after(self, seconds: float) -> None:
        """A stop: refuse new publications, and cut off those still running after `seconds` (a flood
        wait may last minutes; systemd and our docs give a stop 10 s). A post cut off before its
        request left goes back to `scheduled` and resumes at the next start; one whose request may
        be with Telegram stays `publishing`, put to the editor at the next start."""
        self._closing = True
        self._cutting = asyncio.get_running_loop().create_task(self._cut_off(seconds))

    async def _cut_off(self, grace: float) -> None:
        """After `grace`, cancel the publication in flight once it is only waiting (the rate limiter,
        a flood wait: `Wire.left` false); never while Telegram has its request or it is recorded."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while self._in_flight:
            if loop.time() >= deadline and self._wire is not None and not self._wire.left:
                self._interrupted = True
                for task in self._in_flight:
                    task.cancel()
                return
            await asyncio.sleep(0.05)

    async def drain(self) -> None:
        """Refuse new publications and wait for those in flight to finish."""
        self._closing = True
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        cutting, self._cutting = self._cutting, None
        if cutting is not None:  # nothing left to cut off: the watch ends with the publications
            cutting.cancel()
            await asyncio.gather(cutting, return_exceptions=True)

    @contextlib.asynccontextmanager
    async def _post(self, article_id: int) -> AsyncIterator[None]:
        """Hold one post: its send, a correction, a deletion and an uncertain part's answer never
        overlap, so nothing edits or deletes a post while it is still being sent."""
        # A post's lock is dropped when its last holder or waiter is done, not when it is merely
        # unlocked: between a release and the next waiter's wake-up it is unlocked but still promised.
        lock, users = self._post_locks.get(article_id, (asyncio.Lock(), 0))
        self._post_locks[article_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._post_locks[article_id]
            if users == 1:
                del self._post_locks[article_id]
            else:
                self._post_locks[article_id] = (lock, users - 1)

    async def _publish(self, article_id: int, due_by: datetime | None, by: int | None) -> Outcome:
        async with self._one_at_a_time, self._post(article_id):
            due_by = due_by or self.clock() + timedelta(seconds=1)
            if not await self.db.claim_for_publishing(article_id, due_by=due_by):
                return Outcome.SKIPPED
            self._sending = article_id
            try:
                outcome, article, sent = await self._send_claimed(article_id, by)
            finally:
                self._sending = None
        if outcome is Outcome.PUBLISHED:
            await self._tell(self.notices.published(article, sent))
        elif outcome is Outcome.UNCERTAIN:
            await self._tell(self.notices.uncertain(article))
        return outcome

    async def _send_claimed(self, article_id: int, by: int | None) -> tuple[Outcome, Article, list[int]]:
        article = await self.db.get(article_id)
        assert article is not None  # claimed just now
        silent = not rings(article.ring, self.clock(), self.quiet_hours if self.tz else None, self.tz or UTC)
        # Parts recorded by an earlier attempt that was cut off are in the channel: resume after them.
        sent = list(article.channel_message_ids)
        parts = article.parts
        self._wire = Wire(left=False)  # nothing of this post is with Telegram unrecorded
        try:
            for part in parts[parts_covered(parts, sent) :]:
                messages = await self._send(part, silent=silent)
                sent.extend(message.message_id for message in messages)  # an album: all its ids at once
                await until_recorded(
                    functools.partial(self.db.record_sent_parts, article_id, list(sent)), sleep=self.sleep
                )
                self._wire = Wire()  # between parts and while marking it published: not to be cut
        except PublishError as error:
            log.warning("post %s failed: %s", article_id, error)
            writes = Writes(sent=list(sent), deleted=await self.take_back(sent))
            await self.history.record(article_id, Act.FAILED, by, writes, reason=str(error))
            await self.db.record_sent_parts(article_id, [])
            await self.db.mark_failed(article_id, f"{error.reason}: {error.detail}")
            await self._tell(self.notices.failed(article, error.reason, error.detail))
            return Outcome.FAILED, article, sent
        except UncertainDelivery as error:
            log.warning("post %s may or may not be in the channel: %s", article_id, error)
            await self.history.record(article_id, Act.UNCERTAIN, by, Writes(sent), reason=str(error))
            return Outcome.UNCERTAIN, await self.db.get(article_id) or article, sent
        except asyncio.CancelledError:  # cut off by a stop while only waiting (`_cut_off`)
            await self.db.revert_to_scheduled(article_id)  # its recorded parts stay recorded
            log.warning("post %s cut off by the stop before it left: resumes at the next start", article_id)
            raise
        known = [message_id for message_id in sent if message_id > 0]
        await until_recorded(
            functools.partial(self.db.mark_published, article_id, known, self.clock()), sleep=self.sleep
        )
        await self.history.record(article_id, Act.PUBLISHED, by, Writes(known), ring=not silent)
        log.info("post %s published as messages %s", article_id, sent)
        return Outcome.PUBLISHED, article, known

    async def _send(self, part: Part, *, silent: bool) -> list[Message]:
        """One part (a message, a file or an album), with flood waits and retries; `PublishError`
        when it cannot go."""
        attempt = flood_waits = 0
        while True:
            self._wire = Wire()
            wire_token = ON_WIRE.set(self._wire)  # bot.publishing.retry.WireRateLimiter says when it left
            try:
                return await send_part(self.bot, self.channel_id, part, disable_notification=silent)
            except RetryAfter as error:
                self._wire.left = False  # answered: nothing was done
                flood_waits += 1
                if flood_waits > self.retry.max_flood_waits:
                    raise PublishError(FailureReason.NETWORK, str(error)) from error
                await self.sleep(retry_seconds(error))
            except Forbidden as error:
                raise PublishError(FailureReason.NOT_ADMIN, error.message) from error
            except (BadRequest, ChatMigrated) as error:  # BadRequest is a NetworkError: catch it first
                raise PublishError(FailureReason.BAD_REQUEST, str(error)) from error
            except NetworkError as error:  # timeouts, 5xx, connection refused
                if may_have_arrived(error):
                    raise UncertainDelivery(str(error)) from error
                attempt += 1
                if attempt >= self.retry.max_attempts:
                    raise PublishError(FailureReason.NETWORK, str(error)) from error
                log.info("send failed (%s), retry %d", error, attempt)
                await self.sleep(self.retry.backoff(attempt))
            except TelegramError as error:
                raise PublishError(FailureReason.BAD_REQUEST, str(error)) from error
            finally:
                ON_WIRE.reset(wire_token)

    # --- the other channel writes: every one goes through here, one post at a time ---

    async def revise(self, article_id: int, post: PreparedPost) -> Revision:
        """Give a post not yet sent a new text for its send. A post being sent right now is waited
        for; one in the channel by then is left as it is (`LIVE`): only `correct` changes it."""
        async with self._post(article_id):
            article = await self.db.get(article_id)
            if article is None or article.deleted:
                return Revision(RevisionOutcome.REFUSED, article)
            if article.status in EDITABLE:
                ok = await self.db.update_draft(
                    article_id, post.title, post.body, post.messages, source_text=post.source_text
                )
                return Revision(RevisionOutcome.UPDATED if ok else RevisionOutcome.REFUSED, article)
            live = article.status is PostStatus.PUBLISHED
            return Revision(RevisionOutcome.LIVE if live else RevisionOutcome.REFUSED, article)

    async def correct(self, article_id: int, post: PreparedPost, *, by: int | None = None) -> Revision:
        """Correct a published post in the channel with a new text the editor confirmed."""
        async with self._post(article_id):
            article = await self.db.get(article_id)
            if article is None or article.deleted or article.status is not PostStatus.PUBLISHED:
                return Revision(RevisionOutcome.REFUSED, article)
            return await self._correct_published(article, post, by)

    async def _correct_published(self, article: Article, post: PreparedPost, by: int | None) -> Revision:
        """Edit each changed message of a published post. A text that takes more messages sends the
        extra ones as replies to the post; one that takes fewer deletes the surplus messages. The
        media messages stay where they are (a text cannot add or remove a file)."""
        old_parts, new_parts = article.parts, plan_parts(article.media, post.messages)
        if not message_ids_known(article):
            return Revision(RevisionOutcome.UNKNOWN_IDS, article)
        media_at = [i for i, part in enumerate(old_parts) if part.media]
        if media_at != [i for i, part in enumerate(new_parts) if part.media]:
            return Revision(RevisionOutcome.PARTS_DIFFER, article)
        if post.messages == article.html:
            return Revision(RevisionOutcome.UNCHANGED, article)
        first_ids = _first_ids(old_parts, article.channel_message_ids)
        kept = min(len(old_parts), len(new_parts))
        kept_ids = sum(part.message_count for part in old_parts[:kept])
        message_ids = list(article.channel_message_ids[:kept_ids])
        try:
            async with self.history.correcting(article, post, by) as writes:
                for extra in new_parts[kept:]:  # first the new messages: a failure leaves the old post whole
                    sent = await send_part(
                        self.bot, self.channel_id, extra, reply_parameters=ReplyParameters(first_ids[0]),
                        disable_notification=True,
                    )  # fmt: skip
                    message_ids.extend(message.message_id for message in sent)
                    writes.sent.extend(message.message_id for message in sent)
                edits = zip(first_ids[:kept], old_parts[:kept], new_parts[:kept], strict=True)
                for message_id, old, new in edits:
                    if old.html != new.html:
                        await edit_in_place(
                            self.bot, self.channel_id, message_id, new, self.retry, self.sleep
                        )
                        writes.edited.append(message_id)
                for message_id in article.channel_message_ids[kept_ids:]:  # the surplus messages
                    await self.bot.delete_message(self.channel_id, message_id)
                    writes.deleted.append(message_id)
        except (TelegramError, UnknownOutcome) as error:
            return _unapplied(article, error)
        await self.db.update_published_content(article.id, post.title, post.body, post.messages, message_ids)
        return Revision(RevisionOutcome.CORRECTED, article)

    async def replace_media(
        self, article_id: int, media: Sequence[MediaItem], *, by: int | None = None
    ) -> Revision:
        """New files for a post (`media`: the post's whole media after the change, as
        `bot.core.media.replaced_media` decides it): a draft's are replaced; in a published post each media
        message whose file changed is edited in the channel (editMessageMedia), the first keeping its
        caption. Each edit Telegram confirms is recorded at once, so a failure midway leaves the
        archive as the channel is."""
        async with self._post(article_id):
            article = await self.db.get(article_id)
            if article is None or article.deleted or len(media) != len(article.media) or not media:
                return Revision(RevisionOutcome.REFUSED, article)
            if article.status in EDITABLE:
                ok = await self.db.set_media(article_id, media)
                return Revision(RevisionOutcome.UPDATED if ok else RevisionOutcome.REFUSED, article)
            if article.status is not PostStatus.PUBLISHED:
                return Revision(RevisionOutcome.REFUSED, article)
            ids = article.channel_message_ids
            if len(ids) != message_total(article.parts) or any(i <= 0 for i in ids[: len(media)]):
                return Revision(RevisionOutcome.UNKNOWN_IDS, article)
            if tuple(media) == article.media:
                return Revision(RevisionOutcome.UNCHANGED, article)
            caption = article.parts[0].html  # the media part comes first; its first item holds the caption
            now = list(article.media)
            changed = tuple(place + 1 for place, item in enumerate(media) if item != now[place])
            try:
                async with self.history.act(article_id, Act.MEDIA, by, items=changed) as writes:
                    for place, item in enumerate(media):
                        if item == now[place]:
                            continue
                        shown = input_media(item, caption if place == 0 else "")
                        await repeat_until_answered(
                            functools.partial(
                                self.bot.edit_message_media, shown, self.channel_id, ids[place]
                            ),
                            done_when=NOT_MODIFIED,
                            retry=self.retry,
                            sleep=self.sleep,
                        )
                        now[place] = item
                        await self.db.set_media(article_id, now, published=True)
                        writes.edited.append(ids[place])
            except (TelegramError, UnknownOutcome) as error:
                return _unapplied(article, error)
            return Revision(RevisionOutcome.CORRECTED, article)

    async def copies_following(self, article: Article, *, deletion: bool = False) -> list[CopyFollow]:
        """What a correction (a deletion) of `article` would do to its copies elsewhere: none here
        (`bot.publishing.copy_edits.MirroredPublisher` has them)."""
        return []

    async def delete(self, article_id: int, *, by: int | None = None) -> Removal:
        """Delete a published post from the channel, then from the archive."""
        async with self._post(article_id):
            article = await self.db.get(article_id)
            if article is None or article.status is not PostStatus.PUBLISHED or article.deleted:
                return Removal(RemovalOutcome.REFUSED, article)
            try:
                async with self.history.act(article_id, Act.DELETED, by) as writes:
                    for message_id in article.channel_message_ids:
                        if message_id <= 0:
                            continue
                        try:
                            await repeat_until_answered(
                                functools.partial(self.bot.delete_message, self.channel_id, message_id),
                                done_when=ALREADY_GONE,
                                retry=self.retry,
                                sleep=self.sleep,
                            )
                        except BadRequest as error:
                            if "not found" not in error.message.lower():  # already gone is what we wanted
                                raise
                        writes.deleted.append(message_id)
            except BadRequest as error:
                return Removal(RemovalOutcome.FAILED, article, error.message)
            except UnknownOutcome as error:
                return Removal(RemovalOutcome.UNCERTAIN, article, str(error))
            except TelegramError as error:
                return Removal(RemovalOutcome.FAILED, article, str(error))
            await self.db.mark_deleted(article_id)
            unknown = sum(1 for message_id in article.channel_message_ids if message_id <= 0)
            unknown += message_total(article.parts) - len(article.channel_message_ids)
            return Removal(RemovalOutcome.DELETED, article, unknown=unknown)

    async def _tell(self, notice: Awaitable[None]) -> None:
        """Tell the editor; a notice that cannot be delivered must not undo a publication."""
        try:
            await notice
        except TelegramError as error:
            log.warning("could not notify the editor: %s", error)
