"""The publishing state machine's states, named once (docs/architecture.md: draft → scheduled →
publishing → published | failed, plus cancelled, which a draft's discard or a post's cancel leads to
and only a restore leaves). Storage, the publisher, the scheduler and the desk
use these; the SQL that filters by state is built from them too (`storage.states.sql_in`)."""

from __future__ import annotations

from enum import StrEnum


class PostStatus(StrEnum):
    """Where a post is on its way to the channel."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"  # claimed by the publisher; after a crash: uncertain
    PUBLISHED = "published"
    FAILED = "failed"
    CANCELLED = "cancelled"


# Not yet in the channel: the text may still change, and the post may be (re)scheduled or cancelled.
# A cancelled post is none of these: its old buttons (🚀, a time) must not bring it out unasked; only
# a restore (bot.desk.undo) makes it a draft or a scheduled post again.
EDITABLE = frozenset({PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.FAILED})
PENDING = frozenset({PostStatus.SCHEDULED, PostStatus.PUBLISHING})  # they hold a time in the schedule
