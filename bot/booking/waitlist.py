"""The waitlist of full days: a person joins for a day, and when a seat of that day comes free
the first one in line hears of it (first come, first served: the offer only opens the day's
free times). Domain only: takes a session, opens no transaction, holds no dialogue."""

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking import notices
from bot.booking.models import WaitlistEntry
from bot.booking.schedule import Schedule
from bot.core import outbox
from bot.core.models import Person


async def join(
    session: AsyncSession, person_id: int, office: str, service: str, day: date
) -> None:
    exists = await session.scalar(
        select(WaitlistEntry.id).where(
            WaitlistEntry.person_id == person_id,
            WaitlistEntry.office == office,
            WaitlistEntry.service == service,
            WaitlistEntry.day == day,
        )
    )
    if exists is None:
        session.add(WaitlistEntry(person_id=person_id, office=office, service=service, day=day))


async def leave(session: AsyncSession, person_id: int, office: str, service: str) -> None:
    """The person booked this service: they wait for no other day of it."""
    await session.execute(
        delete(WaitlistEntry).where(
            WaitlistEntry.person_id == person_id,
            WaitlistEntry.office == office,
            WaitlistEntry.service == service,
        )
    )


async def forget(session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(WaitlistEntry).where(WaitlistEntry.person_id == person_id))


async def entry_of(session: AsyncSession, entry_id: int, person_id: int) -> WaitlistEntry | None:
    """The person's own place in line by the id from an offer; None for anyone else's."""
    entry = await session.get(WaitlistEntry, entry_id)
    return entry if entry is not None and entry.person_id == person_id else None


async def next_waiting(
    session: AsyncSession, office: str, service: str, day: date
) -> WaitlistEntry | None:
    """The first person in line for the day who has not been told of a free seat yet."""
    return await session.scalar(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.office == office,
            WaitlistEntry.service == service,
            WaitlistEntry.day == day,
            WaitlistEntry.notified_at.is_(None),
        )
        .order_by(WaitlistEntry.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


async def offer_freed_seat(
    session: AsyncSession,
    schedule: Schedule,
    office_id: str,
    service_id: str,
    start: datetime,
    now: datetime,
) -> None:
    """A seat came free (a cancel, a move, an erasure): tell the first person waiting."""
    if start <= now:
        return
    day = start.astimezone(schedule.tz).date()
    entry = await next_waiting(session, office_id, service_id, day)
    office = schedule.office(office_id)
    service = office.service(service_id) if office else None
    if entry is None or service is None:
        return
    person = await session.get(Person, entry.person_id)
    if person is None:
        return
    entry.notified_at = now
    reply = notices.waitlist_offer(person.locale, entry.id, day, service.title.get(person.locale))
    outbox.enqueue(session, person.channel, person.chat_id, [reply])
