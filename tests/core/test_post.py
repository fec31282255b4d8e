"""The post (`bot.core.post.Article`): its parts are laid out once per row read, and anew for a copy
with another text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import bot.core.post
from bot.core.media import MediaItem, MediaKind, plan_parts
from bot.core.post import Article
from bot.core.status import PostStatus

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def _article(html: list[str], media: tuple[MediaItem, ...] = ()) -> Article:
    return Article(
        id=1, source="bot", external_id=None, title="خبر", body="متن", html=html, status=PostStatus.DRAFT,
        deleted=False, scheduled_at=None, published_at=None, created_at=NOW, updated_at=NOW,
        channel_message_ids=[], editor_id=7, editor_chat_id=7, url=None, failure_reason=None, media=media,
    )  # fmt: skip


def test_parts_are_planned_once_per_article(monkeypatch):
    calls = []

    def counting(media, messages):
        calls.append(1)
        return plan_parts(media, messages)

    monkeypatch.setattr(bot.core.post, "plan_parts", counting)
    article = _article(["<b>خبر</b>\nمتن", "دنباله"], (MediaItem(MediaKind.PHOTO, "f1"),))
    first = article.parts
    assert article.parts is first and article.parts == plan_parts(article.media, article.html)
    assert len(calls) == 1
    # A copy with another text is laid out again, not given the old parts.
    changed = replace(article, html=["تازه"])
    assert [part.html for part in changed.parts] == ["تازه"] and len(calls) == 2


def test_the_cached_parts_do_not_change_equality_or_repr():
    article = _article(["متن"])
    fresh = _article(["متن"])
    assert article.parts and article == fresh and "_parts" not in repr(article)
