"""Restart-safe timers: rows with `due_at`, swept by the scheduler, fired exactly once.

A timer's effect and its "fired" mark commit in one transaction, so a crash mid-handler leaves
it due, and a second worker skips a row another one holds (FOR UPDATE SKIP LOCKED).
"""

import logging
import zlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import clock
from bot.core.db import SessionFactory, transaction
from bot.core.models import Timer

log = logging.getLogger(__name__)

TimerHandler = Callable[[AsyncSession, dict[str, Any], datetime], Awaitable[None]]
MAX_ATTEMPTS = 10
SWEEP_BATCH = 200


@runtime_checkable
class TimerOwner(Protocol):
    """A feature with timers of its own registers their handlers at start."""

    def register_timers(self, timers: "Timers") -> None: ...


def schedule(
    session: AsyncSession, kind: str, due_at: datetime, payload: dict[str, Any] | None = None
) -> Timer:
    timer = Timer(kind=kind, due_at=due_at, payload=payload or {})
    session.add(timer)
    return timer


async def has_pending(session: AsyncSession, kind: str) -> bool:
    """Whether a timer of `kind` is waiting, for a feature that keeps exactly one planned.
    On PostgreSQL the check holds a lock on `kind` until the transaction ends, so two workers
    starting together do not both find none and plan two (SQLite's BEGIN IMMEDIATE already
    serialises them)."""
    if session.bind.dialect.name == "postgresql":
        key = zlib.crc32(kind.encode())  # any fixed number per kind
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    found = await session.scalar(
        select(Timer.id).where(Timer.kind == kind, Timer.fired_at.is_(None)).limit(1)
    )
    return found is not None


class Timers:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions
        self.handlers: dict[str, TimerHandler] = {}

    def on(self, kind: str, handler: TimerHandler) -> None:
        self.handlers[kind] = handler

    async def sweep(self, now: datetime | None = None) -> int:
        """Fire every due timer once; returns how many fired."""
        now = now or clock.now()
        async with self.sessions() as session:
            due = (
                await session.scalars(
                    select(Timer.id)
                    .where(Timer.fired_at.is_(None), Timer.due_at <= now)
                    .order_by(Timer.due_at)
                    .limit(SWEEP_BATCH)
                )
            ).all()
        fired = 0
        for timer_id in due:
            fired += await self._fire(timer_id, now)
        return fired

    async def _fire(self, timer_id: int, now: datetime) -> bool:
        try:
            async with transaction(self.sessions) as session:
                timer = await session.scalar(
                    select(Timer)
                    .where(Timer.id == timer_id, Timer.fired_at.is_(None))
                    .with_for_update(skip_locked=True)
                )
                if timer is None:
                    return False  # fired or held by another worker
                handler = self.handlers.get(timer.kind)
                if handler is None:
                    log.error("no handler for timer kind %r (id %d)", timer.kind, timer.id)
                    timer.fired_at = now
                    timer.last_error = "no handler"
                    return False
                await handler(session, timer.payload, timer.due_at)
                timer.fired_at = now
                return True
        except Exception as exc:
            log.exception("timer %d failed", timer_id)
            await self._postpone(timer_id, now, f"{type(exc).__name__}: {exc}"[:200])
            return False

    async def _postpone(self, timer_id: int, now: datetime, error: str) -> None:
        async with transaction(self.sessions) as session:
            timer = await session.get(Timer, timer_id)
            if timer is None:
                return
            timer.attempts += 1
            timer.last_error = error
            if timer.attempts >= MAX_ATTEMPTS:
                timer.fired_at = now  # give up; last_error says why
            else:
                timer.due_at = now + timedelta(seconds=min(30 * 2**timer.attempts, 3600))
