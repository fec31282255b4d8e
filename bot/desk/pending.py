"""Editor chats with a notice on its way: a quick reply can outrun the record of what it answers.

Telegram shows an editor the "published" notice as soon as it has it; the bot learns the notice's
message id only from sendMessage's answer, and records it after that. An editor who replies inside
that gap replies to a message the desk does not know yet, and the correction would become a new
draft. So the notices mark a chat from before a notice's request leaves until its copy is
recorded, and the desk, finding no post for a reply, waits for the chat's marks to clear and looks
again (`Desk._replied_post`). The marks live in this process, as the sends do.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator

# How long a reply waits for a notice on its way: PTB's default connect, write and read timeouts
# (5 s each) bound one send; a notice still out after that has failed and will not be recorded.
SETTLE_SECONDS = 15.0


class PendingNotices:
    """Per editor chat, how many notices are being sent and recorded right now."""

    def __init__(self) -> None:
        self._counts: Counter[int] = Counter()
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def sending(self, chat_id: int) -> AsyncIterator[None]:
        """Mark `chat_id` while a notice to it is sent and its copy recorded."""
        self._counts[chat_id] += 1
        try:
            yield
        finally:
            self._counts[chat_id] -= 1
            if not self._counts[chat_id]:
                del self._counts[chat_id]
            async with self._changed:
                self._changed.notify_all()

    async def settled(self, chat_id: int, timeout: float = SETTLE_SECONDS) -> None:
        """Return once no notice to `chat_id` is on its way (at most `timeout` seconds later)."""
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait_for(lambda: chat_id not in self._counts), timeout)
