"""Where a post goes besides the primary channel: the mirrors (docs/settings.md, "Destinations").

The primary channel (`CHANNEL_ID`, through `BOT_TOKEN`) is what it always was. Every other channel
is a `Destination`: from `DESTINATIONS_FILE` (TOML, any number, any network) and, for the common case
of one mirror each, from the plain variables `BALE_TOKEN` + `BALE_CHANNEL_ID` (key `bale`) and
`EITAA_TOKEN` + `EITAA_CHANNEL_ID` (key `eitaa`). With none of these set there are none, and the bot
publishes as before. `destinations(settings)` raises `ValueError` with one line naming what is wrong;
`bot.config.load_settings` turns it into the `ConfigError` that stops the bot.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING, Literal

from bot.networks import Network

if TYPE_CHECKING:
    from bot.config import Settings

KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,15}")  # goes into button data and the copies ledger: short ASCII
_BOT_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]{10,}")
_BOT_CHAT_RE = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-?\d{3,}")
_EITAA_CHAT_RE = re.compile(r"@?[A-Za-z][A-Za-z0-9_]{3,31}|\d{3,}")
_FIELDS = {"key", "network", "chat_id", "token", "api_url", "signature", "footer", "default"} | {
    "quiet_hours",
    "posting_slots",
}


@dataclass(frozen=True, slots=True)
class Destination:
    """One channel a post is copied to."""

    key: str
    network: Network
    chat_id: str
    token: str  # Telegram: empty = the main bot (BOT_TOKEN)
    api_url: str
    signature: str = ""  # replaces SIGNATURE at the end of this copy; empty: the same as the primary's
    footer: str = ""  # a last line of this copy only (e.g. its hashtags)
    default_on: bool = True  # a new post goes there unless the editor turns it off in the preview
    # This channel's own quiet hours (its copy goes out silently inside them; None: never quiet), when
    # `own_quiet_hours`; else QUIET_HOURS.
    quiet_hours: tuple[time, time] | None = None
    own_quiet_hours: bool = False
    # This channel's own posting slots: its copy of a post waits for the first free one at or after the
    # primary's publication (bot.publishing.copies). Empty: the copy goes with the primary.
    posting_slots: tuple[time, ...] = ()

    @property
    def name(self) -> str:
        """How editors see it: the channel on its network."""
        return f"{self.chat_id} ({self.network})"


@dataclass(frozen=True, slots=True)
class Route:
    """Whether one post goes to one mirror (the preview's toggle, bot.desk.routes)."""

    destination: Destination
    on: bool


def routes(mirrors: Sequence[Destination], choices: Mapping[str, bool]) -> tuple[Route, ...]:
    """Each mirror and whether the post goes there: as toggled under its preview (`choices`, by key),
    else by the mirror's default."""
    return tuple(Route(d, choices.get(d.key, d.default_on)) for d in mirrors)


def going(mirrors: Sequence[Destination], choices: Mapping[str, bool]) -> tuple[Destination, ...]:
    """The mirrors a post goes to (`routes` that are on)."""
    return tuple(route.destination for route in routes(mirrors, choices) if route.on)


def destinations(settings: Settings) -> tuple[Destination, ...]:
    """Every mirror the settings name, the file's first; `ValueError` with one line if one is bad."""
    found: list[Destination] = []
    if settings.destinations_file is not None:
        found.extend(_from_file(settings))
    pairs = (
        (Network.BALE, "BALE", settings.bale_token, settings.bale_channel_id, settings.bale_api_url),
        (Network.EITAA, "EITAA", settings.eitaa_token, settings.eitaa_channel_id, settings.eitaa_api_url),
    )
    for network, prefix, token, chat_id, api_url in pairs:
        if bool(token) != bool(chat_id):
            missing = f"{prefix}_CHANNEL_ID" if token else f"{prefix}_TOKEN"
            raise ValueError(
                f"{missing}: set it too, or neither ({prefix}_TOKEN and {prefix}_CHANNEL_ID go together)"
            )
        if token and chat_id:
            found.append(_checked(network.value, network, chat_id, token, api_url, where=prefix))
    keys = [destination.key for destination in found]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise ValueError(f"destination key used twice: {', '.join(twice)}")
    return tuple(found)


def _from_file(settings: Settings) -> list[Destination]:
    path = settings.destinations_file
    assert path is not None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"DESTINATIONS_FILE: cannot read {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"DESTINATIONS_FILE: {path} is not TOML: {error}") from None
    entries = data.get("destination", [])
    if not isinstance(entries, list) or set(data) - {"destination"}:
        raise ValueError(f"DESTINATIONS_FILE: {path} holds only [[destination]] tables")
    found = []
    for number, entry in enumerate(entries, start=1):
        where = f"DESTINATIONS_FILE destination {number}"
        unknown = sorted(set(entry) - _FIELDS)
        if unknown:
            raise ValueError(f"{where}: unknown field {', '.join(unknown)}")
        try:
            network = Network(str(entry.get("network", "")).lower())
        except ValueError:
            raise ValueError(f"{where}: network must be telegram, bale or eitaa") from None
        default_url = {
            Network.TELEGRAM: settings.telegram_api_url,
            Network.BALE: settings.bale_api_url,
            Network.EITAA: settings.eitaa_api_url,
        }[network]
        found.append(
            _checked(
                str(entry.get("key", "")), network, str(entry.get("chat_id", "")),
                str(entry.get("token", "")), str(entry.get("api_url") or default_url), where=where,
                signature=str(entry.get("signature", "")), footer=str(entry.get("footer", "")),
                default_on=entry.get("default", True), **_quiet_hours(entry, where),
                **_posting_slots(entry, where),
            )
        )  # fmt: skip
    return found


def _quiet_hours(entry: dict[str, object], where: str) -> dict[str, object]:
    """A destination's own `quiet_hours = "00:00-08:00"` ("" never quiet); nothing when absent."""
    if "quiet_hours" not in entry:
        return {}
    from bot.config import parse_quiet_hours  # here: bot.config reads this module as it loads

    try:
        return {"quiet_hours": parse_quiet_hours(str(entry["quiet_hours"])), "own_quiet_hours": True}
    except ValueError as error:
        raise ValueError(f"{where}: quiet_hours {error}") from None


def _posting_slots(entry: dict[str, object], where: str) -> dict[str, object]:
    """A destination's own `posting_slots = "08:00,18:00"` (POSTING_SLOTS' format); nothing when absent."""
    if "posting_slots" not in entry:
        return {}
    from bot.config import parse_posting_slots  # here: bot.config reads this module as it loads

    try:
        return {"posting_slots": parse_posting_slots(str(entry["posting_slots"]))}
    except ValueError as error:
        raise ValueError(f"{where}: posting_slots {error}") from None


def _checked(
    key: str, network: Network, chat_id: str, token: str, api_url: str, *, where: str, **extra: object
) -> Destination:
    """A destination whose every value was checked; `ValueError` naming `where` otherwise."""
    chat_id, token, api_url = chat_id.strip(), token.strip(), api_url.strip()
    if not KEY_RE.fullmatch(key):
        raise ValueError(f"{where}: key must be 1-16 of a-z, 0-9, _ (starting with a letter)")
    chat_ok = _EITAA_CHAT_RE if network is Network.EITAA else _BOT_CHAT_RE
    if not chat_ok.fullmatch(chat_id):
        raise ValueError(f"{where}: chat_id {chat_id!r} is not a channel @handle or id")
    if network is Network.BALE and not _BOT_TOKEN_RE.fullmatch(token):
        raise ValueError(f"{where}: the Bale token must look like 123456789:AbC… (from @botfather in Bale)")
    if network is Network.TELEGRAM and token and not _BOT_TOKEN_RE.fullmatch(token):
        raise ValueError(f"{where}: the token must look like 123456:ABC-DEF… (from @BotFather)")
    if network is Network.EITAA and not re.fullmatch(r"[^\s/]{8,}", token):
        raise ValueError(
            f"{where}: the Eitaayar token is missing or malformed (from eitaayar.ir, your panel)"
        )
    if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", api_url):
        raise ValueError(f"{where}: api_url must be an http(s):// address")
    if not isinstance(extra.get("default_on", True), bool):
        raise ValueError(f"{where}: default must be true or false")
    if network is Network.EITAA:
        chat_id = chat_id.removeprefix("@")  # Eitaayar takes the bare username
    return Destination(key, network, chat_id, token, api_url.rstrip("/"), **extra)  # type: ignore[arg-type]


type FollowHow = Literal["edit", "note", "delete", "left"]


@dataclass(frozen=True, slots=True)
class CopyFollow:
    """What a correction (or a deletion) of a post will do to one of its copies, said before ✅:
    edited (deleted) in place, a note sent in reply to it, or left as it is (Eitaa, `editor`)."""

    destination: Destination
    how: FollowHow
