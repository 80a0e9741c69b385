"""Missing documents on a ticket. "Не хватает документов" under the card records the moment the
problem was found (through the notices port, which reminds staff before 24 hours pass) and asks
for the notice; the presser's next message in the ticket's thread is it (a colleague's message
is an ordinary answer). The notice is read against the communication rules and signed like any
answer, kept with the ticket like any staff message, goes to the person with a button to send
the documents into this ticket, and, once it reaches them, counts as the ticket's first
reply."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.inbox import steer
from bot.core.messages import FileRef
from bot.core.missing import TICKET, MissingDocs
from bot.core.models import Person
from bot.core.staff import signed as staff_signed
from bot.tickets import cards
from bot.tickets.actions import EARLIER_HOURS, FEATURE, REPLY
from bot.tickets.models import Ticket
from bot.tickets.ratings import private_chat
from bot.tickets.relay import SOURCE_CHANNEL, FileFetcher, StaffRef
from bot.tickets.service import CLOSED, TicketService


class TicketDocs:
    def __init__(self, service: TicketService, missing: MissingDocs) -> None:
        self.service = service
        self.missing = missing

    async def found(
        self, session: AsyncSession, ticket: Ticket, staff: StaffRef, now: datetime
    ) -> str | None:
        """The button: the problem is found now; a notice for the presser if the person
        cannot be told (a public commenter who never wrote to the bot in private)."""
        if not await self.reachable(session, ticket):
            return cards.staff_text("staff-docs-public", number=ticket.id)
        await self._ask(session, ticket, staff, now, now)
        return None

    async def earlier(
        self, session: AsyncSession, ticket: Ticket, staff: StaffRef, hours: int, now: datetime
    ) -> str | None:
        """Found `hours` before the press: the 24 hours run from then (a new ask with the
        nearer deadline); nothing once the notice was written or withdrawn."""
        if hours not in EARLIER_HOURS:
            return None  # a forged button
        if await self.missing.waiting(session, TICKET, ticket.id) is None:
            return cards.staff_text("staff-docs-gone", number=ticket.id)
        await self._ask(session, ticket, staff, now - timedelta(hours=hours), now)
        return None

    async def _ask(
        self, session: AsyncSession, ticket: Ticket, staff: StaffRef, at: datetime, now: datetime
    ) -> None:
        """Record the problem as found at `at` by `staff` and ask them for the notice."""
        due = await self.missing.found(
            session, TICKET, ticket.id, ticket.person_id, at, staff.name, author=staff.author
        )
        ask = cards.docs_ask(ticket.id, due, now, self.service.tz)
        self.service.notes.to_topic(session, ticket.id, [ask])

    async def reachable(self, session: AsyncSession, ticket: Ticket) -> bool:
        """Whether a notice can reach the person: not a public commenter who never wrote to
        the bot in private (a notice cannot go under a comment)."""
        if ticket.source not in SOURCE_CHANNEL:
            return True
        return await private_chat(session, await self._person(session, ticket))

    async def deliver(
        self,
        session: AsyncSession,
        ticket: Ticket,
        staff: StaffRef,
        text: str,
        files: Sequence[FileRef],
        now: datetime,
        fetch: FileFetcher | None = None,
    ) -> bool:
        """A staff message for the person, reviewed already: the notice the author was asked
        for, or an answer. False if the ticket is closed."""
        if ticket.status == CLOSED:
            return False
        notice = await self.missing.waiting(session, TICKET, ticket.id, staff.author)
        if notice is None:
            return await self.service.staff_reply(session, ticket, staff, text, files, now, fetch)
        await self.send(session, ticket, notice, staff, text, files, now, fetch)
        return True

    async def cancel(self, session: AsyncSession, ticket: Ticket, now: datetime) -> None:
        if await self.missing.cancel(session, TICKET, ticket.id, now):
            self.service.notes.note(session, ticket, "staff-docs-cancelled")

    async def waiting(self, session: AsyncSession, ticket: Ticket) -> int | None:
        """The notice waiting for its text on this ticket, whoever was asked for it."""
        return await self.missing.waiting(session, TICKET, ticket.id)

    async def send(
        self,
        session: AsyncSession,
        ticket: Ticket,
        notice: int,
        staff: StaffRef,
        text: str,
        files: Sequence[FileRef],
        now: datetime,
        fetch: FileFetcher | None = None,
    ) -> None:
        person = await self._person(session, ticket)
        service = self.service
        service._add_message(session, ticket, "staff", text, files, now, staff.name)
        # A pending auto-close no longer applies: the person now has documents to bring.
        ticket.answer_seq += 1
        relayed = await service._relay_files(person, staff, files, fetch)
        signed = staff_signed(person.locale, text, service.signature, staff.name, staff.position)
        await self.missing.send(
            session, notice, person, signed, REPLY.pack(ticket.id), relayed, now=now
        )
        if ticket.source not in SOURCE_CHANNEL:
            # What a person idle in the menu sends next (the documents) goes to the ticket.
            await steer(
                session,
                person.id,
                to=(FEATURE, "open", {"n": ticket.id}),
                unless_busy_except=(FEATURE, "open"),
            )
        service.notes.note(session, ticket, "staff-docs-sent")
        service._log(session, person, "ticket.docs", ticket)

    async def reached(self, session: AsyncSession, number: int, at: datetime) -> None:
        """The notice reached the person: it is the ticket's first reply if none came yet."""
        ticket = await session.scalar(select(Ticket).where(Ticket.id == number).with_for_update())
        if ticket is not None and ticket.first_reply_at is None:
            ticket.first_reply_at = at

    @staticmethod
    async def _person(session: AsyncSession, ticket: Ticket) -> Person:
        person = await session.get(Person, ticket.person_id)
        assert person is not None  # tickets go with their person (ON DELETE CASCADE)
        return person
