"""The bot's lifecycle (bot/app.py): every future it starts is its own, and nothing outlives it."""

from __future__ import annotations

import multiprocessing

from bot.app import _Lifecycle, build_application, polling
from bot.publishing.formatter import Formatter
from storage.database import Database
from tests.desk_harness import desk_settings


async def test_the_bot_awaits_its_warm_ups_and_closes_its_formatter_at_shutdown(botapi_inprocess, tmp_path):
    settings = desk_settings(botapi_inprocess, tmp_path / "newsdesk.sqlite3")
    before = set(multiprocessing.active_children())
    application = build_application(settings, await Database.open(settings.database_path))
    lifecycle = application.post_shutdown.__self__  # type: ignore[union-attr]
    assert isinstance(lifecycle, _Lifecycle) and lifecycle.owns_formatter
    async with polling(application, poll_timeout=1):
        warm_ups = list(lifecycle.warm_ups)
        assert len(warm_ups) == 2  # the formatting process's first draft, this process's analyzer
        started = set(multiprocessing.active_children()) - before  # the database searches in a thread
        assert len(started) == 1 and lifecycle.formatter.running
    assert all(future.done() and not future.cancelled() for future in warm_ups) and not lifecycle.warm_ups
    assert not lifecycle.formatter.running and not any(process.is_alive() for process in started)


async def test_a_formatter_lent_to_the_bot_stays_open_for_its_owner(botapi_inprocess, tmp_path):
    settings = desk_settings(botapi_inprocess, tmp_path / "newsdesk.sqlite3")
    formatter = Formatter()
    try:
        application = build_application(
            settings, await Database.open(settings.database_path), formatter=formatter
        )
        async with polling(application, poll_timeout=1):
            pass
        assert formatter.running  # warmed up by the bot, left open
        post = await formatter.prepare("خبر\nمتن", bullet="🔹", signature="")
        assert post.title == "خبر"
    finally:
        await formatter.close()
