"""The one owner of newsdesk's SQLite database: `Database`, made of focused parts over one connection.

- `storage.connection`: the file, the connection and its write lock (`BEGIN IMMEDIATE` under one asyncio
  lock), migrations, the searches' reading connection, times as stored;
- `storage.posts`: posts and the publishing ledger (every state change, the queries that read posts);
- `storage.desk_state`: what the desk remembers of its editors between messages, and the channels;
- `storage.stories`: the published posts of the last days that may tell a draft's story (its duplicates);
- `storage.copies`: the ledger of each post's copies in the other destinations;
- `storage.history`: every post's history (each act that wrote to the channel) and the editors' names;
- `storage.search_index`: search, the index's re-build and merge, the search log, the import.

`await Database.open(path)` (or `async with Database.open(path) as db`) opens it. Callers import what
they need of storage from here; the post itself is `bot.core.post.Article`.
"""

from __future__ import annotations

from storage.connection import (
    DatabaseUnusable,
    SearchIn,
    from_db_time,
    sqlite_problem,
    to_db_time,
)
from storage.copies import Copies, CopyRow
from storage.desk_state import DeskState
from storage.history import PostHistory
from storage.posts import Posts
from storage.search_index import ImportCounts, ImportRecord, PostKey, SearchArchive, SearchHit, SearchResult
from storage.stories import StoryCandidates

__all__ = [
    "CopyRow",
    "Database",
    "DatabaseUnusable",
    "ImportCounts",
    "ImportRecord",
    "PostKey",
    "SearchHit",
    "SearchIn",
    "SearchResult",
    "from_db_time",
    "sqlite_problem",
    "to_db_time",
]


class Database(StoryCandidates, Posts, DeskState, Copies, PostHistory, SearchArchive):
    """The connection to newsdesk's SQLite file and every query newsdesk runs on it."""
