"""Bot API methods that change or delete sent messages: editMessageText/Caption/Media/
ReplyMarkup ("message is not modified" included) and deleteMessage(s) (the 48 h rule).
"""

from __future__ import annotations

from bot.botapi.api_media import MediaMethods
from bot.botapi.rules import (
    MAX_DELETED_AT_ONCE,
    ApiError,
    bad_request,
    check_reply_markup,
    forbidden,
    formatted_text,
)
from bot.botapi.state import Params
from bot.botapi.world import Chat, StoredMessage

CHANNEL_DELETE_WINDOW = 48 * 3600


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly the same "
        "as a current content and reply markup of the message"
    )


class EditMethods(MediaMethods):
    """editMessage* and deleteMessage(s)."""

    def _api_editMessageText(self, params: Params) -> dict:
        message = self._editable_message(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        html = params.str("text", "")
        text, entities = formatted_text(
            html, params.str("parse_mode"), params.json("entities"), strict=self.strict_html
        )
        markup = check_reply_markup(params.json("reply_markup"))
        if text == message.text and entities == message.entities and markup == message.reply_markup:
            raise _not_modified()
        return self._edit_message(
            message,
            text=text,
            entities=entities,
            html=html,
            parse_mode=params.str("parse_mode"),
            reply_markup=markup,
        )

    def _api_editMessageCaption(self, params: Params) -> dict:
        message = self._editable_message(params)
        if message.media is None:
            raise bad_request("there is no caption in the message to edit")
        caption = self._caption(
            params.str("caption"), params.str("parse_mode"), params.json("caption_entities")
        )
        markup = check_reply_markup(params.json("reply_markup"))
        if caption.same_as(message) and markup == message.reply_markup:
            raise _not_modified()
        return self._edit_message(message, **caption.fields(), reply_markup=markup)

    def _api_editMessageMedia(self, params: Params) -> dict:
        """Replace a message's file (and caption); an album's part keeps to its album's kinds."""
        message = self._editable_message(params)
        if message.media is None:
            raise bad_request("there is no media in the message to edit")
        item = params.json("media")
        if not isinstance(item, dict):
            raise bad_request("media is empty")
        kind, stored, caption = self._input_media(params, item)
        if message.media_group_id is not None:
            old = message.media_kind
            if (old in ("document", "audio") or kind in ("document", "audio")) and kind != old:
                raise bad_request("can't change the media type of a part of an album")
            if kind == "animation":
                raise bad_request("can't use an animation in an album")
        markup = check_reply_markup(params.json("reply_markup"))
        if stored is message.media and caption.same_as(message):
            raise _not_modified()
        return self._edit_message(message, media=(kind, stored), **caption.fields(), reply_markup=markup)

    def _api_editMessageReplyMarkup(self, params: Params) -> dict:
        message = self._editable_message(params)
        markup = check_reply_markup(params.json("reply_markup"))
        if markup == message.reply_markup or (not markup and not message.reply_markup):
            raise _not_modified()
        return self._edit_message(message, reply_markup=markup)

    def _editable_message(self, params: Params) -> StoredMessage:
        if params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._resolve_chat(params.required("chat_id"))
        if chat.type == "channel":  # its own posts with the right to post, any post with the right to edit
            self._check_channel_right(chat, "can_post_messages", "can_edit_messages")
        message = self._find_message(chat, params.int("message_id"), "message to edit not found")
        if not message.outgoing:
            raise bad_request("message can't be edited")
        return message

    def _api_deleteMessage(self, params: Params) -> bool:
        chat = self._resolve_chat(params.required("chat_id"))
        message = self._find_message(chat, params.int("message_id"), "message to delete not found")
        self._check_can_delete(chat, message)
        message.deleted = True
        return True

    def _api_deleteMessages(self, params: Params) -> bool:
        chat = self._resolve_chat(params.required("chat_id"))
        ids = params.json("message_ids", [])
        if not 1 <= len(ids) <= MAX_DELETED_AT_ONCE:
            raise bad_request("MESSAGE_IDS_INVALID")
        found = [m for m in (self._messages.get(chat.id, {}).get(int(i)) for i in ids) if m and not m.deleted]
        for message in found:
            self._check_can_delete(chat, message)
        for message in found:
            message.deleted = True
        return True

    def _check_can_delete(self, chat: Chat, message: StoredMessage) -> None:
        if chat.type != "channel":
            if self.clock.now() - message.date >= CHANNEL_DELETE_WINDOW:
                raise bad_request("message can't be deleted for everyone")
            return
        if chat.bot_status == "left":
            raise forbidden("bot is not a member of the channel chat")
        can_delete_any = chat.bot_status == "administrator" and chat.bot_rights.get("can_delete_messages")
        if can_delete_any:
            return
        may_post = chat.bot_status == "administrator" and chat.bot_rights.get("can_post_messages")
        if not (message.outgoing and may_post) or self.clock.now() - message.date >= CHANNEL_DELETE_WINDOW:
            raise bad_request("message can't be deleted")
