"""The Bot API test server's media methods, driven by python-telegram-bot over real HTTP.

sendPhoto/Video/Animation/Audio/Document, sendMediaGroup, editMessageCaption and editMessageMedia
with Telegram's rules: captions of at most 1,024 UTF-16 units after entity parsing, albums of 2–10
items with documents and audio only among their own kind, and only file ids the server has seen
(of the kind they are sent as) or uploads. Users send every kind, albums and forwarded media.
"""

from __future__ import annotations

import pytest
from telegram import (
    InputMediaAnimation,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    MessageOriginChannel,
)
from telegram.error import BadRequest

from bot.botapi.server import BotApiServer
from tests.botapi.fixtures import EDITOR_ID

CHANNEL = "@news_test"


def file_ids(botapi: BotApiServer, *kinds: str) -> list[str]:
    """File ids of media the editor sent (the server has seen them), one per kind."""
    return [
        botapi.user_sends_media(EDITOR_ID, kind, f"{kind}-{i}".encode()).media.file_id
        for i, kind in enumerate(kinds)
    ]


async def test_each_kind_is_sent_by_file_id_with_its_caption(tg_bot, botapi):
    photo, video, animation, audio, document = file_ids(
        botapi, "photo", "video", "animation", "audio", "document"
    )
    sent = [
        await tg_bot.send_photo(CHANNEL, photo, caption="<b>عکس</b> خبر", parse_mode="HTML"),
        await tg_bot.send_video(CHANNEL, video, caption="ویدیو"),
        await tg_bot.send_animation(CHANNEL, animation),
        await tg_bot.send_audio(CHANNEL, audio),
        await tg_bot.send_document(CHANNEL, document),
    ]
    assert sent[0].photo[-1].file_id == photo and sent[0].caption == "عکس خبر"
    assert sent[0].caption_html == "<b>عکس</b> خبر"
    assert sent[1].video.file_id == video and sent[1].caption == "ویدیو"
    assert sent[2].animation.file_id == animation and sent[2].document.file_id == animation
    assert sent[3].audio.file_id == audio and sent[4].document.file_id == document
    posts = botapi.channel_posts()
    assert [p.media_kind for p in posts] == ["photo", "video", "animation", "audio", "document"]
    assert posts[0].html == "<b>عکس</b> خبر"


async def test_unknown_or_mismatched_file_ids_are_refused(tg_bot, botapi):
    (photo,) = file_ids(botapi, "photo")
    with pytest.raises(BadRequest, match="not a known file_id"):
        await tg_bot.send_photo(CHANNEL, "AgACAgQAAxkBAAInvented")
    with pytest.raises(BadRequest, match="type of file mismatch"):
        await tg_bot.send_video(CHANNEL, photo)
    with pytest.raises(BadRequest, match="type of file mismatch"):
        await tg_bot.send_document(CHANNEL, photo)
    assert botapi.channel_posts() == []


async def test_an_upload_takes_the_kind_it_is_sent_as_and_can_be_downloaded(tg_bot, botapi):
    message = await tg_bot.send_photo(CHANNEL, b"\xff\xd8 jpeg bytes")
    file_id = message.photo[-1].file_id
    assert (await tg_bot.send_photo(CHANNEL, file_id)).photo[-1].file_id == file_id
    telegram_file = await tg_bot.get_file(file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == b"\xff\xd8 jpeg bytes"


@pytest.mark.parametrize(
    ("caption", "ok"),
    [
        ("ب" * 1024, True),
        ("ب" * 1025, False),
        ("😀" * 512, True),  # two UTF-16 units each
        ("😀" * 512 + "ب", False),
        ("<b>" + "ب" * 1024 + "</b>", True),  # counted after entity parsing
        ("&amp;" * 1024, True),
    ],
)
async def test_caption_length_is_utf16_after_parsing(tg_bot, botapi, caption, ok):
    (photo,) = file_ids(botapi, "photo")
    if ok:
        await tg_bot.send_photo(CHANNEL, photo, caption=caption, parse_mode="HTML")
    else:
        with pytest.raises(BadRequest, match="caption is too long"):
            await tg_bot.send_photo(CHANNEL, photo, caption=caption, parse_mode="HTML")


async def test_bad_caption_html_is_refused(tg_bot, botapi):
    (photo,) = file_ids(botapi, "photo")
    with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
        await tg_bot.send_photo(CHANNEL, photo, caption="<b>باز", parse_mode="HTML")


async def test_an_album_is_one_request_with_one_group_id_and_the_caption_on_its_first(tg_bot, botapi):
    ids = file_ids(botapi, "photo", "video", "photo")
    media = [InputMediaPhoto(ids[0], caption="<i>آلبوم</i>", parse_mode="HTML"), InputMediaVideo(ids[1]),
             InputMediaPhoto(ids[2])]  # fmt: skip
    sent = await tg_bot.send_media_group(CHANNEL, media)
    assert len(sent) == 3 and len({m.media_group_id for m in sent}) == 1
    assert sent[0].caption_html == "<i>آلبوم</i>" and sent[1].caption is None
    assert [m.media_kind for m in botapi.channel_posts()] == ["photo", "video", "photo"]
    assert len(botapi.calls("sendMediaGroup")) == 1


@pytest.mark.parametrize(
    ("kinds", "error"),
    [
        (["photo"], "2-10 items"),
        (["photo"] * 11, "2-10 items"),
        (["document", "photo"], "document can't be mixed"),
        (["audio", "video"], "audio can't be mixed"),
        (["animation", "photo"], "InputMediaAudio"),
    ],
)
async def test_album_rules(tg_bot, botapi, kinds, error):
    ids = file_ids(botapi, *kinds)
    types = {"photo": InputMediaPhoto, "video": InputMediaVideo, "document": InputMediaDocument,
             "audio": InputMediaAudio, "animation": InputMediaAnimation}  # fmt: skip
    media = [types[kind](file_id) for kind, file_id in zip(kinds, ids, strict=True)]
    with pytest.raises(BadRequest, match=rf"(?i){error}"):
        await tg_bot._post("sendMediaGroup", {"chat_id": CHANNEL, "media": media})
    assert botapi.channel_posts() == []


async def test_albums_of_documents_and_of_ten(tg_bot, botapi):
    documents = file_ids(botapi, "document", "document")
    assert len(await tg_bot.send_media_group(CHANNEL, [InputMediaDocument(i) for i in documents])) == 2
    photos = file_ids(botapi, *["photo"] * 10)
    assert len(await tg_bot.send_media_group(CHANNEL, [InputMediaPhoto(i) for i in photos])) == 10


async def test_caption_and_media_are_edited(tg_bot, botapi):
    photo, other, video = file_ids(botapi, "photo", "photo", "video")
    sent = await tg_bot.send_photo(CHANNEL, photo, caption="اول")
    edited = await tg_bot.edit_message_caption(
        CHANNEL, sent.message_id, caption="<b>دوم</b>", parse_mode="HTML"
    )
    assert edited.caption_html == "<b>دوم</b>"
    with pytest.raises(BadRequest, match="not modified"):
        await tg_bot.edit_message_caption(CHANNEL, sent.message_id, caption="<b>دوم</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="caption is too long"):
        await tg_bot.edit_message_caption(CHANNEL, sent.message_id, caption="ب" * 1025)
    replaced = await tg_bot.edit_message_media(
        InputMediaPhoto(other, caption="سوم"), CHANNEL, sent.message_id
    )
    assert replaced.photo[-1].file_id == other and replaced.caption == "سوم"
    stored = botapi.message(botapi.channel.id, sent.message_id)
    assert stored.media.file_id == other and len(stored.history) == 2
    text = await tg_bot.send_message(CHANNEL, "فقط متن")
    with pytest.raises(BadRequest, match="no caption"):
        await tg_bot.edit_message_caption(CHANNEL, text.message_id, caption="x")
    album = await tg_bot.send_media_group(CHANNEL, [InputMediaPhoto(photo), InputMediaVideo(video)])
    (document,) = file_ids(botapi, "document")
    with pytest.raises(BadRequest, match="media type of a part of an album"):
        await tg_bot.edit_message_media(InputMediaDocument(document), CHANNEL, album[0].message_id)
    assert (await tg_bot.edit_message_media(InputMediaVideo(video), CHANNEL, album[0].message_id)).video


async def test_users_send_every_kind_albums_and_forwarded_media(tg_bot, botapi):
    botapi.user_sends_video(
        EDITOR_ID, b"mp4", caption="ویدیو", caption_entities=[{"type": "bold", "offset": 0, "length": 5}]
    )
    botapi.user_sends_animation(EDITOR_ID, b"gif")
    botapi.user_sends_audio(EDITOR_ID, b"mp3")
    botapi.user_sends_media(EDITOR_ID, "document", b"%PDF", file_name="report.pdf")
    album = botapi.user_sends_album(
        EDITOR_ID, [("photo", b"1"), ("photo", b"2"), ("video", b"3")], caption="سه"
    )
    botapi.user_sends_media(EDITOR_ID, "photo", b"p", caption="از کانال", forward_from=botapi.channel)
    updates = await tg_bot.get_updates()
    messages = [u.message for u in updates]
    assert messages[0].video and messages[0].caption_html == "<b>ویدیو</b>"
    assert messages[1].animation and messages[2].audio and messages[3].document.file_name == "report.pdf"
    parts = messages[4:7]
    assert len({m.media_group_id for m in parts}) == 1 and parts[0].media_group_id == album[0].media_group_id
    assert [m.caption for m in parts] == ["سه", None, None]
    forwarded = messages[7]
    assert isinstance(forwarded.forward_origin, MessageOriginChannel) and forwarded.photo
    (copied,) = [await tg_bot.send_photo(CHANNEL, forwarded.photo[-1].file_id)]
    assert copied.photo[-1].file_id == forwarded.photo[-1].file_id
