"""Settings: defaults, parsing, and one clear error naming every bad variable."""

import pytest

from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in (
        "BOT_TOKEN",
        "CHANNEL_ID",
        "EDITOR_IDS",
        "POSTING_SLOTS",
        "QUIET_HOURS",
        "TIMEZONE",
        "MISFIRE_GRACE_MINUTES",
        "SIGNATURE",
        "BULLET",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_match_design():
    s = load_settings(env_file=None)
    assert [t.strftime("%H:%M") for t in s.posting_slots] == ["08:00", "12:00", "18:00", "21:00"]
    assert [t.strftime("%H:%M") for t in s.quiet_hours] == ["23:00", "07:00"]
    assert s.misfire_grace_minutes == 30 and s.bullet == "🔹" and s.signature == ""
    assert str(s.tz) == "Asia/Tehran"


def test_values_are_parsed(monkeypatch):
    monkeypatch.setenv("EDITOR_IDS", " 12, 34 ")
    monkeypatch.setenv("POSTING_SLOTS", "21:00,9:30")
    monkeypatch.setenv("QUIET_HOURS", "")
    s = load_settings(env_file=None)
    assert s.editor_ids == {12, 34}
    assert [t.strftime("%H:%M") for t in s.posting_slots] == ["09:30", "21:00"]
    assert s.quiet_hours is None


def test_every_malformed_setting_is_named(monkeypatch):
    monkeypatch.setenv("EDITOR_IDS", "12,abc")
    monkeypatch.setenv("POSTING_SLOTS", "25:00")
    monkeypatch.setenv("CHANNEL_ID", "not a channel")
    with pytest.raises(ConfigError) as err:
        load_settings(env_file=None)
    assert all(name in str(err.value) for name in ("EDITOR_IDS", "POSTING_SLOTS", "CHANNEL_ID"))


def test_run_requires_token_channel_and_editors(monkeypatch):
    monkeypatch.setenv("CHANNEL_ID", "@news_test")
    with pytest.raises(ConfigError) as err:
        load_settings(env_file=None, for_run=True)
    assert "BOT_TOKEN" in str(err.value) and "EDITOR_IDS" in str(err.value)
    assert "CHANNEL_ID" not in str(err.value)


def test_env_file_is_read(tmp_path):
    env = tmp_path / ".env"
    env.write_text("SIGNATURE=🆔 @mychannel\nBULLET=▪️\n", encoding="utf-8")
    s = load_settings(env_file=env)
    assert s.signature == "🆔 @mychannel" and s.bullet == "▪️"


def test_log_level_must_be_a_level(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(ConfigError, match="LOG_LEVEL"):
        load_settings(env_file=None)
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert load_settings(env_file=None).log_level == "DEBUG"


async def test_telegram_is_asked_only_for_the_update_kinds_the_handlers_take(tmp_path, monkeypatch):
    from telegram.ext import (
        CallbackQueryHandler,
        CommandHandler,
        InlineQueryHandler,
        MessageHandler,
        TypeHandler,
    )

    from bot.app import HANDLED_UPDATES, build_application, secrets_of, webhook_secret
    from storage.database import Database

    monkeypatch.setenv("BOT_TOKEN", "123456:" + "A" * 35)
    monkeypatch.setenv("CHANNEL_ID", "@news_test")
    monkeypatch.setenv("EDITOR_IDS", "1001")
    monkeypatch.setenv("WEBHOOK_URL", "https://news.example.org/hook")
    settings = load_settings(for_run=True, env_file=None)
    kinds = {CommandHandler: "message", MessageHandler: "message", CallbackQueryHandler: "callback_query",
             InlineQueryHandler: "inline_query"}  # fmt: skip
    async with Database.open(tmp_path / "db.sqlite3") as db:
        application = build_application(settings, db)
        taken = set()
        for handlers in application.handlers.values():
            for handler in handlers:
                if isinstance(handler, TypeHandler):  # the language recorder sees what comes anyway
                    continue
                edits = isinstance(handler, MessageHandler) and "EDITED_MESSAGE" in str(handler.filters)
                taken.add("edited_message" if edits else kinds[type(handler)])
    assert taken == set(HANDLED_UPDATES)
    made = webhook_secret(settings)  # none set: one is made for the run, and masked in the log
    assert made is not None and len(made) >= 32 and made != webhook_secret(settings)
    assert made in secrets_of(settings, made) and settings.bot_token in secrets_of(settings, made)
