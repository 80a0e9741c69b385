"""Time is an input: only bot/core/clock.py reads the system clock, and the bot behaves at the
instants that once broke it (run again under faketime by .ci/run)."""

import ast
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.core.calendar import ProductionCalendar
from bot.core.clock import PinnedClock
from bot.tickets.models import Ticket
from tests.conftest import MOSCOW
from tests.support.client import Person

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


@pytest.mark.parametrize("instant", INSTANTS, ids=lambda moment: f"{moment:%a-%d.%m-%H:%M}")
async def test_booking_and_tickets_at_awkward_instants(
    app: App, chat: Person, pinned: PinnedClock, instant: datetime
) -> None:
    pinned.set(instant)
    calendar = ProductionCalendar()
    await chat.send("/start")
    await chat.press(chat.t("menu-booking"))
    await chat.press("booking:o:transport")  # the demo office with Tuesday/Thursday hours
    await chat.press("booking:s:consult")
    days = [b for b in chat.buttons() if b.action.startswith("booking:d:")]
    assert days
    for button in days:
        day = datetime.strptime(button.action.rpartition(":")[2], "%Y%m%d").date()
        assert day >= instant.date() and calendar.is_working_day(day)
        assert button.text == f"{chat.t('booking-weekday', n=day.weekday())} {day:%d.%m}"
    await chat.press(days[0].action)
    times = [b for b in chat.buttons() if b.action.startswith("booking:t:")]
    first = datetime.strptime(times[0].action.rpartition(":")[2], "%Y%m%d%H%M")
    assert times[0].text == f"{first:%H:%M}"
    assert first.replace(tzinfo=MOSCOW) > instant  # never a time already past

    await chat.send("/start")
    await chat.press(chat.t("menu-human"))
    await chat.send("Когда можно забрать документы?")
    await chat.press(chat.t("ticket-kind-question"))
    async with app.sessions() as session:
        ticket = await session.scalar(select(Ticket))
    assert ticket.first_due > instant
    assert ticket.first_due - instant <= timedelta(days=14)  # even across the New Year break
    due = ticket.first_due.astimezone(MOSCOW)
    days = (due.date() - instant.date()).days
    open_now = instant == INSTANTS[0]  # only the Tuesday morning is in the office's hours
    when = (
        chat.t("ticket-when-today", time=f"{due:%H:%M}")
        if days == 0
        else chat.t("ticket-when-weekday", time=f"{due:%H:%M}", weekday=due.weekday())
        if days < 7 and not open_now
        else chat.t("ticket-when-date", time=f"{due:%H:%M}", date=f"{due:%d.%m.%Y}")
    )
    key = "ticket-created" if open_now else "ticket-created-off-hours"
    assert chat.last.text == chat.t(key, number=ticket.id, when=when)
