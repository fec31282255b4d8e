"""A local Telegram Bot API server for end-to-end tests of the bot.

It speaks the Bot API over real HTTP on 127.0.0.1 (an ephemeral port), so python-telegram-bot
talks to it exactly as to api.telegram.org, and it enforces Telegram's documented rules with
Telegram's own error answers: HTML parse mode (tests/botapi/html_check.py), 4096 UTF-16 units
per text, callback_data 1..64 bytes, inline answers <= 50 results, "message is not modified",
the 48 h deletion rule in channels, 403 for blocked users and channels the bot may not post to.

Run it in one of two ways::

    async with BotApiServer() as server:          # in the test's own event loop
        bot = ExtBot(server.token, base_url=server.base_url, base_file_url=server.base_file_url)

    with BotApiServer() as server:                # own thread and loop; survives a SIGKILLed bot
        env = {"TELEGRAM_API_URL": server.base_url, "BOT_TOKEN": server.token, ...}

(`start()`/`stop()` and `await astart()`/`await astop()` do the same without `with`.) The
pytest fixtures in tests/botapi/fixtures.py wrap both.

Driving the simulated world (all helpers are thread-safe and return the stored records):
    add_user(user_id, first_name, language_code="fa") -> User
    user_sends_text(user_id, text, reply_to=None) -> StoredMessage     (/commands get bot_command)
    user_forwards(user_id, text, entities=None, from_channel=None | sender=None) -> StoredMessage
    user_sends_document(user_id, content, file_name="draft.txt", caption=None) -> StoredMessage
    user_presses_button(user_id, message, text_or_data) -> CallbackQueryRecord
    user_sends_callback(user_id, data, message=None) -> CallbackQueryRecord   (forged data)
    user_inline_query(user_id, query, offset="") -> InlineQueryRecord
    enqueue_update(kind, payload) -> update_id                          (anything else)
    block_bot(user_id) / set_channel_access("administrator"|"member"|"left", **rights)
    clock.advance(seconds)      moves the server's clock (message dates, the 48 h rule)
    set_rate_limits(channel_per_minute=20, global_per_second=30) / set_rate_limits(None)
    inject_fault(kind, times=1, method=None, chat_id=None, ...) -> Fault, clear_faults()
        kind: "retry_after" (429 + parameters.retry_after), "server_error" (status 500/502/503),
        "timeout" (hang hang_seconds; apply=True performs the call and loses the answer),
        "forbidden" (403, default "bot is not a member of the channel chat"),
        "bad_request" (400 with description), "disconnect" (connection dropped, no answer).
        Without `method` a fault matches any method except getUpdates.

Inspecting:
    messages(chat_id, outgoing=None, include_deleted=True), bot_messages(chat_id),
    last_bot_message(chat_id), message(chat_id, message_id), channel_posts(include_deleted=False)
    calls(method=None) -> [ApiCall(method, params, time, status, response, fault)]
    pending_updates(), is_confirmed(update_id), commands(scope=None, language_code="")
    await wait_for(predicate, timeout=5)  /  wait_for_sync(predicate, timeout=5)
        poll `predicate()` until truthy and return its value; AssertionError on timeout.

A StoredMessage has chat, message_id, date, outgoing, text, entities, html (as sent), parse_mode,
reply_markup, buttons, document, caption, forward_origin, reply_to, disable_notification,
edit_date, history (earlier versions) and deleted. State lives as long as the server object, so a
bot process can be killed and restarted against the same world (message and update ids keep
increasing).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.botapi.rules import (
    ApiError,
    bad_request,
    check_commands,
    check_inline_results,
    check_reply_markup,
    detect_entities,
    forbidden,
    formatted_text,
    too_many_requests,
)
from tests.botapi.world import (
    CHANNEL_ADMIN_RIGHTS,
    ApiCall,
    CallbackQueryRecord,
    Chat,
    FakeClock,
    Fault,
    InlineQueryRecord,
    StoredFile,
    StoredMessage,
    User,
)

DEFAULT_TOKEN = "7000000001:TEST-newsdesk-AAAAAAAAAAAAAAAAAAAAAAAAAAAA"
DEFAULT_CHANNEL_ID = -1001234567890
CHANNEL_DELETE_WINDOW = 48 * 3600
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "my_chat_member",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "chat_join_request",
    }
)
_MESSAGE_OPTIONS = ("link_preview_options", "disable_web_page_preview", "protect_content")
_STATUS_TEXT = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class Params:
    """A Bot API call's parameters, from a query string, a form, multipart or a JSON body."""

    def __init__(self, values: dict[str, Any], files: dict[str, StoredFile]) -> None:
        self.values = values
        self.files = files

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        return default if value is None else str(value)

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None:
            return default
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")

    def json(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def required(self, name: str) -> Any:
        if not self.has(name):
            raise bad_request(f"{name} is empty")
        return self.values[name]

    def logged(self) -> dict[str, Any]:
        """Values with JSON-encoded objects decoded, for the call log."""
        shown: dict[str, Any] = {}
        for name, value in self.values.items():
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            shown[name] = value
        for name, stored in self.files.items():
            shown[name] = f"<file {stored.file_name} {len(stored.content)} bytes>"
        return shown


class BotApiServer:
    """The Bot API over HTTP plus a simulated world; see the module docstring for the helper API."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "newsdesk_test_bot",
        channel_username: str | None = "news_test",
        channel_id: int = DEFAULT_CHANNEL_ID,
        channel_title: str = "خبرگزاری آزمایشی",
        strict_html: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.strict_html = strict_html
        self.clock = FakeClock()
        self.bot_user = User(int(token.split(":")[0]), "Newsdesk Test", None, bot_username, is_bot=True)
        self.channel = Chat(channel_id, "channel", title=channel_title, username=channel_username)
        self.webhook: dict[str, Any] = {}
        self.allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._lock = threading.RLock()
        self.set_channel_access("administrator")
        self._users: dict[int, User] = {}
        self._chats: dict[int, Chat] = {self.channel.id: self.channel}
        self._messages: dict[int, dict[int, StoredMessage]] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._callback_queries: dict[str, CallbackQueryRecord] = {}
        self._inline_queries: dict[str, InlineQueryRecord] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 500_000_001
        self._confirmed_below = 0
        self._poll_generation = 0
        self._calls: list[ApiCall] = []
        self._faults: list[Fault] = []
        self._commands: dict[tuple[str, str], list[dict]] = {}
        self._rate_limits: dict[str, int] | None = None
        self._send_times: dict[int, deque[float]] = {}
        self._global_send_times: deque[float] = deque()
        self._methods: dict[str, Callable[[Params], Any]] = {
            name.lower(): getattr(self, f"_api_{name}") for name in _API_METHODS
        }
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Future | None = None
        self._stopping: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

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

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> BotApiServer:
        return await self.astart()

    async def __aexit__(self, *exc_info: object) -> None:
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
        return web.Response(body=stored.content, content_type="application/octet-stream")

    async def _on_api_request(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params = await self._read_params(request)
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
            outcome = await self._apply_fault(fault, request, method, params)
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
            body = await request.json()
            values.update(body if isinstance(body, dict) else {})
        elif request.method == "POST" and request.can_read_body:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = self._new_file(value.file.read(), value.filename, value.content_type)
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
        return 200, {"ok": True, "result": result}

    def _take_fault(self, method: str, params: Params) -> Fault | None:
        chat_id = self._chat_id_or_none(params.values.get("chat_id"))
        for fault in self._faults:
            if fault.matches(method, chat_id):
                fault.used += 1
                return fault
        return None

    async def _apply_fault(
        self, fault: Fault, request: web.Request, method: str, params: Params
    ) -> tuple[int, dict] | None:
        if fault.kind == "retry_after":
            return 429, too_many_requests(fault.retry_after).payload()
        if fault.kind == "server_error":
            status = fault.status or 500
            return status, ApiError(status, fault.description or _STATUS_TEXT.get(status, "Error")).payload()
        if fault.kind == "forbidden":
            detail = fault.description or "bot is not a member of the channel chat"
            return 403, forbidden(detail.removeprefix("Forbidden: ")).payload()
        if fault.kind == "bad_request":
            detail = fault.description or "custom failure injected by the test"
            return 400, bad_request(detail.removeprefix("Bad Request: ")).payload()
        if fault.kind == "disconnect":
            return None
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

    # ------------------------------------------------------------------ world lookups

    def _chat_id_or_none(self, value: Any) -> int | None:
        try:
            return self._resolve_chat(value).id
        except ApiError:
            return None

    def _resolve_chat(self, value: Any) -> Chat:
        if value in (None, ""):
            raise bad_request("chat_id is empty")
        text = str(value)
        if text.startswith("@"):
            for chat in self._chats.values():
                if chat.username and chat.username.lower() == text[1:].lower():
                    return chat
            raise bad_request("chat not found")
        try:
            chat = self._chats.get(int(text))
        except ValueError:
            raise bad_request("chat not found") from None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _find_message(self, chat: Chat, message_id: int | None, missing: str) -> StoredMessage:
        message = self._messages.get(chat.id, {}).get(message_id or 0)
        if message is None or message.deleted:
            raise bad_request(missing)
        return message

    def _check_can_send(self, chat: Chat) -> None:
        if chat.type == "private":
            user = chat.user
            if user.blocked_bot:
                raise forbidden("bot was blocked by the user")
            if not user.started_bot:
                raise forbidden("bot can't initiate conversation with a user")
        elif chat.type == "channel":
            self._check_channel_right(chat, "can_post_messages")

    def _check_channel_right(self, chat: Chat, right: str) -> None:
        if chat.bot_status == "left":
            raise forbidden("bot is not a member of the channel chat")
        if chat.bot_status != "administrator" or not chat.bot_rights.get(right):
            raise bad_request("need administrator rights in the channel chat")

    def _check_rate(self, chat: Chat) -> None:
        if self._rate_limits is None:
            return
        now = time.monotonic()
        self._limit_window(self._global_send_times, now, 1.0, self._rate_limits["global_per_second"])
        if chat.type != "private":
            times = self._send_times.setdefault(chat.id, deque())
            self._limit_window(times, now, 60.0, self._rate_limits["channel_per_minute"])
            times.append(now)
        self._global_send_times.append(now)

    @staticmethod
    def _limit_window(times: deque[float], now: float, window: float, limit: int) -> None:
        while times and now - times[0] >= window:
            times.popleft()
        if len(times) >= limit:
            raise too_many_requests(max(1, math.ceil(window - (now - times[0]))))

    def _new_file(self, content: bytes, file_name: str | None, mime_type: str | None) -> StoredFile:
        number = next(self._file_ids)
        suffix = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"BQACAgQAAxkBAAI{number:08d}",
            file_unique_id=f"AgAD{number:06d}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"documents/file_{number}.{suffix}",
        )
        with self._lock:
            self._files[stored.file_id] = stored
        return stored

    def _store(self, message: StoredMessage) -> StoredMessage:
        self._messages.setdefault(message.chat.id, {})[message.message_id] = message
        return message

    def _bot_sender(self, chat: Chat) -> User | None:
        return None if chat.type == "channel" else self.bot_user

    # ------------------------------------------------------------------ Bot API methods

    def _api_getMe(self, params: Params) -> dict:
        return {
            **self.bot_user.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

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

    def _confirm(self, offset: int) -> None:
        """Forget updates below `offset` (a negative offset keeps the last -offset updates)."""
        if offset < 0:
            kept = self._updates[offset:]
            offset = kept[0]["update_id"] if kept else self._next_update_id
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._confirmed_below = max(self._confirmed_below, offset)

    def _api_deleteWebhook(self, params: Params) -> bool:
        self.webhook = {}
        if params.bool("drop_pending_updates"):
            self._confirm(self._next_update_id)
        return True

    def _api_setWebhook(self, params: Params) -> bool:
        url = params.str("url", "")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": url, "secret_token": params.str("secret_token")} if url else {}
        if params.bool("drop_pending_updates"):
            self._confirm(self._next_update_id)
        allowed = params.json("allowed_updates")
        if allowed is not None:
            self.allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        return True

    def _api_getWebhookInfo(self, params: Params) -> dict:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_close(self, params: Params) -> bool:
        return True

    def _api_logOut(self, params: Params) -> bool:
        return True

    def _commands_key(self, params: Params) -> tuple[str, str]:
        scope = params.json("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.str("language_code", "") or ""

    def _api_setMyCommands(self, params: Params) -> bool:
        self._commands[self._commands_key(params)] = check_commands(params.json("commands", []))
        return True

    def _api_getMyCommands(self, params: Params) -> list[dict]:
        return self._commands.get(self._commands_key(params), [])

    def _api_deleteMyCommands(self, params: Params) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _api_sendChatAction(self, params: Params) -> bool:
        self._check_can_send(self._resolve_chat(params.required("chat_id")))
        return True

    def _api_sendMessage(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        html = params.str("text", "")
        text, entities = formatted_text(
            html, params.str("parse_mode"), params.json("entities"), strict=self.strict_html
        )
        markup = check_reply_markup(params.json("reply_markup"))
        reply_to = self._reply_target(chat, params)
        self._check_rate(chat)
        message = StoredMessage(
            chat=chat,
            message_id=chat.take_message_id(),
            date=int(self.clock.now()),
            outgoing=True,
            sender=self._bot_sender(chat),
            text=text,
            entities=entities,
            html=html,
            parse_mode=params.str("parse_mode"),
            reply_markup=markup,
            reply_to=reply_to,
            disable_notification=params.bool("disable_notification"),
            options=_extra_options(params, _MESSAGE_OPTIONS),
        )
        return self._store(message).to_api()

    def _reply_target(self, chat: Chat, params: Params) -> StoredMessage | None:
        reply = params.json("reply_parameters") or {}
        message_id = reply.get("message_id") or params.int("reply_to_message_id")
        if not message_id:
            return None
        target = self._messages.get(chat.id, {}).get(int(message_id))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply") or params.bool("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return target

    def _api_sendDocument(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        stored = self._input_file(params, "document")
        caption, caption_entities = formatted_text(
            params.str("caption", ""),
            params.str("parse_mode"),
            params.json("caption_entities"),
            caption=True,
            strict=self.strict_html,
        )
        markup = check_reply_markup(params.json("reply_markup"))
        self._check_rate(chat)
        message = StoredMessage(
            chat=chat,
            message_id=chat.take_message_id(),
            date=int(self.clock.now()),
            outgoing=True,
            sender=self._bot_sender(chat),
            document=stored,
            caption=caption or None,
            caption_entities=caption_entities,
            html=params.str("caption"),
            parse_mode=params.str("parse_mode"),
            reply_markup=markup,
            reply_to=self._reply_target(chat, params),
            disable_notification=params.bool("disable_notification"),
        )
        return self._store(message).to_api()

    def _input_file(self, params: Params, name: str) -> StoredFile:
        value = params.values.get(name)
        if name in params.files:
            return params.files[name]
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in params.files:
            return params.files[value[9:]]
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        raise bad_request(f"invalid file HTTP URL specified: {name} is not a known file_id or upload")

    def _api_getFile(self, params: Params) -> dict:
        stored = self._files.get(params.str("file_id", ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _api_editMessageText(self, params: Params) -> dict:
        message = self._editable_message(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        html = params.str("text", "")
        text, entities = formatted_text(
            html, params.str("parse_mode"), params.json("entities"), strict=self.strict_html
        )
        markup = check_reply_markup(params.json("reply_markup"))
        if text == message.text and entities == message.entities and markup == message.reply_markup:
            raise _not_modified()
        message.history.append(message.snapshot())
        message.text, message.entities, message.html = text, entities, html
        message.parse_mode, message.reply_markup = params.str("parse_mode"), markup
        message.edit_date = int(self.clock.now())
        return message.to_api()

    def _api_editMessageReplyMarkup(self, params: Params) -> dict:
        message = self._editable_message(params)
        markup = check_reply_markup(params.json("reply_markup"))
        if markup == message.reply_markup or (not markup and not message.reply_markup):
            raise _not_modified()
        message.history.append(message.snapshot())
        message.reply_markup = markup
        message.edit_date = int(self.clock.now())
        return message.to_api()

    def _editable_message(self, params: Params) -> StoredMessage:
        if params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._resolve_chat(params.required("chat_id"))
        if chat.type == "channel":
            self._check_channel_right(chat, "can_post_messages")
        message = self._find_message(chat, params.int("message_id"), "message to edit not found")
        if not message.outgoing:
            raise bad_request("message can't be edited")
        return message

    def _api_deleteMessage(self, params: Params) -> bool:
        chat = self._resolve_chat(params.required("chat_id"))
        message = self._find_message(chat, params.int("message_id"), "message to delete not found")
        self._check_can_delete(chat, message)
        message.deleted = True
        return True

    def _api_deleteMessages(self, params: Params) -> bool:
        chat = self._resolve_chat(params.required("chat_id"))
        ids = params.json("message_ids", [])
        if not 1 <= len(ids) <= 100:
            raise bad_request("MESSAGE_IDS_INVALID")
        found = [m for m in (self._messages.get(chat.id, {}).get(int(i)) for i in ids) if m and not m.deleted]
        for message in found:
            self._check_can_delete(chat, message)
        for message in found:
            message.deleted = True
        return True

    def _check_can_delete(self, chat: Chat, message: StoredMessage) -> None:
        if chat.type != "channel":
            if self.clock.now() - message.date >= CHANNEL_DELETE_WINDOW:
                raise bad_request("message can't be deleted for everyone")
            return
        if chat.bot_status == "left":
            raise forbidden("bot is not a member of the channel chat")
        can_delete_any = chat.bot_status == "administrator" and chat.bot_rights.get("can_delete_messages")
        if can_delete_any:
            return
        may_post = chat.bot_status == "administrator" and chat.bot_rights.get("can_post_messages")
        if not (message.outgoing and may_post) or self.clock.now() - message.date >= CHANNEL_DELETE_WINDOW:
            raise bad_request("message can't be deleted")

    def _api_forwardMessage(self, params: Params) -> dict:
        return self._copy(params, forward=True).to_api()

    def _api_copyMessage(self, params: Params) -> dict:
        return {"message_id": self._copy(params, forward=False).message_id}

    def _copy(self, params: Params, *, forward: bool) -> StoredMessage:
        source_chat = self._resolve_chat(params.required("from_chat_id"))
        source = self._find_message(source_chat, params.int("message_id"), "message to copy not found")
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        self._check_rate(chat)
        origin = None
        if forward:
            origin = {"type": "channel", "chat": source_chat.to_api(), "message_id": source.message_id}
            if source_chat.type != "channel":
                origin = {"type": "user", "sender_user": (source.sender or self.bot_user).to_api()}
            origin["date"] = source.date
        copy = StoredMessage(
            chat=chat,
            message_id=chat.take_message_id(),
            date=int(self.clock.now()),
            outgoing=True,
            sender=self._bot_sender(chat),
            text=source.text,
            entities=list(source.entities),
            html=source.html,
            document=source.document,
            caption=source.caption,
            caption_entities=list(source.caption_entities),
            forward_origin=origin,
            reply_markup=None if forward else check_reply_markup(params.json("reply_markup")),
            disable_notification=params.bool("disable_notification"),
        )
        return self._store(copy)

    def _api_answerCallbackQuery(self, params: Params) -> bool:
        query = self._callback_queries.get(params.str("callback_query_id", ""))
        if query is None or query.answer is not None:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        text = params.str("text") or ""
        if len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = params.logged()
        return True

    def _api_answerInlineQuery(self, params: Params) -> bool:
        query = self._inline_queries.get(params.str("inline_query_id", ""))
        if query is None or query.answer is not None:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        results = params.json("results", [])
        next_offset = params.str("next_offset")
        check_inline_results(results, next_offset, strict=self.strict_html)
        query.answer = {**params.logged(), "results": results, "next_offset": next_offset or ""}
        return True

    def _api_getChat(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        info = {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        return info

    def _api_getChatMember(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        user_id = params.int("user_id")
        if user_id == self.bot_user.id:
            return self._bot_membership(chat)
        user = self._users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        in_chat = chat.type != "private" or chat.user is user
        return {"status": "member" if in_chat else "left", "user": user.to_api()}

    def _bot_membership(self, chat: Chat) -> dict:
        member: dict[str, Any] = {"status": chat.bot_status, "user": self.bot_user.to_api()}
        if chat.type == "private":
            member["status"] = "member"
        elif chat.bot_status == "administrator":
            member.update({"can_be_edited": False, "is_anonymous": False})
            member.update({right: bool(chat.bot_rights.get(right)) for right in CHANNEL_ADMIN_RIGHTS})
        return member

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
        granted = {right: False for right in CHANNEL_ADMIN_RIGHTS}
        granted.update(
            can_manage_chat=True, can_post_messages=True, can_edit_messages=True, can_invite_users=True
        )
        granted.update(rights)
        with self._lock:
            self.channel.bot_status = status
            self.channel.bot_rights = granted

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
        if kind not in ("retry_after", "server_error", "timeout", "forbidden", "bad_request", "disconnect"):
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

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def enqueue_update(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update of type `kind` for getUpdates; None if allowed_updates filters it out."""
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
            if kind not in self.allowed_updates:
                return None
            self._updates.append({"update_id": update_id, kind: payload})
        self._notify()
        return update_id

    def _incoming(self, user_id: int, **fields: Any) -> StoredMessage:
        with self._lock:
            user = self.user(user_id)
            user.started_bot = True
            chat = self._chats[user_id]
            message = StoredMessage(
                chat=chat,
                message_id=chat.take_message_id(),
                date=int(self.clock.now()),
                outgoing=False,
                sender=user,
                **fields,
            )
            self._store(message)
            message.update_id = self.enqueue_update("message", message.to_api())
            return message

    def user_sends_text(
        self, user_id: int, text: str, *, reply_to: StoredMessage | None = None
    ) -> StoredMessage:
        """The user writes `text` to the bot in private; /commands, #tags, links get their entities."""
        return self._incoming(user_id, text=text, entities=detect_entities(text), reply_to=reply_to)

    def user_forwards(
        self,
        user_id: int,
        text: str,
        *,
        entities: list[dict] | None = None,
        from_channel: Chat | None = None,
        sender: User | None = None,
        sender_name: str | None = None,
    ) -> StoredMessage:
        """The user forwards a message (from a channel, a user, or a hidden user) to the bot."""
        date = int(self.clock.now()) - 60
        if from_channel is not None:
            origin = {"type": "channel", "chat": from_channel.to_api(), "message_id": 1, "date": date}
        elif sender is not None:
            origin = {"type": "user", "sender_user": sender.to_api(), "date": date}
        else:
            origin = {"type": "hidden_user", "sender_user_name": sender_name or "ناشناس", "date": date}
        found = entities if entities is not None else detect_entities(text)
        return self._incoming(user_id, text=text, entities=found, forward_origin=origin)

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
        return self._incoming(user_id, document=stored, caption=caption)

    def user_presses_button(self, user_id: int, message: StoredMessage, button: str) -> CallbackQueryRecord:
        """The user taps the inline button whose text or callback_data is `button`."""
        with self._lock:
            current = self._messages[message.chat.id][message.message_id]
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
            query = CallbackQueryRecord(str(4_000_000 + next(self._query_ids)), user, data, message)
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
            record = InlineQueryRecord(str(8_000_000 + next(self._query_ids)), user, query, offset)
            self._inline_queries[record.id] = record
            payload = {"id": record.id, "from": user.to_api(), "query": query, "offset": offset}
            payload["chat_type"] = chat_type
            self.enqueue_update("inline_query", payload)
            return record

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

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, message: str = "") -> Any:
        """Poll `predicate` from async code until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(message or f"condition not met within {timeout} s")
            await asyncio.sleep(0.02)

    def wait_for_sync(self, predicate: Callable[[], Any], timeout: float = 5.0, message: str = "") -> Any:
        """`wait_for` for synchronous tests (thread mode only: it blocks the calling thread)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(message or f"condition not met within {timeout} s")
            time.sleep(0.02)


_API_METHODS = (
    "getMe",
    "getUpdates",
    "deleteWebhook",
    "setWebhook",
    "getWebhookInfo",
    "close",
    "logOut",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "sendChatAction",
    "sendMessage",
    "sendDocument",
    "getFile",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "deleteMessages",
    "forwardMessage",
    "copyMessage",
    "answerCallbackQuery",
    "answerInlineQuery",
    "getChat",
    "getChatMember",
)


def _json_response(body: dict, status: int) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly the same "
        "as a current content and reply markup of the message"
    )


def _extra_options(params: Params, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: params.json(name) for name in names if params.has(name)}
