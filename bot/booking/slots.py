"""Free-slot search: the schedule's slots minus the seats held or booked in the database."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking.models import HELD, Booking
from bot.booking.schedule import Office, Schedule, Service


def taken_filter(now: datetime) -> object:
    """Seats that count as taken: booked ones, and holds that have not run out."""
    return (
        Booking.seat.is_not(None),
        or_(Booking.status != HELD, Booking.held_until > now),
    )


async def taken_counts(
    session: AsyncSession, office: str, service: str, start: datetime, end: datetime, now: datetime
) -> Counter[datetime]:
    rows = await session.execute(
        select(Booking.starts_at, func.count())
        .where(
            Booking.office == office,
            Booking.service == service,
            Booking.starts_at >= start,
            Booking.starts_at < end,
            *taken_filter(now),  # type: ignore[arg-type]
        )
        .group_by(Booking.starts_at)
    )
    return Counter({starts_at.astimezone(UTC): count for starts_at, count in rows})


async def free_slots(
    session: AsyncSession,
    schedule: Schedule,
    office: Office,
    service: Service,
    now: datetime,
    days: list[date] | None = None,
) -> dict[date, list[datetime]]:
    """Free slot starts by day (only days that have one), in the office's zone."""
    allowed = schedule.bookable_days(now)
    days = [d for d in days if d in allowed] if days is not None else allowed
    if not days:
        return {}
    earliest = now + schedule.min_notice
    candidates = {
        day: [s for s in schedule.slots_on(office, service, day) if s >= earliest] for day in days
    }
    first = datetime.combine(days[0], datetime.min.time(), schedule.tz)
    last = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), schedule.tz)
    taken = await taken_counts(session, office.id, service.id, first, last, now)
    free: dict[date, list[datetime]] = {}
    for day, starts in candidates.items():
        open_ = [s for s in starts if taken[s.astimezone(UTC)] < service.capacity]
        if open_:
            free[day] = open_
    return free


async def nearest_free(
    session: AsyncSession,
    schedule: Schedule,
    office: Office,
    service: Service,
    now: datetime,
    count: int = 6,
) -> list[datetime]:
    found = await free_slots(session, schedule, office, service, now)
    return [start for starts in found.values() for start in starts][:count]


def full_days(
    schedule: Schedule, office: Office, service: Service, now: datetime, free: dict[date, list]
) -> list[date]:
    """Reception days within the horizon with no free seat: where the waitlist is offered."""
    earliest = now + schedule.min_notice
    return [
        day
        for day in schedule.bookable_days(now)
        if day not in free and any(s >= earliest for s in schedule.slots_on(office, service, day))
    ]
