"""Reliable delivery: what the bot sends on its own goes through an outbox table.

Rows are written in the same transaction as the change that caused them, then a worker sends
them one chat at a time in order, honouring rate limits (429 retry_after, VK flood control)
and retrying temporary failures with backoff. A row is claimed before it is sent, so it is
never sent twice; a crash between claim and confirmation leaves it marked "unknown" for an
operator rather than risk a duplicate message to a citizen.
"""

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.conversation import Reply
from bot.db import SessionFactory, transaction
from bot.models import OutboxMessage

log = logging.getLogger(__name__)

# Rows done with: their message (which may hold names or a pass list) is cleared at once.
FINISHED = ("sent", "failed", "unknown")
MAX_ATTEMPTS = 50  # with the backoff cap below: about four hours of trying
MAX_BACKOFF_S = 300
BATCH = 100
# Any fixed number: the key of the PostgreSQL advisory lock that serialises claiming.
CLAIM_LOCK_KEY = 7_301_517


class DeliveryError(Exception):
    """A send failed. `retry_after` pauses the whole channel (Telegram 429, VK flood)."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


class Sender(Protocol):
    """One messenger's way of delivering a Reply to a chat."""

    async def send(self, chat_id: str, reply: Reply) -> None: ...


def enqueue(
    session: AsyncSession,
    channel: str,
    chat_id: str,
    replies: Sequence[Reply],
    *,
    not_before: datetime | None = None,
) -> None:
    for reply in replies:
        session.add(
            OutboxMessage(
                channel=channel,
                chat_id=chat_id,
                payload=reply.to_dict(),
                next_attempt_at=not_before or clock.now(),
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


class OutboxWorker:
    def __init__(self, sessions: SessionFactory, senders: Mapping[str, Sender]) -> None:
        self.sessions = sessions
        self.senders = senders
        self.paused_until: dict[str, datetime] = {}

    async def recover(self) -> int:
        """At start: rows a crashed process claimed may have gone out; never send them again."""
        async with transaction(self.sessions) as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == "sending")
                .values(status="unknown", last_error="process stopped while sending", payload={})
            )
        count: int = result.rowcount  # type: ignore[attr-defined]
        if count:
            log.warning("%d outbox messages were being sent at a crash; marked unknown", count)
        return count

    async def run_once(self) -> int:
        """Send what is due; returns how many messages went out."""
        sent = 0
        for row_id, channel, chat_id, payload in await self._claim():
            if self._paused(channel):
                await self._release(row_id)
                continue
            try:
                await self.senders[channel].send(chat_id, Reply.from_dict(payload))
            except DeliveryError as exc:
                await self._failed(row_id, channel, exc)
                continue
            except Exception as exc:
                # An error the sender did not foresee (an HTML error page, an upload that
                # broke): retry it like a temporary one rather than strand the batch.
                # The type only: an error's text may quote the message being sent.
                log.warning("outbox %d to %s: unexpected %s", row_id, channel, type(exc).__name__)
                await self._failed(row_id, channel, DeliveryError(type(exc).__name__))
                continue
            await self._finish(row_id, status="sent", sent_at=clock.now(), payload={})
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

    def _paused(self, channel: str) -> bool:
        until = self.paused_until.get(channel)
        return until is not None and until > clock.now()

    async def _claim(self) -> list[tuple[int, str, str, dict]]:
        """The first waiting row of every chat whose turn it is, marked as being sent."""
        now = clock.now()
        async with transaction(self.sessions) as session:
            if session.bind.dialect.name == "postgresql":
                await session.execute(text(f"SELECT pg_advisory_xact_lock({CLAIM_LOCK_KEY})"))
            rows = (
                await session.execute(
                    select(
                        OutboxMessage.id,
                        OutboxMessage.channel,
                        OutboxMessage.chat_id,
                        OutboxMessage.payload,
                        OutboxMessage.status,
                        OutboxMessage.next_attempt_at,
                    )
                    .where(OutboxMessage.status.in_(("pending", "sending")))
                    .order_by(OutboxMessage.id)
                    .limit(BATCH * 10)
                )
            ).all()
            seen: set[tuple[str, str]] = set()
            claimed = []
            for row_id, channel, chat_id, payload, status, due in rows:
                key = (channel, chat_id)
                if key in seen:
                    continue  # a later message of a chat waits for the earlier one
                seen.add(key)
                if (
                    status == "pending"
                    and due <= now
                    and channel in self.senders
                    and not self._paused(channel)
                    and len(claimed) < BATCH
                ):
                    claimed.append((row_id, channel, chat_id, payload))
            if claimed:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_([row[0] for row in claimed]))
                    .values(status="sending")
                )
        return claimed

    async def _failed(self, row_id: int, channel: str, exc: DeliveryError) -> None:
        reason = str(exc)[:200]
        if exc.permanent:
            log.warning("outbox %d to %s dropped: %s", row_id, channel, reason)
            await self._finish(row_id, status="failed", last_error=reason, payload={})
            return
        async with transaction(self.sessions) as session:
            attempts = await session.scalar(
                select(OutboxMessage.attempts).where(OutboxMessage.id == row_id)
            )
            attempts = (attempts or 0) + 1
            if exc.retry_after is not None:
                delay = exc.retry_after
                self.paused_until[channel] = clock.now() + timedelta(seconds=delay)
            else:
                delay = min(2**attempts, MAX_BACKOFF_S)
            status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            given_up = {"payload": {}} if status == "failed" else {}
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id)
                .values(
                    **given_up,
                    status=status,
                    attempts=attempts,
                    last_error=reason,
                    next_attempt_at=clock.now() + timedelta(seconds=delay),
                )
            )
        log.info("outbox %d to %s retry in %ss: %s", row_id, channel, delay, reason)

    async def _release(self, row_id: int) -> None:
        await self._finish(row_id, status="pending")

    async def _finish(self, row_id: int, **values: object) -> None:
        async with transaction(self.sessions) as session:
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values)
            )
