"""`newsdesk run`: the bot — settings, logging, the Application, and its one builder.

How it runs: `cmd_run` reads the settings (a missing BOT_TOKEN, CHANNEL_ID or EDITOR_IDS is a
one-line error and exit status 2), opens the database, builds the Application with
`build_application` and runs it with long polling, or on our own webhook server (bot.webhook) when
WEBHOOK_URL is set, whose port is bound first of all. The Bot API address comes from
TELEGRAM_API_URL (a local Bot API server or the test server). Every secret the run holds (the token,
the webhook secret read or made) is masked in every log line.

At start-up the scheduler re-arms every pending post from the database and tells editors about
posts that were missed or left half-published by a crash; the command menu is set, but a server
that refuses it does not stop the bot. SIGTERM or SIGINT stops polling, lets the publication in
flight finish, then waits for the start-up's warm-ups, closes the formatting process and the database.

With a Bale destination, Bale's subscribers are served by a second Application on Bale's bot
(bot.subscriber_bots), started and stopped with this one.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import secrets
import signal
import socket
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.constants import ChatType
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot import messages as msg
from bot.config import Settings, load_settings
from bot.core.inputs import UsageError
from bot.desk.pending import PendingNotices
from bot.desk.service import Desk
from bot.desk.waits import Waits
from bot.destinations import destinations
from bot.lanes import EditorsFirst, stop_application
from bot.publishing.channels import TelegramFiles
from bot.publishing.copies import CopySender, Fanout
from bot.publishing.copy_edits import CopyFollower, MirroredPublisher
from bot.publishing.formatter import Formatter, PreparedPost
from bot.publishing.outlets import Outlets
from bot.publishing.publisher import NO_PREVIEW, Publisher, utc_now
from bot.publishing.retry import DEFAULT_RETRY, RetryPolicy, WireRateLimiter
from bot.publishing.scheduler import Scheduler
from bot.subscriber_bots import SubscriberBot, subscriber_destinations
from bot.text.analyze import analyze
from bot.text.changes import Change
from bot.webhook import listen, webhook
from handlers import editor, subscriber
from handlers.common import SERVICES_KEY, Services
from handlers.notices import EditorNotices
from storage.database import Database, DatabaseUnusable, SearchIn

log = logging.getLogger(__name__)

WARM_UP_TEXT = "?سازمان همیاری شهرداریها\n?برنامهریزی پروژههای مهمترین شهرستانها"


async def open_database(settings: Settings, *, search_in: SearchIn = "process") -> Database:
    """The bot's database: searches in a process of their own, so subscribers' searches never wait
    for the interpreter lock the event loop holds while it handles other updates (`search_in`: for
    tests whose bot never searches, "thread" spares starting that process)."""
    # The search process's answers reach the event loop through the executor's own thread, which must
    # take the interpreter lock from a busy loop: let it ask every 1 ms instead of CPython's 5 ms.
    sys.setswitchinterval(0.001)
    db = await Database.open(settings.database_path, search_in=search_in)
    db.search_log_retention = timedelta(days=settings.search_log_days)  # SEARCH_LOG_DAYS
    try:
        await db.prune_search_log()
    except BaseException:
        await db.close()
        raise
    return db


# The update kinds the handlers registered in `build_application` take (handlers/editor.py and
# handlers/subscriber.py: commands and messages, editors' edits of their drafts, button presses, inline
# queries); Telegram is asked for these only. PTB cannot list them from its handlers, so this is the one
# list (a test checks it).
HANDLED_UPDATES: tuple[str, ...] = (
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
)


def cmd_run(args: argparse.Namespace) -> int:
    """Run the bot until SIGTERM/SIGINT; settings problems raise ConfigError (exit 2)."""
    settings = load_settings(for_run=True)
    secret = webhook_secret(settings)
    configure_logging(settings.log_level, hidden=secrets_of(settings, secret))
    # First: a busy webhook port is refused before the database is opened or Telegram is called.
    listening = listen(settings) if secret is not None else None
    try:
        asyncio.run(_run(settings, secret, listening))
    finally:
        if listening is not None:
            listening.close()
    return 0


def webhook_secret(settings: Settings) -> str | None:
    """The secret Telegram sends back with each webhook call: WEBHOOK_SECRET, or one made for this run
    (None when polling)."""
    if settings.webhook_url is None:
        return None
    return settings.webhook_secret or secrets.token_urlsafe(32)


def secrets_of(settings: Settings, webhook_secret: str | None) -> tuple[str, ...]:
    """Every secret this run holds, for the log mask: the token (and its secret half alone, as a URL
    or an error may show it) and the webhook secret, whether read from the settings or made."""
    token = settings.bot_token or ""
    return tuple(s for s in (token, token.partition(":")[2], webhook_secret) if s)


async def _run(settings: Settings, secret: str | None, listening: socket.socket | None) -> None:
    """The bot's whole life in one event loop: open, reach Telegram, serve until a stop signal."""
    db = await _open_for_run(settings)
    application = build_application(settings, db)
    await _reach_bot_api(application, settings)
    log.info("newsdesk starting (%s)", "webhook" if listening is not None else "polling")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    if listening is not None:
        assert secret is not None
        serving = webhook(
            application, settings, secret=secret, listening=listening, allowed_updates=list(HANDLED_UPDATES)
        )
    else:
        serving = polling(application)
    async with serving:
        await stop.wait()
        log.info("newsdesk stopping")
        # Before PTB's stop, which waits for every handler and job: a publication in a long flood wait
        # is cut off after the grace (it resumes at the next start), so the stop ends within 10 s.
        application.bot_data[SERVICES_KEY].publisher.interrupt_after(DEFAULT_RETRY.stop_grace_seconds)


async def _open_for_run(settings: Settings) -> Database:
    try:
        return await open_database(settings)
    except DatabaseUnusable as exc:
        raise UsageError(f"DATABASE_PATH={settings.database_path}: {exc}") from None


async def _reach_bot_api(application: Application, settings: Settings) -> None:
    """Say in one line, before anything starts, when the Bot API is unreachable or refuses the token."""
    try:
        await application.bot.initialize()  # getMe; the Application reuses the initialized bot
    except TelegramError as error:
        await application.bot_data[SERVICES_KEY].db.close()
        if isinstance(error, InvalidToken):
            problem = f"BOT_TOKEN was refused by the Bot API at {settings.telegram_api_url}"
        else:
            problem = f"cannot reach the Bot API at TELEGRAM_API_URL={settings.telegram_api_url} ({error})"
        raise UsageError(problem) from None


class SecretMask(logging.Formatter):
    """Log lines with every secret (the bot token, the webhook secret) replaced by a placeholder,
    wherever it appears: in a message, its arguments, a URL the HTTP client logs, or a traceback."""

    def __init__(self, fmt: str, hidden: Iterable[str | None]) -> None:
        super().__init__(fmt)
        self._secrets = sorted({s for s in hidden if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret in self._secrets:
            line = line.replace(secret, "<secret>")
        return line


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str, *, hidden: Iterable[str | None] = ()) -> None:
    """Timestamped log lines on stderr, `hidden` secrets masked; HTTP chatter only when debugging."""
    logging.basicConfig(format=LOG_FORMAT, level=level.upper())
    for handler in logging.getLogger().handlers:  # every logger (PTB's, httpx's) ends up here
        handler.setFormatter(SecretMask(LOG_FORMAT, hidden))
    if level.upper() != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


def file_url_for(api_url: str) -> str:
    """The file download base matching a Bot API base URL (`…/bot` → `…/file/bot`)."""
    base = api_url.rstrip("/")
    return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"


@dataclass
class _Lifecycle:
    """What the bot starts beside the Application (PTB's post_init, post_stop, post_shutdown), each
    thing owned here until shutdown: no task or process outlives the bot."""

    formatter: Formatter
    owns_formatter: bool  # made for this Application (closed at shutdown), or lent by the caller
    warm_ups: list[asyncio.Future[object]] = field(default_factory=list)
    copies: CopySender | None = None  # its clients open at the start and close at the stop
    readers: list[SubscriberBot] = field(default_factory=list)  # subscribers' bots on other networks
    resuming: asyncio.Task[None] | None = None  # the copies left by the last run (CopySender.resume)

    async def start(self, application: Application) -> None:
        """Set the editors' command menu and re-arm the schedule; load the text tools meanwhile."""
        svc: Services = application.bot_data[SERVICES_KEY]
        # Both measured in issue 19 (2-core machine, idle): the formatting process's first draft takes
        # 3.3–4.8 s cold and 0.03–0.07 s warmed; this process's analyzer, which indexes a post as it
        # is published (inside the write transaction), takes 1.5 s cold. In a worker thread, so
        # polling and re-arming need not wait for them.
        self.warm_ups = [self.formatter.warm_up(bullet=svc.settings.bullet, signature=svc.settings.signature)]
        # The analyzer's in a daemon thread: a thread cannot be cancelled, and on a loaded machine it
        # took 9 s, which a SIGTERM right after the start (ending within 10 s) must not wait for.
        threading.Thread(target=analyze, args=(WARM_UP_TEXT,), name="warm-up", daemon=True).start()
        await _set_editor_commands(application, svc.settings)
        await _learn_own_channel(application, svc)
        if self.copies is not None:
            await self.copies.outlets.open()
            # In a task of its own: copies left by the last run may wait on a network that is down
            # (3 tries each), and the desk must answer meanwhile.
            left = await self.copies.left_over()  # before any new copy is begun
            self.resuming = asyncio.get_running_loop().create_task(self.copies.resume(left))
        await svc.scheduler.rearm()
        await svc.desk.waits.rearm()
        for reader in self.readers:  # in the background: Bale down at our start must not hold the desk
            reader.start()

    async def stop(self, application: Application) -> None:
        """Let the publication in flight finish before the connection closes; stop the other networks'
        subscriber bots meanwhile (their searches answer before the database closes, at shutdown)."""
        await asyncio.gather(self._drain(application), *(reader.stop() for reader in self.readers))

    async def _drain(self, application: Application) -> None:
        await application.bot_data[SERVICES_KEY].publisher.drain()
        if self.resuming is not None:  # a copy it cut off stays `sending`: asked at the next start
            self.resuming.cancel()
            await asyncio.gather(self.resuming, return_exceptions=True)
        if self.copies is not None:  # after the publications in flight: their copies go out with them
            await self.copies.outlets.close()

    async def shutdown(self, application: Application) -> None:
        """Stop the formatting process (if it is ours) and its warm-up, and close the database."""
        warm_ups, self.warm_ups = self.warm_ups, []
        if self.owns_formatter:  # stopped now: a draft's preview or the warm-up is not waited for
            self.formatter.kill()
        for warm_up in warm_ups:
            warm_up.cancel()
        for outcome in await asyncio.gather(*warm_ups, return_exceptions=True):
            if isinstance(outcome, Exception):  # only slower first drafts would have followed
                log.debug("a warm-up ended early: %r", outcome)
        await application.bot_data[SERVICES_KEY].db.close()
        log.info("newsdesk stopped")


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a handler's failure and tell the person, in their language, that it did not work."""
    log.error("handling %s failed", update, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    user = update.effective_user
    lang = msg.language_for(user.language_code if user else None)
    try:
        await update.effective_chat.send_message(msg.text("error_generic", lang))
    except TelegramError:
        log.warning("could not tell the user about the failure")


async def prepare_draft(
    settings: Settings, formatter: Formatter, text: str, *, credit: str = ""
) -> PreparedPost:
    """Format an editor's draft with the channel's bullet and signature (and a forwarded post's source
    credit, bot.core.source), off the event loop and within a time limit (bot.publishing.formatter)."""
    return await formatter.prepare(text, bullet=settings.bullet, signature=settings.signature, credit=credit)


async def explain_draft(settings: Settings, formatter: Formatter, text: str) -> list[Change]:
    """What the clean-up changes in an editor's draft (bot.publishing.formatter, likewise bounded)."""
    return await formatter.explain(text, signature=settings.signature)


async def _learn_own_channel(application: Application, svc: Services) -> None:
    """Record the channel's Bot API id and public @handle: the bot's posts then carry the channel's key,
    so an import of the channel's export recognizes them, and its imported posts link publicly."""
    try:
        chat = await application.bot.get_chat(svc.settings.channel_id)  # type: ignore[arg-type]
    except TelegramError as error:
        log.warning("could not look up the channel %s: %s", svc.settings.channel_id, error)
        return
    await svc.db.remember_channel(chat.id, chat.username, own=True)


async def _set_editor_commands(application: Application, settings: Settings) -> None:
    """The editors' menu (their own commands after everyone's); optional, so a refusal is only logged."""
    names = (*subscriber.SUBSCRIBER_COMMANDS, *editor.EDITOR_COMMANDS)
    commands = [BotCommand(name, msg.text(f"cmd_{name}", msg.FA)) for name in names]
    for editor_id in sorted(settings.editor_ids):
        try:
            await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(editor_id))
        except TelegramError as error:
            log.warning("could not set the command menu for editor %s: %s", editor_id, error)


def build_application(
    settings: Settings,
    db: Database,
    *,
    clock: Callable[[], datetime] = utc_now,
    retry: RetryPolicy = DEFAULT_RETRY,
    formatter: Formatter | None = None,
) -> Application:
    """The bot: Telegram client, rate limiter, schedule, publisher and every handler.

    `clock` is the bot's idea of now, the database's too (tests run it ahead to let time pass).
    `formatter`: the process that formats drafts; by default one of the bot's own, closed at shutdown.
    One passed in stays open (its owner closes it: tests share one between the bots they start)."""
    assert settings.bot_token is not None and settings.channel_id is not None
    lifecycle = _Lifecycle(formatter or Formatter(), owns_formatter=formatter is None)
    builder: ApplicationBuilder = (
        Application.builder()
        .token(settings.bot_token)
        .base_url(settings.telegram_api_url)
        .base_file_url(file_url_for(settings.telegram_api_url))
        # Every message without link preview cards, as posts go to the channel: the editor's preview
        # then looks exactly like the post.
        .defaults(Defaults(tzinfo=settings.tz, link_preview_options=NO_PREVIEW))
        .concurrent_updates(EditorsFirst(settings.editor_ids))  # bot.lanes: a burst never holds them up
        .rate_limiter(
            WireRateLimiter(
                group_max_rate=settings.channel_posts_per_minute,
                group_time_period=60,
                max_retries=retry.rate_limiter_retries,
            )
        )
        .post_init(lifecycle.start)
        .post_stop(lifecycle.stop)
        .post_shutdown(lifecycle.shutdown)
    )
    application = builder.build()
    assert application.job_queue is not None
    db.clock = clock  # what storage records (a draft's last change…) is on the bot's clock too
    pending_notices = PendingNotices()  # the notices mark what they send; the desk waits for it
    notices = EditorNotices(application.bot, db, settings, pending_notices)
    copies = _copies(settings, application, db, notices, clock, retry)
    lifecycle.copies = copies
    told = Fanout(notices, copies) if copies is not None else notices  # once out, the post's copies go
    mirrored = {"follower": CopyFollower(copies, eitaa_deletion=settings.eitaa_deletion)} if copies else {}
    publisher = (MirroredPublisher if copies else Publisher)(
        application.bot,
        db,
        channel_id=settings.channel_id,
        notices=told,
        quiet_hours=settings.quiet_hours,
        tz=settings.tz,
        retry=retry,
        clock=clock,
        **mirrored,
    )
    scheduler = Scheduler(
        application.job_queue,
        db,
        publisher,
        notices=told,
        grace_minutes=settings.misfire_grace_minutes,
        clock=clock,
        retry=retry,
    )
    waits = Waits(db, clock, job_queue=application.job_queue, prompts=notices)
    desk = Desk(
        db, publisher, scheduler, settings, clock,
        functools.partial(prepare_draft, settings, lifecycle.formatter),
        functools.partial(explain_draft, settings, lifecycle.formatter),
        pending_notices, waits, copies.destinations if copies else (),
    )  # fmt: skip
    application.add_error_handler(_on_error)
    svc = Services(settings, db, publisher, scheduler, desk, clock, copies)
    application.bot_data[SERVICES_KEY] = svc
    editor.register(application)
    subscriber.register(application)  # after the editor desk: editors' private text is a draft
    editor.register_last(application)
    mirrors = destinations(settings)
    lifecycle.readers = [
        SubscriberBot(destination, mirrors, svc, _on_error, file_url_for)
        for destination in subscriber_destinations(mirrors)
    ]
    return application


def _copies(
    settings: Settings,
    application: Application,
    db: Database,
    notices: EditorNotices,
    clock: Callable[[], datetime],
    retry: RetryPolicy,
) -> CopySender | None:
    """The sender of the copies in the other destinations; None when the settings name none."""
    mirrors = destinations(settings)
    if not mirrors:
        return None
    outlets = Outlets(application.bot, mirrors, file_url_for)
    return CopySender(
        db, mirrors, outlets, TelegramFiles(application.bot), notices, signature=settings.signature,
        retry=retry, clock=clock, quiet_hours=settings.quiet_hours, tz=settings.tz,
        job_queue=application.job_queue,
    )  # fmt: skip


@asynccontextmanager
async def polling(application: Application, *, poll_timeout: int = 10) -> AsyncIterator[Application]:
    """Run `application` by long polling from the running event loop, as `run_polling` does (post_init,
    post_stop and post_shutdown included), and stop it cleanly on the way out. For hosts that own the
    loop: the sandbox and the end-to-end tests."""
    await application.initialize()
    try:
        assert application.post_init is not None and application.updater is not None
        await application.post_init(application)
        await application.start()
        await application.updater.start_polling(timeout=poll_timeout, allowed_updates=list(HANDLED_UPDATES))
        yield application
    finally:
        if application.updater and application.updater.running:
            await application.updater.stop()
        await stop_application(application)
