"""Streaming readers for archive imports: Telegram Desktop channel exports (`result.json`) and JSON Lines.

How: `open_archive` reads the file's structure, not a prefix of it: the first JSON object either has a
`"messages"` list (an export: its other members say which channel) or ends without one (JSON Lines,
one object a line). Then `Archive.items` yields, record by record, an `ImportRecord` (a photo, video or
file without text too, with its kind), a `Skipped` (service message, a sticker or poll without text,
blank line) or a `Malformed` (where, and why).

The parser is Python's own `json` module (its C scanner), run with `raw_decode` on a bounded window of
the decoded text: each message is decoded whole from its `{` and the decoder says exactly where it
ended, which is what carrying on after damage needs (an event parser such as ijson stops at the first
syntax error and cannot say where it was). A message that is not valid JSON is reported and reading
resumes at the next *message*: the next `{"…` from which a whole object with an `"id"` decodes, so a
nested entity object (`{"type": "bold", "text": …}`) of the broken message is never taken for a
message, and the broken message never hides the ones after it. Invalid UTF-8 is decoded with
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

from bot.core.media import MediaKind
from storage.database import ImportRecord

MAX_TITLE_CHARS = 200
MAX_RECORD_CHARS = 1 << 20  # a Telegram message is a few KB of JSON; more means a broken one
_CHUNK = 1 << 20
_WS = re.compile(r"[ \t\n\r]*")
_OBJECT_START = re.compile(r'\{[ \t\n\r]*"')
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
        handle = (handles or {}).get(self.channel)
        if handle:
            link_base = f"https://t.me/{handle}/"
        elif self.private:
            link_base = f"https://t.me/c/{self.channel.removeprefix('-100')}/"
        else:
            link_base = None
        return _messages(self._text, self._start, self.channel, link_base)


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
    export_id = header.get("id")
    if isinstance(export_id, bool) or not isinstance(export_id, int) or export_id <= 0:
        raise NotAnArchive("the export does not say which channel it is of (no readable channel id)")
    private = header.get("type") == "private_channel"
    return Archive(ArchiveFormat.TELEGRAM, channel_key(export_id), private, text, list_start)


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


def _messages(text: _Text, pos: int, channel: str, link_base: str | None) -> Iterator[ImportItem]:
    """Messages of the export's list from `pos` (just inside its `[`), resuming after damage."""
    number = 0
    while True:
        pos = text.skip_ws(pos)
        char = text.char(pos)
        if char == "]":
            return
        if not char:
            where = f"after message #{number:,} at {text.where(pos)}"
            yield Malformed(where, "the file ends inside the message list (cut off?)")
            return
        if char == ",":  # a stray comma (or one left by damage): nothing to read
            pos += 1
            continue
        number += 1
        where = f"message #{number:,} at {text.where(pos)}"
        try:
            if char != "{":
                raise ValueError(f"unexpected {char!r} where a message should start")
            message, pos = text.decode(pos)
        except ValueError as exc:
            yield Malformed(where, str(exc))
            found = _next_message(text, pos + 1)
            if found is None:
                return
            start, message, pos = found
            number += 1
            where = f"message #{number:,} at {text.where(start)}"
        yield _telegram_record(message, where, channel, link_base)
        pos = text.skip_ws(pos)
        char = text.char(pos)
        if char == ",":
            pos += 1
        elif char == "{":
            yield Malformed(f"after {where}", "no ',' before the next message")


def _next_message(text: _Text, pos: int) -> tuple[int, object, int] | None:
    """The next object at or after `pos` that decodes whole and has an `"id"`: a message, never one
    of a message's nested parts (entities, reactions) which have none. None at the end of the file."""
    while (match := text.find(_OBJECT_START, pos)) is not None:
        start = match.start() + text.offset
        try:
            value, end = text.decode(start)
        except ValueError:
            pos = start + 1
            continue
        if isinstance(value, dict) and "id" in value:
            return start, value, end
        pos = start + 1
    return None


def _telegram_record(message: object, where: str, channel: str, link_base: str | None) -> ImportItem:
    if not isinstance(message, dict):
        return Malformed(where, "not a JSON object")
    message_id = message.get("id")
    if isinstance(message_id, bool) or not isinstance(message_id, int) or not 0 < message_id < 1 << 63:
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
    url = f"{link_base}{message_id}" if link_base else None
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
    """`date_unixtime` (UTC seconds) when present, else `date` (the exporting computer's local time,
    read as UTC); None when the one given is not a time this archive can hold."""
    unix = message.get("date_unixtime")
    if unix is None:
        return _parse_time(message.get("date"))
    if not isinstance(unix, str) or not (unix.isascii() and unix.isdigit()) or int(unix) >= _MAX_UNIXTIME:
        return None  # "²" is a digit to str.isdigit; a millisecond count is past 2106
    return datetime.fromtimestamp(int(unix), UTC)
