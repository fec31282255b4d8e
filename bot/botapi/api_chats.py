"""Bot API methods about queries and chats: answerCallbackQuery, answerInlineQuery
(with the query timeout), getChat and getChatMember.
"""

from __future__ import annotations

from typing import Any

from bot.botapi.rules import MAX_CALLBACK_ANSWER_CHARS, bad_request, check_inline_results
from bot.botapi.state import Params, WorldState
from bot.botapi.world import CHANNEL_ADMIN_RIGHTS, Chat


class ChatMethods(WorldState):
    """answerCallbackQuery, answerInlineQuery, getChat, getChatMember."""

    def _api_answerCallbackQuery(self, params: Params) -> bool:
        query = self._answerable(self._callback_queries, params.str("callback_query_id", ""))
        text = params.str("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_CHARS:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = params.logged()
        return True

    def _api_answerInlineQuery(self, params: Params) -> bool:
        query = self._answerable(self._inline_queries, params.str("inline_query_id", ""))
        results = params.json("results", [])
        next_offset = params.str("next_offset")
        check_inline_results(results, next_offset, strict=self.strict_html)
        query.answer = {**params.logged(), "results": results, "next_offset": next_offset or ""}
        return True

    def _answerable(self, queries: dict, query_id: str) -> Any:
        """The query to answer: known, not answered yet, and not older than `query_timeout`."""
        query = queries.get(query_id)
        expired = (
            query is not None
            and self.query_timeout is not None
            and self.clock.now() - query.asked_at > self.query_timeout
        )
        if query is None or query.answer is not None or expired:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        return query

    def _api_getChat(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        info = {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        return info

    def _api_getChatMember(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        user_id = params.int("user_id")
        if user_id == self.bot_user.id:
            return self._bot_membership(chat)
        user = self._users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        in_chat = chat.type != "private" or chat.user is user
        return {"status": "member" if in_chat else "left", "user": user.to_api()}

    def _bot_membership(self, chat: Chat) -> dict:
        member: dict[str, Any] = {"status": chat.bot_status, "user": self.bot_user.to_api()}
        if chat.type == "private":
            member["status"] = "member"
        elif chat.bot_status == "administrator":
            member.update({"can_be_edited": False, "is_anonymous": False})
            member.update({right: bool(chat.bot_rights.get(right)) for right in CHANNEL_ADMIN_RIGHTS})
        return member
