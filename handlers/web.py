"""One HTTP server for every webhook of the process: Telegram's and VK's Callback API share
its listen address (WEBHOOK_LISTEN), each on the path of its public URL."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebServer:
    def __init__(self, listen: str) -> None:
        self.listen = listen
        self.app = web.Application()
        self._runner: web.AppRunner | None = None
        self._users = 0
        self._lock = asyncio.Lock()

    def post(self, path: str, handler: Handler) -> None:
        self.app.router.add_post(path, handler)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Listening while any channel is inside: the first to enter starts the server (every
        route is added by then, as channels add theirs when built), the last to leave stops
        it. SO_REUSEPORT lets several worker processes listen on the same port."""
        async with self._lock:
            if self._runner is None:
                runner = web.AppRunner(self.app)
                await runner.setup()
                host, _, port = self.listen.rpartition(":")
                site = web.TCPSite(runner, host.strip("[]"), int(port), reuse_port=True)
                try:
                    await site.start()
                except BaseException:
                    await runner.cleanup()
                    raise
                self._runner = runner
            self._users += 1
        try:
            yield
        finally:
            self._users -= 1
            if not self._users and self._runner is not None:
                runner, self._runner = self._runner, None
                await runner.cleanup()
