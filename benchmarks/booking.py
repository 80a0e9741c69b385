"""Booking benchmark: confirmed bookings per second while people race for the same seats,
and the p99 latency of the free-slot search over a 60-day horizon.

Run from the repository root:

    /work/venv/bin/python benchmarks/booking.py [--quick] [--database-url URL]

SQLite in a temporary file by default; give an EMPTY PostgreSQL database with
``--database-url postgresql+asyncpg://...`` to measure it there (it is migrated and filled).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.app import create_app  # noqa: E402
from bot.booking.actions import slot_code  # noqa: E402
from bot.booking.models import BOOKED, Booking  # noqa: E402
from bot.booking.slots import free_slots, nearest_free  # noqa: E402
from bot.booking.state import SUMMARY  # noqa: E402
from bot.core import clock  # noqa: E402
from bot.core.config import Settings  # noqa: E402
from bot.core.messages import Incoming  # noqa: E402
from bot.core.models import Conversation, Person  # noqa: E402


async def run(database_url: str, data_dir: Path, quick: bool) -> None:
    settings = Settings(
        database_url=database_url, data_dir=data_dir, secret_key="bench", _env_file=None
    )
    app = await create_app(settings)
    try:
        flow = app.booking
        office = flow.schedule.office("river")  # one window: every slot is contended
        assert office is not None
        service = office.services[0]
        slots, racers = (10, 5) if quick else (40, 10)
        async with app.sessions() as session:
            starts = await nearest_free(
                session, flow.schedule, office, service, clock.now(), slots
            )
        people = []
        async with app.sessions() as session, session.begin():
            for i, start in enumerate(starts):
                data = {
                    "office": office.id,
                    "service": service.id,
                    "start": slot_code(start, flow.schedule.tz),
                    "filled": True,
                    "p": flow.vault.seal({}),
                }
                for j in range(racers):
                    person = Person(channel="bench", external_id=f"{i}.{j}", chat_id=f"{i}.{j}")
                    session.add(person)
                    await session.flush()
                    session.add(
                        Conversation(
                            person_id=person.id, feature="booking", step=SUMMARY, data=data
                        )
                    )
                    people.append(person.external_id)
        began = time.perf_counter()
        await asyncio.gather(
            *(app.engine.handle(Incoming("bench", p, p, action="booking:ok")) for p in people)
        )
        elapsed = time.perf_counter() - began
        async with app.sessions() as session:
            booked = len(
                (await session.scalars(select(Booking.id).where(Booking.status == BOOKED))).all()
            )
        print(f"database: {app.db.dialect.name}")
        print(
            f"contention: {len(people)} confirms for {len(starts)} one-seat slots "
            f"({racers} per slot): {booked} booked in {elapsed:.2f} s = "
            f"{booked / elapsed:.1f} bookings/s, {len(people) / elapsed:.1f} confirms/s"
        )
        assert booked == len(starts), "a slot was booked twice or not at all"

        horizon = dataclasses.replace(
            flow.schedule, rules=flow.schedule.rules.model_copy(update={"horizon_days": 60})
        )
        runs = 50 if quick else 300
        latencies = []
        async with app.sessions() as session:
            for _ in range(runs):
                began = time.perf_counter()
                found = await free_slots(session, horizon, office, service, clock.now())
                latencies.append(time.perf_counter() - began)
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        total = sum(len(v) for v in found.values())
        print(
            f"free-slot search, 60 days ({len(found)} days, {total} free slots): "
            f"median {statistics.median(latencies) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms "
            f"over {runs} runs"
        )
    finally:
        await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for CI smoke runs")
    parser.add_argument("--database-url", help="default: SQLite in a temporary file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        asyncio.run(run(url, Path(tmp), args.quick))


if __name__ == "__main__":
    main()
