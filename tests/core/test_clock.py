"""Time is an input: only bot/core/clock.py reads the system clock, and the bot behaves at the
instants that once broke it (run again under faketime by .ci/run)."""

import ast
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core.calendar import ProductionCalendar
from bot.core.clock import PinnedClock
from bot.tickets.models import Ticket
from tests.booking.conftest import DAY_LABEL, TIME_LABEL, press_first
from tests.conftest import MOSCOW

ROOT = Path(__file__).parents[2]
PACKAGES = ("bot", "handlers", "knowledge_base", "scenarios", "surveys")
# Calls that read the system clock; durations (time.monotonic, perf_counter) are not "now".
WALL_CLOCK = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "localtime"),
    ("func", "now"),  # the database server's clock
}


def test_only_the_clock_module_reads_the_system_clock() -> None:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "bot" / "core" / "clock.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                # datetime.now, datetime.datetime.now, time.time, func.now ...
                owner = node.value if isinstance(node, ast.Attribute) else None
                name = owner.id if isinstance(owner, ast.Name) else None
                name = owner.attr if isinstance(owner, ast.Attribute) else name
                imported = isinstance(node, ast.ImportFrom) and any(
                    (node.module, alias.name) in WALL_CLOCK for alias in node.names
                )  # from time import time
                if imported or (name is not None and (name, node.attr) in WALL_CLOCK):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


INSTANTS = [
    datetime(2026, 12, 1, 11, 0, tzinfo=MOSCOW),  # a Tuesday morning: reception day
    datetime(2026, 12, 5, 23, 50, tzinfo=MOSCOW),  # Saturday, ten to midnight
    datetime(2026, 12, 31, 17, 30, tzinfo=MOSCOW),  # New Year's Eve, after a short day
    datetime(2026, 3, 9, 10, 0, tzinfo=MOSCOW),  # Monday, a day off for 8 March
]


def _day(label: str, now: datetime) -> datetime:
    day, month = map(int, label.split()[1].split("."))
    year = now.year + (1 if month < now.month else 0)
    return datetime(year, month, day, tzinfo=MOSCOW)


@pytest.mark.parametrize("instant", INSTANTS, ids=lambda moment: f"{moment:%a-%d.%m-%H:%M}")
async def test_booking_and_tickets_at_awkward_instants(
    app, terminal, pinned: PinnedClock, instant: datetime
) -> None:
    pinned.set(instant)
    calendar = ProductionCalendar()
    await terminal.say("/start")
    await terminal.press("Записаться на приём")
    await terminal.press("Транспортная")
    await terminal.press("Консультация")
    days = [label for label in terminal.labels().values() if DAY_LABEL.match(label)]
    assert days
    for label in days:
        day = _day(label, instant)
        assert day.date() >= instant.date() and calendar.is_working_day(day.date())
    await press_first(terminal, DAY_LABEL)
    times = [label for label in terminal.labels().values() if TIME_LABEL.match(label)]
    first = _day(days[0], instant).replace(hour=int(times[0][:2]), minute=int(times[0][3:]))
    assert first > instant  # never a time already past

    await terminal.say("/start")
    await terminal.press("Связаться с сотрудником")
    await terminal.say("Когда можно забрать документы?")
    receipt = await terminal.press("Вопрос")
    async with app.sessions() as session:
        ticket = await session.scalar(select(Ticket))
    assert ticket.first_due > instant
    assert ticket.first_due - instant <= timedelta(days=14)  # even across the New Year break
    shown = re.search(r"\d\d:\d\d", receipt)
    assert shown and shown[0] == f"{ticket.first_due.astimezone(MOSCOW):%H:%M}"
