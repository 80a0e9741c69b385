"""Public comments on the way to a ticket: the triage's verdict, the short receipt posted
under a comment that became one ("Ответим здесь до 14:30"), the comments set aside, and the
moderator's two overrides: make a set-aside comment a ticket, or close a ticket opened by
mistake as needing no answer (it then counts in no SLA figure); the set-aside comments are
also listed in the staff chat once a working day (digest.py). Takes the caller's session."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import texts
from bot.core.messages import Reply
from bot.core.models import Person
from bot.core.outbox import enqueue
from bot.core.privacy import mask
from bot.core.timers import schedule
from bot.tickets import cards
from bot.tickets.models import SkippedComment, Ticket
from bot.tickets.public.digest import AsideList
from bot.tickets.public.triage import Triage
from bot.tickets.relay import SOURCE_CHANNEL, StaffRef
from bot.tickets.service import CLOSED, PURGE, TicketService

# Closed by a moderator: the comment needed no answer (the breach report leaves it out).
NO_ANSWER = "no_answer"
# A set-aside comment is offered to moderators this long, then erased.
SKIPPED_KEEP = timedelta(days=7)
SKIPPED_TEXT = 1000


class PublicDesk:
    def __init__(self, service: TicketService, triage: Triage) -> None:
        self.service = service
        self.triage = triage
        # The daily list of set-aside comments for the staff chat.
        self.aside = AsideList(service.sla.office, staff_chat=service.notes.staff_chat)

    async def comment(
        self,
        session: AsyncSession,
        person: Person,
        kind: str,
        text: str,
        source: str,
        reply_to: str,
        now: datetime,
    ) -> int | None:
        """A comment or mention: a ticket with its receipt, or set aside (None)."""
        reason = self.triage.skip(text)
        if reason is None:
            return (await self.open(session, person, kind, text, source, reply_to, now)).id
        # Past the keeping time a set-aside comment is not offered, so it is not kept either.
        await session.execute(delete(SkippedComment).where(SkippedComment.at < now - SKIPPED_KEEP))
        session.add(
            SkippedComment(
                person_id=person.id,
                kind=kind,
                source=source,
                reply_to=reply_to,
                text=mask(text)[:SKIPPED_TEXT],
                reason=reason,
                at=now,
            )
        )
        await self.aside.ensure(session, now)
        return None

    async def open(
        self,
        session: AsyncSession,
        person: Person,
        kind: str,
        text: str,
        source: str,
        reply_to: str,
        now: datetime,
    ) -> Ticket:
        """The ticket, and the receipt under the comment: in the outbox like any answer, so a
        messenger outage delays it but does not lose it, and it precedes the answer."""
        ticket = await self.service.create(
            session, person, kind, text, (), now, source=source, source_ref={"to": reply_to}
        )
        locale, tz = person.locale, self.service.tz
        if self.service.sla.office.is_open(now):
            key, when = "ticket-public-receipt", cards.when(locale, ticket.first_due, now, tz)
        else:  # at night the answer comes in the office's hours: say which day
            key = "ticket-public-receipt-off-hours"
            when = cards.when_weekday(locale, ticket.first_due, now, tz)
        receipt = Reply(texts.text(locale, key, when=when))
        enqueue(session, SOURCE_CHANNEL[source], reply_to, [receipt])
        return ticket

    async def skipped(
        self, session: AsyncSession, now: datetime, limit: int
    ) -> list[SkippedComment]:
        """The newest set-aside comments still waiting for a moderator's look."""
        return list(
            await session.scalars(
                select(SkippedComment)
                .where(SkippedComment.ticket_id.is_(None), SkippedComment.at >= now - SKIPPED_KEEP)
                .order_by(SkippedComment.id.desc())
                .limit(limit)
            )
        )

    async def make_ticket(
        self, session: AsyncSession, number: int, now: datetime
    ) -> tuple[SkippedComment | None, Ticket | None]:
        """A moderator's "needs an answer after all": the ticket's clock starts now, when the
        office decided it needs one. (row, None) when it was made a ticket already."""
        row = await session.scalar(
            select(SkippedComment).where(SkippedComment.id == number).with_for_update()
        )
        if row is None or row.ticket_id is not None:
            return row, None
        person = await session.get(Person, row.person_id)
        assert person is not None  # the row goes with the person
        ticket = await self.open(
            session, person, row.kind, row.text, row.source, row.reply_to, now
        )
        row.ticket_id = ticket.id
        return row, ticket

    def dismiss(
        self, session: AsyncSession, ticket: Ticket, staff: StaffRef, now: datetime
    ) -> str:
        """Close a public ticket that needed no answer; its timers find it closed. Returns the
        notice for the moderator."""
        if ticket.source not in SOURCE_CHANNEL:
            return cards.staff_text("staff-no-answer-private", number=ticket.id)
        ticket.status, ticket.closed_at, ticket.closed_by = CLOSED, now, NO_ANSWER
        schedule(session, PURGE, now + self.service.sla.retention, {"t": ticket.id})
        self.service.notes.note(session, ticket, "staff-no-answer", name=staff.name)
        return cards.staff_text("staff-no-answer-done", number=ticket.id)
