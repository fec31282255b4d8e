"""The source credit line a forwarded post carries: «منبع: …», written per `SOURCE_CREDIT`.

The origin itself (`bot.core.source.Source`) is kept with the draft; this module only writes the line,
in the draft's marked form (`bot.text.markup`), so the Persian clean-up never sees the name or the URL
and the renderer escapes the name. The line comes after the body and before the signature.
"""

from __future__ import annotations

from bot import messages as msg
from bot.core.source import CreditMode, Source
from bot.text.markup import linked, unmarked


def credit_line(source: Source | None, mode: CreditMode) -> str:
    """The line the post carries for `source` under `mode`, in the draft's marked form ('' for none).
    The post is in the channel's language: Persian."""
    if source is None or mode is CreditMode.OFF:
        return ""
    name = " ".join(unmarked(source.name).split())
    if not name:
        return ""
    shown = linked(name, source.url) if mode is CreditMode.LINK and source.url else name
    return msg.text("source_credit", msg.FA, source=shown)
