"""Streaming readers for archive imports: Telegram Desktop channel exports (`result.json`) and JSON Lines.

How: both readers take a binary file and yield, record by record, an `ImportRecord` to archive, a
`Skipped` (service message, media without text, blank line) or a `Malformed` (with where and why), so
one bad record never stops an import. Memory stays bounded: JSON Lines are read a line at a time, and
`result.json` is walked with `json.JSONDecoder.raw_decode` over a sliding buffer, one message object
at a time (Telegram Desktop writes `"messages"` as the last, huge member of one top-level object). A
message that is not valid JSON is skipped by resuming at the next message's opening brace.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from storage.database import ImportRecord

MAX_TITLE_CHARS = 200
_CHUNK = 1 << 20
_MAX_RECORD_BYTES = 4 << 20  # a Telegram message is at most a few KB; more means broken JSON
_WS = re.compile(r"[ \t\n\r]*")
_NEXT_MESSAGE = re.compile(r"\n[ \t]*\{")


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


def detect_format(head: bytes) -> str:
    """'jsonl' or 'telegram' from the first bytes of a file; NotAnArchive if neither."""
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if not text.startswith("{"):
        raise NotAnArchive("not a Telegram Desktop export (result.json) nor JSON Lines")
    first_line = text.split("\n", 1)[0]
    try:
        json.loads(first_line)
    except ValueError:
        return "telegram"  # pretty-printed: the first line is a lone `{`
    return "jsonl"


def read_archive(stream: BinaryIO, fmt: str) -> Iterator[ImportItem]:
    """Records of an export in `fmt` ('telegram' or 'jsonl', see `detect_format`)."""
    return read_telegram_export(stream) if fmt == "telegram" else read_json_lines(stream)


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


# --- JSON Lines ------------------------------------------------------------------------------------


def read_json_lines(stream: BinaryIO) -> Iterator[ImportItem]:
    """One `{"id", "title", "body", "published_at", "url"?}` object per line (DESIGN.md)."""
    number = 0
    while line := stream.readline():
        number += 1
        where = f"line {number}"
        if not line.strip():
            continue
        try:
            data = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError:
            yield Malformed(where, "not UTF-8")
            continue
        except ValueError as exc:
            yield Malformed(where, f"not JSON ({exc.msg})")
            continue
        yield _json_line_record(data, where)


def _json_line_record(data: object, where: str) -> ImportItem:
    if not isinstance(data, dict):
        return Malformed(where, "not a JSON object")
    ext_id = data.get("id")
    if isinstance(ext_id, bool) or not isinstance(ext_id, str | int) or not str(ext_id).strip():
        return Malformed(where, "missing id")
    title, body, url = data.get("title", ""), data.get("body", ""), data.get("url")
    if not isinstance(title, str) or not isinstance(body, str):
        return Malformed(where, "title and body must be strings")
    if url is not None and not isinstance(url, str):
        return Malformed(where, "url must be a string")
    if not title.strip() and not body.strip():
        return Skipped(where, "no text")
    published = _parse_time(data.get("published_at"))
    if published is None:
        return Malformed(where, "published_at is not an ISO-8601 time")
    return ImportRecord(str(ext_id).strip(), title.strip(), body.strip(), published, url or None)


def _parse_time(value: object) -> datetime | None:
    """An ISO-8601 time (naive means UTC) as an aware datetime, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- Telegram Desktop export -----------------------------------------------------------------------


class _Reader:
    """A sliding text buffer over a binary stream, decoding one JSON value at a time."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._decoder = json.JSONDecoder()
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf, self.pos, self.eof, self.consumed = "", 0, False, 0

    def fill(self) -> None:
        data = self._stream.read(_CHUNK)
        self.eof = not data
        text = self._utf8.decode(data, final=self.eof)
        self.consumed += self.pos
        self.buf = self.buf[self.pos :] + text
        self.pos = 0

    def peek(self) -> str:
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos : self.pos + 1]
            self.fill()

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected {char!r} at character {self.consumed + self.pos:,}")
        self.pos += 1

    def value(self) -> object:
        """The next JSON value; ValueError if it is not valid JSON."""
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buf, self.pos)
            except ValueError:
                if self.eof or len(self.buf) - self.pos > _MAX_RECORD_BYTES:
                    raise
                self.fill()
                continue
            if end >= len(self.buf) and not self.eof:  # a number may go on in the next chunk
                self.fill()
                continue
            self.pos = end
            return value

    def skip_to_next_object(self) -> bool:
        """Move past a broken value to the next line that opens an object; False at the end."""
        while True:
            match = _NEXT_MESSAGE.search(self.buf, self.pos + 1)
            if match:
                self.pos = match.end() - 1
                return True
            if self.eof:
                self.pos = len(self.buf)
                return False
            self.pos = max(self.pos, len(self.buf) - 64)
            self.fill()


def read_telegram_export(stream: BinaryIO) -> Iterator[ImportItem]:
    """Messages of a Telegram Desktop channel export; `NotAnArchive` if there is no message list."""
    reader = _Reader(stream)
    channel: dict[str, object] = {}
    try:
        reader.expect("{")
        while True:
            key = reader.value()
            reader.expect(":")
            if key == "messages":
                break
            channel[str(key)] = reader.value()
            if reader.peek() != ",":
                raise NotAnArchive('no "messages" list: not a Telegram Desktop channel export')
            reader.pos += 1
        reader.expect("[")
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, NotAnArchive):
            raise
        raise NotAnArchive(f"not a Telegram Desktop export ({exc})") from None
    link_base = None
    if channel.get("type") == "private_channel" and isinstance(channel.get("id"), int):
        link_base = f"https://t.me/c/{channel['id']}/"
    number = 0
    if reader.peek() == "]":
        return
    while True:
        number += 1
        where = f"message #{number}"
        try:
            message = reader.value()
        except ValueError as exc:
            yield Malformed(where, f"not valid JSON ({getattr(exc, 'msg', exc)})")
            if not reader.skip_to_next_object():
                return
            continue
        except UnicodeDecodeError:
            yield Malformed(where, "not UTF-8; the rest of the file was not read")
            return
        yield _telegram_record(message, where, link_base)
        separator = reader.peek()
        if separator == ",":
            reader.pos += 1
        elif separator == "]" or not separator:
            return
        else:
            yield Malformed(f"after {where}", f"unexpected {separator!r} between messages")
            if not reader.skip_to_next_object():
                return


def _telegram_record(message: object, where: str, link_base: str | None) -> ImportItem:
    if not isinstance(message, dict):
        return Malformed(where, "not a JSON object")
    message_id = message.get("id")
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        return Malformed(where, "missing message id")
    where = f"message {message_id}"
    if message.get("type", "message") != "message":
        return Skipped(where, "service message")
    text = _plain_text(message.get("text", ""))
    if text is None:
        return Malformed(where, "text is neither a string nor a list of parts")
    if not text.strip():
        return Skipped(where, "no text (media only)")
    published = _telegram_time(message)
    if published is None:
        return Malformed(where, "no usable date")
    title, body = split_title(text)
    url = f"{link_base}{message_id}" if link_base else None
    return ImportRecord(str(message_id), title, body, published, url)


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
    """`date_unixtime` (UTC) when present; `date` is the exporting computer's local time, read as UTC."""
    unix = message.get("date_unixtime")
    if isinstance(unix, str) and unix.isdigit():
        return datetime.fromtimestamp(int(unix), UTC)
    return _parse_time(message.get("date"))
