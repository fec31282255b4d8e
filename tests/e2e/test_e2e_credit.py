"""End to end, the source credit of forwarded posts (issue 11, SOURCE_CREDIT): for each setting and
each kind of forward origin (a public channel's post, a private channel's, a group's, a user's, a
hidden user's), with and without media, the post reaches the channel with the credit line after its
text and before the signature — the title escaped, linked to the original post where the setting and
the channel allow — valid HTML within Telegram's limits, exactly as previewed. Our own channel and
our editors are never credited, and edits and corrections keep the credit."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot import messages as msg
from bot.botapi.html_check import MAX_CAPTION_UTF16, MAX_TEXT_UTF16, parse_html
from bot.botapi.server import BotApiServer
from bot.botapi.world import Chat, StoredMessage
from bot.core.source import CreditMode
from bot.text.limits import utf16_len
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import _choose_message, recorded_notice
from tests.e2e.test_e2e_media import LONG_TEXT, _preview, _publish, _same_as_preview

TEXT = "خبر فوری\nوزیر امروز از نمایشگاه کتاب تهران بازدید کرد و دربارهٔ بازار نشر سخن گفت."
SIGNATURE = "🆔 @news_test"
PUBLIC = Chat(-1007770001, "channel", title="خبرگزاری <دیگر> & شرکا", username="other_news")
PRIVATE = Chat(-1007770002, "channel", title="کانال خصوصی")
GROUP = Chat(-1007770003, "supergroup", title="گروه خبری")
HIDDEN = "خبرنگار ناشناس"
POST_ID = 42
CORRESPONDENT_ID = 5005


def _origins(server: BotApiServer) -> dict[str, tuple[object, str, str | None]]:
    """Each origin kind: what the editor forwards from, the name credited, the link (public only)."""
    user = server.add_user(CORRESPONDENT_ID, "علی رضایی", "fa")
    return {
        "public channel": (PUBLIC, PUBLIC.title, f"https://t.me/other_news/{POST_ID}"),
        "private channel": (PRIVATE, PRIVATE.title, None),
        "group": (GROUP, GROUP.title, None),
        "user": (user, "علی رضایی", None),
        "hidden user": (HIDDEN, HIDDEN, None),
    }


def _forward(desk: Desk, source: object, *, photo: bool, text: str = TEXT) -> list[StoredMessage]:
    """The editor forwards a text (or a photo with it as caption) from `source`."""
    server = desk.server
    if photo:
        return [server.user_sends_media(EDITOR_ID, "photo", b"jpg", caption=text or None,
                                        forward_from=source, forward_message_id=POST_ID)]  # fmt: skip
    if isinstance(source, Chat):
        return [server.user_forwards(EDITOR_ID, text, from_channel=source, message_id=POST_ID)]
    if isinstance(source, str):
        return [server.user_forwards(EDITOR_ID, text, sender_name=source)]
    return [server.user_forwards(EDITOR_ID, text, sender=source)]  # type: ignore[arg-type]


def _expected(mode: CreditMode, name: str, link: str | None) -> str:
    """The credit as the channel's HTML must carry it ('' for none)."""
    if mode is CreditMode.OFF:
        return ""
    shown = html.escape(name, quote=False)
    return f'منبع: <a href="{link}">{shown}</a>' if mode is CreditMode.LINK and link else f"منبع: {shown}"


def _checked(posted: list[StoredMessage]) -> list[tuple[str, list[dict]]]:
    """Each channel message's plain text and entities: valid HTML within its limit."""
    out = []
    for message in posted:
        text, entities = parse_html(message.html or "")
        limit = MAX_CAPTION_UTF16 if message.media is not None else MAX_TEXT_UTF16
        assert utf16_len(text) <= limit
        out.append((text, entities))
    return out


async def _forward_and_publish(desk: Desk, source: object, *, photo: bool, text: str = TEXT):
    holder: list[list[StoredMessage]] = []
    article_id, shown, choose = await _preview(
        desk, lambda: holder.append(_forward(desk, source, photo=photo, text=text))
    )
    posted = await _publish(desk, article_id, choose)
    _same_as_preview(shown, posted)  # the preview showed the credit as it went out
    return article_id, holder[0], posted


@pytest.mark.parametrize("mode", list(CreditMode))
async def test_each_origin_with_and_without_media_is_credited_as_set(
    botapi: BotApiServer, tmp_path: Path, mode: CreditMode
) -> None:
    # The same text is published once per origin: DUPLICATE_DAYS=0, or the duplicate guard asks each time.
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", source_credit=mode, duplicate_days=0
    ) as desk:
        for kind, (source, name, link) in _origins(botapi).items():
            for photo in (False, True):
                _, sent, posted = await _forward_and_publish(desk, source, photo=photo)
                (post,) = posted
                credit = _expected(mode, name, link)
                ending = f"{credit}\n\n{SIGNATURE}" if credit else SIGNATURE
                assert post.html.endswith(f"سخن گفت.\n\n{ending}"), (kind, photo, post.html)
                ((text, entities),) = _checked(posted)
                links = [e["url"] for e in entities if e["type"] == "text_link"]
                assert links == ([link] if credit and link and mode is CreditMode.LINK else []), (kind, links)
                if credit:
                    assert f"منبع: {name}\n\n{SIGNATURE}" in text  # the name exactly, not cleaned up
                if photo:
                    assert post.photo.file_id == sent[0].photo.file_id


async def test_we_never_credit_ourselves(botapi: BotApiServer, tmp_path: Path) -> None:
    # SOURCE_CREDIT=link, the default; DUPLICATE_DAYS=0: the same text is published from each source.
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3", duplicate_days=0) as desk:
        assert desk.settings.source_credit is CreditMode.LINK
        editor = botapi.user(EDITOR_ID)
        for source in (botapi.channel, editor):  # our channel forwarded back; an editor's own message
            for photo in (False, True):
                _, _, posted = await _forward_and_publish(desk, source, photo=photo)
                assert "منبع" not in posted[-1].html and posted[-1].html.endswith(f"سخن گفت.\n\n{SIGNATURE}")


async def test_media_alone_a_long_text_and_an_album_carry_the_credit_at_their_end(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    credit = _expected(CreditMode.LINK, PUBLIC.title, f"https://t.me/other_news/{POST_ID}")
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as desk:
        # A channel's photo without a caption: the credit and the signature are its caption.
        holder: list[StoredMessage] = []

        def bare_photo() -> None:
            sent = botapi.user_sends_media(
                EDITOR_ID, "photo", b"jpg", forward_from=PUBLIC, forward_message_id=POST_ID
            )
            holder.append(sent)

        article_id, shown, choose = await _preview(desk, bare_photo)
        (photo,) = await _publish(desk, article_id, choose)
        assert photo.html == f"{credit}\n\n{SIGNATURE}" and photo.photo.file_id == holder[0].photo.file_id
        _same_as_preview(shown, [photo])
        # A long text: the credit ends the last message, with the signature; nothing over 4,096.
        longer = "\n".join([LONG_TEXT] * 4)  # over 4,096: two messages
        _, _, posted = await _forward_and_publish(desk, PUBLIC, photo=False, text=longer)
        assert len(posted) > 1 and all("منبع" not in m.html for m in posted[:-1])
        assert posted[-1].html.endswith(f"\n\n{credit}\n\n{SIGNATURE}")
        _checked(posted)
        # A text that fits a caption alone but not with the credit: the photo goes first, then the text.
        near = "عنوان\n" + "ب" * 990  # 1,012 units with the signature, 1,042 with the credit
        _, _, (alone,) = await _forward_and_publish(desk, botapi.channel, photo=True, text=near)
        assert alone.caption is not None  # uncredited (our own channel), it is the photo's caption
        _, _, posted = await _forward_and_publish(desk, PUBLIC, photo=True, text=near)
        assert posted[0].caption is None and posted[1].html.endswith(f"{credit}\n\n{SIGNATURE}")
        _checked(posted)
        # An album forwarded from the channel: the credit on the first item's caption.
        holder_album: list[list[StoredMessage]] = []
        items = [("photo", b"a"), ("video", b"b"), ("photo", b"c")]
        article_id, shown, choose = await _preview(
            desk, lambda: holder_album.append(botapi.user_sends_album(EDITOR_ID, items, caption=TEXT,
                                                                      forward_from=PUBLIC,
                                                                      forward_message_id=POST_ID))
        )  # fmt: skip
        posted = await _publish(desk, article_id, choose)
        assert posted[0].html.endswith(f"{credit}\n\n{SIGNATURE}") and all(
            m.caption is None for m in posted[1:]
        )
        _checked(posted)
        _same_as_preview(shown, posted)


async def test_edits_and_corrections_keep_the_credit(botapi: BotApiServer, tmp_path: Path) -> None:
    credit = _expected(CreditMode.LINK, PUBLIC.title, f"https://t.me/other_news/{POST_ID}")
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3", search_in="process") as desk:
        article_id, _, choose = await _preview(desk, lambda: _forward(desk, PUBLIC, photo=True))
        # ✏️ edit, then a new text: the preview still credits the channel.
        before = desk.last_id(EDITOR_ID)
        botapi.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:edit")
        await desk.wait_bot_message(EDITOR_ID, lambda m: "اصلاح" in (m.text or ""), after=before)
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says("خبر اصلاح‌شده\nوزیر فرهنگ امروز از نمایشگاه کتاب بازدید کرد.")
        choose = await _choose_message(desk, before)
        assert int(choose.buttons[0]["callback_data"].split(":")[1]) == article_id
        shown = [m for m in botapi.bot_messages(EDITOR_ID) if before < m.message_id < choose.message_id]
        assert shown[1].html.endswith(f"بازدید کرد.\n\n{credit}\n\n{SIGNATURE}")
        (photo,) = await _publish(desk, article_id, choose)
        assert photo.html == shown[1].html
        # A correction by reply to the "published" notice: the caption is edited, the credit stays.
        notice = await recorded_notice(desk, article_id)
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says(
            "خبر اصلاحی\nوزیر فرهنگ و ارشاد امروز از نمایشگاه کتاب بازدید کرد.", reply_to=notice
        )
        await desk.confirm_correction(EDITOR_ID, article_id, after=before)
        now = botapi.message(photo.chat.id, photo.message_id)
        assert now.history and now.html.endswith(f"بازدید کرد.\n\n{credit}\n\n{SIGNATURE}")
        assert "و ارشاد" in now.caption
        # The archive keeps the credit's name with the post, so it is found by it.
        assert article_id in [hit.article_id for hit in (await desk.db.search("شرکا")).hits]


async def test_a_short_forward_made_a_draft_on_the_button_keeps_its_credit(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as desk:
        before = desk.last_id(EDITOR_ID)
        botapi.user_forwards(EDITOR_ID, "زلزله در تهران", from_channel=PUBLIC, message_id=POST_ID)  # 3 words
        ask = await desk.wait_bot_message(EDITOR_ID, lambda m: bool(m.buttons), after=before)
        before = desk.last_id(EDITOR_ID)
        botapi.user_presses_button(EDITOR_ID, ask, msg.text("btn_make_draft", msg.FA))
        choose = await _choose_message(desk, before)
        shown = [m for m in botapi.bot_messages(EDITOR_ID) if before < m.message_id < choose.message_id]
        credit = _expected(CreditMode.LINK, PUBLIC.title, f"https://t.me/other_news/{POST_ID}")
        assert shown[-1].html == f"<b>زلزله در تهران</b>\n\n{credit}\n\n{SIGNATURE}"


async def test_a_forwarded_text_for_a_waiting_photo_credits_its_channel(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    credit = _expected(CreditMode.LINK, PUBLIC.title, f"https://t.me/other_news/{POST_ID}")
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as desk:
        holder: list[StoredMessage] = []
        article_id, _, _ = await _preview(
            desk, lambda: holder.append(botapi.user_sends_photo(EDITOR_ID, b"jpeg", width=8, height=6))
        )  # the editor's own photo, without text: the desk waits for it
        before = desk.last_id(EDITOR_ID)
        _forward(desk, PUBLIC, photo=False)  # its text, forwarded from another channel
        choose = await _choose_message(desk, before)
        assert int(choose.buttons[0]["callback_data"].split(":")[1]) == article_id
        (photo,) = await _publish(desk, article_id, choose)
        assert photo.photo.file_id == holder[0].photo.file_id
        assert photo.html.endswith(f"سخن گفت.\n\n{credit}\n\n{SIGNATURE}")


async def test_a_forward_carrying_the_desks_markers_plants_no_link(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    # The probe's case: a forwarded post whose text, hidden link and channel title hold the desk's
    # private-use formatting markers, written as a phishing link; they must stay inert characters.
    bait = "\ue010%3Ca%20href%3D%22https%3A%2F%2Fphish.example%2Flogin%22%3E\ue011"
    source = Chat(-1007770009, "channel", title=f"کانال{bait}", username="other_news")
    text = f"خبر فوری\n{bait}برای دیدن خبر اینجا بزنید\ue010%3C%2Fa%3E\ue011 و متن."
    link = {"type": "text_link", "offset": 9, "length": 5, "url": f"https://example.com/{bait}"}
    entities = [{"type": "bold", "offset": 0, "length": 4}, link]
    async with running_desk(botapi, tmp_path / "newsdesk.sqlite3") as desk:
        server = desk.server
        article_id, shown, choose = await _preview(
            desk, lambda: server.user_forwards(EDITOR_ID, text, entities=entities, from_channel=source)
        )
        posted = await _publish(desk, article_id, choose)
    for _, found in _checked(posted) + _checked(shown):
        hosts = {urlsplit(e["url"]).hostname for e in found if "url" in e}
        assert hosts <= {"example.com", "t.me"}, found
    assert not any("\ue010" in (m.html or "") for m in [*posted, *shown])
