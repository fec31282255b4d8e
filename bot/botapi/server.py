"""A local Telegram Bot API server: the emulator for end-to-end tests and `newsdesk sandbox`.

It speaks the Bot API over real HTTP on 127.0.0.1 (an ephemeral port), so python-telegram-bot
talks to it exactly as to api.telegram.org, and it enforces Telegram's documented rules with
Telegram's own error answers: HTML parse mode (bot/botapi/html_check.py), 4096 UTF-16 units
per text, callback_data 1..64 bytes, inline answers <= 50 results, "message is not modified",
the 48 h deletion rule in channels, 403 for blocked users, for users who never wrote to the bot
and for channels the bot may not post to. One rule is stricter than Telegram on purpose: a bare
`&` (or `&laquo;`) in HTML is refused, where Telegram would show it literally;
`BotApiServer(strict_html=False)` behaves like Telegram. `BotApiServer(query_timeout=10)` makes
callback and inline queries expire like Telegram's (off by default, so a loaded CI cannot flake).
A crash inside the server itself answers 500 and is kept in `internal_errors` (the fixtures fail
the test on it).

Run it in one of two ways::

    async with BotApiServer() as server:          # in the test's own event loop
        bot = ExtBot(server.token, base_url=server.base_url, base_file_url=server.base_file_url)

    with BotApiServer() as server:                # own thread and loop; survives a SIGKILLed bot
        env = {"TELEGRAM_API_URL": server.base_url, "BOT_TOKEN": server.token, ...}

(`start()`/`stop()` and `await astart()`/`await astop()` do the same without `with`; bot/botapi/serving.py.)
`BotApiServer(network="bale")` is Bale's Bot API instead, a world of its own that refuses what Bale
lacks (bot/botapi/dialect.py); Eitaa's Eitaayar is bot/botapi/eitaayar.py. The
pytest fixtures in tests/botapi/fixtures.py wrap both. Updates go out by getUpdates (offset
confirms for good, long-poll `timeout` returns as soon as an update arrives, a second poller ends
the first with 409) or, after setWebhook, are POSTed to the webhook (https, or http to
127.0.0.1/localhost) with X-Telegram-Bot-Api-Secret-Token, retried until it answers 2xx: over up to
setWebhook's `max_connections` (40) connections at once, one update of a chat at a time, as Telegram does.

Driving the simulated world (bot/botapi/users.py, user_media.py and faults.py; all helpers are
thread-safe and return the stored records):
    add_user(user_id, first_name, language_code="fa", username=None) -> User
    user_sends_text(user_id, text, reply_to=None) -> StoredMessage   (/commands, #tags, @names and
        links get their entities; the user has now "started" the bot, so it may write to them)
    user_forwards(user_id, text, entities=None, from_channel=Chat | sender=User | sender_name=str,
        message_id=1)   (a channel's post; a group's title for a Chat of type group or supergroup)
    user_opens_link(user_id, "https://t.me/<bot>?start=<payload>") -> StoredMessage ("/start payload";
        an invalid payload is dropped, as Telegram clients do)
    user_sends_document(user_id, content, file_name="draft.txt", caption=None) -> StoredMessage
    user_sends_photo(user_id, content, width=, height=, caption=None) -> StoredMessage
    user_sends_media(user_id, kind, content, caption=, caption_entities=, reply_to=, forward_from=,
        forward_message_id=1)   (forward_from: a channel or group Chat, a User, or a hidden user's name)
        and user_sends_video / _animation / _audio: any file kind, as Telegram delivers it
    add_file(kind, content, name, mime_type=, size=) -> StoredFile   (a file id Telegram knows, without
        a message; user_sends_media and user_sends_album send it as content)
    user_sends_album(user_id, [(kind, content), ...], caption=, forward_from=, reply_to=) -> [StoredMessage]
        (one update per part, all with the same media_group_id, the caption on the first)
    user_edits_text(user_id, message, text, entities=) -> StoredMessage   (an edited_message update)
    user_edits_caption(user_id, message, caption, caption_entities=) -> StoredMessage   (a file's)
    add_channel(chat_id, username, title) -> Chat   (another channel the bot is an admin of)
    add_group(chat_id, title) -> Chat ; user_sends_text_in_group(user_id, chat_id, text) -> StoredMessage
    user_presses_button(user_id, message, text_or_data) -> CallbackQueryRecord (.answer when answered)
    user_sends_callback(user_id, data, message=None) -> CallbackQueryRecord   (any, forged, data)
    user_inline_query(user_id, query, offset="") -> InlineQueryRecord  (.answer, .results)
    user_sends_inline_result(user_id, query_id, result_id) -> StoredMessage  (sent "via @bot")
    admin_posts_to_channel(text, entities=None) -> StoredMessage  (a channel_post update)
    add_channel_history(text, date=, entities=None) -> StoredMessage  (an earlier post, no update)
    enqueue_update(kind, payload) -> update_id                          (any other update)
    block_bot(user_id) ; set_channel_access("administrator" | "member" | "left", **rights)
    clock.advance(seconds)     moves the server's clock (message dates, the 48 h deletion rule)
    set_rate_limits(channel_per_minute=20, global_per_second=30) ; set_rate_limits(None) (default)
    inject_fault(kind, times=1, method=None, chat_id=None, ...) -> Fault
        "retry_after"  429 with parameters.retry_after (`retry_after=`)   -> telegram.error.RetryAfter
        "server_error" `status=` 500 / 502 / 503 / 504                    -> NetworkError
                       `apply=True`: the call takes effect, then the error is answered
                       (done but answered 504: the message is in the channel)
        "timeout"      hang `hang_seconds=` (30) then 504                  -> TimedOut
                       `apply=True`: the call takes effect, only the answer is lost
        "delay"        wait `hang_seconds=` then answer normally (a slow but successful call)
                       `apply=True`: the call takes effect at once, only its answer is slow
                       (a message the user already sees while the bot waits for its id)
        "forbidden"    403, default "bot is not a member of the channel chat" -> Forbidden
        "bad_request"  400 with `description=`                            -> BadRequest
        "disconnect"   connection dropped without an answer               -> NetworkError
        A fault without `method` never hits getUpdates; `chat_id` may be an id or "@name".

Inspecting (bot/botapi/inspection.py):
    messages(chat_id, outgoing=None, include_deleted=True) ; bot_messages(chat_id)
    last_bot_message(chat_id) ; message(chat_id, message_id) ; channel_posts(include_deleted=False)
    first_bot_message_after(chat_id, after) ; calls(method=None) -> [ApiCall]
    message_at_link("https://t.me/news_test/12" or "https://t.me/c/1234567890/12") -> message | None
    pending_updates() ; is_confirmed(update_id) ; commands(scope=None, language_code="") ; webhook
    await wait_for(predicate, timeout=5) / wait_for_sync(...)   poll until truthy, return the value,
        AssertionError on timeout (wait_for works in both modes; the _sync form blocks its thread)
    await wait_for_bot_message(chat_id, after=msg, timeout=5) / wait_for_bot_message_sync(...)

A StoredMessage has chat, message_id, date, outgoing, text, entities, html (the text exactly as
sent), parse_mode, reply_markup, buttons, document, photo, caption, forward_origin, reply_to,
disable_notification, options, edit_date, history (earlier versions) and deleted. An ApiCall has
method, params (JSON decoded), time, status, response and fault. State lives as long as the
server object, so a bot process can be killed and restarted against the same world: message ids
(per chat) and update ids keep increasing, unconfirmed updates are delivered again.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from bot.botapi.dialect import NETWORKS, refusal
from bot.botapi.faults import FaultInjection
from bot.botapi.inspection import Inspection
from bot.botapi.methods import METHOD_NAMES, BotApiMethods
from bot.botapi.rules import ApiError, bad_request
from bot.botapi.serving import Served
from bot.botapi.state import DEFAULT_TOKEN, DEFAULT_UPDATE_TYPES, UPLOAD, Params
from bot.botapi.user_media import UserMedia
from bot.botapi.users import UserActions
from bot.botapi.world import ApiCall, Fault, StoredFile

log = logging.getLogger(__name__)


class BotApiServer(UserMedia, UserActions, FaultInjection, Inspection, BotApiMethods, Served):
    """The Bot API over HTTP plus a simulated world; see the module docstring for the helper API."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        strict_html: bool = True,
        query_timeout: float | None = None,
        network: str = "telegram",
        **world: Any,
    ) -> None:
        """`world` passes bot_username, channel_username, channel_id, channel_title on; `network`
        "bale" speaks Bale's dialect (bot/botapi/dialect.py) in a world of its own."""
        if network not in NETWORKS:
            raise ValueError(f"unknown network {network!r}")
        self.network = network
        super().__init__(token, strict_html=strict_html, query_timeout=query_timeout, **world)
        Served.__init__(self, host=host, port=port)
        self._poll_generation = 0
        self._calls: list[ApiCall] = []
        self.internal_errors: list[str] = []  # exceptions inside the server itself; should stay empty
        self._faults: list[Fault] = []
        self._methods: dict[str, Callable[[Params], Any]] = {
            name.lower(): getattr(self, f"_api_{name}") for name in METHOD_NAMES
        }
        self._changed: asyncio.Future | None = None
        self._stopping: asyncio.Event | None = None
        self._webhook_task: asyncio.Task | None = None

    # ------------------------------------------------------------------ lifecycle (bot.botapi.serving)

    @property
    def base_url(self) -> str:
        """For PTB's `base_url` and the bot's TELEGRAM_API_URL (the token is appended)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    def _routes(self, app: web.Application) -> None:
        self._changed = asyncio.get_running_loop().create_future()
        self._stopping = asyncio.Event()
        app.router.add_route("*", "/bot{token}/{method}", self._on_api_request)
        app.router.add_get("/file/bot{token}/{path:.+}", self._on_file_request)
        app.router.add_route("*", "/{tail:.*}", self._on_unknown_path)

    async def astop(self) -> None:
        if self._runner is None:
            return
        self._stopping.set()
        self._notify_now()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
        await super().astop()

    # ------------------------------------------------------------------ HTTP layer

    async def _on_unknown_path(self, request: web.Request) -> web.Response:
        return _json_response(ApiError(404, "Not Found").payload(), 404)

    async def _on_file_request(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        path = request.match_info["path"]
        with self._lock:
            stored = next((f for f in self._files.values() if f.file_path == path), None)
        if stored is None:
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        # Served with its type, so that a browser shows a video or a GIF (the sandbox's page).
        return web.Response(
            body=stored.content, content_type=(stored.mime_type or "application/octet-stream").split(";")[0]
        )

    async def _on_api_request(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        try:
            params = await self._read_params(request)
        except ApiError as error:
            return _json_response(error.payload(), error.error_code)
        call = ApiCall(method=method, params=params.logged(), time=self.clock.now())
        with self._lock:
            self._calls.append(call)
        if request.match_info["token"] != self.token:
            call.status, call.response = 401, ApiError(401, "Unauthorized").payload()
            return _json_response(call.response, 401)
        with self._lock:
            fault = self._take_fault(method.lower(), params)
        if fault is not None:
            call.fault = fault.kind
            outcome = await self._apply_fault(fault, method, params)
        else:
            outcome = await self._dispatch(method, params)
        if outcome is None:  # connection dropped on purpose
            request.transport.abort()
            return web.Response(status=500)
        status, body = outcome
        call.status, call.response = status, body
        return _json_response(body, status)

    async def _read_params(self, request: web.Request) -> Params:
        values: dict[str, Any] = dict(request.query)
        files: dict[str, StoredFile] = {}
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON encoded request body") from None
            values.update(body if isinstance(body, dict) else {})
        elif request.method == "POST" and request.can_read_body:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = self._new_file(
                        value.file.read(), value.filename, value.content_type, kind=UPLOAD
                    )
                else:
                    values[name] = value
        return Params(values, files)

    async def _dispatch(self, method: str, params: Params) -> tuple[int, dict]:
        handler = self._methods.get(method.lower())
        if handler is None:
            return 404, ApiError(404, "Not Found").payload()
        lacking = refusal(self.network, method, params)
        if lacking is not None:
            return lacking.error_code, lacking.payload()
        try:
            if inspect.iscoroutinefunction(handler):
                result = await handler(params)
            else:
                with self._lock:
                    result = handler(params)
        except ApiError as error:
            return error.error_code, error.payload()
        except Exception as error:  # a bug of this server: answer like Telegram's 500, keep it for the test
            log.exception("Bot API test server failed on %s", method)
            with self._lock:
                self.internal_errors.append(f"{method}: {error!r}")
            return 500, ApiError(500, f"Internal Server Error: {error!r}").payload()
        return 200, {"ok": True, "result": result}

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when the server stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    # ------------------------------------------------------------------ change notification

    def _notify(self) -> None:
        """Wake long polls; callable from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._notify_now)

    def _notify_now(self) -> None:
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)
        self._changed = self._loop.create_future()

    # ------------------------------------------------------------------ getUpdates

    async def _api_getUpdates(self, params: Params) -> list[dict]:
        offset = params.int("offset")
        limit = min(max(params.int("limit", 100), 1), 100)
        timeout = max(params.int("timeout", 0), 0)
        allowed = params.json("allowed_updates")
        with self._lock:
            if self.webhook.get("url"):
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._poll_generation += 1
            generation = self._poll_generation
            if allowed is not None:
                self.allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
            if offset is not None:
                self._confirm(offset)
        self._notify()  # an older long poll, if any, ends with 409
        deadline = self._loop.time() + timeout
        while True:
            with self._lock:
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    )
                if self._updates:
                    return self._updates[:limit]
                changed = self._changed
            remaining = deadline - self._loop.time()
            if remaining <= 0 or self._stopping.is_set():
                return []
            try:
                await asyncio.wait_for(asyncio.shield(changed), remaining)
            except TimeoutError:
                return []

    # ------------------------------------------------------------------ webhook delivery

    def _api_setWebhook(self, params: Params) -> bool:
        super()._api_setWebhook(params)
        if self.webhook and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_to_webhook())
        return True

    async def _deliver_to_webhook(self) -> None:
        """POST queued updates as Telegram's own Bot API server does, until the webhook is deleted:
        over up to `max_connections` connections at once (40 unless setWebhook said otherwise), one
        update of a chat at a time, the next only once the webhook took the one before (its
        WebhookActor: one update in flight per queue), so each chat's updates arrive in order."""
        sending: dict[object, asyncio.Task] = {}  # a chat (or a lone update) -> the POST of its update
        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            try:
                while not self._stopping.is_set():
                    with self._lock:
                        url, secret = self.webhook.get("url"), self.webhook.get("secret_token")
                        ready = self._next_for_webhook(set(sending), self.webhook_connections - len(sending))
                        changed = self._changed
                    if not url:
                        return
                    for queue, update in ready:
                        sending[queue] = asyncio.create_task(self._deliver_one(session, url, secret, update))
                    waited = [*sending.values(), asyncio.ensure_future(asyncio.shield(changed))]
                    done, _ = await asyncio.wait(waited, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
                    waited[-1].cancel()
                    for queue in [queue for queue, task in sending.items() if task in done]:
                        del sending[queue]
            finally:
                for task in sending.values():
                    task.cancel()
                await asyncio.gather(*sending.values(), return_exceptions=True)

    def _next_for_webhook(self, busy: set[object], free: int) -> list[tuple[object, dict]]:
        """Up to `free` updates to POST now: the first waiting one of each chat not in `busy`."""
        ready: list[tuple[object, dict]] = []
        taken = set(busy)
        for update in self._updates:
            if len(ready) >= free:
                break
            queue = _queue_of(update)
            if queue not in taken:
                taken.add(queue)
                ready.append((queue, update))
        return ready

    async def _deliver_one(self, session: ClientSession, url: str, secret: str | None, update: dict) -> None:
        """POST one update until the webhook takes it (every 0.5 s), or the webhook goes."""
        while not self._stopping.is_set():
            error = await _post_update(session, url, secret, update)
            with self._lock:
                if error is None:
                    self._confirm_delivered(update["update_id"])
                    return
                self.webhook.update(last_error_date=int(self.clock.now()), last_error_message=error)
                if self.webhook.get("url") != url:
                    return
            await self._sleep(0.5)


def _queue_of(update: dict) -> object:
    """Whose updates must arrive one after another: the chat's (a button's message's chat), else the
    sender's (an inline query); an update of neither is a queue of its own."""
    payload = next(value for key, value in update.items() if key != "update_id")
    chat = payload.get("chat") or (payload.get("message") or {}).get("chat") or payload.get("from") or {}
    return chat.get("id", ("update", update["update_id"]))


async def _post_update(session: ClientSession, url: str, secret: str | None, update: dict) -> str | None:
    """Deliver one update; the error text for getWebhookInfo, or None when the bot took it."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    try:
        async with session.post(url, json=update, headers=headers) as response:
            if 200 <= response.status < 300:
                return None
            return f"Wrong response from the webhook: {response.status} {response.reason}"
    except (ClientError, TimeoutError) as error:
        return f"Connection failed: {error.__class__.__name__}"


def _json_response(body: dict, status: int) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )
