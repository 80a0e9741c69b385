"""Work in progress at shutdown: message handlers and scheduled jobs are let to finish (or
are cancelled after a grace period) before the database is closed under them."""

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

GRACE_S = 10.0


class InFlight:
    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[object]] = set()

    async def run(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run `work` in the current task, tracked until it ends."""
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        try:
            return await work()
        finally:
            self.tasks.discard(task)

    def start(self, work: Callable[[], Coroutine[object, object, object]]) -> None:
        """Run `work` in a task of its own, tracked (and so kept alive) until it ends."""
        task = asyncio.create_task(work())
        self.tasks.add(task)
        task.add_done_callback(self._ended)

    def _ended(self, task: "asyncio.Task[object]") -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background work failed", exc_info=task.exception())

    async def drain(self, grace_s: float = GRACE_S) -> None:
        """Wait for the work under way, including work that starts while waiting (a job the
        scheduler had begun); cancel what is left after `grace_s`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace_s
        current = asyncio.current_task()
        while pending := {task for task in self.tasks if task is not current}:
            _, late = await asyncio.wait(pending, timeout=max(deadline - loop.time(), 0))
            if late and loop.time() >= deadline:
                for task in late:
                    task.cancel()
                await asyncio.gather(*late, return_exceptions=True)
                return


class KeyedLocks:
    """One asyncio lock per key (a person, a ticket topic), so their messages are handled one
    at a time and in order; a lock no one holds or awaits is forgotten."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[Hashable, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def __call__(self, key: Hashable) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock
