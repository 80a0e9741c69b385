"""Shared plumbing of the fake API servers: aiohttp lifecycle, call recording, waiting, faults."""

import asyncio
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiohttp import web

Predicate = Callable[[dict[str, Any]], bool]

# Large enough for document uploads in tests; aiohttp's default is 1 MiB.
_MAX_BODY = 64 * 1024 * 1024


@dataclass(frozen=True)
class UploadedFile:
    """A file the client sent as a multipart part."""

    filename: str
    content_type: str
    content: bytes


@dataclass
class Call:
    """One API request as the fake saw it (``params`` already decoded)."""

    method: str
    params: dict[str, Any]
    failed: bool = False
    status: int = 200  # HTTP status of the fake's reply
    error_code: int | None = None  # API-level error code when ``failed``
    result: Any = None  # what the fake answered on success
    duplicate: bool = False  # VK: messages.send deduplicated by random_id

    def __str__(self) -> str:
        shown = repr(self.params)
        shown = shown if len(shown) <= 300 else shown[:297] + "..."
        flag = f" [FAILED {self.error_code or self.status}]" if self.failed else ""
        return f"{self.method} {shown}{flag}"


@dataclass
class Fault:
    """A canned error answer, served ``remaining`` more times."""

    status: int
    remaining: int
    payload: dict[str, Any] | None = None  # JSON body, or None for ``body``
    body: str | None = None  # raw text body (nginx-style 5xx pages)
    error_code: int | None = None


class Pulse:
    """Wake-all notifier: everyone waiting sees the next ``fire()`` (no sleep-polling)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the next fire; False if it did not come."""
        if seconds <= 0:
            return False
        try:
            await asyncio.wait_for(self._event.wait(), seconds)
        except TimeoutError:
            return False
        return True


NGINX_502_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
NGINX_500_HTML = NGINX_502_HTML.replace("502 Bad Gateway", "500 Internal Server Error")


async def read_request(
    request: web.Request,
) -> tuple[dict[str, str | Any], dict[str, UploadedFile]]:
    """Merge query string and body (JSON, urlencoded or multipart) into raw params + files."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return params, files
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params, files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = UploadedFile(
                filename=value.filename,
                content_type=value.content_type,
                content=value.file.read(),
            )
        else:
            params[key] = value
    return params, files


class FakeServer:
    """aiohttp server on 127.0.0.1:<free port> with call recording and fault injection."""

    # Methods left out of timeout diagnostics because they would drown the useful calls.
    _noisy_methods: frozenset[str] = frozenset()

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._host = host
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._activity = Pulse()  # fired on every recorded call and long-poll start
        # Long-poll handlers wait on this too, so stop() can release them at once.
        self._closing = False
        self._faults: dict[str, deque[Fault]] = {}
        self.calls: list[Call] = []

    # --- lifecycle -------------------------------------------------------------------------

    def _routes(self) -> Iterable[web.AbstractRouteDef]:
        raise NotImplementedError

    async def start(self) -> Self:
        app = web.Application(client_max_size=_MAX_BODY)
        app.add_routes(self._routes())
        # handler_cancellation: a client that hangs up mid long-poll must not leave a
        # handler waiting server-side; shutdown_timeout bounds stop() if one still does.
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=2.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, 0)
        await site.start()
        self._port = site.port
        self._closing = False
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        self._closing = True
        self._wake_long_polls()
        await self._runner.cleanup()
        self._runner = None

    def _wake_long_polls(self) -> None:
        """Subclasses fire their long-poll pulses here."""

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def root_url(self) -> str:
        if self._port is None:
            msg = "fake server is not started"
            raise RuntimeError(msg)
        return f"http://{self._host}:{self._port}"

    # --- recording -------------------------------------------------------------------------

    def _record(self, call: Call) -> Call:
        self.calls.append(call)
        self._activity.fire()
        return call

    def _norm(self, method: str) -> str:
        return method

    def _targets(self, params: dict[str, Any]) -> set[Any]:
        """Recipients of a call (chat ids / peer ids); used by the ``to`` filter."""
        raise NotImplementedError

    def _select(
        self,
        method: str,
        to: Any,
        predicate: Predicate | None,
        include_failed: bool,
    ) -> list[dict[str, Any]]:
        wanted = self._norm(method)
        return [
            c.params
            for c in self.calls
            if self._norm(c.method) == wanted
            and (include_failed or not (c.failed or c.duplicate))
            and (to is None or to in self._targets(c.params))
            and (predicate is None or predicate(c.params))
        ]

    async def _wait(
        self,
        method: str,
        to: Any,
        count: int,
        seconds: float,
        predicate: Predicate | None,
        include_failed: bool,
    ) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            found = self._select(method, to, predicate, include_failed)
            if len(found) >= count:
                return found
            if not await self._activity.wait(deadline - loop.time()):
                break
        shown = [str(c) for c in self.calls if self._norm(c.method) not in self._noisy_methods]
        target = f" to {to!r}" if to is not None else ""
        msg = (
            f"timed out after {seconds}s waiting for {count} x {method}{target}"
            f" (matched {len(found)}); calls so far:\n  " + ("\n  ".join(shown) or "<none>")
        )
        raise AssertionError(msg)

    async def _wait_until(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not condition():
            if not await self._activity.wait(deadline - loop.time()):
                msg = f"timed out after {seconds}s waiting for {what}"
                raise AssertionError(msg)

    # --- faults ----------------------------------------------------------------------------

    def _add_fault(self, method: str, fault: Fault) -> None:
        self._faults.setdefault(self._norm(method), deque()).append(fault)

    def _take_fault(self, method: str) -> Fault | None:
        """Next queued fault for this method, falling back to the ``"*"`` (any method) queue."""
        for key in (self._norm(method), "*"):
            queue = self._faults.get(key)
            if queue:
                fault = queue[0]
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.popleft()
                return fault
        return None

    def clear_faults(self) -> None:
        self._faults.clear()


__all__ = [
    "NGINX_500_HTML",
    "NGINX_502_HTML",
    "Call",
    "FakeServer",
    "Fault",
    "Predicate",
    "Pulse",
    "UploadedFile",
    "read_request",
]
