"""End to end: one desk, every channel (issue 21). The bot publishes to its Telegram channel and copies
each post to a second Telegram channel, a Bale channel (the emulator's Bale dialect) and an Eitaa
channel (the Eitaayar emulator), each over real HTTP, each copy recorded as it goes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import messages as msg
from bot.botapi.eitaayar import EitaayarServer
from bot.botapi.server import BotApiServer
from bot.core.history import Act, Writes
from bot.publishing.retry import RetryPolicy
from bot.sandbox.clock import TimeMachine
from bot.text.plain import plain_text
from tests.botapi.fixtures import EDITOR_ID, assert_no_server_errors
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import _with_button, send_draft, wait_status

DRAFT = "نشست شورای شهر\n\nشورای شهر امروز درباره بودجه سال آینده گفتگو کرد و <تصمیم> گرفت.\n\n🆔 @news_test"
QUICK = RetryPolicy(backoff_seconds=0.01, max_attempts=2)
SPORT_ID = -1002000000002
PNG = b"\x89PNG\r\n\x1a\n" + b"\1" * 80
PNG2 = b"\x89PNG\r\n\x1a\n" + b"\2" * 80


@pytest.fixture
def bale() -> Iterator[BotApiServer]:
    with BotApiServer("7001:" + "b" * 30, network="bale", channel_username="news_bale") as server:
        yield server
    assert_no_server_errors(server)


@pytest.fixture
def eitaa() -> Iterator[EitaayarServer]:
    with EitaayarServer() as server:
        yield server


@asynccontextmanager
async def every_channel(
    botapi: BotApiServer, bale: BotApiServer, eitaa: EitaayarServer, tmp_path: Path
) -> AsyncIterator[Desk]:
    """The bot with its channel, a second Telegram channel, Bale and Eitaa (started again on the same
    database by a second call)."""
    botapi.add_channel(SPORT_ID, "news_sport", "ورزشی")
    listed = tmp_path / "destinations.toml"
    listed.write_text(
        '[[destination]]\nkey = "sport"\nnetwork = "telegram"\nchat_id = "@news_sport"\n'
        'signature = "🆔 @news_sport"\nfooter = "#ورزش #خبر"\n',
        encoding="utf-8",
    )
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", retry=QUICK, destinations_file=listed,
        bale_token=bale.token, bale_channel_id="@news_bale", bale_api_url=bale.base_url,
        eitaa_token=eitaa.token, eitaa_channel_id="news_eitaa", eitaa_api_url=eitaa.base_url,
    ) as running:  # fmt: skip
        yield running


@pytest.fixture
async def desk(botapi: BotApiServer, bale: BotApiServer, eitaa: EitaayarServer, tmp_path: Path):
    async with every_channel(botapi, bale, eitaa, tmp_path) as running:
        yield running


async def publish_now(desk: Desk, article_id: int, choose) -> object:
    """Press «publish now» and wait for the "published" notice (sent once every copy went or failed)."""
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:now")
    await wait_status(desk, article_id, "published")
    head = msg.text("copies_head", msg.FA)
    return await desk.wait_bot_message(EDITOR_ID, lambda m: head in (m.text or ""), after=before)


async def test_one_draft_reaches_every_destination(
    desk: Desk, bale: BotApiServer, eitaa: EitaayarServer
) -> None:
    article_id, previews, choose = await send_draft(desk, DRAFT)
    # The preview says where else the post goes, and how each copy differs there.
    assert "@news_sport (telegram)\n" in choose.text and "@news_bale (bale) — متن ساده\n" in choose.text
    assert "news_eitaa (eitaa) — متن ساده — اصلاح: یادداشت اصلاحیه؛ حذف: نسخه می‌ماند" in choose.text
    notice = await publish_now(desk, article_id, choose)

    (primary,) = desk.server.channel_posts()
    assert [primary.html] == previews  # the primary exactly as previewed
    (sport,) = desk.server.bot_messages(SPORT_ID)
    sport_html = previews[0].replace("🆔 @news_test", "🆔 @news_sport") + "\n#ورزش #خبر"
    assert sport.html == sport_html  # its own signature and hashtags
    (on_bale,) = bale.channel_posts()
    assert on_bale.text == plain_text(previews[0]) and on_bale.parse_mode is None  # Bale: no HTML
    assert "<تصمیم>" in on_bale.text
    (on_eitaa,) = eitaa.posts()
    assert on_eitaa.text == plain_text(previews[0])

    for url in (
        f"https://t.me/news_test/{primary.message_id}",
        f"https://t.me/news_sport/{sport.message_id}",
        f"https://ble.ir/news_bale/{on_bale.message_id}",
        f"https://eitaa.com/news_eitaa/{on_eitaa.message_id}",
    ):
        assert url in notice.html
    assert not any(
        b.get("callback_data", "").startswith("p:" + str(article_id) + ":cp") for b in notice.buttons
    )
    rows = await desk.db.copy_rows(article_id)
    assert {(r.destination, r.state) for r in rows} == {
        ("sport", "sent"),
        ("bale", "sent"),
        ("eitaa", "sent"),
    }
    # Every copy is in the post's history beside the publication, with the messages it sent.
    entries = await desk.db.history_of(article_id)
    assert entries[0].act is Act.PUBLISHED and entries[0].writes.sent == [primary.message_id]
    copied = {e.destination: e.writes.sent for e in entries if e.act is Act.COPIED}
    assert copied == {
        "@news_sport (telegram)": [sport.message_id],
        "@news_bale (bale)": [on_bale.message_id],
        "news_eitaa (eitaa)": [on_eitaa.message_id],
    }
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says(f"/history {article_id}")
    shown = await desk.wait_bot_message(EDITOR_ID, after=before)
    assert msg.text("history_copied", msg.FA, destination="@news_bale (bale)", sent=1) in shown.text


async def test_a_photo_album_reaches_bale_and_eitaa_as_uploads(
    desk: Desk, bale: BotApiServer, eitaa: EitaayarServer
) -> None:
    before = desk.last_id(EDITOR_ID)
    desk.server.user_sends_album(EDITOR_ID, [("photo", PNG), ("photo", PNG2)], caption=DRAFT)
    choose = await desk.wait_bot_message(
        EDITOR_ID, lambda m: any(b.get("callback_data", "").endswith(":now") for b in m.buttons), after=before
    )
    article_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    await publish_now(desk, article_id, choose)

    album = bale.channel_posts()
    assert [m.photo.content for m in album] == [PNG, PNG2]  # uploaded: Telegram's file ids mean nothing there
    assert album[0].caption == plain_text(desk.server.channel_posts()[0].html or "") or album[0].caption
    assert [m.media_group_id is not None for m in album] == [True, True]
    first, second = eitaa.posts()  # Eitaa has no albums: one file a request, the caption on the first
    assert (first.content, second.content) == (PNG, PNG2)
    assert first.caption and "شورای شهر" in first.caption and second.caption is None
    assert len(desk.server.bot_messages(SPORT_ID)) == 2  # the same bot: the album by its file ids


async def test_a_bale_outage_leaves_the_others_published_then_retry_completes(
    desk: Desk, bale: BotApiServer, eitaa: EitaayarServer
) -> None:
    bale.stop()  # Bale unreachable: the connection is refused
    article_id, _, choose = await send_draft(desk, DRAFT)
    notice = await publish_now(desk, article_id, choose)
    assert len(desk.server.channel_posts()) == 1 and len(eitaa.posts()) == 1
    assert len(desk.server.bot_messages(SPORT_ID)) == 1
    assert "❌ @news_bale (bale)" in notice.text  # the editor is told which copy failed
    retry = f"p:{article_id}:cpr"
    assert any(b.get("callback_data") == retry for b in notice.buttons)

    bale.start()
    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, notice, retry)
    answer = await desk.wait_bot_message(
        EDITOR_ID, lambda m: "✅ @news_bale (bale)" in (m.text or ""), after=before - 1
    )
    assert len(bale.channel_posts()) == 1 and "https://ble.ir/news_bale/" in answer.html
    assert len(eitaa.posts()) == 1 and len(desk.server.channel_posts()) == 1  # nothing else twice
    copies = [e for e in await desk.db.history_of(article_id) if e.act is Act.COPIED]
    assert [(e.destination, e.editor_id) for e in copies][-1] == ("@news_bale (bale)", EDITOR_ID)  # the retry
    assert "@news_bale (bale)" not in [e.destination for e in copies[:-1]]  # the refused try wrote nothing
    assert not desk.server.message(EDITOR_ID, notice.message_id).buttons  # the notice now says all went
    again = desk.server.user_sends_callback(EDITOR_ID, retry, notice)  # a tap of an older copy of it
    await desk.server.wait_for(lambda: again.answer is not None)
    assert len(bale.channel_posts()) == 1


async def test_two_copies_in_doubt_are_vouched_for_one_channel_at_a_time(
    desk: Desk, bale: BotApiServer, eitaa: EitaayarServer
) -> None:
    """Bale and Eitaa both take the copy but answer 502: each copy is in doubt, with a ✅ of its own. The
    editor looks in Bale and presses its ✅: Eitaa's copy stays asked, not vouched for unseen."""
    bale.inject_fault("server_error", times=20, status=502, apply=True)
    eitaa.inject_fault("server_error", times=20, status=502, apply=True)
    article_id, _, choose = await send_draft(desk, DRAFT)
    notice = await publish_now(desk, article_id, choose)
    assert notice.text.count("❔") == 2  # a line for each copy in doubt
    there = {b.get("callback_data") for b in notice.buttons if b.get("callback_data", "").count(":cpt")}
    assert there == {f"p:{article_id}:cpt:bale", f"p:{article_id}:cpt:eitaa"}

    before = desk.last_id(EDITOR_ID)
    desk.server.user_presses_button(EDITOR_ID, notice, f"p:{article_id}:cpt:bale")
    answer = await desk.wait_bot_message(
        EDITOR_ID, lambda m: "✅ @news_bale (bale)" in (m.text or ""), after=before - 1
    )
    assert "❔" in answer.text  # Eitaa's copy is still in doubt
    left = {b.get("callback_data") for b in answer.buttons if b.get("callback_data", "").count(":cpt")}
    assert left == {f"p:{article_id}:cpt:eitaa"}
    states = {(r.destination, r.state) for r in await desk.db.copy_rows(article_id)}
    assert ("bale", "sent") in states and ("eitaa", "uncertain") in states
    assert len(bale.channel_posts()) == 1 and len(eitaa.posts()) == 1  # nothing sent twice


@pytest.mark.parametrize("eitaa_deletion", ["notice", "editor"])
async def test_a_correction_and_a_deletion_follow_in_every_copy(
    botapi: BotApiServer, bale: BotApiServer, eitaa: EitaayarServer, tmp_path: Path, eitaa_deletion: str
) -> None:
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", retry=QUICK, eitaa_deletion=eitaa_deletion,
        bale_token=bale.token, bale_channel_id="@news_bale", bale_api_url=bale.base_url,
        eitaa_token=eitaa.token, eitaa_channel_id="news_eitaa", eitaa_api_url=eitaa.base_url,
    ) as desk:  # fmt: skip
        article_id, _, choose = await send_draft(desk, "خبر نخست\nجلسه شورای شهر درباره بودجه برگزار شد.")
        notice = await publish_now(desk, article_id, choose)
        (on_bale,), (on_eitaa,) = bale.channel_posts(), eitaa.posts()

        before = desk.last_id(EDITOR_ID)
        bale_name, eitaa_name = "@news_bale (bale)", "news_eitaa (eitaa)"
        await desk.editor_says("خبر اصلاحی\nجلسه شورای شهر درباره پارک‌ها برگزار شد.", reply_to=notice)
        # The question says, before ✅, what the correction also writes to each copy: nothing yet.
        ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
        note_head = msg.text("copy_correction_note", msg.FA, text="").strip()
        assert msg.text("follow_edit", msg.FA, name=bale_name) in ask.text
        assert msg.text("follow_note", msg.FA, name=eitaa_name, note=note_head) in ask.text
        assert len(eitaa.posts()) == 1 and not bale.message(bale.channel.id, on_bale.message_id).history
        await desk.confirm_correction(EDITOR_ID, article_id, after=before)
        told = await desk.wait_bot_message(
            EDITOR_ID, lambda m: "✏️ @news_bale (bale)" in (m.text or ""), after=ask.message_id
        )
        corrected = bale.message(bale.channel.id, on_bale.message_id)
        assert corrected.history and "پارک‌ها" in corrected.text and len(bale.channel_posts()) == 1  # in place
        assert "📝 news_eitaa (eitaa)" in told.text
        _, note = eitaa.posts()  # Eitaa edits nothing: a correction note in reply to the copy
        assert note.reply_to == on_eitaa.message_id and "اصلاحیه" in note.text and "پارک‌ها" in note.text

        before = desk.last_id(EDITOR_ID)
        await desk.editor_says("/delete", reply_to=notice)
        ask = await desk.wait_bot_message(EDITOR_ID, after=before)
        assert msg.text("follow_delete", msg.FA, name=bale_name) in ask.text
        if eitaa_deletion == "notice":
            notice_words = msg.text("copy_deletion_note", msg.FA)
            expected = msg.text("follow_note_deletion", msg.FA, name=eitaa_name, note=notice_words)
        else:
            expected = msg.text("follow_left", msg.FA, name=eitaa_name)
        assert expected in ask.text and bale.channel_posts()  # said, nothing deleted yet
        desk.server.user_presses_button(EDITOR_ID, ask, f"p:{article_id}:rmy")
        told = await desk.wait_bot_message(
            EDITOR_ID, lambda m: "🗑 @news_bale (bale)" in (m.text or ""), after=ask.message_id
        )
        assert not desk.server.channel_posts() and not bale.channel_posts()
        if eitaa_deletion == "notice":
            assert "📝 news_eitaa (eitaa)" in told.text
            assert eitaa.posts()[-1].reply_to == on_eitaa.message_id and "حذف" in eitaa.posts()[-1].text
        else:
            assert "⚠️ news_eitaa (eitaa)" in told.text and len(eitaa.posts()) == 2  # only the editor is told
        # Each copy's correction and deletion is in the post's history, by the editor, with its writes.
        entries = [
            (e.act, e.destination, e.editor_id, e.writes) for e in await desk.db.history_of(article_id)
        ]
        assert (Act.CORRECTED, bale_name, EDITOR_ID, Writes(edited=[on_bale.message_id])) in entries
        assert (Act.CORRECTED, eitaa_name, EDITOR_ID, Writes(sent=[note.message_id])) in entries
        assert (Act.DELETED, bale_name, EDITOR_ID, Writes(deleted=[on_bale.message_id])) in entries
        eitaa_notes = [w.sent for act, where, _, w in entries if act is Act.DELETED and where == eitaa_name]
        assert eitaa_notes == ([[eitaa.posts()[-1].message_id]] if eitaa_deletion == "notice" else [])


async def test_a_bale_subscriber_finds_the_post_and_its_bale_copy(
    desk: Desk, bale: BotApiServer, eitaa: EitaayarServer
) -> None:
    article_id, _, choose = await send_draft(desk, DRAFT)
    await publish_now(desk, article_id, choose)
    (on_bale,) = bale.channel_posts()
    reader = bale.add_user(9009, "خوانندهٔ بله", "fa")
    asked = bale.user_sends_text(reader.id, "/search بودجه")
    answer = await bale.wait_for_bot_message(reader.id, after=asked, timeout=15)
    assert "نشست شورای شهر" in answer.text and answer.parse_mode is None  # plain text: Bale has no HTML
    assert f"https://ble.ir/news_bale/{on_bale.message_id}" in answer.text  # the reader's own network
    assert "t.me/" not in answer.text
    latest = bale.user_sends_text(reader.id, "/latest")
    answer = await bale.wait_for_bot_message(reader.id, after=latest, timeout=15)
    assert f"https://ble.ir/news_bale/{on_bale.message_id}" in answer.text
    assert not bale.calls("answerInlineQuery")


async def test_the_queue_says_where_the_posts_go(desk: Desk) -> None:
    article_id, _, choose = await send_draft(desk, DRAFT)
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:slot")
    await wait_status(desk, article_id, "scheduled")
    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/queue")
    listing = await desk.wait_bot_message(EDITOR_ID, lambda m: "📤" in (m.text or ""), after=before)
    assert all(name in listing.text for name in ("@news_sport (telegram)", "@news_bale (bale)", "news_eitaa"))


# — where a post goes, chosen under its preview (slice 4) —


def _button_labels(message) -> dict[str, str]:
    return {b["callback_data"]: b["text"] for b in message.buttons}


async def _toggle(desk: Desk, choose, article_id: int, key: str, now_reads: str) -> object:
    """Press a destination's toggle under the choices; the choices once they read `now_reads`."""
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:to:{key}")
    return await desk.server.wait_for(
        lambda: (m := desk.server.message(EDITOR_ID, choose.message_id)) and now_reads in (m.text or "") and m
    )


async def test_eitaa_turned_off_in_the_preview_gets_no_copy_the_others_do(
    desk: Desk, bale: BotApiServer, eitaa: EitaayarServer
) -> None:
    article_id, previews, choose = await send_draft(desk, DRAFT)
    assert "✅ @news_test — کانال اصلی" in choose.text  # where it goes, each destination by default on
    for name in ("@news_sport (telegram)", "@news_bale (bale)", "news_eitaa (eitaa)"):
        assert f"✅ {name}" in choose.text
    assert "news_eitaa (eitaa) — متن ساده — اصلاح: یادداشت اصلاحیه" in choose.text  # how it differs there
    toggles = {f"p:{article_id}:to:{key}" for key in ("sport", "bale", "eitaa")}
    assert toggles <= set(_button_labels(choose))
    assert _button_labels(choose)[f"p:{article_id}:to:eitaa"] == "✅ news_eitaa (eitaa)"

    shown = await _toggle(desk, choose, article_id, "eitaa", "⬜ news_eitaa (eitaa)")
    assert _button_labels(shown)[f"p:{article_id}:to:eitaa"] == "⬜ news_eitaa (eitaa)"
    assert f"p:{article_id}:now" in _button_labels(shown)  # the other choices stay
    going = [line for line in shown.text.splitlines() if line.startswith("✅ ")]
    notice = await publish_now(desk, article_id, shown)

    (primary,) = desk.server.channel_posts()
    assert [primary.html] == previews
    assert len(desk.server.bot_messages(SPORT_ID)) == 1 and len(bale.channel_posts()) == 1
    assert eitaa.posts() == []  # turned off: no copy
    rows = await desk.db.copy_rows(article_id)
    assert {r.destination for r in rows} == {"sport", "bale"}
    # Exactly as previewed: the preview's ✅ mirrors are the notice's copies.
    copies = notice.text.split(msg.text("copies_head", msg.FA))[1].strip().splitlines()
    sent = [line.split(" — ")[0] for line in copies]
    assert sent == [line.split(" — ")[0] for line in going[1:]]
    assert "eitaa" not in notice.text

    # The post is out: an old copy of its toggles alerts and leaves the message as it was.
    seen = desk.server.message(EDITOR_ID, choose.message_id)
    record = desk.server.user_sends_callback(EDITOR_ID, f"p:{article_id}:to:eitaa", choose)
    await desk.server.wait_for(lambda: record.answer is not None)
    assert record.answer.get("show_alert") and msg.fa_digits(str(article_id)) in record.answer["text"]
    after = desk.server.message(EDITOR_ID, choose.message_id)
    assert (after.text, after.buttons, len(after.history)) == (seen.text, seen.buttons, len(seen.history))
    assert eitaa.posts() == [] and (await desk.db.destination_choices([article_id]))[article_id] == {
        "eitaa": False
    }


async def test_queue_says_where_each_post_goes(desk: Desk) -> None:
    first, _, choose = await send_draft(desk, DRAFT)
    shown = await _toggle(desk, choose, first, "bale", "⬜ @news_bale (bale)")
    desk.server.user_presses_button(EDITOR_ID, shown, f"p:{first}:tm")
    await wait_status(desk, first, "scheduled")
    second, _, choose = await send_draft(desk, "خبر دوم\n\nمتن خبر دوم درباره پارک‌های شهر است.")
    desk.server.user_presses_button(EDITOR_ID, choose, f"p:{second}:tm")
    await wait_status(desk, second, "scheduled")

    before = desk.last_id(EDITOR_ID)
    await desk.editor_says("/queue")
    listing = await desk.wait_bot_message(EDITOR_ID, lambda m: "📤" in (m.text or ""), after=before)
    entries = listing.text.split("\n\n")[1:]
    assert len(entries) == 2
    everywhere = "📤 @news_test، @news_sport (telegram)، @news_bale (bale)، news_eitaa (eitaa)"
    without_bale = "📤 @news_test، @news_sport (telegram)، news_eitaa (eitaa)"
    by_id = {entry.split(" ")[0]: entry for entry in entries}
    assert by_id[f"#{msg.fa_digits(first)}"].endswith(without_bale)
    assert by_id[f"#{msg.fa_digits(second)}"].endswith(everywhere)


async def test_the_toggles_survive_a_restart(
    botapi: BotApiServer, bale: BotApiServer, eitaa: EitaayarServer, tmp_path: Path
) -> None:
    async with every_channel(botapi, bale, eitaa, tmp_path) as desk:
        article_id, _, choose = await send_draft(desk, DRAFT)
        await _toggle(desk, choose, article_id, "eitaa", "⬜ news_eitaa (eitaa)")
        await _toggle(desk, choose, article_id, "sport", "⬜ @news_sport (telegram)")
        await _toggle(desk, choose, article_id, "sport", "✅ @news_sport (telegram)")  # on again

    async with every_channel(botapi, bale, eitaa, tmp_path) as desk:
        before = desk.last_id(EDITOR_ID)
        await desk.editor_says("/drafts")
        listing = await desk.wait_bot_message(EDITOR_ID, after=before)
        desk.server.user_presses_button(EDITOR_ID, listing, f"p:{article_id}:open")  # its card, anew
        card = await desk.wait_bot_message(
            EDITOR_ID, lambda m: f"p:{article_id}:to:eitaa" in _button_labels(m), after=before
        )
        assert "⬜ news_eitaa (eitaa)" in card.text and "✅ @news_sport (telegram)" in card.text
        await publish_now(desk, article_id, card)
        assert len(desk.server.bot_messages(SPORT_ID)) == 1 and len(bale.channel_posts()) == 1
        assert eitaa.posts() == []


async def test_a_new_photo_follows_in_every_copy(
    desk: Desk, bale: BotApiServer, eitaa: EitaayarServer
) -> None:
    before = desk.last_id(EDITOR_ID)
    desk.server.user_sends_media(EDITOR_ID, "photo", PNG, caption=DRAFT)
    choose = await desk.wait_bot_message(
        EDITOR_ID, lambda m: any(b.get("callback_data", "").endswith(":now") for b in m.buttons), after=before
    )
    article_id = int(choose.buttons[0]["callback_data"].split(":")[1])
    notice = await publish_now(desk, article_id, choose)
    (on_bale,), (sport,) = bale.channel_posts(), desk.server.bot_messages(SPORT_ID)

    before = desk.last_id(EDITOR_ID)
    new = desk.server.user_sends_media(EDITOR_ID, "photo", PNG2, reply_to=notice)
    ask = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:fix"), after=before)
    files_note = msg.text("copy_files_note", msg.FA)  # said before ✅: what Eitaa gets instead
    assert msg.text("follow_note", msg.FA, name="news_eitaa (eitaa)", note=files_note) in ask.text
    await desk.confirm_correction(EDITOR_ID, article_id, after=before)
    told = await desk.wait_bot_message(
        EDITOR_ID, lambda m: "✏️ @news_bale (bale)" in (m.text or ""), after=ask.message_id
    )
    now = bale.message(bale.channel.id, on_bale.message_id)
    assert now.photo.content == PNG2 and "شورای شهر" in now.caption  # uploaded in place, caption kept
    assert desk.server.message(SPORT_ID, sport.message_id).photo.file_id == new.photo.file_id
    assert "📝 news_eitaa (eitaa)" in told.text
    _, swapped = eitaa.posts()  # Eitaa edits nothing: the new photo goes after the copy, with a note
    assert swapped.content == PNG2 and "اصلاحیه" in swapped.caption


async def test_a_destination_with_its_own_quiet_hours_rings_when_the_others_are_silent(
    botapi: BotApiServer, bale: BotApiServer, eitaa: EitaayarServer, tmp_path: Path
) -> None:
    botapi.add_channel(SPORT_ID, "news_sport", "ورزشی")
    listed = tmp_path / "destinations.toml"
    listed.write_text(
        '[[destination]]\nkey = "sport"\nnetwork = "telegram"\nchat_id = "@news_sport"\nquiet_hours = ""\n',
        encoding="utf-8",
    )
    all_day = (time(0, 0), time(23, 59, 59))  # QUIET_HOURS around the clock: the primary goes silent
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", retry=QUICK, destinations_file=listed, quiet_hours=all_day,
        bale_token=bale.token, bale_channel_id="@news_bale", bale_api_url=bale.base_url,
    ) as desk:  # fmt: skip
        article_id, _, choose = await send_draft(desk, DRAFT)
        await publish_now(desk, article_id, choose)
        (primary,), (sport,), (on_bale,) = (
            desk.server.channel_posts(), desk.server.bot_messages(SPORT_ID), bale.channel_posts()
        )  # fmt: skip
        assert primary.disable_notification and on_bale.disable_notification  # QUIET_HOURS
        assert not sport.disable_notification  # its own: never quiet


def _time_passes(desk: Desk, delta: timedelta) -> None:
    """The bot's clock, Telegram's and the bot's timers move on together (as in the sandbox)."""
    scheduler = desk.application.bot_data["services"].scheduler
    TimeMachine(desk.clock, desk.server, desk.application, scheduler).advance(delta)


@asynccontextmanager
async def with_sport_slot(botapi: BotApiServer, bale: BotApiServer, tmp_path: Path, slot: str):
    """The bot with Bale (no slots of its own) and a second Telegram channel posting only at `slot`."""
    botapi.add_channel(SPORT_ID, "news_sport", "ورزشی")
    listed = tmp_path / "destinations.toml"
    listed.write_text(
        '[[destination]]\nkey = "sport"\nnetwork = "telegram"\nchat_id = "@news_sport"\n'
        f'posting_slots = "{slot}"\n',
        encoding="utf-8",
    )
    async with running_desk(
        botapi, tmp_path / "newsdesk.sqlite3", retry=QUICK, destinations_file=listed,
        bale_token=bale.token, bale_channel_id="@news_bale", bale_api_url=bale.base_url,
    ) as running:  # fmt: skip
        yield running


async def test_a_copy_with_its_own_slot_goes_then_once_across_a_restart(
    botapi: BotApiServer, bale: BotApiServer, tmp_path: Path
) -> None:
    local = (datetime.now(UTC) + timedelta(hours=3)).astimezone(ZoneInfo("Asia/Tehran"))
    slot = f"{local.hour:02d}:{local.minute:02d}"
    async with with_sport_slot(botapi, bale, tmp_path, slot) as desk:
        assert desk.settings.tz.key == "Asia/Tehran"
        article_id, _, choose = await send_draft(desk, DRAFT)
        shown = f"@news_sport (telegram): ساعت {msg.fa_digits(slot)}"
        assert shown in choose.text  # the preview says when that copy goes
        notice = await publish_now(desk, article_id, choose)
        assert len(desk.server.channel_posts()) == 1 and len(bale.channel_posts()) == 1  # at once
        assert desk.server.bot_messages(SPORT_ID) == []  # not before its slot
        assert "🕒 @news_sport (telegram): " in notice.text and msg.fa_digits(slot) in notice.text
        (row,) = [r for r in await desk.db.copy_rows(article_id) if r.destination == "sport"]
        assert row.state == "planned" and row.due is not None
        assert row.due.astimezone(desk.settings.tz).strftime("%H:%M") == slot
    async with with_sport_slot(botapi, bale, tmp_path, slot) as desk:  # restarted before the slot
        await desk.server.wait_for(  # a loaded machine (2 cores, 8 engineers) takes its time
            lambda: desk.application.job_queue.get_jobs_by_name(f"copy:{article_id}:sport"), timeout=20
        )
        assert desk.server.bot_messages(SPORT_ID) == []
        _time_passes(desk, timedelta(hours=3, minutes=1))
        await desk.server.wait_for(lambda: desk.server.bot_messages(SPORT_ID), timeout=20)
        (sport,) = desk.server.bot_messages(SPORT_ID)
        assert "شورای شهر" in sport.html
        for _ in range(200):  # the message is in the channel a moment before the ledger says `sent`
            rows = await desk.db.copy_rows(article_id)
            if all(r.state == "sent" for r in rows):
                break
            await asyncio.sleep(0.1)
        assert {(r.destination, r.state) for r in rows} == {("sport", "sent"), ("bale", "sent")}
    async with with_sport_slot(botapi, bale, tmp_path, slot) as desk:  # and again: nothing twice
        _time_passes(desk, timedelta(hours=4))
        await asyncio.sleep(0.5)
        assert len(desk.server.bot_messages(SPORT_ID)) == 1 and len(bale.channel_posts()) == 1
        assert len(desk.server.channel_posts()) == 1
