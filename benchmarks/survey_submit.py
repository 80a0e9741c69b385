"""Survey submit benchmark: how long the last answer takes when the survey's week already
holds N questionnaires, and a stage rating when its day holds N ratings (each is written with
up to 50 earlier ones in one shuffled batch, so that PostgreSQL's row order and transaction
ids tell nothing; see surveys/mixing.py). The rating is compared in the same run with a
plain insert of one row, what it cost before the mixing.

Run from the repository root:

    .venv/bin/python benchmarks/survey_submit.py [--database-url URL]

SQLite in a temporary file by default; give an EMPTY PostgreSQL database with
``--database-url postgresql+asyncpg://...`` to measure it there (it is migrated and filled).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.core.db import create_engine, create_session_factory, migrate, transaction  # noqa: E402
from bot.core.ratings import Rating  # noqa: E402
from surveys.models import StageRating, random_id  # noqa: E402
from surveys.ratings import record_rating  # noqa: E402
from surveys.store import Answer, participation_key, submit  # noqa: E402

WEEK_SIZES = (100, 500, 1500)  # questionnaires already in the week
TIMED = 20  # submissions timed at each size
ANSWERS = (
    Answer("convenient", score=4),
    Answer("used", choices=("answers", "booking")),
    Answer("found", choices=("partly",)),
    Answer("better", text="Не нашёл, где узнать размер пошлины"),
)
ON = date(2026, 3, 11)


async def run(database_url: str, sizes: tuple[int, ...] = WEEK_SIZES) -> None:
    engine = create_engine(database_url)
    await migrate(engine)
    sessions = create_session_factory(engine)
    people = 0

    async def one() -> float:
        nonlocal people
        people += 1
        key = participation_key("bench", "messenger", "telegram", str(people))
        started = time.perf_counter()
        async with transaction(sessions) as session:
            await submit(
                session,
                key=key,
                survey="messenger",
                service="all",
                touchpoint="messenger",
                channel="telegram",
                answers=ANSWERS,
                on=ON,
            )
        return time.perf_counter() - started

    ratings = 0

    async def rate(*, mixed: bool) -> float:
        nonlocal ratings
        ratings += 1
        rating = Rating("all", "messenger", "telegram", "faq.answer", 1 + ratings % 5, ON)
        started = time.perf_counter()
        async with transaction(sessions) as session:
            if mixed:
                await record_rating(session, rating)
            else:  # the baseline: one row on its own
                session.add(
                    StageRating(
                        id=random_id(),
                        service=rating.service,
                        touchpoint=rating.touchpoint,
                        channel=rating.channel,
                        stage=rating.stage,
                        score=rating.score,
                        rated_on=rating.on,
                    )
                )
        return time.perf_counter() - started

    try:
        for size in sizes:
            while people < size:
                await one()
            times = sorted([await one() for _ in range(TIMED)])
            print(
                f"week of {size:>5} questionnaires ({size * len(ANSWERS):>5} rows): submit "
                f"median {statistics.median(times) * 1000:.0f} ms, "
                f"max {times[-1] * 1000:.0f} ms"
            )
        for size in sizes:
            while ratings < size:
                await rate(mixed=True)
            plain = statistics.median([await rate(mixed=False) for _ in range(TIMED)])
            mixed = statistics.median([await rate(mixed=True) for _ in range(TIMED)])
            print(
                f"day of {size:>5} stage ratings: a rating mixed with 50 median "
                f"{mixed * 1000:.1f} ms, alone (baseline) {plain * 1000:.1f} ms"
            )
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: SQLite in /tmp)")
    parser.add_argument("--quick", action="store_true", help="the smallest week only (CI)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        asyncio.run(run(url, WEEK_SIZES[:1] if args.quick else WEEK_SIZES))


if __name__ == "__main__":
    main()
