"""A local Eitaayar server: Eitaa's channel API (eitaayar.ir) for end-to-end tests and the sandbox.

Eitaayar is send-only: `<base>/<TOKEN>/getMe`, `sendMessage` and `sendFile` (multipart, the file in
`file`), each by GET or POST, answering `{"ok": true, "result": {...}}` in the Bot API's shape. No
edits, no deletions, no updates. The parameters are those its public clients use: `chat_id` (the
channel's username without @, or its numeric id), `text` / `caption`, `title` (shown only in the
Eitaayar panel), `date` (a unix time: a message scheduled by Eitaayar), `pin` (1: pinned),
`viewCountForDelete` (deleted by Eitaa after that many views), `disable_notification`,
`reply_to_message_id`. Assumed, since Eitaayar documents no errors: a refusal answers
`{"ok": false, "error_code": N, "description": "..."}` like the Bot API; an unknown token 401; an
unknown chat 400 "chat not found"; a text over 4096 characters or a caption over 1024 is refused 400.

    with EitaayarServer() as eitaa:               # or `async with`, as BotApiServer
        env = {"EITAA_API_URL": eitaa.base_url, "EITAA_TOKEN": eitaa.token, "EITAA_CHANNEL_ID": "news_eitaa"}
        eitaa.posts("news_eitaa")                 # what the channel shows, oldest first
        eitaa.inject_fault("server_error", times=2, status=502, apply=False)   # or "disconnect"
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.botapi.serving import Served
from bot.botapi.world import FakeClock

EITAA_TOKEN = "eitaa-test-token-0123456789"
MAX_TEXT = 4096
MAX_CAPTION = 1024


@dataclass
class EitaaPost:
    """A message in an Eitaa channel, as Eitaayar posted it."""

    chat: str
    message_id: int
    date: int
    text: str | None = None
    caption: str | None = None
    file_name: str | None = None
    content: bytes | None = None
    title: str | None = None
    scheduled_for: int | None = None
    pin: bool = False
    view_count_for_delete: int | None = None
    reply_to: int | None = None
    silent: bool = False


@dataclass
class EitaaFault:
    """The next `times` calls (of `method`, or any) fail: "server_error" answers `status`, "disconnect"
    drops the connection; `apply`: the call takes effect first (posted, but the answer is lost)."""

    kind: str
    times: int = 1
    method: str | None = None
    status: int = 502
    apply: bool = False


@dataclass
class EitaaCall:
    method: str
    params: dict[str, Any]
    status: int = 0
    response: dict[str, Any] = field(default_factory=dict)


class _Refused(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class EitaayarServer(Served):
    """Eitaayar over HTTP with the channels it may post to; see the module docstring."""

    def __init__(
        self, token: str = EITAA_TOKEN, *, channels: dict[str, int] | None = None, **serving: Any
    ) -> None:
        super().__init__(**serving)
        self.token = token
        self._lock = threading.RLock()
        self._channels = dict(channels or {"news_eitaa": 7_000_001})
        self._posts: dict[str, list[EitaaPost]] = {name: [] for name in self._channels}
        self._ids = itertools.count(1)
        self._faults: list[EitaaFault] = []
        self._calls: list[EitaaCall] = []
        self.clock = FakeClock()  # post dates; the sandbox moves it with the bot's clock

    @property
    def base_url(self) -> str:
        """For EITAA_API_URL (`<base>/<token>/<method>`)."""
        return f"http://{self.host}:{self.port}/api"

    def _routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/api/{token}/{method}", self._on_request)
        app.router.add_route("*", "/{tail:.*}", self._on_unknown)

    # ------------------------------------------------------------------ the test's side

    def posts(self, chat: str = "news_eitaa") -> list[EitaaPost]:
        """The channel's messages, oldest first."""
        with self._lock:
            return list(self._posts[self._channel(chat)])

    def calls(self, method: str | None = None) -> list[EitaaCall]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method.lower() == method.lower()]

    def inject_fault(
        self, kind: str, *, times: int = 1, method: str | None = None, status: int = 502, apply: bool = False
    ) -> EitaaFault:
        if kind not in ("server_error", "disconnect"):
            raise ValueError(f"unknown fault kind {kind!r}")
        fault = EitaaFault(kind, times, method.lower() if method else None, status, apply)
        with self._lock:
            self._faults.append(fault)
        return fault

    # ------------------------------------------------------------------ HTTP

    async def _on_unknown(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)

    async def _on_request(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        values, upload = await _read(request)
        call = EitaaCall(method, {k: v for k, v in values.items()})
        with self._lock:
            self._calls.append(call)
            fault = self._take_fault(method)
        try:
            if request.match_info["token"] != self.token:
                raise _Refused(401, "Unauthorized")
            if fault is None or fault.apply:
                result = self._perform(method, values, upload)
            if fault is not None:
                if fault.kind == "disconnect":
                    request.transport.abort()
                    return web.Response(status=500)
                raise _Refused(fault.status, "Bad Gateway" if fault.status == 502 else "Server Error")
        except _Refused as error:
            call.status = error.code
            call.response = {"ok": False, "error_code": error.code, "description": error.description}
            return web.json_response(call.response, status=error.code)
        call.status, call.response = 200, {"ok": True, "result": result}
        return web.Response(
            text=json.dumps(call.response, ensure_ascii=False), content_type="application/json"
        )

    def _take_fault(self, method: str) -> EitaaFault | None:
        for fault in self._faults:
            if fault.times > 0 and fault.method in (None, method.lower()):
                fault.times -= 1
                return fault
        return None

    # ------------------------------------------------------------------ the methods

    def _channel(self, chat: str) -> str:
        name = str(chat).removeprefix("@")
        if name in self._channels:
            return name
        for known, number in self._channels.items():
            if name == str(number):
                return known
        raise _Refused(400, "chat not found")

    def _perform(self, method: str, values: dict[str, str], upload: tuple[str, bytes] | None) -> dict:
        if method == "getMe":
            return {"id": 1, "is_bot": True, "first_name": "Eitaayar", "username": "eitaayar_test"}
        if method not in ("sendMessage", "sendFile"):
            raise _Refused(404, "Not Found")
        with self._lock:
            chat = self._channel(values.get("chat_id", ""))
            post = EitaaPost(chat, next(self._ids), int(self.clock.now()), **_common(values))
            if method == "sendMessage":
                text = values.get("text", "")
                if not text.strip():
                    raise _Refused(400, "text is empty")
                if len(text) > MAX_TEXT:
                    raise _Refused(400, "text is too long")
                post.text = text
            else:
                if upload is None:
                    raise _Refused(400, "file is required")
                caption = values.get("caption") or None
                if caption is not None and len(caption) > MAX_CAPTION:
                    raise _Refused(400, "caption is too long")
                post.file_name, post.content = upload
                post.caption = caption
            self._posts[chat].append(post)
        result = {
            "message_id": post.message_id,
            "from": {"id": 1, "is_bot": True, "first_name": "Eitaayar", "username": "eitaayar_test"},
            "chat": {"id": self._channels[chat], "type": "public", "username": chat},
            "date": post.date,
        }
        result.update({"text": post.text} if post.text is not None else {"caption": post.caption or ""})
        return result


def _common(values: dict[str, str]) -> dict[str, Any]:
    """The parameters sendMessage and sendFile share."""

    def number(name: str) -> int | None:
        value = values.get(name, "")
        try:
            return int(value) if value not in ("", None) else None
        except ValueError:
            raise _Refused(400, f"{name} must be a number") from None

    count = number("viewCountForDelete")
    return {
        "title": values.get("title") or None,
        "scheduled_for": number("date"),
        "pin": values.get("pin") in ("1", "true", "True"),
        "view_count_for_delete": count if count and count > 0 else None,
        "reply_to": number("reply_to_message_id"),
        "silent": values.get("disable_notification") in ("1", "true", "True"),
    }


async def _read(request: web.Request) -> tuple[dict[str, str], tuple[str, bytes] | None]:
    """Query string, form, JSON or multipart; the upload in `file`, if any."""
    values: dict[str, str] = dict(request.query)
    upload = None
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            body = {}
        values.update({k: str(v) for k, v in (body if isinstance(body, dict) else {}).items()})
    elif request.method == "POST" and request.can_read_body:
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                if name == "file":
                    upload = (value.filename or "file", value.file.read())
            else:
                values[name] = str(value)
    return values, upload
