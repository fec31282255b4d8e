"""Whole news sentences as drafts bring them, each beside the form a copy editor signs (issue 13).

`tests/data/news-sentences.txt` holds one sentence a line: the draft, `→`, the clean form (`|` is a
half-space). Written and checked by hand; a few are already clean and must stay as they are.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.text.normalize import normalize_explained, normalize_text

Z = "\u200c"
TABLE = Path(__file__).parent.parent / "data" / "news-sentences.txt"


def _sentences() -> list[tuple[str, str]]:
    pairs = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            draft, clean = (part.strip().replace("|", Z) for part in line.split("→"))
            pairs.append((draft, clean))
    return pairs


SENTENCES = _sentences()


def test_the_table_holds_fifty_sentences() -> None:
    assert len(SENTENCES) >= 50
    assert sum(draft != clean for draft, clean in SENTENCES) >= 45  # most carry damage


@pytest.mark.parametrize(("draft", "clean"), SENTENCES)
def test_a_news_sentence_comes_out_as_the_copy_editor_wrote_it(draft: str, clean: str) -> None:
    assert normalize_text(draft) == clean


@pytest.mark.parametrize(("draft", "clean"), SENTENCES)
def test_the_clean_sentence_is_left_alone(draft: str, clean: str) -> None:
    assert normalize_explained(clean) == (clean, [])


def test_all_sentences_as_one_text() -> None:
    """As one draft, a sentence a line: the same clean forms, line for line."""
    text = "\n".join(draft for draft, _ in SENTENCES)
    assert normalize_text(text).split("\n") == [clean for _, clean in SENTENCES]
