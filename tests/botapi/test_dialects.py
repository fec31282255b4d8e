"""The emulator's other networks: Bale's dialect of the Bot API and the Eitaayar server (Eitaa)."""

from __future__ import annotations

import httpx
import pytest
from telegram import InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.botapi.eitaayar import EitaayarServer
from bot.botapi.server import BotApiServer
from bot.networks import CAPABILITIES, Network
from tests.botapi.fixtures import local_request

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
async def bale() -> BotApiServer:
    async with BotApiServer("7001:" + "b" * 30, network="bale", channel_username="news_bale") as server:
        yield server


@pytest.fixture
async def bale_bot(bale: BotApiServer):
    bot = ExtBot(
        bale.token, base_url=bale.base_url, base_file_url=bale.base_file_url, request=local_request()
    )
    async with bot:
        yield bot


@pytest.fixture
async def eitaa() -> EitaayarServer:
    async with EitaayarServer() as server:
        yield server


async def test_bale_takes_plain_text_and_refuses_parse_mode(bale: BotApiServer, bale_bot: ExtBot) -> None:
    assert not CAPABILITIES[
        Network.BALE
    ].html  # what the bot believes (bot/networks.py), held to the emulator
    sent = await bale_bot.send_message("@news_bale", "خبر فوری\nمتن خبر")
    assert bale.channel_posts()[-1].text == "خبر فوری\nمتن خبر" and sent.message_id > 0
    with pytest.raises(BadRequest, match=r"(?i)parse_mode is not supported"):
        await bale_bot.send_message("@news_bale", "<b>تیتر</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)parse_mode is not supported"):
        await bale_bot.send_media_group(
            "@news_bale",
            [InputMediaPhoto(PNG, caption="<b>x</b>", parse_mode=ParseMode.HTML), InputMediaPhoto(PNG)],
        )
    assert len(bale.channel_posts()) == 1


async def test_bale_edits_deletes_and_takes_uploaded_albums(bale: BotApiServer, bale_bot: ExtBot) -> None:
    bale_caps = CAPABILITIES[Network.BALE]
    assert bale_caps.albums and bale_caps.edit and bale_caps.delete
    album = await bale_bot.send_media_group(
        "@news_bale", [InputMediaPhoto(PNG, caption="آلبوم"), InputMediaPhoto(PNG)]
    )
    assert [m.message_id for m in album] == [p.message_id for p in bale.channel_posts()]
    await bale_bot.edit_message_caption("@news_bale", album[0].message_id, caption="آلبوم اصلاح‌شده")
    assert bale.channel_posts()[0].caption == "آلبوم اصلاح‌شده"
    await bale_bot.delete_message("@news_bale", album[1].message_id)
    assert len(bale.channel_posts()) == 1


async def test_a_telegram_file_id_means_nothing_on_bale(bale_bot: ExtBot) -> None:
    assert not CAPABILITIES[Network.BALE].own_file_ids
    telegram = BotApiServer()
    known = telegram.add_file("photo", PNG, "a.png")  # a file id of the Telegram world
    with pytest.raises(BadRequest):
        await bale_bot.send_photo("@news_bale", known.file_id)


async def test_bale_has_no_inline_mode(bale: BotApiServer) -> None:
    assert not CAPABILITIES[Network.BALE].inline
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{bale.base_url}{bale.token}/answerInlineQuery", json={"inline_query_id": "1", "results": []}
        )
        telegram_only = await client.post(
            f"{bale.base_url}{bale.token}/setMyCommands",
            json={"commands": [{"command": "search", "description": "x"}], "scope": {"type": "default"}},
        )
    assert answer.status_code == 404 and answer.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found",
    }
    assert telegram_only.status_code == 400


async def test_eitaayar_sends_messages_and_files(eitaa: EitaayarServer) -> None:
    api = f"{eitaa.base_url}/{eitaa.token}"
    async with httpx.AsyncClient() as client:
        me = (await client.get(f"{api}/getMe")).json()
        text = await client.post(
            f"{api}/sendMessage",
            data={
                "chat_id": "news_eitaa",
                "text": "خبر",
                "title": "تیتر",
                "pin": "1",
                "viewCountForDelete": "50",
            },
        )
        file = await client.post(
            f"{api}/sendFile",
            data={
                "chat_id": "7000001",
                "caption": "عکس خبر",
                "reply_to_message_id": "1",
                "date": "1900000000",
            },
            files={"file": ("a.png", PNG, "image/png")},
        )
    assert me["ok"] and me["result"]["is_bot"]
    assert (
        text.json()["result"]["text"] == "خبر" and text.json()["result"]["chat"]["username"] == "news_eitaa"
    )
    assert file.json()["result"]["caption"] == "عکس خبر"
    first, second = eitaa.posts()
    assert (first.text, first.title, first.pin, first.view_count_for_delete) == ("خبر", "تیتر", True, 50)
    assert (second.file_name, second.content, second.reply_to) == ("a.png", PNG, first.message_id)
    assert (first.scheduled_for, second.scheduled_for) == (None, 1_900_000_000)  # Eitaayar's own schedule


async def test_eitaayar_refusals_and_faults(eitaa: EitaayarServer) -> None:
    eitaa_caps = CAPABILITIES[Network.EITAA]
    assert not (eitaa_caps.edit or eitaa_caps.delete or eitaa_caps.albums or eitaa_caps.html)
    api = f"{eitaa.base_url}/{eitaa.token}"
    async with httpx.AsyncClient() as client:
        wrong_token = await client.post(
            f"{eitaa.base_url}/nope/sendMessage", data={"chat_id": "news_eitaa", "text": "x"}
        )
        unknown_chat = await client.post(f"{api}/sendMessage", data={"chat_id": "elsewhere", "text": "x"})
        no_file = await client.post(f"{api}/sendFile", data={"chat_id": "news_eitaa"})
        no_edit = await client.post(f"{api}/editMessageText", data={"chat_id": "news_eitaa", "text": "x"})
        eitaa.inject_fault("server_error", status=502, apply=True)
        lost = await client.post(f"{api}/sendMessage", data={"chat_id": "news_eitaa", "text": "رسید"})
        eitaa.inject_fault("disconnect")
        with pytest.raises(httpx.HTTPError):
            await client.post(f"{api}/sendMessage", data={"chat_id": "news_eitaa", "text": "نرسید"})
    assert [r.status_code for r in (wrong_token, unknown_chat, no_file, no_edit, lost)] == [
        401,
        400,
        400,
        404,
        502,
    ]
    assert unknown_chat.json() == {"ok": False, "error_code": 400, "description": "chat not found"}
    assert [p.text for p in eitaa.posts()] == ["رسید"]  # the 502 came after the post; the drop before
    assert [c.status for c in eitaa.calls("sendMessage")][-2:] == [502, 0]
