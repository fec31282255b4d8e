"""Render a parsed draft as Telegram HTML and split it into messages Telegram accepts.

`render_post` lays the blocks out (bold headline, bullets in the configured style or with their
list numbers, italic byline, then the source credit of a forwarded post and the signature last,
another channel's signature line dropped, a blank line between blocks) and hands the HTML to
`split_html`, which cuts any
Telegram HTML into messages of at most `limit` UTF-16 code units of visible text: at paragraph
boundaries first, inside a paragraph at sentence ends, then at spaces, and only as a last resort
inside a word. Tags open at a cut are closed before it and reopened after it, so every part is
well-formed on its own; nothing is dropped or repeated except the whitespace at a cut.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from html import escape
from html.parser import HTMLParser

from bot.text.draft import Draft, drop_closing_lines
from bot.text.limits import MAX_MESSAGE_UTF16, utf16_len, utf16_offsets, visible_len
from bot.text.markup import to_html, without_bold

__all__ = ["render_html", "render_post", "split_html"]

# Tried only where a run of stops begins: from every stop of a long run it was quadratic (minutes).
# A list number opening a line (`۱. `) is no sentence end: a long item must not be cut after it.
_SENTENCE_END = re.compile(
    r"(?<![.!?؟…۔])(?<!^[0-9۰-۹])(?<!^[0-9۰-۹]{2})[.!?؟…۔]+[\"'»)\]]*(?=\s)", re.MULTILINE
)
_TAG_OF_KIND = {"byline": "i"}
_TAG = re.compile(r"<[^>]*>")


# Never sent: control characters (NUL…) and the bidi embeddings and overrides (U+202A–U+202E), which
# can show a post's words reversed.
# A regex, not str.translate with a dict: that looks every character up and cost 1 ms a seed draft.
_NOT_SENT_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e]")


def _escape(text: str) -> str:
    return escape(text, quote=False)


def _post_text(text: str) -> str:
    """A draft's text as the post shows it: escaped, without the characters never sent."""
    return _escape(_NOT_SENT_RE.sub("", text))


def render_html(draft: Draft, *, bullet: str = "🔹", signature: str = "", credit: str = "") -> str:
    """The whole post as one Telegram HTML string, before splitting. `credit`: one line in the draft's
    marked form (`bot.text.markup`), after the body and before the signature; it is no part of the
    draft, so the clean-up never sees its names or its link."""
    mark = bullet.strip()
    draft = drop_closing_lines(draft, signature, credit)
    parts: list[str] = []
    if draft.headline:
        parts.append(f"<b>{_post_text(without_bold(draft.headline))}</b>")  # bold once, not <b><b>
    footer: list[str] = []
    for block in draft.blocks:
        if block.kind == "footer":
            footer.append(_post_text(f"{block.label} {block.text}" if block.label else block.text))
            continue
        if footer:
            parts.append("\n".join(footer))
            footer = []
        text = _post_text(block.text)
        if block.label:
            text = f"{_post_text(block.label)} {text}"
        elif block.kind == "bullet" and mark:
            text = f"{_post_text(mark)} {text}"
        tag = _TAG_OF_KIND.get(block.kind)
        parts.append(f"<{tag}>{text}</{tag}>" if tag else text)
    if footer:
        parts.append("\n".join(footer))
    parts.extend(_closing_lines(signature, credit))
    return to_html("\n\n".join(parts))  # the editor's formatting (bot.text.markup) as tags again


def _closing_lines(signature: str, credit: str) -> list[str]:
    """The credit and the signature as the post ends with them, each on one line (escaped, marked)."""
    return [_post_text(_one_line(line)) for line in (credit, signature) if line.strip()]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_post(
    draft: Draft,
    *,
    bullet: str = "🔹",
    signature: str = "",
    credit: str = "",
    limit: int = MAX_MESSAGE_UTF16,
) -> list[str]:
    """The HTML messages of the post, in the order they are sent (empty for an empty draft and no
    credit or signature).

    The credit and the signature end the last message together and never stand there alone: when
    they do not fit beside the end of the post, the end of the post is cut shorter to make room.
    """
    draft = drop_closing_lines(draft, signature, credit)
    end = to_html("\n\n".join(_closing_lines(signature, credit)))
    room = limit - visible_len(end) - 2  # the blank line before them
    if not end or room < 1:
        return split_html(render_html(draft, bullet=bullet, signature=signature, credit=credit), limit)
    messages = split_html(render_html(draft, bullet=bullet), limit)
    tail = split_html(messages.pop(), room) if messages else []
    closing = f"{tail.pop()}\n\n" if tail else ""
    return [*messages, *tail, closing + end]


class _TextWithTags(HTMLParser):
    """Flattens HTML into its visible text plus, for each run of text, the tags open around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag name, start tag as written)
        self.runs: list[tuple[int, str, tuple[tuple[str, str], ...]]] = []  # (offset, text, open tags)
        self.length = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append((tag, self.get_starttag_text() or f"<{tag}>"))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if data:
            self.runs.append((self.length, data, tuple(self.stack)))
            self.length += len(data)


def _fitting_end(text: str, start: int, limit: int, units: list[int] | None) -> int:
    """The largest end such that text[start:end] is at most `limit` UTF-16 units."""
    if units is None:  # no character outside the BMP: one unit per character
        return min(len(text), start + limit)
    return max(start + 1, bisect_right(units, units[start] + limit) - 1)


def _last_sentence_end(text: str, start: int, end: int) -> int:
    last = -1
    for match in _SENTENCE_END.finditer(text, start, min(len(text), end + 1)):
        if match.end() <= end:
            last = match.end()
    return last


def _cut(text: str, start: int, end: int, limit: int) -> int:
    """Where to end the part text[start:...] that may reach up to `end`: the best boundary."""
    for boundary in ("\n\n", "\n"):
        at = text.rfind(boundary, start + 1, end + len(boundary))
        if at > start:
            # The paragraph after the boundary will not fit in any message and must be cut at a
            # sentence anyway: start it here rather than leave this message half empty.
            follows = at + len(boundary)
            follows_end = text.find("\n", follows)
            follows_end = len(text) if follows_end < 0 else follows_end
            if follows_end > end and utf16_len(text[follows:follows_end]) > limit:
                inside = _last_sentence_end(text, follows, end)
                if inside > follows:
                    return inside
            return at
    last_sentence = _last_sentence_end(text, start, end)
    if last_sentence > start:
        return last_sentence
    for at in range(end, start, -1):
        if at < len(text) and text[at].isspace():
            # The run after this space is longer than a message and will be cut inside anyway:
            # cutting here as well would leave a message of only what comes before it (`۱.`).
            run_end = next((i for i in range(at + 1, len(text)) if text[i].isspace()), len(text))
            if utf16_len(text[at + 1 : run_end]) <= limit:
                return at
            break
    # One unbroken run longer than a message: cut inside it, but not inside a character (a combining
    # mark, joiner, variation selector, skin tone, or what a zero-width joiner joins). A run made of
    # nothing else is cut at the limit: walking back through it made one message per character.
    at = end
    while at > start + 1 and _joined(text, start, at):
        at -= 1
    return at if at > start + 1 else end


def _regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"  # the letters of a flag, which come in pairs


def _joined(text: str, start: int, at: int) -> bool:
    """Whether text[at] belongs to the character before it (cutting there would split a glyph)."""
    char = text[at]
    if unicodedata.category(char) in ("Mn", "Me", "Cf", "Cs") or text[at - 1] == "\u200d":
        return True
    if "\U0001f3fb" <= char <= "\U0001f3ff":  # a skin tone
        return True
    if _regional(char):  # the second letter of a flag when an odd number of them come before it
        before = at
        while before > start and _regional(text[before - 1]):
            before -= 1
        return (at - before) % 2 == 1
    return False


def _as_html(runs: list[tuple[int, str, tuple[tuple[str, str], ...]]], start: int, end: int) -> str:
    """The visible text[start:end] as HTML, with every tag that was open around it balanced."""
    out: list[str] = []
    open_now: tuple[tuple[str, str], ...] = ()
    offsets = [offset for offset, _, _ in runs]
    for offset, data, tags in runs[max(0, bisect_right(offsets, start) - 1) :]:
        if offset >= end:
            break
        piece = data[max(0, start - offset) : end - offset]
        if not piece:
            continue
        common = 0
        while common < min(len(open_now), len(tags)) and open_now[common] == tags[common]:
            common += 1
        out.extend(f"</{name}>" for name, _ in reversed(open_now[common:]))
        out.extend(raw for _, raw in tags[common:])
        out.append(_escape(piece))
        open_now = tags
    out.extend(f"</{name}>" for name, _ in reversed(open_now))
    return "".join(out)


def split_html(html: str, limit: int = MAX_MESSAGE_UTF16) -> list[str]:
    """Split Telegram HTML into messages of at most `limit` UTF-16 units of visible text each.

    Cuts at blank lines, then line breaks, then sentence ends, then spaces, then (for a single run
    without spaces longer than a message) inside it. Whitespace at a cut is dropped; nothing else.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if utf16_len(html) <= limit:  # tags and entities only ever add length
        return [html.strip()] if _TAG.sub("", html).strip() else []
    parser = _TextWithTags()
    parser.feed(html)
    parser.close()
    text = "".join(data for _, data, _ in parser.runs)
    units = None
    if utf16_len(text) != len(text):
        units = utf16_offsets(text)
    messages: list[str] = []
    start = 0
    while True:
        while start < len(text) and text[start].isspace():
            start += 1
        if start >= len(text):
            break
        end = _fitting_end(text, start, limit, units)
        cut = len(text) if end >= len(text) else _cut(text, start, end, limit)
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        messages.append(_as_html(parser.runs, start, stop))
        start = cut
    return messages
