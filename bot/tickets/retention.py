"""What is kept of a person's tickets, and for how long.

A closed ticket's texts and file references (the person's and staff's, answers held by the
wording check too) are erased once the retention period in sla.yaml has passed since it
closed, or at once when the person asks to delete their data. The ticket row and its message
rows stay, emptied, with what the reports count: kind, times, breaches, transfers, who
answered; the rating was never tied to it.
Rating comments are kept: they hold no ticket and no person, and are scrubbed when written.
Public comments set aside as needing no answer are kept a week (public/desk.py)."""

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Person
from bot.core.timers import Timers, schedule
from bot.tickets.models import HeldReply, SkippedComment, Ticket, TicketMessage
from bot.tickets.service import CLOSED, PURGE, TicketService

FORGOTTEN = "forget"  # closed_by of a ticket closed because its person deleted their data


def erased(message: TicketMessage) -> bool:
    """An erased message: every kept one has a text or a file."""
    return not message.text and not message.files


async def erase(session: AsyncSession, ticket: Ticket) -> None:
    await session.execute(
        update(TicketMessage).where(TicketMessage.ticket_id == ticket.id).values(text="", files=[])
    )
    ticket.source_ref = {}  # where a public comment was: it points at the person
    await session.execute(delete(HeldReply).where(HeldReply.ticket_id == ticket.id))


class TicketRetention:
    def __init__(self, service: TicketService) -> None:
        self.service = service

    def register(self, timers: Timers) -> None:
        timers.on(PURGE, self._purge)

    async def _purge(self, session: AsyncSession, payload: dict[str, Any], due: datetime) -> None:
        ticket = await session.get(Ticket, payload.get("t"), with_for_update=True)
        if ticket is None or ticket.status != CLOSED or ticket.closed_at is None:
            return
        end = ticket.closed_at + self.service.sla.retention
        if end > due:
            schedule(session, PURGE, end, {"t": ticket.id})  # the period was made longer
            return
        await erase(session, ticket)

    async def forget(self, session: AsyncSession, person: Person, now: datetime) -> int:
        """Erase the texts of all the person's tickets; returns how many open ones closed.

        An open ticket is closed, not left open with its question erased: staff would be
        answering a blank, and the person asked us to forget them. Its topic says so. The
        rating is not offered: nothing about the ticket is asked of them any more."""
        tickets = (
            await session.scalars(
                select(Ticket).where(Ticket.person_id == person.id).with_for_update()
            )
        ).all()
        closed = 0
        for ticket in tickets:
            if ticket.status != CLOSED:
                ticket.status, ticket.closed_at, ticket.closed_by = CLOSED, now, FORGOTTEN
                closed += 1
                self.service.notes.note(session, ticket, "staff-closed-forgotten")
            await erase(session, ticket)
        # Their public comments set aside for a moderator's look go too.
        await session.execute(delete(SkippedComment).where(SkippedComment.person_id == person.id))
        return closed
