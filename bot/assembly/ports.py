"""The ports one feature gets from another, filled in here so that features import none of
each other: knowledge-base answers as staff drafts, a person's bookings on a ticket card,
tickets' reply times for the feedback report, what surveys need to know of a person's
bookings, tickets and scenario walks, and the scenarios' service titles for applications."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking import book
from bot.booking.crypto import Vault
from bot.booking.models import SERVED, Booking
from bot.booking.schedule import Schedule
from bot.core.models import Interaction
from bot.tickets import cards
from bot.tickets.cards import STAFF_LOCALE, kind_label
from bot.tickets.models import Ticket
from bot.tickets.ports import Draft, Visit
from bot.tickets.report import sla_report
from bot.tickets.service import CLOSED, TicketService
from bot.tickets.wording import Wording
from knowledge_base.entries import Entry
from knowledge_base.store import KnowledgeStore
from scenarios.walk import ScenarioWalk
from surveys.ports import Facts
from surveys.results import ReplyTimes


class KnowledgeDrafts:
    """The knowledge base's Russian answers as drafts for staff (the tickets' Drafts port)."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    async def search(self, session: AsyncSession, question: str, limit: int) -> list[Draft]:
        snapshot = await self.store.snapshot(session)
        hits = snapshot.retriever.search(question, limit)
        return [_draft(snapshot.entries[hit.entry_id]) for hit in hits]

    async def get(self, session: AsyncSession, draft_id: str) -> Draft | None:
        entry = (await self.store.snapshot(session)).entries.get(draft_id)
        return None if entry is None else _draft(entry)


def _draft(entry: Entry) -> Draft:
    return Draft(entry.id, entry.title_ru, entry.answer_ru)


class BookingHistory:
    """The person's latest bookings with their services' titles, for the staff's ticket card
    (the tickets' PersonBookings port)."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule

    async def __call__(self, session: AsyncSession, person_id: int, limit: int) -> list[Visit]:
        return [
            Visit(row.starts_at, self._title(row.office, row.service), row.status)
            for row in await book.recent(session, person_id, limit)
        ]

    def _title(self, office_id: str, service_id: str) -> str:
        office = self.schedule.office(office_id)
        service = office.service(service_id) if office else None
        return service.title.get(STAFF_LOCALE) if service else service_id


class TicketReplyTimes:
    """The tickets' SLA report as the feedback report's port (surveys.report)."""

    def __init__(self, service: TicketService) -> None:
        self.service = service

    async def __call__(
        self, session: AsyncSession, first: date, last: date, now: datetime
    ) -> list[ReplyTimes]:
        rows = await sla_report(session, self.service.sla, self.service.tz, first, last, now)
        return [
            ReplyTimes(r.kind, kind_label(STAFF_LOCALE, r.kind), r.tickets, r.decided, r.within)
            for r in rows
        ]


async def survey_facts(session: AsyncSession, person_id: int) -> Facts:
    """Who a survey is for (the surveys' PersonFacts port): visits marked "принят", closed
    tickets, scenarios walked to the end (their "scenario.done" events name the service)."""
    visited = await session.scalars(
        select(Booking.service).where(Booking.person_id == person_id, Booking.status == SERVED)
    )
    closed = await session.scalar(
        select(Ticket.id).where(Ticket.person_id == person_id, Ticket.status == CLOSED).limit(1)
    )
    walked = await session.scalars(
        select(Interaction.ref).where(
            Interaction.person_id == person_id, Interaction.event == "scenario.done"
        )
    )
    services = frozenset(ref.partition(":")[0] for ref in walked if ref)
    return Facts(frozenset(visited), closed is not None, services)


class BookingNames:
    """The names a person typed into the booking form (the surveys' TypedNames port), opened
    from their bookings' sealed pass data."""

    FIELDS = ("surname", "name", "patronymic")

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    async def __call__(self, session: AsyncSession, person_id: int) -> list[str]:
        sealed = await session.scalars(
            select(Booking.personal).where(
                Booking.person_id == person_id, Booking.personal.is_not(None)
            )
        )
        opened = [self.vault.open(token) for token in sealed]
        return [data[key] for data in opened for key in self.FIELDS if data.get(key)]


class ScenarioTitles:
    """Service titles from the scenarios (the applications' ServiceTitle port)."""

    def __init__(self, walk: ScenarioWalk) -> None:
        self.walk = walk

    def __call__(self, service: str, locale: str) -> str | None:
        found = self.walk.services.get(service)
        return found.title.get(locale) if found is not None else None


class WordingNotes:
    """The tickets' communication-rules check, for the notes of `/app` (applications'
    ReadWording port)."""

    def __init__(self, wording: Wording) -> None:
        self.wording = wording

    def __call__(self, text: str) -> str | None:
        findings = self.wording.check(text)
        return cards.wording_findings(findings) if findings else None
