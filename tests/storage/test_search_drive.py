"""An AND read from the articles of its two rarest words (`SearchReader._driven`) answers exactly as
FTS5's own AND of every word: the same hits, in the same order, with the same count."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest

import storage.search
from storage.database import Database, ImportRecord

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
WORDS = [
    "بودجه",
    "شهرداری",
    "اقتصاد",
    "کشور",
    "تهران",
    "نفت",
    "مجلس",
    "دولت",
    "بازار",
    "قیمت",
    "خودرو",
    "مسکن",
    "بانک",
    "طلا",
    "سکه",
    "دلار",
    "فوتبال",
    "باشگاه",
    "دانشگاه",
    "بیمارستان",
    "باران",
    "سیل",
    "زلزله",
    "پلیس",
    "دادگاه",
    "قانون",
    "وزیر",
    "سفر",
    "کارگر",
    "کشاورز",
]


def _zipf_word(rng: random.Random) -> str:
    return WORDS[min(int(rng.paretovariate(0.8)) - 1, len(WORDS) - 1)]


def _queries(rng: random.Random) -> list[str]:
    queries = []
    for _ in range(150):
        words = [_zipf_word(rng) for _ in range(rng.randint(3, 6))]
        if rng.random() < 0.3:
            words.append(f"-{rng.choice(WORDS)}")
        if rng.random() < 0.3:
            since = T0 - timedelta(days=rng.randint(5, 60))
            words += [f"from:{since:%Y-%m-%d}", f"to:{since + timedelta(days=20):%Y-%m-%d}"]
        queries.append(" ".join(words))
    return queries


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A small archive of Zipf-drawn words: some common, some rare, many articles sharing a few."""
    rng = random.Random(1403)
    path = tmp_path_factory.mktemp("drive") / "news.sqlite3"
    records = [
        ImportRecord(
            str(i),
            " ".join(_zipf_word(rng) for _ in range(3)),
            " ".join(_zipf_word(rng) for _ in range(rng.randint(5, 25))),
            T0 - timedelta(hours=3 * i),
        )
        for i in range(600)
    ]

    async def build() -> None:
        async with Database.open(path) as db:
            await db.import_articles(records)

    asyncio.run(build())
    return path


async def _answers(path, queries: list[str]) -> list[tuple]:
    async with Database.open(path, search_in="caller") as db:
        results = [await db.search(q, limit=30, now=T0) for q in queries]
        newest = [await db.search(q, limit=30, now=T0, newest=True) for q in queries]
    return [
        ([h.external_id for h in r.hits], r.partial, r.total, r.total_capped, [h.external_id for h in n.hits])
        for r, n in zip(results, newest, strict=True)
    ]


async def test_the_two_rarest_words_first_answer_as_the_whole_and(archive, monkeypatch) -> None:
    monkeypatch.setattr(storage.search, "BM25_BUDGET", 0)  # the bounded plan, where ANDs are read
    monkeypatch.setattr(storage.search, "SPARSE_EXPECTED", 10_000.0)  # read forwards, as a big archive's
    queries = _queries(random.Random(7))
    driven: list[tuple] = []
    real = storage.search.SearchReader._driven

    def counting(self, groups, df, where):
        rows = real(self, groups, df, where)
        driven.append(rows is not None)
        return rows

    monkeypatch.setattr(storage.search.SearchReader, "_driven", counting)
    monkeypatch.setattr(storage.search, "DRIVE_RATIO", 10.0**12)  # never
    whole = await _answers(archive, queries)
    assert not any(driven)
    monkeypatch.setattr(storage.search, "DRIVE_RATIO", 10.0**-9)  # whenever the pair is readable
    by_pair = await _answers(archive, queries)
    assert sum(driven) > 100  # the check is not vacuous: most three-group ANDs went the driven way
    assert by_pair == whole
    assert sum(bool(answer[0]) for answer in whole) > 50 and any(answer[1] for answer in whole)
