"""Survey submit benchmark: how long the last answer takes when the survey's week already
holds N questionnaires (each submission writes the week back in one shuffled batch, so that
PostgreSQL's row order tells nothing; see surveys/store.py).

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
