"""Parity: the archive issue's relevance table gives the same top results through the bot — `/search`,
plain text and inline mode, over the Bot API test server — as through `newsdesk search` on the same
archive.

The table and its archive (the hand-written articles among 10,000 distractors) come from
tests/archive/test_search_relevance.py; the command line runs once with `--batch` for all queries.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.archive.view import PAGE_SIZE
from bot.botapi.server import BotApiServer
from tests.archive.test_search_relevance import QUERIES, archive_path  # noqa: F401  (the shared archive)
from tests.desk_harness import Desk, running_desk

REPO = Path(__file__).resolve().parents[2]
FIRST_USER = 70_000  # one subscriber per query: the table is longer than one user's rate limit


def same_title(title: str) -> str:
    """A title as compared: whitespace collapsed (the bot shows titles on one line)."""
    return " ".join(title.split())


@pytest.fixture(scope="module")
def cli_top(archive_path: Path, tmp_path_factory) -> dict[str, list[str]]:
    """`newsdesk search --batch` on the archive: the titles of the first PAGE_SIZE hits per query."""
    queries = tmp_path_factory.mktemp("parity") / "queries.txt"
    queries.write_text("\n".join(q for q, _ in QUERIES) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "search", "--batch", str(queries), "--limit", str(PAGE_SIZE),
         "--db", str(archive_path)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return {line["query"]: [same_title(hit["title"]) for hit in line["results"]] for line in lines}


@pytest.fixture
async def desk(botapi: BotApiServer, archive_path: Path, tmp_path: Path):
    database = tmp_path / "archive.sqlite3"
    shutil.copyfile(archive_path, database)  # the bot writes its search log; leave the shared one alone
    for i in range(len(QUERIES)):
        botapi.add_user(FIRST_USER + i, f"مشترک {i}", "fa")
    async with running_desk(botapi, database, search_in="process") as running:
        yield running


def page_titles(text: str) -> list[str]:
    """The titles on a results page: the first line of each numbered block, without its number."""
    blocks = text.split("\n\n")[1:]
    return [same_title(block.split("\n", 1)[0].split(". ", 1)[1]) for block in blocks]


async def test_search_command_text_and_inline_match_the_command_line(desk: Desk, cli_top) -> None:
    assert len(cli_top) == len(QUERIES)
    for i, (query, _) in enumerate(QUERIES):
        user = FIRST_USER + i
        expected = cli_top[query]
        assert expected, f"newsdesk search {query!r} found nothing"  # every query of the table finds
        sent = desk.server.user_sends_text(user, f"/search {query}")
        answer = await desk.server.wait_for_bot_message(user, after=sent, timeout=10)
        assert page_titles(answer.text) == expected, f"/search {query!r}"

        sent = desk.server.user_sends_text(user, query)  # plain text in a private chat is a search too
        answer = await desk.server.wait_for_bot_message(user, after=sent, timeout=10)
        assert page_titles(answer.text) == expected, f"text {query!r}"

        record = desk.server.user_inline_query(user, query)
        inline = await desk.server.wait_for(lambda record=record: record.answer, timeout=10)
        titles = [same_title(result["title"]) for result in inline["results"]][:PAGE_SIZE]
        assert titles == expected, f"inline {query!r}"
