"""Prometheus metrics: counters and a latency histogram the engine and channels bump as they
work (prometheus-client's default registry), and gauges read from the database each time
/metrics is scraped, by samplers: the core's own (outbox, timers, inbound updates) and the
features' that the assembly adds. Labels hold channels, kinds and outcomes, never a person."""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import datetime

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import clock
from bot.core.db import SessionFactory, transaction
from bot.core.models import InboundUpdate, OutboxMessage, Timer

log = logging.getLogger(__name__)
# Rates need no "_created" timestamp series beside every counter and histogram.
disable_created_metrics()

# How Engine.handle ended: replies given, a repeated delivery of an update already seen, an
# exception out of it, or the caller cancelled (shutdown).
HANDLED, DUPLICATE, ERROR, CANCELLED = "handled", "duplicate", "error", "cancelled"
# From a menu press on a warm process (~1 ms) to a database that makes a person wait (10 s).
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
# A scrape that finds the database this slow reports it down rather than hang the scraper.
SAMPLE_TIMEOUT_S = 5.0

UPDATES = Counter(
    "priemnaya_updates_total", "Updates taken by the engine, by outcome", ["channel", "outcome"]
)
HANDLE_SECONDS = Histogram(
    "priemnaya_handle_seconds",
    "Time in Engine.handle: recording, handling and committing one update",
    ["channel"],
    buckets=LATENCY_BUCKETS,
)
# Of the updates counted as handled, those answered with an apology instead of their answer:
# not recorded (the database was down), left waiting for the replay, or failed in a handler.
NOT_RECORDED, WAITS, FAILED = "not_recorded", "waits", "failed"
DEGRADED = Counter(
    "priemnaya_updates_degraded_total",
    "Updates answered with an apology, not their answer, by reason",
    ["channel", "reason"],
)
WEBHOOK_REJECTED = Counter(
    "priemnaya_webhook_rejected_total",
    "Webhook requests refused: wrong or missing secret",
    ["channel"],
)

# Reads gauges in the scrape's session at the scrape's moment.
Sampler = Callable[[AsyncSession, datetime], Awaitable[Iterable[Metric]]]


def handled(channel: str, outcome: str, seconds: float) -> None:
    UPDATES.labels(channel, outcome).inc()
    HANDLE_SECONDS.labels(channel).observe(seconds)


def gauge(name: str, documentation: str, labels: Iterable[str] = ()) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=list(labels))


async def outbox(session: AsyncSession, now: datetime) -> list[Metric]:
    depth = gauge("priemnaya_outbox_waiting", "Outbox rows not yet delivered", ["channel"])
    oldest = gauge(
        "priemnaya_outbox_oldest_waiting_seconds",
        "Age of the oldest undelivered outbox row (0 when none waits)",
    )
    failed = gauge("priemnaya_outbox_failed", "Outbox rows given up, kept until purged")
    waiting = OutboxMessage.status.in_(("pending", "sending"))
    rows = await session.execute(
        select(OutboxMessage.channel, func.count()).where(waiting).group_by(OutboxMessage.channel)
    )
    for channel, count in rows:
        depth.add_metric([channel], count)
    first = await session.scalar(
        select(OutboxMessage.created_at).where(waiting).order_by(OutboxMessage.id).limit(1)
    )
    oldest.add_metric([], (now - first).total_seconds() if first else 0.0)
    given_up = select(func.count()).where(OutboxMessage.status == "failed")
    failed.add_metric([], await session.scalar(given_up.select_from(OutboxMessage)) or 0)
    return [depth, oldest, failed]


async def timers(session: AsyncSession, now: datetime) -> list[Metric]:
    due = gauge("priemnaya_timers_due", "Timers past their time and not yet fired", ["kind"])
    oldest = gauge(
        "priemnaya_timers_due_oldest_seconds", "How long the most overdue timer is past its time"
    )
    overdue = (Timer.fired_at.is_(None), Timer.due_at <= now)
    rows = await session.execute(
        select(Timer.kind, func.count()).where(*overdue).group_by(Timer.kind)
    )
    for kind, count in rows:
        due.add_metric([kind], count)
    first = await session.scalar(
        select(Timer.due_at).where(*overdue).order_by(Timer.due_at).limit(1)
    )
    oldest.add_metric([], (now - first).total_seconds() if first else 0.0)
    return [due, oldest]


async def inbound(session: AsyncSession, now: datetime) -> list[Metric]:
    """Updates recorded and not handled: "pending" ones wait for a handler or the replay
    (a database outage), "failed" ones ended in an error (kept a week)."""
    updates = gauge("priemnaya_inbound_updates", "Recorded updates not handled", ["status"])
    rows = await session.execute(
        select(InboundUpdate.status, func.count())
        .where(InboundUpdate.status.in_(("pending", "failed")))
        .group_by(InboundUpdate.status)
    )
    counts: dict[str, int] = {status: count for status, count in rows}
    for status in ("pending", "failed"):
        updates.add_metric([status], counts.get(status, 0))
    return [updates]


class Gauges:
    """The samplers run at each scrape, in one transaction that changes nothing (on SQLite it
    queues with the process's writers rather than meet them in SQLite's busy handler)."""

    def __init__(self) -> None:
        self.samplers: list[Sampler] = [outbox, timers, inbound]

    def add(self, sampler: Sampler) -> None:
        self.samplers.append(sampler)

    async def collect(self, sessions: SessionFactory) -> list[Metric]:
        now = clock.now()
        families: list[Metric] = []
        async with transaction(sessions) as session:
            for sampler in self.samplers:
                families.extend(await sampler(session, now))
        return families


class _Sampled:
    """One scrape's gauges as a prometheus-client collector."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterator[Metric]:
        yield from self.families


async def exposition(gauges: Gauges, sessions: SessionFactory) -> bytes:
    """The whole /metrics page: the process's counters and the database's gauges now."""
    up = gauge("priemnaya_database_up", "Whether the gauges could be read from the database")
    try:
        families = await asyncio.wait_for(gauges.collect(sessions), SAMPLE_TIMEOUT_S)
        up.add_metric([], 1)
    except Exception as exc:  # the counters still tell something; the scrape must not fail
        log.warning("metrics: database gauges not read: %s", type(exc).__name__)
        families = []
        up.add_metric([], 0)
    sampled = CollectorRegistry(auto_describe=False)
    sampled.register(_Sampled([up, *families]))
    return generate_latest(REGISTRY) + generate_latest(sampled)
