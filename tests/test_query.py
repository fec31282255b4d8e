"""Query parsing: AND of analyzed terms, last one as a prefix, always a valid FTS5 expression."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text.query import MAX_QUERY_CHARS, MAX_TERMS, fts_match, parse_query


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


@given(
    st.text(max_size=300)
    | st.text(alphabet=st.sampled_from(list('"*():-^{}+ NEARANDORNOTپروژه\x00\u200c\u202e🙂')), max_size=80)
)
def test_any_query_gives_a_valid_fts_expression(fts, text):
    parsed = parse_query(text)
    assert len(parsed.terms) <= MAX_TERMS
    if parsed.empty:
        return
    groups = [[t] for t in parsed.terms]
    fts.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (fts_match(groups),)).fetchall()
