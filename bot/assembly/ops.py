"""The operators' side port (OPS_LISTEN): /healthz (the process answers), /readyz (the
database answers and every channel takes updates; 503 with the reason otherwise) and
/metrics (Prometheus). Worker N of several listens on OPS_LISTEN's port + N."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.core import metrics
from bot.core.config import ConfigError

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


def address(listen: str, worker: int = 0) -> tuple[str, int]:
    """Host and port for one worker; port 0 (any free one) stays 0."""
    host, _, port = listen.rpartition(":")
    number = int(port)
    return host.strip("[]"), number + worker if number else 0


def routes(app: "App") -> web.Application:
    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(request: web.Request) -> web.Response:
        problem = await app.health.problem()
        if problem is not None:
            return web.Response(status=503, text=f"{problem}\n")
        return web.Response(text="ready\n")

    async def scrape(request: web.Request) -> web.Response:
        body = await metrics.exposition(app.gauges, app.sessions)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    application = web.Application()
    application.router.add_get("/healthz", healthz)
    application.router.add_get("/readyz", readyz)
    application.router.add_get("/metrics", scrape)
    return application


@asynccontextmanager
async def serving(app: "App", listen: str | None, worker: int = 0) -> AsyncIterator[int | None]:
    """Run the side port while the block runs; yields the port taken (None when switched
    off), which matters for port 0."""
    if listen is None:
        yield None
        return
    runner = web.AppRunner(routes(app), access_log=None)  # a scrape every 15 s is no news
    await runner.setup()
    try:
        host, port = address(listen, worker)
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            where = f"{host}:{port}"
            raise ConfigError(f"OPS_LISTEN: cannot listen on {where} ({exc.strerror})") from exc
        bound = runner.addresses[0][1]
        log.info("ops: /healthz, /readyz, /metrics on %s:%d", host, bound)
        yield bound
    finally:
        await runner.cleanup()
