"""Subscribers on other networks: a second Application on Bale's bot, the same archive, the same process.

Which bots: each bot (token) of the destinations on a network other than Telegram whose API delivers
messages (`Capabilities.updates` in bot.networks: Bale yes, Eitaa no). Its Application carries the
subscriber side's handlers only (handlers/subscriber.py with that network's `Audience`: results link
to the copies on that network, this bot's channel first), through a bot that sends HTML as plain text
where the network has none (bot.bale.BaleBot): the editors' desk stays on Telegram.

It polls its network's getUpdates whether the main bot polls or takes a webhook: the webhook server
answers Telegram's requests, with Telegram's secret header, on one path; Bale needs nothing but
outgoing HTTPS for polling. Started and stopped with the main bot (bot.app `_Lifecycle`), but never in
its way: an unreachable Bale at the start is tried again in the background (the Telegram bot serves
meanwhile), and a stop ends its long poll at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ExtBot
from telegram.request import HTTPXRequest

from bot.bale import BaleBot
from bot.destinations import Destination
from bot.networks import CAPABILITIES, Network
from handlers import subscriber
from handlers.common import SERVICES_KEY, Services

log = logging.getLogger(__name__)

POLL_TIMEOUT_SECONDS = 10  # a long poll; a stop cancels it rather than waiting for it
# The last getUpdates at a stop (PTB's, to confirm what was read) runs on these: a Bale that does not
# answer costs the stop at most ~4 s of its 10.
GET_UPDATES_TIMEOUT_SECONDS = 2.0
FIRST_RETRY_SECONDS, LAST_RETRY_SECONDS = 1.0, 60.0  # reaching Bale again after a failed start

ErrorHandler = Callable[[object, Any], Coroutine[Any, Any, None]]


def subscriber_destinations(mirrors: Sequence[Destination]) -> list[Destination]:
    """The first destination of each bot that serves subscribers on its network (Telegram's readers
    have the main bot)."""
    chosen: dict[str, Destination] = {}
    for mirror in mirrors:
        if mirror.network is not Network.TELEGRAM and CAPABILITIES[mirror.network].updates:
            chosen.setdefault(mirror.token, mirror)
    return list(chosen.values())


class SubscriberBot:
    """One network's subscriber bot: its Application, started in the background, stopped with ours."""

    def __init__(
        self, destination: Destination, mirrors: Sequence[Destination], svc: Services, on_error: ErrorHandler,
        file_url_for: Callable[[str], str],
    ) -> None:  # fmt: skip
        self.destination = destination
        same_network = [m for m in mirrors if m.network is destination.network and m != destination]
        self.audience = subscriber.Audience(destination.network, (destination, *same_network))
        bot_class = ExtBot if CAPABILITIES[destination.network].html else BaleBot
        bot = bot_class(
            destination.token,
            base_url=destination.api_url,
            base_file_url=file_url_for(destination.api_url),
            request=HTTPXRequest(),
            get_updates_request=HTTPXRequest(
                connect_timeout=GET_UPDATES_TIMEOUT_SECONDS, read_timeout=GET_UPDATES_TIMEOUT_SECONDS
            ),
        )
        self.application: Application = Application.builder().bot(bot).concurrent_updates(True).build()
        self.application.bot_data[SERVICES_KEY] = svc  # the same archive, settings and clock
        self.application.add_error_handler(on_error)
        subscriber.register(self.application, self.audience)
        self._starting: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin serving, in the background: reaching the network may take a while, or fail for now."""
        self._starting = asyncio.get_running_loop().create_task(
            self._start(), name=f"{self.destination.key}-bot"
        )

    async def _start(self) -> None:
        wait = FIRST_RETRY_SECONDS
        while True:
            try:
                await self.application.initialize()  # getMe
                break
            except InvalidToken:
                log.error(
                    "the %s bot's token was refused: its subscribers are not served", self.destination.network
                )
                return
            except TelegramError as error:
                log.warning(
                    "the %s bot for subscribers is not reachable (%s); trying again in %.0f s",
                    self.destination.network, error, wait,
                )  # fmt: skip
                await asyncio.sleep(wait)
                wait = min(wait * 2, LAST_RETRY_SECONDS)
        await self.application.start()
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            timeout=POLL_TIMEOUT_SECONDS, allowed_updates=subscriber.subscriber_updates(self.audience),
            bootstrap_retries=-1,  # deleteWebhook until it answers (a stop cancels it)
        )  # fmt: skip
        log.info("serving subscribers on %s as @%s", self.destination.network, self.application.bot.username)

    async def stop(self) -> None:
        """Stop polling, let the searches in flight answer, and close; whatever the start reached."""
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
        if self._starting is not None:
            try:
                await self._starting
            except asyncio.CancelledError:
                pass
            except Exception:  # a failed start was the network's; the stop goes on
                log.exception("the %s bot for subscribers failed to start", self.destination.network)
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()  # a no-op when it never initialized
