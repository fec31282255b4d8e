"""Users sending files: documents, photos, videos, GIFs, music and albums, as Telegram
delivers them (one update per album part, one media_group_id); `add_file` for a file
Telegram already knows.
"""

from __future__ import annotations

from typing import Any

from bot.botapi.rules import detect_entities, merge_entities
from bot.botapi.users import UserActions
from bot.botapi.world import Chat, StoredFile, StoredMessage, User


class UserMedia(UserActions):
    """Users sending files and albums to the bot."""

    def user_sends_document(
        self,
        user_id: int,
        content: bytes | str,
        *,
        file_name: str = "draft.txt",
        mime_type: str = "text/plain",
        caption: str | None = None,
    ) -> StoredMessage:
        """The user sends a file; the bot can getFile and download it."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        stored = self._new_file(data, file_name, mime_type)
        return self._incoming(user_id, media=("document", stored), caption=caption)

    def user_sends_photo(
        self, user_id: int, content: bytes, *, width: int, height: int, caption: str | None = None
    ) -> StoredMessage:
        """The user sends a photo (compressed, as Telegram's default); its caption gets its entities."""
        stored = self._new_file(content, "photo.jpg", "image/jpeg", folder="photos", kind="photo")
        stored.width, stored.height = width, height
        entities = detect_entities(caption) if caption else []
        return self._incoming(user_id, media=("photo", stored), caption=caption, caption_entities=entities)

    def user_sends_media(
        self,
        user_id: int,
        kind: str,
        content: bytes | StoredFile,
        *,
        caption: str | None = None,
        caption_entities: list[dict] | None = None,
        reply_to: StoredMessage | None = None,
        forward_from: Chat | User | str | None = None,
        forward_message_id: int = 1,
        media_group_id: str | None = None,
        file_name: str | None = None,
    ) -> StoredMessage:
        """The user sends a photo, video, animation, audio or document (forwarded with `forward_from`:
        a channel's post `forward_message_id`, a group, a user, or a hidden user's name); the caption
        gets the user's entities and those Telegram detects. `content` may be a file made with
        `add_file` (with its own name, type and size)."""
        stored = content if isinstance(content, StoredFile) else self._user_file(kind, content, file_name)
        found = merge_entities(caption_entities or [], detect_entities(caption)) if caption else []
        origin = self._origin(forward_from, forward_message_id) if forward_from is not None else None
        return self._incoming(
            user_id, media=(kind, stored), caption=caption, caption_entities=found, reply_to=reply_to,
            forward_origin=origin, media_group_id=media_group_id,
        )  # fmt: skip

    def user_sends_video(self, user_id: int, content: bytes, **options: Any) -> StoredMessage:
        """The user sends a video (see `user_sends_media`)."""
        return self.user_sends_media(user_id, "video", content, **options)

    def user_sends_animation(self, user_id: int, content: bytes, **options: Any) -> StoredMessage:
        """The user sends a GIF (an animation; see `user_sends_media`)."""
        return self.user_sends_media(user_id, "animation", content, **options)

    def user_sends_audio(self, user_id: int, content: bytes, **options: Any) -> StoredMessage:
        """The user sends a music file (see `user_sends_media`)."""
        return self.user_sends_media(user_id, "audio", content, **options)

    def user_sends_album(
        self,
        user_id: int,
        items: list[tuple[str, bytes | StoredFile]],
        *,
        caption: str | None = None,
        caption_entities: list[dict] | None = None,
        forward_from: Chat | User | str | None = None,
        forward_message_id: int = 1,
        reply_to: StoredMessage | None = None,
    ) -> list[StoredMessage]:
        """The user sends an album: each part is its own update, all with one media_group_id, the
        caption on the first (as Telegram clients send it); in reply to `reply_to`, every part is."""
        if not 2 <= len(items) <= 10:
            raise ValueError("an album holds 2 to 10 items")
        with self._lock:
            group_id = str(next(self._media_groups))
            return [
                self.user_sends_media(
                    user_id,
                    kind,
                    content,
                    caption=caption if i == 0 else None,
                    caption_entities=caption_entities if i == 0 else None,
                    forward_from=forward_from,
                    forward_message_id=forward_message_id + i,
                    reply_to=reply_to,
                    media_group_id=group_id,
                )
                for i, (kind, content) in enumerate(items)
            ]

    def add_file(
        self,
        kind: str,
        content: bytes,
        file_name: str | None = None,
        *,
        mime_type: str | None = None,
        size: tuple[int, int] | None = None,
    ) -> StoredFile:
        """A file Telegram already knows (sent to the bot earlier): its id may be sent as `kind`,
        and `user_sends_media` sends it; `mime_type` and `size` (width, height) as the client said."""
        return self._user_file(kind, content, file_name, mime_type=mime_type, size=size)

    def _user_file(
        self,
        kind: str,
        content: bytes,
        file_name: str | None,
        *,
        mime_type: str | None = None,
        size: tuple[int, int] | None = None,
    ) -> StoredFile:
        names = {"photo": ("photo.jpg", "image/jpeg"), "video": ("video.mp4", "video/mp4"),
                 "animation": ("animation.mp4", "video/mp4"), "audio": ("audio.mp3", "audio/mpeg"),
                 "document": ("file.pdf", "application/pdf")}  # fmt: skip
        default_name, default_mime = names[kind]
        mime = mime_type or default_mime
        stored = self._new_file(content, file_name or default_name, mime, folder=f"{kind}s", kind=kind)
        if kind in ("photo", "video", "animation"):
            stored.width, stored.height = size or (1280, 720)
        if kind != "photo":
            stored.duration = 0 if kind == "document" else 12
        return stored
