"""Waiting in tests: for something that happens in the background, and for another process's
lock on the SQLite file to end."""

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url


@asynccontextmanager
async def sqlite_locked(database_url: str) -> AsyncIterator[None]:
    """Another process's write lock on the bot's SQLite file (a backup tool, `sqlite3` in a
    shell), held from a thread as a separate connection would, until the block ends."""
    path = make_url(database_url).database
    assert path is not None
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        taken.set()
        release.wait()
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    await asyncio.to_thread(taken.wait)
    try:
        yield
    finally:
        release.set()
        await asyncio.to_thread(thread.join)


async def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    """Wait until `condition()` holds (polling the event loop), or fail after `timeout`."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110  (log text and lists have no event to await)
            await asyncio.sleep(0.05)
