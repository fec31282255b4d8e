"""A correction, new files or a deletion of a published post follow in each of its copies (issue 21).

`MirroredPublisher` is the publisher of a desk with other destinations: once the primary post is
corrected or deleted, `CopyFollower` does the same to every complete copy, under the copies' own lock
(bot/publishing/copies.py), and the editors hear how each went:
- where the network edits (Telegram, Bale), each changed message of the copy is edited in place; a
  correction that changes the copy's shape (more or fewer messages) cannot be followed there; new
  files replace the old in place (uploaded where Telegram's file ids mean nothing);
- where it cannot (Eitaa), a short correction note («اصلاحیه») goes out in reply to the copy, and
  new files go out after it, the first with a note;
- a deletion deletes the copy where the network deletes; on Eitaa the copy stays, and as
  EITAA_DELETION says, a short notice goes out in reply to it (`notice`) or only the editor is told
  (`editor`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from bot import messages as msg
from bot.core.history import Act, Writes
from bot.core.media import MediaItem, Part
from bot.core.post import Article
from bot.destinations import CopyFollow, Destination, FollowHow
from bot.networks import CAPABILITIES
from bot.publishing.channels import CopyChannel, CopyFailure
from bot.publishing.copies import CopyOutcome, CopySender, copy_parts
from bot.publishing.formatter import PreparedPost
from bot.publishing.publisher import Publisher, Removal, RemovalOutcome, Revision, RevisionOutcome
from bot.text.plain import plain_text

log = logging.getLogger(__name__)

# One copy's part of a correction, new files or a deletion: (channel, destination, ids, writes) → how it went.
type CopyStep = Callable[[CopyChannel, Destination, list[tuple[int, ...]], Writes], Awaitable[CopyOutcome]]

NOTE_CHARS = 1000  # a correction note quotes at most this much of the new text: a note, not a second post


class CopyFollower:
    """Corrections and deletions of a post, followed in its copies."""

    def __init__(self, copies: CopySender, *, eitaa_deletion: Literal["notice", "editor"]) -> None:
        self.copies = copies
        self.eitaa_deletion = eitaa_deletion

    async def plan(self, article: Article, *, deletion: bool) -> list[CopyFollow]:
        """What a correction (`deletion`: a deletion) of `article` would write to each complete copy,
        for the question before ✅: the same rules `_correct_copy` and `_delete_copy` follow."""
        return [
            CopyFollow(destination, self._how(destination, deletion=deletion))
            for destination, _ in await self._sent_copies(article)
        ]

    def _how(self, destination: Destination, *, deletion: bool) -> FollowHow:
        capabilities = CAPABILITIES[destination.network]
        if deletion:
            if capabilities.delete:
                return "delete"
            return "note" if self.eitaa_deletion == "notice" else "left"
        return "edit" if capabilities.edit else "note"

    async def _sent_copies(self, article: Article) -> list[tuple[Any, list[tuple[int, ...]]]]:
        """Each destination whose copy went out whole, with each request's message ids."""
        rows = await self.copies.db.copy_rows(article.id)
        found = []
        for destination in self.copies.destinations:
            mine = sorted((r for r in rows if r.destination == destination.key), key=lambda r: r.part)
            if mine and all(r.state == "sent" for r in mine):
                found.append((destination, [r.message_ids for r in mine]))
        return found

    async def _follow(
        self, article: Article, act: Act, by: int | None, step: CopyStep, what: str, **trace: Any
    ) -> list[CopyOutcome]:
        """`step` done to each complete copy of `article` under the copies' lock, each copy's writes in
        the post's history (`act`, by editor `by`); a copy that fails is said unfollowed (`what` in the
        log line), the others go on."""
        outcomes = []
        async with self.copies.holding(article.id):
            for destination, ids in await self._sent_copies(article):
                channel = self.copies.outlets.channels[destination.key]
                history = self.copies.history.act(article.id, act, by, destination=destination.name, **trace)
                try:
                    async with history as writes:
                        outcomes.append(await step(channel, destination, ids, writes))
                except CopyFailure as failure:
                    log.warning(
                        "%s of post %s not followed in %s: %s", what, article.id, destination.key, failure
                    )
                    outcomes.append(CopyOutcome(destination, "unfollowed", detail=failure.detail))
        return outcomes

    async def correction(self, before: Article, after: Article, by: int | None = None) -> list[CopyOutcome]:
        """Follow the post's correction (`before` → `after`, by editor `by`) in every copy; each copy's
        writes in the post's history (`History.act`)."""
        step = functools.partial(self._correct_copy, before, after)
        return await self._follow(after, Act.CORRECTED, by, step, "correction")

    async def _correct_copy(
        self, before: Article, after: Article, channel: CopyChannel, destination: Destination,
        ids: list[tuple[int, ...]], writes: Writes,
    ) -> CopyOutcome:  # fmt: skip
        """One copy's part of a correction: a note where the network cannot edit, else its edits."""
        if self._how(destination, deletion=False) == "note":
            text = plain_text("\n\n".join(after.html))[:NOTE_CHARS]
            writes.sent.append(
                await channel.note(msg.text("copy_correction_note", msg.FA, text=text), ids[0][0])
            )
            return CopyOutcome(destination, "noted", ids[0])
        old = copy_parts(before, destination, self.copies.signature)
        new = copy_parts(after, destination, self.copies.signature)
        if len(old) != len(new) or [bool(p.media) for p in old] != [bool(p.media) for p in new]:
            return CopyOutcome(destination, "unfollowed", detail=msg.text("copy_shape_changed", msg.FA))
        if any(first <= 0 for first, *_ in ids):  # confirmed by eye: its id is unknown
            return CopyOutcome(destination, "unfollowed", detail=msg.text("copy_id_unknown", msg.FA))
        for (first, *_), was, now in zip(ids, old, new, strict=True):
            if was.html != now.html:
                await channel.edit(first, now)
                writes.edited.append(first)
        return CopyOutcome(destination, "edited", ids[0])

    async def new_files(self, before: Article, after: Article, by: int | None = None) -> list[CopyOutcome]:
        """Follow the post's new files (`before` → `after`): each replaced in place where the network
        edits (uploaded where Telegram's file ids mean nothing), else sent after the copy with a note."""
        pairs = zip(before.media, after.media, strict=True)
        changed = [place for place, (was, now) in enumerate(pairs) if was != now]
        if not changed:
            return []
        step = functools.partial(self._swap_files, after, changed)
        items = tuple(place + 1 for place in changed)
        return await self._follow(after, Act.MEDIA, by, step, "new files", items=items)

    async def _swap_files(
        self, after: Article, changed: list[int], channel: CopyChannel, destination: Destination,
        ids: list[tuple[int, ...]], writes: Writes,
    ) -> CopyOutcome:  # fmt: skip
        """One copy's part of new files: edited in place, or (Eitaa) sent after it, the first with a note."""
        fetch = self.copies.files.fetch
        if not CAPABILITIES[destination.network].edit:
            for place in changed:
                note = msg.text("copy_files_note", msg.FA) if place == changed[0] else ""
                writes.sent.extend(await channel.send(Part(note, (after.media[place],)), fetch, silent=True))
            return CopyOutcome(destination, "noted", ids[0])
        parts = copy_parts(after, destination, self.copies.signature)
        # The files come first (bot.core.media.plan_parts): each file's message, in order.
        file_ids = [i for part, part_ids in zip(parts, ids, strict=True) if part.media for i in part_ids]
        if any(file_ids[place] <= 0 for place in changed):  # confirmed by eye: its id is unknown
            return CopyOutcome(destination, "unfollowed", detail=msg.text("copy_id_unknown", msg.FA))
        caption = parts[0].html if parts[0].media else ""
        for place in changed:
            await channel.replace_file(
                file_ids[place], after.media[place], caption if place == 0 else "", fetch
            )
            writes.edited.append(file_ids[place])
        return CopyOutcome(destination, "edited", ids[0])

    async def deletion(self, article: Article, by: int | None = None) -> list[CopyOutcome]:
        """Follow the post's deletion (by editor `by`) in every copy (Eitaa's: a notice, or only the
        editor is told); each copy's writes in the post's history (`History.act`)."""
        return await self._follow(article, Act.DELETED, by, self._delete_copy, "deletion")

    async def _delete_copy(
        self, channel: CopyChannel, destination: Destination, ids: list[tuple[int, ...]], writes: Writes
    ) -> CopyOutcome:
        """One copy's part of a deletion: its messages deleted, or on Eitaa a notice (or nothing)."""
        how = self._how(destination, deletion=True)
        if how == "note":
            writes.sent.append(await channel.note(msg.text("copy_deletion_note", msg.FA), ids[0][0]))
            return CopyOutcome(destination, "noted", ids[0])
        if how == "left":
            return CopyOutcome(destination, "left", ids[0])
        for message_id in (i for part in ids for i in part if i > 0):
            await channel.delete(message_id)
            writes.deleted.append(message_id)
        return CopyOutcome(destination, "deleted")


class MirroredPublisher(Publisher):
    """The publisher of a desk with other destinations: what it corrects or deletes in the channel
    follows in each copy, and the editors are told how (`copies` notice)."""

    def __init__(self, *args: Any, follower: CopyFollower, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.follower = follower

    async def correct(self, article_id: int, post: PreparedPost, *, by: int | None = None) -> Revision:
        revision = await super().correct(article_id, post, by=by)
        after = await self.db.get(article_id)
        if (
            revision.outcome is RevisionOutcome.CORRECTED
            and revision.article is not None
            and after is not None
        ):
            await self._report(after, await self.follower.correction(revision.article, after, by))
        return revision

    async def replace_media(
        self, article_id: int, media: Sequence[MediaItem], *, by: int | None = None
    ) -> Revision:
        revision = await super().replace_media(article_id, media, by=by)
        after = await self.db.get(article_id)
        if revision.outcome is RevisionOutcome.CORRECTED and revision.article is not None and after:
            await self._report(after, await self.follower.new_files(revision.article, after, by))
        return revision

    async def delete(self, article_id: int, *, by: int | None = None) -> Removal:
        removal = await super().delete(article_id, by=by)
        if removal.outcome is RemovalOutcome.DELETED and removal.article is not None:
            await self._report(removal.article, await self.follower.deletion(removal.article, by))
        return removal

    async def copies_following(self, article: Article, *, deletion: bool = False) -> list[CopyFollow]:
        return await self.follower.plan(article, deletion=deletion)

    async def _report(self, article: Article, outcomes: Sequence[CopyOutcome]) -> None:
        if outcomes:
            await self.follower.copies.notices.copies(article, outcomes)
