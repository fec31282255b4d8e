"""Publishing one post into the channel: the driver of DESIGN.md's state machine.

`Publisher.publish(article_id)` claims the row (`scheduled → publishing`, atomic, so a post is
never sent by two paths), sends its stored messages — the exact HTML the editor previewed — and
marks it `published` with the channel message ids, which also indexes it for search in the same
transaction. Flood limits (`RetryAfter`) are waited out; errors that prove nothing was posted
(Telegram answered 5xx, or the connection was never made) are retried with backoff. A request that
left but got no answer (read timeout, dropped connection) may have been posted: it is not repeated
but reported to the editor as uncertain, exactly like a crash mid-send. A permanent refusal (403
bot not admin, 400 bad request) or retries running out marks the post `failed`, deletes any part
already sent, and tells the editor why; the post stays recoverable.

Publications run one at a time (a post's parts are never interleaved with another's) and as tasks
of their own, so shutdown can let the one in flight finish (`drain`).

Each part's channel message id is recorded as soon as Telegram confirms it, so the only doubt a
crash can leave is about one part: the first unrecorded one. At start-up (bot.scheduler) a row
left in `publishing` with every part recorded is completed; otherwise the editor is asked about
that part, and a retry resumes after the recorded parts instead of repeating them.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

import httpx
from telegram import Bot, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.schedule import is_quiet
from bot.text.draft import parse_draft
from bot.text.render import render_post
from storage.database import Article, Database

log = logging.getLogger(__name__)

_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

TITLE_FALLBACK_CHARS = 120  # a draft without a headline is archived under its first words


class Outcome(StrEnum):
    """How a call to `Publisher.publish` ended."""

    PUBLISHED = "published"
    FAILED = "failed"
    UNCERTAIN = "uncertain"  # sent, but no answer: left in `publishing` and put to the editor
    SKIPPED = "skipped"  # not due or no longer scheduled: someone else already handled it


class FailureReason(StrEnum):
    """Why Telegram did not take a post."""

    NOT_ADMIN = "not_admin"
    BAD_REQUEST = "bad_request"
    NETWORK = "network"


class EditorNotices(Protocol):
    """What the publisher tells editors; implemented by the editor desk (handlers.editor)."""

    async def published(self, article: Article, message_ids: Sequence[int]) -> None: ...

    async def failed(self, article: Article, reason: FailureReason, detail: str) -> None: ...

    async def uncertain(self, article: Article) -> None: ...


class UncertainDelivery(Exception):
    """A message request left but no answer came back: it may or may not be in the channel."""


class PublishError(Exception):
    """Telegram refused a message for good, or never answered."""

    def __init__(self, reason: FailureReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def utc_now() -> datetime:
    """The current moment, aware UTC (the default clock of the bot)."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class PreparedPost:
    """A draft made ready for the channel: archive title and body, and the exact HTML messages."""

    title: str
    body: str
    messages: list[str]


def prepare_post(text: str, *, bullet: str, signature: str) -> PreparedPost:
    """Parse and render a draft once; the preview shows, and the channel gets, these messages."""
    draft = parse_draft(text)
    messages = render_post(draft, bullet=bullet, signature=signature)
    body = "\n\n".join(block.text for block in draft.blocks)
    title = draft.headline or (draft.blocks[0].text[:TITLE_FALLBACK_CHARS] if draft.blocks else "")
    return PreparedPost(title=title, body=body, messages=messages)


def may_have_arrived(error: NetworkError) -> bool:
    """Whether a failed request may still have been performed by Telegram.

    No httpx cause means Telegram answered (5xx): nothing was done. A connection that was never
    made, or a pool timeout, sent nothing either. Anything else left and got no answer."""
    cause = error.__cause__
    return cause is not None and not isinstance(cause, _NEVER_SENT)


def retry_seconds(error: RetryAfter) -> float:
    """`retry_after` in seconds, whichever type this PTB version gives it."""
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Publisher:
    """Sends scheduled posts to the channel, exactly once, and records the outcome."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        *,
        channel_id: str | int,
        notices: EditorNotices,
        quiet_hours: tuple[time, time] | None = None,
        tz: ZoneInfo | None = None,
        max_attempts: int = 6,
        backoff_seconds: float = 1.0,
        max_flood_waits: int = 20,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self.db = db
        self.channel_id = channel_id
        self.notices = notices
        self.quiet_hours = quiet_hours
        self.tz = tz
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.max_flood_waits = max_flood_waits
        self.clock = clock
        self.sleep = sleep
        self._one_at_a_time = asyncio.Lock()
        self._in_flight: set[asyncio.Task[Outcome]] = set()
        self._closing = False
        self._sending: int | None = None

    async def publish(self, article_id: int, *, due_by: datetime | None = None) -> Outcome:
        """Publish the post if it is still scheduled (and due by `due_by`, default now)."""
        if self._closing:
            return Outcome.SKIPPED
        task = asyncio.get_running_loop().create_task(self._publish(article_id, due_by))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        # Shielded: a cancelled caller (a stopping job queue) must not cut a publication in half.
        return await asyncio.shield(task)

    def is_sending(self, article_id: int) -> bool:
        """Whether this process is sending the post right now (so `publishing` is not a leftover)."""
        return self._sending == article_id

    async def drain(self) -> None:
        """Refuse new publications and wait for those in flight to finish."""
        self._closing = True
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def _publish(self, article_id: int, due_by: datetime | None) -> Outcome:
        async with self._one_at_a_time:
            due_by = due_by or self.clock() + timedelta(seconds=1)
            if not await self.db.claim_for_publishing(article_id, due_by=due_by):
                return Outcome.SKIPPED
            self._sending = article_id
            try:
                outcome, article, sent = await self._send_claimed(article_id)
            finally:
                self._sending = None
        if outcome is Outcome.PUBLISHED:
            await self._tell(self.notices.published(article, sent))
        elif outcome is Outcome.UNCERTAIN:
            await self._tell(self.notices.uncertain(article))
        return outcome

    async def _send_claimed(self, article_id: int) -> tuple[Outcome, Article, list[int]]:
        article = await self.db.get(article_id)
        assert article is not None  # claimed just now
        silent = self.tz is not None and is_quiet(self.clock(), self.quiet_hours, self.tz)
        # Parts recorded by an earlier attempt that was cut off are in the channel: resume after them.
        sent = list(article.channel_message_ids)
        try:
            for html in article.html[len(sent) :]:
                message = await self._send(html, silent=silent)
                sent.append(message.message_id)
                await self.db.record_sent_parts(article_id, sent)
        except PublishError as error:
            log.warning("post %s failed: %s", article_id, error)
            await self.take_back(sent)
            await self.db.record_sent_parts(article_id, [])
            await self.db.mark_failed(article_id, f"{error.reason}: {error.detail}")
            await self._tell(self.notices.failed(article, error.reason, error.detail))
            return Outcome.FAILED, article, sent
        except UncertainDelivery as error:
            log.warning("post %s may or may not be in the channel: %s", article_id, error)
            return Outcome.UNCERTAIN, await self.db.get(article_id) or article, sent
        known = [message_id for message_id in sent if message_id > 0]
        await self.db.mark_published(article_id, known, self.clock())
        log.info("post %s published as messages %s", article_id, sent)
        return Outcome.PUBLISHED, article, known

    async def _send(self, html: str, *, silent: bool) -> Message:
        """One channel message, with flood waits and retries; `PublishError` when it cannot go."""
        attempt = flood_waits = 0
        while True:
            try:
                return await self.bot.send_message(
                    self.channel_id,
                    html,
                    parse_mode=ParseMode.HTML,
                    disable_notification=silent,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
            except RetryAfter as error:
                flood_waits += 1
                if flood_waits > self.max_flood_waits:
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
                if attempt >= self.max_attempts:
                    raise PublishError(FailureReason.NETWORK, str(error)) from error
                log.info("send failed (%s), retry %d", error, attempt)
                await self.sleep(self.backoff_seconds * 2 ** (attempt - 1))
            except TelegramError as error:
                raise PublishError(FailureReason.BAD_REQUEST, str(error)) from error

    async def take_back(self, message_ids: Sequence[int]) -> None:
        """Delete parts of a post that went out before it failed or was dropped (best effort)."""
        for message_id in message_ids:
            if message_id <= 0:  # a part the editor confirmed by eye: its id is unknown
                continue
            try:
                await self.bot.delete_message(self.channel_id, message_id)
            except TelegramError as error:
                log.warning("could not delete part %s of a failed post: %s", message_id, error)

    async def _tell(self, notice: Awaitable[None]) -> None:
        """Tell the editor; a notice that cannot be delivered must not undo a publication."""
        try:
            await notice
        except TelegramError as error:
            log.warning("could not notify the editor: %s", error)
