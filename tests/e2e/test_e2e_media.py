"""End to end, media posts (issue 11): photos, videos, files and albums from an editor, previewed and
published as they will be, checked on the channel side (the same file ids, valid caption HTML within
1,024 UTF-16 units), corrected in place, and nothing an editor sends dropped without a word."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot import messages as msg
from bot.botapi.html_check import MAX_CAPTION_UTF16, parse_html
from bot.botapi.server import BotApiServer
from bot.botapi.world import StoredMessage
from bot.cli import main
from bot.text.limits import utf16_len
from tests.botapi.fixtures import EDITOR_ID, SUBSCRIBER_ID
from tests.desk_harness import Desk, running_desk, search_in_for
from tests.e2e.test_e2e_editor import _choose_message, recorded_notice, wait_status

CAPTION = "خبر تصویری\nوزیر امروز از نمایشگاه کتاب تهران بازدید کرد و دربارهٔ بازار نشر سخن گفت."
LONG_TEXT = "گزارش بلند\n" + "\n\n".join(
    f"بند {i}: کارشناسان می‌گویند بازار مسکن در ماه‌های آینده آرام‌تر خواهد شد و خریداران صبر می‌کنند."
    for i in range(1, 15)
)


@pytest.fixture
async def desk(botapi: BotApiServer, tmp_path: Path, request: pytest.FixtureRequest):
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", search_in=search_in_for(request)
    ) as running:
        yield running


async def _preview(desk: Desk, send) -> tuple[int, list[StoredMessage], StoredMessage]:
    """The editor sends something; the post's id, the preview's messages and the choices message."""
    before = desk.last_id(EDITOR_ID)
    send()
    choose = await _choose_message(desk, before)
    article_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    shown = [m for m in desk.server.bot_messages(EDITOR_ID) if before < m.message_id < choose.message_id]
    return article_id, shown, choose


async def _publish(desk: Desk, article_id: int, choose: StoredMessage) -> list[StoredMessage]:
    """Publish now; the channel messages the post became."""
    before = desk.server.channel.next_message_id
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    await wait_status(desk, article_id, "published")
    await recorded_notice(desk, article_id)  # the notice is out
    return [m for m in desk.server.channel_posts() if m.message_id >= before]


def _valid_caption(message: StoredMessage) -> str:
    """The caption as sent, checked: valid HTML, within the limit; its plain text."""
    text, _ = parse_html(message.html or "")
    assert utf16_len(text) <= MAX_CAPTION_UTF16
    return text


def _same_as_preview(shown: list[StoredMessage], posted: list[StoredMessage]) -> None:
    """The preview's post messages (after the intro) are the channel's: files, captions, texts."""
    post = shown[1:]
    assert [(m.media_kind, m.media.file_id if m.media else None, m.html) for m in post] == [
        (m.media_kind, m.media.file_id if m.media else None, m.html) for m in posted
    ]


async def _photo_preview(desk: Desk, caption: str | None):
    holder: list[StoredMessage] = []
    result = await _preview(
        desk,
        lambda: holder.append(
            desk.server.user_sends_photo(EDITOR_ID, b"jpeg", width=8, height=6, caption=caption)
        ),
    )
    return holder[0], *result


def _layout(shape: str) -> str:
    """How the preview says a photo's text goes with it."""
    return msg.text(f"layout_{shape}", msg.FA, kind=msg.text("media_photo", msg.FA), limit=MAX_CAPTION_UTF16)


async def test_photo_with_caption(desk: Desk) -> None:
    sent, article_id, shown, choose = await _photo_preview(desk, CAPTION)
    assert _layout("caption") in shown[0].text
    posted = await _publish(desk, article_id, choose)
    (photo,) = posted
    assert photo.photo.file_id == sent.photo.file_id
    assert "نمایشگاه کتاب" in _valid_caption(photo) and photo.html.startswith("<b>")
    _same_as_preview(shown, posted)


async def test_photo_without_caption_asks_for_its_text_or_goes_out_alone(desk: Desk) -> None:
    sent, article_id, shown, choose = await _photo_preview(desk, None)
    assert msg.text("note_needs_text_signed", msg.FA) in shown[0].text  # what "as it is" means, said
    # Only the channel's signature goes with it until it has a text.
    assert shown[1].photo.file_id == sent.photo.file_id and shown[1].caption == desk.settings.signature
    # The next message is its text.
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(CAPTION)
    choose = await _choose_message(desk, before)
    assert int(choose.buttons[0]["callback_data"].split(":")[1]) == article_id
    (photo,) = await _publish(desk, article_id, choose)
    assert photo.photo.file_id == sent.photo.file_id and "نمایشگاه" in _valid_caption(photo)
    # Another photo goes out as it is, on the publish button.
    sent, article_id, shown, choose = await _photo_preview(desk, None)
    (photo,) = await _publish(desk, article_id, choose)
    assert photo.photo.file_id == sent.photo.file_id and photo.caption == desk.settings.signature


async def test_without_a_signature_a_photo_without_text_goes_out_with_no_caption(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3", signature="") as desk:
        sent, article_id, shown, choose = await _photo_preview(desk, None)
        assert msg.text("note_needs_text", msg.FA) in shown[0].text
        kind = msg.text("media_photo", msg.FA)
        assert msg.text("layout_media_only", msg.FA, kind=kind) in shown[0].text
        assert shown[1].caption is None
        (photo,) = await _publish(desk, article_id, choose)
        assert photo.photo.file_id == sent.photo.file_id and photo.caption is None


@pytest.mark.parametrize(
    ("kind", "name"), [("video", None), ("document", "report.pdf"), ("animation", None), ("audio", None)]
)
async def test_video_document_animation_audio(desk: Desk, kind: str, name: str | None) -> None:
    holder: list[StoredMessage] = []
    article_id, shown, choose = await _preview(
        desk,
        lambda: holder.append(
            desk.server.user_sends_media(EDITOR_ID, kind, b"bytes", caption=CAPTION, file_name=name)
        ),
    )
    posted = await _publish(desk, article_id, choose)
    (post,) = posted
    assert post.media_kind == kind and post.media.file_id == holder[0].media.file_id
    assert "نمایشگاه" in _valid_caption(post)
    _same_as_preview(shown, posted)


@pytest.mark.parametrize("kind", ["video", "document", "animation", "audio"])
async def test_a_reply_with_a_new_file_of_its_kind_replaces_the_posts_file(desk: Desk, kind: str) -> None:
    """Each kind is replaced as itself (a GIF went as a video once, which Telegram refuses)."""
    holder: list[StoredMessage] = []
    article_id, _, choose = await _preview(
        desk, lambda: holder.append(desk.server.user_sends_media(EDITOR_ID, kind, b"old", caption=CAPTION))
    )
    (post,) = await _publish(desk, article_id, choose)
    notice = await recorded_notice(desk, article_id)
    before = desk.last_id(EDITOR_ID)
    new = desk.server.user_sends_media(EDITOR_ID, kind, b"new", reply_to=notice)
    answer = await desk.confirm_correction(EDITOR_ID, article_id, after=before)  # proposed, then ✅
    assert answer.text == msg.text("edited", msg.FA, article_id=article_id), answer.text
    now = desk.server.message(post.chat.id, post.message_id)
    assert now.media_kind == kind and now.media.file_id == new.media.file_id
    assert "نمایشگاه" in _valid_caption(now)


@pytest.mark.parametrize("size", [3, 10])
async def test_an_album_becomes_one_draft_and_one_media_group(desk: Desk, size: int) -> None:
    holder: list[list[StoredMessage]] = []
    items = [("video" if i == 1 else "photo", f"item {i}".encode()) for i in range(size)]
    article_id, shown, choose = await _preview(
        desk, lambda: holder.append(desk.server.user_sends_album(EDITOR_ID, items, caption=CAPTION))
    )
    assert len([m for m in desk.server.bot_messages(EDITOR_ID) if "پیش‌نمایش" in (m.text or "")]) == 1
    calls_before = len(desk.server.calls("sendMediaGroup"))
    posted = await _publish(desk, article_id, choose)
    assert len(desk.server.calls("sendMediaGroup")) == calls_before + 1
    assert [m.media.file_id for m in posted] == [m.media.file_id for m in holder[0]]
    assert len({m.media_group_id for m in posted}) == 1
    assert "نمایشگاه" in _valid_caption(posted[0]) and all(m.caption is None for m in posted[1:])
    article = await desk.db.get(article_id)
    assert article.channel_message_ids == [m.message_id for m in posted]
    _same_as_preview(shown, posted)


async def test_a_forwarded_channel_post_with_its_photo(desk: Desk) -> None:
    other = desk.server.channel
    holder: list[StoredMessage] = []
    article_id, _, choose = await _preview(
        desk,
        lambda: holder.append(
            desk.server.user_sends_media(EDITOR_ID, "photo", b"jpg", caption=CAPTION, forward_from=other)
        ),
    )
    (photo,) = await _publish(desk, article_id, choose)
    assert photo.photo.file_id == holder[0].photo.file_id and "نمایشگاه" in _valid_caption(photo)


async def test_a_text_over_a_caption_goes_after_the_photo_and_the_preview_says_why(desk: Desk) -> None:
    sent, article_id, shown, choose = await _photo_preview(desk, None)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(LONG_TEXT)  # the photo's text: far over a caption's 1,024
    choose = await _choose_message(desk, before)
    shown = [m for m in desk.server.bot_messages(EDITOR_ID) if before < m.message_id < choose.message_id]
    assert _layout("separate") in shown[0].text
    posted = await _publish(desk, article_id, choose)
    assert posted[0].photo.file_id == sent.photo.file_id and posted[0].caption is None
    assert all(m.text for m in posted[1:]) and "۱۴" in posted[-1].text
    _same_as_preview(shown, posted)
    # Just under the limit as typed, over it once formatted (the headline, the signature): separate too.
    sent, article_id, shown, choose = await _photo_preview(desk, "عنوان\n" + "ب" * 1010)
    assert _layout("separate") in shown[0].text
    posted = await _publish(desk, article_id, choose)
    assert posted[0].caption is None and len(posted) == 2


async def test_the_caption_is_corrected_and_a_new_photo_replaces_the_old(desk: Desk) -> None:
    _, article_id, _, choose = await _photo_preview(desk, CAPTION)
    (photo,) = await _publish(desk, article_id, choose)
    notice = await recorded_notice(desk, article_id)
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(CAPTION.replace("وزیر", "وزیر فرهنگ"), reply_to=notice)
    assert not desk.server.calls("editMessageCaption")  # proposed: nothing reaches the channel before ✅
    answer = await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    assert answer.text == msg.text("edited", msg.FA, article_id=article_id), answer.text
    now = desk.server.message(photo.chat.id, photo.message_id)
    assert "وزیر فرهنگ" in now.caption and desk.server.calls("editMessageCaption")
    before = desk.last_id(EDITOR_ID)
    new = desk.server.user_sends_media(EDITOR_ID, "photo", b"better jpeg", reply_to=notice)
    await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    now = desk.server.message(photo.chat.id, photo.message_id)
    assert now.photo.file_id == new.photo.file_id and "وزیر فرهنگ" in now.caption
    assert (await desk.db.get(article_id)).media[0].file_id == new.photo.file_id
    # A new photo with a caption: the photo is replaced and the caption is the post's corrected text.
    before = desk.last_id(EDITOR_ID)
    corrected = CAPTION.replace("وزیر", "وزیر ارشاد")
    newer = desk.server.user_sends_media(EDITOR_ID, "photo", b"best jpeg", caption=corrected, reply_to=notice)
    answer = await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    assert answer.text == msg.text("edited", msg.FA, article_id=article_id), answer.text
    now = desk.server.message(photo.chat.id, photo.message_id)
    assert now.photo.file_id == newer.photo.file_id and "وزیر ارشاد" in now.caption
    article = await desk.db.get(article_id)
    assert "وزیر ارشاد" in article.body and article.media[0].file_id == newer.photo.file_id


async def test_an_albums_items_are_replaced_in_order_or_one_by_its_place(desk: Desk) -> None:
    items = [("photo", b"a"), ("video", b"b"), ("photo", b"c")]
    holder: list[list[StoredMessage]] = []
    article_id, _, choose = await _preview(
        desk, lambda: holder.append(desk.server.user_sends_album(EDITOR_ID, items, caption=CAPTION))
    )
    posted = await _publish(desk, article_id, choose)
    notice = await recorded_notice(desk, article_id)
    caption_html = posted[0].html

    def channel_files() -> list[str]:
        return [desk.server.message(m.chat.id, m.message_id).media.file_id for m in posted]

    async def reply(send, *, confirm: bool = False) -> StoredMessage:
        before = desk.last_id(EDITOR_ID)
        send()
        if confirm:  # new files are proposed; the channel changes on ✅
            return await desk.confirm_correction(EDITOR_ID, article_id, after=before)
        return await desk.wait_bot_message(EDITOR_ID, after=before)

    original = [m.media.file_id for m in holder[0]]
    # One photo that does not say which item it replaces, a file in a photo album: refused with the rule.
    for kind in ("photo", "document"):
        answer = await reply(lambda k=kind: desk.server.user_sends_media(EDITOR_ID, k, b"x", reply_to=notice))
        assert answer.text == msg.text("refused_media_mismatch_album", msg.FA, article_id=article_id, count=3)
    assert channel_files() == original and not desk.server.calls("editMessageMedia")
    # One photo with its place as the caption («۲»): the second item only.
    second: list[StoredMessage] = []
    answer = await reply(
        lambda: second.append(
            desk.server.user_sends_media(EDITOR_ID, "photo", b"second", caption="۲", reply_to=notice)
        ),
        confirm=True,
    )
    assert answer.text == msg.text("edited", msg.FA, article_id=article_id)
    assert channel_files() == [original[0], second[0].media.file_id, original[2]]
    assert len(desk.server.calls("editMessageMedia")) == 1
    # An album of three in reply: every item in order (one edit each), the caption kept on the first.
    again: list[list[StoredMessage]] = []
    new_items = [("video", b"1"), ("photo", b"2"), ("photo", b"3")]
    answer = await reply(
        lambda: again.append(desk.server.user_sends_album(EDITOR_ID, new_items, reply_to=notice)),
        confirm=True,
    )
    assert answer.text == msg.text("edited", msg.FA, article_id=article_id)
    assert channel_files() == [m.media.file_id for m in again[0]]
    now = [desk.server.message(m.chat.id, m.message_id) for m in posted]
    assert now[0].html == caption_html and now[0].media_kind == "video"
    assert all(m.caption is None for m in now[1:]) and len({m.media_group_id for m in now}) == 1
    assert [item.file_id for item in (await desk.db.get(article_id)).media] == channel_files()


@pytest.mark.searches
async def test_a_media_post_is_found_by_its_caption_and_marked(desk: Desk, capsys) -> None:
    _, article_id, _, choose = await _photo_preview(desk, CAPTION)
    (photo,) = await _publish(desk, article_id, choose)
    before = desk.last_id(SUBSCRIBER_ID)
    desk.server.user_sends_text(SUBSCRIBER_ID, "/search نمایشگاه کتاب")
    answer = await desk.wait_bot_message(SUBSCRIBER_ID, after=before)
    assert f"t.me/news_test/{photo.message_id}" in answer.html and "📷" in answer.text
    before = desk.last_id(SUBSCRIBER_ID)
    desk.server.user_sends_text(SUBSCRIBER_ID, "/latest")
    latest = await desk.wait_bot_message(SUBSCRIBER_ID, after=before)
    assert "📷" in latest.text and "خبر تصویری" in latest.text
    record = desk.server.user_inline_query(SUBSCRIBER_ID, "نمایشگاه کتاب")
    answered = await desk.server.wait_for(lambda: record.answer, timeout=10)
    assert answered["results"][0]["title"].startswith("📷 ")
    command = ["search", "نمایشگاه کتاب", "--db", str(desk.settings.database_path)]
    assert await asyncio.to_thread(main, command) == 0  # the command line, beside the running bot
    assert "📷 خبر تصویری" in capsys.readouterr().out


async def test_imported_posts_without_text_show_in_latest_with_their_mark(desk: Desk, tmp_path: Path) -> None:
    left_out = "(File not included.)"
    messages = [
        {"id": 1, "type": "message", "date_unixtime": "1700000000", "text": "", "photo": left_out},
        {"id": 2, "type": "message", "date_unixtime": "1700000100", "text": "", "file": left_out,
         "file_name": "گزارش سالانه.pdf"},
        {"id": 3, "type": "message", "date_unixtime": "1700000200", "text": "", "media_type": "sticker",
         "file": left_out},
    ]  # fmt: skip
    export = tmp_path / "result.json"
    export.write_text(json.dumps({"name": "آرشیو", "type": "public_channel", "id": 55, "messages": messages}))
    command = ["import", str(export), "--db", str(desk.settings.database_path)]
    assert await asyncio.to_thread(main, command) == 0  # beside the running bot; the sticker cleanly skipped
    before = desk.last_id(SUBSCRIBER_ID)
    desk.server.user_sends_text(SUBSCRIBER_ID, "/latest")
    latest = await desk.wait_bot_message(SUBSCRIBER_ID, after=before)
    assert "📎 گزارش سالانه.pdf" in latest.text and "📷 عکس" in latest.text, latest.text


def _entity(text: str, part: str, kind: str, **extra: str) -> dict:
    """An entity over `part` of `text` (offsets in UTF-16 units, as Telegram counts them)."""
    start = text.index(part)
    return {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(part), **extra}


LINKED = "خبر مهم\nوزیر گفت که گزارش کامل را بخوانید و نظر خود را بگویید؛ بودجه ۱۴۰۳ تصویب شد."
LINK = "https://example.com/report?id=12&lang=fa"


async def test_a_text_with_a_hidden_link_and_bold_keeps_them(desk: Desk) -> None:
    entities = [
        _entity(LINKED, "گزارش کامل", "text_link", url=LINK),
        _entity(LINKED, "بودجه ۱۴۰۳", "bold"),
        _entity(LINKED, "نظر خود", "italic"),
    ]
    article_id, shown, choose = await _preview(
        desk, lambda: desk.server.user_sends_text(EDITOR_ID, LINKED, entities=entities)
    )
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:chg")  # "what changed": words only
    changes = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert "\ue010" not in changes.text and "%3C" not in changes.text
    (post,) = await _publish(desk, article_id, choose)
    text, found = parse_html(post.html)
    assert [e["url"] for e in found if e["type"] == "text_link"] == [LINK]
    link = next(e for e in found if e["type"] == "text_link")
    assert text[link["offset"] : link["offset"] + link["length"]] == "گزارش کامل"
    assert "<b>بودجه ۱۴۰۳</b>" in post.html and "<i>نظر خود</i>" in post.html
    assert [m.html for m in shown[1:]] == [post.html]  # the preview showed the same
    article = await desk.db.get(article_id)
    assert "\ue010" not in article.body and "گزارش کامل" in article.body


async def test_a_forwarded_post_with_its_photo_and_caption_link(desk: Desk) -> None:
    holder: list[StoredMessage] = []
    entities = [_entity(LINKED, "گزارش کامل", "text_link", url=LINK)]
    article_id, _, choose = await _preview(
        desk,
        lambda: holder.append(
            desk.server.user_sends_media(
                EDITOR_ID,
                "photo",
                b"jpg",
                caption=LINKED,
                caption_entities=entities,
                forward_from=desk.server.channel,
            )
        ),
    )
    (photo,) = await _publish(desk, article_id, choose)
    assert photo.photo.file_id == holder[0].photo.file_id
    assert [e["url"] for e in photo.caption_entities if e["type"] == "text_link"] == [LINK]
    assert "گزارش کامل" in _valid_caption(photo)
