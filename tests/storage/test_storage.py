"""Database: migrations, the publishing state machine, the search index kept in step, imports."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.media import MediaItem, MediaKind
from bot.core.post import HeldCorrection
from bot.text.analyze import ANALYZER_VERSION
from storage.database import Database, DatabaseUnusable, ImportRecord
from storage.migrations import MIGRATIONS

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


async def _published(db: Database, title: str, body: str, message_ids=(100,), at=T0) -> int:
    article_id = await db.create_draft(title, body, [f"<b>{title}</b>"], editor_id=1, editor_chat_id=1)
    assert await db.claim_for_publishing(article_id)
    assert await db.mark_published(article_id, list(message_ids), at)
    return article_id


async def test_open_sets_pragmas_and_schema_version(tmp_path):
    path = tmp_path / "sub" / "news.sqlite3"  # the parent directory is created
    async with Database.open(path):
        pass
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    async with Database.open(path) as again:  # reopening applies nothing twice
        assert await again.count_published() == 0


async def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "news.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(DatabaseUnusable, match="newer"):
        await Database.open(path)


async def test_draft_to_published_and_searchable(db):
    article_id = await db.create_draft("بودجه شهرداری", "متن خبر بودجه", ["<b>بودجه</b>"], editor_id=7,
                                       editor_chat_id=70, source_message_id=5)  # fmt: skip
    draft = await db.get(article_id)
    assert draft.status == "draft" and draft.html == ["<b>بودجه</b>"] and draft.source_message_id == 5
    assert not (await db.search("بودجه")).hits  # drafts are not searchable
    assert await db.schedule(article_id, T0 + timedelta(hours=2))
    assert (await db.get(article_id)).scheduled_at == T0 + timedelta(hours=2)
    assert await db.claim_for_publishing(article_id)
    assert (await db.get(article_id)).status == "publishing"
    assert not await db.claim_for_publishing(article_id)  # claimed once: a second claim sends nothing
    assert await db.mark_published(article_id, [501, 502], T0 + timedelta(hours=2))
    article = await db.get(article_id)
    assert article.status == "published" and article.channel_message_ids == [501, 502]
    assert article.external_id == "501"
    hits = (await db.search("بودجه")).hits
    assert [h.article_id for h in hits] == [article_id]
    assert hits[0].external_id == "501" and hits[0].channel_message_ids == [501, 502]


async def test_claim_is_atomic_under_concurrency(db):
    article_id = await db.create_draft("t", "b", [])
    await db.schedule(article_id, T0)
    results = await asyncio.gather(*(db.claim_for_publishing(article_id) for _ in range(20)))
    assert results.count(True) == 1
    assert (await db.get(article_id)).status == "publishing"


async def test_claim_due_by_skips_posts_moved_later(db):
    article_id = await db.create_draft("t", "b", [])
    await db.schedule(article_id, T0 + timedelta(hours=1))
    assert not await db.claim_for_publishing(article_id, due_by=T0)
    assert await db.claim_for_publishing(article_id, due_by=T0 + timedelta(hours=1))


async def test_state_machine_refuses_wrong_transitions(db):
    article_id = await _published(db, "عنوان", "متن")
    assert not await db.schedule(article_id, T0)
    assert not await db.cancel(article_id)
    assert not await db.claim_for_publishing(article_id)
    assert not await db.mark_failed(article_id, "x")
    assert not await db.mark_published(article_id, [1], T0)
    assert not await db.update_draft(article_id, "a", "b", [])
    assert await db.get(10_000) is None
    assert not await db.schedule(10_000, T0)


async def test_failure_and_recovery(db):
    article_id = await db.create_draft("t", "b", [])
    await db.schedule(article_id, T0)
    assert await db.claim_for_publishing(article_id)
    assert await db.mark_failed(article_id, "ربات مدیر کانال نیست")
    failed = await db.get(article_id)
    assert failed.status == "failed" and failed.failure_reason == "ربات مدیر کانال نیست"
    assert await db.revert_to_scheduled(article_id, T0 + timedelta(minutes=5))
    again = await db.get(article_id)
    assert again.status == "scheduled" and again.scheduled_at == T0 + timedelta(minutes=5)
    assert await db.claim_for_publishing(article_id)  # a failed post can be claimed again
    assert (await db.get(article_id)).status == "publishing"
    assert not await db.claim_for_publishing(article_id)


async def test_cancel_keeps_the_post_and_only_a_restore_brings_it_back(db):
    db.clock = lambda: T0
    article_id = await db.create_draft("t", "b", [])
    await db.schedule(article_id, T0 + timedelta(hours=1))
    assert await db.cancel(article_id)
    assert not await db.cancel(article_id)
    cancelled = await db.get(article_id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at == T0
    assert cancelled.scheduled_at == T0 + timedelta(hours=1)  # kept, for a restore to its slot
    # Nothing but a restore: not an old button's time, nor a claim, nor a new text.
    assert not await db.claim_for_publishing(article_id)
    assert not await db.schedule(article_id, T0 + timedelta(days=1))
    assert not await db.update_draft(article_id, "t2", "b2", [])
    assert [a.id for a in await db.list_cancelled(T0)] == [article_id]
    assert await db.list_cancelled(T0 + timedelta(seconds=1)) == []
    # Its slot still ahead: back in the queue at it.
    assert await db.restore(article_id, T0 + timedelta(minutes=59))
    back = await db.get(article_id)
    assert back.status == "scheduled" and back.scheduled_at == T0 + timedelta(hours=1)
    assert back.cancelled_at is None and not await db.restore(article_id, T0)
    # Its slot gone by while it was cancelled: a draft, without the old time.
    assert await db.cancel(article_id)
    assert await db.restore(article_id, T0 + timedelta(hours=1))
    back = await db.get(article_id)
    assert back.status == "draft" and back.scheduled_at is None
    assert [a.id for a in await db.list_drafts()] == [article_id]


async def test_pending_due_and_taken_times(db):
    ids = []
    for minutes in (30, 10, 20):
        article_id = await db.create_draft(f"t{minutes}", "b", [])
        await db.schedule(article_id, T0 + timedelta(minutes=minutes))
        ids.append(article_id)
    await db.claim_for_publishing(ids[2])  # a crash would leave it here: uncertain
    await db.create_draft("just a draft", "b", [])
    assert [a.id for a in await db.list_scheduled()] == [ids[1], ids[0]]
    assert [a.id for a in await db.list_pending()] == [ids[1], ids[2], ids[0]]
    assert [a.id for a in await db.list_due(T0 + timedelta(minutes=15))] == [ids[1]]
    taken = await db.scheduled_times(T0, T0 + timedelta(minutes=25))
    assert taken == [T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)]


async def test_naive_datetimes_are_refused(db):
    article_id = await db.create_draft("t", "b", [])
    with pytest.raises(ValueError, match="naive"):
        await db.schedule(article_id, datetime(2026, 1, 1, 8, 0))


async def test_edit_published_reindexes(db):
    article_id = await _published(db, "زلزله در کرمان", "خسارتی گزارش نشد")
    assert await db.record_notice(article_id, 1, 42) is None
    assert (await db.find_by_notice(1, 42)).id == article_id
    assert await db.update_published_content(article_id, "سیل در گیلان", "خسارت سنگین", ["<b>سیل</b>"])
    assert not (await db.search("زلزله")).hits
    assert [h.article_id for h in (await db.search("سیل گیلان")).hits] == [article_id]
    assert (await db.get(article_id)).html == ["<b>سیل</b>"]


async def test_a_held_correction_keeps_its_files_and_is_taken_once(db):
    article_id = await _published(db, "خبر تصویری", "متن")
    photo = (MediaItem(MediaKind.PHOTO, "new-file"),)
    await db.hold_correction(article_id, HeldCorrection("خبر تصویری", "متن تازه", ["<b>تازه</b>"], photo))
    assert await db.take_correction(article_id) == HeldCorrection(
        "خبر تصویری", "متن تازه", ["<b>تازه</b>"], photo
    )
    assert await db.take_correction(article_id) is None  # a second ✅ finds nothing
    await db.hold_correction(article_id, HeldCorrection("خبر", "متن", ["<b>خبر</b>"]))  # a text alone
    assert (await db.take_correction(article_id)).media is None  # None: the files stay


async def test_deleted_posts_leave_search_and_latest(db):
    kept = await _published(db, "خبر اول", "متن", [1], T0)
    gone = await _published(db, "خبر دوم", "متن", [2], T0 + timedelta(hours=1))
    assert [a.id for a in await db.latest(5)] == [gone, kept]
    assert await db.mark_deleted(gone)
    assert not await db.mark_deleted(gone)
    assert [a.id for a in await db.latest(5)] == [kept]
    assert [h.article_id for h in (await db.search("خبر")).hits] == [kept]
    assert await db.count_published() == 1


async def test_import_is_idempotent_and_searchable(db):
    records = [
        ImportRecord(str(i), f"خبر شماره {i}", "متن واردشده", T0 - timedelta(days=i)) for i in range(30)
    ]
    first = await db.import_articles(records)
    assert (first.imported, first.duplicates) == (30, 0)
    again = await db.import_articles(records + records[:3])
    assert (again.imported, again.duplicates) == (0, 33)
    assert await db.count_published() == 30
    hits = (await db.search("واردشده", limit=50)).hits
    assert len(hits) == 30
    assert hits[0].external_id == "0"  # equal relevance: the newest first


async def test_merging_the_index_after_a_big_import_keeps_every_hit(db, tmp_path):
    """Each import transaction leaves a segment of its own; merging them changes no answer."""
    for batch in range(6):
        await db.import_articles([
            ImportRecord(f"{batch}-{i}", f"خبر {batch} شماره {i}", f"متن {i % 4} درباره بودجه",
                         T0 - timedelta(hours=batch * 10 + i))
            for i in range(10)
        ])  # fmt: skip
    path = tmp_path / "news.sqlite3"
    queries = ["خبر", "بودجه 2", "شماره", "متن 3 خبر 5", "درب"]
    before = [[(h.article_id, h.score) for h in (await db.search(q, limit=50)).hits] for q in queries]
    assert _segments(path) > 1
    assert not await db.search_index_wants_merge(5)  # 5 of 60: left to FTS5's automerge
    assert await db.search_index_wants_merge(6) and not await db.search_index_wants_merge(0)
    await db.merge_search_index()
    assert _segments(path) == 1
    assert [[(h.article_id, h.score) for h in (await db.search(q, limit=50)).hits] for q in queries] == before
    assert len(before[0]) == 50


def _segments(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(DISTINCT segid) FROM search_index_idx").fetchone()[0]
    finally:
        conn.close()


async def test_term_statistics_follow_the_index(db, tmp_path):
    article_id = await _published(db, "پتروشیمی", "متن")
    await db.update_published_content(article_id, "فولاد", "متن", [])
    await db.mark_deleted(article_id)
    await db.close()
    conn = sqlite3.connect(tmp_path / "news.sqlite3")
    counts = dict(conn.execute("SELECT term, df FROM search_terms").fetchall())
    assert counts.get("پتروشیمی", 0) == 0 and counts.get("فولاد", 0) == 0
    assert conn.execute("SELECT value FROM search_meta WHERE key = 'docs'").fetchone()[0] == "0"
    conn.close()


def _change_behind_its_back(path, *statements: str) -> None:
    """Edit a closed database with plain SQL, as an older newsdesk or a crash might have left it."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


async def test_index_is_rebuilt_when_the_analyzer_changes(tmp_path):
    path = tmp_path / "news.sqlite3"
    async with Database.open(path) as db:
        await _published(db, "پروژه‌های عمرانی", "متن")
    _change_behind_its_back(
        path,
        "UPDATE search_meta SET value = 'old' WHERE key = 'analyzer_version'",
        "INSERT INTO search_index (search_index) VALUES ('delete-all')",
    )
    async with Database.open(path) as db:
        await db.wait_for_reindex()
        assert len((await db.search("پروژه")).hits) == 1


async def test_an_archive_of_analyzer_3_finds_its_numbers_after_the_reindex(tmp_path):
    """Analyzer 3 indexed `۸۵٬۴۰۰٬۰۰۰` as three numbers (85, 400, 0): the archive answers from that
    index until the background re-index of analyzer 4 is done, then `85400000` finds the post."""
    path = tmp_path / "news.sqlite3"
    async with Database.open(path) as db:
        await _published(db, "قیمت پراید", "قیمت به ۸۵٬۴۰۰٬۰۰۰ تومان و ۴٫۲ درصد بیشتر رسید")
    _change_behind_its_back(
        path,
        "UPDATE search_meta SET value = '3' WHERE key = 'analyzer_version'",
        "INSERT INTO search_index (search_index) VALUES ('delete-all')",
        "INSERT INTO search_index (rowid, title, body) SELECT search_key, 'قیمت پراید',"
        " 'قیمت به 85 400 0 تومان و 4 2 درصد بیشتر رسید' FROM articles",
    )
    async with Database.open(path) as db:
        await db.wait_for_reindex()
        for query in ("85400000", "۸۵٬۴۰۰٬۰۰۰", "پراید 4.2", "۴٫۲ درصد"):
            assert len((await db.search(query)).hits) == 1, query
        assert not (await db.search("400")).hits  # a part of the price is no number of its own


async def test_a_new_analyzer_reindexes_in_the_background_while_search_and_writes_go_on(
    tmp_path, monkeypatch
):
    """An archive indexed by an older analyzer keeps answering from its old index while the new one is
    built a batch at a time; posts published, edited and deleted meanwhile end up right in the new one."""
    monkeypatch.setattr("storage.search_index.REINDEX_BATCH", 2)
    path = tmp_path / "news.sqlite3"
    async with Database.open(path) as db:
        ids = [await _published(db, f"خبر شماره {n} واژه{n}", "ﻣﺪﺭﺳﻪ", message_ids=(n,)) for n in range(1, 9)]
    # The old analyzer did not fold presentation forms: its index holds them as written.
    _change_behind_its_back(
        path,
        "UPDATE search_meta SET value = '1' WHERE key = 'analyzer_version'",
        "INSERT INTO search_index (search_index) VALUES ('delete-all')",
        "INSERT INTO search_index (rowid, title, body) SELECT search_key, title, 'ﻣﺪﺭﺳﻪ' FROM articles",
    )
    async with Database.open(path) as db:
        assert db._reindexing is not None
        assert len((await db.search("واژه1")).hits) == 1  # answered from the old index meanwhile
        await db.update_published_content(ids[0], "فولاد مبارکه", "ﻣﺪﺭﺳﻪ", [])
        await db.mark_deleted(ids[7])
        await asyncio.sleep(0.05)
        await db.update_published_content(ids[1], "پتروشیمی", "ﻣﺪﺭﺳﻪ", [])
        later = await _published(db, "خبر تازه واژه9", "ﻣﺪﺭﺳﻪ", message_ids=(9,))
        await db.wait_for_reindex()
        assert {hit.article_id for hit in (await db.search("مدرسه", limit=20)).hits} == {*ids[:7], later}
        assert [h.article_id for h in (await db.search("فولاد")).hits] == [ids[0]]
        assert [h.article_id for h in (await db.search("پتروشیمی")).hits] == [ids[1]]
        assert not (await db.search("واژه8")).hits and not (await db.search("واژه1")).hits
        assert [h.article_id for h in (await db.search("واژه9")).hits] == [later]
    conn = sqlite3.connect(path)
    meta = dict(conn.execute("SELECT key, value FROM search_meta").fetchall())
    assert meta["analyzer_version"] == str(ANALYZER_VERSION) and meta["docs"] == "8"
    assert "reindex_cursor" not in meta
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name LIKE '%_next%'").fetchall()
    assert conn.execute("SELECT count(*) FROM search_docs").fetchone()[0] == 8
    conn.execute("INSERT INTO search_index (search_index) VALUES ('integrity-check')")
    conn.close()


async def test_a_reindex_stopped_half_way_resumes(tmp_path, monkeypatch):
    monkeypatch.setattr("storage.search_index.REINDEX_BATCH", 1)
    path = tmp_path / "news.sqlite3"
    async with Database.open(path) as db:
        for n in range(1, 6):
            await _published(db, f"خبر واژه{n}", "متن", message_ids=(n,))
    _change_behind_its_back(path, "UPDATE search_meta SET value = '1' WHERE key = 'analyzer_version'")
    async with Database.open(path) as db:
        while await db._index.reindex_cursor() in (None, -1):  # stop it after a batch or two
            await asyncio.sleep(0.001)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM search_meta WHERE key = 'reindex_cursor'").fetchone()
    conn.close()
    async with Database.open(path) as db:
        await db.wait_for_reindex()
        for n in range(1, 6):
            assert len((await db.search(f"واژه{n}")).hits) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM search_meta WHERE key = 'docs'").fetchone() == ("5",)
    conn.close()


async def test_a_reindex_shows_its_progress(tmp_path, capfd):
    path = tmp_path / "news.sqlite3"
    async with Database.open(path) as db:
        for n in range(1, 4):
            await _published(db, f"خبر واژه{n}", "متن", message_ids=(n,))
    _change_behind_its_back(path, "UPDATE search_meta SET value = '1' WHERE key = 'analyzer_version'")
    async with Database.open(path) as db:
        await db.wait_for_reindex()  # started at open, its bar shown only on a terminal
        capfd.readouterr()
        _change_behind_its_back(path, "UPDATE search_meta SET value = '1' WHERE key = 'analyzer_version'")
        await db.reindex_search(progress=True)
    bar = capfd.readouterr().err
    assert "search re-index" in bar and "3/3" in bar


async def test_search_docs_follow_the_index(db, tmp_path):
    kept = await _published(db, "بودجه عمرانی", "متن")
    edited = await _published(db, "پتروشیمی", "متن", message_ids=(101,))
    await db.update_published_content(edited, "فولاد مبارکه", "متن", [])
    await db.mark_deleted(kept)
    await db.close()
    conn = sqlite3.connect(tmp_path / "news.sqlite3")
    assert conn.execute("SELECT length, title FROM search_docs").fetchall() == [(3, "فولاد مبارکه")]
    conn.close()


async def test_search_docs_are_filled_for_an_archive_indexed_before_them(tmp_path):
    path = tmp_path / "news.sqlite3"
    async with Database.open(path) as db:
        await _published(db, "پروژه‌های عمرانی", "متن")
    _change_behind_its_back(
        path, "DELETE FROM search_docs", "INSERT INTO search_meta (key, value) VALUES ('docs_pending', '1')"
    )
    async with Database.open(path):
        pass
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT length, title FROM search_docs").fetchall() == [(3, "پروژه عمرانی")]
    assert conn.execute("SELECT * FROM search_meta WHERE key = 'docs_pending'").fetchall() == []
    conn.close()


async def test_recent_matches_of_common_words_rank_titles_first(db, monkeypatch):
    """The bounded plan (terms too common for FTS5's bm25) still puts a title match above body ones."""
    import storage.search

    monkeypatch.setattr(storage.search, "BM25_BUDGET", 0)
    records = [ImportRecord(str(i), f"گزارش {i}", "اقتصاد کشور", T0 - timedelta(hours=i)) for i in range(20)]
    records.append(ImportRecord("title", "اقتصاد ایران", "گزارش کشور", T0 - timedelta(hours=30)))
    await db.import_articles(records)
    hits = (await db.search("اقتصاد", now=T0)).hits
    assert hits[0].external_id == "title" and len(hits) == 10


async def test_an_edited_title_is_ranked_by_its_new_words(db, monkeypatch):
    """The searcher caches candidates' title terms; an edit must not leave it ranking the old title."""
    import storage.search

    monkeypatch.setattr(storage.search, "BM25_BUDGET", 0)
    for hours in range(6):
        await _published(
            db, f"گزارش {hours}", "اقتصاد کشور", message_ids=(hours,), at=T0 - timedelta(hours=hours)
        )
    edited = await _published(db, "اقتصاد ایران", "گزارش کشور", message_ids=(9,), at=T0 - timedelta(days=3))
    assert (await db.search("اقتصاد", now=T0)).hits[0].article_id == edited
    await db.update_published_content(edited, "ایران", "گزارش اقتصاد کشور", [])
    assert (await db.search("اقتصاد", now=T0)).hits[0].article_id != edited
    await db.update_published_content(edited, "اقتصاد ایران", "گزارش کشور", [])
    assert (await db.search("اقتصاد", now=T0)).hits[0].article_id == edited


async def test_searches_in_a_worker_process_survive_its_death(tmp_path):
    async with Database.open(tmp_path / "news.sqlite3", search_in="process") as db:
        await db.import_articles([ImportRecord("1", "بودجه عمرانی شهرداری‌ها", "متن خبر", T0)])
        assert [h.external_id for h in (await db.search("شهرداری")).hits] == ["1"]
        for process in list(db._searcher._processes.values()):  # type: ignore[attr-defined]
            process.kill()
            process.join()
        assert [h.external_id for h in (await db.search("بودجه")).hits] == ["1"]


async def test_search_log(db, tmp_path):
    db.log_search("پروژه" * 100, results=3, partial=False, ms=1.5, kind="inline", user_id=9)
    await db.close()
    conn = sqlite3.connect(tmp_path / "news.sqlite3")
    row = conn.execute("SELECT user_id, kind, length(query), results, partial FROM search_log").fetchone()
    assert row == (9, "inline", 200, 3, 0)
    conn.close()


async def test_search_log_is_written_in_batches_while_open(db, tmp_path, monkeypatch):
    import storage.search_index

    monkeypatch.setattr(storage.search_index, "SEARCH_LOG_SECONDS", 0.5)
    monkeypatch.setattr(storage.search_index, "SEARCH_LOG_BATCH", 3)

    def logged() -> int:
        with sqlite3.connect(tmp_path / "news.sqlite3") as conn:
            return conn.execute("SELECT count(*) FROM search_log").fetchone()[0]

    for i in range(3):  # the third fills a batch: written at once
        db.log_search(f"جستجو {i}", results=i, partial=False, ms=1.0)
    await asyncio.sleep(0.05)
    assert logged() == 3
    db.log_search("جستجو", results=0, partial=False, ms=1.0)  # waits for the timer
    await asyncio.sleep(0.05)
    assert logged() == 3
    await asyncio.sleep(0.8)
    assert logged() == 4


async def test_search_paging_and_overlong_queries(db):
    records = [ImportRecord(str(i), f"گزارش {i}", "اقتصاد", T0 - timedelta(hours=i)) for i in range(25)]
    await db.import_articles(records)
    pages = [(await db.search("اقتصاد", limit=10, offset=o)).hits for o in (0, 10, 20)]
    ids = [h.external_id for page in pages for h in page]
    assert len(ids) == 25 and len(set(ids)) == 25
    long = await db.search("اقتصاد " * 2000)
    assert long.truncated and long.hits
    assert not (await db.search("")).hits
    assert not (await db.search('" * NEAR( ) : ^ -')).hits


async def test_search_with_no_room_for_hits(db):
    await _published(db, "اقتصاد", "متن")
    result = await db.search("اقتصاد", limit=0)
    assert result.hits == [] and not result.partial


# --- the query language and partial matches ------------------------------------------------------

TEHRAN_NOON = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # 12:00 on 9 Azar 1405 in Tehran
TEHRAN = ZoneInfo("Asia/Tehran")  # the TIMEZONE setting's default


async def _archive(db: Database, *articles: tuple[str, str, str, datetime]) -> None:
    await db.import_articles([ImportRecord(eid, title, body, at) for eid, title, body, at in articles])


async def _found(db: Database, query: str, **kwargs) -> list[str | None]:
    result = await db.search(query, limit=20, now=TEHRAN_NOON, tz=TEHRAN, **kwargs)
    return [hit.external_id for hit in result.hits]


async def test_exact_phrases_words_left_out_and_hashtags(db):
    day = TEHRAN_NOON - timedelta(days=3)
    await _archive(
        db,
        ("near", "پیش بینی هوای تهران", "باران می‌بارد #هواشناسی", day),
        ("apart", "هوای تهران و پیش‌بینی بازار", "بازار نفت", day - timedelta(hours=1)),
        ("tagless", "هواشناسی کشور", "خبر هواشناسی بدون هشتگ", day - timedelta(hours=2)),
    )
    assert await _found(db, "«پیش‌بینی هوای»") == ["near"]
    assert await _found(db, '"پیش بینی هوای"') == ["near"]  # Latin quotes, a space for the half-space
    assert sorted(await _found(db, "پیش بینی هوای")) == ["apart", "near"]
    assert await _found(db, "پیش بینی -بازار") == ["near"]
    assert await _found(db, "تهران −باران -نفت") == []
    assert await _found(db, "#هواشناسی") == ["near"]
    assert sorted(await _found(db, "هواشناسی")) == ["near", "tagless"]
    hit = (await db.search("#هواشناسی", now=TEHRAN_NOON)).hits[0]
    assert "<b>هواشناسی</b>" in hit.snippet.marked("<b>", "</b>")


async def test_a_quoted_headline_is_found_however_its_words_rank(db):
    """Exact phrases are checked in the text of the PHRASE_POOL best-ranked hits, and in the titles of
    all that were ranked: a headline of common words, older and longer than sixty posts holding the
    same words in another order, is still found."""
    day = TEHRAN_NOON - timedelta(days=40)
    others = [
        (f"o{i}", f"تهران و شهرداری در بودجه {i}", "متن کوتاه", day + timedelta(hours=i)) for i in range(60)
    ]
    filler = " ".join(["گزارش کامل جلسه"] * 100)
    await _archive(db, *others, ("headline", "بودجه شهرداری تهران تصویب شد", filler, day - timedelta(days=1)))
    assert await _found(db, "«بودجه شهرداری تهران»") == ["headline"]
    assert len(await _found(db, "بودجه شهرداری تهران")) == 20  # the same words, unquoted: all of them


async def test_dates_narrow_the_search_in_tehran_days(db):
    midnight = datetime(2026, 11, 29, 20, 30, tzinfo=UTC)  # 00:00 on 9 Azar in Tehran
    await _archive(
        db,
        ("today", "زلزله امروز صبح", "متن", midnight + timedelta(minutes=1)),
        ("yesterday", "زلزله دیروز عصر", "متن", midnight - timedelta(minutes=1)),
        ("week", "زلزله هفته پیش", "متن", midnight - timedelta(days=5)),
        ("aban", "زلزله آبان", "متن", datetime(2026, 11, 10, tzinfo=UTC)),
        ("1404", "زلزله پارسال", "متن", datetime(2025, 12, 1, tzinfo=UTC)),
    )
    assert await _found(db, "زلزله امروز") == ["today"]
    assert await _found(db, "زلزله دیروز") == ["yesterday"]
    assert await _found(db, "زلزله هفته گذشته", newest=True) == ["today", "yesterday", "week"]
    assert await _found(db, "زلزله آبان ۱۴۰۵") == ["aban"]
    assert await _found(db, "زلزله آذر ۱۴۰۴") == ["1404"]
    assert await _found(db, "زلزله از:۱۴۰۵/۹/۸ تا:۱۴۰۵/۹/۸") == ["yesterday"]
    assert sorted(await _found(db, "زلزله تا:2026/11/29")) == ["1404", "aban", "week", "yesterday"]
    assert await _found(db, "امروز") == ["today"]  # dates alone: the newest posts of those days
    assert await _found(db, "هفته گذشته -امروز") == ["yesterday", "week"]
    # no such date: words, as typed
    no_date = await db.search("زلزله از:۱۴۰۵/۱۳/۱", now=TEHRAN_NOON, tz=TEHRAN)
    assert no_date.partial and len(no_date.hits) == 5 and no_date.matched_terms == ("زلزله",)


async def test_newest_first(db):
    await _archive(
        db,
        *[(f"n{i}", "قیمت نفت" if i % 2 else "نفت", "نفت نفت", T0 - timedelta(days=i)) for i in range(6)],
    )
    assert await _found(db, "نفت", newest=True) == [f"n{i}" for i in range(6)]
    assert await _found(db, "قیمت نفت", newest=True) == ["n1", "n3", "n5"]
    page_two = await db.search("نفت", limit=2, offset=2, now=TEHRAN_NOON, newest=True)
    assert [hit.external_id for hit in page_two.hits] == ["n2", "n3"]


async def test_long_queries_rank_posts_matching_more_words_first(db):
    await _archive(
        db,
        ("two", "بودجه عمرانی", "استان", T0),
        ("three", "بودجه عمرانی شهرداری", "متن", T0 - timedelta(days=30)),
        ("one", "بودجه", "متن", T0 + timedelta(days=1)),
        ("four", "بودجه عمرانی شهرداری", "مشهد", T0 - timedelta(days=300)),
    )
    result = await db.search("بودجه عمرانی شهرداری مشهد فرودگاه", limit=10, now=TEHRAN_NOON)
    assert result.partial
    assert [hit.external_id for hit in result.hits] == ["four", "three", "two", "one"]
    newest = await db.search("بودجه عمرانی شهرداری مشهد فرودگاه", limit=10, now=TEHRAN_NOON, newest=True)
    assert [hit.external_id for hit in newest.hits] == ["four", "three", "two", "one"]


async def test_nothing_found_only_when_no_word_but_stop_words_matches(db, monkeypatch):
    monkeypatch.setattr("storage.search.RARE_DF", 1)  # every term counts as common: the other plan
    await _archive(db, ("x", "گزارش از بازار", "در این هفته", T0), ("y", "گزارش", "بازار", T0))
    many = "کهکشان زرافه دلفین اقیانوس آتشفشان یخچال کویر بازار"  # eight words, the last one matches
    result = await db.search(many, now=TEHRAN_NOON)
    assert result.partial and {hit.external_id for hit in result.hits} == {"x", "y"}
    assert not (await db.search("کهکشان زرافه از در این", now=TEHRAN_NOON)).hits  # stop words only
    assert (await db.search("از در", now=TEHRAN_NOON)).hits  # asked for alone, they are words


async def test_stored_times_come_from_the_database_clock_not_the_machine(db):
    """The desk shows stored times (/drafts: a post's last change): they follow the bot's clock, which
    the sandbox and tests run far from the machine's."""
    far = datetime(2031, 3, 20, 9, 15, tzinfo=UTC)
    db.clock = lambda: far
    article_id = await db.create_draft("عنوان", "متن", ["<b>عنوان</b>"])
    created = await db.get(article_id)
    assert created.created_at == created.updated_at == far
    db.clock = lambda: far + timedelta(days=3)
    assert await db.cancel(article_id)
    assert (await db.get(article_id)).updated_at == far + timedelta(days=3)
