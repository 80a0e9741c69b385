"""Work in progress at shutdown: message handlers and scheduled jobs are let to finish (or
are cancelled after a grace period) before the database is closed under them."""

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

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

    async def drain(self, grace_s: float = GRACE_S) -> None:
        current = asyncio.current_task()
        pending = {task for task in self.tasks if task is not current}
        if not pending:
            return
        _, late = await asyncio.wait(pending, timeout=grace_s)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)


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
