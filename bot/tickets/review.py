"""A staff answer read against the communication rules (wording.py) before it goes out. A
clean answer goes at once. One the check has a word about waits: the findings go to the
ticket's thread with "Отправить как есть" and "Исправить", and the author decides; the check
never blocks an answer. A newer message of the same author replaces their held one, so a fix
is simply written anew. Like the service, it takes the caller's session."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import FileRef
from bot.tickets import cards
from bot.tickets.models import TEXT_LIMIT, HeldReply, Ticket
from bot.tickets.relay import FileFetcher, StaffRef
from bot.tickets.service import CLOSED, TicketService, file_refs, plain_files
from bot.tickets.wording import Wording


class Deliver(Protocol):
    async def __call__(
        self,
        session: AsyncSession,
        ticket: Ticket,
        staff: StaffRef,
        text: str,
        files: Sequence[FileRef],
        now: datetime,
        fetch: FileFetcher | None = None,
    ) -> bool: ...


class Review:
    def __init__(self, service: TicketService, wording: Wording, deliver: Deliver) -> None:
        self.service = service
        self.wording = wording
        self.deliver = deliver  # the answer, or the missing-documents notice (docs.py)

    async def submit(
        self,
        session: AsyncSession,
        ticket: Ticket,
        staff: StaffRef,
        text: str,
        files: Sequence[FileRef],
        now: datetime,
        fetch: FileFetcher | None = None,
    ) -> bool:
        """Send the answer or hold it with the findings; False if the ticket is closed."""
        if ticket.status == CLOSED:
            return False
        await session.execute(
            delete(HeldReply).where(
                HeldReply.ticket_id == ticket.id,
                HeldReply.channel == staff.channel,
                HeldReply.external_id == staff.external_id,
            )
        )
        findings = self.wording.check(text)
        if not findings:
            return await self.deliver(session, ticket, staff, text, files, now, fetch)
        held = HeldReply(
            ticket_id=ticket.id,
            channel=staff.channel,
            external_id=staff.external_id,
            text=text[:TEXT_LIMIT],
            files=plain_files(files),
            at=now,
        )
        session.add(held)
        await session.flush()
        warning = cards.wording_warning(ticket.id, held.id, findings)
        self.service.notes.to_topic(session, ticket.id, [warning])
        return True

    async def send_as_is(
        self,
        session: AsyncSession,
        ticket: Ticket,
        held_id: int,
        staff: StaffRef,
        now: datetime,
        fetch: FileFetcher | None = None,
    ) -> str:
        """The author keeps their words: the held answer goes, signed, as any other."""
        held, refused = await self._own(session, ticket, held_id, staff)
        if held is None:
            return refused
        await session.delete(held)
        files = file_refs(held.files)
        await self.deliver(session, ticket, staff, held.text, files, now, fetch)
        return cards.staff_text("staff-sent")

    async def fix(
        self, session: AsyncSession, ticket: Ticket, held_id: int, staff: StaffRef
    ) -> str:
        held, refused = await self._own(session, ticket, held_id, staff)
        if held is None:
            return refused
        await session.delete(held)
        return cards.staff_text("staff-held-fix")

    @staticmethod
    async def _own(
        session: AsyncSession, ticket: Ticket, held_id: int, staff: StaffRef
    ) -> tuple[HeldReply | None, str]:
        """The held answer if `staff` wrote it, else None and the notice why not: only its
        author decides about their words."""
        held = await session.scalar(
            select(HeldReply).where(HeldReply.id == held_id, HeldReply.ticket_id == ticket.id)
        )
        if held is None:
            return None, cards.staff_text("staff-held-gone")
        if (held.channel, held.external_id) != (staff.channel, staff.external_id):
            return None, cards.staff_text("staff-held-not-yours")
        return held, ""
