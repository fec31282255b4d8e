"""The editor's buttons under a notice of copies (bot/publishing/copies.py): 🔁 sends again the copies
that failed or are in doubt, ✅ records those in doubt as there."""

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
    act = sender.send_again if button.action is Action.COPY_RETRY else sender.confirm
    outcomes = await act(button.ref, user_id)
    if outcomes is None:
        return Refused(Refusal.STALE_BUTTON, button.ref)
    return CopiesAnswer(button.ref, tuple(outcomes))
