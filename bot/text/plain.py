"""A post's Telegram HTML as plain text, for networks without a formatted mode (Bale, Eitaa).

Tags go, their text stays; a link whose text is not its address keeps the address after it, in
parentheses, so a reader can still follow it (with `bare_tags`, a link on a #hashtag keeps the tag
alone: the reader's client searches a tag by itself); entities are unescaped.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Plain(HTMLParser):
    def __init__(self, bare_tags: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.bare_tags = bare_tags
        self.out: list[str] = []
        self._links: list[tuple[str, int]] = []  # href, where its text starts in `out`

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._links.append((dict(attrs).get("href") or "", len(self.out)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._links:
            href, start = self._links.pop()
            shown = "".join(self.out[start:])
            if href and shown.strip() != href and not (self.bare_tags and shown.startswith("#")):
                self.out.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def plain_text(html_text: str, *, bare_tags: bool = False) -> str:
    """The visible text of Telegram HTML, links kept as text plus address."""
    parser = _Plain(bare_tags)
    parser.feed(html_text)
    parser.close()
    return "".join(parser.out)
