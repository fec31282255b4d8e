"""A post's copies in the other destinations (bot/destinations.py), each exactly once.

Once the post is in the primary channel, `CopySender.send_all` sends it to every destination it goes
to, side by side: one destination down, refusing or slow never holds the others back. A copy is the
primary post as that network can show it (`copy_parts`): the destination's own signature and footer,
plain text where the network has no HTML, one file a request where it has no albums, files uploaded
where Telegram's file ids mean nothing.

The ledger (storage/copies.py) has a row per request of a copy: all `planned` first, `sending` before
it leaves, `sent` with its ids once answered, so a crash can leave one request in doubt and no more.
At the next start (`resume`) a request left `sending` becomes `uncertain` and is put to the editor
(✅ it is there / 🔁 send it again), never repeated by itself; copies not begun or cut off halfway are
sent then. A request that was
refused, or never reached the network, is `failed`: the editor is told which copy and why, with 🔁.

Every copy of one post is handled under that post's lock here (a retry pressed twice, the start-up's
catch-up and a late notice never send one twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from telegram import InputFile
from telegram.ext import ContextTypes, JobQueue

from bot.core.history import Act
from bot.core.links import copy_link
from bot.core.media import MediaItem, Part
from bot.core.post import Article
from bot.core.status import PostStatus
from bot.destinations import Destination, going
from bot.networks import CAPABILITIES
from bot.publishing.channels import CopyChannel, CopyFailure, TelegramFiles
from bot.publishing.history import History
from bot.publishing.outlets import Outlets
from bot.publishing.publisher import until_recorded
from bot.publishing.retry import RetryPolicy
from bot.publishing.slots import copy_due, rings
from bot.text.limits import MAX_CAPTION_UTF16, MAX_MESSAGE_UTF16, visible_len
from bot.text.plain import plain_text
from storage.database import CopyRow, Database

log = logging.getLogger(__name__)

CopyState = Literal[
    "planned", "sent", "failed", "uncertain", "edited", "noted", "deleted", "left", "unfollowed"
]
"""planned (waiting for its destination's own slot, `CopyOutcome.due`) / sent / failed / uncertain: a
copy's publication (bot.publishing.copies); edited, noted (a correction
note where nothing can be edited), deleted, left (Eitaa keeps it: EITAA_DELETION=editor), unfollowed
(the correction or deletion did not reach it): what followed a correction or a deletion
(bot.publishing.copy_edits)."""
# A network not reached in 3 tries (1 + 2 s of backoff by default) is reported with 🔁 at once: the
# editor's retry is the slow path, and a stop (10 s) must not wait on Bale while the post is out.
COPY_ATTEMPTS = 3
# A copy waiting for its slot is looked at again at least this often: the job waits in monotonic
# seconds and our clock may jump (as the scheduler's timer, bot.publishing.scheduler).
RECHECK_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class CopyOutcome:
    """Where one copy of a post stands."""

    destination: Destination
    state: CopyState
    message_ids: tuple[int, ...] = ()
    detail: str = ""
    due: datetime | None = None  # planned: when it goes (the destination's own slot)

    @property
    def link(self) -> str | None:
        """The copy's public link (its first message), when the network has one for this channel."""
        known = [message_id for message_id in self.message_ids if message_id > 0]
        if self.state != "sent" or not known:
            return None
        return copy_link(self.destination.network, self.destination.chat_id, known[0])


class CopyNotices(Protocol):
    """What the copies tell editors; `handlers.notices.EditorNotices` implements it."""

    async def copies(self, article: Article, outcomes: Sequence[CopyOutcome]) -> None: ...


class FanoutNotices(CopyNotices, Protocol):
    """Every notice of a post's publication, its copies' included (`handlers.notices.EditorNotices`)."""

    async def published(
        self, article: Article, message_ids: Sequence[int], copies: Sequence[CopyOutcome] = ()
    ) -> None: ...

    async def failed(self, article: Article, reason: str, detail: str) -> None: ...

    async def uncertain(self, article: Article) -> None: ...

    async def missed(self, article: Article, late: timedelta) -> None: ...


def copy_parts(article: Article, destination: Destination, signature: str) -> list[Part]:
    """The requests of the post's copy in `destination` (a plan from the post alone: the same every
    time, so a part's number in the ledger always means the same request)."""
    caps = CAPABILITIES[destination.network]
    parts = list(article.parts)
    if parts:
        last = parts[-1]
        closed = _closing(last.html, destination, signature)
        limit = MAX_CAPTION_UTF16 if last.media else MAX_MESSAGE_UTF16
        if visible_len(closed) <= limit:  # a post filled to the limit keeps the primary's ending
            parts[-1] = Part(closed, last.media)
    planned: list[Part] = []
    for part in parts:
        text = part.html if caps.html else plain_text(part.html)
        if len(part.media) > 1 and not caps.albums:  # one file a request, the caption on the first
            planned.extend(Part(text if i == 0 else "", (item,)) for i, item in enumerate(part.media))
        else:
            planned.append(Part(text, part.media))
    return planned


def _closing(text: str, destination: Destination, signature: str) -> str:
    """The post's last message with the destination's signature in place of the primary's, and its footer."""
    if destination.signature:
        own = html.escape(" ".join(signature.split()), quote=False)
        theirs = html.escape(" ".join(destination.signature.split()), quote=False)
        if own and text.rstrip().endswith(own):
            text = text.rstrip()[: -len(own)] + theirs
        elif theirs not in text:
            text = f"{text.rstrip()}\n\n{theirs}"
    if destination.footer:
        text = f"{text.rstrip()}\n{html.escape(' '.join(destination.footer.split()), quote=False)}"
    return text


class CopySender:
    """Sends, retries and confirms the copies of posts (see the module docstring)."""

    def __init__(
        self,
        db: Database,
        destinations: Sequence[Destination],
        outlets: Outlets,
        files: TelegramFiles,
        notices: CopyNotices,
        *,
        signature: str,
        retry: RetryPolicy,
        clock: Callable[[], datetime],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        quiet_hours: tuple[time, time] | None = None,
        tz: ZoneInfo = UTC,
        job_queue: JobQueue | None = None,
    ) -> None:
        """`job_queue`: where a copy waiting for its destination's own slot is timed (app.py)."""
        self.db = db
        self.destinations = tuple(destinations)
        self.outlets = outlets
        self.notices = notices
        self.files = files
        self.signature = signature
        self.retry = retry
        self.clock = clock
        self.sleep = sleep
        self.quiet_hours = quiet_hours
        self.tz = tz
        self.job_queue = job_queue
        self._locks: dict[int, asyncio.Lock] = {}
        self.history = History(
            db, clock, functools.partial(until_recorded, sleep=sleep)
        )  # every copy's trace

    @contextlib.asynccontextmanager
    async def holding(self, article_id: int) -> AsyncIterator[None]:
        """The post's copies, held: its sends, retries and corrections never overlap."""
        lock = self._locks.setdefault(article_id, asyncio.Lock())
        async with lock:
            yield

    def destination(self, key: str) -> Destination | None:
        return next((d for d in self.destinations if d.key == key), None)

    async def send_all(self, article: Article) -> list[CopyOutcome]:
        """Send the post's copies not yet sent (none that is in doubt or failed: those wait for the
        editor); where each copy stands afterwards."""
        async with self.holding(article.id):
            return await self._send_all(article)

    async def _send_all(self, article: Article, by: int | None = None) -> list[CopyOutcome]:
        current = await self.db.get(article.id) or article
        if current.status is not PostStatus.PUBLISHED or current.deleted:
            return []
        rows = await self.db.copy_rows(article.id)
        choices = (await self.db.destination_choices([article.id])).get(article.id, {})
        to = going(self.destinations, choices)  # as the preview showed it (bot.desk.routes)
        now = self.clock()

        def silent(d: Destination) -> bool:  # its own quiet hours, or QUIET_HOURS
            return not rings(
                current.ring, now, d.quiet_hours if d.own_quiet_hours else self.quiet_hours, self.tz
            )

        fetched: dict[str, asyncio.Task[InputFile]] = {}  # each file fetched once for every destination

        async def fetch(item: MediaItem) -> InputFile:
            if item.file_id not in fetched:
                fetched[item.file_id] = asyncio.ensure_future(self.files.fetch(item))
            return await asyncio.shield(fetched[item.file_id])

        outcomes = await asyncio.gather(
            *(
                self._send_copy(current, d, [r for r in rows if r.destination == d.key], fetch, silent(d), by)
                for d in to
            )
        )
        for task in fetched.values():
            if task.done() and not task.cancelled():
                task.exception()  # a failed fetch was reported through its copy: not left unretrieved
        return list(outcomes)

    async def _send_copy(
        self,
        article: Article,
        destination: Destination,
        rows: list[CopyRow],
        fetch: Callable[[MediaItem], Awaitable[InputFile]],
        silent: bool,
        by: int | None,
    ) -> CopyOutcome:
        """One destination's copy, request by request; what this call sent is in the post's history."""
        recorded = {row.part: row for row in rows}
        sent: list[int] = []
        trace = functools.partial(self.history.act, article.id, Act.COPIED, by, destination=destination.name)
        channel = self.outlets.channels[destination.key]
        parts = copy_parts(article, destination, self.signature)
        if not recorded:
            due = await self._due(article, destination)
            await self.db.plan_copy(article.id, destination.key, len(parts), due)
        else:
            due = min((r.due for r in rows if r.state == "planned" and r.due is not None), default=None)
        if due is not None and due > self.clock():  # its own slot: the scheduler sends it then
            self._arm(article.id, destination.key, due)
            return CopyOutcome(destination, "planned", due=due)
        try:
            async with trace() as writes:
                for number, part in enumerate(parts):
                    row = recorded.get(number)
                    if row is not None and row.state == "sent":
                        sent.extend(row.message_ids)
                        continue
                    if row is not None and row.state != "planned":  # in doubt or failed: the editor decides
                        state: CopyState = "failed" if row.state == "failed" else "uncertain"
                        return CopyOutcome(destination, state, tuple(sent), row.detail)
                    await self.db.record_copy(article.id, destination.key, number, "sending")
                    ids = await self._attempt(channel, part, fetch, silent)
                    await self.db.record_copy(article.id, destination.key, number, "sent", ids)
                    sent.extend(ids)
                    writes.sent.extend(ids)
        except CopyFailure as failure:  # its trace says what went out before (`History.act`)
            state = "uncertain" if failure.kind == "doubtful" else "failed"
            await self.db.record_copy(article.id, destination.key, number, state, detail=failure.detail)
            log.warning("copy of post %s to %s %s: %s", article.id, destination.key, state, failure.detail)
            return CopyOutcome(destination, state, tuple(sent), failure.detail)
        return CopyOutcome(destination, "sent", tuple(sent))

    async def _due(self, article: Article, destination: Destination) -> datetime | None:
        """When the copy goes: the destination's first free slot at or after the publication; None (at
        once) without slots of its own."""
        if not destination.posting_slots:
            return None
        published = article.published_at or self.clock()
        taken = await self.db.copy_slots_taken(destination.key, published)
        return copy_due(published, destination.posting_slots, self.tz, taken)

    def _arm(self, article_id: int, key: str, due: datetime) -> None:
        """Time the post's copies for `due` (one timer per post and destination, set again each time)."""
        if self.job_queue is None:  # no timers (a test driving the sender): resume or a retry sends it
            return
        name = f"copy:{article_id}:{key}"
        for job in self.job_queue.get_jobs_by_name(name):
            job.schedule_removal()
        delay = min(max((due - self.clock()).total_seconds(), 0.0), RECHECK_SECONDS)
        self.job_queue.run_once(
            self._when_due, when=delay, name=name, data=article_id, job_kwargs={"misfire_grace_time": None}
        )

    async def _when_due(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Timer: the post's copies whose slot came go out (one still waiting is timed again); the
        editor hears of one that did not go."""
        assert context.job is not None
        article = await self.db.get(context.job.data)
        if article is None:
            return
        outcomes = await self.send_all(article)
        if any(outcome.state not in ("sent", "planned") for outcome in outcomes):
            await self.notices.copies(article, outcomes)

    async def _attempt(
        self,
        channel: CopyChannel,
        part: Part,
        fetch: Callable[[MediaItem], Awaitable[InputFile]],
        silent: bool,
    ) -> list[int]:
        """One request, repeated while it surely did not leave (and flood waits waited out)."""
        attempt = floods = 0
        while True:
            try:
                return await channel.send(part, fetch, silent=silent)
            except CopyFailure as failure:
                if failure.kind == "flood" and floods < self.retry.max_flood_waits:
                    floods += 1
                    await self.sleep(failure.wait)
                    continue
                attempt += 1
                if failure.kind != "unreached" or attempt >= min(self.retry.max_attempts, COPY_ATTEMPTS):
                    raise
                await self.sleep(self.retry.backoff(attempt))

    async def send_again(self, article_id: int, by: int | None = None) -> list[CopyOutcome] | None:
        """🔁 (pressed by editor `by`): send again every copy request of the post that failed or is in
        doubt; None if none is."""
        return await self._answer(article_id, ("failed", "uncertain"), None, by)

    async def confirm(
        self, article_id: int, destination: str, by: int | None = None
    ) -> list[CopyOutcome] | None:
        """✅ (pressed by editor `by`): the copy in doubt in `destination` is in its channel (the editor
        looked there; another in doubt stays asked): recorded as sent (the ids are unknown, so the
        link is missing), then the rest of that copy goes out."""
        return await self._answer(article_id, ("uncertain",), "sent", by, destination)

    async def _answer(
        self, article_id: int, states: tuple[str, ...], becomes: Literal["sent"] | None, by: int | None,
        destination: str | None = None,
    ) -> list[CopyOutcome] | None:  # fmt: skip
        async with self.holding(article_id):
            article = await self.db.get(article_id)
            rows = [
                r for r in await self.db.copy_rows(article_id)
                if r.state in states and destination in (None, r.destination)
            ]  # fmt: skip
            if article is None or not rows:
                return None
            for row in rows:
                if becomes is None:
                    await self.db.forget_copy_parts(article_id, row.destination, [row.state])
                else:
                    await self.db.record_copy(article_id, row.destination, row.part, becomes, [-1])
            return await self._send_all(article, by)

    async def left_over(self) -> list[int]:
        """At start-up, before anything is sent: requests a stop left out become `uncertain`; the posts
        whose copies are in doubt, not begun or cut off halfway (published since each destination is
        known), for `resume`."""
        doubts = {row.article_id for row in await self.db.copies_left_sending()}
        now, due = self.clock(), dict[int, None]()  # ordered, each post once
        for destination in self.destinations:
            since = await self.db.destination_known_since(destination.key, now)
            due.update(
                dict.fromkeys(
                    await self.db.posts_with_copy_to_send(
                        destination.key, since, default_on=destination.default_on
                    )
                )
            )
        return [*due, *sorted(doubts - set(due))]

    async def resume(self, left: Sequence[int]) -> None:
        """The copies `left_over` found are sent (those in doubt wait for the editor); the editor hears
        of every post whose copies did not all go."""
        for article_id in left:
            article = await self.db.get(article_id)
            if article is None:
                continue
            outcomes = await self.send_all(article)  # sends what is due; one in doubt waits
            if any(outcome.state not in ("sent", "planned") for outcome in outcomes):
                await self.notices.copies(article, outcomes)


class Fanout:
    """The publisher's and the scheduler's notices, with the copies in between: once a post is in the
    primary channel its copies go out, then the editors hear of all of them in one "published"
    notice. Everything else is passed on as it is."""

    def __init__(self, notices: FanoutNotices, copies: CopySender) -> None:
        self.notices = notices
        self.copies = copies

    async def published(self, article: Article, message_ids: Sequence[int]) -> None:
        outcomes = await self.copies.send_all(article)
        await self.notices.published(article, message_ids, outcomes)

    async def failed(self, article: Article, reason: str, detail: str) -> None:
        await self.notices.failed(article, reason, detail)

    async def uncertain(self, article: Article) -> None:
        await self.notices.uncertain(article)

    async def missed(self, article: Article, late: timedelta) -> None:
        await self.notices.missed(article, late)
