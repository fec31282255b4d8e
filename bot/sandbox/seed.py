"""The sandbox's starting point: a channel with a past and an archive that holds it.

The posts come from data/archive.jsonl (written for the project, in the JSON Lines format of
`newsdesk import`). Their dates are moved so the newest is an hour old, each is put in the
emulated channel as an earlier post (bold title, text, hashtags) and archived with a link to it,
through the import pipeline `newsdesk import` uses.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta
from importlib.resources import files

from bot.archive.importers import open_archive
from bot.archive.importing import import_archive
from bot.botapi.rules import detect_entities
from bot.botapi.server import BotApiServer
from bot.core.links import public_post_link
from bot.text.limits import utf16_len
from storage.database import Database, ImportRecord

NEWEST_AGE = timedelta(hours=1)


def archive_records() -> list[ImportRecord]:
    """The sandbox archive's posts, oldest first (a malformed line is a bug of the data file)."""
    data = files("bot.sandbox").joinpath("data/archive.jsonl").read_bytes()
    records = []
    for item in open_archive(io.BytesIO(data)).items():
        if not isinstance(item, ImportRecord):
            raise ValueError(f"bot/sandbox/data/archive.jsonl: {item}")
        records.append(item)
    return sorted(records, key=lambda record: record.published_at)


def example_draft() -> str:
    """A damaged draft as editors paste it: lost emoji bullets, missing half-spaces, Arabic letters."""
    return files("bot.sandbox").joinpath("data/example-draft.txt").read_text(encoding="utf-8")


async def seed(server: BotApiServer, db: Database, now: datetime) -> int:
    """Put the archive's posts in the channel and the database; how many."""
    records = archive_records()
    shift = (now - NEWEST_AGE) - records[-1].published_at
    archived = []
    for record in records:
        published = record.published_at + shift
        text = f"{record.title}\n\n{record.body}"
        title = {"type": "bold", "offset": 0, "length": utf16_len(record.title)}
        post = server.add_channel_history(
            text, date=published.timestamp(), entities=[title, *detect_entities(text)]
        )
        url = public_post_link(server.channel.username, post.message_id)
        # The channel's key is its Bot API id, as the bot records its own channel
        # (bot.archive.importers.channel_key).
        archived.append(replace(record, published_at=published, url=url, channel=str(server.channel.id)))
    counts = await import_archive(db, archived)  # the route `newsdesk import` takes
    return counts["imported"]
