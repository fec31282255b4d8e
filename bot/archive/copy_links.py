"""Where a result links for a reader on another network: the post's copy there (bot.core.links).

A Bale reader's result opens the post's copy in a Bale channel (the first of that network's
destinations that has one, in the settings' order), found in the copies ledger; a post with no such
copy (published before the mirror existed, toggled off, a copy that failed, an imported post) keeps
its Telegram link, the only place it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.links import copy_link

if TYPE_CHECKING:
    from bot.destinations import Destination
    from storage.database import Database


async def copy_links(
    db: Database, mirrors: Sequence[Destination], article_ids: Sequence[int]
) -> dict[int, str]:
    """Each post's link to its copy in the first of `mirrors` that has one; posts without are left out."""
    found = await db.first_copy_ids(article_ids, [mirror.key for mirror in mirrors])
    links: dict[int, str] = {}
    for article_id in article_ids:
        for mirror in mirrors:
            message_id = found.get((article_id, mirror.key))
            link = copy_link(mirror.network, mirror.chat_id, message_id) if message_id else None
            if link:
                links[article_id] = link
                break
    return links
