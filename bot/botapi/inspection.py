"""What tests look at: the stored messages, the call log, pending updates and commands,
and waiting (async or blocking) until a condition holds.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from typing import Any

from bot.botapi.state import WorldState
from bot.botapi.world import ApiCall, StoredMessage

POLL_SECONDS = 0.02  # how often wait_for looks again


def _not_met(timeout: float) -> str:
    return f"condition not met within {timeout} s"


class Inspection(WorldState):
    """Reading the world back (and `BotApiServer`'s call log), and waiting for it to change."""

    def messages(
        self, chat_id: int | str, *, outgoing: bool | None = None, include_deleted: bool = True
    ) -> list[StoredMessage]:
        """Messages of a chat in order; `outgoing=True` only the bot's."""
        with self._lock:
            chat = self._resolve_chat(chat_id)
            found = sorted(self._messages.get(chat.id, {}).values(), key=lambda m: m.message_id)
        return [
            m
            for m in found
            if (outgoing is None or m.outgoing == outgoing) and (include_deleted or not m.deleted)
        ]

    def bot_messages(self, chat_id: int | str, *, include_deleted: bool = False) -> list[StoredMessage]:
        return self.messages(chat_id, outgoing=True, include_deleted=include_deleted)

    def last_bot_message(self, chat_id: int | str) -> StoredMessage | None:
        found = self.bot_messages(chat_id)
        return found[-1] if found else None

    def message(self, chat_id: int | str, message_id: int) -> StoredMessage:
        with self._lock:
            return self._messages[self._resolve_chat(chat_id).id][message_id]

    def channel_posts(self, *, include_deleted: bool = False) -> list[StoredMessage]:
        return self.bot_messages(self.channel.id, include_deleted=include_deleted)

    def message_at_link(self, url: str) -> StoredMessage | None:
        """The live channel message a t.me/<channel>/<id> or t.me/c/<internal id>/<id> link opens."""
        public = re.fullmatch(r"(?:https?://)?t\.me/([A-Za-z][A-Za-z0-9_]{3,31})/(\d+)", url)
        private = re.fullmatch(r"(?:https?://)?t\.me/c/(\d+)/(\d+)", url)
        if public and (self.channel.username or "").lower() == public[1].lower():
            message_id = int(public[2])
        elif private and f"-100{private[1]}" == str(self.channel.id):
            message_id = int(private[2])
        else:
            return None
        with self._lock:
            found = self._messages.get(self.channel.id, {}).get(message_id)
        return found if found is not None and not found.deleted else None

    def calls(self, method: str | None = None) -> list[ApiCall]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method.lower() == method.lower()]

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._lock:
            return list(self._updates)

    def is_confirmed(self, update_id: int) -> bool:
        with self._lock:
            return update_id < self._confirmed_below

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        with self._lock:
            return list(self._commands.get(key, []))

    def first_bot_message_after(
        self, chat_id: int | str, after: StoredMessage | int | None = None
    ) -> StoredMessage | None:
        """The bot's first (not deleted) message in the chat newer than `after` (message or id)."""
        if isinstance(after, StoredMessage):
            with self._lock:
                if after.chat.id != self._resolve_chat(chat_id).id:
                    raise ValueError("`after` must be a message of the same chat")
            after = after.message_id
        return next((m for m in self.bot_messages(chat_id) if m.message_id > (after or 0)), None)

    async def wait_for_bot_message(
        self, chat_id: int | str, *, after: StoredMessage | int | None = None, timeout: float = 5.0
    ) -> StoredMessage:
        """Wait for the bot's answer in a chat, e.g. `after=` the user's message it answers."""
        return await self.wait_for(
            lambda: self.first_bot_message_after(chat_id, after), timeout, f"no bot message in {chat_id}"
        )

    def wait_for_bot_message_sync(
        self, chat_id: int | str, *, after: StoredMessage | int | None = None, timeout: float = 5.0
    ) -> StoredMessage:
        return self.wait_for_sync(
            lambda: self.first_bot_message_after(chat_id, after), timeout, f"no bot message in {chat_id}"
        )

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, message: str = "") -> Any:
        """Poll `predicate` from async code until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while not (value := self._poll(predicate, deadline, message or _not_met(timeout))):
            await asyncio.sleep(POLL_SECONDS)
        return value

    def wait_for_sync(self, predicate: Callable[[], Any], timeout: float = 5.0, message: str = "") -> Any:
        """`wait_for` for synchronous tests (thread mode only: it blocks the calling thread)."""
        deadline = time.monotonic() + timeout
        while not (value := self._poll(predicate, deadline, message or _not_met(timeout))):
            time.sleep(POLL_SECONDS)
        return value

    def _poll(self, predicate: Callable[[], Any], deadline: float, message: str) -> Any:
        """`predicate`'s value under the lock; AssertionError(message) once it is falsy past `deadline`."""
        with self._lock:
            value = predicate()
        if not value and time.monotonic() >= deadline:
            raise AssertionError(message)
        return value
