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

(`start()`/`stop()` and `await astart()`/`await astop()` do the same without `with`.) The
pytest fixtures in tests/botapi/fixtures.py wrap both. Updates go out by getUpdates (offset
confirms for good, long-poll `timeout` returns as soon as an update arrives, a second poller ends
the first with 409) or, after setWebhook, are POSTed to the webhook (https, or http to
127.0.0.1/localhost) with X-Telegram-Bot-Api-Secret-Token, retried until it answers 2xx.

Driving the simulated world (all helpers are thread-safe and return the stored records):
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

Inspecting:
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
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from bot.botapi.methods import (
    DEFAULT_TOKEN,
    DEFAULT_UPDATE_TYPES,
    METHOD_NAMES,
    UPLOAD,
    BotApiMethods,
    Params,
    default_admin_rights,
)
from bot.botapi.rules import (
    MAX_START_PAYLOAD_CHARS,
    ApiError,
    bad_request,
    detect_entities,
    forbidden,
    formatted_text,
    merge_entities,
    too_many_requests,
)
from bot.botapi.world import (
    FAULT_KINDS,
    ApiCall,
    CallbackQueryRecord,
    Chat,
    Fault,
    InlineQueryRecord,
    StoredFile,
    StoredMessage,
    User,
)

log = logging.getLogger(__name__)
_STATUS_TEXT = {
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}  # fmt: skip
POLL_SECONDS = 0.02  # how often wait_for looks again


class BotApiServer(BotApiMethods):
    """The Bot API over HTTP plus a simulated world; see the module docstring for the helper API."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        strict_html: bool = True,
        query_timeout: float | None = None,
        **world: Any,
    ) -> None:
        """`world` passes bot_username, channel_username, channel_id, channel_title on."""
        super().__init__(token, strict_html=strict_html, query_timeout=query_timeout, **world)
        self.host = host
        self.port = port
        self._poll_generation = 0
        self._calls: list[ApiCall] = []
        self.internal_errors: list[str] = []  # exceptions inside the server itself; should stay empty
        self._faults: list[Fault] = []
        self._methods: dict[str, Callable[[Params], Any]] = {
            name.lower(): getattr(self, f"_api_{name}") for name in METHOD_NAMES
        }
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Future | None = None
        self._stopping: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._webhook_task: asyncio.Task | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """For PTB's `base_url` and the bot's TELEGRAM_API_URL (the token is appended)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def astart(self) -> BotApiServer:
        """Serve from the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._changed = self._loop.create_future()
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._on_api_request)
        app.router.add_get("/file/bot{token}/{path:.+}", self._on_file_request)
        app.router.add_route("*", "/{tail:.*}", self._on_unknown_path)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def astop(self) -> None:
        if self._runner is None:
            return
        self._stopping.set()
        self._notify_now()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
        await self._runner.cleanup()
        self._runner = None

    def start(self) -> BotApiServer:
        """Serve from a background thread with its own event loop."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.astart())
            except BaseException as error:  # reported to the starting thread
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.astop())
            loop.close()

        self._thread = threading.Thread(target=serve, name="botapi-server", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> BotApiServer:
        return self.start()

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> BotApiServer:
        return await self.astart()

    async def __aexit__(self, *_exc_info: object) -> None:
        await self.astop()

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

    def _take_fault(self, method: str, params: Params) -> Fault | None:
        chat_id = self._chat_id_or_none(params.values.get("chat_id"))
        for fault in self._faults:
            if fault.matches(method, chat_id):
                fault.used += 1
                return fault
        return None

    async def _apply_fault(self, fault: Fault, method: str, params: Params) -> tuple[int, dict] | None:
        """The injected answer (status, body), or None to drop the connection."""
        if fault.kind == "retry_after":
            return 429, too_many_requests(fault.retry_after).payload()
        if fault.kind == "server_error":
            status = fault.status or 500
            if fault.apply:  # Telegram performed the call, then its gateway answered an error
                await self._dispatch(method, params)
            return status, ApiError(status, fault.description or _STATUS_TEXT.get(status, "Error")).payload()
        if fault.kind == "forbidden":
            detail = fault.description or "bot is not a member of the channel chat"
            return 403, forbidden(detail.removeprefix("Forbidden: ")).payload()
        if fault.kind == "bad_request":
            detail = fault.description or "custom failure injected by the test"
            return 400, bad_request(detail.removeprefix("Bad Request: ")).payload()
        if fault.kind == "disconnect":
            return None
        if fault.kind == "delay":
            if fault.apply:
                outcome = await self._dispatch(method, params)
                await self._sleep(fault.hang_seconds)
                return outcome
            await self._sleep(fault.hang_seconds)
            return await self._dispatch(method, params)
        if fault.kind == "timeout":
            if fault.apply:
                await self._dispatch(method, params)
            await self._sleep(fault.hang_seconds)
            return 504, ApiError(504, "Gateway Timeout").payload()
        raise ValueError(f"unknown fault kind {fault.kind!r}")

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
        """POST queued updates one at a time, as Telegram does, until the webhook is deleted."""
        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            while not self._stopping.is_set():
                with self._lock:
                    url, secret = self.webhook.get("url"), self.webhook.get("secret_token")
                    update = self._updates[0] if self._updates else None
                    changed = self._changed
                if not url:
                    return
                if update is None:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(changed), 1.0)
                    continue
                error = await _post_update(session, url, secret, update)
                with self._lock:
                    if error is None:
                        self._confirm(update["update_id"] + 1)
                    else:
                        self.webhook.update(last_error_date=int(self.clock.now()), last_error_message=error)
                if error is not None:
                    await self._sleep(0.5)

    # ------------------------------------------------------------------ driving the world

    def add_user(
        self,
        user_id: int,
        first_name: str = "کاربر",
        language_code: str | None = "fa",
        username: str | None = None,
    ) -> User:
        """Create (or return) a Telegram user and their private chat with the bot."""
        with self._lock:
            if user_id in self._users:
                return self._users[user_id]
            user = User(user_id, first_name, language_code, username)
            self._users[user_id] = user
            self._chats[user_id] = Chat(user_id, "private", user=user)
            return user

    def user(self, user_id: int) -> User:
        with self._lock:
            if user_id not in self._users:
                raise KeyError(f"no user {user_id}; call add_user() first")
            return self._users[user_id]

    def block_bot(self, user_id: int, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sending to them answers 403."""
        with self._lock:
            self.user(user_id).blocked_bot = blocked

    def set_channel_access(self, status: str = "administrator", **rights: bool) -> None:
        """The bot's standing in the channel: "administrator" (with rights), "member" or "left".

        Default administrator rights: post and edit messages, no right to delete others' (so the
        48 h rule applies). Pass e.g. can_delete_messages=True or can_post_messages=False.
        """
        if status not in ("administrator", "member", "left"):
            raise ValueError(status)
        with self._lock:
            self.channel.bot_status = status
            self.channel.bot_rights = default_admin_rights(**rights)

    def set_rate_limits(self, channel_per_minute: int | None = 20, global_per_second: int = 30) -> None:
        """Answer 429 like Telegram past 20 posts/min into one channel or group, 30 sends/s overall.

        `set_rate_limits(None)` turns them off (the default).
        """
        with self._lock:
            if channel_per_minute is None:
                self._rate_limits = None
            else:
                self._rate_limits = {
                    "channel_per_minute": channel_per_minute,
                    "global_per_second": global_per_second,
                }
            self._send_times.clear()
            self._global_send_times.clear()

    def inject_fault(
        self,
        kind: str,
        *,
        times: int = 1,
        method: str | None = None,
        chat_id: int | str | None = None,
        retry_after: int = 1,
        status: int | None = None,
        description: str | None = None,
        hang_seconds: float = 30.0,
        apply: bool = False,
    ) -> Fault:
        """Make the next `times` matching calls fail; see the module docstring for the kinds."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            resolved = None if chat_id is None else self._resolve_chat(chat_id).id
            fault = Fault(
                kind,
                times=times,
                method=method.lower() if method else None,
                chat_id=resolved,
                retry_after=retry_after,
                status=status,
                description=description,
                hang_seconds=hang_seconds,
                apply=apply,
            )
            self._faults.append(fault)
            return fault

    def _incoming(self, user_id: int, *, chat_id: int | None = None, **fields: Any) -> StoredMessage:
        """A message from the user (in private, or in the group `chat_id`), delivered as an update;
        `fields` go to `_new_message` (`media=(kind, file)`, text, caption, ...)."""
        with self._lock:
            user = self.user(user_id)
            user.started_bot = True
            chat = self._chats[user_id if chat_id is None else chat_id]
            message = self._new_message(chat, outgoing=False, sender=user, **fields)
            message.update_id = self.enqueue_update("message", message.to_api())
            return message

    def user_sends_text(
        self,
        user_id: int,
        text: str,
        *,
        reply_to: StoredMessage | None = None,
        entities: list[dict] | None = None,
    ) -> StoredMessage:
        """The user writes `text` to the bot in private; /commands, #tags, links get their entities
        (and `entities`: the formatting the user's client set, e.g. bold or a text_link)."""
        found = merge_entities(entities or [], detect_entities(text))
        return self._incoming(user_id, text=text, entities=found, reply_to=reply_to)

    def user_edits_text(
        self, user_id: int, message: StoredMessage, text: str, *, entities: list[dict] | None = None
    ) -> StoredMessage:
        """The user edits a text message they sent: the bot gets an `edited_message` update. The
        entities are those of the new text (`entities`: its formatting), none kept from the old one;
        a file's caption is edited with `user_edits_caption`."""
        with self._lock:
            stored = self._messages[message.chat.id][message.message_id]
            if stored.outgoing or stored.sender is None or stored.sender.id != user_id:
                raise ValueError(f"message {message.message_id} was not sent by user {user_id}")
            if stored.media is not None:
                raise ValueError(f"message {message.message_id} is a file: its caption is edited")
            found = merge_entities(entities or [], detect_entities(text))
            self.enqueue_update("edited_message", self._edit_message(stored, text=text, entities=found))
            return stored

    def user_edits_caption(
        self,
        user_id: int,
        message: StoredMessage,
        caption: str,
        *,
        caption_entities: list[dict] | None = None,
    ) -> StoredMessage:
        """The user edits the caption of a file they sent: an `edited_message` update, with the new
        caption's entities (`caption_entities`: its formatting) and none of the old one's."""
        with self._lock:
            stored = self._messages[message.chat.id][message.message_id]
            if stored.outgoing or stored.sender is None or stored.sender.id != user_id or not stored.media:
                raise ValueError(f"message {message.message_id} is no file sent by user {user_id}")
            found = merge_entities(caption_entities or [], detect_entities(caption))
            edited = self._edit_message(stored, caption=caption, caption_entities=found)
            self.enqueue_update("edited_message", edited)
            return stored

    def add_group(self, chat_id: int, title: str = "گروه تحریریه") -> Chat:
        """A group the bot is a member of (chat ids of groups are negative)."""
        with self._lock:
            if chat_id not in self._chats:
                self._chats[chat_id] = Chat(chat_id, "group", title=title)
            return self._chats[chat_id]

    def user_sends_text_in_group(self, user_id: int, chat_id: int, text: str) -> StoredMessage:
        """The user writes `text` in a group the bot is in."""
        return self._incoming(user_id, chat_id=chat_id, text=text, entities=detect_entities(text))

    def user_opens_link(self, user_id: int, url: str) -> StoredMessage:
        """The user taps a t.me/<bot>?start=<payload> deep link: the client sends "/start <payload>".

        Like Telegram, a payload that is not 1..64 characters of A-Z a-z 0-9 _ - is dropped and
        the bot receives a bare "/start".
        """
        match = re.fullmatch(r"(?:https?://)?t\.me/([A-Za-z0-9_]+)(?:\?start=([^&#]*))?", url)
        if match is None or match[1].lower() != (self.bot_user.username or "").lower():
            raise ValueError(f"{url!r} is not a link to @{self.bot_user.username}")
        payload = match[2] or ""
        valid = re.fullmatch(rf"[A-Za-z0-9_-]{{1,{MAX_START_PAYLOAD_CHARS}}}", payload) is not None
        return self.user_sends_text(user_id, f"/start {payload}" if valid else "/start")

    def user_forwards(
        self,
        user_id: int,
        text: str,
        *,
        entities: list[dict] | None = None,
        from_channel: Chat | None = None,
        sender: User | None = None,
        sender_name: str | None = None,
        message_id: int = 1,
    ) -> StoredMessage:
        """The user forwards a message (from a channel or group, a user, or a hidden user) to the bot;
        `message_id`: the post's id in its channel."""
        origin = self._origin(from_channel or sender or sender_name, message_id)
        found = entities if entities is not None else detect_entities(text)
        return self._incoming(user_id, text=text, entities=found, forward_origin=origin)

    def _origin(self, source: Chat | User | str | None, message_id: int = 1) -> dict:
        """A forward's `forward_origin`, as Telegram gives each kind: a channel's post, a group's
        anonymous message, a user, or a user who hides their account (only a name)."""
        date = int(self.clock.now()) - 60
        if isinstance(source, Chat) and source.type == "channel":
            return {"type": "channel", "chat": source.to_api(), "message_id": message_id, "date": date}
        if isinstance(source, Chat):
            return {"type": "chat", "sender_chat": source.to_api(), "date": date}
        if isinstance(source, User):
            return {"type": "user", "sender_user": source.to_api(), "date": date}
        return {"type": "hidden_user", "sender_user_name": source or "ناشناس", "date": date}

    def user_sends_document(
        self,
        user_id: int,
        content: bytes | str,
        *,
        file_name: str = "draft.txt",
        mime_type: str = "text/plain",
        caption: str | None = None,
    ) -> StoredMessage:
        """The user sends a file; the bot can getFile and download it."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        stored = self._new_file(data, file_name, mime_type)
        return self._incoming(user_id, media=("document", stored), caption=caption)

    def user_sends_photo(
        self, user_id: int, content: bytes, *, width: int, height: int, caption: str | None = None
    ) -> StoredMessage:
        """The user sends a photo (compressed, as Telegram's default); its caption gets its entities."""
        stored = self._new_file(content, "photo.jpg", "image/jpeg", folder="photos", kind="photo")
        stored.width, stored.height = width, height
        entities = detect_entities(caption) if caption else []
        return self._incoming(user_id, media=("photo", stored), caption=caption, caption_entities=entities)

    def user_sends_media(
        self,
        user_id: int,
        kind: str,
        content: bytes | StoredFile,
        *,
        caption: str | None = None,
        caption_entities: list[dict] | None = None,
        reply_to: StoredMessage | None = None,
        forward_from: Chat | User | str | None = None,
        forward_message_id: int = 1,
        media_group_id: str | None = None,
        file_name: str | None = None,
    ) -> StoredMessage:
        """The user sends a photo, video, animation, audio or document (forwarded with `forward_from`:
        a channel's post `forward_message_id`, a group, a user, or a hidden user's name); the caption
        gets the user's entities and those Telegram detects. `content` may be a file made with
        `add_file` (with its own name, type and size)."""
        stored = content if isinstance(content, StoredFile) else self._user_file(kind, content, file_name)
        found = merge_entities(caption_entities or [], detect_entities(caption)) if caption else []
        origin = self._origin(forward_from, forward_message_id) if forward_from is not None else None
        return self._incoming(
            user_id, media=(kind, stored), caption=caption, caption_entities=found, reply_to=reply_to,
            forward_origin=origin, media_group_id=media_group_id,
        )  # fmt: skip

    def user_sends_video(self, user_id: int, content: bytes, **options: Any) -> StoredMessage:
        """The user sends a video (see `user_sends_media`)."""
        return self.user_sends_media(user_id, "video", content, **options)

    def user_sends_animation(self, user_id: int, content: bytes, **options: Any) -> StoredMessage:
        """The user sends a GIF (an animation; see `user_sends_media`)."""
        return self.user_sends_media(user_id, "animation", content, **options)

    def user_sends_audio(self, user_id: int, content: bytes, **options: Any) -> StoredMessage:
        """The user sends a music file (see `user_sends_media`)."""
        return self.user_sends_media(user_id, "audio", content, **options)

    def user_sends_album(
        self,
        user_id: int,
        items: list[tuple[str, bytes | StoredFile]],
        *,
        caption: str | None = None,
        caption_entities: list[dict] | None = None,
        forward_from: Chat | User | str | None = None,
        forward_message_id: int = 1,
        reply_to: StoredMessage | None = None,
    ) -> list[StoredMessage]:
        """The user sends an album: each part is its own update, all with one media_group_id, the
        caption on the first (as Telegram clients send it); in reply to `reply_to`, every part is."""
        if not 2 <= len(items) <= 10:
            raise ValueError("an album holds 2 to 10 items")
        with self._lock:
            group_id = str(next(self._media_groups))
            return [
                self.user_sends_media(
                    user_id,
                    kind,
                    content,
                    caption=caption if i == 0 else None,
                    caption_entities=caption_entities if i == 0 else None,
                    forward_from=forward_from,
                    forward_message_id=forward_message_id + i,
                    reply_to=reply_to,
                    media_group_id=group_id,
                )
                for i, (kind, content) in enumerate(items)
            ]

    def add_file(
        self,
        kind: str,
        content: bytes,
        file_name: str | None = None,
        *,
        mime_type: str | None = None,
        size: tuple[int, int] | None = None,
    ) -> StoredFile:
        """A file Telegram already knows (sent to the bot earlier): its id may be sent as `kind`,
        and `user_sends_media` sends it; `mime_type` and `size` (width, height) as the client said."""
        return self._user_file(kind, content, file_name, mime_type=mime_type, size=size)

    def _user_file(
        self,
        kind: str,
        content: bytes,
        file_name: str | None,
        *,
        mime_type: str | None = None,
        size: tuple[int, int] | None = None,
    ) -> StoredFile:
        names = {"photo": ("photo.jpg", "image/jpeg"), "video": ("video.mp4", "video/mp4"),
                 "animation": ("animation.mp4", "video/mp4"), "audio": ("audio.mp3", "audio/mpeg"),
                 "document": ("file.pdf", "application/pdf")}  # fmt: skip
        default_name, default_mime = names[kind]
        mime = mime_type or default_mime
        stored = self._new_file(content, file_name or default_name, mime, folder=f"{kind}s", kind=kind)
        if kind in ("photo", "video", "animation"):
            stored.width, stored.height = size or (1280, 720)
        if kind != "photo":
            stored.duration = 0 if kind == "document" else 12
        return stored

    def user_presses_button(self, user_id: int, message: StoredMessage, button: str) -> CallbackQueryRecord:
        """The user taps the inline button whose text or callback_data is `button`."""
        with self._lock:
            current = self._messages[message.chat.id][message.message_id]
            if current.deleted:
                raise ValueError(f"message {message.message_id} was deleted; its buttons are gone")
            for candidate in current.buttons:
                if button in (candidate.get("text"), candidate.get("callback_data")):
                    if "callback_data" not in candidate:
                        raise ValueError(f"button {button!r} has no callback_data: {candidate}")
                    return self.user_sends_callback(user_id, candidate["callback_data"], current)
            labels = [b.get("text") for b in current.buttons]
        raise ValueError(f"message {message.message_id} has no button {button!r}; it has {labels}")

    def user_sends_callback(
        self, user_id: int, data: str, message: StoredMessage | None = None
    ) -> CallbackQueryRecord:
        """A callback query with any data (also forged), on `message` or the last bot message."""
        with self._lock:
            user = self.user(user_id)
            if message is None:
                message = self.last_bot_message(user_id)
            if message is None:
                raise ValueError("no message to attach the callback query to")
            query_id = str(4_000_000 + next(self._query_ids))
            query = CallbackQueryRecord(query_id, user, data, message, asked_at=self.clock.now())
            self._callback_queries[query.id] = query
            payload = {
                "id": query.id,
                "from": user.to_api(),
                "message": message.to_api(),
                "chat_instance": str(abs(message.chat.id) * 7 + 13),
                "data": data,
            }
            self.enqueue_update("callback_query", payload)
            return query

    def user_inline_query(
        self, user_id: int, query: str, *, offset: str = "", chat_type: str = "sender"
    ) -> InlineQueryRecord:
        """The user types `@bot query` in a chat (`offset` is the next page the client asks for)."""
        with self._lock:
            user = self.user(user_id)
            query_id = str(8_000_000 + next(self._query_ids))
            record = InlineQueryRecord(query_id, user, query, offset, asked_at=self.clock.now())
            self._inline_queries[record.id] = record
            payload = {"id": record.id, "from": user.to_api(), "query": query, "offset": offset}
            payload["chat_type"] = chat_type
            self.enqueue_update("inline_query", payload)
            return record

    def user_sends_inline_result(self, user_id: int, query_id: str, result_id: str) -> StoredMessage:
        """The user picks result `result_id` of their inline query `query_id` in their chat with the bot:
        the message it describes is sent there "via @bot", and the bot gets it as a message with
        `via_bot` (Telegram sends no chosen_inline_result unless inline feedback is switched on)."""
        with self._lock:
            record = self._inline_queries.get(query_id)
            if record is None or record.user.id != user_id:
                raise ValueError(f"no inline query {query_id} of user {user_id}")
            result = next((r for r in record.results if str(r.get("id")) == result_id), None)
            content = (result or {}).get("input_message_content") or {}
            if "message_text" not in content:
                raise ValueError(f"inline query {query_id} has no text result {result_id!r}")
            text, entities = formatted_text(
                content["message_text"], content.get("parse_mode"), content.get("entities"), strict=False
            )
            markup = (result or {}).get("reply_markup")
            return self._incoming(
                user_id, text=text, entities=entities, via_bot=self.bot_user, reply_markup=markup
            )

    def admin_posts_to_channel(self, text: str, *, entities: list[dict] | None = None) -> StoredMessage:
        """A human admin posts in the channel by hand; the bot (an admin) gets a channel_post update."""
        with self._lock:
            found = entities if entities is not None else detect_entities(text)
            message = self._new_message(self.channel, outgoing=False, sender=None, text=text, entities=found)
            if self.channel.bot_status == "administrator":
                message.update_id = self.enqueue_update("channel_post", message.to_api())
            return message

    def add_channel_history(
        self, text: str, *, date: float, entities: list[dict] | None = None
    ) -> StoredMessage:
        """A post that was in the channel before the bot ran (no update is sent): the channel's past."""
        found = entities if entities is not None else detect_entities(text)
        with self._lock:
            return self._new_message(
                self.channel, outgoing=False, sender=None, date=date, text=text, entities=found
            )

    # ------------------------------------------------------------------ inspecting

    def messages(
        self, chat_id: int | str, *, outgoing: bool | None = None, include_deleted: bool = True
    ) -> list[StoredMessage]:
        """Messages of a chat in order; `outgoing=True` only the bot's."""
        with self._lock:
            chat = self._resolve_chat(chat_id)
            found = sorted(self._messages.get(chat.id, {}).values(), key=lambda m: m.message_id)
        return [
            m
            for m in found
            if (outgoing is None or m.outgoing == outgoing) and (include_deleted or not m.deleted)
        ]

    def bot_messages(self, chat_id: int | str, *, include_deleted: bool = False) -> list[StoredMessage]:
        return self.messages(chat_id, outgoing=True, include_deleted=include_deleted)

    def last_bot_message(self, chat_id: int | str) -> StoredMessage | None:
        found = self.bot_messages(chat_id)
        return found[-1] if found else None

    def message(self, chat_id: int | str, message_id: int) -> StoredMessage:
        with self._lock:
            return self._messages[self._resolve_chat(chat_id).id][message_id]

    def channel_posts(self, *, include_deleted: bool = False) -> list[StoredMessage]:
        return self.bot_messages(self.channel.id, include_deleted=include_deleted)

    def message_at_link(self, url: str) -> StoredMessage | None:
        """The live channel message a t.me/<channel>/<id> or t.me/c/<internal id>/<id> link opens."""
        public = re.fullmatch(r"(?:https?://)?t\.me/([A-Za-z][A-Za-z0-9_]{3,31})/(\d+)", url)
        private = re.fullmatch(r"(?:https?://)?t\.me/c/(\d+)/(\d+)", url)
        if public and (self.channel.username or "").lower() == public[1].lower():
            message_id = int(public[2])
        elif private and f"-100{private[1]}" == str(self.channel.id):
            message_id = int(private[2])
        else:
            return None
        with self._lock:
            found = self._messages.get(self.channel.id, {}).get(message_id)
        return found if found is not None and not found.deleted else None

    def calls(self, method: str | None = None) -> list[ApiCall]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method.lower() == method.lower()]

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._lock:
            return list(self._updates)

    def is_confirmed(self, update_id: int) -> bool:
        with self._lock:
            return update_id < self._confirmed_below

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        with self._lock:
            return list(self._commands.get(key, []))

    def first_bot_message_after(
        self, chat_id: int | str, after: StoredMessage | int | None = None
    ) -> StoredMessage | None:
        """The bot's first (not deleted) message in the chat newer than `after` (message or id)."""
        if isinstance(after, StoredMessage):
            with self._lock:
                if after.chat.id != self._resolve_chat(chat_id).id:
                    raise ValueError("`after` must be a message of the same chat")
            after = after.message_id
        return next((m for m in self.bot_messages(chat_id) if m.message_id > (after or 0)), None)

    async def wait_for_bot_message(
        self, chat_id: int | str, *, after: StoredMessage | int | None = None, timeout: float = 5.0
    ) -> StoredMessage:
        """Wait for the bot's answer in a chat, e.g. `after=` the user's message it answers."""
        return await self.wait_for(
            lambda: self.first_bot_message_after(chat_id, after), timeout, f"no bot message in {chat_id}"
        )

    def wait_for_bot_message_sync(
        self, chat_id: int | str, *, after: StoredMessage | int | None = None, timeout: float = 5.0
    ) -> StoredMessage:
        return self.wait_for_sync(
            lambda: self.first_bot_message_after(chat_id, after), timeout, f"no bot message in {chat_id}"
        )

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, message: str = "") -> Any:
        """Poll `predicate` from async code until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while not (value := self._poll(predicate, deadline, message or _not_met(timeout))):
            await asyncio.sleep(POLL_SECONDS)
        return value

    def wait_for_sync(self, predicate: Callable[[], Any], timeout: float = 5.0, message: str = "") -> Any:
        """`wait_for` for synchronous tests (thread mode only: it blocks the calling thread)."""
        deadline = time.monotonic() + timeout
        while not (value := self._poll(predicate, deadline, message or _not_met(timeout))):
            time.sleep(POLL_SECONDS)
        return value

    def _poll(self, predicate: Callable[[], Any], deadline: float, message: str) -> Any:
        """`predicate`'s value under the lock; AssertionError(message) once it is falsy past `deadline`."""
        with self._lock:
            value = predicate()
        if not value and time.monotonic() >= deadline:
            raise AssertionError(message)
        return value


def _not_met(timeout: float) -> str:
    return f"condition not met within {timeout} s"


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
