"""Bot API methods that send text or copy a message: sendMessage, sendChatAction,
forwardMessage, copyMessage, with the steps every send shares.
"""

from __future__ import annotations

from typing import Any

from bot.botapi.rules import bad_request, check_reply_markup, formatted_text
from bot.botapi.state import Params, WorldState
from bot.botapi.world import Chat, StoredMessage

_MESSAGE_OPTIONS = ("link_preview_options", "disable_web_page_preview", "protect_content")


def _extra_options(params: Params, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: params.json(name) for name in names if params.has(name)}


class MessageMethods(WorldState):
    """sendMessage, sendChatAction, forwardMessage, copyMessage."""

    def _api_sendChatAction(self, params: Params) -> bool:
        self._check_can_send(self._resolve_chat(params.required("chat_id")))
        return True

    def _api_sendMessage(self, params: Params) -> dict:
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        html = params.str("text", "")
        text, entities = formatted_text(
            html, params.str("parse_mode"), params.json("entities"), strict=self.strict_html
        )
        return self._send_one(
            chat,
            params,
            _MESSAGE_OPTIONS,
            text=text,
            entities=entities,
            html=html,
            parse_mode=params.str("parse_mode"),
        )

    def _send_one(self, chat: Chat, params: Params, options: tuple[str, ...], **content: Any) -> dict:
        """The last steps of sendMessage, sendPhoto, …: the keyboard, the message replied to and the
        rate limit are checked (in Telegram's order), then the message is sent."""
        markup = check_reply_markup(params.json("reply_markup"))
        reply_to = self._reply_target(chat, params)
        self._check_rate(chat)
        options_given = _extra_options(params, options)
        message = self._bot_message(
            chat, params, reply_markup=markup, reply_to=reply_to, options=options_given, **content
        )
        return message.to_api()

    def _reply_target(self, chat: Chat, params: Params) -> StoredMessage | None:
        reply = params.json("reply_parameters") or {}
        message_id = reply.get("message_id") or params.int("reply_to_message_id")
        if not message_id:
            return None
        target = self._messages.get(chat.id, {}).get(int(message_id))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply") or params.bool("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return target

    def _api_forwardMessage(self, params: Params) -> dict:
        return self._copy(params, forward=True).to_api()

    def _api_copyMessage(self, params: Params) -> dict:
        return {"message_id": self._copy(params, forward=False).message_id}

    def _copy(self, params: Params, *, forward: bool) -> StoredMessage:
        source_chat = self._resolve_chat(params.required("from_chat_id"))
        source = self._find_message(source_chat, params.int("message_id"), "message to copy not found")
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        self._check_rate(chat)
        origin = None
        if forward:
            origin = {"type": "channel", "chat": source_chat.to_api(), "message_id": source.message_id}
            if source_chat.type != "channel":
                origin = {"type": "user", "sender_user": (source.sender or self.bot_user).to_api()}
            origin["date"] = source.date
        return self._bot_message(
            chat,
            params,
            media=(source.media_kind, source.media) if source.media else None,
            text=source.text,
            entities=list(source.entities),
            html=source.html,
            caption=source.caption,
            caption_entities=list(source.caption_entities),
            forward_origin=origin,
            reply_markup=None if forward else check_reply_markup(params.json("reply_markup")),
        )
