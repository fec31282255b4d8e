"""End to end, "what changed" (issue 20): every change of a long list is reached page by page, also
after a restart; the lines that opened with a lost emoji `?` are listed as made bullets, and a
question line among them is flagged for the editor. PTB over HTTP against the Bot API emulator."""

from __future__ import annotations

from pathlib import Path

from bot import messages as msg
from bot.botapi.server import BotApiServer
from bot.text.draft import explain_draft
from bot.text.limits import MAX_MESSAGE_UTF16, utf16_len
from tests.botapi.fixtures import EDITOR_ID
from tests.desk_harness import Desk, running_desk
from tests.e2e.test_e2e_editor import _current_text, _with_button, send_draft

# 50 changes: a question line and three others opening with `?` made bullets (4), the question's
# `?` made `؟` (1), and five half-spaces on each of nine lines (45).
DRAFT = "\n".join(
    [
        "خبر آزمون فهرست تغییرها",
        "?آیا این طرح اجرا شدنی است ?",
        *(f"?شهرداری طرح شماره {n} را اجرا کرد" for n in "۱۲۳"),
        *(f"گزارش {n}: شهرداریها پروژههای مهمترین شهرستانها را برنامهریزی کردند" for n in "۱۲۳۴۵۶۷۸۹"),
    ]
)


async def _turn(desk: Desk, listing, article_id: int, page: int) -> str:
    """The editor taps the button to page `page` (0-based) under the list; the list's text once the
    page is there (the same message, edited)."""
    shown = desk.server.message(EDITOR_ID, listing.message_id)
    desk.server.user_presses_button(EDITOR_ID, shown, f"p:{article_id}:chgp:{page}")
    note = msg.fa_digits(f"صفحهٔ {page + 1} از 3")
    return await desk.server.wait_for(
        lambda: (text := _current_text(desk, listing)) and note in text.split("\n")[0] and text, timeout=10
    )


async def test_fifty_changes_are_all_reached_by_pages_across_a_restart(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    changes = explain_draft(DRAFT)[1]
    assert len(changes) == 50
    path = tmp_path / "newsdesk.sqlite3"
    async with running_desk(botapi, path) as desk:
        article_id, _, choose = await send_draft(desk, DRAFT)
        before = desk.last_id(EDITOR_ID)
        desk.server.user_presses_button(EDITOR_ID, choose, f"p:{article_id}:chg")
        listing = await desk.wait_bot_message(EDITOR_ID, _with_button(f"p:{article_id}:chgp:1"), after=before)
        first = listing.text
        assert first.split("\n")[0].endswith("۵۰ تغییر — صفحهٔ ۱ از ۳")
        second = await _turn(desk, listing, article_id, 1)
        assert _with_button(f"p:{article_id}:chgp:0")(desk.server.message(EDITOR_ID, listing.message_id))
    async with running_desk(botapi, path) as desk:  # the buttons of a list shown before the restart
        third = await _turn(desk, listing, article_id, 2)
        assert await _turn(desk, listing, article_id, 1) == second  # ◀️: the same page again
        assert desk.server.message(EDITOR_ID, choose.message_id).buttons == choose.buttons  # choices stay
    pages = [first, second, third]
    assert all(utf16_len(page) <= MAX_MESSAGE_UTF16 for page in pages)
    entries = [entry for page in pages for entry in page.split("\n\n")[1:]]
    shown = [f"«{' '.join(c.before.split())}» ← «{' '.join(c.after.split())}»" for c in changes]
    assert [entry.split("\n")[1] for entry in entries] == shown  # every change, once, in order
    bullets = [entry for entry in entries if msg.text("change_bullet", msg.FA) in entry]
    assert [entry.split("\n")[1] for entry in bullets] == ["«?شهرداری» ← «شهرداری»"] * 3
    (question,) = [entry for entry in entries if "«?آیا» ← «آیا»" in entry]
    assert question.startswith("سطر ۲: ⚠️ " + msg.text("change_bullet_doubtful", msg.FA))
