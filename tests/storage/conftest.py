"""What the storage tests share: a fresh database on a real SQLite file."""

from __future__ import annotations

import pytest

from storage.database import Database


@pytest.fixture
async def db(tmp_path):
    async with Database.open(tmp_path / "news.sqlite3") as database:
        yield database
