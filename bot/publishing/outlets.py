"""The clients of the other destinations (bot/destinations.py): one Bot API client per bot (a second
Telegram bot, a Bale bot), one HTTP client for Eitaayar, and each destination's channel over them.
Opened with the bot, closed at its shutdown; a Telegram destination without a token of its own is
served by the main bot itself (its rate limiter, its file ids).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import httpx
from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.bale import BaleBot
from bot.destinations import Destination
from bot.networks import Network
from bot.publishing.channels import BotApiChannel, CopyChannel, EitaayarChannel

log = logging.getLogger(__name__)

EITAAYAR_TIMEOUT = httpx.Timeout(30.0, connect=5.0)  # an upload of a 20 MB video on a slow line


class Outlets:
    """The other destinations' channels and the clients under them."""

    def __init__(
        self, main_bot: Bot, destinations: Sequence[Destination], file_url_for: Callable[[str], str]
    ) -> None:
        self._bots: dict[tuple[str, str], ExtBot] = {}
        self._http: httpx.AsyncClient | None = None
        self.channels: dict[str, CopyChannel] = {}
        for destination in destinations:
            if destination.network is Network.EITAA:
                if self._http is None:
                    self._http = httpx.AsyncClient(timeout=EITAAYAR_TIMEOUT)
                self.channels[destination.key] = EitaayarChannel(self._http, destination)
            elif destination.network is Network.TELEGRAM and not destination.token:
                self.channels[destination.key] = BotApiChannel(main_bot, destination, same_bot=True)
            else:
                where = (destination.token, destination.api_url)
                if where not in self._bots:
                    bot_class = BaleBot if destination.network is Network.BALE else ExtBot
                    self._bots[where] = bot_class(
                        destination.token,
                        base_url=destination.api_url,
                        base_file_url=file_url_for(destination.api_url),
                    )
                self.channels[destination.key] = BotApiChannel(self._bots[where], destination, same_bot=False)

    async def open(self) -> None:
        """Introduce each bot to its network (getMe); one that does not answer now still sends later."""
        for bot in self._bots.values():
            try:
                await bot.initialize()
            except TelegramError as error:  # Bale down at our start must not stop the desk
                log.warning("a destination's bot did not answer at start (%s); its copies will say so", error)

    async def close(self) -> None:
        for bot in self._bots.values():
            await bot.shutdown()
        if self._http is not None:
            await self._http.aclose()
