"""Restart-safe timers of a booking: reminders, automatic no-show, pass-data purge, and the
morning pass list for the staff chat. Each handler re-reads the booking and does nothing if
it no longer applies (cancelled, moved, already past), so a reminder that comes due while
the bot was down goes out at start only while still useful, and a timer fires once."""

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking import notices
from bot.booking.crypto import Vault
from bot.booking.models import BOOKED, NO_SHOW, Booking
from bot.booking.passes import pass_list_replies
from bot.booking.schedule import Schedule
from bot.core import clock, outbox
from bot.core.models import Person
from bot.core.staff import GENERAL, STAFF
from bot.core.timers import Timers, has_pending, schedule

REMIND = "booking.remind"
NO_SHOW_CHECK = "booking.noshow"
PURGE = "booking.purge"
PASS_LIST = "booking.passlist"


class BookingTimers:
    def __init__(self, rules: Schedule, vault: Vault, *, staff_chat: bool) -> None:
        self.rules = rules
        self.vault = vault
        # Whether the channels know a staff chat: the assembly says, only they know where.
        self.staff_chat = staff_chat

    def register(self, timers: Timers) -> None:
        timers.on(REMIND, self._remind)
        timers.on(NO_SHOW_CHECK, self._no_show)
        timers.on(PURGE, self._purge)
        timers.on(PASS_LIST, self._pass_list)

    def plan(self, session: AsyncSession, booking: Booking, now: datetime) -> None:
        """Timers of a new or moved booking; those of its old time find it moved and idle."""
        start = booking.starts_at.isoformat()
        for hours in self.rules.rules.reminder_hours:
            due = booking.starts_at - timedelta(hours=hours)
            if due > now:
                schedule(session, REMIND, due, {"booking": booking.id, "start": start, "h": hours})
        schedule(session, NO_SHOW_CHECK, booking.ends_at, {"booking": booking.id, "start": start})
        purge_at = booking.ends_at + timedelta(days=self.rules.rules.purge_after_days)
        schedule(session, PURGE, purge_at, {"booking": booking.id})

    async def ensure_pass_list(self, session: AsyncSession) -> None:
        """Keep one pending morning pass-list timer while a staff chat is configured."""
        if not self.staff_chat:
            return
        if not await has_pending(session, PASS_LIST):
            local = clock.now().astimezone(self.rules.tz)
            day = local.date() if local.hour < self.rules.rules.pass_list_hour else None
            self._next_pass_list(session, day or local.date() + timedelta(days=1))

    def _next_pass_list(self, session: AsyncSession, day: date) -> None:
        due = datetime.combine(day, time(self.rules.rules.pass_list_hour), self.rules.tz)
        schedule(session, PASS_LIST, due, {"day": day.isoformat()})

    async def send_pass_list(self, session: AsyncSession, office_id: str, day: date) -> None:
        office = self.rules.office(office_id)
        if office is None or not office.pass_regime or not self.staff_chat:
            return
        replies = await pass_list_replies(session, self.rules, self.vault, office, day)
        outbox.enqueue(session, STAFF, GENERAL, replies)

    def after_list_sent(self, day: date) -> bool:
        """Has this day's morning list gone out already (so a new visitor needs an update)?"""
        local = clock.now().astimezone(self.rules.tz)
        return local.date() == day and local.hour >= self.rules.rules.pass_list_hour

    async def _booking(
        self, session: AsyncSession, payload: dict[str, Any], status: str = BOOKED
    ) -> Booking | None:
        booking = await session.get(Booking, payload.get("booking"), with_for_update=True)
        if booking is None or booking.status != status:
            return None
        if "start" in payload and booking.starts_at.isoformat() != payload["start"]:
            return None  # moved since: the timers of its new time will do
        return booking

    async def _remind(
        self, session: AsyncSession, payload: dict[str, Any], _due: datetime
    ) -> None:
        booking = await self._booking(session, payload)
        now = clock.now()
        if booking is None or now >= booking.starts_at:
            return
        # After a long stop both reminders may be due: send only the nearer one.
        nearest = min(self.rules.rules.reminder_hours)
        if payload["h"] != nearest and now >= booking.starts_at - timedelta(hours=nearest):
            return
        person = await session.get(Person, booking.person_id)
        if person is None:
            return
        reply = notices.reminder(person.locale, booking, self.rules, payload["h"])
        outbox.enqueue(session, person.channel, person.chat_id, [reply])

    async def _no_show(
        self, session: AsyncSession, payload: dict[str, Any], _due: datetime
    ) -> None:
        booking = await self._booking(session, payload)
        if booking is not None:
            booking.status = NO_SHOW

    async def _purge(self, session: AsyncSession, payload: dict[str, Any], _due: datetime) -> None:
        booking = await session.get(Booking, payload.get("booking"), with_for_update=True)
        keep = timedelta(days=self.rules.rules.purge_after_days)
        if booking is not None and booking.ends_at + keep <= clock.now():
            booking.personal = None

    async def _pass_list(
        self, session: AsyncSession, payload: dict[str, Any], _due: datetime
    ) -> None:
        day = date.fromisoformat(payload["day"])
        for office in self.rules.offices:
            await self.send_pass_list(session, office.id, day)
        self._next_pass_list(session, day + timedelta(days=1))
