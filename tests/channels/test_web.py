"""The shared webhook server: one port for every channel's webhook, and for several worker
processes (SO_REUSEPORT)."""

import aiohttp
from aiohttp import web

from handlers.web import WebServer
from tests.support.fixtures import free_port


async def test_two_servers_listen_on_one_port_and_stop_with_their_last_user() -> None:
    listen = f"127.0.0.1:{free_port()}"
    servers = [WebServer(listen), WebServer(listen)]  # as two worker processes would

    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hello")

    for server in servers:
        server.post("/hook", hello)
    first, second = servers
    async with first.running(), second.running(), first.running():
        async with aiohttp.ClientSession() as http, http.post(f"http://{listen}/hook") as answer:
            assert await answer.text() == "hello"
        async with first.running():
            pass  # one channel of `first` stops: the server goes on for the other
        assert first.app.frozen and first._runner is not None
    assert first._runner is None and second._runner is None
