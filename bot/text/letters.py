"""Digits and letters as people type them: the one table of each that the rest of newsdesk reads.

Three sets of digits reach the bot: Persian (`۰۱۲۳۴۵۶۷۸۹`, what Persian keyboards type and what our
texts show), Arabic-Indic (`٠١٢٣٤٥٦٧٨٩`, Arabic keyboards) and ASCII. Arabic keyboards also type
`ي ى ك` where Persian has `ی ک`, and the hamza or madda of an alef (`آ أ إ`) is often left out.
"""

from __future__ import annotations

ASCII_DIGITS = "0123456789"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

TO_ASCII_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2)
"""`str.translate` table: Persian and Arabic-Indic digits → ASCII (to read a typed number)."""

TO_PERSIAN_DIGITS = str.maketrans(ASCII_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
"""`str.translate` table: ASCII and Arabic-Indic digits → Persian (to show a number to a Persian reader)."""

ARABIC_LETTERS = {"ي": "ی", "ى": "ی", "ك": "ک"}
"""The Arabic letters typed for Persian `ی` and `ک`, and the Persian letter each stands for."""

ALEF_FORMS = {"آ": "ا", "أ": "ا", "إ": "ا"}
"""An alef with a madda or hamza → the bare alef, for matching what is often typed without the mark
(`اذر` for `آذر`)."""
