"""The sandbox's web page and the small JSON API behind it (aiohttp, loopback only).

The page shows three chats of the emulated Telegram (the editor's, the channel, a subscriber's) and
acts in them only as a Telegram client would: a user sends text or a file, presses a button, opens a
link, types an inline query. Everything the bot does comes back through the emulator's record of
each chat, so the page shows exactly what the bot sent, and the Bot API errors it was given.

API (JSON):
    GET  /api/state?after=ETAG     the three chats, the clock and recent API errors; waits up to
                                   LONG_POLL_SECONDS for a change when `after` is the current ETag
    POST /api/send                 {pane, text, reply_to?}       the pane's user writes to the bot
    POST /api/edit                 {pane, message_id, text}       the user edits a message they sent
    POST /api/file                 multipart: pane, file, caption, width?, height?  the user sends a
                                   photo (with its size) or a file
    POST /api/press                {pane, message_id, data}       presses an inline button
    POST /api/open-link            {pane, url}                    taps a t.me/<bot>?start= link
    POST /api/inline               {query, offset?}               the subscriber's inline query
    POST /api/time                 {minutes} | {next: true}       lets time pass at once
                                   | {speed}                      lets it run `speed` times as fast
                                                                  as real time (1: real time)
    GET  /api/example              the damaged example draft
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jdatetime
from aiohttp import web
from aiohttp.typedefs import Handler

from bot import messages as msg
from bot.botapi.html_check import HtmlParseError, parse_html
from bot.botapi.server import BotApiServer
from bot.botapi.world import Chat, StoredFile, StoredMessage
from bot.sandbox.clock import MAX_SPEED, TimeMachine
from bot.sandbox.seed import example_draft

LONG_POLL_SECONDS = 20.0
POLL_STEP_SECONDS = 0.1
INLINE_ANSWER_SECONDS = 10.0
SHOWN_API_ERRORS = 6
MAX_JUMP = timedelta(days=7)
# Another public channel the editor can forward a text from (↪️ on the page): the post then carries its
# source credit (SOURCE_CREDIT), linked to this channel's post.
OTHER_CHANNEL = Chat(-1009876543210, "channel", title="خبرگزاری نمونه", username="sample_news")


class Pane(StrEnum):
    """The page's chats that a person types in."""

    EDITOR = "editor"
    SUBSCRIBER = "subscriber"


@dataclass(frozen=True)
class Cast:
    """Who is who in the sandbox's Telegram."""

    editor_id: int
    subscriber_id: int

    def user_of(self, pane: Pane) -> int:
        return self.editor_id if pane is Pane.EDITOR else self.subscriber_id


class BadInput(web.HTTPBadRequest):
    """A request the page should never make; answered 400 with a JSON reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(text=json.dumps({"error": reason}), content_type="application/json")


class SandboxPage:
    """The web page: static files from the package, and the API that drives the emulator."""

    def __init__(self, server: BotApiServer, time_machine: TimeMachine, cast: Cast, tz: ZoneInfo) -> None:
        self.server = server
        self.time = time_machine
        self.cast = cast
        self.tz = tz
        self.static = Path(str(files("bot.sandbox").joinpath("static")))
        self._cache: tuple[tuple, str, str] | None = None  # (change token, state JSON, ETag)
        self._other_posts = itertools.count(1001)  # OTHER_CHANNEL's post ids, as forwarded

    def app(self) -> web.Application:
        app = web.Application(client_max_size=20 * 1024 * 1024, middlewares=[_same_origin])
        app.router.add_get("/", self._index)
        app.router.add_static("/static", self.static)
        app.router.add_get("/api/state", self._state)
        app.router.add_post("/api/send", self._send)
        app.router.add_post("/api/edit", self._edit)
        app.router.add_post("/api/file", self._file)
        app.router.add_post("/api/press", self._press)
        app.router.add_post("/api/open-link", self._open_link)
        app.router.add_post("/api/inline", self._inline)
        app.router.add_post("/api/time", self._time)
        app.router.add_get("/api/example", self._example)
        return app

    # ------------------------------------------------------------------ pages

    async def _index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(self.static / "index.html", headers={"Cache-Control": "no-store"})

    async def _example(self, request: web.Request) -> web.Response:
        return web.json_response({"text": example_draft()})

    # ------------------------------------------------------------------ state

    async def _state(self, request: web.Request) -> web.Response:
        """The whole state; with `after` equal to the current ETag, wait for a change first."""
        after = request.query.get("after")
        deadline = asyncio.get_running_loop().time() + LONG_POLL_SECONDS
        while True:
            body, etag = self._current()
            if etag != after or asyncio.get_running_loop().time() >= deadline:
                return web.Response(text=body, content_type="application/json", headers={"ETag": etag})
            await asyncio.sleep(POLL_STEP_SECONDS)

    def _current(self) -> tuple[str, str]:
        """The state as JSON and its ETag, built again only when something may have changed: the
        bot's every act is a Bot API call or a timer set, a user's is a new message, the clock moves."""
        chats = (self.cast.editor_id, self.server.channel.id, self.cast.subscriber_id)
        token = (
            len(self.server.calls()),
            tuple(len(self.server.messages(chat)) for chat in chats),
            self.time.pending(),
            self.time.clock.offset,
            int(self.time.clock().timestamp() // 60),  # the clock shown has minutes
        )
        if self._cache is None or self._cache[0] != token:
            body = json.dumps(self.state(), ensure_ascii=False)
            self._cache = (token, body, hashlib.blake2b(body.encode(), digest_size=8).hexdigest())
        return self._cache[1], self._cache[2]

    def state(self) -> dict[str, Any]:
        """What the page shows, as JSON-ready data."""
        now = self.time.clock()
        due = self.time.next_publication()
        return {
            "bot": self.server.bot_user.username,
            "channel": {"title": self.server.channel.title, "username": self.server.channel.username},
            "now": msg.when(now, self.tz, msg.FA),
            "now_at": now.timestamp(),
            "speed": self.time.speed,
            "next_publication": msg.when(due, self.tz, msg.FA) if due else None,
            "next_publication_at": due.timestamp() if due else None,
            "chats": {
                "editor": self._chat(self.cast.editor_id),
                "channel": self._chat(self.server.channel.id),
                "subscriber": self._chat(self.cast.subscriber_id),
            },
            "api_errors": self._api_errors(),
        }

    def _chat(self, chat_id: int) -> list[dict[str, Any]]:
        return [self._message(m) for m in self.server.messages(chat_id, include_deleted=False)]

    def _message(self, message: StoredMessage) -> dict[str, Any]:
        sent = datetime.fromtimestamp(message.date, UTC).astimezone(self.tz)
        local = jdatetime.datetime.fromgregorian(datetime=sent)
        shown: dict[str, Any] = {
            "id": message.message_id,
            "outgoing": message.outgoing or message.chat.type == "channel",
            "text": message.text,
            "entities": message.entities,
            "caption": message.caption,
            "caption_entities": message.caption_entities,
            "date": message.date,
            "time": msg.fa_digits(f"{local.hour:02d}:{local.minute:02d}"),
            "day": msg.fa_digits(
                f"{jdatetime.date.j_weekdays_fa[local.weekday()]} {local.day} "
                f"{jdatetime.date.j_months_fa[local.month - 1]} {local.year}"
            ),
            "edited": message.edit_date is not None,
            "silent": message.disable_notification,
            "buttons": (message.reply_markup or {}).get("inline_keyboard", []),
        }
        if message.document is not None:
            document = message.document
            shown["document"] = {
                "name": document.file_name,
                "mime": document.mime_type,
                "size": len(document.content),
                "url": self._file_url(document),
            }
        if message.photo is not None:
            photo = message.photo
            shown["photo"] = {"url": self._file_url(photo), "width": photo.width, "height": photo.height}
        if message.reply_to is not None:
            shown["reply_to"] = {
                "id": message.reply_to.message_id,
                "text": (message.reply_to.text or message.reply_to.caption or "")[:80],
            }
        if message.forward_origin:
            shown["forwarded"] = _origin_name(message.forward_origin)
        return shown

    def _file_url(self, stored: StoredFile) -> str:
        """Where the page's <img> loads a file from: the emulator's own file download address."""
        return f"http://{self.server.host}:{self.server.port}/file/bot{self.server.token}/{stored.file_path}"

    def _api_errors(self) -> list[dict[str, Any]]:
        """The bot's latest refused requests, with Telegram's description (getUpdates' 409s aside)."""
        failed = [c for c in self.server.calls() if c.status not in (None, 200) and c.method != "getUpdates"]
        return [
            {
                "method": call.method,
                "status": call.status,
                "description": (call.response or {}).get("description", ""),
                "time": msg.when(datetime.fromtimestamp(call.time, UTC), self.tz, msg.FA),
            }
            for call in failed[-SHOWN_API_ERRORS:]
        ]

    # ------------------------------------------------------------------ a user acts

    async def _send(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        user_id = self.cast.user_of(_pane(body))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadInput("text is empty")
        if body.get("forward") is True:  # forwarded from OTHER_CHANNEL, as an editor republishes a post
            forwarded = self.server.user_forwards(
                user_id, text, from_channel=OTHER_CHANNEL, message_id=next(self._other_posts)
            )
            return web.json_response({"message_id": forwarded.message_id})
        reply_to = None
        if body.get("reply_to") is not None:
            reply_to = self._find(user_id, body["reply_to"])
        sent = self.server.user_sends_text(user_id, text, reply_to=reply_to)
        return web.json_response({"message_id": sent.message_id})

    async def _edit(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        user_id = self.cast.user_of(_pane(body))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadInput("text is empty")
        try:
            edited = self.server.user_edits_text(user_id, self._find(user_id, body.get("message_id")), text)
        except ValueError as error:  # not the user's own message
            raise BadInput(str(error)) from None
        return web.json_response({"message_id": edited.message_id})

    async def _file(self, request: web.Request) -> web.Response:
        """A file from the page: a photo when the page sends its size (as Telegram's default), else a
        file (a .txt draft, or a photo sent "as file")."""
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise BadInput("no file")
        user_id = self.cast.user_of(_pane(dict(form)))
        caption = form.get("caption")
        caption = caption if isinstance(caption, str) and caption.strip() else None
        content = upload.file.read()
        if "width" in form and "height" in form:
            try:
                width, height = int(str(form["width"])), int(str(form["height"]))
            except ValueError:
                raise BadInput("width and height must be numbers") from None
            sent = self.server.user_sends_photo(user_id, content, width=width, height=height, caption=caption)
        else:
            sent = self.server.user_sends_document(
                user_id,
                content,
                file_name=upload.filename or "file",
                mime_type=upload.content_type or "application/octet-stream",
                caption=caption,
            )
        return web.json_response({"message_id": sent.message_id})

    async def _press(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        user_id = self.cast.user_of(_pane(body))
        message = self._find(user_id, body.get("message_id"))
        data = body.get("data")
        if not isinstance(data, str):
            raise BadInput("no button data")
        try:
            query = self.server.user_presses_button(user_id, message, data)
        except ValueError as error:  # the bot removed the button meanwhile
            raise BadInput(str(error)) from None
        # Telegram shows the answer's text as a toast (or an alert): wait for it briefly.
        try:
            await self.server.wait_for(lambda: query.answer, timeout=INLINE_ANSWER_SECONDS)
        except AssertionError:
            return web.json_response({"answer": None})
        return web.json_response({"answer": query.answer})

    async def _open_link(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        user_id = self.cast.user_of(_pane(body))
        try:
            sent = self.server.user_opens_link(user_id, str(body.get("url", "")))
        except ValueError as error:
            raise BadInput(str(error)) from None
        return web.json_response({"message_id": sent.message_id})

    async def _inline(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        query, offset = str(body.get("query", "")), str(body.get("offset", ""))
        record = self.server.user_inline_query(self.cast.subscriber_id, query, offset=offset)
        try:
            await self.server.wait_for(lambda: record.answer, timeout=INLINE_ANSWER_SECONDS)
        except AssertionError:
            return web.json_response({"error": "the bot did not answer the inline query"}, status=504)
        return web.json_response(
            {
                "results": [_inline_result(result) for result in record.results],
                "next_offset": (record.answer or {}).get("next_offset", ""),
            }
        )

    async def _time(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        if "speed" in body:
            speed = body["speed"]
            if not isinstance(speed, int) or isinstance(speed, bool) or not 1 <= speed <= MAX_SPEED:
                raise BadInput(f"speed must be a whole number from 1 to {MAX_SPEED}")
            self.time.run_at(speed)
            return web.json_response({"speed": speed})
        if body.get("next"):
            due = self.time.publish_next_now()
            return web.json_response({"jumped_to": msg.when(due, self.tz, msg.FA) if due else None})
        minutes = body.get("minutes")
        if not isinstance(minutes, int | float) or not 0 < minutes <= MAX_JUMP.total_seconds() / 60:
            raise BadInput("minutes must be between 1 and a week")
        self.time.advance(timedelta(minutes=minutes))
        return web.json_response({"now": msg.when(self.time.clock(), self.tz, msg.FA)})

    def _find(self, user_id: int, message_id: object) -> StoredMessage:
        if not isinstance(message_id, int):
            raise BadInput("message_id must be a number")
        try:
            return self.server.message(user_id, message_id)
        except KeyError:
            raise BadInput(f"no message {message_id} in that chat") from None


def _origin_name(origin: dict[str, Any]) -> str:
    """Who a forwarded message came from, as Telegram shows it above the message."""
    chat = origin.get("chat") or origin.get("sender_chat") or {}
    user = origin.get("sender_user") or {}
    return chat.get("title") or user.get("first_name") or origin.get("sender_user_name") or "?"


@web.middleware
async def _same_origin(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Only the page itself acts: a browser also sends another site's form or fetch to 127.0.0.1."""
    origin = request.headers.get("Origin")
    if request.method != "GET" and origin is not None and origin != f"http://{request.host}":
        raise web.HTTPForbidden(
            text=json.dumps({"error": "cross-origin request"}), content_type="application/json"
        )
    return await handler(request)


def _inline_result(result: dict[str, Any]) -> dict[str, Any]:
    """An inline result as the page lists it, with the message it would send parsed for display."""
    content = result.get("input_message_content") or {}
    text, entities = content.get("message_text", ""), []
    if content.get("parse_mode", "").upper() == "HTML":
        with contextlib.suppress(HtmlParseError):  # the emulator refused it already; show the raw text
            text, entities = parse_html(text, strict=False)
    return {
        "id": result.get("id"),
        "title": result.get("title", ""),
        "description": result.get("description", ""),
        "text": text,
        "entities": entities,
    }


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadInput("the body is not JSON") from None
    if not isinstance(body, dict):
        raise BadInput("the body is not a JSON object")
    return body


def _pane(body: dict[str, Any]) -> Pane:
    try:
        return Pane(str(body.get("pane")))
    except ValueError:
        raise BadInput("pane must be 'editor' or 'subscriber'") from None
