"""Properties of normalize_text over arbitrary text (hypothesis).

"Every word survives" is checked through `fold`, which undoes exactly the kinds of change the
normalizer is allowed to make, applied to input and output alike:
- spaces and half-spaces may be added, removed or moved (spacing and half-space restoration);
- hazm's character table (ي→ی, ك→ک, “”→"…), its ligature expansions (﷼→ریال), and its removal of
  diacritics and special marks; tatweel removed;
- digits change script (`12`→`۱۲`), `.`/`,`/`%` in numbers become `٫`/`٬`/`٪`, a Latin `,`/`;` after a
  Persian letter becomes `،`/`؛`, `...` becomes `…`, straight quotes become «»;
- a letter written three or more times may be squeezed (`سلامممم`→`سلام`), so runs fold to one letter;
- a tatweel may become a dash `–`, a soft hyphen a half-space, `هء`/`ۀ`/`ة` the ezafe `هٔ` or `ه`, and
  four or more dots (or spaced dots) one `…`, so those fold away and dot runs fold to `...`;
- `هم` joined to a word in آ writes its آ as ا (`هم آهنگی` → `هماهنگی`), so `همآ` folds to `هما`.
Nothing else may change: no letter, digit, symbol or punctuation mark may be lost, added or reordered.
"""

from __future__ import annotations

import re
import unicodedata

from hazm.constants import (
    DIACRITICS_PATTERNS,
    SPECIAL_CHARS_PATTERNS,
    TRANSLATION_DST,
    TRANSLATION_SRC,
    UNICODE_REPLACEMENTS,
)
from hypothesis import example, given
from hypothesis import strategies as st

from bot.text.halfspace import ARABIC_LETTERS
from bot.text.normalize import normalize_text
from bot.text.protect import MASK, persian_number

_HAZM_LETTERS = str.maketrans(TRANSLATION_SRC, TRANSLATION_DST)
_REMOVED_RE = re.compile("|".join(pattern for pattern, _ in DIACRITICS_PATTERNS + SPECIAL_CHARS_PATTERNS))
_FOLD = str.maketrans(
    {
        **{d: str(i) for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹")},
        **{d: str(i) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩")},
        "٫": ".",
        "٬": ",",
        "٪": "%",
        "،": ",",
        "؛": ";",
        "…": "...",
        '"': None,
        "«": None,
        "»": None,
        "\u200c": None,
        "\u0640": None,
        "–": None,  # a tatweel used as a dash becomes one
        "\u00ad": None,  # a soft hyphen between letters becomes a half-space
        "ۀ": "ه",
        "ة": "ه",  # an Arabic ة on a Persian noun becomes ه or the ezafe هٔ
    }
)
_EZAFE_RE = re.compile("ه\\s*ء")
_DOTS_RE = re.compile(r"\.{2,}")
_RUN_RE = re.compile(f"([{ARABIC_LETTERS}])\\1+")
_HAM_MADDA_RE = re.compile("(?<![" + ARABIC_LETTERS + "])همآ")


def fold(text: str) -> str:
    """Text reduced to what normalize_text must never change (see the module docstring)."""
    text = text.translate(_HAZM_LETTERS)
    for old, new in UNICODE_REPLACEMENTS:
        text = text.replace(old, new)
    text = _EZAFE_RE.sub("ه", text)
    text = _REMOVED_RE.sub("", text)
    text = text.translate(_FOLD)
    text = "".join(ch for ch in text if not ch.isspace())
    text = _DOTS_RE.sub("...", text)
    text = _HAM_MADDA_RE.sub("هما", text)
    return _RUN_RE.sub(r"\1", text)


def lines_in(text: str) -> int:
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n")


PERSIAN_WORDS = [
    "شهرداری",
    "ها",
    "های",
    "می",
    "توانند",
    "برنامه",
    "ریزی",
    "مهمترین",
    "خانهای",
    "میز",
    "تهران",
    "سرمایه",
    "گذاری",
    "شورا",
    "پیش",
    "بینی",
    "كتاب",
    "علي",
    "بوده",
    "ایم",
    "نامه",
    "ای",
    "تر",
    "بزرگ",
    "پروژههای",
    "و",
    "به",
    "در",
    "سلامممم",
    "ـــ",
    "اِعلام",
    # the kinds of issue 22: second parts, هم, این جا, clitics, the future, verb phrases, glued forms
    "جوان",
    "پسند",
    "کننده",
    "هم",
    "خون",
    "آهنگی",
    "این",
    "جا",
    "گرون",
    "پژوهش",
    "گر",
    "گران",
    "کتاب",
    "مان",
    "مون",
    "میشینم",
    "برنخواهدگشت",
    "آسیب",
    "دیده",
    "است",
    "اند",
    "سانتیمتر",
    "جلسهای",
    "یک",
    "عباس",
    "زاده",
    "پور",
    "سکه",
    "ربع",
    "#فريدونشهر",
]
PUNCTUATION = [*' .،,:;؛!؟?«»"()...…-/#@%٪\n\r\t\u200c\u00a0', MASK, "\r\n", "  "]

persian_text = st.lists(
    st.one_of(
        st.sampled_from(PERSIAN_WORDS),
        st.sampled_from(PUNCTUATION),
        st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٫٬.,:/-", max_size=6),
        st.text(max_size=3),
    ),
    max_size=40,
).map("".join)

any_text = st.one_of(st.text(), persian_text)


@given(any_text)
@example("")
@example("\r\n\r\n")
@example(MASK)
@example(f"{MASK} 12 {MASK}")
@example("https://t.me/x?ي=1 و 12.5")
def test_never_raises_and_keeps_line_count(text: str) -> None:
    out = normalize_text(text)
    assert isinstance(out, str)
    assert out.count("\n") == lines_in(text)
    assert "\r" not in out


@given(any_text)
@example("سلامممم و كتاب‌ها ...")
@example('او گفت "سلام" و 12.5% و 1,250,000')
@example("تهران,اصفهان;شیراز")
def test_every_word_survives(text: str) -> None:
    assert fold(normalize_text(text)) == fold(text)


@given(any_text)
def test_output_has_no_carriage_returns_or_edge_spaces(text: str) -> None:
    for line in normalize_text(text).split("\n"):
        assert line == line.strip(" ")


@given(persian_text)
@example("جوان\u200cپسند")
@example("جوان پسند جوان\u200cپسند")
def test_half_spaces_stand_alone_and_inside_words(text: str) -> None:
    """A half-space comes out single, between two letters: a rule that splits a glued word must not
    split one already written with its half-space again (`جوان‌پسند` came out with two)."""
    out = normalize_text(text)
    assert "\u200c\u200c" not in out
    for at, ch in enumerate(out):
        if ch == "\u200c":
            assert 0 < at < len(out) - 1 and not out[at - 1].isspace() and not out[at + 1].isspace()


_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_domain = st.from_regex(r"[a-z][a-z0-9]{1,10}\.(com|ir|org|me)", fullmatch=True)
_path = st.from_regex(
    r"(/[A-Za-z0-9_\-]{1,8}){0,3}(\?[a-z]{1,4}=[A-Za-z0-9]{1,5}(&[a-z]{1,3}=[0-9]{1,3})?)?", fullmatch=True
)
urls = st.builds(
    lambda scheme, domain, path: f"{scheme}{domain}{path}",
    st.sampled_from(["https://", "http://", "https://www."]),
    _domain,
    _path,
)
telegram_links = st.from_regex(r"https://t\.me/[a-z][a-z0-9_]{4,20}(/[0-9]{1,6})?", fullmatch=True)
handles = st.from_regex(r"@[A-Za-z][A-Za-z0-9_]{4,20}", fullmatch=True)
emails = st.from_regex(r"[a-z][a-z0-9._]{0,8}[a-z0-9]@[a-z]{2,8}\.(com|ir)", fullmatch=True)
hashtags = st.from_regex(f"#[{_LETTERS}][{_LETTERS}_0-9]{{0,10}}", fullmatch=True)
arabic_hashtags = st.from_regex(f"#[{_LETTERS}يك][{_LETTERS}يك_0-9]{{0,10}}", fullmatch=True)
verbatim_tokens = st.one_of(urls, telegram_links, handles, emails, hashtags)

numbers = st.one_of(
    st.integers(0, 10**9).map(str),
    st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 9999), st.integers(0, 999)),
    st.integers(1000, 10**9).map(lambda n: f"{n:,}"),
    st.builds(
        lambda y, m, d: f"{y}/{m:02d}/{d:02d}", st.integers(1300, 1499), st.integers(1, 12), st.integers(1, 9)
    ),
    st.builds(
        lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1990, 2099), st.integers(1, 12), st.integers(1, 9)
    ),
    st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
)
plain_words = st.sampled_from(
    ["خبر", "امروز", "تهران", "گزارش", "مهم", "اعلام", "شد", "ساعت", "تاریخ", "مبلغ"]
)


@given(st.lists(st.tuples(plain_words, verbatim_tokens), min_size=1, max_size=5))
def test_links_handles_emails_hashtags_survive_byte_for_byte(pairs: list[tuple[str, str]]) -> None:
    text = " ".join(f"{word} {token}" for word, token in pairs) + "."
    out_tokens = normalize_text(text).rstrip(".").split(" ")
    for _, token in pairs:
        assert token in out_tokens


@given(st.lists(st.tuples(plain_words, numbers), min_size=1, max_size=5))
def test_numbers_keep_every_character_but_digit_script(pairs: list[tuple[str, str]]) -> None:
    text = " ".join(f"{word} {number}" for word, number in pairs)
    out_tokens = normalize_text(text).split(" ")
    assert out_tokens == [part for word, number in pairs for part in (word, persian_number(number))]
    for _, number in pairs:
        rendered = persian_number(number)
        assert len(rendered) == len(number)
        assert [unicodedata.digit(c, None) for c in rendered] == [unicodedata.digit(c, None) for c in number]


_QUOTES = str.maketrans(dict.fromkeys('"“”'))


@given(any_text.map(lambda text: text.translate(_QUOTES)))
@example("شهرداری...0")
@example("،\u200c0")
@example("0.۰.0")
@example("ؠ\u200c#0")
@example("ؠ0.ـ0")
@example("ؠ.…")
@example("ؠ.  …")
@example("ی.  …")
@example("خبر .  .  . ادامه")
@example("ػ , ؠ")
def test_idempotent(text: str) -> None:
    """Running the clean-up again changes nothing. Straight quotes are left out: hazm pairs them
    greedily, so `""x""` becomes `"«x»"` and then `««x»»`."""
    once = normalize_text(text)
    assert normalize_text(once) == once


_NO_DIGITS = st.text().map(lambda text: "".join(ch for ch in text if not ch.isdigit()))


@given(st.one_of(_NO_DIGITS, persian_text.map(lambda text: re.sub(r"\d", "", text))))
@example("كتاب “علي” ... ﷼ ـ اِعلام")
def test_our_hazm_step_equals_hazm_normalize_with_the_same_switches(text: str) -> None:
    """`_apply_hazm` skips work that cannot change anything; the result must be hazm's own.
    (Digits are left out: hazm's decimal rule never sees them, numbers are masked before.)"""
    from bot.text.normalize import _apply_hazm, hazm_normalizer

    assert _apply_hazm(text) == hazm_normalizer().normalize(text)


# ── Mixes (issue 13): the copy editor's rules next to protected spans and inside Latin text ──

_JOINERS = st.sampled_from(
    ["", " ", "ـ", "ــ", " ـ ", "،", ",", ";", "(", ")", "«", "»", "[", "]", "...", "....", ". . .", "\u00ad",
     "\u200c", " - ", "–", "ء", ": ", "؟", "!"]
)  # fmt: skip
persian_neighbours = st.sampled_from(
    ["خبر", "شهرداریها", "بهانه", "سایة", "میشه", "آن", "ها", "بر", "میگردد", "کم", "برخوردار", "جلسهای",
     "که", "تو", "میدانی", "ـکه", "درست", "تری", "باتوجه", "خواهدشد"]
)  # fmt: skip


@given(st.lists(st.tuples(persian_neighbours, _JOINERS, verbatim_tokens, _JOINERS), min_size=1, max_size=4))
def test_links_handles_emails_hashtags_survive_every_neighbour(
    parts: list[tuple[str, str, str, str]],
) -> None:
    """Whatever stands around it (a tatweel, dots, a comma, a bracket, a soft hyphen), a link, handle,
    e-mail or hashtag comes out with the same characters (the neighbour may end its span only where it
    ends a link anyway: a closing mark)."""
    text = " ".join(f"{word}{left} {token} {right}" for word, left, token, right in parts)
    out = normalize_text(text)
    for _, _, token, _ in parts:
        assert token in out


@given(st.lists(st.tuples(persian_neighbours, _JOINERS, numbers, _JOINERS), min_size=1, max_size=4))
def test_numbers_keep_their_value_beside_every_neighbour(parts: list[tuple[str, str, str, str]]) -> None:
    """A number written apart from its neighbours keeps its value: the same digits in the same order,
    only their script may change; no two numbers merge."""
    text = " ".join(f"{word}{left} {number} {right}" for word, left, number, right in parts)
    out = normalize_text(text)
    digits = [unicodedata.digit(ch) for ch in out if unicodedata.digit(ch, None) is not None]
    expected = [unicodedata.digit(ch) for _, _, number, _ in parts for ch in number if ch.isdigit()]
    assert digits == expected
    for _, _, number, _ in parts:
        assert persian_number(number) in out or number in out


_LATIN_WORDS = st.sampled_from(
    ["alpha", "Beta", "gamma", "node.js", "x1", "it's", "U.S.", "e.g.", "API", "v2"]
)
_LATIN_GLUE = st.sampled_from(
    [" ", ", ", "; ", "... ", ".... ", ": ", " - ", " (note) ", ' "quoted" ', "! ", "? ", " [1] ", " 42 ",
     " { a } ", " ( b ) ", " . . . ", "' ", " 3.5 "]
)  # fmt: skip
latin_phrases = st.builds(
    lambda first, rest: first + "".join(glue + word for glue, word in rest),
    _LATIN_WORDS,
    st.lists(st.tuples(_LATIN_GLUE, _LATIN_WORDS), min_size=1, max_size=6),
)


@given(persian_neighbours, latin_phrases, persian_neighbours)
@example("خبر", 'alpha "quoted" Beta', "خبر")
@example("خبر", "alpha.... Beta", "خبر")
@example("خبر", "alpha ( b ) Beta", "خبر")
@example("خبر", "alpha 42 Beta", "خبر")
def test_latin_text_keeps_its_punctuation_and_digits(before: str, phrase: str, after: str) -> None:
    """A Latin phrase inside a Persian line comes out character for character: its commas, quotes,
    dots, brackets and digits are its own."""
    out = normalize_text(f"{before} {phrase} {after}")
    assert phrase in out


@given(st.lists(st.tuples(plain_words, arabic_hashtags), min_size=1, max_size=5))
def test_a_hashtag_changes_only_its_arabic_letters(pairs: list[tuple[str, str]]) -> None:
    """A hashtag is one token after the clean-up as before, its Arabic ي/ك made Persian and nothing
    else (never split, joined or given a half-space): the channel's tags stay one tag."""
    text = " ".join(f"{word} {tag}" for word, tag in pairs) + "."
    out_tokens = normalize_text(text).rstrip(".").split(" ")
    for _, tag in pairs:
        assert tag.replace("ي", "ی").replace("ك", "ک") in out_tokens
