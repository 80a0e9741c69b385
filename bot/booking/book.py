"""Holding, booking, moving and cancelling seats. Every path that takes a seat inserts a row
under the unique (office, service, start, seat) constraint inside a savepoint: of two people
racing for the last seat the database lets exactly one through, the other gets SlotTaken."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking.models import ACTIVE, BOOKED, CANCELLED, HELD, Booking
from bot.booking.schedule import Office, Schedule, Service
from bot.booking.slots import taken_filter


class NotOffered(Exception):
    """Not a bookable slot of this office and service now (past, holiday, forged, too far)."""


class SlotTaken(Exception):
    """Every seat of the slot is held or booked by someone else."""


@dataclass(frozen=True)
class Slot:
    office: Office
    service: Service
    start: datetime

    @property
    def end(self) -> datetime:
        return self.start + self.service.slot


async def _take_seat(
    session: AsyncSession, slot: Slot, person_id: int, now: datetime, **fields: object
) -> Booking:
    start = slot.start.astimezone(UTC)
    where = (
        Booking.office == slot.office.id,
        Booking.service == slot.service.id,
        Booking.starts_at == start,
    )
    # Each attempt re-reads the seats: a lost insert means someone committed one meanwhile.
    for _ in range(slot.service.capacity + 1):
        await session.execute(
            delete(Booking).where(*where, Booking.status == HELD, Booking.held_until <= now)
        )
        used = set(
            await session.scalars(select(Booking.seat).where(*where, *taken_filter(now)))  # type: ignore[arg-type]
        )
        seat = next((n for n in range(1, slot.service.capacity + 1) if n not in used), None)
        if seat is None:
            raise SlotTaken
        row = Booking(
            person_id=person_id,
            office=slot.office.id,
            service=slot.service.id,
            starts_at=start,
            ends_at=slot.end.astimezone(UTC),
            seat=seat,
            **fields,
        )
        try:
            async with session.begin_nested():
                session.add(row)
        except IntegrityError:
            continue
        return row
    raise SlotTaken


async def release_holds(session: AsyncSession, person_id: int) -> None:
    await session.execute(
        delete(Booking).where(Booking.person_id == person_id, Booking.status == HELD)
    )


async def hold(
    session: AsyncSession, schedule: Schedule, person_id: int, slot: Slot, now: datetime
) -> Booking:
    """Keep a seat for the person while they fill the form; one hold per person."""
    if not schedule.offers(slot.office, slot.service, slot.start, now):
        raise NotOffered
    await release_holds(session, person_id)
    return await _take_seat(
        session, slot, person_id, now, status=HELD, held_until=now + schedule.hold
    )


async def own_hold(
    session: AsyncSession, hold_id: int | None, person_id: int, slot: Slot, now: datetime
) -> Booking | None:
    """The person's hold on this very slot, if it is still running."""
    if hold_id is None:
        return None
    row = await session.get(Booking, hold_id, with_for_update=True)
    if (
        row is None
        or row.person_id != person_id
        or row.status != HELD
        or row.held_until is None
        or row.held_until <= now
        or (row.office, row.service) != (slot.office.id, slot.service.id)
        or row.starts_at != slot.start
    ):
        return None
    return row


async def book(
    session: AsyncSession,
    schedule: Schedule,
    person_id: int,
    slot: Slot,
    now: datetime,
    *,
    hold_id: int | None,
    personal: str | None,
    doc_type: str | None,
) -> Booking:
    """Turn the person's hold into a booking, or take a free seat if the hold is gone."""
    if not schedule.offers(slot.office, slot.service, slot.start, now):
        raise NotOffered
    row = await own_hold(session, hold_id, person_id, slot, now)
    if row is None:
        await release_holds(session, person_id)
        row = await _take_seat(session, slot, person_id, now, status=HELD)
    row.status = BOOKED
    row.held_until = None
    row.booked_at = now
    row.personal = personal
    row.doc_type = doc_type
    return row


async def move(
    session: AsyncSession,
    schedule: Schedule,
    booking: Booking,
    slot: Slot,
    now: datetime,
    *,
    hold_id: int | None,
) -> datetime:
    """Move a booking to another slot of the same service, keeping its number; the old
    start is returned so the freed seat can go to the waitlist."""
    if not schedule.offers(slot.office, slot.service, slot.start, now):
        raise NotOffered
    row = await own_hold(session, hold_id, booking.person_id, slot, now)
    if row is None:
        await release_holds(session, booking.person_id)
        row = await _take_seat(session, slot, booking.person_id, now, status=HELD)
    seat = row.seat
    # The hold's seat passes to the booking within this transaction: nobody can slip in.
    await session.delete(row)
    await session.flush()
    old = booking.starts_at
    booking.starts_at, booking.ends_at, booking.seat = (
        slot.start.astimezone(UTC),
        slot.end.astimezone(UTC),
        seat,
    )
    await session.flush()
    return old


def cancel(booking: Booking, now: datetime) -> None:
    booking.status = CANCELLED
    booking.seat = None  # frees the seat for the unique constraint
    booking.cancelled_at = now
    booking.personal = None  # no visit, no reason to keep pass data


async def owned(session: AsyncSession, booking_id: int, person_id: int) -> Booking | None:
    """The person's own booking by the id from a button; None for anyone else's."""
    row = await session.get(Booking, booking_id, with_for_update=True)
    if row is None or row.person_id != person_id or row.status == HELD:
        return None
    return row


async def active_booking(
    session: AsyncSession, person_id: int, office: str, service: str, now: datetime
) -> Booking | None:
    """A future booking the person already has for this service (one at a time each)."""
    return await session.scalar(
        select(Booking).where(
            Booking.person_id == person_id,
            Booking.office == office,
            Booking.service == service,
            Booking.status == BOOKED,
            Booking.starts_at > now,
        )
    )


async def recent(session: AsyncSession, person_id: int, limit: int = 10) -> list[Booking]:
    """The person's appointments, cancelled ones too, newest first (what /history shows)."""
    return list(
        await session.scalars(
            select(Booking)
            .where(Booking.person_id == person_id, Booking.status.in_((*ACTIVE, CANCELLED)))
            .order_by(Booking.starts_at.desc())
            .limit(limit)
        )
    )
