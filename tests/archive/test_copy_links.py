"""Where a Bale reader's result links (bot.archive.copy_links over storage.copies, real SQLite): the
post's copy on Bale, the bot's own channel first; a part confirmed by hand (-1) gives way to the next;
a post with no sent copy there is left out (the caller keeps its Telegram link)."""

from __future__ import annotations

import pytest

from bot.archive.copy_links import copy_links
from bot.destinations import Destination
from bot.networks import Network
from storage.database import Database

EDITOR = 4242
NEWS = Destination("bale", Network.BALE, "@news_bale", "7001:" + "b" * 30, "https://tapi.bale.ai/bot")
SPORT = Destination("bsport", Network.BALE, "@sport_bale", "7001:" + "b" * 30, "https://tapi.bale.ai/bot")
PRIVATE = Destination("bhidden", Network.BALE, "-1001234", "7001:" + "b" * 30, "https://tapi.bale.ai/bot")


@pytest.fixture
async def db(tmp_path):
    async with Database.open(tmp_path / "news.sqlite3") as database:
        yield database


async def _post(db: Database) -> int:
    return await db.create_draft("تیتر", "متن خبر", ["<b>تیتر</b>"], editor_id=EDITOR, editor_chat_id=EDITOR)


async def test_each_post_links_to_its_first_known_copy_on_bale(db: Database) -> None:
    mine, sport_only, confirmed, failed, hidden, none = [await _post(db) for _ in range(6)]
    await db.record_copy(mine, "bsport", 0, "sent", [70])
    await db.record_copy(mine, "bale", 0, "sent", [11, 12])  # an album: its first item
    await db.record_copy(sport_only, "bsport", 0, "sent", [71])
    await db.record_copy(confirmed, "bale", 0, "sent", [-1])  # ✅ by hand: its id never learnt
    await db.record_copy(confirmed, "bale", 1, "sent", [21])
    await db.record_copy(failed, "bale", 0, "failed", [], "refused")
    await db.record_copy(hidden, "bhidden", 0, "sent", [5])  # a channel without a public address

    ids = [mine, sport_only, confirmed, failed, hidden, none]
    links = await copy_links(db, [NEWS, SPORT, PRIVATE], ids)
    assert links == {
        mine: "https://ble.ir/news_bale/11",
        sport_only: "https://ble.ir/sport_bale/71",
        confirmed: "https://ble.ir/news_bale/21",
    }
    assert await copy_links(db, [SPORT, NEWS], [mine]) == {mine: "https://ble.ir/sport_bale/70"}
    assert await copy_links(db, [], ids) == {} and await copy_links(db, [NEWS], []) == {}
