"""Query parsing: AND of analyzed terms, last one as a prefix, the query language's marks (phrases, words
left out, hashtags, dates), always a valid FTS5 expression; any input parses, and no word is lost."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text.analyze import _GLUED_ENDINGS, _SEARCH_FOLD, analyze, hashtag_term
from bot.text.query import MAX_QUERY_CHARS, MAX_TERMS, fts_match, parse_query

TODAY = date(2026, 11, 30)  # 9 Azar 1405


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE idx USING fts5(title, body, content='', tokenize='ascii')")
    conn.execute("INSERT INTO idx (rowid, title, body) VALUES (1, 'پروژه عمرانی', 'شهرداری 12')")
    yield conn
    conn.close()


def test_terms_are_analyzed_and_deduplicated():
    parsed = parse_query("پروژه های عمرانی پروژه‌ها")
    assert parsed.terms == ("پروژه", "عمرانی")
    assert parsed.prefix and not parsed.truncated


def test_prefix_only_for_a_word_in_progress():
    assert parse_query("پروژه عمرا").prefix
    assert not parse_query("پروژه عمرانی ").prefix  # finished with a space
    assert not parse_query("عمرانی؟").prefix
    assert not parse_query("ب").prefix  # one letter would expand to half the vocabulary


def test_overlong_queries_are_cut_and_say_so():
    parsed = parse_query("کلمه" + " واژه" * 5000)
    assert parsed.truncated and len(parsed.terms) <= MAX_TERMS
    many = parse_query(" ".join(f"واژه{i}" for i in range(MAX_TERMS + 5)))
    assert many.truncated and len(many.terms) == MAX_TERMS
    assert not parse_query("x" * MAX_QUERY_CHARS).truncated


def test_nothing_searchable():
    for text in ["", "   ", "?!؟", "های ها می", "\x00\u200f"]:
        assert parse_query(text).empty


def test_fts_match_quotes_every_term(fts):
    expression = fts_match([["پروژه"], ["عمرانی", "عمران"]])
    assert expression == '"پروژه" AND ("عمرانی" OR "عمران")'
    assert fts.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (expression,)).fetchall() == [(1,)]


def test_fts_match_needs_terms():
    with pytest.raises(ValueError):
        fts_match([])
    with pytest.raises(ValueError):
        fts_match([["a"], []])


def test_exact_phrases_in_persian_and_latin_quotes():
    for text in ["«پیش بینی هوا» تهران", '"پیش‌بینی هوا" تهران', "“پیشبینی هوا” تهران"]:
        parsed = parse_query(text, today=TODAY)
        assert parsed.phrases == (("پیشبینی", "هوا"),), text
        assert parsed.terms == ("پیشبینی", "هوا", "تهران")
    one_word = parse_query("«تهران»", today=TODAY)
    assert one_word.terms == ("تهران",) and not one_word.phrases and not one_word.prefix


def test_words_left_out_and_hashtags():
    parsed = parse_query("نفت -بنزین −گاز #انتخابات_مجلس", today=TODAY)
    assert parsed.terms == ("نفت", hashtag_term("انتخابات_مجلس"))
    assert parsed.excluded == ("بنزین", "گاز")
    assert parsed.marked == ("انتخابات", "مجلس")
    assert not parsed.prefix  # a hashtag is not a word in progress


@pytest.mark.parametrize(
    ("text", "since", "until"),
    [
        ("از:۱۴۰۵/۹/۱ تا:۱۴۰۵/۹/۳۰", date(2026, 11, 22), date(2026, 12, 21)),
        ("from:1405/09/01 to:2026-12-21", date(2026, 11, 22), date(2026, 12, 21)),
        ("از: ۱۴۰۵/۹/۱", date(2026, 11, 22), None),
        ("امروز", TODAY, TODAY),
        ("دیروز", date(2026, 11, 29), date(2026, 11, 29)),
        ("هفته گذشته", date(2026, 11, 24), TODAY),
        ("هفته‌ی گذشته", date(2026, 11, 24), TODAY),
        ("last week", date(2026, 11, 24), TODAY),
        ("ماه گذشته", date(2026, 11, 1), TODAY),
        ("آذر ۱۴۰۵", date(2026, 11, 22), date(2026, 12, 21)),
        ("اسفند ۱۴۰۳", date(2025, 2, 19), date(2025, 3, 20)),  # a leap year's 30 Esfand
        ("اسفند ۱۴۰۴", date(2026, 2, 20), date(2026, 3, 20)),
        ("۱۵ آذر ۱۴۰۵", date(2026, 12, 6), date(2026, 12, 6)),
        ("آذر ۱۴۰۵ تا:۱۴۰۵/۹/۱۰", date(2026, 11, 22), date(2026, 12, 1)),  # limits narrow each other
        # month names typed as the scheduler reads them (one table, bot.text.jalali)
        ("اذر ۱۴۰۵", date(2026, 11, 22), date(2026, 12, 21)),  # the hat left out
        ("دي ۱۴۰۵", date(2026, 12, 22), date(2027, 1, 20)),  # Arabic ي
        ("Azar 1405", date(2026, 11, 22), date(2026, 12, 21)),
        ("امرداد ۱۴۰۵", date(2026, 7, 23), date(2026, 8, 22)),
    ],
)
def test_dates(text, since, until):
    parsed = parse_query(f"زلزله {text}", today=TODAY)
    assert (parsed.since, parsed.until) == (since, until)
    assert parsed.terms == ("زلزله",) and parsed.dated


def test_dates_are_days_in_the_zone_passed_in():
    start, end = parse_query("امروز", tz=ZoneInfo("Asia/Tehran"), today=TODAY).epoch_range()
    assert end - start == 86_400
    assert start == 1_795_984_200  # 2026-11-30 00:00 +03:30
    start, _ = parse_query("امروز", tz=ZoneInfo("Europe/Berlin"), today=TODAY).epoch_range()
    assert start == datetime(2026, 11, 29, 23, tzinfo=UTC).timestamp()  # 00:00 +01:00
    # `today` defaults to the day it is in that zone, not in Tehran's
    assert parse_query("امروز", tz=UTC).since == datetime.now(UTC).date()


@pytest.mark.parametrize(
    "text",
    [
        "از:۱۵۵۰/۱/۱",  # Jalali years are 1300–1499 (scheduling refuses «۱۵۵۰/۰۱/۰۱» too)
        "from:1550-01-01",
        "to:1899/12/31",  # Gregorian years are 1900–2199
        "تا:۱/۱/۲۲۰۰",
        "آذر ۱۵۵۰",  # a month's name takes a Jalali year only
        "۱۰ آذر ۲۰۲۶",
    ],
)
def test_a_year_outside_the_one_year_rule_is_no_date(text):
    parsed = parse_query(f"زلزله {text}", today=TODAY)
    assert not parsed.dated and parsed.date_words == ()


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("از:۱۴۰۵/۱۳/۱ نفت", ("از", "1405", "13", "1", "نفت")),  # no 13th month: plain words
        ("تا:فردا نفت", ("تا", "فردا", "نفت")),
        ("«عبارت باز", ("عبارت", "باز")),  # an unclosed quote
        ("نفت - گاز", ("نفت", "گاز")),  # a lone minus
        ("# نفت", ("نفت",)),
        ("تیر بار", ("تیر", "بار")),  # a month name without a year is a word
        ("۱۴۰۵ آذر", ("1405", "اذر")),
    ],
)
def test_syntax_that_does_not_parse_is_plain_words(text, terms):
    parsed = parse_query(text, today=TODAY)
    assert parsed.terms == terms and not parsed.excluded and not parsed.dated


def test_words_left_out_alone_search_nothing():
    """`-تورم` alone has nothing to leave the word out of: it is neither the whole archive nor the
    posts holding the word, and the search says so (`only_excluded`) instead of answering."""
    for text in ["-تورم", "-تورم −گاز", " -تورم  "]:
        parsed = parse_query(text, today=TODAY)
        assert parsed.only_excluded and parsed.empty and not parsed.terms, text
        assert parsed.excluded[0] == "تورم"
    for text in ["نفت -تورم", "-تورم امروز", "#اقتصاد -تورم", "«نرخ تورم» -دلار", "-", "نفت"]:
        assert not parse_query(text, today=TODAY).only_excluded, text
    dated = parse_query("-تورم امروز", today=TODAY)
    assert dated.excluded == ("تورم",) and dated.dated and not dated.empty  # that day's posts without it


def test_fts_match_leaves_out_excluded_terms(fts):
    assert fts_match([["پروژه"]], ["شهرداری"]) == '("پروژه") NOT ("شهرداری")'
    assert fts.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (fts_match([["پروژه"]], ["x"]),)).fetchall()
    assert not fts.execute(
        "SELECT rowid FROM idx WHERE idx MATCH ?", (fts_match([["پروژه"]], ["12", "x"]),)
    ).fetchall()


_NUMBER_PIECES = ["1", "۲", "٣", "۴۵۶", ",", "٬", ".", "٫", "/", " ", "-", "«", "»", "تا:"]
_QUERY_TEXT = (
    st.text(max_size=300)
    | st.text(alphabet=st.sampled_from(list('"*():-^{}+ NEARANDORNOTپروژه\x00\u200c\u202e🙂')), max_size=80)
    | st.lists(
        st.sampled_from(
            ["«", "»", '"', "“", "”", "-", "−", "#", "از:", "تا:", "from:", "۱۴۰۵/۹/۱", "1405/13/40", "امروز",
             "دیروز", "هفته", "گذشته", "آذر", "۱۴۰۵", "پیش", "بینی", "حسن", "پور", "اخبار", "کتاب",
             "خانه‌ها", "_", "تهران", "ﻣﺪﺭﺳﻪ", " ", "  ", "x", "2026-11-30", "۸۵٬۴۰۰٬۰۰۰", "4.2", "۴٫۲",
             "1,250", ",", "٫", "/", ".", "٬", "12", "۰", "دانش", "آموزی", "سرمایه", "گذاریها", "علی",
             "رضایی"]
        ),
        max_size=25,
    ).map("".join)
    | st.lists(st.sampled_from(["«", "»", "-", "#", " ", "از:", "نفت", "گاز", "آذر", "۱۴۰۵"]), max_size=25)
    .map(" ".join)
    | st.lists(st.sampled_from(_NUMBER_PIECES), max_size=25).map("".join)
)  # fmt: skip


@settings(deadline=None)  # a word never analyzed before costs more on a busy machine
@given(_QUERY_TEXT)
def test_any_query_gives_a_valid_fts_expression(fts, text):
    parsed = parse_query(text, today=TODAY)
    assert len(parsed.terms) <= MAX_TERMS
    if not parsed.terms:
        return
    groups = [[t] for t in parsed.terms]
    fts.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (fts_match(groups, parsed.excluded),)).fetchall()


@settings(deadline=None)
@given(_QUERY_TEXT)
def test_any_query_parses_and_loses_no_word(text):
    """Every word typed is searched for, left out, or read as a date: its terms are found among the
    parsed query's, or inside one of them (a compound written apart)."""
    parsed = parse_query(text, today=TODAY)
    if parsed.truncated:
        return
    kept = [*parsed.terms, *parsed.excluded, *parsed.marked]
    dates = list(parsed.date_words)
    for token in re.sub('[«»"“”]', " ", text).split():  # an unclosed quote is a space
        if token in dates:
            dates.remove(token)
            continue
        if len(token) > 1 and token[0] in "#-−–":  # a hashtag or a word left out
            token = token[1:]
        letters = token.translate(_SEARCH_FOLD).lower()
        for word_term in analyze(token, for_query=True):
            # A word joined into a compound is inside its term, as its term or as its letters
            # (`اخبار پور` is the name `اخبارپور`, not the plural of `خبر`), or its letters without
            # a glued suffix (`سرمایه گذاریها` is `سرمایه‌گذاری‌ها`, the term `سرمایهگذاری`).
            stems = [letters[: -len(e)] for e, _ in _GLUED_ENDINGS if letters.endswith(e)]
            assert any(
                word_term in t or letters in t or any(stem and stem in t for stem in stems) for t in kept
            ), (word_term, parsed)


@pytest.mark.parametrize(
    "spellings",
    [
        ["85400000", "۸۵۴۰۰۰۰۰", "۸۵٬۴۰۰٬۰۰۰", "85,400,000"],
        ["72950 تومان", "۷۲,۹۵۰ تومان", "۷۲٬۹۵۰ تومان"],
        ["تورم 4.2", "تورم ۴٫۲", "تورم ۴/۲", "تورم 4.20"],
        ["دانش آموزی", "دانش‌آموزی", "دانشآموزی"],
    ],
)
def test_numbers_and_compounds_are_queried_as_they_are_indexed(spellings):
    first = parse_query(spellings[0], today=TODAY)
    assert first.terms == tuple(analyze(spellings[0]))
    for text in spellings[1:]:
        assert parse_query(text, today=TODAY).terms == first.terms, text


def test_a_date_is_still_a_date_and_its_numbers_are_three():
    parsed = parse_query("بودجه از:1403/05/12", today=TODAY)
    assert parsed.terms == ("بودجه",) and parsed.since == date(2024, 8, 2)
    assert parse_query("1403/05/12", today=TODAY).terms == ("1403", "5", "12")
