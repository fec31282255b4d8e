"""Telegram's HTML parse mode, as the Bot API test server applies it.

`parse_html(text)` turns a `parse_mode="HTML"` message into the plain text and the message
entities Telegram would store, or raises `HtmlParseError` with the wording Telegram uses after
"Bad Request: can't parse entities: " (e.g. `Unsupported start tag "br" at byte offset 5`).
It follows tdlib's parser: the allowed tags, attribute syntax, `</>` closing any tag, zero-length
entities dropped, error offsets in UTF-8 bytes. Entity offsets and lengths are in UTF-16 code
units, as in the Bot API.

One deliberate difference: with `strict=True` (the default) an `&` that does not start one of the
documented entities (`&lt;` `&gt;` `&amp;` `&quot;` `&#NN;` `&#xHH;`) is an error. Real Telegram
shows such an `&` (or `&laquo;`, or `&lt` without `;`) literally, which on a news channel is a bug
we want the tests to catch; `strict=False` behaves like Telegram.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from telegram.constants import MessageLimit

from bot.text.limits import utf16_len

# Telegram's limits as PTB declares them, not the bot's own constants: a wrong limit in the bot must
# still meet Telegram's refusal here.
MAX_TEXT_UTF16 = MessageLimit.MAX_TEXT_LENGTH
MAX_CAPTION_UTF16 = MessageLimit.CAPTION_LENGTH

# tag -> entity type (span, a, pre, code, blockquote and tg-emoji are refined below)
_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n"
_UNQUOTED_VALUE = re.compile(r"[A-Za-z0-9.\-]*")
_ENTITY_REF = re.compile(r"&(?:#[xX]([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z]+))(;?)")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; str(error) is Telegram's wording."""


@dataclass
class _OpenTag:
    name: str
    begin: int  # character index of "<" in the source, for error offsets
    start_units: int  # UTF-16 offset in the output where the entity starts
    attrs: dict[str, str] = field(default_factory=dict)


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into (plain text, Bot API entity dicts sorted like Telegram's)."""
    return _Parser(text, strict).run()


class _Parser:
    """Single pass over the source, following tdlib's `parse_html`."""

    def __init__(self, source: str, strict: bool) -> None:
        self.src = source
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.units = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict] = []

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8", "surrogatepass"))

    def error(self, message: str) -> HtmlParseError:
        return HtmlParseError(message)

    def unclosed(self, tag: _OpenTag) -> HtmlParseError:
        return self.error(f'Unclosed start tag "{tag.name}" at byte offset {self.byte_offset(tag.begin)}')

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.units += utf16_len(chunk)

    def run(self) -> tuple[str, list[dict]]:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "&":
                self.emit(self.read_entity_ref(self.pos))
            elif char == "<":
                if self.pos + 1 < len(src) and src[self.pos + 1] == "/":
                    self.read_end_tag()
                else:
                    self.read_start_tag()
            else:
                self.emit(char)
                self.pos += 1
        if self.stack:
            raise self.error(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        plain = "".join(self.out)
        if any(0xD800 <= ord(c) <= 0xDFFF for c in plain):
            raise self.error(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return plain, self.entities

    def read_entity_ref(self, start: int) -> str:
        """Decode the character reference at `start`; advance past it."""
        match = _ENTITY_REF.match(self.src, start)
        decoded = None
        if match:
            hex_digits, dec_digits, name, semicolon = match.groups()
            if name is not None:
                decoded = _NAMED_ENTITIES.get(name)
                documented = decoded is not None and bool(semicolon)
            else:
                code = int(hex_digits, 16) if hex_digits is not None else int(dec_digits)
                if 0 < code <= 0x10FFFF:
                    decoded = chr(code)
                documented = decoded is not None and bool(semicolon)
            if self.strict and not documented:
                decoded = None
        if decoded is None:
            if self.strict:
                raise self.error(
                    f'Character "&" at byte offset {self.byte_offset(start)} must be escaped as "&amp;"'
                )
            self.pos = start + 1
            return "&"
        self.pos = match.end()
        return decoded

    def read_start_tag(self) -> None:
        src, begin = self.src, self.pos
        i = begin + 1
        while i < len(src) and src[i] not in _SPACES and src[i] != ">":
            i += 1
        if i >= len(src):
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = src[begin + 1 : i].lower()
        if name not in _TAG_ENTITY:
            raise self.error(f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}')
        tag = _OpenTag(name, begin, self.units)
        self.pos = i
        self.read_attributes(tag)
        self.check_tag(tag)
        self.stack.append(tag)

    def read_attributes(self, tag: _OpenTag) -> None:
        src = self.src
        where = f'the tag "{tag.name}" at byte offset {self.byte_offset(tag.begin)}'
        while True:
            while self.pos < len(src) and src[self.pos] in _SPACES:
                self.pos += 1
            if self.pos >= len(src):
                raise self.unclosed(tag)
            if src[self.pos] == ">":
                self.pos += 1
                return
            name_start = self.pos
            while self.pos < len(src) and src[self.pos] not in _SPACES and src[self.pos] not in "=>":
                self.pos += 1
            attr = src[name_start : self.pos].lower()
            if not attr:
                raise self.error(f"Empty attribute name in {where}")
            while self.pos < len(src) and src[self.pos] in _SPACES:
                self.pos += 1
            valueless = tag.name == "blockquote" and attr == "expandable"
            if valueless and self.pos < len(src) and src[self.pos] != "=":
                tag.attrs[attr] = ""
                continue
            if self.pos >= len(src) or src[self.pos] != "=":
                if self.pos >= len(src):
                    raise self.unclosed(tag)
                raise self.error(f"Expected equal sign in declaration of an attribute of {where}")
            self.pos += 1
            while self.pos < len(src) and src[self.pos] in _SPACES:
                self.pos += 1
            if self.pos >= len(src):
                raise self.unclosed(tag)
            tag.attrs[attr] = self.read_attribute_value(tag)

    def read_attribute_value(self, tag: _OpenTag) -> str:
        src = self.src
        quote = src[self.pos]
        if quote in "\"'":
            end = src.find(quote, self.pos + 1)
            if end < 0:
                raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(tag.begin)}")
            raw = src[self.pos + 1 : end]
            self.pos = end + 1
            return _decode_attribute(raw)
        match = _UNQUOTED_VALUE.match(src, self.pos)
        self.pos = match.end()
        if self.pos >= len(src) or (src[self.pos] not in _SPACES and src[self.pos] != ">"):
            raise self.error(f"Unexpected end of name token at byte offset {self.byte_offset(self.pos)}")
        return match.group()

    def check_tag(self, tag: _OpenTag) -> None:
        offset = self.byte_offset(tag.begin)
        if tag.name == "span" and tag.attrs.get("class") != "tg-spoiler":
            raise self.error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        if tag.name == "tg-emoji":
            emoji_id = tag.attrs.get("emoji-id", "")
            if not emoji_id.isdigit() or int(emoji_id) == 0:
                raise self.error("Invalid custom emoji identifier specified")

    def read_end_tag(self) -> None:
        src, begin = self.src, self.pos
        if not self.stack:
            raise self.error(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while i < len(src) and src[i] not in _SPACES and src[i] != ">":
            i += 1
        name = src[begin + 2 : i].lower()
        while i < len(src) and src[i] in _SPACES:
            i += 1
        if i >= len(src) or src[i] != ">":
            raise self.error(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        top = self.stack[-1]
        if name and name != top.name:
            raise self.error(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{top.name}>", found "</{name}>"'
            )
        self.pos = i + 1
        self.stack.pop()
        self.close_entity(top)

    def close_entity(self, tag: _OpenTag) -> None:
        length = self.units - tag.start_units
        if length <= 0:
            return
        entity: dict = {"type": _TAG_ENTITY[tag.name], "offset": tag.start_units, "length": length}
        if tag.name == "a":
            href = tag.attrs.get("href", "")
            if not href:
                return  # tdlib keeps <a> without href only when its text is a URL; we keep none
            entity["url"] = href
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attrs["emoji-id"]
        elif tag.name == "code" and self.stack and self.stack[-1].name == "pre":
            parent = self.stack[-1]
            if parent.start_units == tag.start_units:
                language = tag.attrs.get("class", "")
                if language.startswith("language-") and len(language) > len("language-"):
                    parent.attrs["language"] = language.removeprefix("language-")
                return  # Bot API reports <pre><code> as one pre entity
        elif tag.name == "pre" and tag.attrs.get("language"):
            entity["language"] = tag.attrs["language"]
        self.entities.append(entity)


def _decode_attribute(raw: str) -> str:
    """Attribute values may hold the same character references as text."""
    return _ENTITY_REF.sub(lambda m: _decode_reference(m) or m.group(), raw)


def _decode_reference(match: re.Match) -> str | None:
    hex_digits, dec_digits, name, _ = match.groups()
    if name is not None:
        return _NAMED_ENTITIES.get(name)
    code = int(hex_digits, 16) if hex_digits is not None else int(dec_digits)
    return chr(code) if 0 < code <= 0x10FFFF else None


def strip_message_text(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Trim surrounding whitespace as Telegram does, keeping entities aligned and inside the text."""
    stripped = text.strip()
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept
