"""The staff side's entry points, for the channels and the command line: a message in a
ticket's thread, a button under a card, a public comment or mention that becomes a ticket,
and the storage of the staff chat's topic ids. Each opens its own transaction (through the
core inbox where the update has an id), reads the staff chat's buttons, and leaves the rules
to the service."""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import Action, Parsed, StaleAction, integer, parse
from bot.core.db import SessionFactory, retried, transaction
from bot.core.inbox import Inbox, person_of
from bot.core.messages import FileRef
from bot.core.missing import MissingDocs
from bot.core.staff import Role, StaffMember
from bot.tickets import cards
from bot.tickets.actions import (
    AS_IS,
    CLOSE,
    DOCS,
    DOCS_CANCEL,
    DOCS_EARLIER,
    FIX,
    INTERIM,
    NO_ANSWER,
    SEE,
    SEND_DRAFT,
    STAFF_ACTIONS,
    STAFF_PREFIX,
    TAKE,
    TEMPLATES,
    TRANSFER,
    TRANSFER_TO,
    TRANSFER_WHY,
)
from bot.tickets.docs import TicketDocs
from bot.tickets.models import Ticket, TicketMessage
from bot.tickets.ports import Drafts
from bot.tickets.public.desk import PublicDesk
from bot.tickets.relay import FileFetcher, StaffRef
from bot.tickets.review import Review
from bot.tickets.service import CLOSED, TicketService
from bot.tickets.wording import Wording

log = logging.getLogger(__name__)

DRAFTS_OFFERED = 3
DRAFT_QUERY_CHARS = 500  # of the person's question, for the knowledge-base search


class StaffSide:
    def __init__(
        self,
        service: TicketService,
        inbox: Inbox,
        sessions: SessionFactory,
        drafts: Drafts,
        missing: MissingDocs,
        wording: Wording,
        public: PublicDesk,
    ) -> None:
        self.service = service
        self.public = public
        self.inbox = inbox
        self.sessions = sessions
        self.drafts = drafts
        self.docs = TicketDocs(service, missing)
        self.review = Review(service, wording, self.docs.deliver)

    @retried("a staff message")
    async def staff_message(
        self,
        channel: str,
        external_id: str,
        topic_id: int,
        text: str,
        files: Sequence[FileRef],
        update_key: str,
        now: datetime,
        fetch: FileFetcher | None = None,
    ) -> None:
        """A message in a ticket's topic: a reply to the person, from staff only, read against
        the communication rules first (review.py). Staff messages arrive in the order
        written: the Telegram adapter hands one chat's updates over one at a time
        (handlers/telegram/order.py)."""

        async def work(session: AsyncSession) -> None:
            staff = await staff_of(session, channel, external_id)
            ticket = await session.scalar(
                select(Ticket).where(Ticket.topic_id == topic_id).with_for_update()
            )
            if ticket is None:
                return
            if staff is None:
                log.warning(
                    "ignored a message by non-staff user %s in topic %d", external_id, topic_id
                )
                return
            if not await self.review.submit(session, ticket, staff, text, files, now, fetch):
                self.service.notes.note(session, ticket, "staff-closed-already")

        await self.inbox.once(channel, update_key, work)

    async def staff_action(
        self,
        channel: str,
        external_id: str,
        code: str,
        now: datetime,
        fetch: FileFetcher | None = None,
    ) -> str | None:
        """A button in the staff chat; returns a short notice for the presser, if any.
        `fetch` downloads the files of an answer sent as it is for another messenger."""
        pressed = parse(code)
        if pressed.prefix != STAFF_PREFIX or not pressed.args:
            return None
        try:
            number = integer(pressed.args[0])
        except StaleAction:
            return None
        return await self._press(channel, external_id, number, pressed, now, fetch)

    @retried("a staff button")
    async def _press(
        self,
        channel: str,
        external_id: str,
        number: int,
        pressed: Parsed,
        now: datetime,
        fetch: FileFetcher | None,
    ) -> str | None:
        action = next((known for known in STAFF_ACTIONS if known.matches(pressed)), None)
        async with transaction(self.sessions) as session:
            # Closing a ticket unanswered is the moderators' call, not the answering staff's.
            who = moderator_of if action is NO_ANSWER else staff_of
            staff = await who(session, channel, external_id)
            if staff is None:
                log.warning(
                    "ignored a staff button pressed by user %s without the role", external_id
                )
                key = "staff-moderators-only" if action is NO_ANSWER else "staff-only"
                return cards.staff_text(key)
            ticket = await session.scalar(
                select(Ticket).where(Ticket.id == number).with_for_update()
            )
            if ticket is None:
                return None
            # A notice asked for before the ticket closed can still be withdrawn, and an
            # earlier ticket read: reading is never too late.
            if ticket.status == CLOSED and action not in (DOCS_CANCEL, SEE):
                return cards.staff_text("staff-closed-already", number=number)
            if action is None:
                return None
            try:
                fields = action.unpack(pressed.args)[1:]  # after the ticket number
            except StaleAction:
                return None  # a button of another version, or a forged one
            return await self._act(session, ticket, staff, action, fields, now, fetch)

    async def _act(
        self,
        session: AsyncSession,
        ticket: Ticket,
        staff: StaffRef,
        action: Action,
        fields: tuple[Any, ...],
        now: datetime,
        fetch: FileFetcher | None,
    ) -> str | None:
        notes, service = self.service.notes, self.service
        if action is TAKE:
            service.take(session, ticket, staff)
        elif action is TRANSFER:
            return await self._colleagues(session, ticket, staff)
        elif action is TRANSFER_TO:
            notes.to_topic(session, ticket.id, [cards.transfer_why(ticket.id, fields[0])])
        elif action is TRANSFER_WHY:
            member_id, reason = fields
            target = await session.get(StaffMember, member_id)
            if target is None or target.role not in (Role.STAFF, Role.SUPERVISOR):
                return cards.staff_text("staff-transfer-none")
            return await service.transfer(session, ticket, staff, target, reason, now)
        elif action is TEMPLATES:
            await self._offer_drafts(session, ticket)
        elif action is SEND_DRAFT:
            draft = await self.drafts.get(session, fields[0])
            if draft is None:
                return None
            await service.staff_reply(session, ticket, staff, draft.text, (), now)
            return cards.staff_text("staff-sent")
        elif action is INTERIM:
            service.interim_next(session, ticket)
        elif action is CLOSE:
            await service.close(session, ticket, "staff", now)
        elif action is DOCS:
            return await self.docs.found(session, ticket, staff, now)
        elif action is DOCS_EARLIER:
            return await self.docs.earlier(session, ticket, staff, fields[0], now)
        elif action is DOCS_CANCEL:
            await self.docs.cancel(session, ticket, now)
        elif action is SEE:
            await self._earlier(session, ticket, fields[0])
        elif action is AS_IS:
            return await self.review.send_as_is(session, ticket, fields[0], staff, now, fetch)
        elif action is FIX:
            return await self.review.fix(session, ticket, fields[0], staff)
        elif action is NO_ANSWER:
            return self.public.dismiss(session, ticket, staff, now)
        return None

    async def _earlier(self, session: AsyncSession, ticket: Ticket, number: int) -> None:
        """One of the person's earlier tickets, shown in this ticket's thread; a number that
        is not the same person's (a forged button) shows nothing."""
        earlier = await session.get(Ticket, number)
        if earlier is None or earlier.person_id != ticket.person_id or earlier.id == ticket.id:
            return
        messages = await self.service.messages(session, earlier.id)
        reply = cards.earlier_ticket(earlier, messages, self.service.tz)
        self.service.notes.to_topic(session, ticket.id, [reply])

    async def _colleagues(
        self, session: AsyncSession, ticket: Ticket, staff: StaffRef
    ) -> str | None:
        """Offer the other staff members to hand the ticket to."""
        members = (
            await session.execute(
                select(StaffMember.id, StaffMember.name)
                .where(
                    StaffMember.role == Role.STAFF,
                    StaffMember.external_id != staff.external_id,
                )
                .order_by(StaffMember.name)
            )
        ).all()
        if not members:
            return cards.staff_text("staff-transfer-none")
        colleagues = [(member_id, name) for member_id, name in members]
        self.service.notes.to_topic(
            session, ticket.id, [cards.transfer_pick(ticket.id, colleagues)]
        )
        return None

    async def _offer_drafts(self, session: AsyncSession, ticket: Ticket) -> None:
        """The top knowledge-base answers for the person's question, as drafts to send."""
        question = await session.scalar(
            select(TicketMessage.text)
            .where(TicketMessage.ticket_id == ticket.id, TicketMessage.author == "person")
            .order_by(TicketMessage.id)
            .limit(1)
        )
        query = (question or "")[:DRAFT_QUERY_CHARS]
        found = await self.drafts.search(session, query, DRAFTS_OFFERED)
        if not found:
            self.service.notes.note(session, ticket, "staff-templates-none")
            return
        self.service.notes.to_topic(session, ticket.id, cards.drafts(ticket.id, found))

    # --- public sources (VK wall, Telegram groups) -----------------------------------------

    @retried("a public comment")
    async def public_ticket(
        self,
        channel: str,
        user_id: str,
        kind: str,
        text: str,
        source: str,
        reply_to: str,
        now: datetime,
    ) -> int | None:
        """A comment or mention that needs an answer becomes a ticket, with a receipt under
        it, and the answer goes there too; thanks, emoji and spam are set aside (None, as for
        a duplicate delivery of the same event)."""

        async def work(session: AsyncSession) -> int | None:
            person, _ = await person_of(session, channel, user_id)
            return await self.public.comment(session, person, kind, text, source, reply_to, now)

        return await self.inbox.once(channel, f"{source}:{reply_to}", work)

    # --- topics (for the staff chat's adapter) ---------------------------------------------

    async def topic(self, number: int) -> tuple[int | None, str]:
        """The ticket's forum topic id (None before it exists) and the name to create it with."""
        async with self.sessions() as session:
            ticket = await session.get(Ticket, number)
        if ticket is None:
            raise LookupError(number)
        return ticket.topic_id, cards.topic_name(number, ticket.kind)

    async def set_topic(self, number: int, topic_id: int) -> None:
        async with transaction(self.sessions) as session:
            await session.execute(
                update(Ticket).where(Ticket.id == number).values(topic_id=topic_id)
            )


async def staff_of(session: AsyncSession, channel: str, external_id: str) -> StaffRef | None:
    """The staff member acting, or None for anyone without the staff or supervisor role."""
    rows = (
        await session.execute(
            select(StaffMember.name, StaffMember.role, StaffMember.position).where(
                StaffMember.channel == channel,
                StaffMember.external_id == external_id,
                StaffMember.role.in_((Role.STAFF, Role.SUPERVISOR)),
            )
        )
    ).all()
    if not rows:
        return None
    supervisor = any(role == Role.SUPERVISOR for _, role, _ in rows)
    position = next((position for _, _, position in rows if position), "")
    return StaffRef(external_id, rows[0][0], supervisor, channel, position)


async def moderator_of(session: AsyncSession, channel: str, external_id: str) -> StaffRef | None:
    """A moderator or supervisor acting in the staff chat, else None."""
    name = await session.scalar(
        select(StaffMember.name).where(
            StaffMember.channel == channel,
            StaffMember.external_id == external_id,
            StaffMember.role.in_((Role.MODERATOR, Role.SUPERVISOR)),
        )
    )
    return None if name is None else StaffRef(external_id, name, channel=channel)
