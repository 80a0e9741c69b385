"""Quarterly feedback report benchmark: a synthetic quarter of 100,000 survey answers to 6
questionnaires (and a previous quarter of the same size, which the report compares with),
30,000 stage ratings and 2,000 tickets in a real SQLite file, then `priemnaya report
feedback` as its own process: seconds and peak memory (the target: under 10 s on the 2-core
machine).

Run from the repository root:

    .venv/bin/python benchmarks/feedback.py [--quick] [--surveys N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.app import create_app  # noqa: E402
from bot.booking.schedule import SHIPPED as BOOKING  # noqa: E402
from bot.core import clock  # noqa: E402
from bot.core.config import Settings  # noqa: E402
from bot.core.db import transaction  # noqa: E402
from bot.core.models import Person  # noqa: E402
from bot.tickets.models import Ticket  # noqa: E402
from knowledge_base.store import SHIPPED as KNOWLEDGE  # noqa: E402
from scenarios.loader import SHIPPED as SCENARIOS  # noqa: E402
from surveys.models import StageRating, SurveyAnswer, random_id  # noqa: E402
from surveys.quarters import Quarter  # noqa: E402

SERVICES = ("consult", "permits", "licences", "inspections", "registry", "fines")
TOUCHPOINTS = ("messenger", "office", "phone", "website")
CHANNELS = ("telegram", "vk", "")
STAGES = (
    "faq.answer",
    "scenario.step",
    "booking.made",
    "visit",
    "ticket.answered",
    "comment.answered",
)
KINDS = ("request", "question", "complaint", "comment", "mention")
# What people write, in the words they use; each answer takes one or two and a stray word.
PHRASES = (
    "долго ждал ответа",
    "вежливый сотрудник",
    "неудобная запись на приём",
    "сайт не работает",
    "быстро ответили",
    "очередь в офисе",
    "непонятная форма заявления",
    "всё понятно объяснили",
    "нет парковки",
    "бот помог разобраться",
    "не дозвониться по телефону",
    "мало окон приёма",
)
STRAY = ("спасибо", "вообще", "снова", "неделю", "утром", "инспектор", "документы", "справка")


def surveys_yaml(count: int) -> dict[str, str]:
    """`count` questionnaires, one per service and touchpoint, with every kind of question."""
    files = {}
    for number in range(count):
        service, touchpoint = SERVICES[number % 6], TOUCHPOINTS[number % 4]
        files[f"s{number}.yaml"] = f"""\
id: s{number}
title: {{ru: "Опрос {number}", en: "Survey {number}"}}
service: {service}
touchpoint: {touchpoint}
questions:
  - {{id: result, kind: rating, text: {{ru: "Довольны результатом?", en: "Satisfied?"}}}}
  - {{id: speed, kind: rating, text: {{ru: "Довольны сроками?", en: "Speed?"}}}}
  - id: why
    kind: single
    text: {{ru: "Что не так?", en: "What went wrong?"}}
    when: {{question: result, at_most: 3}}
    options:
      - {{id: slow, text: {{ru: Долго, en: Slow}}}}
      - {{id: rude, text: {{ru: Невежливо, en: Rude}}}}
      - {{id: unclear, text: {{ru: Непонятно, en: Unclear}}}}
  - {{id: recommend, kind: nps, text: {{ru: "Порекомендуете?", en: "Recommend?"}}}}
  - id: channels
    kind: multiple
    text: {{ru: "Как искали?", en: "Where did you look?"}}
    options:
      - {{id: bot, text: {{ru: Бот, en: Bot}}}}
      - {{id: site, text: {{ru: Сайт, en: Site}}}}
      - {{id: call, text: {{ru: Звонок, en: Call}}}}
      - {{id: visit, text: {{ru: Визит, en: Visit}}}}
  - {{id: better, kind: text, text: {{ru: "Что улучшить?", en: "What to improve?"}}}}
"""
    return files


def answers_of(quarter: Quarter, count: int, surveys: int, rng: random.Random) -> list[dict]:
    weeks = []
    week = quarter.first_week
    while week < quarter.end_week:
        weeks.append(week)
        week += timedelta(weeks=1)
    rows: list[dict] = []
    while len(rows) < count:
        number = rng.randrange(surveys)
        service, touchpoint = SERVICES[number % 6], TOUCHPOINTS[number % 4]
        mood = 0.55 + 0.06 * (number % 6)  # services differ
        base = {
            "response": random_id(),
            "survey": f"s{number}",
            "service": service,
            "touchpoint": touchpoint,
            "channel": rng.choice(CHANNELS),
            "week": rng.choice(weeks),
        }
        result = rng.choices(range(1, 6), weights=(1, 1, 2, 3 + 4 * mood, 3 + 6 * mood))[0]
        rows.append({**base, "question": "result", "score": result})
        if rng.random() < 0.9:
            rows.append({**base, "question": "speed", "score": rng.randint(2, 5)})
        if result <= 3 and rng.random() < 0.8:
            choice = rng.choice(("slow", "rude", "unclear"))
            rows.append({**base, "question": "why", "choices": [choice]})
        if rng.random() < 0.85:
            rows.append(
                {
                    **base,
                    "question": "recommend",
                    "score": rng.choices(
                        range(11), weights=(1, 1, 1, 1, 1, 2, 3, 4, 6, 8, 6 + 10 * mood)
                    )[0],
                }
            )
        if rng.random() < 0.6:
            chosen = rng.sample(("bot", "site", "call", "visit"), rng.randint(1, 3))
            rows.append({**base, "question": "channels", "choices": chosen})
        if rng.random() < 0.3:
            words = [*rng.sample(PHRASES, rng.randint(1, 2)), rng.choice(STRAY)]
            rows.append({**base, "question": "better", "text": ", ".join(words).capitalize()})
    return rows[:count]


async def fill(
    settings: Settings, quarter: Quarter, answers: int, surveys: int, quick: bool
) -> float:
    rng = random.Random(12)
    began = time.perf_counter()
    app = await create_app(settings)
    try:
        for q in (quarter, quarter.previous()):
            rows = answers_of(q, answers, surveys, rng)
            async with transaction(app.sessions) as session:
                for start in range(0, len(rows), 5000):
                    await session.execute(insert(SurveyAnswer), rows[start : start + 5000])
        days = (quarter.last_day - quarter.first_day).days + 1
        ratings = [
            {
                "service": rng.choice(SERVICES),
                "touchpoint": rng.choice(TOUCHPOINTS),
                "channel": rng.choice(CHANNELS),
                "stage": rng.choice(STAGES),
                "score": rng.choices(range(1, 6), weights=(1, 1, 2, 4, 6))[0],
                "rated_on": quarter.first_day + timedelta(days=rng.randrange(days)),
            }
            for _ in range(1500 if quick else 30_000)
        ]
        async with transaction(app.sessions) as session:
            await session.execute(insert(StageRating), ratings)
            person = Person(channel="bench", external_id="bench", chat_id="bench")
            session.add(person)
            await session.flush()
            tickets = []
            for _ in range(200 if quick else 2000):
                day = quarter.first_day + timedelta(days=rng.randrange(days))
                created = datetime.combine(day, clock_time(rng.randint(8, 17)), settings.tz)
                due = created + timedelta(hours=2)
                reply = created + timedelta(minutes=rng.randint(5, 200))
                tickets.append(
                    {
                        "person_id": person.id,
                        "kind": rng.choice(KINDS),
                        "created_at": created,
                        "first_due": due,
                        "first_reply_at": reply,
                    }
                )
            await session.execute(insert(Ticket), tickets)
    finally:
        await app.close()
    return time.perf_counter() - began


def report(settings: Settings, content: Path, quarter: Quarter, out: Path) -> float:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "DATA_DIR": str(settings.data_dir),
        "SECRET_KEY": "bench",
        "CONTENT_DIR": str(content),
    }
    command = [
        sys.executable,
        "-m",
        "bot",
        "report",
        "feedback",
        "--quarter",
        str(quarter),
        "--out",
        str(out),
    ]
    began = time.perf_counter()
    subprocess.run(command, env=env, check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 answers: a CI smoke run")
    parser.add_argument(
        "--surveys", type=int, default=6, help="questionnaires (each adds a chart); default 6"
    )
    args = parser.parse_args()
    answers = 5_000 if args.quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = root / "content"
        (content / "surveys").mkdir(parents=True)
        for section, shipped in (
            ("booking", BOOKING),
            ("knowledge_base", KNOWLEDGE),
            ("scenarios", SCENARIOS),
        ):
            (content / section).symlink_to(shipped)
        for name, text in surveys_yaml(args.surveys).items():
            (content / "surveys" / name).write_text(text, encoding="utf-8")
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{root}/bench.db",
            data_dir=root / "data",
            secret_key="bench",
            content_dir=content,
            _env_file=None,
        )
        quarter = Quarter.current(clock.now(), settings.tz).previous()
        filled = asyncio.run(fill(settings, quarter, answers, args.surveys, args.quick))
        size = (root / "bench.db").stat().st_size / 2**20
        print(
            f"filled {quarter} and {quarter.previous()} with {answers:,} answers each "
            f"in {filled:.1f} s ({size:.0f} MB SQLite file)"
        )
        seconds = report(settings, content, quarter, root / "out")
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        files = sorted((root / "out").iterdir())
        print(
            f"report feedback {quarter}: {seconds:.1f} s ({cpu:.1f} s CPU) as its own process "
            f"(start-up, migrations check and both quarters included), peak RSS {peak:.0f} MB, "
            f"{len(files)} files"
        )


if __name__ == "__main__":
    main()
