"""How much each touchpoint is used, and which ones people passed before writing to staff:
counted from the interaction log (event codes, never text) and shown only as totals per
touchpoint, so no person can be picked out."""

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Interaction
from touchpoints.register import Register, Row

TICKET_EVENT = "ticket.create"
# What a person did this long before writing to staff counts as the way they came.
BEFORE_TICKET = timedelta(hours=24)


@dataclass(frozen=True)
class Usage:
    row: Row
    uses: int | None  # None: the bot cannot see this touchpoint (no events are named for it)


@dataclass(frozen=True)
class Passed:
    """A touchpoint and how many tickets it came before."""

    row: Row
    tickets: int


@dataclass(frozen=True)
class Paths:
    tickets: int  # tickets written in the period
    rows: tuple[Passed, ...]  # most passed first; touchpoints passed before none are left out


def matches(row: Row, channel: str, event: str, ref: str | None) -> bool:
    if row.channel is not None and row.channel != channel:
        return False
    if row.ref_prefix is not None and not (ref or "").startswith(row.ref_prefix):
        return False
    return any(_event(spec, event, ref) for spec in row.events)


def _event(spec: str, event: str, ref: str | None) -> bool:
    name, _, wanted = spec.partition(":")
    return name == event and (not wanted or wanted == ref)


def _events(register: Register) -> list[str]:
    """The event codes any row counts (what the log is read for)."""
    return sorted({spec.partition(":")[0] for row in register.rows for spec in row.events})


async def usage(
    session: AsyncSession, register: Register, start: datetime, end: datetime
) -> list[Usage]:
    """Every row of the register with its uses in [start, end): 0 for one nobody used."""
    counted = await session.execute(
        select(Interaction.channel, Interaction.event, Interaction.ref, func.count())
        .where(
            Interaction.at >= start,
            Interaction.at < end,
            Interaction.event.in_(_events(register)),
        )
        .group_by(Interaction.channel, Interaction.event, Interaction.ref)
    )
    counts = [(tuple(key), n) for *key, n in counted]
    return [
        Usage(row, sum(n for key, n in counts if matches(row, *key)) if row.events else None)
        for row in register.rows
    ]


async def before_tickets(
    session: AsyncSession, register: Register, start: datetime, end: datetime
) -> Paths:
    """For the tickets written in [start, end): how many were preceded, within a day and by
    the same person, by a use of each touchpoint (the ticket's own step is not counted)."""
    log = await session.execute(
        select(
            Interaction.person_id,
            Interaction.at,
            Interaction.channel,
            Interaction.event,
            Interaction.ref,
        )
        .where(
            Interaction.at >= start - BEFORE_TICKET,
            Interaction.at < end,
            Interaction.event.in_([*_events(register), TICKET_EVENT]),
        )
        .order_by(Interaction.at)
    )
    tickets: list[tuple[int, datetime]] = []
    steps: dict[int, list[tuple[datetime, frozenset[str]]]] = {}  # by person, in time order
    rows_of: dict[tuple[str, str, str | None], frozenset[str]] = {}
    for person, at, channel, event, ref in log:
        if event == TICKET_EVENT:
            if at >= start:
                tickets.append((person, at))
            continue
        key = (channel, event, ref)
        if key not in rows_of:
            rows_of[key] = frozenset(row.key for row in register.rows if matches(row, *key))
        if rows_of[key]:
            steps.setdefault(person, []).append((at, rows_of[key]))
    passed: Counter[str] = Counter()
    for person, at in tickets:
        earlier = steps.get(person, [])
        first = bisect_left(earlier, at - BEFORE_TICKET, key=lambda step: step[0])
        last = bisect_left(earlier, at, key=lambda step: step[0])
        passed.update(set().union(*(keys for _, keys in earlier[first:last])))
    rows = {row.key: row for row in register.rows}
    return Paths(len(tickets), tuple(Passed(rows[key], n) for key, n in passed.most_common()))
