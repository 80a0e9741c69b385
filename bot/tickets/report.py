"""`priemnaya report sla`: per kind of ticket, how fast the first reply came and how often
the limit held, over tickets created between two dates (the office's calendar days). Public
comments a moderator closed as needing no answer are left out."""

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.tickets.models import Ticket, TicketTransfer
from bot.tickets.public.desk import NO_ANSWER
from bot.tickets.sla import KINDS, SLA


@dataclass(frozen=True)
class KindStats:
    kind: str
    tickets: int
    median: timedelta | None  # first-reply time, in the time the limit counts
    p90: timedelta | None
    decided: int  # tickets whose limit is known: answered, or still waiting past the deadline
    within: float | None  # share of `decided` answered within the limit
    breaches: int
    transfers: int


def percentile(values: list[timedelta], share: float) -> timedelta:
    """Nearest-rank percentile: the smallest value with at least `share` of them at or below."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


async def sla_report(
    session: AsyncSession, sla: SLA, tz: ZoneInfo, start: date, end: date, now: datetime
) -> list[KindStats]:
    since = datetime.combine(start, time(), tz)
    until = datetime.combine(end + timedelta(days=1), time(), tz)
    tickets = (
        await session.scalars(
            select(Ticket).where(
                Ticket.created_at >= since,
                Ticket.created_at < until,
                # A comment a moderator found needed no answer was no request to keep a limit for.
                or_(Ticket.closed_by.is_(None), Ticket.closed_by != NO_ANSWER),
            )
        )
    ).all()
    moved = Counter(
        dict(
            (
                await session.execute(
                    select(TicketTransfer.ticket_id, func.count(TicketTransfer.id))
                    .where(TicketTransfer.outcome == "moved")
                    .group_by(TicketTransfer.ticket_id)
                )
            ).all()
        )
    )
    report = []
    for kind in KINDS:
        mine = [ticket for ticket in tickets if ticket.kind == kind]
        times = [
            sla.elapsed(kind, ticket.created_at, ticket.first_reply_at)
            for ticket in mine
            if ticket.first_reply_at is not None
        ]
        # A ticket still waiting before its deadline has not yet kept or broken the limit.
        decided = [t for t in mine if t.first_reply_at is not None or t.first_due <= now]
        kept = [
            t for t in decided if t.first_reply_at is not None and t.first_reply_at <= t.first_due
        ]
        report.append(
            KindStats(
                kind=kind,
                tickets=len(mine),
                median=statistics.median(times) if times else None,
                p90=percentile(times, 0.9) if times else None,
                decided=len(decided),
                within=len(kept) / len(decided) if decided else None,
                breaches=sum(ticket.breaches for ticket in mine),
                transfers=sum(moved[ticket.id] for ticket in mine),
            )
        )
    return report


def _clock(span: timedelta | None) -> str:
    if span is None:
        return "—"
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def render(report: list[KindStats]) -> str:
    lines = [
        f"{'kind':<10} {'tickets':>7} {'median':>7} {'p90':>7} {'within':>7} "
        f"{'breaches':>8} {'transfers':>9}"
    ]
    for row in report:
        within = "—" if row.within is None else f"{round(row.within * 100)}%"
        lines.append(
            f"{row.kind:<10} {row.tickets:>7} {_clock(row.median):>7} {_clock(row.p90):>7} "
            f"{within:>7} {row.breaches:>8} {row.transfers:>9}"
        )
    return "\n".join(lines)
