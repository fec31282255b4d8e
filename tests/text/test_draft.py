"""The draft parser: markup taken off each line, every paragraph given its role, question marks decided.

These tests pass the identity as the normalizer so that they pin down the parser alone; the golden
test (test_render.py) runs the real normalizer.
"""

import pytest

from bot.text.draft import Block, Draft, draft_to_json, parse_draft


def parse(text: str) -> Draft:
    return parse_draft(text, normalize=lambda s: s)


def kinds(draft: Draft) -> list[str]:
    return [block.kind for block in draft.blocks]


def test_headline_lead_bullets_closing_byline_footer():
    draft = parse(
        "?تیتر خبر\n"
        "به گزارش خبرنگار ما جلسه برگزار شد.\n"
        "?نکته اول\n"
        "🔹 نکته دوم\n"
        "متن عادی\n"
        "گفتنی است جلسه بعدی هفته آینده است.\n"
        "منبع: ایرنا\n"
        "#خبر #اقتصاد\n"
        "🆔 @news_channel\n"
    )
    assert draft.headline == "تیتر خبر"
    assert draft.blocks == (
        Block("lead", "به گزارش خبرنگار ما جلسه برگزار شد."),
        Block("bullet", "نکته اول"),
        Block("bullet", "نکته دوم"),
        Block("paragraph", "متن عادی"),
        Block("closing", "گفتنی است جلسه بعدی هفته آینده است."),
        Block("byline", "منبع: ایرنا"),
        Block("footer", "#خبر #اقتصاد"),
        Block("footer", "🆔 @news_channel"),
    )


@pytest.mark.parametrize(
    "line",
    [
        "?متن",
        "? متن",
        "🔹متن",
        "🔸 متن",
        "▪️ متن",
        "◾️ متن",
        "• متن",
        "- متن",
        "* متن",
        "✅ متن",
        "1. متن",
        "۱- متن",
        "1) متن",
        "12. متن",
        "(3) متن",
        "۲ـ متن",
        "?🔹 متن",
    ],
)
def test_every_bullet_mark_is_taken_off(line):
    draft = parse(f"تیتر\n{line}")
    assert [(block.kind, block.text) for block in draft.blocks] == [("bullet", "متن")]


@pytest.mark.parametrize(
    "line",
    ["-5 درجه زیر صفر", "12.5 درصد رشد", "1403/05/12 روز جلسه", "14:30 آغاز شد", "--- جدا", "2-3 نفر"],
)
def test_numbers_and_signs_that_open_a_line_are_text_not_bullets(line):
    draft = parse(f"تیتر\nمقدمه\n{line}")
    assert draft.blocks[1] == Block("paragraph", line)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("چرا این اتفاق افتاد?", "چرا این اتفاق افتاد؟"),
        ("چرا این اتفاق افتاد ?", "چرا این اتفاق افتاد؟"),
        ("کجا? او گفت", "کجا؟ او گفت"),
        ("خبر فوری ?? جلسه", "خبر فوری جلسه"),
        ("خبر ???", "خبر"),
        ("گفت ?وزیر آمد", "گفت وزیر آمد"),
        ("What is it? نمی‌دانم", "What is it? نمی‌دانم"),
        ("نشانی https://t.me/news_channel?x=1 است", "نشانی https://t.me/news_channel?x=1 است"),
        ("پیوند https://example.com/a?b=1&c=2?", "پیوند https://example.com/a?b=1&c=2?"),
        ("عدد ۱۲?", "عدد ۱۲؟"),
    ],
)
def test_question_marks(raw, clean):
    assert parse(f"تیتر\n{raw}").blocks[0].text == clean


def test_headline_loses_its_marks_and_may_be_a_question():
    assert parse("?آیا قیمت‌ها کاهش می‌یابد?\nمتن").headline == "آیا قیمت‌ها کاهش می‌یابد؟"


def test_line_endings_and_blank_lines():
    draft = parse("\ufeff?تیتر\r\n\r\nمقدمه\r?اول\r\n\n\n?دوم\u2028?سوم")
    assert draft.headline == "تیتر"
    assert kinds(draft) == ["lead", "bullet", "bullet", "bullet"]


def test_a_numbered_first_line_is_a_list_not_a_headline():
    draft = parse("1. اول\n2. دوم")
    assert draft.headline is None
    assert draft.blocks == (Block("bullet", "اول", "۱."), Block("bullet", "دوم", "۲."))


def test_a_bullet_right_after_the_headline_leaves_no_lead():
    draft = parse("تیتر\n?اول\nمتن بعدی")
    assert kinds(draft) == ["bullet", "paragraph"]


def test_long_line_opening_like_a_byline_is_a_sentence():
    sentence = "خبرنگار ما " + "از محل حادثه گزارش می‌دهد که " * 10
    assert kinds(parse(f"تیتر\nمقدمه\n{sentence.strip()}")) == ["lead", "paragraph"]


@pytest.mark.parametrize(
    "line",
    ["نویسنده: علی", "خبرنگار: مریم احمدی", "منبع: ایسنا", "گزارش از رضا", "عکس: حسین", "ترجمه: سارا"],
)
def test_bylines(line):
    assert kinds(parse(f"تیتر\nمقدمه\n{line}")) == ["lead", "byline"]


@pytest.mark.parametrize(
    "line",
    [
        "شایان ذکر است که جلسه تمام شد.",
        "گفتنی است جلسه تمام شد.",
        "لازم به ذکر است جلسه تمام شد.",
        "یادآور می‌شود جلسه تمام شد.",
        "یادآور میشود جلسه تمام شد.",
        "بنابر این گزارش، جلسه تمام شد.",
    ],
)
def test_closing_notes(line):
    assert kinds(parse(f"تیتر\nمقدمه\n{line}")) == ["lead", "closing"]


def test_footer_is_only_the_trailing_run_of_tag_lines():
    draft = parse("تیتر\n#وسط\nمتن\n#خبر\nhttps://t.me/news\n@news")
    assert kinds(draft) == ["paragraph", "paragraph", "footer", "footer", "footer"]
    assert draft.blocks[0].kind == "paragraph"  # a tag line is not a lead


def test_lines_with_only_markup_vanish():
    assert parse("?\n??\n🔹\n - ").blocks == ()
    assert parse("?\n??\n🔹").headline is None


def test_the_normalizer_sees_the_text_without_markup():
    seen: list[str] = []

    def normalize(text: str) -> str:
        seen.append(text)
        return text.upper()

    draft = parse_draft("?title\n🔹 bullet\n1. item", normalize=normalize)
    assert seen == ["title\nbullet\nitem"]
    assert draft == Draft("TITLE", (Block("bullet", "BULLET"), Block("bullet", "ITEM", "1.")))


def test_a_normalizer_that_changes_the_line_count_does_not_shift_blocks():
    draft = parse_draft("a\nb\nc", normalize=lambda s: s.replace("\n", " ") if "\n" in s else s + "!")
    assert draft == Draft("a!", (Block("lead", "b!"), Block("paragraph", "c!")))


def test_json_shape():
    draft = parse("تیتر\nمقدمه")
    assert draft_to_json(draft, ["<b>تیتر</b>\n\nمقدمه"]) == {
        "headline": "تیتر",
        "blocks": [{"kind": "lead", "text": "مقدمه"}],
        "messages": ["<b>تیتر</b>\n\nمقدمه"],
    }
