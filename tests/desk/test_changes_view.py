"""The "what changed" list a page at a time (issue 20): every change on some page, each page within
Telegram's 4,096 UTF-16 units, and buttons that turn to the pages next to it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot import messages as msg
from bot.botapi.html_check import parse_html
from bot.desk import view
from bot.desk.answers import Changes
from bot.desk.callbacks import Action, Button, parse
from bot.desk.view import CHANGES_PER_PAGE, ViewContext, pages
from bot.text.changes import Change, Rule
from bot.text.limits import MAX_MESSAGE_UTF16, utf16_len

FA = ViewContext("fa", ZoneInfo("Asia/Tehran"), "@channel")
EN = ViewContext("en", ZoneInfo("Asia/Tehran"), "@channel")


@given(
    st.lists(st.integers(min_value=1, max_value=500), max_size=200),
    st.integers(min_value=1, max_value=2000),
    st.integers(min_value=1, max_value=30),
)
def test_pages_hold_every_item_once_in_order_and_are_full(sizes: list[int], budget: int, most: int) -> None:
    found = pages(sizes, budget, most)
    assert [index for page in found for index in range(len(sizes))[page]] == list(range(len(sizes)))
    for number, page in enumerate(found):
        held = sizes[page]
        assert len(held) <= most and (sum(held) <= budget or len(held) == 1)
        if number + 1 < len(found):  # the next item did not fit: the page is as full as it can be
            assert len(held) == most or sum(held) + sizes[page.stop] > budget
    assert all(sizes[page] for page in found) if sizes else found == [slice(0, 0)]  # no empty page


def test_pages_of_nothing_is_one_empty_page() -> None:
    assert pages([], 100, 5) == [slice(0, 0)]


def _changes(count: int, *, wide: bool = False, page: int = 0, turned: bool = False) -> Changes:
    """`count` changes, one a line; `wide`: each with 200 emoji (shown shortened, two UTF-16 units
    each), about the longest a change line can be."""
    word = "🔹" * 200 if wide else "شهرداریها"
    source = "\n".join(f"{word} {n}" for n in range(count))
    at, found = 0, []
    for n in range(count):
        doubtful = n % 7 == 0  # a line opening with `?` that reads as a question, made a bullet
        rule = Rule.BULLET if doubtful else Rule.HALF_SPACE
        found.append(Change(rule, at, at + len(word), word, word + "\u200c", doubtful))
        at += len(word) + len(str(n)) + 2
    return Changes(42, source, tuple(found), page, turned)


def _pages(answer: Changes, ctx: ViewContext) -> list[view.Outgoing]:
    """Every page of the list, turned one by one with the ▶️ button as the editor would."""
    shown = [*view.render(answer, ctx)]
    while True:
        keyboard = shown[-1].keyboard
        buttons = (
            [parse(b.callback_data) for row in keyboard.inline_keyboard for b in row] if keyboard else []
        )
        following = [b for b in buttons if b is not None and b.page == len(shown)]
        if not following:
            return shown
        (button,) = following
        assert button.action is Action.CHANGES_PAGE and button.ref == 42
        turned = Changes(answer.article_id, answer.source, answer.changes, button.page, turned=True)
        assert view.in_place(turned)
        shown.extend(view.render(turned, ctx))


def test_fifty_changes_are_three_pages_and_every_one_is_on_a_page() -> None:
    answer = _changes(50)
    assert not view.in_place(answer)  # the first page is a message of its own under the preview
    shown = _pages(answer, FA)
    assert len(shown) == 3
    titles = [page.text.split("\n")[0] for page in shown]
    assert all(title.endswith(f"— صفحهٔ {n} از ۳") for title, n in zip(titles, "۱۲۳", strict=True)), titles
    assert titles[0].startswith("🔍 ویرایش خودکار پست #۴۲: ۵۰ تغییر")
    lines = [line for page in shown for line in page.text.split("\n") if line.startswith("سطر ")]
    assert lines == [
        f"سطر {n}: " + line.split(": ", 1)[1] for n, line in zip(_persian(1, 51), lines, strict=True)
    ]
    assert sum("⚠️" in line for line in lines) == len(range(0, 50, 7))
    for page in shown:
        plain, _ = parse_html(page.text)  # as Telegram counts it
        assert utf16_len(plain) <= MAX_MESSAGE_UTF16


def _persian(low: int, high: int) -> list[str]:
    return [msg.fa_digits(n) for n in range(low, high)]


def test_wide_changes_fill_pages_to_telegrams_limit_and_no_further() -> None:
    for ctx in (FA, EN):
        shown = _pages(_changes(300, wide=True), ctx)
        counts = [page.text.count("\n\n") for page in shown]
        assert sum(counts) == 300 and max(counts) < CHANGES_PER_PAGE  # the size cut, not the count
        sizes = [utf16_len(parse_html(page.text)[0]) for page in shown]
        assert max(sizes) <= MAX_MESSAGE_UTF16 and min(sizes[:-1]) > MAX_MESSAGE_UTF16 - 400


def test_the_buttons_turn_to_the_pages_beside_and_a_gone_page_is_the_last() -> None:
    def buttons(answer: Changes) -> list[Button | None]:
        keyboard = view.render(answer, EN)[0].keyboard
        return [parse(b.callback_data) for row in keyboard.inline_keyboard for b in row] if keyboard else []

    assert buttons(_changes(50)) == [Button(Action.CHANGES_PAGE, 42, 1)]
    assert buttons(_changes(50, page=1)) == [
        Button(Action.CHANGES_PAGE, 42, 0),
        Button(Action.CHANGES_PAGE, 42, 2),
    ]
    assert buttons(_changes(50, page=2)) == [Button(Action.CHANGES_PAGE, 42, 1)]
    assert buttons(_changes(20)) == []  # one page: no buttons, no page note
    assert "page" not in view.render(_changes(20), EN)[0].text.split("\n")[0]
    # The draft lost changes since the button was made (edited): its last page, never an empty one.
    (last,) = view.render(_changes(25, page=7, turned=True), EN)
    assert last.text.split("\n")[0].endswith("page 2 of 2") and last.text.count("Line ") == 5
