"""The reply promise as gauges for /metrics: tickets open by kind, the time left to the limit
each one runs against (the first reply, or the final answer after an interim one), and those
past it. Time left is plain time to the deadline, which working hours already placed."""

from collections import Counter
from datetime import datetime, timedelta
from typing import Protocol

from prometheus_client.core import Metric
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.metrics import gauge
from bot.tickets.models import Ticket
from bot.tickets.service import CLOSED, OPEN
from bot.tickets.sla import KINDS

# Time-left bands, the upper bound of each: around the 2 h and 4 h promises.
BANDS = (
    ("breached", timedelta(0)),
    ("under_30m", timedelta(minutes=30)),
    ("under_1h", timedelta(hours=1)),
    ("under_2h", timedelta(hours=2)),
    ("under_4h", timedelta(hours=4)),
    ("under_1d", timedelta(days=1)),
)
LATER = "later"


def band(left: timedelta) -> str:
    return next((name for name, upper in BANDS if left <= upper), LATER)


class Limits(Protocol):
    """The columns of a ticket that say which limit runs."""

    first_due: datetime
    first_reply_at: datetime | None
    interim_at: datetime | None
    final_due: datetime | None
    final_at: datetime | None


def deadline(ticket: Limits) -> datetime | None:
    """The limit the ticket runs against now, as sla_timers.waiting reads it; None when it
    waits for nobody's reply (answered, or the final answer given)."""
    if ticket.first_reply_at is None:
        return ticket.first_due
    if ticket.interim_at is not None and ticket.final_at is None:
        return ticket.final_due
    return None


async def sample(session: AsyncSession, now: datetime) -> list[Metric]:
    opened = gauge("priemnaya_tickets_open", "Tickets waiting for staff", ["kind"])
    least = gauge(
        "priemnaya_ticket_time_left_min_seconds",
        "The smallest time left to a reply limit, by kind (negative once past it)",
        ["kind"],
    )
    bands = gauge(
        "priemnaya_tickets_time_left",
        "Tickets running against a reply limit, by how much time is left",
        ["kind", "left"],
    )
    breached = gauge(
        "priemnaya_tickets_breached", "Tickets past their reply limit, not yet answered", ["kind"]
    )
    # Columns, not Ticket objects: a scrape holds SQLite's write queue while it reads.
    tickets = await session.execute(
        select(
            Ticket.kind,
            Ticket.status,
            Ticket.first_due,
            Ticket.first_reply_at,
            Ticket.interim_at,
            Ticket.final_due,
            Ticket.final_at,
        ).where(Ticket.status != CLOSED)
    )
    open_by_kind: Counter[str] = Counter()
    in_band: Counter[tuple[str, str]] = Counter()
    smallest: dict[str, timedelta] = {}
    for ticket in tickets:
        if ticket.status == OPEN:
            open_by_kind[ticket.kind] += 1
        due = deadline(ticket)
        if due is None:
            continue
        left = due - now
        in_band[ticket.kind, band(left)] += 1
        smallest[ticket.kind] = min(left, smallest.get(ticket.kind, left))
    for kind in KINDS:
        opened.add_metric([kind], open_by_kind[kind])
        breached.add_metric([kind], in_band[kind, "breached"])
        for name in [*(name for name, _ in BANDS), LATER]:
            bands.add_metric([kind, name], in_band[kind, name])
        if kind in smallest:
            least.add_metric([kind], smallest[kind].total_seconds())
    return [opened, least, bands, breached]
