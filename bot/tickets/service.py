"""The rules of escalation: create, relay both ways, take, transfer with a cap, interim and
final answers, close, rate. Every call takes the caller's session and never opens or commits a
transaction; the entry points that do are the citizen feature (feature.py, in the engine's
transaction) and the staff side (staff_side.py, through the core inbox)."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.inbox import steer
from bot.core.invitations import InviteToSurvey
from bot.core.messages import FileRef, Reply
from bot.core.models import Interaction, Person
from bot.core.outbox import Outcome, enqueue
from bot.core.privacy import mask
from bot.core.ratings import RecordRating
from bot.core.staff import StaffMember
from bot.core.staff import signed as staff_signed
from bot.core.timers import schedule
from bot.tickets import cards
from bot.tickets.actions import FEATURE, Reason
from bot.tickets.cards import STAFF_LOCALE
from bot.tickets.models import TEXT_LIMIT, Ticket, TicketMessage, TicketTransfer
from bot.tickets.notes import StaffNotes
from bot.tickets.ratings import NOT_RATED, OFFERED, TicketRatings, private_chat
from bot.tickets.relay import MAX_RELAY_BYTES, SOURCE_CHANNEL, FileFetcher, StaffRef
from bot.tickets.sla import SLA

MAX_TRANSFERS = 2  # the standards' cap on transfers of one question
REMIND, BREACH, AUTOCLOSE = "ticket.remind", "ticket.breach", "ticket.autoclose"
PURGE = "ticket.purge"  # erases a closed ticket's texts after the retention period (retention.py)
OPEN, ANSWERED, CLOSED = "open", "answered", "closed"


def plain_files(files: Sequence[FileRef]) -> list[list[str]]:
    return [[f.kind, f.file_id, f.name] for f in files]


def file_refs(plain: Sequence[Sequence[str]]) -> tuple[FileRef, ...]:
    return tuple(FileRef(*item) for item in plain)


class TicketService:
    def __init__(
        self,
        sla: SLA,
        tz: ZoneInfo,
        notes: StaffNotes,
        record_rating: RecordRating,
        invite: InviteToSurvey,
        give_up_hours: float,
        signature: str,
    ) -> None:
        self.sla = sla
        self.tz = tz
        self.notes = notes
        self.ratings = TicketRatings(record_rating, tz)
        self.invite = invite
        self.give_up_hours = give_up_hours  # the outbox's; named when an answer is given up
        self.signature = signature  # STAFF_SIGNATURE: what signs an answer (bot.core.staff.signed)

    # --- from the person -------------------------------------------------------------------

    async def create(
        self,
        session: AsyncSession,
        person: Person,
        kind: str,
        text: str,
        files: Sequence[FileRef],
        now: datetime,
        *,
        source: str = "chat",
        source_ref: dict[str, Any] | None = None,
    ) -> Ticket:
        policy = self.sla.policy(kind)
        text = mask(text, keep_contacts=policy.keep_contacts)  # for staff and for storage
        ticket = Ticket(
            person_id=person.id,
            kind=kind,
            source=source,
            source_ref=source_ref or {},
            created_at=now,
            first_due=self.sla.deadline(kind, now, policy.first_reply),
        )
        session.add(ticket)
        await session.flush()
        self._add_message(session, ticket, "person", text, files, now)
        self.plan(session, ticket, "first", now, policy.first_reply)
        if self.notes.staff_chat:
            card = await self.notes.card(session, ticket, person, text, now)
            self.notes.to_topic(session, ticket.id, [card, *cards.files_note(files)])
        self._log(session, person, "ticket.create", ticket)
        return ticket

    async def person_message(
        self,
        session: AsyncSession,
        ticket: Ticket,
        person: Person,
        text: str,
        files: Sequence[FileRef],
        now: datetime,
    ) -> None:
        """A follow-up from the person: stored and shown in the topic; the ticket waits for
        staff again, and a pending auto-close no longer applies."""
        text = mask(text, keep_contacts=self.sla.policy(ticket.kind).keep_contacts)
        self._add_message(session, ticket, "person", text, files, now)
        if ticket.status == ANSWERED:
            ticket.status = OPEN
        ticket.answer_seq += 1
        self.notes.to_topic(session, ticket.id, [cards.person_says(text, files)])
        self._log(session, person, "ticket.message", ticket)

    # --- from staff ------------------------------------------------------------------------

    async def staff_reply(
        self,
        session: AsyncSession,
        ticket: Ticket,
        staff: StaffRef,
        text: str,
        files: Sequence[FileRef],
        now: datetime,
        fetch: FileFetcher | None = None,
    ) -> bool:
        """Send a staff member's message to the person; False if the ticket is closed."""
        if ticket.status == CLOSED:
            return False
        interim = ticket.interim_next
        ticket.interim_next = False
        self._add_message(session, ticket, "staff", text, files, now, staff.name, interim)
        if ticket.assignee_id is None and staff.external_id:  # the CLI has no messenger id
            ticket.assignee_id, ticket.assignee_name = staff.external_id, staff.name
        person = await session.get(Person, ticket.person_id)
        assert person is not None
        ticket.answer_seq += 1
        # The ticket counts as answered once the person has the answer: see settled.
        stage = "interim" if interim else "final"
        delivery = f"{FEATURE}:{ticket.id}:{ticket.answer_seq}:{stage}"
        key, args = "ticket-answer", dict[str, object]()
        if interim:
            # The deadline the person is told; its timers wait for the answer's delivery.
            limit = self.sla.policy(ticket.kind).final_answer
            ticket.final_due = self.sla.deadline(ticket.kind, now, limit)
            self.plan(session, ticket, "final", now, limit)
            when = cards.when(person.locale, ticket.final_due, now, self.tz)
            key, args = "ticket-interim", {"when": when}
        locale = person.locale
        signed = staff_signed(locale, text, self.signature, staff.name, staff.position)
        if ticket.source in SOURCE_CHANNEL:
            public = cards.public_answer(locale, signed, files)
            to = ticket.source_ref["to"]
            enqueue(session, SOURCE_CHANNEL[ticket.source], to, [public], ref=delivery)
        else:
            relayed = await self._relay_files(person, staff, files, fetch)
            body = cards.answer(locale, key, ticket.id, signed, **args)
            enqueue(session, person.channel, person.chat_id, [*relayed, body], ref=delivery)
            # A person idle in the menu most likely answers the staff: their next text is
            # taken for the ticket.
            await steer(
                session,
                person.id,
                to=(FEATURE, "open", {"n": ticket.id}),
                unless_busy_except=(FEATURE, "open"),
            )
        self._log(session, person, "ticket.answer", ticket)
        return True

    async def _relay_files(
        self,
        person: Person,
        staff: StaffRef,
        files: Sequence[FileRef],
        fetch: FileFetcher | None,
    ) -> list[Reply]:
        """Staff files for the person: resent by id within the staff's own messenger,
        downloaded and uploaded to another one, or a note where that cannot be done."""
        if not files:
            return []
        if person.channel == staff.channel:
            return [Reply("", files=tuple(files))]
        replies = []
        for ref in files:
            attachment = await fetch(ref) if fetch is not None else None
            if attachment is None or len(attachment.content) > MAX_RELAY_BYTES:
                replies.append(Reply(cards.file_note(person.locale, ref)))
            else:
                replies.append(Reply(ref.name or ref.kind, attachment=attachment))
        return replies

    async def settled(self, session: AsyncSession, ref: str, outcome: Outcome) -> None:
        """A staff answer ("ticket:<number>:<seq>:<interim|final>") reached the person or was
        given up. Only a delivered answer stops the reply timers and makes the ticket answered;
        one given up is reported in the topic, and the ticket still waits for staff."""
        _, number, seq, stage = ref.split(":")
        ticket = await session.scalar(
            select(Ticket).where(Ticket.id == int(number)).with_for_update()
        )
        if ticket is None:
            return
        if not outcome.delivered:
            hours = self.give_up_hours  # "0,5 ч", not "0 ч"
            self.notes.note(session, ticket, f"staff-undelivered-{outcome.cause}", hours=hours)
            return
        at = outcome.at
        if ticket.first_reply_at is None:
            ticket.first_reply_at = at  # stops the first-reply timer
        if ticket.status == CLOSED:
            return
        if stage == "interim":
            ticket.interim_at = at  # starts the final-answer timers planned with it
            return
        if ticket.final_at is None:
            ticket.final_at = at
        if ticket.rating == NOT_RATED:
            await self.ratings.ask(session, ticket)
        if ticket.answer_seq == int(seq):  # nothing came after it: the person's turn
            ticket.status = ANSWERED
            payload = {"t": ticket.id, "seq": ticket.answer_seq}
            schedule(session, AUTOCLOSE, at + self.sla.auto_close, payload)

    def take(self, session: AsyncSession, ticket: Ticket, staff: StaffRef) -> None:
        ticket.assignee_id, ticket.assignee_name = staff.external_id, staff.name
        self.notes.note(session, ticket, "staff-taken", name=staff.name)

    def interim_next(self, session: AsyncSession, ticket: Ticket) -> None:
        """The staff member's next message goes out as an interim answer."""
        ticket.interim_next = True
        limit = cards.duration(STAFF_LOCALE, self.sla.policy(ticket.kind).final_answer)
        self.notes.note(session, ticket, "staff-interim-next", limit=limit)

    async def transfer(
        self,
        session: AsyncSession,
        ticket: Ticket,
        staff: StaffRef,
        target: StaffMember,
        reason: Reason,
        now: datetime,
    ) -> str | None:
        """Move the ticket to `target`; past the cap, the supervisors get it instead. Returns
        a notice for the staff member who asked, if any."""
        done = (
            await session.scalar(
                select(func.count(TicketTransfer.id)).where(
                    TicketTransfer.ticket_id == ticket.id, TicketTransfer.outcome == "moved"
                )
            )
            or 0
        )
        refused = done >= MAX_TRANSFERS
        # Every attempt is in the audit trail, the refused third one too.
        session.add(
            TicketTransfer(
                ticket_id=ticket.id,
                from_name=staff.name,
                to_name=target.name,
                reason=reason,
                outcome="refused" if refused else "moved",
                at=now,
            )
        )
        if refused:
            ticket.escalated = True
            ticket.assignee_id = ticket.assignee_name = None
            self.notes.note(session, ticket, "staff-transfer-refused")
            await self.notes.to_supervisors(session, ticket, "staff-supervisor-transfers")
            return cards.staff_text("staff-transfer-refused", number=ticket.id)
        ticket.assignee_id, ticket.assignee_name = target.external_id, target.name
        self.notes.note(
            session,
            ticket,
            "staff-transferred",
            by=staff.name,
            to=target.name,
            reason=cards.reason_label(reason),
            count=done + 1,
            limit=MAX_TRANSFERS,
        )
        due = ticket.final_due or ticket.first_due
        self.notes.to_member(
            session,
            target,
            cards.assigned_you(ticket.id, ticket.kind, due, now, self.tz),
        )
        return None

    # --- closing -------------------------------------------------------------------------

    async def close(
        self, session: AsyncSession, ticket: Ticket, by: str, now: datetime
    ) -> list[Reply]:
        """Close, ask for the rating unless an answer asked already, maybe invite to a survey:
        returned when the person closed it themselves, queued for them otherwise. A public
        commenter hears of it only where the bot may write to them in private, and is not
        told the ticket closed (the answer is under their comment)."""
        person = await session.get(Person, ticket.person_id)
        assert person is not None
        ticket.status, ticket.closed_at, ticket.closed_by = CLOSED, now, by
        schedule(session, PURGE, now + self.sla.retention, {"t": ticket.id})
        self.notes.note(session, ticket, "staff-closed", by=by)
        self._log(session, person, "ticket.close", ticket)
        in_private = ticket.source not in SOURCE_CHANNEL
        if not in_private and not await private_chat(session, person):
            return []
        replies = []
        if in_private:
            rate = ticket.rating == NOT_RATED  # one question per ticket
            if rate:
                ticket.rating = OFFERED
            key = "ticket-autoclosed" if by == "auto" else "ticket-closed"
            hours = int(self.sla.auto_close.total_seconds() // 3600)
            replies.append(cards.closed(person.locale, key, ticket.id, hours, rate=rate))
        invitation = await self.invite(session, person, now)
        if invitation is not None:
            replies.append(invitation)
        if by == "person":
            return replies
        if replies:
            enqueue(session, person.channel, person.chat_id, replies)
        return []

    # --- timers ----------------------------------------------------------------------------

    def plan(
        self, session: AsyncSession, ticket: Ticket, stage: str, start: datetime, limit: timedelta
    ) -> None:
        """The reminders and the breach of one limit (sla_timers.py handles them)."""
        deadline = self.sla.deadline(ticket.kind, start, limit)
        # Each timer names the deadline it serves: a second interim reply moves the final
        # deadline, and the timers planned for the old one must then stay silent.
        payload = {"t": ticket.id, "stage": stage, "deadline": deadline.isoformat()}
        for share, due in self.sla.reminder_times(ticket.kind, start, limit):
            schedule(session, REMIND, due, {**payload, "share": share})
        schedule(session, BREACH, deadline, payload)

    # --- reading ---------------------------------------------------------------------------

    @staticmethod
    async def owned(session: AsyncSession, person: Person, number: int) -> Ticket | None:
        """The person's own ticket by number; someone else's is as good as none."""
        ticket = await session.scalar(select(Ticket).where(Ticket.id == number).with_for_update())
        return ticket if ticket is not None and ticket.person_id == person.id else None

    @staticmethod
    async def messages(session: AsyncSession, number: int) -> list[TicketMessage]:
        return list(
            await session.scalars(
                select(TicketMessage)
                .where(TicketMessage.ticket_id == number)
                .order_by(TicketMessage.id)
            )
        )

    # --- records ---------------------------------------------------------------------------

    @staticmethod
    def _add_message(
        session: AsyncSession,
        ticket: Ticket,
        author: str,
        text: str,
        files: Sequence[FileRef],
        now: datetime,
        staff_name: str | None = None,
        interim: bool = False,
    ) -> None:
        session.add(
            TicketMessage(
                ticket_id=ticket.id,
                author=author,
                staff_name=staff_name,
                text=text[:TEXT_LIMIT],
                files=plain_files(files),
                interim=interim,
                at=now,
            )
        )

    @staticmethod
    def _log(session: AsyncSession, person: Person, event: str, ticket: Ticket) -> None:
        # A public comment's ticket is logged under its page (vk_wall, tg_group), not the
        # private chat: the touchpoint register counts the two apart.
        channel = ticket.source if ticket.source in SOURCE_CHANNEL else person.channel
        session.add(
            Interaction(person_id=person.id, channel=channel, event=event, ref=str(ticket.id))
        )
