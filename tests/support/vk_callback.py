"""The Callback API half of the fake VK API (tests/support/vk_api.py): the community's
servers (``groups.*CallbackServer*``, ``groups.setCallbackSettings``) and VK posting events
to them.

As real VK does: a server added (or given a new URL) is checked at once with a
``{"type": "confirmation", "group_id": …}`` POST and its status becomes ``"ok"`` only if the
answer's body is the community's confirmation code (else ``"failed"``); events go only to
servers with status ``"ok"`` and the event type switched on in their settings, with the
server's ``secret`` added, one POST at a time in the order pushed; VK expects ``ok`` as the
body. What the fake does not do: resend an event that got no ``ok`` (use
``FakeVKAPI.push_event_again``), or give up on a server that keeps failing.
"""

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from ._common import Call, Pulse

CALLBACK_TIMEOUT_S = 10.0  # real VK waits a few seconds; tests only need a bound


@dataclass
class Answer:
    """What a server answered to one delivery."""

    event_id: str | None
    type: str
    status: int
    body: str


@dataclass
class Server:
    id: int
    url: str
    title: str
    secret_key: str
    status: str = "unconfigured"
    api_version: str | None = None
    events: frozenset[str] = frozenset()

    def item(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "creator_id": 1,
            "url": self.url,
            "secret_key": self.secret_key,
            "status": self.status,
        }


class CallbackServers:
    def __init__(self, group_id: int, error: Callable[[int, str], Exception]) -> None:
        self.group_id = group_id
        self._error = error  # the fake's VKError: raised, it becomes a VK API error answer
        self.confirmation_code = secrets.token_hex(4)
        self.servers: dict[int, Server] = {}
        self.answers: list[Answer] = []  # deliveries and checks, in order
        self._next_id = 1
        self._queue: asyncio.Queue[tuple[Server, dict[str, Any]]] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()  # the delivery worker and checks
        self._worker: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None
        self._pulse = Pulse()

    def handlers(self) -> dict[str, Any]:
        return {
            "groups.getCallbackConfirmationCode": self._confirmation_code,
            "groups.getCallbackServers": self._get_servers,
            "groups.addCallbackServer": self._add_server,
            "groups.editCallbackServer": self._edit_server,
            "groups.deleteCallbackServer": self._delete_server,
            "groups.setCallbackSettings": self._set_settings,
        }

    # --- test API --------------------------------------------------------------------------

    async def wait_until_confirmed(self, *, timeout: float = 5.0) -> Server:  # noqa: ASYNC109
        """The first server whose confirmation check passed."""
        await self._until(lambda: any(s.status == "ok" for s in self.servers.values()), timeout)
        return next(s for s in self.servers.values() if s.status == "ok")

    async def wait_until_checked(self, *, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until every server's confirmation check has ended, passed or failed."""
        await self._until(
            lambda: all(s.status in {"ok", "failed"} for s in self.servers.values()), timeout
        )

    async def wait_for_answers(self, count: int, *, timeout: float = 5.0) -> list[Answer]:  # noqa: ASYNC109
        """Until ``count`` deliveries (not confirmation checks) were answered."""

        def delivered() -> list[Answer]:
            return [answer for answer in self.answers if answer.type != "confirmation"]

        await self._until(lambda: len(delivered()) >= count, timeout)
        return delivered()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()

    # --- delivery --------------------------------------------------------------------------

    def deliver(self, event: dict[str, Any]) -> None:
        """Queue an event for every confirmed server that takes its type."""
        for server in self.servers.values():
            if server.status == "ok" and event["type"] in server.events:
                self._queue.put_nowait((server, event))
        if not self._queue.empty() and self._worker is None:
            self._worker = self._start(self._deliver_all())

    async def _deliver_all(self) -> None:
        while True:
            server, event = await self._queue.get()
            await self._post(server, {**event, "secret": server.secret_key})

    async def _post(self, server: Server, body: dict[str, Any]) -> Answer:
        if self._http is None:
            self._http = aiohttp.ClientSession()
        timeout = aiohttp.ClientTimeout(total=CALLBACK_TIMEOUT_S)
        try:
            async with self._http.post(server.url, json=body, timeout=timeout) as response:
                status, text = response.status, await response.text()
        except (aiohttp.ClientError, TimeoutError) as exc:
            status, text = 0, type(exc).__name__
        answer = Answer(body.get("event_id"), body["type"], status, text)
        self.answers.append(answer)
        self._pulse.fire()
        return answer

    async def _check(self, server: Server) -> None:
        server.status = "wait"
        body = {"type": "confirmation", "group_id": self.group_id}
        if server.secret_key:
            body["secret"] = server.secret_key
        answer = await self._post(server, body)
        confirmed = answer.status == 200 and answer.body == self.confirmation_code
        server.status = "ok" if confirmed else "failed"
        self._pulse.fire()

    def _start(self, work: Any) -> "asyncio.Task[None]":
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _until(self, condition: Callable[[], bool], seconds: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not condition():
            if not await self._pulse.wait(deadline - loop.time()):
                msg = f"timed out after {seconds}s; answers so far: {self.answers}"
                raise AssertionError(msg)

    # --- methods ---------------------------------------------------------------------------

    def _server(self, call: Call) -> Server:
        server = self.servers.get(call.params.get("server_id", 0))
        if call.params.get("group_id") != self.group_id or server is None:
            raise self._error(100, "One of the parameters specified was missing or invalid")
        return server

    def _confirmation_code(self, call: Call) -> dict[str, str]:
        return {"code": self.confirmation_code}

    def _get_servers(self, call: Call) -> dict[str, Any]:
        items = [server.item() for server in self.servers.values()]
        return {"count": len(items), "items": items}

    def _add_server(self, call: Call) -> dict[str, int]:
        params = call.params
        if params.get("group_id") != self.group_id or not params.get("url"):
            raise self._error(100, "One of the parameters specified was missing or invalid")
        server = Server(
            self._next_id,
            str(params["url"]),
            str(params.get("title") or "Server"),
            str(params.get("secret_key") or ""),
        )
        self._next_id += 1
        self.servers[server.id] = server
        self._start(self._check(server))
        return {"server_id": server.id}

    def _edit_server(self, call: Call) -> int:
        server = self._server(call)
        url = str(call.params.get("url") or server.url)
        server.title = str(call.params.get("title") or server.title)
        server.secret_key = str(call.params.get("secret_key", server.secret_key) or "")
        if url != server.url:
            server.url = url
            self._start(self._check(server))
        return 1

    def _delete_server(self, call: Call) -> int:
        del self.servers[self._server(call).id]
        return 1

    def _set_settings(self, call: Call) -> int:
        server = self._server(call)
        if "api_version" in call.params:
            server.api_version = str(call.params["api_version"])
        events = set(server.events)
        for key, value in call.params.items():
            if key not in {"group_id", "server_id", "api_version", "v"}:
                (events.add if str(value) == "1" else events.discard)(key)
        server.events = frozenset(events)
        return 1
