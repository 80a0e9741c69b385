"""Assembles the core (database, features, timers, outbox) and runs it with the channels."""

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from applications import service as applications
from applications.feature import ApplicationsFeature
from applications.staff_side import StaffCommands
from bot.booking.book import active_count
from bot.booking.crypto import Vault
from bot.booking.feature import BookingFeature
from bot.booking.forget import Forget
from bot.booking.models import SERVED, Booking
from bot.booking.staff_day import StaffDay
from bot.core import clock
from bot.core.config import Settings
from bot.core.db import SessionFactory, create_engine, create_session_factory, migrate, transaction
from bot.core.engine import Engine
from bot.core.feature import Feature
from bot.core.inflight import InFlight
from bot.core.models import Interaction
from bot.core.outbox import Deliveries, DeliveryOwner, OutboxWorker, Sender
from bot.core.timers import TimerOwner, Timers
from bot.menu.history import History
from bot.menu.info import Info
from bot.menu.language import Language
from bot.menu.main import MainMenu
from bot.tickets.cards import STAFF_LOCALE, kind_label
from bot.tickets.feature import TicketFeature
from bot.tickets.models import Ticket
from bot.tickets.notes import StaffNotes
from bot.tickets.ports import Draft
from bot.tickets.report import sla_report
from bot.tickets.service import CLOSED, TicketService
from bot.tickets.sla import sla_from_settings
from bot.tickets.staff_side import StaffSide
from knowledge_base.entries import Entry
from knowledge_base.faq import FAQ
from knowledge_base.moderation import Moderation
from knowledge_base.semantic import Encoder
from knowledge_base.store import SHIPPED, KnowledgeStore, model_path
from scenarios.walk import ScenarioWalk
from surveys import changes, invitations
from surveys.changes import Changes
from surveys.feature import SurveyFeature
from surveys.invitations import Invitations, InvitationSettings
from surveys.ports import Facts
from surveys.quarterly import QuarterlyReport
from surveys.rate import Rate
from surveys.ratings import offer, record_rating
from surveys.report import SHIPPED as SURVEYS_SHIPPED
from surveys.report import FeedbackReport
from surveys.results import ReplyTimes
from surveys.stats import Stats

log = logging.getLogger(__name__)

OUTBOX_INTERVAL_S = 1.0
TIMERS_INTERVAL_S = 5.0
REPLAY_INTERVAL_S = 30.0
# Younger pending updates may still be in a handler's hands (here or in another worker).
REPLAY_AFTER = timedelta(minutes=1)
INBOUND_KEEP = timedelta(days=7)
# A form left half-filled this long is dropped with what was typed into it.
IDLE_FORMS_KEEP = timedelta(days=2)


class ChannelRunner(Protocol):
    """A messenger connection: runs until cancelled and delivers through its sender."""

    name: str
    sender: Sender

    def describe(self) -> str: ...

    async def run(self) -> None: ...


@dataclass
class App:
    settings: Settings
    db: AsyncEngine
    sessions: SessionFactory
    engine: Engine
    timers: Timers
    store: KnowledgeStore
    # The tickets' staff side: the staff chat's and public comments' entry points, topics.
    tickets: StaffSide
    # The quarterly feedback report: `report feedback` and its timer to the staff chat.
    feedback: QuarterlyReport
    # `/app` in the staff chat and `priemnaya applications`: the application records.
    applications: StaffCommands
    deliveries: Deliveries = field(default_factory=Deliveries)
    senders: dict[str, Sender] = field(default_factory=dict)
    inflight: InFlight = field(default_factory=InFlight)
    # Sends through `senders`, which the channels fill in when they start (serve).
    outbox: OutboxWorker = field(init=False)

    def __post_init__(self) -> None:
        give_up = timedelta(hours=self.settings.outbox_give_up_hours)
        self.outbox = OutboxWorker(self.sessions, self.senders, self.deliveries, give_up=give_up)

    @property
    def booking(self) -> BookingFeature:
        """The booking feature: its schedule and the vault of pass data, for tools and tests."""
        feature = self.engine.features[BookingFeature.name]
        assert isinstance(feature, BookingFeature)
        return feature

    async def close(self) -> None:
        await self.db.dispose()


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


def feedback_report(settings: Settings, tickets: TicketService) -> QuarterlyReport:
    surveys = settings.content_path("surveys", SURVEYS_SHIPPED)
    report = FeedbackReport(surveys, settings.tz, TicketReplyTimes(tickets))
    # The office's working days are the ones its reply deadlines count in.
    calendar = tickets.sla.office.calendar
    return QuarterlyReport(report, calendar, settings.tz, staff_chat=settings.has_staff_chat)


def survey_invitations(settings: Settings) -> Invitations:
    return Invitations(timedelta(days=settings.survey_invite_days), settings.tz)


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


def ticket_service(settings: Settings) -> TicketService:
    notes = StaffNotes(settings.has_staff_chat, settings.tz, active_count)
    return TicketService(
        sla_from_settings(settings),
        settings.tz,
        notes,
        record_rating,
        survey_invitations(settings),
        settings.outbox_give_up_hours,
    )


def build_features(
    settings: Settings,
    store: KnowledgeStore,
    tickets_service: TicketService | None = None,
    feedback: QuarterlyReport | None = None,
) -> list[Feature]:
    faq = FAQ(store, record_rating, offer)
    tickets = TicketFeature(tickets_service or ticket_service(settings))
    feedback = feedback or feedback_report(settings, tickets.service)
    # The pass list goes to the staff chat only where a channel has one to deliver it to.
    booking = BookingFeature.from_settings(settings, offer, staff_chat=settings.has_staff_chat)
    invite = survey_invitations(settings)
    walk = ScenarioWalk.from_settings(settings, rate=record_rating, invite=invite)
    office = applications.Office.from_settings(settings, offer)
    mine = ApplicationsFeature(office, ScenarioTitles(walk))
    return [
        MainMenu(free_text=faq.answer),
        Language(),
        History(sections=[tickets, booking.manage, mine]),
        Info(store),
        faq,
        Moderation(store),
        walk,
        tickets,
        booking,
        StaffDay(booking.schedule, booking.vault, offer, invite),
        Forget(
            booking.schedule,
            erase_tickets=tickets.retention.forget,
            also_erase=[invitations.forget, changes.forget, applications.forget],
        ),
        Rate(),
        InvitationSettings(),
        Changes(),
        Stats(feedback.report),
        SurveyFeature.from_settings(settings, survey_facts, BookingNames(booking.vault)),
        mine,
    ]


async def create_app(settings: Settings) -> App:
    db = create_engine(settings.database_url)
    try:
        await migrate(db)
        sessions = create_session_factory(db)
        content = settings.content_path("knowledge_base", SHIPPED)
        encoder = Encoder(settings.data_dir / "kb_vectors.npz")
        store = KnowledgeStore(settings.tz, model_path(content), encoder)
        async with transaction(sessions) as session:
            await store.seed_if_empty(session, content)
        tickets = ticket_service(settings)
        feedback = feedback_report(settings, tickets)
        engine = Engine(sessions, settings, build_features(settings, store, tickets, feedback))
    except BaseException:
        await db.dispose()  # broken content or settings: leave no connection behind
        raise
    timers = Timers(sessions)
    feedback.register_timers(timers)
    deliveries = Deliveries()
    for feature in engine.features.values():
        if isinstance(feature, TimerOwner):
            feature.register_timers(timers)
        if isinstance(feature, DeliveryOwner):
            feature.register_deliveries(deliveries)
    staff_side = StaffSide(tickets, engine.inbox, sessions, KnowledgeDrafts(store))
    mine = engine.features[ApplicationsFeature.name]
    assert isinstance(mine, ApplicationsFeature)
    staff_apps = StaffCommands(mine.office, engine.inbox, sessions)
    return App(
        settings, db, sessions, engine, timers, store, staff_side, feedback, staff_apps, deliveries
    )


async def serve(app: App, channels: Sequence[ChannelRunner], *, foreground: bool = False) -> None:
    """Run channels, the outbox and the timers until SIGTERM/SIGINT (or, for a foreground
    channel such as the terminal, until it ends)."""
    for channel in channels:
        app.senders[channel.name] = channel.sender
        log.info("channel %s: %s", channel.name, channel.describe())
    if app.settings.smtp_host:
        from bot.booking.email import EmailSender  # aiosmtplib only where e-mail is set up

        app.senders["email"] = EmailSender(app.sessions, app.settings)
    # The sentence model takes ~2 s to load: in a thread, while the channels start, and the
    # base's index after it, so the first question does not wait for either.
    loading = asyncio.create_task(_warm_up(app, after_s=1.0 if foreground else 0.0))
    worker = app.outbox
    await worker.recover()
    await app.feedback.ensure(app.sessions)
    replayed = await app.engine.replay_pending()
    if replayed:
        log.info("handled %d updates accepted before the last stop", replayed)

    scheduler = AsyncIOScheduler()
    _every(scheduler, app.inflight, OUTBOX_INTERVAL_S, worker.run_once)
    _every(scheduler, app.inflight, TIMERS_INTERVAL_S, app.timers.sweep)
    _every(scheduler, app.inflight, REPLAY_INTERVAL_S, lambda: _replay_waiting(app))
    _every(scheduler, app.inflight, 3600, lambda: _housekeeping(app, worker))
    scheduler.start()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(channel.run(), name=channel.name) for channel in channels]
    waiters = [asyncio.create_task(stop.wait())]
    if foreground:
        waiters.extend(tasks)
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        log.info("stopping")
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        scheduler.pause()  # no new jobs; APScheduler's shutdown would cancel running ones
        for task in [*tasks, *waiters, loading]:
            task.cancel()
        await asyncio.gather(*tasks, *waiters, loading, return_exceptions=True)
        # Channels stopped taking updates; let handlers and jobs under way commit.
        await app.inflight.drain()
        scheduler.shutdown(wait=False)


async def _warm_up(app: App, after_s: float) -> None:
    # The terminal's menu comes first: loading competes with its start for the CPU.
    await asyncio.sleep(after_s)
    await asyncio.to_thread(app.store.encoder.load)
    async with app.sessions() as session:
        await app.store.snapshot(session)


async def _replay_waiting(app: App) -> None:
    """Updates recorded but left pending when the database went away mid-handling."""
    replayed = await app.engine.replay_pending(clock.now() - REPLAY_AFTER)
    if replayed:
        log.info("handled %d updates that waited for the database", replayed)


async def _housekeeping(app: App, worker: OutboxWorker) -> None:
    """Hourly: forget handled update ids, sent messages and abandoned forms."""
    now = clock.now()
    await app.engine.purge_inbound(now - INBOUND_KEEP)
    await worker.purge(now - INBOUND_KEEP)
    await app.engine.reset_idle(now - IDLE_FORMS_KEEP)


def _every(
    scheduler: AsyncIOScheduler,
    inflight: InFlight,
    seconds: float,
    job: Callable[[], Awaitable[object]],
) -> None:
    async def tracked() -> None:
        await inflight.run(job)

    scheduler.add_job(
        tracked,
        "interval",
        seconds=seconds,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
