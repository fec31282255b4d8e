"""Serving an emulated API over real HTTP on 127.0.0.1, in the test's own event loop or in a thread of
its own (so it outlives a SIGKILLed bot): the lifecycle shared by the Bot API server (Telegram, Bale)
and the Eitaayar server (Eitaa).

A subclass gives `_routes(app)` and may extend `astart`/`astop` for its own tasks.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Self

from aiohttp import web


class Served:
    """An aiohttp application on `host:port` (0: an ephemeral port, known after the start)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    def _routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def astart(self) -> Self:
        """Serve from the running event loop."""
        self._loop = asyncio.get_running_loop()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        self._routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def astop(self) -> None:
        if self._runner is None:
            return
        await self._runner.cleanup()
        self._runner = None

    def start(self) -> Self:
        """Serve from a background thread with its own event loop."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.astart())
            except BaseException as error:  # reported to the starting thread
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.astop())
            loop.close()

        self._thread = threading.Thread(target=serve, name=f"{type(self).__name__}", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return await self.astart()

    async def __aexit__(self, *_exc_info: object) -> None:
        await self.astop()
