"""The editor's buttons under a notice of copies (bot/publishing/copies.py): 🔁 sends again the copies
that failed or are in doubt, ✅ (one per destination) records the copy in doubt there as there."""

from __future__ import annotations

from bot.desk.answers import Answer, CopiesAnswer, Refusal, Refused
from bot.desk.callbacks import Action, Button
from bot.publishing.copies import CopySender

ACTIONS = frozenset({Action.COPY_RETRY, Action.COPY_THERE})


async def press(sender: CopySender | None, button: Button, user_id: int) -> Answer:
    """The copies as they stand after editor `user_id`'s answer; a stale button when nothing waited
    for it."""
    if sender is None:
        return Refused(Refusal.STALE_BUTTON, button.ref)
    if button.action is Action.COPY_RETRY:
        outcomes = await sender.send_again(button.ref, user_id)
    else:
        outcomes = await sender.confirm(button.ref, button.key, user_id)
    if outcomes is None:
        return Refused(Refusal.STALE_BUTTON, button.ref)
    return CopiesAnswer(button.ref, tuple(outcomes))
