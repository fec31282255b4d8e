"""Whether a line of a draft reads as a question: the test behind the "doubtful" flag of a `?` that
opened the line and was taken for a lost emoji bullet (it may have been the line's question mark,
moved to the front by a right-to-left editor).

How: the line's letters are folded as the index folds them (`ي` → `ی`, `ك` → `ک`), cut into words
(a half-space stays inside a word, so `کی‌یف` is no `کی`), and read for a question word or a question
shape. Some question words are also parts of statements, so they count only where they ask:
`چرا که` is "because", `مگر این‌که` "unless", `هیچ کدام` "none", `هر کجا` "wherever", `چه … چه` "whether
… or" (`چه` asks only before a noun that asks with it, `چه کسی`, or last), `چند نفر` "several people".
Pure: no lexicon, no I/O.
"""

from __future__ import annotations

import re

from bot.text.analyze import fold_letters

# Words that ask wherever they stand (folded spellings: `ي`/`ك` already made `ی`/`ک`).
_ASKING = frozenset(
    {
        "آیا", "ایا", "چگونه", "چه‌گونه", "چطور", "چه‌طور", "چطوری", "چقدر", "چه‌قدر", "چیست", "چیه",
        "کیست", "کیستند", "چی", "کجاست", "کجای", "کجایی", "چندم", "مگه",
        "کدامیک", "کدام‌یک", "کدامین",
    }
)  # fmt: skip
_WHY, _UNLESS, _WHICH, _WHERE, _WHAT, _HOW_MANY, _WHEN = "چرا", "مگر", "کدام", "کجا", "چه", "چند", "کی"
# After `چه`, the nouns that make it "what / which / how" (`چه کسی`, `چه زمانی`, `چه دلیلی`).
_WHAT_NOUNS = frozenset(
    {
        "کسی", "کسانی", "چیزی", "چیزهایی", "زمانی", "وقت", "وقتی", "طور", "قدر", "میزان", "مقدار", "نوع",
        "اندازه", "دلیل", "دلیلی", "علت", "علتی", "کار", "کاری", "کارهایی", "خبر", "شد", "شده", "باید",
        "میشود", "می‌شود", "مدت", "سالی", "روزی", "ساعتی", "جایی", "شکلی", "راهی", "تعداد", "هدفی",
        "سرنوشتی", "اتفاقی", "نقشی", "چیز", "است", "بود", "بوده",
    }
)  # fmt: skip
_UNLESS_AFTER = frozenset({"اینکه", "این‌که", "آنکه", "آن‌که", "این", "آن", "انکه", "ان"})
_ENGLISH = frozenset({"what", "why", "how", "when", "where", "who", "whom", "whose", "which"})
_WORD = re.compile(r"[\w\u200c]+")
_CLOSERS = " \t\u200c\u200f\u200e!.»\"')]…"  # what may follow a sentence's question mark


def reads_as_question(line: str) -> bool:
    """Whether `line` (a draft's line, with or without the `?` that opened it) asks something: it
    holds a Persian `؟`, ends with `?`, or holds a question word where that word asks."""
    text = line.strip().lstrip("?").strip()
    if not text:
        return False
    if "؟" in text or text.rstrip(_CLOSERS).endswith("?"):
        return True
    words = [word.strip("\u200c") for word in _WORD.findall(fold_letters(text))]
    words = [word for word in words if word]
    if words and words[0] in _ENGLISH:
        return True
    return any(_asks(words, index) for index in range(len(words)))


def _asks(words: list[str], index: int) -> bool:
    """Whether `words[index]` is a question word that asks where it stands."""
    word = words[index]
    before = words[index - 1] if index else ""
    after = words[index + 1] if index + 1 < len(words) else ""
    last = index + 1 == len(words)
    if word in _ASKING:
        return True
    if word == _WHY:
        return after != "که"
    if word == _UNLESS:
        return after not in _UNLESS_AFTER
    if word in (_WHICH, _WHERE):
        return before not in ("هیچ", "هر")
    if word == _WHEN:
        return after != "یف"  # کی یف: Kyiv written apart
    if word == _WHAT:
        return after in _WHAT_NOUNS or last
    if word == _HOW_MANY:  # `چند است؟` asks, `چند نفر زخمی شدند` counts
        return last or after in ("تا", "است", "تاست", "بود")
    return False
