"""`priemnaya run --workers N`: N worker processes on one PostgreSQL database.

Each worker is a whole `priemnaya run` (channels, timers, outbox) told its number in
WORKER_INDEX. Any worker takes any update: webhooks share one port (SO_REUSEPORT spreads the
connections), a person's updates wait for each other on their conversation's row lock, and
timers and outbox rows are claimed with FOR UPDATE SKIP LOCKED. Long polling has one poller
per bot (Telegram and VK refuse a second), so there worker 0 receives and all send.

The parent only supervises: it restarts a worker that dies (after a pause that grows while
it keeps dying), passes SIGTERM/SIGINT on and waits for every worker to finish the updates
it has. SQLite is refused: its one writer would make the workers queue for each other.
"""

import asyncio
import ctypes
import logging
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

WORKER_ENV = "WORKER_INDEX"
SUPERVISOR_ENV = "PRIEMNAYA_SUPERVISOR"
PR_SET_PDEATHSIG = 1
RESTART_FIRST_S = 1.0
RESTART_MAX_S = 60.0
# A worker that ran this long before dying starts again after the first pause.
STABLE_S = 60.0
# How long a stop waits for a worker to finish its updates before killing it.
STOP_PATIENCE_S = 60.0
# A worker exiting with this code has broken settings or content: restarting cannot help.
CONFIG_EXIT = 2
# Any fixed number: the advisory lock under which a worker migrates and seeds at start.
START_LOCK_KEY = 7_301_518

REFUSAL = (
    "--workers needs PostgreSQL (DATABASE_URL=postgresql://...): SQLite lets one process "
    "write at a time, so more workers would only queue for the file. See docs/scaling.md."
)


def refusal(database_url: str) -> str | None:
    """Why this database cannot take several workers, or None."""
    return None if make_url(database_url).get_backend_name() == "postgresql" else REFUSAL


@asynccontextmanager
async def starting_alone(engine: AsyncEngine) -> AsyncIterator[None]:
    """Workers starting together migrate the schema and seed the content one after another:
    a PostgreSQL advisory lock held on a connection of its own (SQLite: nothing to share)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    async with engine.connect() as connection:
        await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": START_LOCK_KEY})
        await connection.commit()
        try:
            yield
        finally:
            await connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": START_LOCK_KEY}
            )
            await connection.commit()


def follow_supervisor() -> None:
    """In a worker: stop (SIGTERM, a clean stop) when the supervisor dies, even by SIGKILL,
    instead of going on alone outside its care (Linux; elsewhere nothing)."""
    parent = os.environ.get(SUPERVISOR_ENV)
    if parent is None or not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != int(parent):  # it died before the line above
        os.kill(os.getpid(), signal.SIGTERM)


async def supervise(count: int) -> int:
    """Run `count` workers until SIGTERM/SIGINT; the exit code for the command."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    running: dict[int, asyncio.subprocess.Process] = {}
    broken = False

    async def keep(index: int) -> None:
        nonlocal broken
        pause = RESTART_FIRST_S
        while not stop.is_set():
            started = time.monotonic()
            # A session of its own: a terminal's Ctrl-C reaches the parent only, which passes
            # one signal on, not two (a second one would cut the worker's drain short).
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env={**os.environ, WORKER_ENV: str(index), SUPERVISOR_ENV: str(os.getpid())},
                start_new_session=True,
            )
            running[index] = process
            if stop.is_set():  # the stop came while it was being started: it missed the signal
                process.terminate()
            code = await process.wait()
            if stop.is_set():
                return
            if code == CONFIG_EXIT:
                log.error("worker %d: settings or content are broken; stopping", index)
                broken = True
                stop.set()
                return
            pause = RESTART_FIRST_S if time.monotonic() - started > STABLE_S else pause
            log.error("worker %d exited with %s; starting it again in %.0f s", index, code, pause)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
            pause = min(pause * 2, RESTART_MAX_S)

    keepers = [asyncio.create_task(keep(index)) for index in range(count)]
    log.info("%d workers started", count)
    await stop.wait()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.remove_signal_handler(sig)
    log.info("stopping %d workers", count)
    for process in running.values():
        if process.returncode is None:
            process.terminate()
    _, late = await asyncio.wait(keepers, timeout=STOP_PATIENCE_S)
    if late:
        for process in running.values():
            if process.returncode is None:
                log.error("worker pid %d did not stop in time; killed", process.pid)
                process.kill()
        await asyncio.wait(late)
    return CONFIG_EXIT if broken else 0
