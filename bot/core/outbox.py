"""Reliable delivery: what the bot sends on its own goes through an outbox table.

Rows are written in the same transaction as the change that caused them, then a worker sends
them one chat at a time in order. Waiting is not failing: a rate limit (429 retry_after, VK
flood control) pauses the channel for as long as it asks and costs the row nothing; a server
or network error is retried after a short capped backoff; a refusal (blocked, chat not
found) or a row still undelivered `give_up` after its first try is failed.

A row claimed at a crash is sent again at the next start: a retry resumes after the parts
(files, text chunks) known to have gone out, VK drops a repeated part by its random_id, and
Telegram may show one twice, which is better than a lost answer.

A row may carry a `ref` such as "ticket:12:3:final": the feature registered for its first
word is told when the row is delivered or given up, in the transaction that marks the row.
"""

import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import clock
from bot.core.db import SessionFactory, retrying, transaction
from bot.core.messages import Reply
from bot.core.models import OutboxMessage

log = logging.getLogger(__name__)

# Rows done with, deleted by purge(). A sent row's message (which may hold names or a pass
# list) is cleared at once; a failed one keeps it until then, for `priemnaya outbox retry`.
# "unknown": what versions before migration 0006 made of a row claimed at a crash.
FINISHED = ("sent", "failed", "unknown")
WAITING = ("pending", "sending")
MAX_BACKOFF_S = 30
# After this many temporary failures in a row (about 2.5 minutes of trying) a message stops
# holding back the later ones of its chat: they go ahead while it keeps being retried.
STUCK_AFTER = 8
GIVE_UP = timedelta(hours=24)
# A claimed row that is still "sending" this long after its claim belongs to a process that
# died; another worker takes it over. Longer than any one send (aiogram waits 60 s at most).
SEND_LEASE = timedelta(minutes=5)
BATCH = 100

# Why a row was given up, as the features' texts name it.
BLOCKED, GONE, REFUSED, EXPIRED = "blocked", "gone", "refused", "expired"


class DeliveryError(Exception):
    """A send failed. `retry_after` pauses the whole channel (Telegram 429, VK flood);
    `permanent` gives the row up, `cause` says why (BLOCKED, GONE or REFUSED)."""

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        cause: str = REFUSED,
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent
        self.cause = cause


@dataclass
class Progress:
    """An outbox row being sent: its id and how many of its parts (API calls) went out. The
    sender skips the parts already done and counts each one it sends."""

    row_id: int
    done: int = 0


class Sender(Protocol):
    """One messenger's way of delivering a Reply to a chat; `progress` is given for outbox
    rows (direct replies have none)."""

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None: ...


Part = Callable[[], Awaitable[object]]


async def send_parts(parts: Sequence[Part], progress: Progress | None) -> None:
    """Make the API calls of one message in order, skipping those a previous attempt made."""
    start = progress.done if progress is not None else 0
    for index in range(start, len(parts)):
        await parts[index]()
        if progress is not None:
            progress.done = index + 1


@dataclass(frozen=True)
class Outcome:
    """How a row with a ref ended: delivered, or given up with a cause."""

    delivered: bool
    at: datetime
    cause: str | None = None


DeliveryHandler = Callable[[AsyncSession, str, Outcome], Awaitable[None]]


@runtime_checkable
class DeliveryOwner(Protocol):
    """A feature that wants to know when its rows are delivered or given up."""

    def register_deliveries(self, deliveries: "Deliveries") -> None: ...


class Deliveries:
    """The handlers of row refs, by the ref's first word ("ticket:12:3:final" → "ticket")."""

    def __init__(self) -> None:
        self.handlers: dict[str, DeliveryHandler] = {}

    def on(self, feature: str, handler: DeliveryHandler) -> None:
        self.handlers[feature] = handler

    async def settle(self, session: AsyncSession, ref: str, outcome: Outcome) -> None:
        handler = self.handlers.get(ref.partition(":")[0])
        if handler is None:
            log.error("no delivery handler for outbox ref %r", ref)
            return
        try:
            # A savepoint: a failing handler must not undo the mark of a message that went out.
            async with session.begin_nested():
                await handler(session, ref, outcome)
        except Exception:
            log.exception("delivery handler for %r failed", ref)


def enqueue(
    session: AsyncSession,
    channel: str,
    chat_id: str,
    replies: Sequence[Reply],
    *,
    not_before: datetime | None = None,
    ref: str | None = None,
) -> None:
    """Queue replies for a chat; `ref` goes on the last one, which completes the message."""
    for number, reply in enumerate(replies, start=1):
        session.add(
            OutboxMessage(
                channel=channel,
                chat_id=chat_id,
                payload=reply.to_dict(),
                next_attempt_at=not_before or clock.now(),
                ref=ref if number == len(replies) else None,
            )
        )


async def send_now(
    sessions: SessionFactory, sender: Sender, channel: str, chat_id: str, replies: Sequence[Reply]
) -> None:
    """Replies to a person's own message go out at once; what cannot is left to the outbox."""
    for index, reply in enumerate(replies):
        try:
            await sender.send(chat_id, reply)
        except Exception as error:
            exc = (
                error if isinstance(error, DeliveryError) else DeliveryError(type(error).__name__)
            )
            if exc.permanent:
                log.warning("%s reply not delivered: %s", channel, exc)
                return
            delay = timedelta(seconds=exc.retry_after or 1)
            async with transaction(sessions) as session:
                enqueue(session, channel, chat_id, replies[index:], not_before=clock.now() + delay)
            log.info("%s reply queued for retry: %s", channel, exc)
            return


@dataclass(frozen=True)
class Claimed:
    id: int
    channel: str
    chat_id: str
    payload: dict[str, Any]
    attempts: int
    parts_done: int
    first_tried_at: datetime
    ref: str | None
    # The claim's lease end, which this claim wrote: an update that finds another value there
    # lost the row to another worker (a takeover, a restart) and must change nothing.
    lease: datetime


class OutboxWorker:
    def __init__(
        self,
        sessions: SessionFactory,
        senders: Mapping[str, Sender],
        deliveries: Deliveries | None = None,
        *,
        give_up: timedelta = GIVE_UP,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.sessions = sessions
        self.senders = senders
        self.deliveries = deliveries or Deliveries()
        self.give_up = give_up
        self.jitter = jitter
        self.paused_until: dict[str, datetime] = {}

    async def recover(self) -> int:
        """At start: rows a stopped process was sending go out again, resuming after the parts
        it recorded as done (see the module's note on duplicates)."""
        async with transaction(self.sessions) as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == "sending")
                .values(status="pending", next_attempt_at=clock.now())
            )
        count: int = result.rowcount  # type: ignore[attr-defined]
        if count:
            log.warning("%d outbox messages were being sent at a stop; sending again", count)
        return count

    async def run_once(self) -> int:
        """Send what is due; returns how many messages went out."""
        sent = 0
        for row in await self._claim():
            if self._paused(row.channel):
                await self._release(row)
                continue
            progress = Progress(row.id, row.parts_done)
            try:
                reply = Reply.from_dict(row.payload)
                await self.senders[row.channel].send(row.chat_id, reply, progress)
            except DeliveryError as exc:
                await self._failed(row, progress, exc)
                continue
            except Exception as exc:
                # An error the sender did not foresee (an HTML error page, an upload that
                # broke): retry it like a temporary one rather than strand the batch.
                # The type only: an error's text may quote the message being sent.
                log.warning(
                    "outbox %d to %s: unexpected %s", row.id, row.channel, type(exc).__name__
                )
                await self._failed(row, progress, DeliveryError(type(exc).__name__))
                continue
            now = clock.now()
            await self._close(row, progress, Outcome(True, now), sent_at=now, payload={})
            sent += 1
        return sent

    async def purge(self, before: datetime) -> int:
        """Delete finished rows older than `before`; their payloads are already cleared."""
        async with transaction(self.sessions) as session:
            result = await session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.status.in_(FINISHED), OutboxMessage.created_at < before
                )
            )
        return result.rowcount  # type: ignore[attr-defined, no-any-return]

    def backoff(self, attempts: int) -> float:
        """Seconds before retrying after the `attempts`-th temporary failure in a row: doubling
        up to MAX_BACKOFF_S, spread over the upper half so rows stalled together part."""
        base = min(2.0**attempts, MAX_BACKOFF_S)
        return base * (0.5 + self.jitter() / 2)

    def _paused(self, channel: str) -> bool:
        until = self.paused_until.get(channel)
        return until is not None and until > clock.now()

    async def _claim(self) -> list[Claimed]:
        """The first waiting row of every chat whose turn it is, marked as being sent.

        Several workers claim at once: each reads the heads of the chats without locking,
        then locks those still as it read them, skipping rows another worker has locked
        (FOR UPDATE SKIP LOCKED). A chat is held by its head row's "sending" status, so a
        worker that comes later finds it sending and leaves the chat alone; one that read
        the head before another claimed it finds, on locking, the row changed and skips it.
        Either way one chat has one message under way, in order."""
        now = clock.now()
        async with transaction(self.sessions) as session:
            rows = (
                await session.execute(
                    select(
                        OutboxMessage.id,
                        OutboxMessage.channel,
                        OutboxMessage.chat_id,
                        OutboxMessage.status,
                        OutboxMessage.attempts,
                        OutboxMessage.next_attempt_at,
                    )
                    .where(OutboxMessage.status.in_(WAITING))
                    .order_by(OutboxMessage.id)
                    .limit(BATCH * 10)
                )
            ).all()
            seen: set[tuple[str, str]] = set()
            heads: dict[int, tuple[str, datetime]] = {}
            for row in rows:
                key = (row.channel, row.chat_id)
                if key in seen:
                    continue  # a later message of a chat waits for the earlier one
                if row.status == "sending" or row.attempts < STUCK_AFTER:
                    seen.add(key)  # a row failing for minutes no longer holds its chat
                # next_attempt_at: when a pending row is due, or a sending row's lease ends.
                if (
                    row.next_attempt_at <= now
                    and row.channel in self.senders
                    and not self._paused(row.channel)
                ):
                    heads[row.id] = (row.status, row.next_attempt_at)
            if not heads:
                return []
            # Locking reads each row as it is now: one claimed meanwhile (its lease ahead) or
            # sent no longer matches, and leaves its place in the batch to another.
            locked = (
                await session.scalars(
                    select(OutboxMessage)
                    .where(
                        OutboxMessage.id.in_(heads),
                        OutboxMessage.status.in_(WAITING),
                        OutboxMessage.next_attempt_at <= now,
                    )
                    .order_by(OutboxMessage.id)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            claimed = []
            for message in locked:
                if heads[message.id] != (message.status, message.next_attempt_at):
                    continue
                if message.status == "sending":
                    log.warning("outbox %d: its sender stopped; taking it over", message.id)
                message.status = "sending"
                message.next_attempt_at = now + SEND_LEASE
                message.first_tried_at = message.first_tried_at or now
                claimed.append(
                    Claimed(
                        message.id,
                        message.channel,
                        message.chat_id,
                        message.payload,
                        message.attempts,
                        message.parts_done,
                        message.first_tried_at,
                        message.ref,
                        message.next_attempt_at,
                    )
                )
        return claimed

    async def _failed(self, row: Claimed, progress: Progress, exc: DeliveryError) -> None:
        now = clock.now()
        reason = str(exc)[:200]
        if exc.permanent or now - row.first_tried_at >= self.give_up:
            cause = exc.cause if exc.permanent else EXPIRED
            log.warning("outbox %d to %s given up (%s): %s", row.id, row.channel, cause, reason)
            outcome = Outcome(False, now, cause)
            await self._close(row, progress, outcome, status="failed", last_error=reason)
            return
        attempts = row.attempts
        if exc.retry_after is not None:
            # Waiting, not failing: the channel is asked to hold off, this row is not at fault.
            delay = exc.retry_after
            self.paused_until[row.channel] = now + timedelta(seconds=delay)
        else:
            attempts += 1
            delay = self.backoff(attempts)
        await self._update(
            row,
            status="pending",
            attempts=attempts,
            parts_done=progress.done,
            last_error=reason,
            next_attempt_at=now + timedelta(seconds=delay),
        )
        log.info("outbox %d to %s retry in %.1fs: %s", row.id, row.channel, delay, reason)

    async def _release(self, row: Claimed) -> None:
        await self._update(row, status="pending", next_attempt_at=clock.now())

    async def _update(self, row: Claimed, **values: object) -> None:
        async def once() -> None:
            async with transaction(self.sessions) as session:
                await session.execute(
                    update(OutboxMessage).where(*self._ours(row)).values(**values)
                )

        await retrying(once, f"outbox {row.id}")

    @staticmethod
    def _ours(row: Claimed) -> tuple[ColumnElement[bool], ...]:
        return (
            OutboxMessage.id == row.id,
            OutboxMessage.status == "sending",
            OutboxMessage.next_attempt_at == row.lease,
        )

    async def _close(
        self,
        row: Claimed,
        progress: Progress,
        outcome: Outcome,
        *,
        status: str = "sent",
        **values: object,
    ) -> None:
        """Mark the row finished and tell its feature, in one transaction. Only a row still
        ours counts: one taken over by another worker is finished by that one."""

        async def once() -> None:
            async with transaction(self.sessions) as session:
                result = await session.execute(
                    update(OutboxMessage)
                    .where(*self._ours(row))
                    .values(status=status, parts_done=progress.done, **values)
                )
                if result.rowcount and row.ref:  # type: ignore[attr-defined]
                    await self.deliveries.settle(session, row.ref, outcome)

        await retrying(once, f"outbox {row.id}")
