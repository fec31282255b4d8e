"""The webhook: Telegram's POSTs to WEBHOOK_URL, received by a small aiohttp server of our own.

Why not PTB's `run_webhook`: its tornado handler answers a body that is not JSON (or not UTF-8) with
500 and logs a traceback for it and for every refused secret, and it binds its port only after the
database is open and the Bot API reached, so a busy port came as a traceback. Here:

- `listen(settings)` binds WEBHOOK_LISTEN:WEBHOOK_PORT first thing (a busy port is one line, exit 2);
- a request without the secret header gets 403, a body that is not a JSON object of UTF-8 text, or not
  an update, gets 400; each refusal is one log line (no traceback), and an update is queued for the
  Application as PTB's own webhook does;
- `webhook(application, …)` runs the Application around it like `bot.app.polling` does (post_init,
  post_stop and post_shutdown included) and registers the webhook with Telegram once it listens.
"""

from __future__ import annotations

import errno
import json
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.core.inputs import UsageError
from bot.lanes import stop_application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1024 * 1024  # an update is a few KB; Telegram's largest are far below this


def bound_socket(host: str, port: int, family: int = socket.AF_INET) -> socket.socket:
    """A TCP socket bound to host:port, listening and non-blocking, for an aiohttp site to serve on;
    OSError if the port cannot be had. Address reuse as aiohttp sets it: a port in TIME_WAIT counts
    as free, one in use does not. The webhook and the sandbox's page both listen through here."""
    listening = socket.socket(family, socket.SOCK_STREAM)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(128)
    except OSError:
        listening.close()
        raise
    listening.setblocking(False)
    return listening


def listen(settings: Settings) -> socket.socket:
    """The webhook's socket, bound and listening; UsageError naming the setting if it cannot be had."""
    host, port = settings.webhook_listen, settings.webhook_port
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as error:
        raise UsageError(f"WEBHOOK_LISTEN={host}: not an address to listen on ({error.strerror})") from None
    try:
        return bound_socket(host, port, family)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"WEBHOOK_PORT={port}: the port is in use on {host}") from None
        raise UsageError(f"WEBHOOK_PORT={port}: cannot listen on {host} ({error.strerror})") from None


def served_path(webhook_url: str) -> str:
    """The path the webhook is served on: WEBHOOK_URL's own (a proxy passes it on unchanged)."""
    return "/" + urlsplit(webhook_url).path.strip("/")


def _refuse(request: web.Request, status: int, why: str) -> web.Response:
    """One log line per refused request: who, and why (never the secret it sent)."""
    log.warning("webhook: refused a request from %s with %d: %s", request.remote, status, why)
    return web.json_response({"ok": False, "error": why}, status=status)


def receiver(application: Application, path: str, secret: str) -> web.Application:
    """The aiohttp app that takes Telegram's POSTs on `path` and queues their updates."""

    async def receive(request: web.Request) -> web.Response:
        if request.headers.get(SECRET_HEADER) != secret:
            return _refuse(request, 403, "wrong or missing secret token")
        try:
            data = json.loads((await request.read()).decode("utf-8"))
        except web.HTTPRequestEntityTooLarge:
            return _refuse(request, 413, "body too large")
        except UnicodeDecodeError:
            return _refuse(request, 400, "body is not UTF-8")
        except ValueError:
            return _refuse(request, 400, "body is not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return _refuse(request, 400, "body is not an update")
        try:
            update = Update.de_json(data, application.bot)
        except Exception as error:  # any malformed field: the update cannot be read
            return _refuse(request, 400, f"not a valid update ({type(error).__name__})")
        await application.update_queue.put(update)
        return web.Response(status=200)

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post(path, receive)
    return app


@asynccontextmanager
async def webhook(
    application: Application,
    settings: Settings,
    *,
    secret: str,
    listening: socket.socket,
    allowed_updates: list[str],
) -> AsyncIterator[Application]:
    """Run `application` on the webhook from the running event loop, and stop it cleanly on the way out.
    Served on the path of WEBHOOK_URL (never on the token, which would then sit in every proxy's log)."""
    assert settings.webhook_url is not None
    runner = web.AppRunner(receiver(application, served_path(settings.webhook_url), secret), access_log=None)
    await application.initialize()
    try:
        assert application.post_init is not None
        await application.post_init(application)
        await application.start()
        await runner.setup()
        await web.SockSite(runner, listening).start()
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=allowed_updates
        )
        yield application
    finally:
        await runner.cleanup()
        await stop_application(application)
