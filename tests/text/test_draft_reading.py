"""Reading a draft as an editor means it (issue 13): a long first line is no headline, numbered lists
keep their numbers, Latin digits in Latin text and code stay Latin, a forwarded post's signature goes.

Each kind has written cases and, beside them, drafts that look alike and must be read as before.
"""

from __future__ import annotations

import pytest

from bot.text.draft import Block, parse_draft
from bot.text.normalize import normalize_text
from bot.text.render import render_post

LONG_SENTENCE = (
    "به گزارش خبرنگار ما، جلسه شورای شهر امروز با حضور اعضا و شهردار برگزار شد و در آن درباره بودجه "
    "سال آینده، طرح‌های عمرانی، وضعیت حمل‌ونقل عمومی و برنامه‌های فرهنگی شهر گفت‌وگو شد"
)

# (draft, expected headline, expected first block text)
HEADLINES: list[tuple[str, str | None, str]] = [
    (f"بودجه شهر تصویب شد. {LONG_SENTENCE}.", "بودجه شهر تصویب شد", LONG_SENTENCE + "."),
    (f"?بودجه شهر تصویب شد. {LONG_SENTENCE}.", "بودجه شهر تصویب شد", LONG_SENTENCE + "."),
    (f"آیا بودجه تصویب می‌شود؟ {LONG_SENTENCE}.", "آیا بودجه تصویب می‌شود؟", LONG_SENTENCE + "."),
    (f"بودجه تصویب شد! {LONG_SENTENCE}.", "بودجه تصویب شد!", LONG_SENTENCE + "."),
    (f"{LONG_SENTENCE}. جلسه بعدی هفته آینده است.", None, f"{LONG_SENTENCE}. جلسه بعدی هفته آینده است."),
    (f"{LONG_SENTENCE} {LONG_SENTENCE}", None, f"{LONG_SENTENCE} {LONG_SENTENCE}"),
    (f"زلزله در کرمان. {LONG_SENTENCE}.\nمنبع: ایرنا", "زلزله در کرمان", LONG_SENTENCE + "."),
    (f"قیمت طلا بالا رفت. {LONG_SENTENCE}.\n#اقتصاد", "قیمت طلا بالا رفت", LONG_SENTENCE + "."),
    (f"نرخ تورم 12.5 درصد شد. {LONG_SENTENCE}.", "نرخ تورم ۱۲٫۵ درصد شد", LONG_SENTENCE + "."),
    (f"تیم ملی برد. {LONG_SENTENCE}.\nمتن دوم", "تیم ملی برد", LONG_SENTENCE + "."),
    (f"وزیر استعفا داد. {LONG_SENTENCE}.", "وزیر استعفا داد", LONG_SENTENCE + "."),
    (f"باران می‌بارد. {LONG_SENTENCE}.", "باران می‌بارد", LONG_SENTENCE + "."),
    (f"مدارس تعطیل شد. {LONG_SENTENCE}.", "مدارس تعطیل شد", LONG_SENTENCE + "."),
    (f"پرواز لغو شد. {LONG_SENTENCE}.", "پرواز لغو شد", LONG_SENTENCE + "."),
    (f"جاده بسته شد. {LONG_SENTENCE}.", "جاده بسته شد", LONG_SENTENCE + "."),
    (f"قیمت نان ثابت ماند. {LONG_SENTENCE}.", "قیمت نان ثابت ماند", LONG_SENTENCE + "."),
    (f"انتخابات برگزار شد. {LONG_SENTENCE}.", "انتخابات برگزار شد", LONG_SENTENCE + "."),
    (f"دلار ارزان شد. {LONG_SENTENCE}.", "دلار ارزان شد", LONG_SENTENCE + "."),
    (f"نمایشگاه کتاب آغاز شد. {LONG_SENTENCE}.", "نمایشگاه کتاب آغاز شد", LONG_SENTENCE + "."),
    (f"🔴 خبر فوری: آتش‌سوزی مهار شد. {LONG_SENTENCE}.", "🔴 خبر فوری: آتش‌سوزی مهار شد", LONG_SENTENCE + "."),
    (f"{'واژه ' * 40}پایان. {LONG_SENTENCE}.", None, f"{'واژه ' * 40}پایان. {LONG_SENTENCE}."),
]

# Drafts whose first line is a headline as before: short lines stay whole.
HEADLINE_NEIGHBOURS: list[tuple[str, str]] = [
    ("تیتر خبر\nمتن خبر", "تیتر خبر"),
    ("?تیتر خبر\nمتن", "تیتر خبر"),
    ("بودجه تصویب شد. جزئیات در ادامه\nمتن", "بودجه تصویب شد. جزئیات در ادامه"),
    ("آیا قیمت‌ها کاهش می‌یابد؟\nمتن", "آیا قیمت‌ها کاهش می‌یابد؟"),
    ("تیتر تنها", "تیتر تنها"),
    ("تیتر. با نقطه.\nمتن", "تیتر. با نقطه."),
    ("خبر فوری!\nمتن", "خبر فوری!"),
    ("«نقل‌قول» در تیتر\nمتن", "«نقل‌قول» در تیتر"),
    ("نرخ تورم ۱۲٫۵ درصد شد\nمتن", "نرخ تورم ۱۲٫۵ درصد شد"),
    ("تیتر با #هشتگ\nمتن", "تیتر با #هشتگ"),
    ("یک تیتر کمی بلندتر که هنوز از حد مجاز کوتاه‌تر است و باید تیتر بماند\nمتن",
     "یک تیتر کمی بلندتر که هنوز از حد مجاز کوتاه‌تر است و باید تیتر بماند"),
    ("🔴 فوری\nمتن", "🔴 فوری"),
    ("تیتر: زیرتیتر\nمتن", "تیتر: زیرتیتر"),
    ("?? تیتر با دو علامت\nمتن", "تیتر با دو علامت"),
    ("تیتر\n\nمتن بعد از سطر خالی", "تیتر"),
    ("وزیر: «استعفا نمی‌دهم»\nمتن", "وزیر: «استعفا نمی‌دهم»"),
    ("زلزله ۵٫۲ ریشتری در کرمان\nمتن", "زلزله ۵٫۲ ریشتری در کرمان"),
    ("Breaking: news in English\nمتن", "Breaking: news in English"),
    ("تیتر (با پرانتز)\nمتن", "تیتر (با پرانتز)"),
    ("تیتر - با خط تیره\nمتن", "تیتر - با خط تیره"),
]  # fmt: skip

NUMBERED: list[tuple[str, list[str]]] = [
    ("تیتر\n۱- اول\n۲- دوم\n۳- سوم", ["۱- اول", "۲- دوم", "۳- سوم"]),
    ("تیتر\n1. اول\n2. دوم", ["۱. اول", "۲. دوم"]),
    ("تیتر\n1) اول\n2) دوم", ["۱) اول", "۲) دوم"]),
    ("تیتر\n(1) اول\n(2) دوم", ["۱) اول", "۲) دوم"]),
    ("تیتر\n۱ـ اول\n۲ـ دوم", ["۱- اول", "۲- دوم"]),
    ("تیتر\n3. سوم\n1. اول", ["۳. سوم", "۱. اول"]),
    ("تیتر\n10. دهم\n11. یازدهم", ["۱۰. دهم", "۱۱. یازدهم"]),
    ("تیتر\n1. first\n2. second", ["1. first", "2. second"]),
    ("تیتر\n۱. اول\n۲. دوم", ["۱. اول", "۲. دوم"]),
    ("تیتر\n?1. اول\n?2. دوم", ["۱. اول", "۲. دوم"]),
    ("تیتر\n۱- اول\n🔹 بولت\n۲- دوم", ["۱- اول", "🔹 بولت", "۲- دوم"]),
    ("1. اول\n2. دوم", ["۱. اول", "۲. دوم"]),
    ("تیتر\nمقدمه\n۱- اول\n۲- دوم", ["مقدمه", "۱- اول", "۲- دوم"]),
    ("تیتر\n٣- سوم\n٤- چهارم", ["۳- سوم", "۴- چهارم"]),
    ("تیتر\n1- اول\n2- دوم\n3- سوم\n4- چهارم", ["۱- اول", "۲- دوم", "۳- سوم", "۴- چهارم"]),
    ("تیتر\n5. پنجم", ["۵. پنجم"]),
    ("تیتر\n۱- قیمت 12.5 درصد", ["۱- قیمت ۱۲٫۵ درصد"]),
    ("تیتر\n۱- اول\nمتن\n۲- دوم", ["۱- اول", "متن", "۲- دوم"]),
    ("تیتر\n1. Python 3\n2. Go", ["1. Python 3", "2. Go"]),
    ("تیتر\n۱.اول\n۲.دوم", ["۱. اول", "۲. دوم"]),
]

NUMBER_NEIGHBOURS: list[str] = [
    "-5 درجه زیر صفر",
    "12.5 درصد رشد",
    "1403/05/12 روز جلسه",
    "14:30 آغاز شد",
    "2-3 نفر",
    "1402 سال خوبی بود",
    "۱۲٫۵ درصد",
    "3 نفر آمدند",
    "100 تومان",
    "۱۴۰۰-۱۴۰۲",
    "۲۰ درصد",
    "۵ نفر زخمی شدند",
    "1000 تن",
    "۱۲:۰۰ ظهر",
    "۷ روز",
    "2024 سال مهمی بود",
    "۱۴۰۳/۰۱/۰۱ آغاز شد",
    "۳۰۰ میلیارد",
    "+5 درجه",
    "۱۰۰٪ رشد",
]

LATIN_DIGITS: list[tuple[str, str]] = [
    ("کد `alert(1)` را اجرا کنید", "کد `alert(1)` را اجرا کنید"),
    ("تابع alert(1) خطا داد", "تابع alert(1) خطا داد"),
    ("نسخه Windows 11 Pro منتشر شد", "نسخه Windows 11 Pro منتشر شد"),
    ("در `x = 2` مقدار", "در `x = 2` مقدار"),
    ("دستور `sleep 5` را بزنید", "دستور `sleep 5` را بزنید"),
    ("تابع print(42) را ببینید", "تابع print(42) را ببینید"),
    ("مدل Galaxy S 24 Ultra عرضه شد", "مدل Galaxy S 24 Ultra عرضه شد"),
    ("نسخه Python 3 Beta منتشر شد", "نسخه Python 3 Beta منتشر شد"),
    ("خطای f(0) رفع شد", "خطای f(0) رفع شد"),
    ("متغیر `i = 10` است", "متغیر `i = 10` است"),
    ("آرایه arr[3] خالی است", "آرایه arr[3] خالی است"),
    ("نسخه Android 14 Beta آمد", "نسخه Android 14 Beta آمد"),
    ("بازی FIFA 2024 Edition", "بازی FIFA 2024 Edition"),
    ("کد `return 0` را بنویسید", "کد `return 0` را بنویسید"),
    ("تابع max(1, 2) عدد ۲ را می‌دهد", "تابع max(1, 2) عدد ۲ را می‌دهد"),
    ("پردازنده Core i7 13 Gen", "پردازنده Core i7 13 Gen"),
    ("فیلم Toy Story 4 Trailer", "فیلم Toy Story 4 Trailer"),
    ("عبارت `a + 1` غلط است", "عبارت `a + 1` غلط است"),
    ("تابع sum(5) را صدا بزنید", "تابع sum(5) را صدا بزنید"),
    ("نسخه macOS 15 Sequoia آمد", "نسخه macOS 15 Sequoia آمد"),
]

# Digits of Persian text still become Persian.
DIGIT_NEIGHBOURS: list[tuple[str, str]] = [
    ("سال 1402 بود", "سال ۱۴۰۲ بود"),
    ("تعداد 3 نفر از Google", "تعداد ۳ نفر از Google"),
    ("آیفون iPhone 15 عرضه شد", "آیفون iPhone ۱۵ عرضه شد"),
    ("مدل GPT-4 و 5 نسخه", "مدل GPT-4 و ۵ نسخه"),
    ("قیمت 100 دلار", "قیمت ۱۰۰ دلار"),
    ("ساعت 14:30 جلسه", "ساعت ۱۴:۳۰ جلسه"),
    ("نرخ 12.5 درصد", "نرخ ۱۲٫۵ درصد"),
    ("Version 3.2 released", "Version 3.2 released"),
    ("(منبع: 2 گزارش)", "(منبع: ۲ گزارش)"),
    ("رتبه 1 جهان", "رتبه ۱ جهان"),
    ("در 2 روز", "در ۲ روز"),
    ("سامانه 137", "سامانه ۱۳۷"),
    ("کد 021", "کد ۰۲۱"),
    ("طبقه 3", "طبقه ۳"),
    ("«5 نفر»", "«۵ نفر»"),
    ("تلفن: 0912-123-4567", "تلفن: ۰۹۱۲-۱۲۳-۴۵۶۷"),
    ("بند (3) قانون", "بند (۳) قانون"),
    ("سال 2024 میلادی", "سال ۲۰۲۴ میلادی"),
    ("شرکت Apple و 3 شرکت دیگر", "شرکت Apple و ۳ شرکت دیگر"),
    ("ماده 12 [اصلاحی]", "ماده ۱۲ [اصلاحی]"),
]

SIGNATURE = "🆔 @mychannel"
FORWARDED: list[str] = [
    "🆔 @other_channel",
    "@other_channel",
    "🆔@other_channel",
    "🆔 @OtherNews",
    "📡 @foreign_news",
    "👉 @another_one",
    "🔸 @some_channel",
    "@khabar_fori",
    "🆔 @news_agency_ir",
    "➖ @abc_news",
    "🆔 @x_channel_24",
    "@Channel_Name",
    "✅ @verified_news",
    "🌐 @world_news",
    "📌 @pinned_news",
    "🆔 @iran_news_fa",
    "@N3ws",
    "🆔 @ab_cd",
    "🔻 @down_news",
    "🆔 @tehran_today",
]

# Footers that stay: our own handle, tags, links, a handle inside a sentence, or no signature set.
FORWARD_NEIGHBOURS: list[tuple[str, str]] = [
    ("#mychannel", SIGNATURE),
    ("کانال ما @mychannel را دنبال کنید", SIGNATURE),
    ("#خبر #اقتصاد", SIGNATURE),
    ("https://t.me/other_channel", SIGNATURE),
    ("@other_channel #خبر", SIGNATURE),
    ("@one @two", SIGNATURE),
    ("🆔 @other_channel", ""),
    ("@other_channel", ""),
    ("www.example.com", SIGNATURE),
    ("#فوری", SIGNATURE),
    ("خبرنگار: @reporter_name", SIGNATURE),
    ("تماس با ما: news@example.com", SIGNATURE),
    ("🆔 @mychannel #خبر", SIGNATURE),
    ("mychannel", SIGNATURE),
    ("عضو شوید @other_channel", SIGNATURE),
    ("t.me/other_channel", SIGNATURE),
    ("#اخبار_ایران", SIGNATURE),
    ("🆔 @other_channel و @third", SIGNATURE),
    ("منبع: @other_channel", SIGNATURE),
    ("@other_channel 🆔 @mychannel", SIGNATURE),
]


def test_headline_tables_are_large_enough() -> None:
    assert len(HEADLINES) >= 20 and len(NUMBERED) >= 20 and len(LATIN_DIGITS) >= 20 and len(FORWARDED) >= 20
    assert min(len(HEADLINE_NEIGHBOURS), len(NUMBER_NEIGHBOURS), len(DIGIT_NEIGHBOURS)) >= 20
    assert len(FORWARD_NEIGHBOURS) >= 20


@pytest.mark.parametrize(("draft", "headline", "lead"), HEADLINES)
def test_a_long_first_line_gives_a_short_headline_or_none(
    draft: str, headline: str | None, lead: str
) -> None:
    parsed = parse_draft(draft)
    assert parsed.headline == headline
    assert parsed.blocks[0] == Block("lead", lead)
    assert parsed.headline is None or len(parsed.headline) <= 160


@pytest.mark.parametrize(("draft", "headline"), HEADLINE_NEIGHBOURS)
def test_short_first_lines_are_headlines_as_before(draft: str, headline: str) -> None:
    assert parse_draft(draft).headline == headline


@pytest.mark.parametrize(("draft", "shown"), NUMBERED)
def test_numbered_lists_keep_their_numbers_and_order(draft: str, shown: list[str]) -> None:
    parsed = parse_draft(draft)
    html = render_post(parsed)[0]
    body = html.split("\n\n")[1:] if parsed.headline else html.split("\n\n")
    assert body == shown


@pytest.mark.parametrize("line", NUMBER_NEIGHBOURS)
def test_numbers_opening_a_line_are_text_not_list_numbers(line: str) -> None:
    parsed = parse_draft(f"تیتر\nمقدمه\n{line}")
    assert parsed.blocks[1].kind == "paragraph" and parsed.blocks[1].label is None


@pytest.mark.parametrize(("text", "clean"), LATIN_DIGITS + DIGIT_NEIGHBOURS)
def test_latin_digits_in_latin_text_and_code_stay_latin(text: str, clean: str) -> None:
    assert normalize_text(text) == clean


@pytest.mark.parametrize("handle_line", FORWARDED)
def test_a_forwarded_posts_signature_line_is_dropped(handle_line: str) -> None:
    parsed = parse_draft(f"تیتر\nمتن خبر\n{handle_line}")
    messages = render_post(parsed, signature=SIGNATURE)
    assert messages == ["<b>تیتر</b>\n\nمتن خبر\n\n🆔 @mychannel"]


@pytest.mark.parametrize(("footer", "signature"), FORWARD_NEIGHBOURS)
def test_other_footers_stay(footer: str, signature: str) -> None:
    parsed = parse_draft(f"تیتر\nمتن خبر\n{footer}")
    assert footer in render_post(parsed, signature=signature)[0]


OUR_OWN_LINES: list[tuple[str, str]] = [
    ("🆔 @mychannel", SIGNATURE),
    ("@MyChannel", SIGNATURE),
    ("@news_channel", "🆔 @news_channel"),
    ("🆔 @news_channel\u200c", "🆔\ufe0f @news_channel"),
]


@pytest.mark.parametrize(("footer", "signature"), OUR_OWN_LINES)
def test_our_own_signature_or_handle_at_the_end_is_said_once(footer: str, signature: str) -> None:
    """A channel post pasted back ends with our own signature: the post adds it, so it is not doubled."""
    [message] = render_post(parse_draft(f"تیتر\nمتن خبر\n{footer}"), signature=signature)
    assert message.endswith(f"متن خبر\n\n{signature}") and message.count("@") == 1


def test_only_the_last_line_is_a_signature_line() -> None:
    parsed = parse_draft("تیتر\nمتن\n🆔 @other_channel\n#خبر")
    assert "@other_channel" in render_post(parsed, signature=SIGNATURE)[0]


def test_a_long_numbered_item_is_not_cut_after_its_number() -> None:
    item = " ".join(["واژه"] * 1500)
    messages = render_post(parse_draft(f"تیتر\n1. {item}"))
    assert len(messages) > 1
    assert next(m for m in messages if "۱." in m).split("\n\n")[-1].startswith("۱. واژه واژه")
