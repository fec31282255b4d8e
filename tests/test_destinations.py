"""The destinations besides the primary channel: the six plain variables and DESTINATIONS_FILE; a bad
value stops the bot with one line; none set, none there (the single-channel setup unchanged)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.core.media import MediaItem, MediaKind
from bot.core.post import Article
from bot.core.status import PostStatus
from bot.destinations import Destination, destinations
from bot.networks import Network
from bot.publishing.copies import copy_parts
from bot.text.limits import utf16_len

NAMES = ("BALE_TOKEN", "BALE_CHANNEL_ID", "BALE_API_URL", "EITAA_TOKEN", "EITAA_CHANNEL_ID", "EITAA_API_URL",
         "DESTINATIONS_FILE")  # fmt: skip


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def test_no_setting_no_destination() -> None:
    assert destinations(load_settings(env_file=None)) == ()


def test_the_plain_variables_make_one_mirror_each(monkeypatch) -> None:
    monkeypatch.setenv("BALE_TOKEN", "123456789:AbCdEfGhIjKlMn")
    monkeypatch.setenv("BALE_CHANNEL_ID", "@news_bale")
    monkeypatch.setenv("EITAA_TOKEN", "eitaayar-token-1234")
    monkeypatch.setenv("EITAA_CHANNEL_ID", "@news_eitaa")
    bale, eitaa = destinations(load_settings(env_file=None))
    assert (bale.key, bale.network, bale.chat_id, bale.api_url) == (
        "bale",
        Network.BALE,
        "@news_bale",
        "https://tapi.bale.ai/bot",
    )
    assert (eitaa.key, eitaa.chat_id, eitaa.api_url) == ("eitaa", "news_eitaa", "https://eitaayar.ir/api")


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"BALE_TOKEN": "123456789:AbCdEfGhIjKlMn"}, "BALE_CHANNEL_ID: set it too"),
        ({"EITAA_CHANNEL_ID": "news_eitaa"}, "EITAA_TOKEN: set it too"),
        ({"BALE_TOKEN": "nope", "BALE_CHANNEL_ID": "@news_bale"}, "the Bale token must look like"),
        ({"BALE_TOKEN": "123456789:AbCdEfGhIjKlMn", "BALE_CHANNEL_ID": "news bale"}, "is not a channel"),
        ({"EITAA_TOKEN": "a b", "EITAA_CHANNEL_ID": "news_eitaa"}, "Eitaayar token"),
        ({"DESTINATIONS_FILE": "/nonexistent/destinations.toml"}, "DESTINATIONS_FILE: cannot read"),
    ],
)
def test_a_bad_value_stops_the_bot_with_one_line(monkeypatch, env: dict[str, str], says: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(env_file=None)
    assert says in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ("[[destination]]\nkey = 'x'\nnetwork = 'rubika'\nchat_id = '@abcd'\n", "network must be"),
        ("[[destination]]\nkey = 'Big'\nnetwork = 'telegram'\nchat_id = '@abcd'\n", "key must be"),
        (
            "[[destination]]\nkey = 'a'\nnetwork = 'telegram'\nchat_id = '@abcd'\ncolor = 1\n",
            "unknown field color",
        ),
        (
            "[[destination]]\nkey = 'a'\nnetwork = 'telegram'\nchat_id = '@abcd'\ndefault = 'yes'\n",
            "true or false",
        ),
        ("[[destination]\n", "is not TOML"),
        (
            "[[destination]]\nkey = 'a'\nnetwork = 'telegram'\nchat_id = '@abcd'\nquiet_hours = '9'\n",
            "quiet_hours must",
        ),
        (
            "[[destination]]\nkey = 'a'\nnetwork = 'telegram'\nchat_id = '@abcd'\nposting_slots = ','\n",
            "posting_slots needs at least one time",
        ),
        ("[[destination]]\nkey = 'bale'\nnetwork = 'telegram'\nchat_id = '@abcd'\n", "key used twice: bale"),
    ],
)
def test_a_bad_file_stops_the_bot_naming_the_destination(
    monkeypatch, tmp_path: Path, toml: str, says: str
) -> None:
    listed = tmp_path / "destinations.toml"
    listed.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("DESTINATIONS_FILE", str(listed))
    monkeypatch.setenv("BALE_TOKEN", "123456789:AbCdEfGhIjKlMn")
    monkeypatch.setenv("BALE_CHANNEL_ID", "@news_bale")
    with pytest.raises(ConfigError, match=says):
        load_settings(env_file=None)


def _article(html: list[str], media: tuple[MediaItem, ...] = ()) -> Article:
    now = datetime(2026, 12, 6, tzinfo=UTC)
    return Article(
        1,
        "bot",
        "1",
        "t",
        "b",
        html,
        PostStatus.PUBLISHED,
        False,
        now,
        now,
        now,
        now,
        [1, 2],
        1,
        1,
        None,
        None,
        media=media,
    )


def test_a_copy_is_the_post_as_its_network_shows_it() -> None:
    sport = Destination("sport", Network.TELEGRAM, "@sport", "", "https://x/bot", "🆔 @sport", "#ورزش")
    eitaa = Destination("eitaa", Network.EITAA, "news_eitaa", "token1234", "https://x/api")
    album = (MediaItem(MediaKind.PHOTO, "A"), MediaItem(MediaKind.PHOTO, "B"))
    post = _article(['<b>تیتر</b>\n\n<a href="https://e.ir/x">متن</a>\n\n🆔 @news'], album)
    (telegram,) = copy_parts(post, sport, "🆔 @news")
    assert telegram.html == '<b>تیتر</b>\n\n<a href="https://e.ir/x">متن</a>\n\n🆔 @sport\n#ورزش'
    first, second = copy_parts(post, eitaa, "🆔 @news")  # no albums on Eitaa, no HTML
    assert (first.html, first.media, second.html, second.media) == (
        "تیتر\n\nمتن (https://e.ir/x)\n\n🆔 @news",
        album[:1],
        "",
        album[1:],
    )


def test_a_copy_filled_to_the_limit_keeps_the_primarys_ending() -> None:
    sport = Destination("sport", Network.TELEGRAM, "@sport", "", "https://x/bot", "🆔 @sport", "#ورزش")
    ending = "\n\n🆔 @news"
    full = "ا" * (1024 - utf16_len(ending)) + ending  # a caption at Telegram's 1024 UTF-16 units
    photo = (MediaItem(MediaKind.PHOTO, "A"),)
    (copy,) = copy_parts(_article([full], photo), sport, "🆔 @news")
    assert copy.html == full  # its own signature and footer would pass the limit: left as the primary's


def test_a_destination_may_keep_its_own_posting_slots(monkeypatch, tmp_path: Path) -> None:
    listed = tmp_path / "destinations.toml"
    listed.write_text(
        "[[destination]]\nkey = 'a'\nnetwork = 'telegram'\nchat_id = '@abcd'\n"
        "posting_slots = '18:00, 09:30'\n"
        "[[destination]]\nkey = 'b'\nnetwork = 'telegram'\nchat_id = '@efgh'\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("DESTINATIONS_FILE", str(listed))
    own, plain = destinations(load_settings(env_file=None))
    assert own.posting_slots == (time(9, 30), time(18)) and plain.posting_slots == ()
