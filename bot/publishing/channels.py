"""Sending one request of a copy to a channel on its network (bot/networks.py says what each takes).

`BotApiChannel` speaks the Bot API (a Telegram channel, or Bale's, which has Telegram's shape at its own
address); `EitaayarChannel` speaks Eitaayar (Eitaa), over httpx. Both send a `Part` as the copy plans
it (bot/publishing/copies.py: plain text where the network has no HTML, one file a request where it
has no albums) and give back the message ids. A file travels by its Telegram file id only to the bot
that received it; anywhere else it is fetched from Telegram (`TelegramFiles`) and uploaded.

Every failure is a `CopyFailure` of one kind, which decides what the sender does next:
- `unreached`: the request never left (no connection): safe to repeat;
- `flood`: the network asked to wait `wait` seconds: nothing was done;
- `doubtful`: the request left and no clear answer came (5xx, timeout, dropped): it may be there;
- `refused`: a clear no (bad request, not an admin, unknown token or chat, a file too big).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Literal, Protocol

import httpx
from telegram import (
    Bot,
    InputFile,
    InputMediaAnimation,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.core.media import MediaItem, MediaKind, Part
from bot.destinations import Destination
from bot.networks import CAPABILITIES, Network
from bot.publishing.publisher import (
    ALREADY_GONE,
    NO_PREVIEW,
    NOT_MODIFIED,
    input_media,
    may_have_arrived,
    retry_seconds,
    send_part,
)

FailureKind = Literal["unreached", "flood", "doubtful", "refused"]
Fetch = Callable[[MediaItem], Awaitable[InputFile]]


class CopyFailure(Exception):
    """A copy's request did not go through; `kind` says whether it may be repeated (module docstring)."""

    def __init__(self, kind: FailureKind, detail: str, wait: float = 0.0) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.wait = wait


class CopyChannel(Protocol):
    """A destination's channel: one request of a copy, its message ids back; a correction of one of its
    messages in place, its deletion (where the network has them: bot/networks.py); a note in reply."""

    async def send(self, part: Part, fetch: Fetch, *, silent: bool) -> list[int]: ...

    async def edit(self, message_id: int, part: Part) -> None: ...

    async def delete(self, message_id: int) -> None: ...

    async def note(self, text: str, reply_to: int) -> int: ...

    async def replace_file(self, message_id: int, item: MediaItem, caption: str, fetch: Fetch) -> None: ...


class TelegramFiles:
    """A post's files fetched from Telegram (getFile, then the download), to be uploaded elsewhere."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def fetch(self, item: MediaItem) -> InputFile:
        """The file's bytes with its name; `CopyFailure` if Telegram will not give it (over the Bot
        API's 20 MB download limit, getFile answers "file is too big")."""
        try:
            file = await self.bot.get_file(item.file_id)
            data = await file.download_as_bytearray()
        except RetryAfter as error:
            raise CopyFailure("flood", str(error), retry_seconds(error)) from error
        except NetworkError as error:
            kind: FailureKind = "refused" if "bad request" in str(error).lower() else "unreached"
            raise CopyFailure(kind, f"the file could not be fetched from Telegram: {error}") from error
        except TelegramError as error:
            raise CopyFailure("refused", f"the file could not be fetched from Telegram: {error}") from error
        name = (file.file_path or f"{item.kind}").rsplit("/", 1)[-1]
        return InputFile(bytes(data), filename=name)


@contextlib.contextmanager
def _failures() -> Iterator[None]:
    """A Bot API error as the `CopyFailure` of its kind."""
    try:
        yield
    except RetryAfter as error:
        raise CopyFailure("flood", str(error), retry_seconds(error)) from error
    except BadRequest as error:  # a NetworkError too: caught first, a clear no
        raise CopyFailure("refused", error.message) from error
    except NetworkError as error:
        raise CopyFailure("doubtful" if may_have_arrived(error) else "unreached", str(error)) from error
    except TelegramError as error:  # Forbidden, InvalidToken, ChatMigrated
        raise CopyFailure("refused", str(error)) from error


_ALBUM_ITEM = {
    MediaKind.PHOTO: InputMediaPhoto,
    MediaKind.VIDEO: InputMediaVideo,
    MediaKind.AUDIO: InputMediaAudio,
    MediaKind.DOCUMENT: InputMediaDocument,
}
_EDIT_ITEM = {**_ALBUM_ITEM, MediaKind.ANIMATION: InputMediaAnimation}  # a GIF post's new file


class BotApiChannel:
    """A channel reached by the Bot API: a second Telegram channel, or a Bale channel."""

    def __init__(self, bot: Bot, destination: Destination, *, same_bot: bool) -> None:
        self.bot = bot
        self.chat_id = destination.chat_id
        self.html = CAPABILITIES[destination.network].html
        # Telegram's file ids are the receiving bot's own: only the bot that got them may send them.
        self.by_file_id = same_bot and CAPABILITIES[destination.network].own_file_ids

    async def send(self, part: Part, fetch: Fetch, *, silent: bool) -> list[int]:
        with _failures():
            if self.by_file_id:
                sent = await send_part(self.bot, self.chat_id, part, disable_notification=silent)
                return [message.message_id for message in sent]
            return await self._upload(part, fetch, silent)

    async def edit(self, message_id: int, part: Part) -> None:
        """The message's new text, or its caption (an album's is on its first item)."""
        mode = {"parse_mode": ParseMode.HTML} if self.html else {}
        with _failures():
            try:
                if part.media:
                    await self.bot.edit_message_caption(self.chat_id, message_id, caption=part.html, **mode)
                else:
                    preview = {"link_preview_options": NO_PREVIEW} if self.html else {}
                    await self.bot.edit_message_text(part.html, self.chat_id, message_id, **mode, **preview)
            except BadRequest as error:
                if NOT_MODIFIED not in error.message.lower():  # a repeat of an edit already made
                    raise

    async def replace_file(self, message_id: int, item: MediaItem, caption: str, fetch: Fetch) -> None:
        """The message's new file (editMessageMedia), keeping `caption`."""
        mode = {"parse_mode": ParseMode.HTML} if self.html and caption else {}
        with _failures():
            if self.by_file_id:
                media = input_media(item, caption)
            else:
                file = await fetch(item)
                media = _EDIT_ITEM[item.kind](
                    file.input_file_content, filename=file.filename, caption=caption or None, **mode
                )
            try:
                await self.bot.edit_message_media(media, self.chat_id, message_id)
            except BadRequest as error:
                if NOT_MODIFIED not in error.message.lower():
                    raise

    async def delete(self, message_id: int) -> None:
        with _failures():
            try:
                await self.bot.delete_message(self.chat_id, message_id)
            except BadRequest as error:
                if ALREADY_GONE not in error.message.lower():  # gone already: what was wanted
                    raise

    async def note(self, text: str, reply_to: int) -> int:
        with _failures():
            sent = await self.bot.send_message(
                self.chat_id,
                text,
                reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True),
            )
            return sent.message_id

    async def _upload(self, part: Part, fetch: Fetch, silent: bool) -> list[int]:
        mode = {"parse_mode": ParseMode.HTML} if self.html else {}
        if not part.media:
            preview = {"link_preview_options": NO_PREVIEW} if self.html else {}  # Bale lists no such option
            message = await self.bot.send_message(
                self.chat_id, part.html, disable_notification=silent, **mode, **preview
            )  # type: ignore[arg-type]
            return [message.message_id]
        files = [await fetch(item) for item in part.media]
        if len(part.media) > 1:
            # As bytes with a name: PTB then attaches each under a name of its own (an InputFile as it is
            # would go as one unnamed attachment, every item the same file).
            items = [
                _ALBUM_ITEM[item.kind](
                    file.input_file_content,
                    filename=file.filename,
                    **({"caption": part.html, **mode} if i == 0 and part.html else {}),
                )
                for i, (item, file) in enumerate(zip(part.media, files, strict=True))
            ]
            sent = await self.bot.send_media_group(self.chat_id, items, disable_notification=silent)
            return [message.message_id for message in sent]
        (item,), (file,) = part.media, files
        send = {
            MediaKind.PHOTO: self.bot.send_photo,
            MediaKind.VIDEO: self.bot.send_video,
            MediaKind.ANIMATION: self.bot.send_animation,
            MediaKind.AUDIO: self.bot.send_audio,
            MediaKind.DOCUMENT: self.bot.send_document,
        }[item.kind]
        caption = {"caption": part.html, **mode} if part.html else {}
        message = await send(self.chat_id, file, disable_notification=silent, **caption)  # type: ignore[operator]
        return [message.message_id]


class EitaayarChannel:
    """An Eitaa channel through Eitaayar (`<api_url>/<token>/<method>`): send-only, plain text, one
    file a request."""

    def __init__(self, client: httpx.AsyncClient, destination: Destination) -> None:
        assert destination.network is Network.EITAA
        self.client = client
        self.url = f"{destination.api_url}/{destination.token}"
        self.chat_id = destination.chat_id

    async def send(self, part: Part, fetch: Fetch, *, silent: bool) -> list[int]:
        data = {"chat_id": self.chat_id, **({"disable_notification": "1"} if silent else {})}
        if not part.media:
            return [await self._call("sendMessage", {**data, "text": part.html})]
        (item,) = part.media  # the copy plans one file a request for Eitaa
        file = await fetch(item)
        upload = {"file": (file.filename or "file", file.input_file_content, file.mimetype)}
        return [
            await self._call("sendFile", {**data, **({"caption": part.html} if part.html else {})}, upload)
        ]

    async def edit(self, message_id: int, part: Part) -> None:
        raise CopyFailure("refused", "Eitaayar cannot edit a message")  # bot/networks.py: edit=False

    async def delete(self, message_id: int) -> None:
        raise CopyFailure("refused", "Eitaayar cannot delete a message")

    async def replace_file(self, message_id: int, item: MediaItem, caption: str, fetch: Fetch) -> None:
        raise CopyFailure("refused", "Eitaayar cannot edit a message")

    async def note(self, text: str, reply_to: int) -> int:
        return await self._call(
            "sendMessage", {"chat_id": self.chat_id, "text": text, "reply_to_message_id": str(reply_to)}
        )

    async def _call(self, method: str, data: dict[str, str], files: dict | None = None) -> int:
        try:
            response = await self.client.post(f"{self.url}/{method}", data=data, files=files)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            raise CopyFailure("unreached", f"Eitaayar: {error!r}") from error
        except httpx.HTTPError as error:  # a timeout or a dropped connection after the request left
            raise CopyFailure("doubtful", f"Eitaayar: {error!r}") from error
        try:
            body = response.json()
        except ValueError:
            body = {}
        description = str(body.get("description") or response.reason_phrase)
        if response.status_code == 429:
            raise CopyFailure("flood", f"Eitaayar: {description}", 5.0)  # Eitaayar states no retry_after
        if response.status_code >= 500:
            raise CopyFailure("doubtful", f"Eitaayar {response.status_code}: {description}")
        if response.status_code >= 400 or not body.get("ok"):
            raise CopyFailure("refused", f"Eitaayar {response.status_code}: {description}")
        return int(body["result"]["message_id"])
