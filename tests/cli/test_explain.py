"""Showing the work: `normalize_explained`, `explain_draft` and the CLI's `--explain` / `"changes"`."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.cli.text import explain_line
from bot.text.changes import Rule, _opcodes, diff_regions, line_and_column, line_starts
from bot.text.draft import explain_draft, parse_draft
from bot.text.normalize import normalize_explained, normalize_text
from tests.text.test_normalize_properties import any_text

Z = "\u200c"
SEED = (Path(__file__).parent.parent / "data" / "seed-draft.txt").read_text(encoding="utf-8")


@given(any_text)
def test_explained_text_is_the_clean_text_and_changes_lie_inside_the_input(text: str) -> None:
    clean, changes = normalize_explained(text)
    assert clean == normalize_text(text)
    assert [c.start for c in changes] == sorted(c.start for c in changes)
    for change in changes:
        assert 0 <= change.start <= change.end <= len(text)
        assert change.before != change.after


def test_a_joined_plural_is_one_half_space_change_at_its_place() -> None:
    text = "خبر شهرداریها امروز"
    clean, changes = normalize_explained(text)
    assert clean == f"خبر شهرداری{Z}ها امروز"
    assert [(c.rule, c.start, c.end, c.before, c.after) for c in changes] == [
        (Rule.HALF_SPACE, 4, 13, "شهرداریها", f"شهرداری{Z}ها")
    ]


def test_each_kind_of_change_is_named() -> None:
    text = "كتاب ۱۱ـ۲۳ نويسنده ،خبرنگار «سلام», باتوجه به 12 مورد...."
    _, changes = normalize_explained(text)
    rules = {change.rule for change in changes}
    assert {Rule.LETTERS, Rule.KASHIDA, Rule.SPACING, Rule.PUNCTUATION, Rule.HALF_SPACE, Rule.DIGITS} <= rules
    assert Rule.DOTS in rules
    spacing = next(c for c in changes if c.rule == Rule.SPACING)
    assert (spacing.before, spacing.after) == ("نویسنده ،خبرنگار", "نویسنده، خبرنگار")  # after ي → ی


def test_positions_are_in_the_input_even_with_crlf() -> None:
    text = "سطر اول\r\nشهرداریها"
    _, changes = normalize_explained(text)
    assert len(changes) == 1
    assert text[changes[0].start : changes[0].end] == "شهرداریها"
    assert line_and_column(text, changes[0].start) == (2, 1)


def test_clean_text_has_no_changes() -> None:
    assert normalize_explained(normalize_text(SEED)) == (normalize_text(SEED), [])


def test_the_seed_changes_point_at_the_seed() -> None:
    _, changes = normalize_explained(SEED)
    assert len(changes) >= 40
    half_space = [c for c in changes if c.rule == Rule.HALF_SPACE]
    for change in half_space:
        assert change.before.replace(Z, "") in SEED[change.start : change.end + 2].replace(Z, "") or (
            " " in change.before
        )
    assert any(c.before == "بلند مدت" and c.after == "بلندمدت" for c in changes)


def test_explain_draft_gives_the_parsed_draft_and_flags_doubtful_question_marks() -> None:
    draft_text = "?تیتر خبر\nچرا این ?او رفت\nآیا می آید ?\nخبر فوری ?? جلسه\n🆔 @other_channel\n"
    draft, changes = explain_draft(draft_text, signature="🆔 @mychannel")
    assert draft.headline == parse_draft(draft_text).headline
    assert draft.blocks == parse_draft(draft_text).blocks[:-1]  # the other channel's line is dropped
    by_rule = {(c.rule, c.doubtful): c for c in changes}
    lost = by_rule[(Rule.LOST_BULLET, True)]
    assert draft_text[lost.start : lost.end] == "?" and line_and_column(draft_text, lost.start) == (2, 9)
    assert (Rule.LOST_BULLET, False) in by_rule  # `??` between words: lost emojis, not doubtful
    assert by_rule[(Rule.QUESTION_MARK, False)].after == "؟"
    signature = by_rule[(Rule.FOREIGN_SIGNATURE, False)]
    assert signature.before == "🆔 @other_channel"
    half_space = by_rule[(Rule.HALF_SPACE, False)]
    assert draft_text[half_space.start : half_space.end] == "می آید ?"  # `?` was made `؟` first
    assert (half_space.before, half_space.after) == ("می آید؟", f"می{Z}آید؟")


def test_explain_draft_of_the_seed_matches_parse_draft() -> None:
    draft, changes = explain_draft(SEED)
    assert draft == parse_draft(SEED)
    for change in changes:
        assert 0 <= change.start <= change.end <= len(SEED)
    # The line-opening `?` are markup, listed: the headline's dropped, ten made bullets, none a question.
    opening = [(c.rule, line_and_column(SEED, c.start), c.doubtful) for c in changes if "?" in c.before]
    assert opening == [
        (Rule.LOST_BULLET, (1, 1), False),
        *[(Rule.BULLET, (n, 1), False) for n in range(3, 13)],
    ]


def test_explain_line_format() -> None:
    text = "الف\nشهرداریها"
    _, changes = normalize_explained(text)
    assert explain_line(changes[0], text) == f"2:1\thalf_space\tشهرداریها → شهرداری{Z}ها"


def test_every_rule_has_a_persian_description() -> None:
    from bot import messages

    for rule in Rule:
        persian, english = messages.TEXTS[f"change_{rule}"]
        assert persian and english
    assert messages.TEXTS["change_lost_bullet_doubtful"][0] and messages.TEXTS["change_bullet_doubtful"][0]
    line = messages.text("change_line", "fa", line=2, what="x", before="a", after="b")
    assert line.startswith("سطر ۲:")


@given(st.text(alphabet="ab ج‌.،", max_size=80), st.text(alphabet="ab ج‌.،", max_size=80))
def test_the_differences_rebuild_the_new_text(old: str, new: str) -> None:
    """Between the differing stretches the two texts agree, so the stretches turn `old` into `new`;
    every position of `new` comes from a position of `old`."""
    pieces, at = [], 0
    for i1, i2, j1, j2 in _opcodes(old, new):
        pieces.append(old[at:i1])
        pieces.append(new[j1:j2])
        at = i2
    pieces.append(old[at:])
    assert "".join(pieces) == new
    _, origin = diff_regions(old, new)
    assert len(origin) == len(new) + 1 and all(0 <= o <= len(old) for o in origin)


def test_a_long_line_of_many_changes_gives_each_its_own_entry() -> None:
    """20,000 changes on one line of a repeated pattern: each is listed at its own place (the walk
    finds its way back after each, it does not swallow the line into one change)."""
    text = "( ب ) " * 20000
    clean, changes = normalize_explained(text)
    assert clean == normalize_text(text)
    brackets = [change for change in changes if change.rule == Rule.BRACKETS]
    assert len(brackets) == 20000
    assert all((c.before, c.after) == ("( ب )", "(ب)") for c in brackets)


def _scanned(text: str, offset: int) -> tuple[int, int]:
    """Line and column by walking the lines, as `line_and_column` once did for every change."""
    line, start = 1, 0
    for piece in text.splitlines(keepends=True):
        if offset < start + len(piece):
            break
        start += len(piece)
        line += 1
    return line, offset - start + 1


@given(st.text(alphabet="ab\n\r\x0b\x1c\u2028 ", max_size=40), st.data())
def test_line_and_column_from_the_line_table_are_the_walks(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert (
        line_and_column(text, offset)
        == line_and_column(text, offset, line_starts(text))
        == _scanned(text, offset)
    )
