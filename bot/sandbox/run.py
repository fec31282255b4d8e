"""`newsdesk sandbox`: the real bot against the embedded Bot API emulator, with a page to watch it.

How: one event loop runs three things. The emulators (bot.botapi) serve, each on an ephemeral
loopback port, Telegram's Bot API (an editor, a subscriber and a channel whose past is the sandbox
archive), Bale's (its dialect, with a channel of the same name) and Eitaa's Eitaayar (likewise). The
bot is `newsdesk run`'s own Application (bot.app.build_application: handlers, scheduler, publisher,
database) on a SQLite file of its own, polling the Telegram emulator, with one Bale and one Eitaa
mirror set as a deployment sets them (BALE_* and EITAA_*, pointed at the emulators). The page
(bot.sandbox.web) listens on 127.0.0.1:PORT. The other settings (signature, bullet, time zone, posting
slots, quiet hours, EITAA_DELETION) come from the environment or .env as for the real bot; the
sandbox's mirrors replace any the configuration names. Ctrl-C stops all three.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import signal
import socket
from pathlib import Path

from aiohttp import web

from bot.app import build_application, configure_logging, open_database, polling
from bot.botapi.eitaayar import EitaayarServer
from bot.botapi.server import BotApiServer
from bot.config import Settings, load_settings
from bot.core.inputs import UsageError
from bot.sandbox.clock import MovableClock, TimeMachine
from bot.sandbox.seed import seed
from bot.sandbox.web import Cast, Mirrors, SandboxPage
from bot.webhook import bound_socket
from handlers.common import SERVICES_KEY

log = logging.getLogger(__name__)

HOST = "127.0.0.1"  # loopback only: the page drives a bot with no authentication at all
EDITOR_ID = 1001
SUBSCRIBER_ID = 2002
BOT_USERNAME = "newsdesk_sandbox_bot"
CHANNEL_USERNAME = "newsdesk_sandbox"
CHANNEL_TITLE = "میز خبر (آزمایشی)"
# The mirrors: the same channel name on Bale and Eitaa, as a newsroom keeps its handle on each network.
BALE_TOKEN = "5001:sandbox-bale-token-0123456789"  # in Bale's shape, as BALE_TOKEN is checked
EITAA_TOKEN = "sandbox-eitaayar-token-0123456789"
EITAA_CHANNEL_NUMBER = 7_000_001
GO_LIVE = (
    "To go live: copy .env.example to .env, set BOT_TOKEN (from @BotFather), CHANNEL_ID (your channel,\n"
    "with the bot as an admin) and EDITOR_IDS (your Telegram user id), then `make run` again."
)


def cmd_sandbox(args: argparse.Namespace, *, reason: str | None = None) -> int:
    """Run the sandbox until Ctrl-C or SIGTERM; `reason` says why it started instead of the bot."""
    settings = load_settings()
    port = settings.sandbox_port if args.port is None else args.port
    if not 1 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port")
    if _same_file(args.db, settings.database_path):
        raise UsageError(f"--db {args.db} is the bot's DATABASE_PATH; the sandbox starts its file afresh")
    with _listen(port) as listening:  # first: a busy port is refused before anything else starts
        configure_logging(settings.log_level)
        asyncio.run(_serve(settings, args.db, listening, reason))
    return 0


def _listen(port: int) -> socket.socket:
    """The page's socket, bound to HOST:port and listening (its owner closes it); UsageError if the
    port cannot be had."""
    try:
        return bound_socket(HOST, port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is in use; pick another with --port or SANDBOX_PORT") from None
        raise UsageError(f"cannot listen on {HOST}:{port}: {error.strerror}") from None


async def _serve(settings: Settings, database: Path, listening: socket.socket, reason: str | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    server = BotApiServer(
        bot_username=BOT_USERNAME,
        channel_username=CHANNEL_USERNAME,
        channel_title=CHANNEL_TITLE,
        strict_html=False,  # as Telegram itself: the page shows what Telegram would answer
    )
    server.add_user(EDITOR_ID, "سردبیر", "fa", "sandbox_editor")
    server.add_user(SUBSCRIBER_ID, "خواننده", "fa", "sandbox_reader")
    bale = BotApiServer(
        BALE_TOKEN,
        network="bale",
        bot_username=BOT_USERNAME,
        channel_username=CHANNEL_USERNAME,
        channel_title=CHANNEL_TITLE,
        strict_html=False,
    )
    eitaa = EitaayarServer(EITAA_TOKEN, channels={CHANNEL_USERNAME: EITAA_CHANNEL_NUMBER})
    mirrors = Mirrors(bale, eitaa, CHANNEL_USERNAME)
    async with server, bale, eitaa:
        sandbox_settings = _sandbox_settings(settings, server, mirrors, database)
        _remove_database(database)
        database.parent.mkdir(parents=True, exist_ok=True)
        db = await open_database(sandbox_settings)
        clock = MovableClock()
        try:
            archived = await seed(server, db, clock())
        except BaseException:
            await db.close()
            raise
        application = build_application(sandbox_settings, db, clock=clock)
        async with polling(application):
            scheduler = application.bot_data[SERVICES_KEY].scheduler
            time_machine = TimeMachine(
                clock, server, application, scheduler, other_networks=(bale.clock, eitaa.clock)
            )
            page = SandboxPage(server, time_machine, Cast(EDITOR_ID, SUBSCRIBER_ID), settings.tz, mirrors)
            runner = web.AppRunner(page.app(), access_log=None)
            await runner.setup()
            await web.SockSite(runner, listening).start()
            _announce(f"http://{HOST}:{listening.getsockname()[1]}/", reason, archived, database)
            try:
                await stop.wait()
            finally:
                await time_machine.close()
                await runner.cleanup()
        for line in (*server.internal_errors, *bale.internal_errors):
            log.error("emulator error: %s", line)


def _sandbox_settings(settings: Settings, server: BotApiServer, mirrors: Mirrors, database: Path) -> Settings:
    """The configured settings, pointed at the emulators, their channels and editor, and the sandbox
    file: the Bale and Eitaa mirrors by the plain variables a deployment sets (BALE_*, EITAA_*), so the
    bot finds them as it would the real networks; any other destination the configuration names
    (DESTINATIONS_FILE) is left out, as nothing may leave the sandbox."""
    channel = f"@{server.channel.username}"
    return settings.model_copy(
        update={
            "bot_token": server.token,
            "channel_id": channel,
            "editor_ids": frozenset({EDITOR_ID}),
            "telegram_api_url": server.base_url,
            "database_path": database,
            "signature": settings.signature or f"🆔 {channel}",
            "webhook_url": None,
            "bale_token": mirrors.bale.token,
            "bale_channel_id": f"@{mirrors.bale.channel.username}",
            "bale_api_url": mirrors.bale.base_url,
            "eitaa_token": mirrors.eitaa.token,
            "eitaa_channel_id": mirrors.eitaa_channel,
            "eitaa_api_url": mirrors.eitaa.base_url,
            "destinations_file": None,
        }
    )


def _announce(url: str, reason: str | None, archived: int, database: Path) -> None:
    """Say, on stdout, that this is a sandbox, where it is, and how to go live."""
    lines = [
        "",
        f"newsdesk SANDBOX{f' ({reason})' if reason else ''}: the real bot against built-in Telegram, Bale",
        f"and Eitaa emulators; nothing leaves this computer. {archived} archive posts, database {database}.",
        "",
        f"    Open {url}",
        "",
        GO_LIVE,
        "Ctrl-C stops the sandbox.",
        "",
    ]
    print("\n".join(lines), flush=True)


def _same_file(a: Path, b: Path) -> bool:
    return a.expanduser().resolve() == b.expanduser().resolve()


def _remove_database(path: Path) -> None:
    """The previous sandbox's file and its journal: each sandbox starts from the seed archive."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()
