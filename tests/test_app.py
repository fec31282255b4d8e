"""The bot's lifecycle (bot/app.py): every future it starts is its own, and nothing outlives it."""

from __future__ import annotations

import multiprocessing

from bot.app import _Lifecycle, build_application, polling
from bot.publishing.formatter import Formatter
from storage.database import Database
from tests.desk_harness import desk_settings
from tests.processes import ended_within


async def test_the_bot_ends_its_warm_up_and_its_formatting_process_at_shutdown(botapi_inprocess, tmp_path):
    settings = desk_settings(botapi_inprocess, tmp_path / "newsdesk.sqlite3")
    before = set(multiprocessing.active_children())
    application = build_application(settings, await Database.open(settings.database_path))
    lifecycle = application.post_shutdown.__self__  # type: ignore[union-attr]
    assert isinstance(lifecycle, _Lifecycle) and lifecycle.owns_formatter
    async with polling(application, poll_timeout=1):
        # The formatting process's (owned); the analyzer's runs in a daemon thread (bot.app).
        warm_ups = list(lifecycle.warm_ups)
        assert len(warm_ups) == 1
        started = set(multiprocessing.active_children()) - before  # the database searches in a thread
        assert len(started) == 1 and lifecycle.formatter.running
    assert all(future.done() for future in warm_ups) and not lifecycle.warm_ups  # none left pending
    assert not lifecycle.formatter.running
    for process in started:  # killed at shutdown (bot.core.workers.stop_pool)
        # Read from /proc: the pool's manager thread reaps the process too, and `is_alive()` could answer
        # True in the instant between its reaping and its recording the exit (CI saw it once).
        assert ended_within(process.pid, 10)


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
