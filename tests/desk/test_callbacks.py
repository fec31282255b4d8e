"""The desk's button protocol: every button survives the trip, and nothing else gets through."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from telegram.constants import InlineKeyboardButtonLimit

from bot.desk.callbacks import KEYED, MAX_PAGE, MAX_REF, PAGED, Action, Button, parse
from bot.destinations import KEY_RE
from bot.text.limits import utf8_len


@given(
    st.sampled_from(list(Action)),
    st.integers(min_value=0, max_value=MAX_REF),
    st.integers(min_value=0, max_value=MAX_PAGE),
    st.from_regex(KEY_RE, fullmatch=True),
)
def test_every_button_round_trips_within_telegrams_64_bytes(
    action: Action, ref: int, page: int, key: str
) -> None:
    button = Button(action, ref, page if action in PAGED else 0, key if action in KEYED else "")
    data = button.encode()
    assert 1 <= utf8_len(data) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
    assert parse(data) == button


@given(st.text(max_size=80))
def test_any_data_parses_to_a_button_or_none(data: str) -> None:
    button = parse(data)
    assert button is None or button.encode() == data


def test_forged_or_damaged_data_is_refused() -> None:
    for data in (
        "p:12:zz", "p:12:", "p::now", "p:-1:now", "p:١٢:now", "p:۱۲:now", f"p:{2**63}:now",
        f"p:{'9' * 30}:now", "p:12:now:extra", "q:0", "p:12:NOW", " p:12:now", "p:12:now\n", "",
        "p:12:now:3", "p:12:chgp", "p:12:chgp:", "p:12:chgp:-1", "p:12:chgp:۲", "p:12:chgp:123456",
        "p:12:chgp:2:2", "p:12:chgp:sport", "p:12:to", "p:12:to:", "p:12:to:7", "p:12:to:Bale",
        "p:12:to:a" + "b" * 16, "p:12:to:bale:2", "p:12:now:bale", "p:12:to:بله",
    ):  # fmt: skip
        assert parse(data) is None, data


def test_the_largest_ref_still_fits() -> None:
    assert parse(f"p:{MAX_REF}:pick") == Button(Action.PICK_TIME, MAX_REF)
    assert parse(f"p:{MAX_REF}:chgp:{MAX_PAGE}") == Button(Action.CHANGES_PAGE, MAX_REF, MAX_PAGE)
    key = "e" * 16  # the longest destination key
    assert parse(f"p:{MAX_REF}:to:{key}") == Button(Action.ROUTE, MAX_REF, key=key)
