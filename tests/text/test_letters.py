"""The one table of digits and of the Arabic letters typed for Persian ones."""

from __future__ import annotations

from bot.text.letters import ALEF_FORMS, ARABIC_LETTERS, TO_ASCII_DIGITS, TO_PERSIAN_DIGITS


def test_digits_of_every_keyboard_read_as_ascii_and_shown_as_persian():
    assert "۱۴۰۵/٠٩/10".translate(TO_ASCII_DIGITS) == "1405/09/10"
    assert "۱۴۰۵/٠٩/10".translate(TO_PERSIAN_DIGITS) == "۱۴۰۵/۰۹/۱۰"


def test_arabic_letters_and_alef_forms_fold_to_the_persian_ones():
    assert "دي كتاب".translate(str.maketrans(ARABIC_LETTERS)) == "دی کتاب"
    assert "آذر إیران".translate(str.maketrans(ALEF_FORMS)) == "اذر ایران"
