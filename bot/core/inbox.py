"""The one way in, for citizens' messages and staff's alike: an update is recorded once,
its person found or created, and one person's (or one chat's) updates are handled in order.
Also the one sanctioned way for a feature to steer another person's conversation."""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from bot.core import clock, texts
from bot.core.db import SessionFactory, is_transient, transaction
from bot.core.feature import MENU
from bot.core.inflight import KeyedLocks
from bot.core.messages import Incoming
from bot.core.models import Base, Conversation, InboundUpdate, Person

log = logging.getLogger(__name__)

T = TypeVar("T")
SEEN_PRECISION = timedelta(hours=1)


class _Seen(Exception):
    """The update's id is recorded already: a repeated delivery."""


class Inbox:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions
        self._locks = KeyedLocks()
        self._to_record: list[tuple[Incoming, asyncio.Future[int | None]]] = []
        self._recorder: asyncio.Future[None] | None = None

    def in_order(self, key: Hashable) -> AbstractAsyncContextManager[None]:
        """Hold while handling one update of `key` (a person): the next waits its turn."""
        return self._locks(key)

    async def record(self, incoming: Incoming) -> int | None:
        """Write the update before handling it: its row id, or None if it was seen already.
        It stays "pending" until handled, so a crash mid-handling loses nothing.

        Updates that arrive together (one poll's batch, a burst of webhooks) are written in
        one transaction: on SQLite each transaction holds the one write lock, and under load
        most of that hold is waiting for the event loop to come round, not writing."""
        waiter: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._to_record.append((incoming, waiter))
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.ensure_future(self._record_waiting())
        return await waiter

    async def _record_waiting(self) -> None:
        while self._to_record:
            batch, self._to_record = self._to_record, []
            try:
                await self._write(batch)
            except asyncio.CancelledError:
                for _, waiter in self._to_record:  # came in meanwhile: no recorder is left
                    waiter.cancel()
                self._to_record = []
                raise

    async def _write(self, batch: list[tuple[Incoming, asyncio.Future[int | None]]]) -> None:
        try:
            async with transaction(self.sessions) as session:
                ids = [await session.scalar(_recorded(session, one)) for one, _ in batch]
        except BaseException as exc:
            if len(batch) > 1 and not is_transient(exc) and isinstance(exc, Exception):
                # One bad update must not cost the others theirs: each on its own then.
                for one in batch:
                    await self._write([one])
                return
            for _, waiter in batch:
                if not waiter.done():
                    waiter.set_exception(exc)
            if isinstance(exc, asyncio.CancelledError):
                raise
            return
        for (incoming, waiter), row_id in zip(batch, ids, strict=True):
            # A repeat: the engine looks whether it is still pending (a worker died on it).
            if row_id is None:
                log.info("%s update %s was recorded before", incoming.channel, incoming.update_id)
            if not waiter.done():
                waiter.set_result(row_id)

    async def still_pending(self, incoming: Incoming) -> int | None:
        """The row of an update recorded before and not handled yet: its worker died before
        answering, and Telegram delivered the webhook again (to this worker or another)."""
        async with self.sessions() as session:
            pending: int | None = await session.scalar(
                select(InboundUpdate.id).where(
                    InboundUpdate.channel == incoming.channel,
                    InboundUpdate.update_key == incoming.update_id,
                    InboundUpdate.status == "pending",
                )
            )
        return pending

    async def once(
        self, channel: str, update_key: str, work: Callable[[AsyncSession], Awaitable[T]]
    ) -> T | None:
        """Handle an update in the transaction that records it: `work`'s result, or None
        (and no effect) for a repeated delivery of one already handled."""
        try:
            async with transaction(self.sessions) as session:
                session.add(InboundUpdate(channel=channel, update_key=update_key, status="done"))
                try:
                    await session.flush()
                except IntegrityError as exc:
                    raise _Seen from exc
                return await work(session)
        except _Seen:
            log.info("duplicate %s update %s ignored", channel, update_key)
            return None


async def person_of(
    session: AsyncSession,
    channel: str,
    external_id: str,
    chat_id: str | None = None,
    locale_hint: str | None = None,
) -> tuple[Person, bool]:
    """The person behind a channel's user id, created on first contact; True if new."""
    person = await session.scalar(
        select(Person).where(Person.channel == channel, Person.external_id == external_id)
    )
    if person is not None:
        seen(person, chat_id)
        return person, False
    # Two first messages of one person may be handled at once (a burst of comments under a
    # post): on PostgreSQL the second insert waits for the first and then does nothing.
    new = {
        "channel": channel,
        "external_id": external_id,
        "chat_id": chat_id or external_id,
        "locale": texts.pick_locale(locale_hint),
    }
    added = await session.scalar(
        _insert(session, Person)
        .values(new)
        .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(Person.id)
    )
    person = await session.scalar(
        select(Person).where(Person.channel == channel, Person.external_id == external_id)
    )
    assert person is not None  # inserted now or by the transaction it waited for
    return person, added is not None


def seen(person: Person, chat_id: str | None) -> None:
    """A message from the person: their chat (it may change), and when they were last here,
    to the hour (an UPDATE on every message would buy nothing)."""
    if chat_id is not None:
        person.chat_id = chat_id
    now = clock.now()
    if person.last_seen_at < now - SEEN_PRECISION:
        person.last_seen_at = now


async def steer(
    session: AsyncSession,
    person_id: int,
    to: tuple[str, str, dict[str, Any]],
    *,
    unless_busy_except: tuple[str, str] | None = None,
) -> None:
    """Put another person's conversation at (feature, step, data), e.g. so their next text
    answers the staff. Only from the menu (or from `unless_busy_except`): a person in the
    middle of a form is not pulled out of it."""
    feature, step, data = to
    allowed = Conversation.feature == MENU
    if unless_busy_except is not None:
        allowed = or_(
            allowed,
            and_(
                Conversation.feature == unless_busy_except[0],
                Conversation.step == unless_busy_except[1],
            ),
        )
    await session.execute(
        update(Conversation)
        .where(Conversation.person_id == person_id, allowed)
        .values(feature=feature, step=step, data=data)
    )


def _insert(session: AsyncSession, table: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """The dialect's INSERT, which has ON CONFLICT."""
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    return insert(table)


def _recorded(session: AsyncSession, incoming: Incoming) -> ReturningInsert[tuple[int]]:
    """Insert an update's row: its id, or no row if its id was recorded already."""
    return (
        _insert(session, InboundUpdate)
        .values(
            channel=incoming.channel, update_key=incoming.update_id, payload=incoming.to_dict()
        )
        .on_conflict_do_nothing(index_elements=["channel", "update_key"])
        .returning(InboundUpdate.id)
    )
