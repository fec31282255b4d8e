"""An editor's formatting carried through the draft pipeline as markers the clean-up cannot touch.

Telegram gives a formatted message as HTML (python-telegram-bot's `text_html`: bold, italic,
underline, strikethrough, spoiler, blockquote, code, pre, links with their URL, custom emoji).
`from_telegram_html` turns it into the draft's plain text with each tag written as one marker:
`MARK_OPEN` + the tag's name and its attribute, percent-encoded (so without spaces) + `MARK_CLOSE`.
`bot.text.protect` masks a marker whole, like a link, so the Persian clean-up never changes a URL or
an attribute, and a code span's text travels inside its marker untouched. Every line closes the
tags still open at its end and opens them again on the next line, so a line stands alone (a line
can become the headline, a bullet, or be dropped). `to_html` writes the markers back as tags in the
rendered post; `strip_markup` gives the plain text (archive title and body, search).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import quote, unquote

RESERVED_RE = re.compile("[\ue000-\ue01f]")
"""The desk's own block of private-use characters: these formatting markers, and the masks and
stand-ins of `bot.text.protect` and `bot.text.normalize`. A text from outside that carried one would
forge a tag (a marker is written back as raw HTML), so every incoming text is `disarm`ed first."""
MARK_OPEN = "\ue010"
MARK_CLOSE = "\ue011"
MARKER_RE = re.compile(f"{MARK_OPEN}[^{MARK_CLOSE}\\s]*{MARK_CLOSE}")
"""One marker (no spaces inside: `bot.text.protect` scans space-free runs)."""

_SPAN_TAGS = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u", "s": "s",
              "strike": "s", "del": "s", "tg-spoiler": "tg-spoiler", "blockquote": "blockquote"}  # fmt: skip
_WHOLE_TAGS = ("code", "pre", "tg-emoji")  # kept whole, content and all, in one marker


def _marker(body: str) -> str:
    return f"{MARK_OPEN}{quote(body, safe='')}{MARK_CLOSE}"


class _Reader(HTMLParser):
    """Telegram HTML → marked text (tags closed and reopened at each line break)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[tuple[str, str]] = []  # (tag name, opening tag as written back)
        self.whole: list[str] | None = None  # the raw HTML of a code, pre or custom emoji being read
        self.whole_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.whole is not None or tag in _WHOLE_TAGS:
            self.whole = self.whole if self.whole is not None else []
            self.whole_depth += 1
            self.whole.append(self.get_starttag_text() or f"<{tag}>")
            return
        if tag == "span" and values.get("class") == "tg-spoiler":
            tag = "tg-spoiler"
        if tag == "a" and values.get("href"):
            opening = f'<a href="{html.escape(values["href"] or "")}">'
        elif tag == "blockquote":
            opening = "<blockquote expandable>" if "expandable" in values else "<blockquote>"
        elif tag in _SPAN_TAGS:
            opening = f"<{_SPAN_TAGS[tag]}>"
        else:  # a tag Telegram would not send: its text stays, the tag goes
            self.open.append((tag, ""))
            return
        self.open.append((tag, opening))
        self.out.append(_marker(opening))

    def handle_endtag(self, tag: str) -> None:
        if self.whole is not None:
            self.whole.append(f"</{tag}>")
            self.whole_depth -= 1
            if self.whole_depth == 0:
                self.out.append(_marker("".join(self.whole)))
                self.whole = None
            return
        if tag == "span":
            tag = next((name for name, _ in reversed(self.open) if name in ("tg-spoiler", "span")), tag)
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                closing = self.open[depth][1]
                del self.open[depth]
                if closing:
                    self.out.append(_marker(_closing(closing)))
                return

    def handle_data(self, data: str) -> None:
        if self.whole is not None:
            self.whole.append(html.escape(data, quote=False))
            return
        lines = data.split("\n")
        self.out.append(lines[0])
        for line in lines[1:]:  # each line balanced: close what is open, open it again after
            self.out.extend(_marker(_closing(opening)) for _, opening in reversed(self.open) if opening)
            self.out.append("\n")
            self.out.extend(_marker(opening) for _, opening in self.open if opening)
            self.out.append(line)


def _closing(opening: str) -> str:
    return f"</{opening[1:].split()[0].rstrip('>')}>"


def from_telegram_html(text_html: str) -> str:
    """A formatted message's HTML as a draft's text with formatting markers (only its own: any reserved
    character already in the HTML, in a text or an attribute, is taken out first)."""
    reader = _Reader()
    reader.feed(disarm(text_html))
    reader.close()
    if reader.whole is not None:  # an unclosed code span: its raw text stays
        reader.out.append(html.unescape("".join(reader.whole)))
    return "".join(reader.out)


def disarm(text: str) -> str:
    """`text` with every character of the desk's reserved block taken out (`RESERVED_RE`): what comes
    from outside — a draft, a caption, a link's URL, a forwarded post, a file, a channel's name — can
    then never open or close a tag of the post, nor pass for a mask of the clean-up. Applied where
    text enters: `bot.core.inputs.read_text` (the command line) and `handlers.media` (Telegram)."""
    return RESERVED_RE.sub("", text)


unmarked = disarm  # a value from outside put into a post (bot.publishing.credit)


def linked(text: str, url: str) -> str:
    """`text` as a link to `url`, written as markers like an editor's own link (the URL is escaped)."""
    opening = f'<a href="{html.escape(url)}">'
    return f"{_marker(opening)}{unmarked(text)}{_marker('</a>')}"


_BOLD_MARKERS = re.compile(f"{MARK_OPEN}(?:%3Cb%3E|%3C%2Fb%3E){MARK_CLOSE}")


def without_bold(text: str) -> str:
    """`text` without the editor's bold: for a line the post sets in bold as a whole (the headline),
    where it would only nest `<b>` in `<b>`. Its other formatting stays, balanced as it was."""
    return _BOLD_MARKERS.sub("", text)


def to_html(rendered: str) -> str:
    """The rendered post with its markers written back as the tags they stand for."""
    return MARKER_RE.sub(lambda match: unquote(match.group()[1:-1]), rendered)


def strip_markup(text: str) -> str:
    """The text without its markers (a code span or custom emoji keeps its visible text)."""

    def visible(match: re.Match[str]) -> str:
        tag = unquote(match.group()[1:-1])
        return html.unescape(re.sub(r"<[^>]*>", "", tag)) if tag.startswith(_WHOLE_OPENINGS) else ""

    return MARKER_RE.sub(visible, text)


_WHOLE_OPENINGS = tuple(f"<{tag}" for tag in _WHOLE_TAGS)


def visible_chars(text: str) -> int:
    """The characters (code points, not Telegram's UTF-16 units) of the text as it will show: markers
    count as their visible text."""
    return len(strip_markup(text))


def split_at(text: str, at: int) -> tuple[str, str]:
    """`text` cut at `at` into two parts that each stand alone: the tags open at the cut are closed
    at the end of the first and opened again at the start of the second."""
    open_tags: list[str] = []
    for match in MARKER_RE.finditer(text, 0, at):
        tag = unquote(match.group()[1:-1])
        if tag.startswith("</"):
            if open_tags:
                open_tags.pop()
        elif not tag.startswith(_WHOLE_OPENINGS):
            open_tags.append(tag)
    closers = "".join(_marker(_closing(tag)) for tag in reversed(open_tags))
    return text[:at] + closers, "".join(_marker(tag) for tag in open_tags) + text[at:]
