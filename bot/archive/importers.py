"""Streaming readers for archive imports: Telegram Desktop channel exports (`result.json`) and JSON Lines.

How: `open_archive` reads the file's structure, not a prefix of it: the first JSON object either has a
`"messages"` list (an export: its other members say which channel) or ends without one (JSON Lines,
one object a line). Then `Archive.items` yields, record by record, an `ImportRecord` (a photo, video or
file without text too, with its kind), a `Skipped` (service message, a sticker or poll without text,
blank line) or a `Malformed` (where, and why).

The parser is Python's own `json` module (its C scanner), run with `raw_decode` on a bounded window of
the decoded text: each message is decoded whole from its `{` and the decoder says exactly where it
ended, which is what carrying on after damage needs (an event parser such as ijson stops at the first
syntax error and cannot say where it was). A message is kept only where a message can stand; one
that is not valid JSON, or that swallowed the messages after it (its closing brackets lost, the list's
own `]}` closed it), is reported and reading resumes on the list's structure (`_resume`): the next
object shaped like a message that stands where a message stands — a nested object (an entity, a
reaction, a button, with or without an `"id"`) is never taken for a message and a nested `]` never ends
the list — or the message list of an export written after this one. Invalid UTF-8 is decoded with
`surrogateescape`, so it spoils only the value it sits in (that record is malformed, the rest read).
Memory stays bounded by the window: a message or line longer than `MAX_RECORD_CHARS` is malformed.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import BinaryIO

from bot.core.links import post_link
from bot.core.media import MediaKind
from storage.database import ImportRecord

MAX_TITLE_CHARS = 200
MAX_RECORD_CHARS = 1 << 20  # a Telegram message is a few KB of JSON; more means a broken one
_CHUNK = 1 << 20
_WS = re.compile(r"[ \t\n\r]*")
_OBJECT_START = re.compile(r'\{[ \t\n\r]*"')
_FIRST_KEY_ID = re.compile(r'\{[ \t\n\r]*"id"[ \t\n\r]*:')
_MESSAGES_KEY = re.compile(r'"messages"[ \t\n\r]*:[ \t\n\r]*\[')
_DECODER = json.JSONDecoder()
_JSON_LINES_KEYS = {"id", "title", "body", "published_at"}
_MAX_UNIXTIME = 1 << 32  # 2106: Telegram's dates are 32-bit


class ArchiveFormat(StrEnum):
    """What kind of file an import reads."""

    TELEGRAM = "telegram"
    JSON_LINES = "jsonl"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that is fine but has nothing to archive."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class Malformed:
    """A record that could not be read; the import goes on without it."""

    where: str
    reason: str


type ImportItem = ImportRecord | Skipped | Malformed


class NotAnArchive(ValueError):
    """The file is neither a Telegram Desktop export nor JSON Lines."""


def split_title(text: str) -> tuple[str, str]:
    """(title, body) of a post: its first line is the title; an overlong first line is cut at a word
    and the body then keeps the whole text."""
    text = text.strip()
    first, _, rest = text.partition("\n")
    first = first.strip()
    if len(first) <= MAX_TITLE_CHARS:
        return first, rest.strip()
    cut = first.rfind(" ", 0, MAX_TITLE_CHARS)
    return first[: cut if cut > 0 else MAX_TITLE_CHARS] + "…", text


def channel_key(export_id: int) -> str:
    """How a channel is named in the archive: its Bot API chat id (`-100…`), which is also what the
    bot learns of its own channel, so an export of that channel meets the posts the bot published."""
    return f"-100{export_id}"


# --- the text of the file, a window at a time ------------------------------------------------------


class _Text:
    """The decoded text of a binary stream, kept from the current position up to a window ahead.
    Positions are absolute character offsets in the whole file."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self.buf, self.offset, self.eof = "", 0, False
        self.hold: int | None = None  # nothing from here on is dropped (while the format is unknown)
        self._line_at, self._line, self._line_start = 0, 1, 0  # position, its line, where that line starts
        self._fill()
        if self.buf.startswith("\ufeff"):
            self.buf, self.offset = self.buf[1:], 1

    def _fill(self) -> None:
        data = self._stream.read(_CHUNK)
        self.eof = not data
        self.buf += self._utf8.decode(data, final=self.eof)

    def ensure(self, pos: int, need: int = MAX_RECORD_CHARS) -> None:
        """Hold at least `need` characters from `pos` (or all that is left); what is before it may go."""
        keep = pos if self.hold is None else min(pos, self.hold)
        # Dropped only once a chunk lies behind: dropping copies the window, per message it was quadratic.
        if keep - self.offset >= _CHUNK:
            self._count_lines(keep)  # so `where` still knows the lines of what is dropped
            self.buf, self.offset = self.buf[keep - self.offset :], keep
        while len(self.buf) - (pos - self.offset) < need and not self.eof:
            self._fill()

    def _count_lines(self, pos: int) -> None:
        """Move the line count (`_line_at`, its line, where that line starts) forward to `pos`."""
        if pos > self._line_at:
            low, high = self._line_at - self.offset, pos - self.offset
            self._line += self.buf.count("\n", low, high)
            last = self.buf.rfind("\n", low, high)
            if last >= 0:
                self._line_start = self.offset + last + 1
            self._line_at = pos

    def char(self, pos: int) -> str:
        """The character at `pos` ('' at the end of the file)."""
        self.ensure(pos, 1)
        return self.buf[pos - self.offset : pos - self.offset + 1]

    def skip_ws(self, pos: int) -> int:
        """The first position at or after `pos` that is not JSON whitespace."""
        while True:
            self.ensure(pos, 1)
            end = _WS.match(self.buf, pos - self.offset).end() + self.offset  # type: ignore[union-attr]
            if end < self.offset + len(self.buf) or self.eof:
                return end
            pos = end

    def decode(self, pos: int) -> tuple[object, int]:
        """The JSON value at `pos` and where it ends; ValueError (saying why) if there is none."""
        self.ensure(pos)
        try:
            value, end = _DECODER.raw_decode(self.buf, pos - self.offset)
        except json.JSONDecodeError as exc:
            # Reaching the end of the text (an unterminated string reports where the string began)
            # means a value longer than the window, or a file that stops inside it.
            at_end = exc.pos >= len(self.buf) or (
                exc.msg.startswith("Unterminated string") and self.buf.find('"', exc.pos + 1) < 0
            )
            if at_end and not self.eof:
                raise ValueError(f"longer than {MAX_RECORD_CHARS:,} characters") from None
            if at_end:
                raise ValueError("cut off: the file ends inside it") from None
            raise ValueError(f"not valid JSON: {exc.msg} at {self.where(exc.pos + self.offset)}") from None
        except RecursionError:
            raise ValueError("not valid JSON: nested too deeply") from None
        return value, end + self.offset

    def find(self, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        """The first match of `pattern` at or after `pos` (a match is shorter than 64 characters);
        its offsets are relative to `self.offset`."""
        while True:
            self.ensure(pos, _CHUNK)
            match = pattern.search(self.buf, pos - self.offset)
            if match or self.eof:
                return match
            pos = max(pos, self.offset + len(self.buf) - 64)

    def where(self, pos: int) -> str:
        """`line L, column C` of a position still held; counted on from the last one asked, as the
        positions asked only move forward (a file of a million problems is not counted a million times)."""
        if pos >= self._line_at:
            self._count_lines(pos)
            line, line_start = self._line, self._line_start
        else:
            line = self._line - self.buf.count("\n", pos - self.offset, self._line_at - self.offset)
            line_start = self.offset + self.buf.rfind("\n", 0, pos - self.offset) + 1
        return f"line {line:,}, column {pos - line_start + 1:,}"


# --- the archive -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Archive:
    """An archive file whose structure has been read: its format and, for an export, its channel."""

    format: ArchiveFormat
    channel: str | None  # the channel key of an export (see `channel_key`); None for JSON Lines
    private: bool
    _text: _Text
    _start: int

    def items(
        self, *, default_channel: str = "", handles: Mapping[str, str] | None = None
    ) -> Iterator[ImportItem]:
        """The records, in order. `default_channel`: the channel of a JSON Lines record without one;
        `handles`: public @handles (without @) of channel keys, for the links of a public export."""
        if self.format is ArchiveFormat.JSON_LINES:
            keys = {f"@{handle}".lower(): key for key, handle in (handles or {}).items()}
            return _json_lines(self._text, self._start, _Channels(default_channel, keys))
        assert self.channel is not None
        links = _Links(handles or {})
        return _messages(
            self._text, self._start, _List(self.channel, links.channel(self.channel, self.private)), links
        )


def open_archive(stream: BinaryIO) -> Archive:
    """Read the structure of an import file; `NotAnArchive` if it is neither kind."""
    text = _Text(stream)
    start = text.skip_ws(text.offset)
    if not text.char(start):
        raise NotAnArchive("the file is empty")
    if text.char(start) != "{":
        raise NotAnArchive("not a Telegram Desktop export (result.json) nor JSON Lines")
    header: dict[str, object] = {}
    text.hold = start  # JSON Lines are read again from the first line
    try:
        pos = text.skip_ws(start + 1)
        while text.char(pos) == '"':
            key, pos = text.decode(pos)
            pos = text.skip_ws(pos)
            if text.char(pos) != ":":
                raise ValueError("no ':' after a key")
            pos = text.skip_ws(pos + 1)
            if key == "messages":
                if text.char(pos) != "[":
                    raise NotAnArchive('"messages" is not a list: not a Telegram Desktop channel export')
                return _export(text, header, pos + 1)
            header[str(key)], pos = text.decode(pos)
            pos = text.skip_ws(pos)
            if text.char(pos) == ",":
                pos = text.skip_ws(pos + 1)
        if text.char(pos) == "}":  # a whole first object without "messages": a record, if it is one
            if _JSON_LINES_KEYS & header.keys() or text.char(text.skip_ws(pos + 1)) == "{":
                return Archive(ArchiveFormat.JSON_LINES, None, False, text, start)
            raise NotAnArchive("a JSON object without a message list: not a channel export nor JSON Lines")
        raise ValueError("unexpected character")
    except ValueError as exc:
        if isinstance(exc, NotAnArchive):
            raise
    # The first object is broken: JSON Lines if the next line opens another object, else an export
    # whose header is damaged (its message list can still be found).
    newline = text.find(re.compile("\n"), start)
    if newline is not None and text.char(text.skip_ws(newline.end())) == "{":
        return Archive(ArchiveFormat.JSON_LINES, None, False, text, start)
    text.hold = None
    messages = text.find(_MESSAGES_KEY, start)
    if messages is None:
        raise NotAnArchive("not a Telegram Desktop export (result.json) nor JSON Lines")
    return _export(text, header, messages.end())


def _export(text: _Text, header: Mapping[str, object], list_start: int) -> Archive:
    text.hold = None
    channel = _export_channel(header)
    if channel is None:
        raise NotAnArchive("the export does not say which channel it is of (no readable channel id)")
    private = header.get("type") == "private_channel"
    return Archive(ArchiveFormat.TELEGRAM, channel, private, text, list_start)


# --- JSON Lines ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Channels:
    """How a JSON Lines record's `channel` becomes a channel key: the default when it has none, and a
    known @handle as its channel's key (so `@news` meets the posts the bot published there)."""

    default: str
    by_handle: Mapping[str, str]

    def key(self, given: str) -> str:
        return self.by_handle.get(given.lower(), given) if given.startswith("@") else given


def _json_lines(text: _Text, pos: int, channels: _Channels) -> Iterator[ImportItem]:
    """One `{"id", "title", "body", "published_at", "url"?, "channel"?}` object per line (the JSON Lines
    of docs/commands.md)."""
    # The format is known now: what lies behind the reader may go (held, the whole file stayed in
    # memory and each window refill copied it: 763 MB and 167 s for 100k records, 278 MB and 97 s without).
    text.hold = None
    newline = re.compile("\n")
    number = 0
    while text.char(pos):
        number += 1
        where = f"line {number:,}"
        text.ensure(pos)
        end_match = newline.search(text.buf, pos - text.offset)
        if end_match is None and not text.eof:  # longer than the window: skip to its end
            yield Malformed(where, f"longer than {MAX_RECORD_CHARS:,} characters")
            rest = text.find(newline, pos)
            pos = rest.end() + text.offset if rest else text.offset + len(text.buf)
            continue
        end = end_match.start() + text.offset if end_match else text.offset + len(text.buf)
        line = text.buf[pos - text.offset : end - text.offset]
        pos = end + 1
        if not line.strip():
            continue
        if not _is_utf8(line):
            yield Malformed(where, "not UTF-8")
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            yield Malformed(where, f"not JSON ({getattr(exc, 'msg', exc)})")
            continue
        except RecursionError:
            yield Malformed(where, "not JSON (nested too deeply)")
            continue
        yield _json_line_record(data, where, channels)


def _json_line_record(data: object, where: str, channels: _Channels) -> ImportItem:
    if not isinstance(data, dict):
        return Malformed(where, "not a JSON object")
    ext_id = data.get("id")
    if isinstance(ext_id, bool) or not isinstance(ext_id, str | int) or not str(ext_id).strip():
        return Malformed(where, "missing id")
    title, body, url = data.get("title", ""), data.get("body", ""), data.get("url")
    channel = data.get("channel", channels.default)
    if not isinstance(title, str) or not isinstance(body, str):
        return Malformed(where, "title and body must be strings")
    if url is not None and not isinstance(url, str):
        return Malformed(where, "url must be a string")
    if not isinstance(channel, str | int) or isinstance(channel, bool):
        return Malformed(where, "channel must be a string")
    if not all(_is_utf8(s) for s in (str(ext_id), title, body, url or "", str(channel))):
        return Malformed(where, "text that is not valid Unicode (a lone surrogate)")
    if not title.strip() and not body.strip():
        return Skipped(where, "no text")
    published = _parse_time(data.get("published_at"))
    if published is None:
        return Malformed(where, "published_at is not an ISO-8601 time between years 1 and 9999")
    return ImportRecord(
        str(ext_id).strip(),
        title.strip(),
        body.strip(),
        published,
        url or None,
        channel=channels.key(str(channel).strip()),
    )


def _is_utf8(text: str) -> bool:
    """Whether `text` can be stored: no lone surrogate (from invalid bytes or a `\\ud83d` escape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parse_time(value: object) -> datetime | None:
    """An ISO-8601 time (naive means UTC) as an aware UTC datetime, or None."""
    if not isinstance(value, str) or not value.isascii():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):  # not a time; or year 1 / 9999 pushed past the calendar
        return None


# --- Telegram Desktop export -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Links:
    """How a message of a channel links to its post (`bot.core.links.post_link`): by the channel's
    @handle when the bot knows it, by its -100… id for a private channel, else no link."""

    handles: Mapping[str, str]

    def channel(self, channel: str, private: bool) -> str | None:
        handle = self.handles.get(channel)
        if handle:
            return f"@{handle}"
        return channel if private else None


@dataclass(slots=True)
class _List:
    """The message list being read: whose channel, and how its posts link."""

    channel: str
    link_channel: str | None  # the channel as its posts' links name it (`_Links.channel`)
    number: int = 0  # messages (or what stood in their place) met so far


def _messages(text: _Text, pos: int, export: _List, links: _Links) -> Iterator[ImportItem]:
    """Messages of the export's list from `pos` (just inside its `[`), resuming after damage.

    A message is read whole by the decoder and kept only where a message can stand: followed by `,`,
    by the list's `]` or by the next message. A message that cannot be read, or one that ran into the
    messages after it (its closing brackets lost, so the list's own `]}` closed it), is reported and
    reading resumes at the next object that is shaped like a message *and* stands where one can (see
    `_resume`): a nested object is never taken for a message and a nested `]` never ends the list. A
    second export written after this one (an interrupted export, then a whole one) is read on.
    """
    while True:
        pos = text.skip_ws(pos)
        char = text.char(pos)
        if char == "]":
            after = text.skip_ws(pos + 1)
            closing = text.char(after)
            if closing in ("}", ""):  # the list's own end: the export's last member
                following = _next_export(text, text.skip_ws(after + 1) if closing else after, export, links)
                if following is None:
                    return
                export, pos = following
                continue
            # A `]` followed by more members is a nested list's end: what stood before it was not the
            # list (a damaged region read as messages); look for the next message from here.
            yield Malformed(f"after message #{export.number:,} at {text.where(pos)}",
                            "a ']' that does not end the message list")  # fmt: skip
            found = _resume(text, pos + 1, export, links)
            if found is None:
                return
            export, pos = _switch(export, found)
            continue
        if not char:
            where = f"after message #{export.number:,} at {text.where(pos)}"
            yield Malformed(where, "the file ends inside the message list (cut off?)")
            return
        if char == ",":  # a stray comma (or one left by damage): nothing to read
            pos += 1
            continue
        export.number += 1
        start = pos
        where = f"message #{export.number:,} at {text.where(pos)}"
        message: object = None
        following = _next_export(text, pos, export, links) if char == "{" else None  # cheap for a message
        if following is not None:  # an interrupted export, then another one from its beginning
            export, pos = following
            export.number -= 1
            continue
        try:
            if char != "{":
                raise ValueError(f"unexpected {char!r} where a message should start")
            message, pos = text.decode(pos)
            pos = text.skip_ws(pos)
            char = text.char(pos)
            if char not in (",", "]") and _swallowed(message):
                raise ValueError("its closing brackets are missing: it ran into the messages after it")
        except ValueError as exc:
            yield Malformed(where, str(exc))
            found = _resume(text, start + 1, export, links)
            if found is None:
                return
            export, pos = _switch(export, found)
            continue
        yield _telegram_record(message, where, export.channel, export.link_channel)
        if char == ",":
            pos += 1
        elif char == "{" and _next_export(text, pos, export, links) is None:
            yield Malformed(f"after {where}", "no ',' before the next message")


type _Found = tuple[int, _List | None]  # where reading resumes; a new export's list, or None: the same


def _switch(export: _List, found: _Found) -> tuple[_List, int]:
    pos, new = found
    return (new if new is not None else export), pos


def _resume(text: _Text, pos: int, export: _List, links: _Links) -> _Found | None:
    """Where reading resumes after damage at `pos`: the next object that decodes whole, is shaped like a
    message (`_message_like`) and stands where a message stands (`_stands_in_list`); or the message list
    of an export written after this one. An object shaped like a message that stands elsewhere is
    nested in the damaged one: passed over whole, so nothing inside it is taken for a message either.
    None at the end of the file."""
    while (match := text.find(_OBJECT_START, pos)) is not None:
        start = match.start() + text.offset
        try:
            value, end = text.decode(start)
        except ValueError:
            header = _export_header(text, start)  # an export too long to decode whole, or cut off
            if header is not None:
                return header[1], _new_list(header[0], export, links)
            pos = start + 1
            continue
        if isinstance(value, dict) and isinstance(value.get("messages"), list):
            header = _export_header(text, start)
            if header is not None:
                return header[1], _new_list(header[0], export, links)
        if _message_like(value):
            if _stands_in_list(text, end):
                return start, None
            pos = end
            continue
        pos = start + 1
    return None


def _message_like(value: object) -> bool:
    """Shaped like an export's message: an object with an `"id"` and the type of a message or a
    service message (an entity, a reaction or a button has another type, or none)."""
    return isinstance(value, dict) and "id" in value and value.get("type") in ("message", "service")


def _stands_in_list(text: _Text, end: int) -> bool:
    """Whether what follows an object ending at `end` is what follows a message in the list: a comma
    and the next message, the list's `]` and the export's `}`, or the end of the file."""
    pos = text.skip_ws(end)
    char = text.char(pos)
    if char == ",":
        return text.char(text.skip_ws(pos + 1)) in ("{", "]", "")
    if char == "]":
        return text.char(text.skip_ws(pos + 1)) in ("}", "")
    return char in ("{", "")


def _swallowed(message: object) -> bool:
    """Whether a message decoded whole holds a message nested in it: then it lost its closing brackets
    and the list's own `]}` closed it, over every message after it."""
    stack = [message]
    while stack:
        value = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if _message_like(child):
                    return True
                stack.append(child)
    return False


def _next_export(text: _Text, pos: int, export: _List, links: _Links) -> tuple[_List, int] | None:
    """The message list of an export that begins at `pos` (written after `export`), if one does."""
    if text.char(pos) != "{":
        return None
    text.ensure(pos, 64)
    if _FIRST_KEY_ID.match(text.buf, pos - text.offset):  # a message, as Telegram Desktop writes one
        return None
    header = _export_header(text, pos)
    if header is None:
        return None
    return _new_list(header[0], export, links), header[1]


def _new_list(header: Mapping[str, object], previous: _List, links: _Links) -> _List:
    """The list of an export read after `previous`: its own channel, or `previous`'s when its header
    names none (a damaged header of the same channel's export, most likely)."""
    channel = _export_channel(header)
    if channel is None:
        return _List(previous.channel, previous.link_channel, previous.number)
    return _List(channel, links.channel(channel, header.get("type") == "private_channel"), previous.number)


def _export_header(text: _Text, pos: int) -> tuple[dict[str, object], int] | None:
    """The members before `"messages": [` of an export object at `pos`, and where its list starts;
    None if the object at `pos` is not an export's beginning."""
    header: dict[str, object] = {}
    try:
        pos = text.skip_ws(pos + 1)
        while text.char(pos) == '"':
            key, pos = text.decode(pos)
            pos = text.skip_ws(pos)
            if text.char(pos) != ":":
                return None
            pos = text.skip_ws(pos + 1)
            if key == "messages":
                return (header, pos + 1) if text.char(pos) == "[" else None
            header[str(key)], pos = text.decode(pos)
            pos = text.skip_ws(pos)
            if text.char(pos) != ",":
                return None
            pos = text.skip_ws(pos + 1)
    except ValueError:
        return None
    return None


def _export_channel(header: Mapping[str, object]) -> str | None:
    """The channel key an export's header names, or None when it names none usable."""
    export_id = _number(header.get("id"))
    return channel_key(export_id) if export_id is not None and export_id > 0 else None


def _number(value: object) -> int | None:
    """A whole number written as a JSON number or as a string of ASCII digits; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _telegram_record(message: object, where: str, channel: str, link_channel: str | None) -> ImportItem:
    if not isinstance(message, dict):
        return Malformed(where, "not a JSON object")
    message_id = _number(message.get("id"))  # Telegram writes a number; other tools a string of digits
    if message_id is None or not 0 < message_id < 1 << 63:
        return Malformed(where, "no usable message id")
    where = f"message {message_id} ({where.partition(' at ')[2]})"
    kind = message.get("type", "message")
    if kind != "message":
        return Skipped(where, "service message") if kind == "service" else Malformed(where, "unknown type")
    text = _plain_text(message.get("text", ""))
    if text is None:
        return Malformed(where, "text is neither a string nor a list of parts")
    if not _is_utf8(text):
        return Malformed(where, "text that is not valid UTF-8 (a broken byte or a lone surrogate)")
    media = export_media_kind(message)
    if not text.strip() and media is None:
        return Skipped(where, "no text and no media a post keeps (a sticker, poll, location…)")
    published = _telegram_time(message)
    if published is None:
        return Malformed(where, "no usable date (date_unixtime or date)")
    # A photo, video or file without text is a post too: archived with its kind, under its file's name
    # when the export gives one (the files themselves are not in the archive).
    title, body = split_title(text) if text.strip() else (export_file_name(message), "")
    if not _is_utf8(title):
        return Malformed(where, "a file name that is not valid UTF-8 (a broken byte or a lone surrogate)")
    url = post_link(link_channel, message_id) if link_channel else None
    return ImportRecord(str(message_id), title, body, published, url, channel=channel, media_kind=media)


# Telegram Desktop's `media_type` values, as a post's media kind (stickers are no post's media).
_EXPORT_MEDIA_TYPES = {
    "video_file": MediaKind.VIDEO,
    "video_message": MediaKind.VIDEO,
    "animation": MediaKind.ANIMATION,
    "audio_file": MediaKind.AUDIO,
    "voice_message": MediaKind.AUDIO,
}


def export_media_kind(message: Mapping[str, object]) -> MediaKind | None:
    """The kind of an exported message's media, from its `photo` / `file` / `media_type` fields (the
    export may leave the files out: their names say "File not included", the kind stays)."""
    if "photo" in message:
        return MediaKind.PHOTO
    if "file" not in message:
        return None
    media_type = message.get("media_type")
    if media_type is None:
        return MediaKind.DOCUMENT
    return _EXPORT_MEDIA_TYPES.get(str(media_type))


def export_file_name(message: Mapping[str, object]) -> str:
    """The name of an exported message's file: its `file_name`, else the name in its `file` path
    ('' for a photo, or a file the export left out: "(File not included…)")."""
    name = message.get("file_name")
    if isinstance(name, str) and name.strip():
        return " ".join(name.split())[:MAX_TITLE_CHARS]
    path = message.get("file")
    if isinstance(path, str) and path.strip() and not path.startswith("("):
        return " ".join(path.rsplit("/", 1)[-1].split())[:MAX_TITLE_CHARS]
    return ""


def _plain_text(text: object) -> str | None:
    """A message's text: a string, or a list of strings and entity parts `{"type", "text"}`."""
    if isinstance(text, str):
        return text
    if not isinstance(text, list):
        return None
    parts = []
    for part in text:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            parts.append(part["text"])
        else:
            return None
    return "".join(parts)


def _telegram_time(message: dict) -> datetime | None:
    """`date_unixtime` (UTC seconds, a string of digits as Telegram writes it or a number) when it is a
    time this archive can hold, else `date` (the exporting computer's local time, read as UTC); None
    when neither is."""
    unix = _number(message.get("date_unixtime"))  # "²" is no number; a millisecond count is past 2106
    if unix is not None and 0 <= unix < _MAX_UNIXTIME:
        return datetime.fromtimestamp(unix, UTC)
    return _parse_time(message.get("date"))
