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
