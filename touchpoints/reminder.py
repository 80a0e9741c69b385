"""The register's publication deadline, reminded: a restart-safe timer (bot/core/timers.py)
due every day at REMIND_HOUR, office time, compares the register with the published one (as
each start and `touchpoints changes` do), so a change is dated the day it appears even when
nobody looks. On working days, while changes wait, it posts them with their deadlines to the
staff chat's general thread, the overdue ones first; nothing when there are none. Only while a
staff chat is configured, like the quarterly report and the morning pass list."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import clock, outbox, texts
from bot.core.content import ContentError
from bot.core.db import SessionFactory, transaction
from bot.core.messages import Reply
from bot.core.staff import GENERAL, STAFF, STAFF_LOCALE
from bot.core.timers import Timers, has_pending, schedule
from touchpoints import changes
from touchpoints.export import change_line
from touchpoints.models import RegisterChange
from touchpoints.register import Source

REMINDER = "touchpoints.reminder"
REMIND_HOUR = 9
SHOWN_PROBLEMS = 10  # a broken register's problems in one message; the CLI lists them all


class PublicationReminder:
    def __init__(
        self, source: Source, tz: ZoneInfo, *, staff_chat: bool, hour: int = REMIND_HOUR
    ) -> None:
        self.source = source
        self.tz = tz
        # Whether a channel delivers to staff: the assembly says (settings.has_staff_chat).
        self.staff_chat = staff_chat
        self.hour = hour

    def register_timers(self, timers: Timers) -> None:
        timers.on(REMINDER, self._remind)

    async def ensure(self, sessions: SessionFactory) -> None:
        """At start: one pending reminder while a staff chat is configured, today's if its
        hour is still ahead, else tomorrow's."""
        if not self.staff_chat:
            return
        async with transaction(sessions) as session:
            if await has_pending(session, REMINDER):
                return
            local = clock.now().astimezone(self.tz)
            day = local.date() if local.hour < self.hour else local.date() + timedelta(days=1)
            self._plan(session, day)

    def _plan(self, session: AsyncSession, day: date) -> None:
        due = datetime.combine(day, time(self.hour), self.tz)
        schedule(session, REMINDER, due, {"day": day.isoformat()})

    async def _remind(
        self, session: AsyncSession, _payload: dict[str, Any], _due: datetime
    ) -> None:
        if not self.staff_chat:
            return  # the staff chat was taken out of the settings: nothing to plan either
        # Late after a stop, it looks at the register as it is today, then plans tomorrow's.
        today = clock.now().astimezone(self.tz).date()
        self._plan(session, today + timedelta(days=1))
        calendar = self.source.calendar
        try:
            register = await self.source.register(session)
        except ContentError as exc:
            if calendar.is_working_day(today):
                outbox.enqueue(session, STAFF, GENERAL, [broken(exc.problems)])
            return
        waiting = await changes.pending(session, register, today, calendar)
        if waiting and calendar.is_working_day(today):
            outbox.enqueue(session, STAFF, GENERAL, [reminder(waiting, today)])


def reminder(waiting: list[RegisterChange], today: date) -> Reply:
    """The changes waiting for publication, the overdue ones first, each with its deadline."""
    lines = []
    for change in sorted(waiting, key=lambda c: c.due_on):  # stable: the register's order
        due = f"{change.due_on:%d.%m.%Y}"
        key = (
            "touchpoints-remind-overdue"
            if change.due_on < today
            else "touchpoints-remind-today"
            if change.due_on == today
            else "touchpoints-remind-due"
        )
        lines.append(texts.text(STAFF_LOCALE, key, due=due, change=change_line(change)))
    body = texts.text(
        STAFF_LOCALE, "touchpoints-remind", days=changes.PUBLISH_WITHIN, changes="\n".join(lines)
    )
    return Reply(body)


def broken(problems: list[str]) -> Reply:
    shown = problems[:SHOWN_PROBLEMS]
    if len(problems) > len(shown):
        shown.append("…")
    return Reply(texts.text(STAFF_LOCALE, "touchpoints-remind-broken", problems="\n".join(shown)))
