"""How a post with media goes out (bot.core.media): the parts, the caption rule and the ledger's reading."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.media import (
    Layout,
    MediaItem,
    MediaKind,
    Part,
    album_takes,
    layout,
    marked_title,
    media_from_json,
    media_to_json,
    message_total,
    parts_covered,
    plan_parts,
    replaced_media,
)

PHOTO = MediaItem(MediaKind.PHOTO, "p1")
ALBUM = (PHOTO, MediaItem(MediaKind.VIDEO, "v1"), MediaItem(MediaKind.PHOTO, "p2"))


def test_the_caption_rule_counts_utf16_units_after_the_tags() -> None:
    assert layout([], ["متن"]) is Layout.TEXT
    assert layout([PHOTO], []) is Layout.MEDIA_ONLY
    assert layout([PHOTO], ["<b>" + "ب" * 1024 + "</b>"]) is Layout.CAPTION  # tags do not count
    assert layout([PHOTO], ["ب" * 1025]) is Layout.SEPARATE
    assert layout([PHOTO], ["😀" * 512]) is Layout.CAPTION  # two units each
    assert layout([PHOTO], ["😀" * 512 + "ب"]) is Layout.SEPARATE
    assert layout([PHOTO], ["&amp;" * 1024]) is Layout.CAPTION  # an entity is one character
    assert layout([PHOTO], ["کوتاه", "دو پیام"]) is Layout.SEPARATE


def test_parts() -> None:
    assert plan_parts([], ["a", "b"]) == [Part("a"), Part("b")]
    assert plan_parts(ALBUM, ["caption"]) == [Part("caption", ALBUM)]
    assert plan_parts(ALBUM, ["ب" * 2000]) == [Part("", ALBUM), Part("ب" * 2000)]
    assert message_total(plan_parts(ALBUM, ["ب" * 2000])) == 4


@given(st.lists(st.integers(1, 10), min_size=1, max_size=6), st.data())
def test_the_ledger_reads_back_as_whole_parts(counts: list[int], data: st.DataObject) -> None:
    """Ids are recorded a part at a time (an album's all at once): the recorded ids cover exactly the
    parts sent, and a resume starts at the first part not recorded."""
    parts = [Part("", tuple(PHOTO for _ in range(n))) if n > 1 else Part("t") for n in counts]
    sent = data.draw(st.integers(0, len(parts)))
    ids = list(range(1, sum(counts[:sent]) + 1))
    assert parts_covered(parts, ids) == sent


def test_stored_media_and_marks() -> None:
    assert media_from_json(media_to_json(ALBUM)) == ALBUM
    assert media_to_json([]) is None and media_from_json(None) == ()
    assert marked_title("photo", "خبر") == "📷 خبر" and marked_title("animation", "x") == "🎬 x"
    assert marked_title("document", "x") == "📎 x" and marked_title(None, "x") == "x"


def _file(kind: MediaKind, name: str) -> MediaItem:
    return MediaItem(kind, name)


def test_which_items_a_media_correction_replaces() -> None:
    new_photo, new_video = _file(MediaKind.PHOTO, "n1"), _file(MediaKind.VIDEO, "n2")
    # One file for one: any kind (a photo may become a video or a file).
    assert replaced_media([PHOTO], [new_video], None) == (new_video,)
    assert replaced_media([PHOTO], [new_photo, new_video], None) is None
    # An album's size in order: every item.
    three = (new_photo, new_video, _file(MediaKind.PHOTO, "n3"))
    assert replaced_media(ALBUM, three, None) == three
    # One file and its place: that item only; without a place (or outside the album) it is not said which.
    assert replaced_media(ALBUM, [new_photo], 2) == (PHOTO, new_photo, ALBUM[2])
    assert replaced_media(ALBUM, [new_photo], 3) == (*ALBUM[:2], new_photo)
    for place in (None, 0, 4):
        assert replaced_media(ALBUM, [new_photo], place) is None
    assert replaced_media(ALBUM, three[:2], None) is None
    # An album takes files only with files, audio only with audio, photos and videos together.
    documents = (_file(MediaKind.DOCUMENT, "d1"), _file(MediaKind.DOCUMENT, "d2"))
    assert replaced_media(ALBUM, [_file(MediaKind.DOCUMENT, "d")], 1) is None
    assert replaced_media(documents, [new_photo], 1) is None
    assert replaced_media(documents, [_file(MediaKind.DOCUMENT, "d3")], 2) == (
        documents[0],
        MediaItem(MediaKind.DOCUMENT, "d3"),
    )
    assert replaced_media(documents, [_file(MediaKind.AUDIO, "a1"), documents[0]], None) is None


def test_a_gif_neither_joins_nor_replaces_an_albums_item() -> None:
    """Telegram's albums take no animation, so a correction may not put one there (nor take one out)."""
    assert not album_takes(MediaKind.PHOTO, MediaKind.ANIMATION)
    assert not album_takes(MediaKind.ANIMATION, MediaKind.VIDEO)
    gif = MediaItem(MediaKind.ANIMATION, "gif")
    album = (MediaItem(MediaKind.PHOTO, "a"), MediaItem(MediaKind.VIDEO, "b"))
    assert replaced_media(album, [gif], 1) is None
    assert replaced_media((MediaItem(MediaKind.ANIMATION, "old"),), [gif], None) == (gif,)
