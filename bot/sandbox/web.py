"""The sandbox's web page and the small JSON API behind it (aiohttp, loopback only).

The page shows three chats of the emulated Telegram (the editor's, the channel, a subscriber's) and
acts in them only as a Telegram client would: a user sends text or a file, presses a button, opens a
link, types an inline query. Everything the bot does comes back through the emulator's record of
each chat, so the page shows exactly what the bot sent, and the Bot API errors it was given. The
channel's mirrors are shown from their emulators' records too: the Bale channel (Bale's Bot API) and
the Eitaa channel (Eitaayar), each only read, as the bot writes there and nobody else does.

API (JSON):
    GET  /api/state?after=ETAG     the chats (editor, channel, subscriber, and the mirrors: bale,
                                   eitaa), the clock and recent API errors; waits up to
                                   LONG_POLL_SECONDS for a change when `after` is the current ETag
    POST /api/send                 {pane, text, entities?, reply_to?, forward?}  the pane's user
                                   writes to the bot (entities: the formatting the composer set, as
                                   Telegram's MessageEntity; forward: as forwarded from OTHER_CHANNEL)
    POST /api/edit                 {pane, message_id, text, entities?}  the user edits a message they
                                   sent: its text, or a file's caption (entities made anew each time)
    POST /api/file                 multipart: pane, caption?, caption_entities? (JSON), reply_to?,
                                   then per file: file, kind?, width?, height?  the user sends a
                                   photo, video, GIF (animation), audio or document; 2 to 10 files
                                   are an album. Without `kind`: a photo when its size is given, else
                                   a document (a .txt draft, or a picture sent "as file")
    POST /api/press                {pane, message_id, data}       presses an inline button
    POST /api/open-link            {pane, url}                    taps a t.me/<bot>?start= link
    POST /api/inline               {query, offset?}               the subscriber's inline query
                                   (answered with its query_id and the bot's results)
    POST /api/inline-choose        {query_id, result_id}          the subscriber sends a result in
                                   their chat with the bot ("via @bot")
    POST /api/time                 {minutes} | {next: true}       lets time pass at once
                                   | {speed}                      lets it run `speed` times as fast
                                                                  as real time (1: real time)
    GET  /api/example              the damaged example draft
    GET  /api/samples              the sample media the page offers (in static/samples)
    GET  /eitaa/{message_id}       the file of an Eitaa post (Eitaayar serves no downloads)
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import mimetypes
import re
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
from bot.botapi.eitaayar import EitaaPost, EitaayarServer
from bot.botapi.html_check import HtmlParseError, parse_html, utf16_len
from bot.botapi.rules import detect_entities, merge_entities
from bot.botapi.server import BotApiServer
from bot.botapi.world import Chat, StoredFile, StoredMessage
from bot.sandbox.clock import MAX_SPEED, TimeMachine
from bot.sandbox.seed import example_draft

LONG_POLL_SECONDS = 20.0
POLL_STEP_SECONDS = 0.1
INLINE_ANSWER_SECONDS = 10.0
SHOWN_API_ERRORS = 6
MEDIA_KINDS = ("photo", "video", "animation", "audio", "document")
# What Telegram lets an album mix: photos and videos, or documents only, or audio only (no GIFs).
ALBUM_KINDS = ({"photo", "video"}, {"document"}, {"audio"})
MIN_ALBUM, MAX_ALBUM = 2, 10
# The entity types a person's client sets (the others, URLs, #tags and /commands, Telegram detects).
COMPOSED_ENTITIES = frozenset(
    {"bold", "italic", "underline", "strikethrough", "spoiler", "blockquote", "code", "pre", "text_link"}
)
# The sample media that ship with the sandbox (static/samples), as the page offers them to send.
SAMPLES = (
    {"name": "photo-1.jpg", "kind": "photo", "width": 480, "height": 320},
    {"name": "photo-2.jpg", "kind": "photo", "width": 480, "height": 320},
    {"name": "photo-3.jpg", "kind": "photo", "width": 480, "height": 320},
    {"name": "video.mp4", "kind": "video", "width": 320, "height": 180},
    {"name": "animation.gif", "kind": "animation", "width": 192, "height": 120},
    {"name": "document.pdf", "kind": "document"},
)
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


@dataclass(frozen=True)
class Mirrors:
    """The channel's copies on the other networks: Bale's emulator (its channel is `bale.channel`) and
    Eitaayar's, whose channel is `eitaa_channel` (a username, as EITAA_CHANNEL_ID names it)."""

    bale: BotApiServer
    eitaa: EitaayarServer
    eitaa_channel: str


class BadInput(web.HTTPBadRequest):
    """A request the page should never make; answered 400 with a JSON reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(text=json.dumps({"error": reason}), content_type="application/json")


class SandboxPage:
    """The web page: static files from the package, and the API that drives the emulator."""

    def __init__(
        self, server: BotApiServer, time_machine: TimeMachine, cast: Cast, tz: ZoneInfo, mirrors: Mirrors
    ) -> None:
        self.server = server
        self.time = time_machine
        self.cast = cast
        self.tz = tz
        self.mirrors = mirrors
        self.static = Path(str(files("bot.sandbox").joinpath("static")))
        self._cache: tuple[tuple, str, str] | None = None  # (change token, state JSON, ETag)
        self._other_posts = itertools.count(1001)  # OTHER_CHANNEL's post ids, as forwarded
        self._acts = 0  # the page's requests that act: an edit changes no count the state watches

    def app(self) -> web.Application:
        app = web.Application(client_max_size=20 * 1024 * 1024, middlewares=[_same_origin, self._counted])
        app.router.add_get("/", self._index)
        app.router.add_static("/static", self.static)
        app.router.add_get("/api/state", self._state)
        app.router.add_post("/api/send", self._send)
        app.router.add_post("/api/edit", self._edit)
        app.router.add_post("/api/file", self._file)
        app.router.add_post("/api/press", self._press)
        app.router.add_post("/api/open-link", self._open_link)
        app.router.add_post("/api/inline", self._inline)
        app.router.add_post("/api/inline-choose", self._inline_choose)
        app.router.add_post("/api/time", self._time)
        app.router.add_get("/api/example", self._example)
        app.router.add_get("/api/samples", self._samples)
        app.router.add_get("/eitaa/{message_id:[0-9]+}", self._eitaa_file)
        return app

    @web.middleware
    async def _counted(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Count the page's acts, so that the state is built again after each (see `_current`)."""
        try:
            return await handler(request)
        finally:
            if request.method == "POST":
                self._acts += 1

    # ------------------------------------------------------------------ pages

    async def _index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(self.static / "index.html", headers={"Cache-Control": "no-store"})

    async def _example(self, request: web.Request) -> web.Response:
        return web.json_response({"text": example_draft()})

    async def _samples(self, request: web.Request) -> web.Response:
        return web.json_response(
            [{**sample, "url": f"/static/samples/{sample['name']}"} for sample in SAMPLES]
        )

    async def _eitaa_file(self, request: web.Request) -> web.Response:
        wanted = int(request.match_info["message_id"])
        post = next((p for p in self._eitaa_posts() if p.message_id == wanted and p.content), None)
        if post is None or post.content is None:
            raise web.HTTPNotFound()
        return web.Response(body=post.content, content_type=_sniffed(post)[1])

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
        bale = self.mirrors.bale
        token = (
            self._acts,
            len(self.server.calls()),
            tuple(len(self.server.messages(chat)) for chat in chats),
            len(bale.calls()),  # every copy, edit and deletion on Bale or Eitaa is a call
            len(self.mirrors.eitaa.calls()),
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
            "mirrors": {
                "bale": {
                    "title": self.mirrors.bale.channel.title,
                    "username": self.mirrors.bale.channel.username,
                },
                "eitaa": {"username": self.mirrors.eitaa_channel},
            },
            "chats": {
                "editor": self._chat(self.cast.editor_id),
                "channel": self._chat(self.server.channel.id),
                "subscriber": self._chat(self.cast.subscriber_id),
                "bale": self._chat(self.mirrors.bale.channel.id, self.mirrors.bale),
                "eitaa": _eitaa_chat(self._eitaa_posts(), self.tz),
            },
            "api_errors": self._api_errors(),
        }

    def _chat(self, chat_id: int, server: BotApiServer | None = None) -> list[dict[str, Any]]:
        """A chat of Telegram's emulator (or of `server`, Bale's), as the page draws it."""
        server = server or self.server
        return [self._message(m, server) for m in server.messages(chat_id, include_deleted=False)]

    def _eitaa_posts(self) -> list[EitaaPost]:
        return self.mirrors.eitaa.posts(self.mirrors.eitaa_channel)

    def _message(self, message: StoredMessage, server: BotApiServer) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": message.message_id,
            "outgoing": message.outgoing or message.chat.type == "channel",
            "text": message.text,
            "entities": message.entities,
            "caption": message.caption,
            "caption_entities": message.caption_entities,
            "date": message.date,
            **_stamp(message.date, self.tz),
            "edited": message.edit_date is not None,
            "silent": message.disable_notification,
            "buttons": (message.reply_markup or {}).get("inline_keyboard", []),
        }
        if message.media is not None:
            stored = message.media
            shown["media"] = {
                "kind": message.media_kind,
                "url": _file_url(server, stored),
                "name": stored.file_name,
                "mime": stored.mime_type,
                "size": len(stored.content),
                "width": stored.width,
                "height": stored.height,
            }
        if message.media_group_id:
            shown["album"] = message.media_group_id  # Telegram shows an album's parts as one message
        if message.reply_to is not None:
            shown["reply_to"] = {
                "id": message.reply_to.message_id,
                "text": (message.reply_to.text or message.reply_to.caption or "")[:80],
            }
        if message.forward_origin:
            shown["forwarded"] = _origin_name(message.forward_origin)
        if message.via_bot is not None:
            shown["via"] = message.via_bot.username
        return shown

    def _api_errors(self) -> list[dict[str, Any]]:
        """The bot's latest refused requests, with the network's description (getUpdates' 409s aside):
        Telegram's, then Bale's, then Eitaayar's."""
        errors = []
        for api, server in (("Bot API", self.server), ("Bale Bot API", self.mirrors.bale)):
            failed = [c for c in server.calls() if c.status not in (None, 200) and c.method != "getUpdates"]
            errors += [
                {
                    "api": api,
                    "method": call.method,
                    "status": call.status,
                    "description": (call.response or {}).get("description", ""),
                    "time": msg.when(datetime.fromtimestamp(call.time, UTC), self.tz, msg.FA),
                }
                for call in failed[-SHOWN_API_ERRORS:]
            ]
        refused = [c for c in self.mirrors.eitaa.calls() if c.status not in (0, 200)]
        errors += [
            {
                "api": "Eitaayar",
                "method": c.method,
                "status": c.status,
                "description": c.response.get("description", ""),
            }
            for c in refused[-SHOWN_API_ERRORS:]
        ]
        return errors

    # ------------------------------------------------------------------ a user acts

    async def _send(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        user_id = self.cast.user_of(_pane(body))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadInput("text is empty")
        entities = _entities(body.get("entities"), text)
        if body.get("forward") is True:  # forwarded from OTHER_CHANNEL, as an editor republishes a post
            forwarded = self.server.user_forwards(
                user_id,
                text,
                entities=merge_entities(entities, detect_entities(text)),
                from_channel=OTHER_CHANNEL,
                message_id=next(self._other_posts),
            )
            return web.json_response({"message_id": forwarded.message_id})
        reply_to = None
        if body.get("reply_to") is not None:
            reply_to = self._find(user_id, body["reply_to"])
        sent = self.server.user_sends_text(user_id, text, reply_to=reply_to, entities=entities)
        return web.json_response({"message_id": sent.message_id})

    async def _edit(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        user_id = self.cast.user_of(_pane(body))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadInput("text is empty")
        entities = _entities(body.get("entities"), text)
        message = self._find(user_id, body.get("message_id"))
        try:
            if message.media is not None:  # as in Telegram: ✎ on a file edits its caption
                edited = self.server.user_edits_caption(user_id, message, text, caption_entities=entities)
            else:
                edited = self.server.user_edits_text(user_id, message, text, entities=entities)
        except ValueError as error:  # not the user's own message
            raise BadInput(str(error)) from None
        return web.json_response({"message_id": edited.message_id})

    async def _file(self, request: web.Request) -> web.Response:
        """Files from the page, as a Telegram client sends them: one is a message, 2 to 10 an album
        (the caption on the first part); in reply to a message when `reply_to` is given."""
        form = await request.post()
        user_id = self.cast.user_of(_pane(dict(form)))
        uploads = [upload for upload in form.getall("file", []) if isinstance(upload, web.FileField)]
        if not uploads:
            raise BadInput("no file")
        if len(uploads) > MAX_ALBUM:
            raise BadInput(f"an album holds {MIN_ALBUM} to {MAX_ALBUM} files")
        caption = form.get("caption")
        caption = caption if isinstance(caption, str) and caption.strip() else None
        entities: list[dict[str, Any]] = []
        if caption is not None and form.get("caption_entities"):
            try:
                entities = _entities(json.loads(str(form["caption_entities"])), caption)
            except ValueError:
                raise BadInput("caption_entities is not JSON") from None
        reply_to = None
        if form.get("reply_to"):
            reply_to = self._find(user_id, _number(form["reply_to"], "reply_to"))
        kinds, widths, heights = (form.getall(name, []) for name in ("kind", "width", "height"))
        files = []
        for i, upload in enumerate(uploads):
            size = None
            if i < len(widths) and i < len(heights) and str(widths[i]) and str(heights[i]):
                size = (_number(widths[i], "width"), _number(heights[i], "height"))
            kind = str(kinds[i]) if i < len(kinds) else ("photo" if size else "document")
            if kind not in MEDIA_KINDS:
                raise BadInput(f"kind must be one of {', '.join(MEDIA_KINDS)}")
            content = upload.file.read()
            mime = upload.content_type or "application/octet-stream"
            files.append(
                (kind, self.server.add_file(kind, content, upload.filename, mime_type=mime, size=size))
            )
        if len(files) == 1:
            kind, stored = files[0]
            sent = self.server.user_sends_media(
                user_id, kind, stored, caption=caption, caption_entities=entities, reply_to=reply_to
            )
            return web.json_response({"message_id": sent.message_id})
        if not any({kind for kind, _ in files} <= allowed for allowed in ALBUM_KINDS):
            raise BadInput("an album holds photos and videos, or documents only, or audio only")
        parts = self.server.user_sends_album(
            user_id, list(files), caption=caption, caption_entities=entities, reply_to=reply_to
        )
        return web.json_response({"message_id": parts[0].message_id, "album": [m.message_id for m in parts]})

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
                "query_id": record.id,
                "results": [_inline_result(result) for result in record.results],
                "next_offset": (record.answer or {}).get("next_offset", ""),
            }
        )

    async def _inline_choose(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        try:
            sent = self.server.user_sends_inline_result(
                self.cast.subscriber_id, str(body.get("query_id", "")), str(body.get("result_id", ""))
            )
        except ValueError as error:
            raise BadInput(str(error)) from None
        return web.json_response({"message_id": sent.message_id})

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


def _eitaa_chat(posts: list[EitaaPost], tz: ZoneInfo) -> list[dict[str, Any]]:
    """The Eitaa channel's posts, in the shape the page draws a message in: plain text (Eitaayar takes no
    formatting), a file by its own address, a note in reply to the copy it corrects."""
    by_id = {post.message_id: post for post in posts}
    shown = []
    for post in posts:
        message: dict[str, Any] = {
            "id": post.message_id,
            "outgoing": True,
            "text": post.text,
            "entities": [],
            "caption": post.caption,
            "caption_entities": [],
            "date": post.date,
            **_stamp(post.date, tz),
            "edited": False,  # Eitaayar edits nothing
            "silent": post.silent,
            "pinned": post.pin,
            "buttons": [],
        }
        if post.content is not None:
            kind, mime = _sniffed(post)
            message["media"] = {
                "kind": kind,
                "url": f"/eitaa/{post.message_id}",
                "name": post.file_name,
                "mime": mime,
                "size": len(post.content),
                "width": None,
                "height": None,
            }
        quoted = by_id.get(post.reply_to) if post.reply_to is not None else None
        if quoted is not None:
            message["reply_to"] = {
                "id": quoted.message_id,
                "text": (quoted.text or quoted.caption or "")[:80],
            }
            message["note"] = True  # the desk writes in reply only to note a correction or a deletion
        shown.append(message)
    return shown


def _stamp(date: int, tz: ZoneInfo) -> dict[str, str]:
    """A message's time and day as the page shows them: local time, Jalali, Persian digits."""
    local = jdatetime.datetime.fromgregorian(datetime=datetime.fromtimestamp(date, UTC).astimezone(tz))
    return {
        "time": msg.fa_digits(f"{local.hour:02d}:{local.minute:02d}"),
        "day": msg.fa_digits(
            f"{jdatetime.date.j_weekdays_fa[local.weekday()]} {local.day} "
            f"{jdatetime.date.j_months_fa[local.month - 1]} {local.year}"
        ),
    }


def _file_url(server: BotApiServer, stored: StoredFile) -> str:
    """Where the page's <img> loads a file from: the emulator's own file download address."""
    return f"http://{server.host}:{server.port}/file/bot{server.token}/{stored.file_path}"


# A file's first bytes, for an Eitaa post (Eitaayar keeps no type): what the page draws it as.
_MAGIC = (
    (b"\xff\xd8\xff", "photo", "image/jpeg"),
    (b"\x89PNG", "photo", "image/png"),
    (b"GIF8", "animation", "image/gif"),
    (b"%PDF", "document", "application/pdf"),
)


def _sniffed(post: EitaaPost) -> tuple[str, str]:
    """An Eitaa file's kind (photo, animation, video, document) and MIME type, from its bytes or name."""
    content = post.content or b""
    for magic, kind, mime in _MAGIC:
        if content.startswith(magic):
            return kind, mime
    if content[4:8] == b"ftyp":  # an MP4 (ISO media) file
        return "video", "video/mp4"
    mime = mimetypes.guess_type(post.file_name or "")[0] or "application/octet-stream"
    return "document", mime


def _entities(value: object, text: str) -> list[dict[str, Any]]:
    """The formatting a composer set, checked as Telegram checks a client's entities: known types,
    within the text (UTF-16 units), a text_link with its URL."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadInput("entities must be a list")
    size = utf16_len(text)
    checked = []
    for entity in value:
        if not isinstance(entity, dict) or entity.get("type") not in COMPOSED_ENTITIES:
            raise BadInput(f"entity types: {', '.join(sorted(COMPOSED_ENTITIES))}")
        offset, length = entity.get("offset"), entity.get("length")
        if not (isinstance(offset, int) and isinstance(length, int) and offset >= 0 and length > 0):
            raise BadInput("an entity needs a whole offset and a positive length")
        if offset + length > size:
            raise BadInput("an entity reaches past the end of the text")
        shown = {"type": entity["type"], "offset": offset, "length": length}
        if entity["type"] == "text_link":
            url = entity.get("url")
            if not isinstance(url, str) or not re.match(r"(https?|tg)://\S+$", url):
                raise BadInput("a text_link needs an http(s) url")
            shown["url"] = url
        checked.append(shown)
    return checked


def _number(value: object, name: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise BadInput(f"{name} must be a number") from None


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
