"""The async database engine: SQLite by default, PostgreSQL by URL, migrated by Alembic."""

import asyncio
import contextlib
import functools
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import PoolResetState
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_delay,
    wait_exponential_jitter,
)

import migrations
from bot.core.sqlite_driver import OneTripDBAPI

log = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")

SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long work waits for a database that is locked or unreachable before giving up.
TRANSIENT_PATIENCE_S = 15 * 60
# SQLSTATEs that pass: serialization failure, deadlock, connection lost, server starting or
# shutting down, a lock not granted, too many connections.
_TRANSIENT_SQLSTATES = ("40001", "40P01", "08", "57P01", "57P02", "57P03", "55P03", "53300")
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")

SessionFactory = async_sessionmaker[AsyncSession]
# SQLite has one writer at a time, and every transaction here writes (BEGIN IMMEDIATE). Left
# to SQLite, the waiting connections sleep and retry in its busy handler (up to 100 ms a
# nap), which makes the tail long; in the process they queue on this lock instead, in order.
# Other processes on the same file still meet the busy handler. A lock per event loop: a
# command-line tool may run several loops one after another on one engine.
_WRITERS: weakref.WeakKeyDictionary[Engine, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def create_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    # hide_parameters: a failed statement's error text would otherwise quote the values bound
    # to it (people's names and messages), and error logs print that text.
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # The pool's rollback when a connection comes back is left to _on_reset.
    engine = create_async_engine(
        url, hide_parameters=True, pool_reset_on_return=None, module=OneTripDBAPI()
    )
    _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "reset")
    def _on_reset(dbapi_connection: Any, _record: object, state: PoolResetState) -> None:
        # Roll back only a connection still inside a transaction: after a commit the pool's
        # usual rollback is one more round trip to aiosqlite's thread for nothing.
        if state.asyncio_safe and dbapi_connection.driver_connection.in_transaction:
            dbapi_connection.rollback()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so a read-then-write transaction waits for
        # the busy timeout instead of failing at once with SQLITE_BUSY on lock upgrade.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["connection"] = connection
    return config


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))


def is_transient(exc: BaseException) -> bool:
    """An error that goes away by itself: a SQLite file another process holds locked, a lost,
    refused or unresolvable PostgreSQL server, a full pool, a serialization conflict. Not a
    programming error: those fail at once."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        state = str(getattr(exc.orig, "sqlstate", "") or getattr(exc.orig, "pgcode", "") or "")
        if state:
            return state.startswith(_TRANSIENT_SQLSTATES)
        message = str(exc.orig).lower()
        return any(busy in message for busy in _SQLITE_BUSY)
    # Raised as they are while connecting: refused, reset, unreachable, no such host, timeout.
    return isinstance(exc, OSError | PoolTimeout)


async def retrying(work: Callable[[], Awaitable[T]], what: str) -> T:
    """Run `work` (which opens its own transaction) again on a transient database error, with
    jittered backoff up to 5 s, for at most TRANSIENT_PATIENCE_S; then the error is raised."""

    def note(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "%s: database unavailable (%s), attempt %d; retrying",
            what,
            type(error).__name__,
            state.attempt_number,
        )

    async for attempt in AsyncRetrying(
        retry=retry_if_exception(is_transient),
        wait=wait_exponential_jitter(multiplier=0.2, max=5, jitter=0.5),
        stop=stop_after_delay(TRANSIENT_PATIENCE_S),
        before_sleep=note,
        reraise=True,
    ):
        with attempt:
            return await work()
    raise AssertionError("unreachable: tenacity either returns or raises")


def retried(what: str) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """`retrying` as a decorator, for an entry point that opens its own transaction."""

    def wrap(work: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(work)
        async def run(*args: P.args, **kwargs: P.kwargs) -> T:
            return await retrying(lambda: work(*args, **kwargs), what)

        return run

    return wrap


@asynccontextmanager
async def transaction(sessions: SessionFactory) -> AsyncIterator[AsyncSession]:
    """One unit of work: committed on success, rolled back on any error; on SQLite, one at a
    time in the process (_WRITERS)."""
    writer = _writer(sessions) or contextlib.nullcontext()
    async with writer, sessions() as session, session.begin():
        yield session


def _writer(sessions: SessionFactory) -> asyncio.Lock | None:
    bind = sessions.kw.get("bind")
    if not isinstance(bind, AsyncEngine) or bind.dialect.name != "sqlite":
        return None
    loop = asyncio.get_running_loop()
    held = _WRITERS.get(bind.sync_engine)
    if held is None or held[0] is not loop:
        held = _WRITERS[bind.sync_engine] = (loop, asyncio.Lock())
    return held[1]
