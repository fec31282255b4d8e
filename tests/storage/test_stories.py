"""The duplicate guard's candidates (storage.stories): recent published posts sharing a draft's rarest
words, found through the search index, never by reading every article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.text.similar import story_terms
from storage.database import Database
from storage.stories import CANDIDATES_WHERE, RAREST_TERMS

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
QUAKE = "زمین‌لرزهٔ ۵٫۲ ریشتری خوی را لرزاند؛ ۲۳ نفر مصدوم شدند و به ۱۵ روستای اطراف خسارت رسید."
QUAKE_AGAIN = "۲۳ مصدوم در زلزلهٔ ۵٫۲ ریشتری بامداد خوی؛ خسارت به ۱۵ روستا"
OTHER = "بازار طلای تهران امروز آرام بود و سکهٔ امامی ۶۲ میلیون تومان معامله شد."


async def _published(db: Database, text: str, at: datetime) -> int:
    title, _, body = text.partition("؛")
    article_id = await db.create_draft(title, body, [text], editor_id=1, editor_chat_id=1)
    assert await db.claim_for_publishing(article_id)
    assert await db.mark_published(article_id, [article_id + 100], at)
    return article_id


async def test_recent_posts_sharing_rare_words_are_candidates_older_and_other_ones_not(db: Database) -> None:
    recent = await _published(db, QUAKE, NOW - timedelta(days=1))
    old = await _published(db, QUAKE, NOW - timedelta(days=10))
    await _published(db, OTHER, NOW - timedelta(hours=1))
    since = NOW - timedelta(days=3)
    found = await db.posts_sharing_rare_terms(story_terms(QUAKE_AGAIN), since)
    assert [a.id for a in found] == [recent]  # not the 10-day-old one, not the gold market
    assert [
        a.id for a in await db.posts_sharing_rare_terms(story_terms(QUAKE_AGAIN), NOW - timedelta(days=30))
    ] == [
        recent,
        old,
    ]  # newest first
    assert await db.mark_deleted(recent)
    assert await db.posts_sharing_rare_terms(story_terms(QUAKE_AGAIN), since) == []  # deleted: not live


async def test_no_terms_or_words_the_archive_never_saw_find_nothing(db: Database) -> None:
    await _published(db, QUAKE, NOW)
    assert await db.posts_sharing_rare_terms(frozenset(), NOW - timedelta(days=3)) == []
    assert await db.posts_sharing_rare_terms({"ناشناخته", "x1y2"}, NOW - timedelta(days=3)) == []
    assert await db.posts_sharing_rare_terms(story_terms(QUAKE), NOW - timedelta(days=3), limit=0) == []


async def test_only_the_rarest_words_are_looked_up_and_at_most_limit_posts_come(db: Database) -> None:
    for day in range(6):  # a common word in every post, and one rare word each
        await _published(db, f"گزارش روزانهٔ بازار شمارهٔ واژه{day} دربارهٔ قیمت‌ها", NOW - timedelta(hours=day))
    common_and_one_rare = {"گزارش", "بازار", "قیمت", "واژه3"}
    found = await db.posts_sharing_rare_terms(common_and_one_rare, NOW - timedelta(days=3))
    assert len(found) == 6  # the common words are among the rarest few the draft has: every post
    many = {f"عدد{i}" for i in range(RAREST_TERMS + 5)} | {"واژه3"}  # unseen words do not crowd it out
    assert [a.title for a in await db.posts_sharing_rare_terms(many, NOW - timedelta(days=3))] == [
        "گزارش روزانهٔ بازار شمارهٔ واژه3 دربارهٔ قیمت‌ها"
    ]
    assert len(await db.posts_sharing_rare_terms(common_and_one_rare, NOW - timedelta(days=3), limit=2)) == 2


async def test_the_lookup_reads_the_search_index_not_every_article(db: Database) -> None:
    await _published(db, QUAKE, NOW)
    plan = await db._conn.execute_fetchall(
        f"EXPLAIN QUERY PLAN SELECT id FROM articles WHERE {CANDIDATES_WHERE}", ('"خوی"', 0, 20)
    )
    details = " | ".join(row[-1] for row in plan)
    assert "VIRTUAL TABLE INDEX" in details and "SCAN articles" not in details, details
