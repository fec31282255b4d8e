"""Which `?` lines read as questions (issue 20): the "doubtful" flag of a line-opening `?` taken for
a lost emoji bullet. A table of lines as drafts carry them, and a property of the bullet rule."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text.changes import Rule
from bot.text.draft import explain_draft, parse_draft
from bot.text.questions import reads_as_question

QUESTIONS = [
    "?آیا این طرح اجرا شدنی است ?",
    "?آیا دولت یارانه را افزایش می‌دهد",
    "?چرا قیمت نان دوباره بالا رفت",
    "?چرا مسئولان پاسخ نمی‌دهند؟",
    "?چه کسی مسئول این حادثه است",
    "?چه زمانی مترو به فرودگاه می‌رسد",
    "?این پروژه برای چه",
    "?چگونه می‌توان از آلودگی هوا کاست",
    "?چطور ثبت‌نام کنیم",
    "?کی نوبت ما می‌شود",
    "?کجا می‌توان بلیت خرید",
    "?قیمت هر متر آپارتمان چند است",
    "?کدام شهرها تعطیل هستند",
    "?مگر قرار نبود حقوق‌ها افزایش یابد",
    "?شهرداری کدام‌یک از طرح‌ها را اجرا می‌کند",
    "?هزینهٔ این طرح چقدر است",
    "?سهم استان از بودجه چیست",
    "?مقصر اصلی کیست",
    "?تکلیف مستأجران چه می‌شود",
    "?وزیر گفت: برنامه‌ای برای کاهش تورم داریم?",
    "?اعتراض‌ها به کجا می‌رسد",
    "?مردم به چه دلیلی به خیابان آمدند",
    "?قطعی برق تا کی ادامه دارد",
    "?چند تا مدرسه ساخته شد",
    "?نتیجهٔ مذاکرات؛ توافق یا بن‌بست؟»",
    "?What happens next",
    "?آيا مدارس تعطيل است",  # Arabic ي: folded like the index folds it
    "?چرا كه نه?",  # a question shape wins over «چرا که»
]

STATEMENTS = [
    "?رئیس هیات مدیره سازمان در سخنانی تعامل و همکاری را مهم دانست",
    "?شهرداران میتوانند با همکاری بخش خصوصی پروژه‌ها را پیش ببرند",
    "?چند نفر در این حادثه زخمی شدند",
    "?چند روز پیش طرح به مجلس رسید",
    "?هیچ کدام از مسئولان در جلسه حاضر نشدند",
    "?هر کدام از شهرها سهمی از بودجه دارند",
    "?هر کجا نیاز باشد نیروها اعزام می‌شوند",
    "?این طرح اجرا نمی‌شود مگر اینکه بودجه تأمین شود",
    "?مگر آنکه مجلس موافقت کند، قیمت‌ها ثابت می‌ماند",
    "?دولت طرح را کنار گذاشت، چرا که بودجه کافی نبود",
    "?چه در تهران و چه در شهرستان‌ها مدارس باز است",
    "?آنچه گفته شد در جلسهٔ بعد بررسی می‌شود",
    "?علت حادثه در دست بررسی است",
    "?سفر رئیس‌جمهور به کی‌یف قطعی شد",
    "?سفر وزیر به کی یف لغو شد",
    "?برای چندمین بار قیمت بنزین ثابت ماند",
    "?چگونگی اجرای طرح در نشست بعدی اعلام می‌شود",
    "?کیفیت آب شرب استان بهبود یافت",
    "?کدخدایی سخنگوی شورای نگهبان شد",
    "?نشانی سایت: https://example.com/?id=12",
    "?مدیرکل دفتر امور شهری بر پیگیری طرح‌ها تأکید کرد.",
    "?وی گزارشی از اقدامات در دست اجرا ارائه کرد",
    "?۱۲ پروژه در ۴ شهر افتتاح شد!",
    "?چرایی این تصمیم هنوز روشن نیست",
    "?The mayor opened the new line",
    "??",
    "?",
]


@pytest.mark.parametrize("line", QUESTIONS)
def test_a_question_line_reads_as_a_question(line: str) -> None:
    assert reads_as_question(line)


@pytest.mark.parametrize("line", STATEMENTS)
def test_a_bullet_line_of_a_statement_does_not(line: str) -> None:
    assert not reads_as_question(line)


def test_the_table_is_big_enough() -> None:
    assert len(QUESTIONS) >= 20 and len(STATEMENTS) >= 20


def test_a_question_line_made_a_bullet_is_listed_and_doubtful() -> None:
    text = "تیتر خبر امروز\n?آیا این طرح اجرا شدنی است ?\n?شهرداری طرح را اجرا می‌کند\n"
    draft, changes = explain_draft(text)
    assert [block.kind for block in draft.blocks] == ["bullet", "bullet"]  # taken for a bullet, flagged
    bullets = [change for change in changes if change.rule == Rule.BULLET]
    assert [(c.before, c.after, c.doubtful) for c in bullets] == [
        ("?آیا", "آیا", True),
        ("?شهرداری", "شهرداری", False),
    ]
    assert [text[c.start : c.end] for c in bullets] == ["?آیا", "?شهرداری"]


_WORDS = re.compile(r"[^\W\d_\u0640]+")  # letters only (a tatweel may end a list number: `۱ـ`)
_LINE_PIECES = st.sampled_from(
    ["?", "??", " ", "\n", "آیا", "چرا", "که", "چه", "کسی", "خبر", "شهر", "است", "؟", "🔹", "- ", "1. ", "x",
     "https://t.me/a?b=1", "#تگ", "@handle", "\u200c", "نویسنده:", "شایان ذکر است"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_LINE_PIECES, max_size=40).map("".join)))
def test_the_bullet_rule_loses_no_word(text: str) -> None:
    """Any input: no crash, a bool; every word of the draft is a word of what the bullet rule made of
    it, in order, none merged with its neighbour (a `??` between two words leaves them apart)."""
    assert reads_as_question(text) in (True, False)
    draft = parse_draft(text, normalize=lambda found: found)
    kept = [draft.headline or "", *(block.text for block in draft.blocks)]
    assert _WORDS.findall("\n".join(kept)) == _WORDS.findall(text)
    _, changes = explain_draft(text)
    assert all(0 <= change.start <= change.end <= len(text) for change in changes)
