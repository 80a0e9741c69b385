"""The reply-limit timers of a ticket (planned by TicketService.plan): reminders to whoever
handles it, the breach report, and the auto-close of an answered ticket the person left.
Each handler re-checks that its limit still runs: an answer, a moved deadline or a close
since it was planned make it a no-op."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.timers import Timers
from bot.tickets import cards
from bot.tickets.cards import STAFF_LOCALE
from bot.tickets.models import Ticket
from bot.tickets.service import ANSWERED, AUTOCLOSE, BREACH, CLOSED, REMIND, TicketService


def waiting(ticket: Ticket | None, payload: dict[str, Any]) -> bool:
    """Whether the limit the timer serves still runs: no reply yet (first), no final answer
    after an interim one (final), and the deadline has not moved since."""
    if ticket is None or ticket.status == CLOSED:
        return False
    if payload["stage"] == "first":
        return ticket.first_reply_at is None
    planned = payload.get("deadline")
    moved = planned is not None and ticket.final_due is not None
    if moved and datetime.fromisoformat(planned) != ticket.final_due:
        return False
    return ticket.interim_at is not None and ticket.final_at is None


class SlaTimers:
    def __init__(self, service: TicketService) -> None:
        self.service = service

    def register_timers(self, timers: Timers) -> None:
        timers.on(REMIND, self.remind)
        timers.on(BREACH, self.breach)
        timers.on(AUTOCLOSE, self.autoclose)

    async def remind(self, session: AsyncSession, payload: dict[str, Any], due: datetime) -> None:
        """To whoever took the ticket, else in its thread for all staff."""
        ticket = await session.get(Ticket, payload["t"])
        if not waiting(ticket, payload):
            return
        assert ticket is not None
        deadline = ticket.first_due if payload["stage"] == "first" else ticket.final_due
        assert deadline is not None
        reminder = cards.reminder(ticket.id, deadline, due)
        notes = self.service.notes
        if ticket.assignee_id is not None:
            notes.to_assignee(session, ticket.assignee_id, reminder)
        else:
            notes.to_topic(session, ticket.id, [reminder])

    async def breach(self, session: AsyncSession, payload: dict[str, Any], due: datetime) -> None:
        ticket = await session.get(Ticket, payload["t"])
        if not waiting(ticket, payload):
            return
        assert ticket is not None
        ticket.breaches += 1
        if ticket.breached_at is None:
            ticket.breached_at = due
        when = cards.when(STAFF_LOCALE, due, due, self.service.tz)
        self.service.notes.note(session, ticket, "staff-breach", due=when)
        await self.service.notes.to_supervisors(session, ticket, "staff-breach", due=when)

    async def autoclose(
        self, session: AsyncSession, payload: dict[str, Any], due: datetime
    ) -> None:
        ticket = await session.scalar(
            select(Ticket).where(Ticket.id == payload["t"]).with_for_update()
        )
        if ticket is None or ticket.status != ANSWERED or ticket.answer_seq != payload["seq"]:
            return
        await self.service.close(session, ticket, "auto", due)
