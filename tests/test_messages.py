"""Numbers the code owns reach the texts as values: Persian digits for Persian readers, and the texts
read as they did when the numbers were typed into them."""

from __future__ import annotations

from bot import messages as msg
from bot.desk.service import SHORT_DRAFT_WORDS, SPACING_MINUTES
from bot.desk.undo import KEPT_DAYS, UNDO_SECONDS
from bot.desk.waits import WAIT_MINUTES
from bot.text.limits import MAX_CAPTION_UTF16


def test_owned_numbers_are_shown_in_the_readers_digits():
    assert "تا ۱۰ دقیقه منتظر می‌مانم" in msg.text("ask_edit", msg.FA, article_id=7, minutes=WAIT_MINUTES)
    assert "I'll wait 10 minutes" in msg.text("ask_time", msg.EN, article_id=7, minutes=WAIT_MINUTES)
    assert "با فاصلهٔ ۱۰ دقیقه" in msg.text("spaced_out", msg.FA, minutes=SPACING_MINUTES)
    assert msg.text("btn_space_out", msg.FA, minutes=SPACING_MINUTES) == "↔️ فاصله بده (۱۰ دقیقه)"
    assert "کمتر از ۴ واژه" in msg.text("ask_make_draft", msg.FA, words=SHORT_DRAFT_WORDS)
    helped = msg.text(
        "editor_help",
        msg.EN,
        bot="newsdesk_bot",
        words=SHORT_DRAFT_WORDS,
        seconds=UNDO_SECONDS,
        days=KEPT_DAYS,
    )
    assert "under 4 words" in helped and "for 60 seconds" in helped and "for 7 days" in helped
    caption = msg.text("layout_caption", msg.FA, kind="عکس", limit=MAX_CAPTION_UTF16)
    assert "(تا ۱۰۲۴ نویسه جا دارد)" in caption
    separate = msg.text("layout_separate", msg.EN, kind="photo", limit=MAX_CAPTION_UTF16)
    assert "longer than the 1,024 characters" in separate


def test_a_changed_constant_changes_the_text():
    assert "تا ۱۵ دقیقه" in msg.text("ask_edit", msg.FA, article_id=7, minutes=15)
    assert "2,048 characters" in msg.text("layout_caption", msg.EN, kind="photo", limit=2048)
