"""The ticket service: every rule of escalation lives here (create, relay both ways, assign,
transfer with a cap, interim and final answers, close, rate, timers). Adapters only translate
messenger events into these calls; messages go out through the outbox."""

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking.models import ACTIVE, Booking
from bot.core import texts
from bot.core.actions import StaleAction, code, integer
from bot.core.config import Settings
from bot.core.db import SessionFactory, retried, transaction
from bot.core.messages import Button, FileRef, Reply
from bot.core.models import Conversation, InboundUpdate, Interaction, Person
from bot.core.outbox import Deliveries, Outcome, enqueue
from bot.core.privacy import mask, scrub
from bot.core.staff import Role, StaffMember
from bot.core.timers import Timers, schedule
from bot.tickets.models import RatingComment, Ticket, TicketMessage, TicketTransfer
from bot.tickets.relay import (
    MAX_RELAY_BYTES,
    SOURCE_CHANNEL,
    STAFF,
    FileFetcher,
    StaffRef,
)
from bot.tickets.sla import SLA, sla_from_settings
from knowledge_base.store import KnowledgeStore
from surveys.ratings import record_rating

log = logging.getLogger(__name__)

FEATURE = "ticket"  # the citizen feature's name and action prefix
STAFF_PREFIX = "tk"  # action prefix of the buttons in the staff chat
MAX_TRANSFERS = 2  # the standards' cap on transfers of one question
TRANSFER_REASONS = ("profile", "expert", "absent")
# Far above what one message can hold (4,096): a guard against runaway input, said when hit.
TEXT_LIMIT = 20_000
STAFF_LOCALE = "ru"
RATING_SERVICE = "tickets"
REMIND, BREACH, AUTOCLOSE = "ticket.remind", "ticket.breach", "ticket.autoclose"
PURGE = "ticket.purge"  # erases a closed ticket's texts after the retention period (retention.py)
OPEN, ANSWERED, CLOSED = "open", "answered", "closed"


def plain_files(files: Sequence[FileRef]) -> list[list[str]]:
    return [[f.kind, f.file_id, f.name] for f in files]


def file_refs(plain: Sequence[Sequence[str]]) -> tuple[FileRef, ...]:
    return tuple(FileRef(*item) for item in plain)


class Desk:
    def __init__(self, settings: Settings, store: KnowledgeStore, sla: SLA | None = None) -> None:
        self.settings = settings
        self.store = store
        self.sla = sla or sla_from_settings(settings)

    @property
    def relay(self) -> bool:
        """Whether a Telegram staff chat takes tickets (else staff use `priemnaya tickets`)."""
        return (
            self.settings.telegram_staff_chat_id is not None
            and self.settings.telegram_bot_token is not None
        )

    def register_timers(self, timers: Timers) -> None:
        timers.on(REMIND, self._on_remind)
        timers.on(BREACH, self._on_breach)
        timers.on(AUTOCLOSE, self._on_autoclose)

    def register_deliveries(self, deliveries: Deliveries) -> None:
        deliveries.on(FEATURE, self._settled)

    # --- formatting ------------------------------------------------------------------------

    def when(self, locale: str, due: datetime, now: datetime) -> str:
        """ "до 14:30", with the date when it is not today in the office's zone."""
        local = due.astimezone(self.settings.tz)
        hhmm = local.strftime("%H:%M")
        if local.date() == now.astimezone(self.settings.tz).date():
            return texts.text(locale, "ticket-when-today", time=hhmm)
        return texts.text(locale, "ticket-when-date", time=hhmm, date=local.strftime("%d.%m.%Y"))

    @staticmethod
    def duration(locale: str, span: timedelta) -> str:
        minutes = max(int(span.total_seconds() // 60), 0)
        return texts.text(locale, "ticket-duration", hours=minutes // 60, minutes=minutes % 60)

    def left(self, due: datetime, now: datetime) -> str:
        if due >= now:
            return self.duration(STAFF_LOCALE, due - now)
        return texts.text(
            STAFF_LOCALE, "staff-overdue", late=self.duration(STAFF_LOCALE, now - due)
        )

    @staticmethod
    def kind_label(locale: str, kind: str) -> str:
        return texts.text(locale, f"ticket-kind-{kind}")

    # --- creating and relaying from the person ---------------------------------------------

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
        session.add(
            TicketMessage(
                ticket_id=ticket.id,
                author="person",
                text=text[:TEXT_LIMIT],
                files=plain_files(files),
                at=now,
            )
        )
        self._schedule(session, ticket, "first", now, policy.first_reply)
        if self.relay:
            card = await self._card(session, ticket, person, text, now)
            enqueue(session, STAFF, str(ticket.id), [card, *self._files_note(files)])
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
        session.add(
            TicketMessage(
                ticket_id=ticket.id,
                author="person",
                text=text[:TEXT_LIMIT],
                files=plain_files(files),
                at=now,
            )
        )
        if ticket.status == ANSWERED:
            ticket.status = OPEN
        ticket.answer_seq += 1
        if self.relay:
            body = texts.text(STAFF_LOCALE, "staff-person-says", text=text or "—")
            enqueue(session, STAFF, str(ticket.id), [Reply(body, files=tuple(files))])
        self._log(session, person, "ticket.message", ticket)

    async def _card(
        self, session: AsyncSession, ticket: Ticket, person: Person, text: str, now: datetime
    ) -> Reply:
        earlier = await session.scalar(
            select(func.count(Ticket.id)).where(
                Ticket.person_id == person.id, Ticket.id != ticket.id
            )
        )
        bookings = await session.scalar(
            select(func.count(Booking.id)).where(
                Booking.person_id == person.id, Booking.status.in_(ACTIVE)
            )
        )
        body = texts.text(
            STAFF_LOCALE,
            "staff-card",
            number=ticket.id,
            kind=self.kind_label(STAFF_LOCALE, ticket.kind),
            due=self.when(STAFF_LOCALE, ticket.first_due, now),
            left=self.left(ticket.first_due, now),
            channel=texts.text(
                STAFF_LOCALE, f"staff-source-{ticket.source}", channel=person.channel
            ),
            tickets=earlier or 0,
            bookings=bookings or 0,
            text=text or "—",
        )
        return Reply(body, self._card_buttons(ticket.id))

    def _card_buttons(self, number: int) -> tuple[tuple[Button, ...], ...]:
        def button(key: str, verb: str) -> Button:
            return Button(texts.text(STAFF_LOCALE, key), code(STAFF_PREFIX, verb, number))

        return (
            (button("staff-button-take", "take"), button("staff-button-transfer", "xfer")),
            (button("staff-button-template", "tpl"), button("staff-button-close", "close")),
            (button("staff-button-interim", "int"),),
        )

    @staticmethod
    def _files_note(files: Sequence[FileRef]) -> list[Reply]:
        if not files:
            return []
        return [Reply("", files=tuple(files))]

    # --- staff side ------------------------------------------------------------------------

    async def staff_of(
        self, session: AsyncSession, channel: str, external_id: str
    ) -> StaffRef | None:
        """The staff member acting, or None for anyone without the staff or supervisor role."""
        rows = (
            await session.execute(
                select(StaffMember.name, StaffMember.role).where(
                    StaffMember.channel == channel,
                    StaffMember.external_id == external_id,
                    StaffMember.role.in_((Role.STAFF, Role.SUPERVISOR)),
                )
            )
        ).all()
        if not rows:
            return None
        supervisor = any(role == Role.SUPERVISOR for _, role in rows)
        return StaffRef(external_id, rows[0][0], supervisor)

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
        session.add(
            TicketMessage(
                ticket_id=ticket.id,
                author="staff",
                staff_name=staff.name,
                text=text[:TEXT_LIMIT],
                files=plain_files(files),
                interim=interim,
                at=now,
            )
        )
        if ticket.assignee_id is None and staff.external_id:  # the CLI has no messenger id
            ticket.assignee_id, ticket.assignee_name = staff.external_id, staff.name
        person = await session.get(Person, ticket.person_id)
        assert person is not None
        ticket.answer_seq += 1
        # The ticket counts as answered once the person has the answer: see _settled.
        stage = "interim" if interim else "final"
        delivery = f"{FEATURE}:{ticket.id}:{ticket.answer_seq}:{stage}"
        if interim:
            # The deadline the person is told; its timers wait for the answer's delivery.
            limit = self.sla.policy(ticket.kind).final_answer
            ticket.final_due = self.sla.deadline(ticket.kind, now, limit)
            self._schedule(session, ticket, "final", now, limit)
            key, args = "ticket-interim", {"when": self.when(person.locale, ticket.final_due, now)}
        else:
            key, args = "ticket-answer", {}
        await self._deliver(session, ticket, person, key, text, files, fetch, args, delivery)
        self._log(session, person, "ticket.answer", ticket)
        return True

    async def _deliver(
        self,
        session: AsyncSession,
        ticket: Ticket,
        person: Person,
        key: str,
        text: str,
        files: Sequence[FileRef],
        fetch: FileFetcher | None,
        args: dict[str, object],
        delivery: str,
    ) -> None:
        """Queue the answer; `delivery` is the outbox ref that tells _settled how it went."""
        locale = person.locale
        if ticket.source in SOURCE_CHANNEL:
            # A public reply under the comment or post: plain text; files cannot go there.
            notes = [texts.text(locale, "ticket-file-note", name=f.name or f.kind) for f in files]
            body = "\n\n".join([text, *notes]) if text else "\n\n".join(notes)
            to = ticket.source_ref["to"]
            enqueue(session, SOURCE_CHANNEL[ticket.source], to, [Reply(body)], ref=delivery)
            return
        replies: list[Reply] = []
        if files and person.channel == "telegram":
            replies.append(Reply("", files=tuple(files)))  # same bot: resent by file id
        for ref in files if person.channel != "telegram" else ():
            attachment = await fetch(ref) if fetch is not None else None
            if attachment is None or len(attachment.content) > MAX_RELAY_BYTES:
                replies.append(
                    Reply(texts.text(locale, "ticket-file-note", name=ref.name or ref.kind))
                )
            else:
                replies.append(Reply(ref.name or ref.kind, attachment=attachment))
        body = texts.text(locale, key, number=ticket.id, text=text or "—", **args)
        rows = (
            (
                Button(
                    texts.text(locale, "ticket-button-reply"), code(FEATURE, "reply", ticket.id)
                ),
                Button(texts.text(locale, "ticket-button-done"), code(FEATURE, "done", ticket.id)),
            ),
        )
        replies.append(Reply(body, rows))
        enqueue(session, person.channel, person.chat_id, replies, ref=delivery)
        # A person idle in the menu most likely answers the staff: route their next text here.
        await session.execute(
            update(Conversation)
            .where(
                Conversation.person_id == person.id,
                or_(
                    Conversation.feature == "menu",
                    and_(Conversation.feature == FEATURE, Conversation.step == "open"),
                ),
            )
            .values(feature=FEATURE, step="open", data={"n": ticket.id})
        )

    async def _settled(self, session: AsyncSession, ref: str, outcome: Outcome) -> None:
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
            hours = self.settings.outbox_give_up_hours  # "0,5 ч", not "0 ч"
            self._topic(session, ticket, f"staff-undelivered-{outcome.cause}", hours=hours)
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
        if ticket.answer_seq == int(seq):  # nothing came after it: the person's turn
            ticket.status = ANSWERED
            payload = {"t": ticket.id, "seq": ticket.answer_seq}
            schedule(session, AUTOCLOSE, at + self.sla.auto_close, payload)

    @retried("a staff message")
    async def staff_message(
        self,
        sessions: SessionFactory,
        channel: str,
        external_id: str,
        topic_id: int,
        text: str,
        files: Sequence[FileRef],
        update_key: str,
        now: datetime,
        fetch: FileFetcher | None = None,
    ) -> None:
        """A message in a ticket's topic: a reply to the person, from staff only. Staff
        messages arrive in the order written: the Telegram adapter hands one chat's updates
        over one at a time (handlers/telegram/order.py)."""
        try:
            async with transaction(sessions) as session:
                session.add(InboundUpdate(channel=channel, update_key=update_key, status="done"))
                await session.flush()
                staff = await self.staff_of(session, channel, external_id)
                ticket = await session.scalar(
                    select(Ticket).where(Ticket.topic_id == topic_id).with_for_update()
                )
                if ticket is None:
                    return
                if staff is None:
                    log.warning(
                        "ignored a message by non-staff user %s in topic %d",
                        external_id,
                        topic_id,
                    )
                    return
                if not await self.staff_reply(session, ticket, staff, text, files, now, fetch):
                    self._topic(session, ticket, "staff-closed-already")
        except IntegrityError:
            log.info("duplicate staff update %s ignored", update_key)

    async def staff_action(
        self, sessions: SessionFactory, channel: str, external_id: str, code: str, now: datetime
    ) -> str | None:
        """A button in the staff chat; returns a short notice for the presser, if any."""
        parts = code.split(":")
        if len(parts) < 3 or parts[0] != STAFF_PREFIX:
            return None
        try:
            number = integer(parts[2])
        except StaleAction:
            return None
        verb, args = parts[1], parts[3:]
        return await self._staff_action(sessions, channel, external_id, number, verb, args, now)

    @retried("a staff button")
    async def _staff_action(
        self,
        sessions: SessionFactory,
        channel: str,
        external_id: str,
        number: int,
        verb: str,
        args: list[str],
        now: datetime,
    ) -> str | None:
        async with transaction(sessions) as session:
            staff = await self.staff_of(session, channel, external_id)
            if staff is None:
                log.warning("ignored a staff button pressed by non-staff user %s", external_id)
                return texts.text(STAFF_LOCALE, "staff-only")
            ticket = await session.scalar(
                select(Ticket).where(Ticket.id == number).with_for_update()
            )
            if ticket is None:
                return None
            if ticket.status == CLOSED:
                return texts.text(STAFF_LOCALE, "staff-closed-already", number=number)
            return await self._staff_verb(session, ticket, staff, verb, args, now)

    async def _staff_verb(
        self,
        session: AsyncSession,
        ticket: Ticket,
        staff: StaffRef,
        verb: str,
        args: list[str],
        now: datetime,
    ) -> str | None:
        if verb == "take" and not args:
            ticket.assignee_id, ticket.assignee_name = staff.external_id, staff.name
            self._topic(session, ticket, "staff-taken", name=staff.name)
            return None
        if verb == "xfer" and not args:
            return await self._transfer_menu(session, ticket, staff)
        if verb == "to" and len(args) == 1 and args[0].isascii() and args[0].isdigit():
            rows = tuple(
                (
                    Button(
                        texts.text(STAFF_LOCALE, f"staff-reason-{reason}"),
                        code(STAFF_PREFIX, "why", ticket.id, args[0], reason),
                    ),
                )
                for reason in TRANSFER_REASONS
            )
            enqueue(
                session,
                STAFF,
                str(ticket.id),
                [Reply(texts.text(STAFF_LOCALE, "staff-transfer-why"), rows)],
            )
            return None
        if verb == "why" and len(args) == 2 and args[1] in TRANSFER_REASONS:
            try:
                target = await session.get(StaffMember, integer(args[0]))
            except StaleAction:
                return None
            if target is None or target.role not in (Role.STAFF, Role.SUPERVISOR):
                return texts.text(STAFF_LOCALE, "staff-transfer-none")
            return await self.transfer(session, ticket, staff, target, args[1], now)
        if verb == "tpl" and not args:
            await self._templates(session, ticket)
            return None
        if verb == "snd" and len(args) == 1:
            snapshot = await self.store.snapshot(session)
            entry = snapshot.entries.get(args[0])
            if entry is None:
                return None
            await self.staff_reply(session, ticket, staff, entry.answer_ru, (), now)
            return texts.text(STAFF_LOCALE, "staff-sent")
        if verb == "int" and not args:
            ticket.interim_next = True
            limit = self.duration(STAFF_LOCALE, self.sla.policy(ticket.kind).final_answer)
            self._topic(session, ticket, "staff-interim-next", limit=limit)
            return None
        if verb == "close" and not args:
            await self.close(session, ticket, "staff", now)
            return None
        return None

    async def _transfer_menu(
        self, session: AsyncSession, ticket: Ticket, staff: StaffRef
    ) -> str | None:
        members = (
            await session.scalars(
                select(StaffMember)
                .where(
                    StaffMember.role == Role.STAFF,
                    StaffMember.external_id != staff.external_id,
                )
                .order_by(StaffMember.name)
            )
        ).all()
        if not members:
            return texts.text(STAFF_LOCALE, "staff-transfer-none")
        rows = tuple(
            (Button(member.name, code(STAFF_PREFIX, "to", ticket.id, member.id)),)
            for member in members[:10]
        )
        enqueue(
            session,
            STAFF,
            str(ticket.id),
            [Reply(texts.text(STAFF_LOCALE, "staff-transfer-pick"), rows)],
        )
        return None

    async def transfer(
        self,
        session: AsyncSession,
        ticket: Ticket,
        staff: StaffRef,
        target: StaffMember,
        reason: str,
        now: datetime,
    ) -> str | None:
        """Move the ticket to `target`; past the cap, the supervisors get it instead."""
        done = await session.scalar(
            select(func.count(TicketTransfer.id)).where(
                TicketTransfer.ticket_id == ticket.id, TicketTransfer.outcome == "moved"
            )
        )
        reason_text = texts.text(STAFF_LOCALE, f"staff-reason-{reason}")
        refused = (done or 0) >= MAX_TRANSFERS
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
            self._topic(session, ticket, "staff-transfer-refused")
            await self._to_supervisors(session, ticket, "staff-supervisor-transfers")
            return texts.text(STAFF_LOCALE, "staff-transfer-refused", number=ticket.id)
        ticket.assignee_id, ticket.assignee_name = target.external_id, target.name
        self._topic(
            session,
            ticket,
            "staff-transferred",
            by=staff.name,
            to=target.name,
            reason=reason_text,
            count=(done or 0) + 1,
            limit=MAX_TRANSFERS,
        )
        if self.relay:
            body = texts.text(
                STAFF_LOCALE,
                "staff-assigned-you",
                number=ticket.id,
                kind=self.kind_label(STAFF_LOCALE, ticket.kind),
                due=self.when(STAFF_LOCALE, ticket.final_due or ticket.first_due, now),
            )
            enqueue(session, target.channel, target.external_id, [Reply(body)])
        return None

    async def _templates(self, session: AsyncSession, ticket: Ticket) -> None:
        """The top knowledge-base answers for the person's question, as drafts to send."""
        question = await session.scalar(
            select(TicketMessage.text)
            .where(TicketMessage.ticket_id == ticket.id, TicketMessage.author == "person")
            .order_by(TicketMessage.id)
            .limit(1)
        )
        snapshot = await self.store.snapshot(session)
        hits = snapshot.index.search((question or "")[:500], limit=3)
        if not hits:
            self._topic(session, ticket, "staff-templates-none")
            return
        replies = []
        for hit in hits:
            entry = snapshot.entries[hit.entry_id]
            body = texts.text(
                STAFF_LOCALE, "staff-draft", title=entry.title_ru, text=entry.answer_ru
            )
            button = Button(
                texts.text(STAFF_LOCALE, "staff-button-send-draft"),
                code(STAFF_PREFIX, "snd", ticket.id, entry.id),
            )
            replies.append(Reply(body, ((button,),)))
        enqueue(session, STAFF, str(ticket.id), replies)

    def _topic(self, session: AsyncSession, ticket: Ticket, key: str, **args: object) -> None:
        if self.relay:
            enqueue(
                session,
                STAFF,
                str(ticket.id),
                [Reply(texts.text(STAFF_LOCALE, key, number=ticket.id, **args))],
            )

    async def _to_supervisors(
        self, session: AsyncSession, ticket: Ticket, key: str, **args: object
    ) -> None:
        if not self.relay:
            return
        supervisors = await session.scalars(
            select(StaffMember).where(StaffMember.role == Role.SUPERVISOR)
        )
        body = texts.text(STAFF_LOCALE, key, number=ticket.id, **args)
        for member in supervisors:
            enqueue(session, member.channel, member.external_id, [Reply(body)])

    # --- closing and rating ----------------------------------------------------------------

    async def close(
        self, session: AsyncSession, ticket: Ticket, by: str, now: datetime
    ) -> list[Reply]:
        """Close and offer the rating: returned when the person closed it themselves,
        queued for them otherwise."""
        person = await session.get(Person, ticket.person_id)
        assert person is not None
        ticket.status, ticket.closed_at, ticket.closed_by = CLOSED, now, by
        schedule(session, PURGE, now + self.sla.retention, {"t": ticket.id})
        ticket.rating = "offered"
        self._topic(session, ticket, "staff-closed", by=by)
        self._log(session, person, "ticket.close", ticket)
        if ticket.source in SOURCE_CHANNEL:
            return []  # nowhere private to ask a commenter for a rating
        key = "ticket-autoclosed" if by == "auto" else "ticket-closed"
        hours = int(self.sla.auto_close.total_seconds() // 3600)
        scores = tuple(
            Button(str(score), code(FEATURE, "rate", ticket.id, score)) for score in range(1, 6)
        )
        replies = [Reply(texts.text(person.locale, key, number=ticket.id, hours=hours), (scores,))]
        if by == "person":
            return replies
        enqueue(session, person.channel, person.chat_id, replies)
        return []

    async def rate(self, session: AsyncSession, ticket: Ticket, score: int, now: datetime) -> None:
        """Store the score with no link to the ticket or person; the ticket only remembers
        that it was rated, so a second tap does nothing."""
        ticket.rating = "done"
        await record_rating(
            session, RATING_SERVICE, ticket.kind, score, on=now.astimezone(self.settings.tz).date()
        )

    async def comment(self, session: AsyncSession, kind: str, text: str, now: datetime) -> None:
        session.add(
            RatingComment(
                service=RATING_SERVICE,
                stage=kind,
                text=scrub(text)[:TEXT_LIMIT],
                rated_on=now.astimezone(self.settings.tz).date(),
            )
        )

    # --- public sources (VK wall, Telegram groups) -----------------------------------------

    @retried("a public comment")
    async def public_ticket(
        self,
        sessions: SessionFactory,
        channel: str,
        user_id: str,
        kind: str,
        text: str,
        source: str,
        reply_to: str,
        now: datetime,
    ) -> int | None:
        """A comment or mention becomes a ticket; the reply goes back under it. None for a
        duplicate delivery of the same event."""
        try:
            async with transaction(sessions) as session:
                session.add(
                    InboundUpdate(
                        channel=channel, update_key=f"{source}:{reply_to}", status="done"
                    )
                )
                await session.flush()
                person = await session.scalar(
                    select(Person).where(Person.channel == channel, Person.external_id == user_id)
                )
                if person is None:
                    person = Person(channel=channel, external_id=user_id, chat_id=user_id)
                    session.add(person)
                    await session.flush()
                ticket = await self.create(
                    session,
                    person,
                    kind,
                    text,
                    (),
                    now,
                    source=source,
                    source_ref={"to": reply_to},
                )
                return ticket.id
        except IntegrityError:
            log.info("duplicate %s event ignored", source)
            return None

    # --- topics (for the staff chat adapter) -----------------------------------------------

    async def topic(self, sessions: SessionFactory, number: int) -> tuple[int | None, str]:
        """The ticket's forum topic id (None before it exists) and the name to create it with."""
        async with sessions() as session:
            ticket = await session.get(Ticket, number)
        if ticket is None:
            raise LookupError(number)
        name = f"№{number} · {self.kind_label(STAFF_LOCALE, ticket.kind)}"
        return ticket.topic_id, name

    async def set_topic(self, sessions: SessionFactory, number: int, topic_id: int) -> None:
        async with transaction(sessions) as session:
            await session.execute(
                update(Ticket).where(Ticket.id == number).values(topic_id=topic_id)
            )

    # --- timers ----------------------------------------------------------------------------

    def _schedule(
        self, session: AsyncSession, ticket: Ticket, stage: str, start: datetime, limit: timedelta
    ) -> None:
        deadline = self.sla.deadline(ticket.kind, start, limit)
        # Each timer names the deadline it serves: a second interim reply moves the final
        # deadline, and the timers planned for the old one must then stay silent.
        payload = {"t": ticket.id, "stage": stage, "deadline": deadline.isoformat()}
        for share, due in self.sla.reminder_times(ticket.kind, start, limit):
            schedule(session, REMIND, due, {**payload, "share": share})
        schedule(session, BREACH, deadline, payload)

    @staticmethod
    def _waiting(ticket: Ticket | None, payload: dict[str, Any]) -> bool:
        """Whether the limit the timer serves still runs: no reply yet (first), no final
        answer after an interim one (final), and the deadline has not moved since."""
        if ticket is None or ticket.status == CLOSED:
            return False
        if payload["stage"] == "first":
            return ticket.first_reply_at is None
        planned = payload.get("deadline")
        moved = planned is not None and ticket.final_due is not None
        if moved and datetime.fromisoformat(planned) != ticket.final_due:
            return False
        return ticket.interim_at is not None and ticket.final_at is None

    async def _on_remind(
        self, session: AsyncSession, payload: dict[str, Any], due_at: datetime
    ) -> None:
        ticket = await session.get(Ticket, payload["t"])
        if not self._waiting(ticket, payload) or not self.relay:
            return
        assert ticket is not None
        deadline = ticket.first_due if payload["stage"] == "first" else ticket.final_due
        assert deadline is not None
        body = texts.text(
            STAFF_LOCALE, "staff-reminder", number=ticket.id, left=self.left(deadline, due_at)
        )
        if ticket.assignee_id is not None:
            enqueue(session, "telegram", ticket.assignee_id, [Reply(body)])
        else:
            enqueue(session, STAFF, str(ticket.id), [Reply(body)])

    async def _on_breach(
        self, session: AsyncSession, payload: dict[str, Any], due_at: datetime
    ) -> None:
        ticket = await session.get(Ticket, payload["t"])
        if not self._waiting(ticket, payload):
            return
        assert ticket is not None
        ticket.breaches += 1
        if ticket.breached_at is None:
            ticket.breached_at = due_at
        when = self.when(STAFF_LOCALE, due_at, due_at)
        self._topic(session, ticket, "staff-breach", due=when)
        await self._to_supervisors(session, ticket, "staff-breach", due=when)

    async def _on_autoclose(
        self, session: AsyncSession, payload: dict[str, Any], due_at: datetime
    ) -> None:
        ticket = await session.scalar(
            select(Ticket).where(Ticket.id == payload["t"]).with_for_update()
        )
        if ticket is None or ticket.status != ANSWERED or ticket.answer_seq != payload["seq"]:
            return
        await self.close(session, ticket, "auto", due_at)

    # --- reading ---------------------------------------------------------------------------

    async def owned(self, session: AsyncSession, person: Person, number: int) -> Ticket | None:
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

    @staticmethod
    def _log(session: AsyncSession, person: Person, event: str, ticket: Ticket) -> None:
        session.add(
            Interaction(
                person_id=person.id, channel=person.channel, event=event, ref=str(ticket.id)
            )
        )
