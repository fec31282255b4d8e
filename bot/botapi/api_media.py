"""Bot API methods for files: sendPhoto, sendVideo, sendAnimation, sendAudio, sendDocument,
sendMediaGroup (albums) and getFile, with captions parsed as Telegram does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.botapi.api_messages import MessageMethods
from bot.botapi.rules import bad_request, formatted_text
from bot.botapi.state import UPLOAD, Params
from bot.botapi.world import StoredFile, StoredMessage

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024

MAX_MEDIA_GROUP = 10

MEDIA_TYPES = frozenset({"photo", "video", "animation", "audio", "document"})

GROUP_KINDS = frozenset({"photo", "video", "audio", "document"})  # sendMediaGroup takes no animation

_MEDIA_OPTIONS = ("show_caption_above_media", "has_spoiler", "protect_content")


@dataclass(frozen=True)
class Caption:
    """A caption as a send or edit call gives it, after Telegram's entity parsing."""

    text: str | None  # None for an empty caption, as Telegram leaves it out
    entities: list[dict]
    html: str | None  # as the bot sent it (the markup, with parse_mode HTML)
    parse_mode: str | None

    def fields(self) -> dict[str, Any]:
        """The `StoredMessage` fields it sets."""
        return {
            "caption": self.text,
            "caption_entities": self.entities,
            "html": self.html,
            "parse_mode": self.parse_mode,
        }

    def same_as(self, message: StoredMessage) -> bool:
        return self.text == message.caption and self.entities == message.caption_entities


class MediaMethods(MessageMethods):
    """send<File> for each kind, sendMediaGroup and getFile."""

    def _api_sendPhoto(self, params: Params) -> dict:
        return self._send_media(params, "photo")

    def _api_sendVideo(self, params: Params) -> dict:
        return self._send_media(params, "video")

    def _api_sendAnimation(self, params: Params) -> dict:
        return self._send_media(params, "animation")

    def _api_sendAudio(self, params: Params) -> dict:
        return self._send_media(params, "audio")

    def _api_sendDocument(self, params: Params) -> dict:
        return self._send_media(params, "document")

    def _send_media(self, params: Params, kind: str) -> dict:
        """sendPhoto, sendVideo, …: one file of `kind` with an optional caption."""
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        stored = self._media_file(self._input_file(params, kind), kind)
        caption = self._caption(
            params.str("caption"), params.str("parse_mode"), params.json("caption_entities")
        )
        return self._send_one(chat, params, _MEDIA_OPTIONS, media=(kind, stored), **caption.fields())

    def _caption(self, html: str | None, parse_mode: str | None, entities: Any) -> Caption:
        """A caption after entity parsing, within 1,024 UTF-16 units (Telegram's error otherwise)."""
        text, parsed = formatted_text(html, parse_mode, entities, caption=True, strict=self.strict_html)
        return Caption(text or None, parsed, html, parse_mode)

    def _media_file(self, stored: StoredFile, kind: str) -> StoredFile:
        """An upload becomes a file of `kind`; a known file id must be of that kind (a photo's id
        cannot be sent as a video; any file may go as a document except a photo)."""
        if stored.kind == UPLOAD:
            stored.kind = kind
            if kind == "photo":
                stored.width, stored.height = stored.width or 1280, stored.height or 720
            return stored
        if stored.kind != kind and not (kind == "document" and stored.kind != "photo"):
            raise bad_request("wrong file identifier/HTTP URL specified: type of file mismatch")
        return stored

    def _api_sendMediaGroup(self, params: Params) -> list[dict]:
        """An album: 2–10 photos and videos, or documents only, or audio only, in one request."""
        chat = self._resolve_chat(params.required("chat_id"))
        self._check_can_send(chat)
        media = params.json("media")
        if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
            raise bad_request("media must be an array of InputMedia")
        if not 2 <= len(media) <= MAX_MEDIA_GROUP:
            raise bad_request("wrong number of media specified: it must include 2-10 items")
        kinds = [item.get("type") for item in media]
        if any(kind not in GROUP_KINDS for kind in kinds):
            raise bad_request("media must be an array of InputMediaAudio, InputMediaDocument, "
                              "InputMediaPhoto and InputMediaVideo")  # fmt: skip
        for alone in ("document", "audio"):
            if alone in kinds and set(kinds) != {alone}:
                raise bad_request(f"{alone} can't be mixed with other media types")
        items = [self._input_media(params, item) for item in media]
        reply_to = self._reply_target(chat, params)
        self._check_rate(chat)
        group_id = str(next(self._media_groups))
        sent = []
        for kind, stored, caption in items:
            message = self._bot_message(
                chat,
                params,
                media=(kind, stored),
                **caption.fields(),
                reply_to=reply_to,
                media_group_id=group_id,
            )
            sent.append(message.to_api())
        return sent

    def _input_media(self, params: Params, item: dict) -> tuple[str, StoredFile, Caption]:
        """One InputMedia: its kind, its file (known or uploaded), and its parsed caption."""
        kind = str(item.get("type"))
        if kind not in MEDIA_TYPES:
            raise bad_request(f"unsupported media type {kind!r}")
        stored = self._media_file(
            self._input_file(Params({"media": item.get("media")}, params.files), "media"), kind
        )
        caption = self._caption(item.get("caption"), item.get("parse_mode"), item.get("caption_entities"))
        return kind, stored, caption

    def _input_file(self, params: Params, name: str) -> StoredFile:
        value = params.values.get(name)
        if name in params.files:
            return params.files[name]
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in params.files:
            return params.files[value[9:]]
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        raise bad_request(f"invalid file HTTP URL specified: {name} is not a known file_id or upload")

    def _api_getFile(self, params: Params) -> dict:
        stored = self._files.get(params.str("file_id", ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }
