"""Messages to staff: a ticket's own thread and whoever took it go to the one virtual staff
destination (bot.core.staff.STAFF), which only the channels resolve; supervisors and a
colleague handed a ticket are written to in their own chat. Without a staff chat nothing is
queued (staff then work with `priemnaya tickets`)."""

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Reply
from bot.core.models import Person
from bot.core.outbox import enqueue
from bot.core.staff import STAFF, Role, StaffMember, member, ticket_topic
from bot.tickets import cards
from bot.tickets.models import Ticket
from bot.tickets.ports import PersonBookings

HISTORY_SHOWN = 5  # earlier tickets and bookings listed on a new ticket's card, each


class StaffNotes:
    def __init__(self, staff_chat: bool, tz: ZoneInfo, bookings: PersonBookings) -> None:
        self.staff_chat = staff_chat
        self.tz = tz
        self.bookings = bookings

    def to_topic(self, session: AsyncSession, number: int, replies: Sequence[Reply]) -> None:
        if self.staff_chat:
            enqueue(session, STAFF, ticket_topic(number), replies)

    def note(self, session: AsyncSession, ticket: Ticket, key: str, **args: object) -> None:
        """A line from the catalog in the ticket's thread."""
        self.to_topic(session, ticket.id, [cards.staff_note(key, ticket.id, **args)])

    def to_assignee(self, session: AsyncSession, external_id: str, reply: Reply) -> None:
        """To whoever took the ticket in the staff chat, in private: the staff chat's channel
        knows who that is."""
        if self.staff_chat:
            enqueue(session, STAFF, member(external_id), [reply])

    def to_member(self, session: AsyncSession, colleague: StaffMember, reply: Reply) -> None:
        """To a registered member in their own chat, on the channel they were added for
        (`priemnaya staff add --channel vk` works too)."""
        if self.staff_chat:
            enqueue(session, colleague.channel, colleague.external_id, [reply])

    async def to_supervisors(
        self, session: AsyncSession, ticket: Ticket, key: str, **args: object
    ) -> None:
        if not self.staff_chat:
            return
        supervisors = await session.scalars(
            select(StaffMember).where(StaffMember.role == Role.SUPERVISOR)
        )
        reply = cards.staff_note(key, ticket.id, **args)
        for supervisor in supervisors:
            self.to_member(session, supervisor, reply)

    async def card(
        self, session: AsyncSession, ticket: Ticket, person: Person, text: str, now: datetime
    ) -> Reply:
        """The new ticket's card, with what staff should know of the person's other visits."""
        others = Ticket.person_id == person.id, Ticket.id != ticket.id
        earlier = await session.scalar(select(func.count(Ticket.id)).where(*others))
        latest = await session.scalars(
            select(Ticket).where(*others).order_by(Ticket.id.desc()).limit(HISTORY_SHOWN)
        )
        visits = await self.bookings(session, person.id, HISTORY_SHOWN)
        return cards.staff_card(
            ticket.id,
            ticket.kind,
            ticket.source,
            person.channel,
            ticket.first_due,
            text,
            cards.PersonHistory(earlier or 0, latest.all(), visits),
            now,
            self.tz,
        )
