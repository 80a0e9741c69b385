"""Assembles the core (database, features, timers, outbox) and runs it with the channels."""

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine

from applications import service as applications
from applications.feature import ApplicationsFeature
from applications.staff_side import StaffCommands
from bot.assembly.ports import (
    BookingNames,
    KnowledgeDrafts,
    ScenarioTitles,
    WordingNotes,
)
from bot.assembly.shared import Shared
from bot.assembly.touchpoints import touchpoint_source
from bot.booking.feature import BookingFeature
from bot.booking.forget import Forget
from bot.booking.staff_day import StaffDay
from bot.core import clock
from bot.core.config import Settings
from bot.core.db import SessionFactory, create_engine, create_session_factory, migrate, transaction
from bot.core.engine import Engine
from bot.core.feature import Feature
from bot.core.health import Health
from bot.core.inflight import InFlight
from bot.core.metrics import Gauges
from bot.core.missing import TICKET
from bot.core.outbox import Deliveries, DeliveryOwner, OutboxWorker, Sender
from bot.core.timers import TimerOwner, Timers
from bot.core.workers import starting_alone
from bot.menu.history import History
from bot.menu.info import Info
from bot.menu.language import Language
from bot.menu.main import MainMenu
from bot.tickets.feature import TicketFeature
from bot.tickets.metrics import sample as ticket_gauges
from bot.tickets.public.comments import Comments
from bot.tickets.public.rules import Rules, load_rules
from bot.tickets.staff_side import StaffSide
from bot.tickets.wording import load_wording, wording_path
from knowledge_base.faq import FAQ
from knowledge_base.moderation import Moderation
from knowledge_base.semantic import Encoder
from knowledge_base.store import SHIPPED, KnowledgeStore, model_path
from knowledge_base.words import lemmas_of
from scenarios.walk import ScenarioWalk
from surveys import changes, invitations
from surveys.changes import Changes
from surveys.feature import SurveyFeature
from surveys.invitations import InvitationSettings
from surveys.metrics import ratings_sampler
from surveys.quarterly import QuarterlyReport
from surveys.rate import Rate
from surveys.ratings import offer, record_rating
from surveys.stats import Stats
from touchpoints import changes as register_changes
from touchpoints.register import Source
from touchpoints.reminder import PublicationReminder

log = logging.getLogger(__name__)

OUTBOX_INTERVAL_S = 1.0
TIMERS_INTERVAL_S = 5.0
REPLAY_INTERVAL_S = 30.0
# Younger pending updates may still be in a handler's hands (here or in another worker).
REPLAY_AFTER = timedelta(minutes=1)
# The sentence model waits this long at most for the channels to start before it loads.
WARM_UP_WAIT_S = 15.0
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
    # The touchpoint register: the office's files and the bot's own sections (`touchpoints`).
    touchpoints: Source
    # Its publication deadline, reminded in the staff chat every working day while changes wait.
    touchpoints_reminder: PublicationReminder
    # `/app` in the staff chat and `priemnaya applications`: the application records.
    applications: StaffCommands
    deliveries: Deliveries = field(default_factory=Deliveries)
    senders: dict[str, Sender] = field(default_factory=dict)
    inflight: InFlight = field(default_factory=InFlight)
    # Sends through `senders`, which the channels fill in when they start (serve).
    outbox: OutboxWorker = field(init=False)
    # /metrics' database gauges and /readyz (bot.assembly.ops).
    gauges: Gauges = field(default_factory=Gauges)
    health: Health = field(init=False)

    def __post_init__(self) -> None:
        give_up = timedelta(hours=self.settings.outbox_give_up_hours)
        self.outbox = OutboxWorker(self.sessions, self.senders, self.deliveries, give_up=give_up)
        self.gauges.add(ticket_gauges)
        self.gauges.add(ratings_sampler(self.settings.tz))
        self.health = Health(self.sessions)

    @property
    def booking(self) -> BookingFeature:
        """The booking feature: its schedule and the vault of pass data, for tools and tests."""
        feature = self.engine.features[BookingFeature.name]
        assert isinstance(feature, BookingFeature)
        return feature

    async def close(self) -> None:
        await self.db.dispose()


def build_features(
    settings: Settings, store: KnowledgeStore, shared: Shared | None = None
) -> list[Feature]:
    shared = shared or Shared.build(settings)
    files, invite = shared.files, shared.invite
    faq = FAQ(store, record_rating, offer)
    tickets = TicketFeature(shared.tickets)
    # The pass list goes to the staff chat only where a channel has one to deliver it to.
    booking = BookingFeature.from_settings(
        settings, files.schedule, offer, staff_chat=settings.has_staff_chat
    )
    walk = ScenarioWalk(files.scenarios, record_rating, invite)
    office = applications.Office.from_settings(settings, files.stages, offer)
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
        StaffDay(
            booking.schedule,
            booking.vault,
            offer,
            invite,
            shared.missing,
            settings.staff_signature,
        ),
        Forget(
            booking.schedule,
            erase_tickets=tickets.retention.forget,
            also_erase=[invitations.forget, changes.forget, applications.forget],
        ),
        Comments(shared.public),
        Rules(load_rules(settings)),
        Rate(),
        InvitationSettings(),
        Changes(),
        Stats(shared.feedback.report),
        SurveyFeature(files.openings, BookingNames(booking.vault)),
        mine,
    ]


async def create_app(settings: Settings) -> App:
    db = create_engine(settings.database_url)
    try:
        sessions = create_session_factory(db)
        content = settings.content_path("knowledge_base", SHIPPED)
        encoder = Encoder(settings.data_dir / "kb_vectors.npz")
        store = KnowledgeStore(settings.tz, model_path(content), encoder)
        # Workers starting together (--workers, or one per container) take turns here.
        async with starting_alone(db):
            await migrate(db)
            async with transaction(sessions) as session:
                await store.seed_if_empty(session, content)
        shared = Shared.build(settings)
        tickets, feedback, missing = shared.tickets, shared.feedback, shared.missing
        # The communication rules' lists, compared by the knowledge base's lemmas.
        wording = load_wording(wording_path(settings.content_dir), lemmas_of)
        features = build_features(settings, store, shared)
        engine = Engine(sessions, settings, features, prepare=store.prefetch)
        touchpoints = touchpoint_source(settings, engine, store, tickets)
        async with starting_alone(db), transaction(sessions) as session:
            # A change of the register (a new channel, scenario or office row) is dated from
            # the first start that sees it; a broken register file stops the start.
            today = clock.now().astimezone(settings.tz).date()
            register = await touchpoints.register(session)
            await register_changes.pending(session, register, today, touchpoints.calendar)
    except BaseException:
        await db.dispose()  # broken content or settings: leave no connection behind
        raise
    timers = Timers(sessions)
    feedback.register_timers(timers)
    reminder = PublicationReminder(touchpoints, settings.tz, staff_chat=settings.has_staff_chat)
    reminder.register_timers(timers)
    deliveries = Deliveries()
    missing.register_timers(timers)
    missing.register_deliveries(deliveries)
    for feature in engine.features.values():
        if isinstance(feature, TimerOwner):
            feature.register_timers(timers)
        if isinstance(feature, DeliveryOwner):
            feature.register_deliveries(deliveries)
    drafts = KnowledgeDrafts(store)
    staff_side = StaffSide(
        tickets, engine.inbox, sessions, drafts, missing, wording, shared.public
    )
    missing.on_reached(TICKET, staff_side.docs.reached)
    mine = engine.features[ApplicationsFeature.name]
    assert isinstance(mine, ApplicationsFeature)
    notes = WordingNotes(wording)
    staff_apps = StaffCommands(
        mine.office, engine.inbox, sessions, notes, settings.staff_signature
    )
    return App(
        settings,
        db,
        sessions,
        engine,
        timers,
        store,
        staff_side,
        feedback,
        touchpoints,
        reminder,
        staff_apps,
        deliveries,
    )


async def serve(app: App, channels: Sequence[ChannelRunner], *, foreground: bool = False) -> None:
    """Run channels, the outbox and the timers until SIGTERM/SIGINT (or, for a foreground
    channel such as the terminal, until it ends)."""
    # From the start: a worker told to stop while it starts stops cleanly, not mid-replay.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    for channel in channels:
        app.senders[channel.name] = channel.sender
        app.health.expect(channel.name)
        log.info("channel %s: %s", channel.name, channel.describe())
    if app.settings.smtp_host:
        from bot.booking.email import EmailSender  # aiosmtplib only where e-mail is set up

        app.senders["email"] = EmailSender(app.sessions, app.settings)
    # The sentence model takes ~2 s to load: in a thread once the channels take updates (it
    # would slow their start), and the base's index after it, before the first question.
    loading = asyncio.create_task(_warm_up(app, foreground))
    worker = app.outbox
    if app.db.dialect.name == "sqlite":
        # One process has the file: what was being sent at a stop was its own. On PostgreSQL
        # other workers may be sending right now; a dead one's rows go when their lease ends.
        await worker.recover()
    await app.feedback.ensure(app.sessions)
    await app.touchpoints_reminder.ensure(app.sessions)
    replayed = await app.engine.replay_pending()
    if replayed:
        log.info("handled %d updates accepted before the last stop", replayed)

    scheduler = AsyncIOScheduler()
    _every(scheduler, app.inflight, OUTBOX_INTERVAL_S, worker.run_once)
    _every(scheduler, app.inflight, TIMERS_INTERVAL_S, app.timers.sweep)
    _every(scheduler, app.inflight, REPLAY_INTERVAL_S, lambda: _replay_waiting(app))
    _every(scheduler, app.inflight, 3600, lambda: _housekeeping(app, worker))
    scheduler.start()

    tasks = [asyncio.create_task(channel.run(), name=channel.name) for channel in channels]
    for task in tasks:  # a channel whose loop ended takes no more updates
        task.add_done_callback(lambda done: app.health.stopped(done.get_name()))
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


async def _warm_up(app: App, foreground: bool) -> None:
    if foreground:
        await asyncio.sleep(1.0)  # the terminal's menu first
    else:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(WARM_UP_WAIT_S):
                await app.health.all_started.wait()
    await asyncio.to_thread(app.store.encoder.load)
    await app.store.warm(app.sessions)


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
