"""Readiness: the database answers and every channel has started taking updates (polling,
or its webhook set). The channels say when they start; the assembly when one stops."""

import asyncio

from sqlalchemy import text

from bot.core.db import SessionFactory, transaction

# A database that takes longer than this to answer `SELECT 1` is not ready (on SQLite that
# includes waiting behind the process's writers, as every update does).
PING_TIMEOUT_S = 2.0


class Health:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions
        self.channels: dict[str, bool] = {}  # name -> taking updates

    def expect(self, channel: str) -> None:
        self.channels.setdefault(channel, False)

    def started(self, channel: str) -> None:
        self.channels[channel] = True

    def stopped(self, channel: str) -> None:
        self.channels[channel] = False

    async def problem(self) -> str | None:
        """Why the process is not ready, in a few words; None when it is."""
        try:
            async with asyncio.timeout(PING_TIMEOUT_S), transaction(self.sessions) as session:
                await session.execute(text("SELECT 1"))
        except Exception as exc:
            return f"database: {type(exc).__name__}"
        if not self.channels:
            return "no channel"
        waiting = sorted(name for name, up in self.channels.items() if not up)
        if waiting:
            return f"not taking updates yet: {', '.join(waiting)}"
        return None
