"""The search analyzer: spellings people type meet the spelling in the text; distinct words stay apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text import analyze as analyze_module
from bot.text.analyze import (
    DECIMAL_MARK,
    _may_give,
    analyze,
    derived_terms,
    hashtag_term,
    make_snippet,
    may_hold_phrases,
    term,
)

ROOT = Path(__file__).resolve().parents[2]

# Each group: spellings that must give the same terms.
SAME_TERMS = [
    ["پروژه های", "پروژههای", "پروژه‌های", "پروژه", "پروژه‌ها"],
    ["شهرداری‌ها", "شهرداریها", "شهرداری ها", "شهرداری", "شهرداري"],
    ["پیش بینی", "پیش‌بینی", "پیشبینی"],
    ["برنامه ریزی", "برنامه‌ریزی", "برنامهریزی"],
    ["سرمایه گذاری", "سرمایه‌گذاری", "سرمایهگذاری", "سرمایه‌گذاری‌های"],
    ["می‌توانند", "میتوانند", "می توانند", "نمی‌توانند"],
    ["مهم‌ترین", "مهمترین", "مهم ترین", "مهم‌تر", "مهم"],
    ["کتاب", "كتاب", "کتاب‌ها", "کتابها", "كتابهاي"],
    ["کارگران", "کارگر"],
    ["نمایندگان", "نماینده"],
    ["دانشجویان", "دانشجو"],
    ["12", "۱۲", "١٢", "012"],
    ["مُعَرِّفی", "معرفی", "معـــرفی"],
    ["رأی", "رای", "راي"],
    ["آب", "اب"],
    ["رؤیا", "رویا"],
    ["مسئولان", "مسئول"],
    ["OpenAI", "openai", "OPENAI"],
    ["خانه‌ی", "خانه"],
    # compounds and names written apart, with a half-space or glued, with a suffix too
    ["کتاب خانه‌ها", "کتابخانه‌ها", "کتاب‌خانه‌ها", "کتابخانهها", "کتابخانه", "کتاب خانه"],
    ["راه آهن", "راه‌آهن", "راهآهن", "راه آهن‌ها", "راه‌آهن‌های"],
    ["پیش بینی‌ها", "پیش‌بینی", "پیش بینی"],
    ["حسن‌پور", "حسنپور"],
    ["علی‌زاده", "علیزاده"],
    ["اسلام‌آباد", "اسلامآباد"],
    ["احمدی‌نژاد", "احمدینژاد"],
    # broken plurals meet their singular
    ["خبر", "اخبار", "خبرها"],
    ["منطقه", "مناطق", "منطقه‌ها"],
    ["مسئله", "مسائل", "مسایل"],
    ["مدرسه", "مدارس"],
    ["عضو", "اعضا", "اعضاء"],
    ["رأی", "آرا", "آراء"],
    ["قانون", "قوانین"],
    ["شهید", "شهدا"],
    # the ezafe written as ی after a vowel; a compound's plural; a broken plural with its ی
    ["شورای", "شورا"],
    ["هوای", "هوا"],
    ["دانشجوی", "دانشجو"],
    ["دانش آموزان", "دانش‌آموزان", "دانشآموزان", "دانش‌آموز", "دانش آموز"],
    # a compound written apart with a suffix glued to its second part: as written with a half-space
    ["دانش آموزی", "دانش‌آموزی", "دانشآموزی"],
    ["سرمایه گذاریها", "سرمایه‌گذاری‌ها", "سرمایه گذاری‌ها", "سرمایه‌گذاری"],
    ["کتاب خانهها", "کتاب‌خانه‌ها", "کتابخانه"],
    ["جمع آوریها", "جمع‌آوری‌ها", "جمع‌آوری"],
    ["آتش نشانیها", "آتش‌نشانی‌ها", "آتش‌نشانی"],
    ["پیش بینیهای", "پیش‌بینی‌های", "پیش‌بینی"],
    # numbers, however they are typed: digits of either script, thousands separators or none, the
    # decimal point as ٫ . or /
    ["85400000", "۸۵۴۰۰۰۰۰", "۸۵٬۴۰۰٬۰۰۰", "85,400,000", "٨٥٬٤٠٠٬٠٠٠", "۸۵,۴۰۰,۰۰۰", "085400000"],
    ["72950", "۷۲,۹۵۰", "۷۲٬۹۵۰", "72,950", "۷۲۹۵۰"],
    ["4.2", "۴٫۲", "۴/۲", "4٫2", "4.20", "٤٫٢", "04.2"],
    ["1234567.5", "1,234,567.5", "۱٬۲۳۴٬۵۶۷٫۵", "۱٬۲۳۴٬۵۶۷/۵"],
    ["4", "4.0", "۴٫۰"],
    ["سرمایه گذاران", "سرمایه‌گذاران", "سرمایه‌گذار"],
    ["اعضای", "عضو"],
    ["آرای", "رأی"],
    ["مناطقی", "منطقه"],
    # presentation forms and other compatibility letters (text copied from PDFs)
    ["مدرسه", "ﻣﺪﺭﺳﻪ"],
    ["لاله", "ﻻﻟﻪ"],
    ["کتاب", "ﻛﺘﺎﺏ"],
    ["ABC", "ＡＢＣ"],
]

# A name written apart, in a query, asks for the whole name (which its other spellings give).
NAMES_APART = [
    ("حسن پور", "حسن‌پور"),
    ("علی زاده", "علیزاده"),
    ("اسلام آباد", "اسلام‌آباد"),
    ("احمدی نژاد", "احمدی‌نژاد"),
]

# Different words that a careless stemmer merges: they must stay different.
DIFFERENT = [
    ("رای", "را"),  # رأی typed without its hamza is not the object marker
    ("برای", "برا"),
    ("روی", "رو"),
    ("شهرداری", "شهردار"),
    ("ایران", "ایر"),
    ("تهران", "تهر"),
    ("خیابان", "خیاب"),
    ("بهتر", "به"),
    ("ماهی", "ماه"),
    ("میز", "م"),
    ("میدان", "دان"),
]


@pytest.mark.parametrize("spellings", SAME_TERMS, ids=[g[0] for g in SAME_TERMS])
def test_spellings_meet(spellings):
    expected = analyze(spellings[0])
    assert expected, spellings[0]
    for spelling in spellings[1:]:
        assert analyze(spelling) == expected, spelling


@pytest.mark.parametrize(("apart", "joined"), NAMES_APART)
def test_names_written_apart_meet_at_query_time_and_keep_their_first_word_in_articles(apart, joined):
    assert analyze(apart, for_query=True) == analyze(joined) == analyze(joined, for_query=True)
    head = analyze(apart.split()[0])
    assert analyze(apart) == head + analyze(joined)  # `تهران زاده شد` is still about Tehran


def test_broken_plural_table_is_big_and_every_pair_meets():
    from bot.text.analyze import PLURALS_FILE, _broken_plurals

    lines = [
        line.split("\t")
        for line in (Path(analyze_module.__file__).with_name(PLURALS_FILE)).read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(lines) >= 300 and len(_broken_plurals()) == len(lines)
    for singular, plural in lines:
        assert analyze(plural) == analyze(singular), (singular, plural)


def test_hashtags_give_a_term_of_their_own_and_their_words():
    tag = analyze("#انتخابات_مجلس")
    assert tag[:2] == ["انتخابات", "مجلس"] and tag[2] == hashtag_term("انتخابات_مجلس")
    assert hashtag_term("#انتخابات‌مجلس") == hashtag_term("انتخابات_مجلس")
    assert analyze("site.com/page#top &#39;") == analyze("site.com/page top 39")


@pytest.mark.parametrize(("word", "other"), DIFFERENT)
def test_no_over_merging(word, other):
    assert analyze(word) != analyze(other)


@pytest.mark.parametrize(
    ("word", "derived"),
    [
        ("تعطیل", ["تعطیلی", "تعطیلات"]),
        ("اعتراض", ["اعتراضی", "اعتراضات"]),
        ("مذاکره", ["مذاکرات"]),
        ("ایران", ["ایرانی"]),
        ("مدرسه", []),  # `مدرسات` would be `مدرس`, another word; `مدرسه‌ای` is the ezafe
        ("ماه", []),  # too short: `ماهی` is a fish
        ("رای", []),
        ("85400000", []),
        ("#انتخابات", []),
    ],
)
def test_words_derived_from_a_search_word(word, derived):
    """What a search for a word also asks for (`storage.search`): its derived and -ات forms, as the
    analyzer indexes them, each a word of its own."""
    base = analyze(word)[-1] if not word.startswith("#") else hashtag_term(word)
    found = derived_terms(base)  # type: ignore[arg-type]
    assert set(found) >= {analyze(d)[0] for d in derived} and (found or not derived)
    assert all(analyze(d) == [d] for d in found)
    if not derived:
        assert found == ()


@pytest.mark.parametrize(
    "text",
    ["علی رضایی", "علی اکبری", "محمد حسینی", "پیش از بینی", "دانش، آموزی"],
)
def test_a_word_the_lexicon_knows_is_no_compound_part_with_a_suffix(text):
    """`رضایی` is a surname, not `رضا` with a suffix: `علی رضایی` is two words, not `علیرضا` + ی."""
    assert len(analyze(text)) == len(text.split())


def test_numbers_dates_and_decimals_keep_their_parts():
    assert analyze("۱۴۰۳/۰۵/۱۲") == analyze("1403/5/12") == ["1403", "5", "12"]
    assert analyze("۳۵٫۵ درصد") == analyze("35.5 درصد") == [f"35{DECIMAL_MARK}5", "درصد"]


# A run of digits and marks that is not one number: its numbers stay apart.
SEPARATE_NUMBERS = [
    ("1403/05/12", ["1403", "5", "12"]),  # a date
    ("۱۴۰۳/۵", ["1403", "5"]),  # a year and a month
    ("2024/11", ["2024", "11"]),
    ("1.2.3", ["1", "2", "3"]),  # a version, an IP address
    ("192.168.1.1", ["192", "168", "1", "1"]),
    ("12,34", ["12", "34"]),  # not thousands: groups of three only
    ("1234,567", ["1234", "567"]),
    ("12,3456", ["12", "3456"]),
    ("۱۲٬۳۴٬۵۶۷", ["12", "34", "567"]),
    ("12, 345", ["12", "345"]),  # a list
    ("12 345", ["12", "345"]),
    ("12،345", ["12", "345"]),  # the Persian comma is a list's, never thousands
    ("1,234.5.6", ["1", "234", "5", "6"]),
    ("1.5,000", ["1", "5", "0"]),
    ("x1,234", ["x1", "234"]),  # a number never starts inside a word
    ("۱۴:۳۰", ["14", "30"]),
    ("۱۰-۱۲", ["10", "12"]),
]


@pytest.mark.parametrize(("text", "terms"), SEPARATE_NUMBERS, ids=[t for t, _ in SEPARATE_NUMBERS])
def test_numbers_that_are_not_one_stay_apart(text, terms):
    assert analyze(text) == terms


def test_a_number_glued_to_a_word_or_a_full_stop_is_still_one():
    assert analyze("۱۲٫۵درصد") == [f"12{DECIMAL_MARK}5", "درصد"]
    assert analyze("قیمت ۸۵٬۴۰۰٬۰۰۰.") == ["قیمت", "85400000"]
    assert analyze("(۷۲,۹۵۰)") == ["72950"]


_SCRIPTS = [str.maketrans("0123456789", digits) for digits in ("0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")]


@st.composite
def _typed_number(draw) -> tuple[str, str]:
    """A number as someone may type it, and its term."""
    whole = draw(st.integers(0, 10**12))
    fraction = draw(st.none() | st.from_regex(r"[0-9]{1,4}", fullmatch=True))
    thousands = draw(st.sampled_from(["", ",", "\u066c"]))
    point = draw(st.sampled_from([".", "\u066b", "/"]))
    typed = f"{whole:,}".replace(",", thousands) if thousands else str(whole)
    year_month = point == "/" and not thousands and 1300 <= whole <= 2099 and fraction
    if fraction is not None and not year_month:
        typed += point + fraction
    else:
        fraction = None
    typed = typed.translate(draw(st.sampled_from(_SCRIPTS)))
    expected = str(whole)
    if fraction is not None and fraction.rstrip("0"):
        expected += DECIMAL_MARK + fraction.rstrip("0")
    return typed, expected


@given(_typed_number())
def test_a_number_typed_any_way_gives_one_term(number):
    typed, expected = number
    assert analyze(typed) == analyze(typed, for_query=True) == [expected]


# What may stand between two numbers without making them one.
_BETWEEN = [" ", "  ", "\n", "، ", ", ", " و ", " - ", "-", ":", "–", " تا ", "٪ ", "% ", " / ", "\u200c",
            "+"]  # fmt: skip


@given(_typed_number(), st.sampled_from(_BETWEEN), _typed_number(), st.sampled_from(["", ".", "،", "؛", ")"]))
def test_a_number_is_never_merged_with_its_neighbour(first, between, second, end):
    """Two numbers side by side, with anything but a number's own marks between them, give two
    terms: each its own, never one of the two read into the other."""
    text = f"{first[0]}{between}{second[0]}{end}"
    assert [t for t in analyze(text) if t[0].isdigit()] == [first[1], second[1]], text


def test_inflection_words_alone_add_nothing():
    assert analyze("ها های می نمی ترین") == []
    assert analyze("پیش، بینی") == ["پیش", "بینی"]  # punctuation keeps a compound apart


def test_invisible_marks_do_not_split_or_survive():
    assert analyze("شهر\u200fداری") == analyze("شهر\u200eداری") == ["شهرداری"]
    assert analyze("\ufeffخبر\u200d") == ["خبر"]


def test_terms_are_fts_safe_tokens():
    for text in ['"NEAR(a b)" OR c*', "x:y ^z -w", "e-mail@host.com", "a_b"]:
        for t in analyze(text):
            assert t and t.isalnum() and t == t.lower()


@given(st.text())
def test_any_text_gives_plain_tokens(text):
    terms = analyze(text)
    assert all(t and not any(c.isspace() for c in t) and '"' not in t for t in terms)


@given(st.text(alphabet=st.sampled_from(list("ابپتسشیکهمنو\u200c يك۱2 ،.")), max_size=80))
def test_analysis_is_deterministic_and_cached_consistently(text):
    term.cache_clear()
    first = analyze(text)
    assert analyze(text) == first


_DAMAGED = [
    "نمایندگان",
    "شهرداریها",
    "سلامممم",
    "پروژه\u200cهای",
    "كتاب",
    "عِلم",
    "۱۴۰۳",
    "Tehran",
    "بی",
    "ـــ",
    "خانه",
    "گان",
    "ها",
    "یی",
    "ي",
    "۲",
    "x",
    ".",
    "\u200c",
    "می",
    "آ",
    "ة",
    "ΣΑΣ",
    "İ",
    "۸۵٬۴۰۰",
    "4.2",
    ",",
    "٫",
    "/",
    "٬۰۰۰",
]


@given(st.lists(st.sampled_from(_DAMAGED), max_size=6).map("".join) | st.text(max_size=12))
def test_a_skipped_piece_never_holds_a_matched_word(text):
    """Snippets skip unseen pieces `_may_give` rules out: it must never rule out a real match."""
    for piece in text.split():
        for found in analyze(piece):
            for start in {found, found[: max(1, len(found) // 2)], found[:1]}:
                assert _may_give(piece, frozenset([start]))


def test_snippet_marks_matched_words_in_the_original_text():
    body = "مقدمه " * 40 + "بودجه پروژه‌های عمرانی شهرداری‌ها تصویب شد. " + "پایان " * 40
    snippet = make_snippet(body, frozenset(analyze("پروژه شهرداری")))
    marked = snippet.marked("[", "]")
    assert "[پروژه‌های]" in marked and "[شهرداری‌ها]" in marked
    assert snippet.text.startswith("… ") and snippet.text.endswith(" …")
    assert marked.count("[") == 2


def test_snippet_prefers_the_opening_and_looks_further_when_it_has_no_match():
    terms = frozenset(analyze("بودجه عمرانی"))
    opening = "بودجه تصویب شد " + "متن " * 150 + "بودجه عمرانی بودجه عمرانی " + "پایان " * 10
    assert make_snippet(opening, terms).text.startswith("بودجه تصویب")
    late = "متن " * 150 + "بودجه عمرانی تصویب شد " + "پایان " * 10
    snippet = make_snippet(late, terms)
    assert snippet.text.startswith("… ") and snippet.marked("[", "]").count("[") == 2
    lead = make_snippet(late, terms, opening_only=True)  # the title already shows the match
    assert lead.text.startswith("متن متن") and lead.spans == ()


def test_snippet_marks_a_compound_written_apart_as_one():
    """`پیش بینی` in the text is the `پیشبینی` the search matched: both parts are marked, together."""
    terms = frozenset(analyze("پیش‌بینی"))
    marked = make_snippet("سازمان هواشناسی پیش بینی کرد و پیش‌بینی ماند", terms).marked("[", "]")
    assert marked == "سازمان هواشناسی [پیش بینی] کرد و [پیش‌بینی] ماند"
    assert make_snippet("کار پیش از بینی", terms).spans == ()
    late = "متن " * 150 + "هواشناسی پیش بینی کرد"  # found past the opening, too
    assert "هواشناسی [پیش بینی]" in make_snippet(late, terms).marked("[", "]")


def test_snippet_marks_prefix_matches_and_escapes():
    snippet = make_snippet("<b>هواشناسی</b> & باران", frozenset(), ("هواشن",))
    marked = snippet.marked("<b>", "</b>", lambda s: s.replace("&", "&amp;").replace("<", "&lt;"))
    assert marked == "&lt;b><b>هواشناسی</b>&lt;/b> &amp; باران"


_SNIPPET_WORDS = [
    "بودجه",
    "پروژه‌های",
    "پروژههای",
    "شهرداري",
    "كتاب",
    "متن",
    "و",
    "۱۲",
    "12،",
    "مهمترین",
    "پیش",
    "بینی",
    "پیش‌بینی",
    "۸۵٬۴۰۰٬۰۰۰",
    "85400000",
    "۴٫۲",
    "4.2",
    "1403/05/12",
    "دانش",
    "آموزی",
]


_SOUGHT = ["بودجه", "پروژه", "شهرداری", "کتاب", "12", "مهم", "نیست", "پیشبینی", "پیش", "85400000",
           f"4{DECIMAL_MARK}2", "5", "دانشاموزی"]  # fmt: skip


@given(
    st.lists(st.sampled_from(_SNIPPET_WORDS) | st.text(max_size=8), max_size=260),
    st.sets(
        st.sampled_from(_SOUGHT),
        max_size=3,
    ),
    st.booleans(),
)
def test_a_snippet_is_a_run_of_the_text_and_marks_only_matched_words(words, sought, opening_only):
    """Any text: the excerpt is consecutive pieces of it, every mark is a word giving a sought term,
    and unless only the opening is asked for, a text holding a sought word gets one marked."""
    text = " ".join(words)
    terms = frozenset(sought)
    snippet = make_snippet(text, terms, opening_only=opening_only)
    pieces = text.split()
    inner = snippet.text.removeprefix("… ").removesuffix(" …").split()
    assert len(inner) <= 30
    starts = [i for i in range(len(pieces) - len(inner) + 1) if pieces[i : i + len(inner)] == inner]
    assert starts, "the excerpt is a run of the text's pieces"
    for start, end in snippet.spans:
        assert terms & set(analyze(snippet.text[start:end]))
    if not opening_only and terms & set(analyze(text)):
        assert snippet.spans
    if opening_only:
        assert inner == pieces[:30]


_PHRASE_WORDS = [*_SNIPPET_WORDS, "حسن", "پور", "زاده", "اخبار", "خبر", "های", "ها", "می", "کتاب", "خانه",
                 "#نفت_ایران", "نفت", "ایران", "،", "(تهران)", "تهران", "رفت", "پیش بینی", "حسن پور",
                 "کتاب خانه‌ها", "علی زاده", "دانش آموزی", "سرمایه گذاریها", "گذاریها",
                 "علی رضایی"]  # fmt: skip


@given(st.lists(st.sampled_from(_PHRASE_WORDS) | st.text(max_size=6), max_size=40), st.data())
def test_the_cheap_phrase_pass_never_rules_out_a_phrase_that_is_there(words, data):
    """`may_hold_phrases` on a cold cache (words unseen are passed over) and on a warm one (a phrase of
    no compound's or name's terms read from the pieces' own terms, joins not sought): whenever the
    exact analysis holds the phrase, so does the cheap pass."""
    text = " ".join(words)
    terms = analyze(text, for_query=True)
    if not terms:
        return
    start = data.draw(st.integers(0, len(terms) - 1))
    phrase = tuple(terms[start : start + data.draw(st.integers(1, 3))])
    other = tuple(data.draw(st.lists(st.sampled_from(terms), min_size=1, max_size=3)))
    for wanted in (phrase, other):
        analyze_module._chunk_cache.clear()
        analyze_module._passed_over.clear()
        holds = f" {' '.join(wanted)} " in f" {' '.join(terms)} "
        assert may_hold_phrases(text, [wanted]) or not holds, (wanted, terms)
        analyze(text)  # every piece in the cache
        assert may_hold_phrases(text, [wanted]) or not holds, (wanted, terms)
    assert may_hold_phrases(text, [phrase])


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("حسن پور پور", ("پور",)),  # analyzed, the first پور ends حسنپور and the second stands alone
        ("علی زاده زاده", ("زاده",)),
        ("کتاب خانه خانه", ("خانه",)),
        ("پیش بینی بینی", ("بینی",)),
    ],
)
def test_a_passed_over_word_still_takes_the_next_word_into_its_compound(text, phrase):
    """A word passed over unanalyzed must not leave its neighbour free to join the word after it."""
    analyze_module._chunk_cache.clear()
    analyze_module._passed_over.clear()
    cheap = may_hold_phrases(text, [phrase])  # first, on the cold cache
    assert f" {' '.join(phrase)} " in f" {' '.join(analyze(text, for_query=True))} "
    assert cheap


def test_the_analyzer_reads_hazms_lexicon_without_importing_hazm():
    # Importing hazm imports nltk: 1.4 s of a fresh install's first start, where the sandbox indexes its
    # seed archive before it opens (docs/sandbox.md). The lexicon is read from hazm's folder instead.
    program = (
        "import sys; from bot.text.analyze import analyze; "
        "terms = analyze('شهرداریها برنامه ریزی کردند'); "
        "print(bool(terms), 'hazm' in sys.modules, 'nltk' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT, timeout=60
    )
    assert result.stdout.split() == ["True", "False", "False"]
