"""Settings from the environment or a `.env` file (names and defaults in docs/settings.md).

`load_settings()` reads them once; a missing or malformed value raises `ConfigError` naming every
offending variable, so `newsdesk run` can say exactly what to set.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.inputs import UsageError
from bot.core.source import CreditMode
from bot.destinations import destinations

_CHANNEL_RE = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,})$")
WEBHOOK_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""What Telegram's setWebhook accepts as `secret_token`."""
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_HHMM_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ConfigError(UsageError):
    """One or more settings are missing or malformed."""


def _parse_hhmm(value: str) -> time:
    match = _HHMM_RE.match(value.strip())
    if not match:
        raise ValueError(f"{value.strip()!r} is not a time like 08:00")
    return time(int(match[1]), int(match[2]))


def parse_quiet_hours(value: str) -> tuple[time, time] | None:
    """QUIET_HOURS (and a destination's own, bot.destinations): `23:00-07:00`, or empty for never."""
    if not value.strip():
        return None
    start, sep, end = value.partition("-")
    if not sep:
        raise ValueError("must be a range like 23:00-07:00, or empty")
    return (_parse_hhmm(start), _parse_hhmm(end))


def parse_posting_slots(value: str) -> tuple[time, ...]:
    """POSTING_SLOTS (and a destination's own, bot.destinations): `08:00,12:00`, at least one time."""
    slots = sorted({_parse_hhmm(p) for p in value.split(",") if p.strip()})
    if not slots:
        raise ValueError("needs at least one time, e.g. 08:00,12:00")
    return tuple(slots)


class Settings(BaseSettings):
    """Every setting of newsdesk; see `.env.example` for what each one means."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str | None = None
    channel_id: str | None = None
    editor_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    database_path: Path = Path("data/newsdesk.sqlite3")
    telegram_api_url: str = "https://api.telegram.org/bot"
    timezone: str = "Asia/Tehran"
    posting_slots: Annotated[tuple[time, ...], NoDecode] = (time(8), time(12), time(18), time(21))
    quiet_hours: Annotated[tuple[time, time] | None, NoDecode] = (time(23), time(7))
    misfire_grace_minutes: int = 30
    channel_posts_per_minute: int = 20
    signature: str = ""
    bullet: str = "🔹"
    notify_editors: Literal["all", "author"] = "all"
    # A forwarded post credits where it came from (bot.core.source); on by default: a post republished from
    # another channel must name it, and a link to the original lets readers check it.
    source_credit: CreditMode = CreditMode.LINK
    # A headline opening with one of these rings subscribers even inside QUIET_HOURS (the editor can still
    # choose 🔕): urgent news at night must not go out silent by default.
    urgent_words: Annotated[tuple[str, ...], NoDecode] = ("فوری", "خبر فوری", "عاجل", "breaking")
    # A post of more messages than this asks once more before "publish now" floods the channel with it.
    flood_messages: int = 3
    # A draft telling the same story as a post published in this many days (or one queued) is flagged, and
    # publishing or scheduling it asks once more; 0: no duplicate guard. A channel repeats a story by
    # mistake within a news cycle, and days of archive keep the lookup to a few index pages.
    duplicate_days: int = 3
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    # The mirrors (bot/destinations.py): one Bale and one Eitaa channel by these, any number by the file.
    bale_token: str | None = None
    bale_channel_id: str | None = None
    bale_api_url: str = "https://tapi.bale.ai/bot"
    eitaa_token: str | None = None
    eitaa_channel_id: str | None = None
    eitaa_api_url: str = "https://eitaayar.ir/api"
    destinations_file: Path | None = None
    # Eitaa cannot delete: a deleted post's Eitaa copy gets a notice in reply, or only the editor is told.
    eitaa_deletion: Literal["notice", "editor"] = "editor"
    log_level: str = "INFO"
    # Days a subscriber's search stays in the search log (for tuning search); 0: searches are not kept.
    search_log_days: int = 30
    sandbox_port: int = 8080

    @field_validator(
        "bot_token", "channel_id", "webhook_url", "webhook_secret", "bale_token", "bale_channel_id",
        "eitaa_token", "eitaa_channel_id", "destinations_file", mode="before",
    )  # fmt: skip
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _check_token(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d+:[A-Za-z0-9_-]{20,}", value.strip()):
            raise ValueError("must look like 123456:ABC-DEF… (the token from @BotFather)")
        return value.strip() if value else value

    @field_validator("channel_id")
    @classmethod
    def _check_channel(cls, value: str | None) -> str | None:
        if value is not None and not _CHANNEL_RE.match(value.strip()):
            raise ValueError("must be a @handle or a -100… channel id")
        return value.strip() if value else value

    @field_validator("editor_ids", mode="before")
    @classmethod
    def _parse_editor_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            bad = [p for p in parts if not p.isdigit()]
            if bad:
                raise ValueError(f"not a numeric Telegram user id: {', '.join(bad)}")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Tehran)") from None
        return value

    @field_validator("posting_slots", mode="before")
    @classmethod
    def _parse_slots(cls, value: object) -> object:
        return parse_posting_slots(value) if isinstance(value, str) else value

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _parse_quiet_hours(cls, value: object) -> object:
        return parse_quiet_hours(value) if isinstance(value, str) else value

    @field_validator("urgent_words", mode="before")
    @classmethod
    def _parse_urgent_words(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(word.strip() for word in value.split(",") if word.strip())
        return value

    @field_validator("sandbox_port", "webhook_port")
    @classmethod
    def _check_port(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError("must be a TCP port, 1 to 65535")
        return value

    @field_validator("misfire_grace_minutes", "channel_posts_per_minute", "search_log_days", "duplicate_days")
    @classmethod
    def _check_grace(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be 0 or more")
        return value

    @field_validator("source_credit", mode="before")
    @classmethod
    def _lower_credit(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        if value.strip().upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.strip().upper()

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: str | None) -> str | None:
        # Telegram's setWebhook takes 1-256 characters A-Z a-z 0-9 _ - (checked here: Telegram's own
        # refusal came as a traceback after the database was opened).
        if value is not None and not WEBHOOK_SECRET_RE.fullmatch(value):
            raise ValueError("must be 1 to 256 characters, each A-Z, a-z, 0-9, _ or -")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"https?://[^/\s]+(/\S*)?$", value.strip()):
            raise ValueError("must be the full https:// address Telegram posts updates to")
        return value.strip() if value else value

    @property
    def tz(self) -> ZoneInfo:
        """The editors' time zone."""
        return ZoneInfo(self.timezone)


def _undecodable(path: Path) -> str:
    """Where a settings file stops being UTF-8: its line and the setting on it."""
    for number, line in enumerate(path.read_bytes().split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            name = line.partition(b"=")[0].strip().decode("ascii", "replace")
            setting = f" ({name})" if b"=" in line and name.isidentifier() else ""
            return (
                f"{path}: line {number}{setting} is not UTF-8 (byte {line[error.start : error.start + 1]!r})"
            )
    return f"{path}: not UTF-8"


_REQUIRED_FOR_RUN = {
    "BOT_TOKEN": ("bot_token", "the token from @BotFather"),
    "CHANNEL_ID": ("channel_id", "the channel's @handle or -100… id"),
    "EDITOR_IDS": ("editor_ids", "comma-separated Telegram user ids of the editors"),
}


def load_settings(*, for_run: bool = False, env_file: str | Path | None = ".env") -> Settings:
    """Read and check the settings; `for_run` also requires what the bot needs to start."""
    try:
        settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    except UnicodeDecodeError as exc:  # pydantic-settings reads .env as UTF-8
        raise ConfigError(_undecodable(Path(env_file or ".env"))) from exc
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors()
        ]
        raise ConfigError("bad settings — " + "; ".join(problems)) from None
    try:
        destinations(settings)
    except ValueError as error:
        raise ConfigError(f"bad settings — {error}") from None
    if for_run:
        missing = [
            f"{name} ({meaning})"
            for name, (field, meaning) in _REQUIRED_FOR_RUN.items()
            if not getattr(settings, field)
        ]
        if missing:
            raise ConfigError("set " + ", ".join(missing) + " in the environment or .env")
    return settings
