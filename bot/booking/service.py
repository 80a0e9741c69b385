"""What booking, moving and cancelling do besides taking or freeing the seat (book.py): the
booking's timers, the waitlist, the security desk's list once it went out, the e-mail copy.
Takes the handler's session and never opens a transaction: the dialogue's commit is the
one that keeps a booking and everything it caused together."""

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking import book, waitlist
from bot.booking.book import Slot
from bot.booking.crypto import Vault
from bot.booking.models import Booking
from bot.booking.reminders import BookingTimers
from bot.booking.schedule import Schedule
from bot.core import outbox
from bot.core.messages import Reply


class Bookings:
    def __init__(
        self, schedule: Schedule, vault: Vault, timers: BookingTimers, *, email: bool
    ) -> None:
        self.schedule = schedule
        self.vault = vault
        self.timers = timers
        self.email = email  # an SMTP server is configured

    async def book(
        self,
        session: AsyncSession,
        person_id: int,
        slot: Slot,
        now: datetime,
        *,
        hold_id: int | None,
        personal: dict[str, Any],
        doc_type: str | None,
    ) -> Booking:
        """Confirm the person's hold (or a free seat); NotOffered, SlotTaken as book.book."""
        has_pass = bool(personal.get("surname"))
        booking = await book.book(
            session,
            self.schedule,
            person_id,
            slot,
            now,
            hold_id=hold_id,
            personal=self.vault.seal(personal) if personal else None,
            doc_type=doc_type if has_pass else None,
        )
        await session.flush()
        self.timers.plan(session, booking, now)
        await self.timers.ensure_pass_list(session)
        await waitlist.leave(session, person_id, slot.office.id, slot.service.id)
        if has_pass:
            await self._late_visitor(session, slot)
        return booking

    def send_copy(self, session: AsyncSession, booking: Booking, confirmation: Reply) -> None:
        """The confirmation by e-mail too, where e-mail is set up. The address stays sealed in
        the booking; the e-mail sender looks it up by the booking's id."""
        if self.email:
            outbox.enqueue(session, "email", f"booking:{booking.id}", [confirmation])

    async def move(
        self,
        session: AsyncSession,
        booking: Booking,
        slot: Slot,
        now: datetime,
        *,
        hold_id: int | None,
    ) -> None:
        """Move to another slot of its service; NotOffered, SlotTaken as book.move."""
        old = await book.move(session, self.schedule, booking, slot, now, hold_id=hold_id)
        self.timers.plan(session, booking, now)
        await waitlist.offer_freed_seat(
            session, self.schedule, booking.office, booking.service, old, now
        )
        if booking.personal:
            await self._late_visitor(session, slot)

    async def cancel(self, session: AsyncSession, booking: Booking, now: datetime) -> None:
        old = booking.starts_at
        book.cancel(booking, now)
        await waitlist.offer_freed_seat(
            session, self.schedule, booking.office, booking.service, old, now
        )

    async def _late_visitor(self, session: AsyncSession, slot: Slot) -> None:
        """A visitor with a pass on a day whose morning list went out: the desk needs the
        list again."""
        day = slot.start.astimezone(self.schedule.tz).date()
        if self.timers.after_list_sent(day):
            await self.timers.send_pass_list(session, slot.office.id, day)
