"""The register's change log: what differs from the last published version, for the reasons
the regulations name (a touchpoint added or removed, its kind or its needs changed), and the
day by which the updated register must be published: 10 working days after the change was
first seen, by the office's production calendar."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.calendar import ProductionCalendar
from touchpoints.models import NAME_LIMIT, RegisterChange, RegisterVersion
from touchpoints.register import Register
from touchpoints.schema import Kind, Need

PUBLISH_WITHIN = 10  # working days


class Reason(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    KIND = "kind"
    NEEDS = "needs"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = {
    Reason.ADDED: "добавлена точка взаимодействия",
    Reason.REMOVED: "исключена точка взаимодействия",
    Reason.KIND: "изменён вид точки (цифровая или офлайн)",
    Reason.NEEDS: "изменены потребности клиента",
}


def deadline(found_on: date, calendar: ProductionCalendar) -> date:
    """The 10th working day after `found_on` (the day itself is not counted)."""
    day, left = found_on, PUBLISH_WITHIN
    while left:
        day += timedelta(days=1)
        left -= calendar.is_working_day(day)
    return day


def snapshot(register: Register) -> dict[str, dict[str, Any]]:
    return {
        row.key: {
            "process": row.process,
            "touchpoint": row.touchpoint,
            "kind": row.kind.value,
            "needs": [need.value for need in row.needs],
        }
        for row in register.rows
    }


@dataclass(frozen=True)
class Difference:
    key: str
    process: str
    touchpoint: str
    reason: Reason
    before: str | None
    after: str | None


def compare(
    published: dict[str, dict[str, Any]], current: dict[str, dict[str, Any]]
) -> list[Difference]:
    found = []
    for key, row in current.items():
        old = published.get(key)
        if old is None:
            found.append(_difference(key, row, Reason.ADDED, None, _kind(row["kind"])))
            continue
        if old["kind"] != row["kind"]:
            found.append(
                _difference(key, row, Reason.KIND, _kind(old["kind"]), _kind(row["kind"]))
            )
        if old["needs"] != row["needs"]:
            found.append(_difference(key, row, Reason.NEEDS, _needs(old), _needs(row)))
    for key, old in published.items():
        if key not in current:
            found.append(_difference(key, old, Reason.REMOVED, _kind(old["kind"]), None))
    return found


def _difference(
    key: str, row: dict[str, Any], reason: Reason, before: str | None, after: str | None
) -> Difference:
    return Difference(key, row["process"], row["touchpoint"], reason, before, after)


def _kind(value: str) -> str:
    return Kind(value).label


def _needs(row: dict[str, Any]) -> str:
    return "; ".join(Need(value).label for value in row["needs"])[:NAME_LIMIT]


async def last_published(session: AsyncSession) -> RegisterVersion | None:
    return await session.scalar(
        select(RegisterVersion).order_by(RegisterVersion.id.desc()).limit(1)
    )


async def pending(
    session: AsyncSession, register: Register, today: date, calendar: ProductionCalendar
) -> list[RegisterChange]:
    """The changes not yet published, each found on the day it was first seen (so its
    deadline does not move); one undone before publication is dropped. Before the first
    publication there is nothing to compare with: the first register is the baseline."""
    version = await last_published(session)
    if version is None:
        return []
    waiting = {
        (c.key, c.reason, c.after): c
        for c in await session.scalars(
            select(RegisterChange).where(RegisterChange.published_on.is_(None))
        )
    }
    changes = []
    for found in compare(version.rows, snapshot(register)):
        change = waiting.pop((found.key, found.reason.value, found.after), None)
        if change is None:
            change = RegisterChange(
                key=found.key,
                process=found.process[:NAME_LIMIT],
                touchpoint=found.touchpoint[:NAME_LIMIT],
                reason=found.reason.value,
                before=found.before,
                after=found.after,
                found_on=today,
                due_on=deadline(today, calendar),
            )
            session.add(change)
        changes.append(change)
    for undone in waiting.values():
        await session.delete(undone)
    return changes


async def publish(
    session: AsyncSession, register: Register, today: date, calendar: ProductionCalendar
) -> list[RegisterChange]:
    """Record `register` as published today: its pending changes are dated, and the next
    register is compared with this one."""
    changes = await pending(session, register, today, calendar)
    for change in changes:
        change.published_on = today
    session.add(RegisterVersion(published_on=today, rows=snapshot(register)))
    return changes


async def history(session: AsyncSession) -> list[RegisterChange]:
    """Every change, the newest first."""
    return list(
        await session.scalars(
            select(RegisterChange).order_by(
                RegisterChange.found_on.desc(), RegisterChange.id.desc()
            )
        )
    )
