"""Shared test settings, and the `e2e` and `slow` markers (`make test-fast` runs neither).

- e2e: the bot driven as people and Telegram drive it: over HTTP against the Bot API emulator, in
  process or as a real `newsdesk` process. Every test in tests/e2e/ and tests/sandbox/ is one (so a
  new test there is marked by where it lives), and those named in E2E elsewhere.
- slow: starts processes (a `newsdesk` command, a search or formatting process), or takes over ~2 s
  on an idle 2-core machine: every test in tests/sandbox/, and the files and tests in SLOW.
Files holding such tests run first, so that with pytest-xdist (`--dist loadfile`, Makefile) the long
ones start at once and the many short ones fill the workers' ends.
"""

import asyncio
import os

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["tests.botapi.fixtures"]

settings.register_profile("ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

E2E_FOLDERS = ("tests/e2e/", "tests/sandbox/")
# Outside those folders: a file, or a test's node id without its parameters.
E2E = (
    "tests/archive/test_search_parity.py",  # the bot's /search, text and inline against the CLI's
    "tests/archive/test_import.py::test_posts_the_bot_published_are_recognized_in_its_channels_export",
    "tests/test_app.py",  # the bot's start and shutdown
    "tests/test_docs.py::test_webhook_section_and_proxy_examples_match_run_webhook",  # `newsdesk run`
)
SLOW_FOLDERS = ("tests/sandbox/",)
SLOW = (
    "tests/e2e/test_restart.py",  # `newsdesk run` processes, killed and restarted
    "tests/e2e/test_e2e_burst.py",  # 2,000 updates answered, 1,000 of them at 30 a second: ~1 min
    "tests/e2e/test_e2e_bale_subscribers.py::test_newsdesk_run_serves_bale_and_stops_within_10_s_even_without_bale",
    "tests/core/test_workers.py",  # a bot process and its search process, killed
    "tests/archive/test_search_parity.py",  # `newsdesk search` and a search process
    "tests/archive/test_import_fuzz.py",  # 1,200 damaged exports: ~20 s
    "tests/archive/test_import.py::test_cli_import_analyzes_big_files_in_a_worker_process",
    "tests/archive/test_import_recovery.py::test_ctrl_c_during_an_import_says_what_was_kept_and_how_to_go_on",
    "tests/archive/test_search_errors.py::test_an_archive_locked_exclusively_is_one_line_after_waiting",
    "tests/archive/test_search_errors.py::test_an_archive_on_a_read_only_file_system_is_searched",
    "tests/archive/test_import.py::test_cli_import_twice_adds_nothing",
    "tests/archive/test_import.py::test_posts_the_bot_published_are_recognized_in_its_channels_export",
    "tests/publishing/test_formatting.py::test_formatting_time_grows_linearly_for_any_repeated_character",
    "tests/publishing/test_formatting.py::test_formatting_time_grows_linearly_for_random_mixes",
    "tests/publishing/test_formatting.py::test_the_bounded_formatter_gives_what_prepare_post_gives",
    "tests/publishing/test_formatting.py::test_a_draft_over_the_time_limit_is_stopped_and_the_next_one_formatted",
    "tests/publishing/test_formatting.py::test_a_closed_formatter_has_no_process_left_and_starts_one_when_used_again",
    "tests/text/test_analyze.py::test_the_analyzer_reads_hazms_lexicon_without_importing_hazm",  # python -c
    "tests/text/test_format_properties.py::test_every_word_survives_once_in_order",  # 100 drafts up to ~60 kB
    "tests/text/test_format_properties.py::test_headline_only_first_signature_only_last",  # the same drafts
    "tests/storage/test_database_open.py::test_a_database_locked_longer_than_5_s_is_one_line",  # waits 5 s
    "tests/storage/test_database_open.py::test_an_unopenable_db_leaves_no_thread_traceback",
    "tests/storage/test_storage.py::test_searches_in_a_worker_process_survive_its_death",
    "tests/cli/test_cli_text.py::test_missing_file_through_the_installed_command",
    "tests/botapi/test_botapi_server.py::test_server_outlives_a_sigkilled_bot_process",
    "tests/test_app.py",  # a formatting process each
    "tests/test_docs.py::test_webhook_section_and_proxy_examples_match_run_webhook",
)

# The longest files (on an idle 2-core machine), longest first: they start before any other.
LONGEST_FIRST = (
    "tests/e2e/test_restart.py",
    "tests/e2e/test_e2e_burst.py",
    "tests/sandbox/test_sandbox_browser.py",
    "tests/sandbox/test_sandbox_browser_desk.py",
    "tests/sandbox/test_sandbox.py",
    "tests/publishing/test_formatting.py",
    "tests/archive/test_search_parity.py",
    "tests/text/test_format_properties.py",
    "tests/archive/test_import_fuzz.py",
)


def _keys(item: pytest.Item) -> tuple[str, str]:
    """The test's file and its node id without parameters."""
    path, _, name = item.nodeid.partition("::")
    return path, f"{path}::{name.split('[', 1)[0]}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    used: set[str] = set()
    for item in items:
        keys = _keys(item)
        used.update(keys)
        if keys[0].startswith(E2E_FOLDERS) or set(keys) & set(E2E):
            item.add_marker(pytest.mark.e2e)
        if keys[0].startswith(SLOW_FOLDERS) or set(keys) & set(SLOW):
            item.add_marker(pytest.mark.slow)
    # An entry whose file was collected but which names no test (renamed, removed) marks nothing.
    files = {path for path, _ in map(_keys, items)}
    named = (*E2E, *SLOW, *LONGEST_FIRST)
    stale = [entry for entry in named if entry.split("::")[0] in files and entry not in used]
    if stale and not config.option.keyword and not config.option.deselect:
        raise pytest.UsageError(f"tests/conftest.py names tests that are not there: {stale}")
    # Files holding slow tests first, then those holding e2e ones, then the rest; a file's tests stay
    # together and in order (its module-scoped fixtures are made once, also without xdist).
    rank: dict[str, int] = {}
    for item in items:
        mine = 0 if item.get_closest_marker("slow") else 1 if item.get_closest_marker("e2e") else 2
        rank[_keys(item)[0]] = min(mine, rank.get(_keys(item)[0], 2))
    longest = {path: place for place, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: (rank[_keys(item)[0]], longest.get(_keys(item)[0], len(longest))))


@pytest.fixture(scope="session", autouse=True)
def _shared_formatter():
    """The formatting process the in-process bots share (tests/desk_harness.py) ends with the session."""
    yield
    # Imported here: at the top it would import tests.botapi.fixtures before pytest rewrites its asserts.
    from tests.desk_harness import SHARED_FORMATTER

    asyncio.run(SHARED_FORMATTER.close())
