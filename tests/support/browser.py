"""A real headless Chromium (Debian's package) driven over the DevTools protocol: open a page
and read what a visitor sees (the rendered text, images with their alt texts and whether
they loaded). Tests that need it are skipped where no Chromium is installed; CI installs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
import tempfile
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self._ids)
        await self._socket.send_str(
            json.dumps({"id": call_id, "method": method, "params": params})
        )
        async for message in self._socket:
            data = json.loads(message.data)
            if data.get("id") == call_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data["result"]
        raise RuntimeError("the browser closed the connection")

    async def open(self, url: str) -> None:
        await self.call("Page.enable")
        await self.call("Page.navigate", url=url)
        # Wait until the page and its images have loaded.
        for _ in range(100):
            if await self.eval("document.readyState") == "complete":
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(url)

    async def eval(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")


@contextlib.asynccontextmanager
async def browser() -> AsyncIterator[Page]:
    """A fresh headless Chromium with JavaScript as a visitor's browser has it; one page."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        process = await asyncio.create_subprocess_exec(
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
            stderr=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
        )
        try:
            assert process.stderr is not None
            endpoint = ""
            while not endpoint:
                line = (await asyncio.wait_for(process.stderr.readline(), 30)).decode()
                if not line:
                    raise RuntimeError("chromium did not start")
                if line.startswith("DevTools listening on "):
                    endpoint = line.split(" on ", 1)[1].strip()
            port = endpoint.split(":")[2].split("/")[0]
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                    targets = await response.json()
                page_url = next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
                async with http.ws_connect(page_url, max_msg_size=0) as socket:
                    yield Page(socket)
        finally:
            process.kill()
            await process.wait()
