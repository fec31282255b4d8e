"""Relevance: subscribers' spellings find the right article among 10,000 distractors (top 3).

The archive is built once per session into a real SQLite file: the hand-written articles below plus
10,000 synthetic ones (Zipf draws over hazm's lexicon, benchmarks/synthetic_archive.py). Queries use
the spellings people type: Arabic ي/ك, no half-space, a space for a half-space, singular for plural,
Latin or Arabic-Indic digits, split compounds, unfinished last words.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic_archive import articles
from storage.database import Database, ImportRecord

DISTRACTORS = 10_000
NOW = datetime(2023, 5, 1, tzinfo=UTC)

ARTICLES = {
    "t01": (
        "شهرداری‌ها برای پروژه‌های عمرانی بودجه گرفتند",
        "به گزارش خبرنگار ما، شهرداری‌های استان می‌توانند از امسال برای پروژه‌های عمرانی و برنامه‌ریزی"
        " شهری از بودجه جدید استفاده کنند. مهم‌ترین اولویت‌ها آسفالت معابر است.",
    ),
    "t02": (
        "پیش‌بینی هواشناسی: بارش باران در ۱۲ استان",
        "سازمان هواشناسی کشور برای روز ۱۴۰۳/۰۵/۱۲ بارش باران و کاهش دما را در دوازده استان پیش‌بینی کرد."
        " دمای هوا تا ۸ درجه کاهش می‌یابد.",
    ),
    "t03": (  # typed on an Arabic keyboard, no half-spaces
        "كاهش قيمت خودروهاي داخلي در بازار",
        "قيمت خودروهاي داخلي در بازار تهران اين هفته كاهش يافت. فروشندگان ميگويند تقاضا كم شده است.",
    ),
    "t04": (
        "دانشجویان دانشگاه تهران در مسابقات رباتیک اول شدند",
        "تیم دانشجویان دانشگاه تهران در مسابقات جهانی رباتیک ۲۰۲۴ رتبه نخست را کسب کرد. این مسابقات با"
        " حضور ۴۵ کشور برگزار شد.",
    ),
    "t05": (
        "نرخ تورم به ۳۵٫۵ درصد رسید",
        "مرکز آمار اعلام کرد نرخ تورم سالانه در مهرماه به ۳۵٫۵ درصد رسیده است. کارشناسان بزرگ‌ترین عامل"
        " را افزایش نرخ ارز می‌دانند.",
    ),
    "t06": (
        "سرمایه‌گذاری خارجی در صنعت پتروشیمی افزایش یافت",
        "وزیر نفت گفت سرمایه‌گذاری‌های خارجی در صنعت پتروشیمی در شش ماه نخست سال دو برابر شده است.",
    ),
    "t07": (
        "کارگران معدن زغال‌سنگ اعتصاب کردند",
        "صدها کارگر معدن زغال‌سنگ طبس برای دومین روز متوالی دست از کار کشیدند و خواستار افزایش دستمزد شدند.",
    ),
    "t08": (
        "نمایندگان مجلس طرح شفافیت را تصویب کردند",
        "نمایندگان مجلس شورای اسلامی با ۱۸۵ رأی موافق کلیات طرح شفافیت آرای نمایندگان را تصویب کردند.",
    ),
    "t09": (
        "افتتاح بزرگترین کتابخانه عمومی شمال کشور",
        "بزرگترین کتابخانه‌ی عمومی شمال کشور با ۲۰۰ هزار جلد کتاب در رشت افتتاح شد. کتابخانه‌ها نقش مهمی"
        " در فرهنگ دارند.",
    ),
    "t10": (
        "تیم ملی فوتبال در مقدماتی جام جهانی پیروز شد",
        "تیم ملی فوتبال ایران در دیدار مقدماتی جام جهانی ۲۰۲۶ با نتیجه ۳ بر ۱ پیروز شد. بازیکنان هدف را"
        " صعود می‌دانند.",
    ),
    "t11": (  # with diacritics and tatweel
        "مُعرِّفی نامزدهای انتخابات شوراها",
        "ستاد انتخـــابات فهرست نامزدهای انتخابات شوراهای شهر و روستا را اعلام کرد.",
    ),
    "t12": (
        "شرکت OpenAI مدل تازه هوش مصنوعی را معرفی کرد",
        "شرکت OpenAI از مدل تازه‌ای برای هوش مصنوعی رونمایی کرد که به گفته سازندگان سریع‌تر است.",
    ),
    "t13": (  # Arabic-Indic digits
        "زلزله ٥٫٢ ریشتری کرمان را لرزاند",
        "زمین‌لرزه‌ای به بزرگی ٥٫٢ ریشتر بامداد امروز حوالی کرمان را لرزاند. خسارتی گزارش نشده است.",
    ),
    "t14": (
        "پیش بینی رشد اقتصادی در گزارش بانک جهانی",  # the compound written apart in the text
        "بانک جهانی در تازه‌ترین گزارش خود رشد اقتصادی منطقه را دو و نیم درصد پیش بینی کرد.",
    ),
}

# (query as a subscriber types it, the article it must find in the top 3)
QUERIES = [
    ("پروژه های عمرانی", "t01"),  # space instead of half-space
    ("پروژههای عمرانی", "t01"),  # no half-space
    ("پروژه‌های عمرانی", "t01"),
    ("پروژه عمرانی", "t01"),  # singular
    ("شهرداریها بودجه", "t01"),
    ("شهرداري بودجه", "t01"),  # Arabic ي
    ("برنامه ریزی شهری", "t01"),
    ("مهمترین اولویت", "t01"),
    ("پیش بینی هواشناسی", "t02"),  # split compound
    ("پیشبینی باران", "t02"),
    ("بارش باران 12 استان", "t02"),  # Latin digits
    ("1403/05/12", "t02"),
    ("1403/5/12 باران", "t02"),
    ("هواشناسي دما", "t02"),
    ("قیمت خودرو", "t03"),  # Persian letters and singular against Arabic letters and plural
    ("خودروهای داخلی", "t03"),
    ("كاهش قيمت خودرو", "t03"),
    ("فروشندگان تقاضا", "t03"),
    ("می گویند تقاضا", "t03"),
    ("دانشجو رباتیک", "t04"),
    ("مسابقات رباتیک 2024", "t04"),
    ("رباتیک ۲۰۲۴", "t04"),
    ("رباتی", "t04"),  # unfinished last word
    ("نرخ تورم", "t05"),
    ("تورم 35.5", "t05"),
    ("بزرگترین عامل تورم", "t05"),
    ("بزرگ ترین عامل", "t05"),
    ("سرمایه گذاری خارجی", "t06"),
    ("سرمایهگذاری پتروشیمی", "t06"),
    ("سرمایه‌گذاری‌ها پتروشیمی", "t06"),
    ("پتروشی", "t06"),
    ("کارگران معدن", "t07"),
    ("کارگر معدن طبس", "t07"),
    ("زغال سنگ طبس", "t07"),
    ("دستمزد کارگران", "t07"),
    ("نماینده مجلس شفافیت", "t08"),
    ("185 رای موافق", "t08"),  # أ folded
    ("طرح شفافيت", "t08"),
    ("کتابخانه رشت", "t09"),
    ("کتابخانه های عمومی", "t09"),
    ("بزرگ‌ترین کتابخانه", "t09"),
    ("جام جهانی 2026", "t10"),
    ("تیم ملی فوتبال مقدماتی", "t10"),
    ("معرفی نامزد شوراها", "t11"),
    ("انتخابات شورا", "t11"),
    ("openai هوش مصنوعی", "t12"),
    ("OPENAI", "t12"),
    ("زلزله 5.2 کرمان", "t13"),
    ("زلزله ۵٫۲", "t13"),
    ("پیش‌بینی رشد اقتصادی", "t14"),  # half-space in the query, a space in the text
    ("پیشبینی بانک جهانی", "t14"),
]


async def _build(path) -> None:
    async with Database.open(path) as db:
        batch = []
        for record in articles(DISTRACTORS, seed=7, min_words=40, max_words=90):
            batch.append(
                ImportRecord(record["id"], record["title"], record["body"],
                             datetime.fromisoformat(record["published_at"]), record["url"])
            )  # fmt: skip
            if len(batch) == 5000:
                await db.import_articles(batch)
                batch = []
        await db.import_articles(batch)
        # The articles under test are spread over the distractors' time span, none the newest.
        await db.import_articles(
            [
                ImportRecord(ext_id, title, body, NOW - timedelta(days=3 + 2 * i))
                for i, (ext_id, (title, body)) in enumerate(ARTICLES.items())
            ]
        )


@pytest.fixture(scope="session")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "archive.sqlite3"
    asyncio.run(_build(path))
    return path


@pytest.fixture
async def archive(archive_path):
    async with Database.open(archive_path) as db:
        yield db


async def test_archive_holds_the_distractors(archive):
    assert await archive.count_published() == DISTRACTORS + len(ARTICLES)


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
async def test_query_finds_its_article_in_top_3(archive, query, expected):
    result = await archive.search(query, limit=3, now=NOW)
    top = [hit.external_id for hit in result.hits]
    assert expected in top, f"{query!r}: got {[h.title for h in result.hits]}"


def test_relevance_table_is_big_enough():
    assert len(QUERIES) >= 40
    assert set(ARTICLES) == {expected for _, expected in QUERIES}


async def test_hits_carry_marked_snippets(archive):
    result = await archive.search("پروژه های عمرانی", limit=1, now=NOW)
    hit = result.hits[0]
    marked = hit.snippet.marked("<b>", "</b>")
    assert "<b>پروژه‌های</b>" in marked and "<b>عمرانی</b>" in marked
    assert not result.partial


async def test_no_article_with_every_word_gives_flagged_partial_matches(archive):
    result = await archive.search("پتروشیمی زیردریاییهایشانمان", now=NOW)
    assert result.partial
    assert result.hits and result.hits[0].external_id == "t06"


async def test_only_published_articles_are_found(archive):
    draft = await archive.create_draft("خبر محرمانه کهکشان‌راه‌شیری", "متن پیش‌نویس", [])
    assert not (await archive.search("کهکشان‌راه‌شیری", now=NOW)).hits
    await archive.cancel(draft)


@pytest.fixture(scope="module")
def shared_runner():
    with asyncio.Runner() as runner:
        yield runner


@settings(max_examples=150)
@given(
    st.text(
        alphabet=st.sampled_from(list('ابپتثجچحخدیکگ"*():-^\x00\u200c\u200f\u202e 🙂 NEARANDORNOT{}[]+.,')),
        max_size=60,
    )
    | st.text(max_size=40)
    | st.builds(lambda n: "سلام " * n, st.integers(0, 3000))
)
def test_any_query_is_safe(archive_path, shared_runner, query):
    async def search() -> None:
        async with Database.open(archive_path) as db:
            result = await db.search(query, limit=5, now=NOW)
            assert len(result.hits) <= 5
            for hit in result.hits:
                for start, end in hit.snippet.spans:
                    assert 0 <= start < end <= len(hit.snippet.text)

    shared_runner.run(search())
