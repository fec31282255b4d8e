"""What people do in the simulated world, as test helpers on `BotApiServer`: users write, edit,
forward, open links, press buttons and ask inline queries; an admin posts in the channel.
Each action is stored and delivered to the bot as the update Telegram would send.
"""

from __future__ import annotations

import re
from typing import Any

from bot.botapi.rules import MAX_START_PAYLOAD_CHARS, detect_entities, formatted_text, merge_entities
from bot.botapi.state import WorldState, default_admin_rights
from bot.botapi.world import CallbackQueryRecord, Chat, InlineQueryRecord, StoredMessage, User


class UserActions(WorldState):
    """Users (and a channel admin) acting; each helper returns the stored record."""

    def add_user(
        self,
        user_id: int,
        first_name: str = "کاربر",
        language_code: str | None = "fa",
        username: str | None = None,
    ) -> User:
        """Create (or return) a Telegram user and their private chat with the bot."""
        with self._lock:
            if user_id in self._users:
                return self._users[user_id]
            user = User(user_id, first_name, language_code, username)
            self._users[user_id] = user
            self._chats[user_id] = Chat(user_id, "private", user=user)
            return user

    def user(self, user_id: int) -> User:
        with self._lock:
            if user_id not in self._users:
                raise KeyError(f"no user {user_id}; call add_user() first")
            return self._users[user_id]

    def block_bot(self, user_id: int, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sending to them answers 403."""
        with self._lock:
            self.user(user_id).blocked_bot = blocked

    def _incoming(self, user_id: int, *, chat_id: int | None = None, **fields: Any) -> StoredMessage:
        """A message from the user (in private, or in the group `chat_id`), delivered as an update;
        `fields` go to `_new_message` (`media=(kind, file)`, text, caption, ...)."""
        with self._lock:
            user = self.user(user_id)
            user.started_bot = True
            chat = self._chats[user_id if chat_id is None else chat_id]
            message = self._new_message(chat, outgoing=False, sender=user, **fields)
            message.update_id = self.enqueue_update("message", message.to_api())
            return message

    def user_sends_text(
        self,
        user_id: int,
        text: str,
        *,
        reply_to: StoredMessage | None = None,
        entities: list[dict] | None = None,
    ) -> StoredMessage:
        """The user writes `text` to the bot in private; /commands, #tags, links get their entities
        (and `entities`: the formatting the user's client set, e.g. bold or a text_link)."""
        found = merge_entities(entities or [], detect_entities(text))
        return self._incoming(user_id, text=text, entities=found, reply_to=reply_to)

    def user_edits_text(
        self, user_id: int, message: StoredMessage, text: str, *, entities: list[dict] | None = None
    ) -> StoredMessage:
        """The user edits a text message they sent: the bot gets an `edited_message` update. The
        entities are those of the new text (`entities`: its formatting), none kept from the old one;
        a file's caption is edited with `user_edits_caption`."""
        with self._lock:
            stored = self._messages[message.chat.id][message.message_id]
            if stored.outgoing or stored.sender is None or stored.sender.id != user_id:
                raise ValueError(f"message {message.message_id} was not sent by user {user_id}")
            if stored.media is not None:
                raise ValueError(f"message {message.message_id} is a file: its caption is edited")
            found = merge_entities(entities or [], detect_entities(text))
            self.enqueue_update("edited_message", self._edit_message(stored, text=text, entities=found))
            return stored

    def user_edits_caption(
        self,
        user_id: int,
        message: StoredMessage,
        caption: str,
        *,
        caption_entities: list[dict] | None = None,
    ) -> StoredMessage:
        """The user edits the caption of a file they sent: an `edited_message` update, with the new
        caption's entities (`caption_entities`: its formatting) and none of the old one's."""
        with self._lock:
            stored = self._messages[message.chat.id][message.message_id]
            if stored.outgoing or stored.sender is None or stored.sender.id != user_id or not stored.media:
                raise ValueError(f"message {message.message_id} is no file sent by user {user_id}")
            found = merge_entities(caption_entities or [], detect_entities(caption))
            edited = self._edit_message(stored, caption=caption, caption_entities=found)
            self.enqueue_update("edited_message", edited)
            return stored

    def add_group(self, chat_id: int, title: str = "گروه تحریریه") -> Chat:
        """A group the bot is a member of (chat ids of groups are negative)."""
        with self._lock:
            if chat_id not in self._chats:
                self._chats[chat_id] = Chat(chat_id, "group", title=title)
            return self._chats[chat_id]

    def add_channel(self, chat_id: int, username: str | None, title: str = "کانال دوم") -> Chat:
        """Another channel the bot posts to as an admin (a second destination on the same network)."""
        with self._lock:
            if chat_id not in self._chats:
                self._chats[chat_id] = Chat(chat_id, "channel", title=title, username=username)
                self._chats[chat_id].bot_rights = default_admin_rights()
            return self._chats[chat_id]

    def user_sends_text_in_group(self, user_id: int, chat_id: int, text: str) -> StoredMessage:
        """The user writes `text` in a group the bot is in."""
        return self._incoming(user_id, chat_id=chat_id, text=text, entities=detect_entities(text))

    def user_opens_link(self, user_id: int, url: str) -> StoredMessage:
        """The user taps a t.me/<bot>?start=<payload> deep link: the client sends "/start <payload>".

        Like Telegram, a payload that is not 1..64 characters of A-Z a-z 0-9 _ - is dropped and
        the bot receives a bare "/start".
        """
        match = re.fullmatch(r"(?:https?://)?t\.me/([A-Za-z0-9_]+)(?:\?start=([^&#]*))?", url)
        if match is None or match[1].lower() != (self.bot_user.username or "").lower():
            raise ValueError(f"{url!r} is not a link to @{self.bot_user.username}")
        payload = match[2] or ""
        valid = re.fullmatch(rf"[A-Za-z0-9_-]{{1,{MAX_START_PAYLOAD_CHARS}}}", payload) is not None
        return self.user_sends_text(user_id, f"/start {payload}" if valid else "/start")

    def user_forwards(
        self,
        user_id: int,
        text: str,
        *,
        entities: list[dict] | None = None,
        from_channel: Chat | None = None,
        sender: User | None = None,
        sender_name: str | None = None,
        message_id: int = 1,
    ) -> StoredMessage:
        """The user forwards a message (from a channel or group, a user, or a hidden user) to the bot;
        `message_id`: the post's id in its channel."""
        origin = self._origin(from_channel or sender or sender_name, message_id)
        found = entities if entities is not None else detect_entities(text)
        return self._incoming(user_id, text=text, entities=found, forward_origin=origin)

    def _origin(self, source: Chat | User | str | None, message_id: int = 1) -> dict:
        """A forward's `forward_origin`, as Telegram gives each kind: a channel's post, a group's
        anonymous message, a user, or a user who hides their account (only a name)."""
        date = int(self.clock.now()) - 60
        if isinstance(source, Chat) and source.type == "channel":
            return {"type": "channel", "chat": source.to_api(), "message_id": message_id, "date": date}
        if isinstance(source, Chat):
            return {"type": "chat", "sender_chat": source.to_api(), "date": date}
        if isinstance(source, User):
            return {"type": "user", "sender_user": source.to_api(), "date": date}
        return {"type": "hidden_user", "sender_user_name": source or "ناشناس", "date": date}

    def user_presses_button(self, user_id: int, message: StoredMessage, button: str) -> CallbackQueryRecord:
        """The user taps the inline button whose text or callback_data is `button`."""
        with self._lock:
            current = self._messages[message.chat.id][message.message_id]
            if current.deleted:
                raise ValueError(f"message {message.message_id} was deleted; its buttons are gone")
            for candidate in current.buttons:
                if button in (candidate.get("text"), candidate.get("callback_data")):
                    if "callback_data" not in candidate:
                        raise ValueError(f"button {button!r} has no callback_data: {candidate}")
                    return self.user_sends_callback(user_id, candidate["callback_data"], current)
            labels = [b.get("text") for b in current.buttons]
        raise ValueError(f"message {message.message_id} has no button {button!r}; it has {labels}")

    def user_sends_callback(
        self, user_id: int, data: str, message: StoredMessage | None = None
    ) -> CallbackQueryRecord:
        """A callback query with any data (also forged), on `message` or the last bot message."""
        with self._lock:
            user = self.user(user_id)
            if message is None:
                message = self.last_bot_message(user_id)
            if message is None:
                raise ValueError("no message to attach the callback query to")
            query_id = str(4_000_000 + next(self._query_ids))
            query = CallbackQueryRecord(query_id, user, data, message, asked_at=self.clock.now())
            self._callback_queries[query.id] = query
            payload = {
                "id": query.id,
                "from": user.to_api(),
                "message": message.to_api(),
                "chat_instance": str(abs(message.chat.id) * 7 + 13),
                "data": data,
            }
            self.enqueue_update("callback_query", payload)
            return query

    def user_inline_query(
        self, user_id: int, query: str, *, offset: str = "", chat_type: str = "sender"
    ) -> InlineQueryRecord:
        """The user types `@bot query` in a chat (`offset` is the next page the client asks for)."""
        with self._lock:
            user = self.user(user_id)
            query_id = str(8_000_000 + next(self._query_ids))
            record = InlineQueryRecord(query_id, user, query, offset, asked_at=self.clock.now())
            self._inline_queries[record.id] = record
            payload = {"id": record.id, "from": user.to_api(), "query": query, "offset": offset}
            payload["chat_type"] = chat_type
            self.enqueue_update("inline_query", payload)
            return record

    def user_sends_inline_result(self, user_id: int, query_id: str, result_id: str) -> StoredMessage:
        """The user picks result `result_id` of their inline query `query_id` in their chat with the bot:
        the message it describes is sent there "via @bot", and the bot gets it as a message with
        `via_bot` (Telegram sends no chosen_inline_result unless inline feedback is switched on)."""
        with self._lock:
            record = self._inline_queries.get(query_id)
            if record is None or record.user.id != user_id:
                raise ValueError(f"no inline query {query_id} of user {user_id}")
            result = next((r for r in record.results if str(r.get("id")) == result_id), None)
            content = (result or {}).get("input_message_content") or {}
            if "message_text" not in content:
                raise ValueError(f"inline query {query_id} has no text result {result_id!r}")
            text, entities = formatted_text(
                content["message_text"], content.get("parse_mode"), content.get("entities"), strict=False
            )
            markup = (result or {}).get("reply_markup")
            return self._incoming(
                user_id, text=text, entities=entities, via_bot=self.bot_user, reply_markup=markup
            )

    def admin_posts_to_channel(self, text: str, *, entities: list[dict] | None = None) -> StoredMessage:
        """A human admin posts in the channel by hand; the bot (an admin) gets a channel_post update."""
        with self._lock:
            found = entities if entities is not None else detect_entities(text)
            message = self._new_message(self.channel, outgoing=False, sender=None, text=text, entities=found)
            if self.channel.bot_status == "administrator":
                message.update_id = self.enqueue_update("channel_post", message.to_api())
            return message

    def add_channel_history(
        self, text: str, *, date: float, entities: list[dict] | None = None
    ) -> StoredMessage:
        """A post that was in the channel before the bot ran (no update is sent): the channel's past."""
        found = entities if entities is not None else detect_entities(text)
        with self._lock:
            return self._new_message(
                self.channel, outgoing=False, sender=None, date=date, text=text, entities=found
            )
