"""`priemnaya report feedback` against a real database, and the quarterly run: the timer fires
once on the quarter's report day and the staff chat gets the summary and the workbook."""

import asyncio
import io
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pydantic import SecretStr
from sqlalchemy import select

from bot.app import App, create_app
from bot.booking.schedule import SHIPPED as BOOKING
from bot.cli import main
from bot.core import staff
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.models import Person as PersonRow
from bot.core.models import Timer
from bot.tickets.models import Ticket
from knowledge_base.store import SHIPPED as KNOWLEDGE
from scenarios.loader import SHIPPED as SCENARIOS
from surveys.models import StageRating, random_id
from surveys.quarterly import QUARTERLY
from surveys.quarters import Quarter
from surveys.results import AnswerRow
from surveys.store import Answer, submit
from surveys.workbook import SHEETS
from tests.conftest import MOSCOW
from tests.support.client import Person
from tests.support.fixtures import TOKEN
from tests.surveys.feedback_data import RESULT_YAML, VISIT_YAML, answers

Q1 = Quarter(2026, 1)
# Q1's last week (30.03–05.04) is over on Monday 6 April: the report goes out then.
REPORT_DUE = datetime(2026, 4, 6, 9, 0, tzinfo=MOSCOW)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The shipped demo content, with two questionnaires of the office's own."""
    root = tmp_path / "content"
    root.mkdir()
    for section, shipped in (
        ("booking", BOOKING),
        ("knowledge_base", KNOWLEDGE),
        ("scenarios", SCENARIOS),
    ):
        (root / section).symlink_to(shipped)
    (root / "surveys").mkdir()
    (root / "surveys" / "result.yaml").write_text(RESULT_YAML, encoding="utf-8")
    (root / "surveys" / "visit.yaml").write_text(VISIT_YAML, encoding="utf-8")
    return root


async def store(app: App, rows: list[AnswerRow], ratings: list[tuple[str, int]]) -> None:
    async with transaction(app.sessions) as session:
        # Through the surveys' own write path, one submission per answer.
        for row in rows:
            choices = tuple(row.choices) if row.choices is not None else None
            answer = Answer(row.question, score=row.score, choices=choices, text=row.text)
            await submit(
                session,
                key=random_id(),
                survey=row.survey,
                service=row.service,
                touchpoint=row.touchpoint,
                channel="telegram",
                answers=[answer],
                on=row.week,
            )
        day = rows[0].week
        session.add_all(
            StageRating(
                service="faq",
                touchpoint="messenger",
                channel="telegram",
                stage=stage,
                score=score,
                rated_on=day,
            )
            for stage, score in ratings
        )


def quarter_of(quarter: Quarter) -> list[AnswerRow]:
    week = quarter.first_week
    return [
        *answers(
            "result", "satisfied", "consult", "messenger", week, scores=[5] * 8 + [4] * 6 + [2] * 6
        ),
        *answers(
            "result",
            "recommend",
            "consult",
            "messenger",
            week + timedelta(weeks=5),
            scores=[10] * 6 + [8] * 5 + [0] * 5,
        ),
        *answers(
            "visit",
            "satisfied",
            "permits",
            "office",
            week + timedelta(weeks=9),
            scores=[5] * 5 + [3] * 5,
        ),
    ]


async def test_the_report_goes_to_the_staff_chat_once_on_the_report_day(
    settings: Settings, content: Path, pinned: PinnedClock
) -> None:
    settings = settings.model_copy(
        update={
            "telegram_staff_chat_id": -100123,
            "telegram_bot_token": SecretStr(TOKEN),
            "content_dir": content,
        }
    )
    app = await create_app(settings)
    try:
        await store(app, quarter_of(Q1), [("faq.answer", 5)] * 6)
        # `priemnaya run` does it at every start, and workers may start together: one timer.
        await app.feedback.ensure(app.sessions)
        await asyncio.gather(*(app.feedback.ensure(app.sessions) for _ in range(3)))
        async with app.sessions() as session:
            [timer] = (await session.scalars(select(Timer).where(Timer.kind == QUARTERLY))).all()
        assert (timer.due_at, timer.payload) == (REPORT_DUE, {"quarter": "2026Q1"})

        staff_chat = Person(app, staff.GENERAL, channel=staff.STAFF)
        pinned.set(REPORT_DUE - timedelta(minutes=1))
        assert await app.timers.sweep() == 0
        pinned.set(REPORT_DUE + timedelta(seconds=1))
        assert await app.timers.sweep() == 1
        message, document = await staff_chat.delivered()
        assert message.text.startswith("# Обратная связь: I квартал 2026\n")
        assert "CSAT (доля оценок 4–5): 63% (ответов: 30)" in message.text  # (14 + 5) / 30
        assert "NPS: +6 (ответов: 16)" in message.text  # (6 − 5) / 16
        assert document.attachment is not None
        assert document.attachment.filename == "feedback-2026Q1.xlsx"
        book = openpyxl.load_workbook(io.BytesIO(document.attachment.content))
        assert book.sheetnames == list(SHEETS)

        pinned.set(REPORT_DUE + timedelta(hours=1))
        assert await app.timers.sweep() == 0  # fired once
        assert await staff_chat.delivered() == []
        async with app.sessions() as session:
            following = await session.scalar(
                select(Timer).where(Timer.kind == QUARTERLY, Timer.fired_at.is_(None))
            )
        # 30.06–05.07 is June's week, so Q2's report waits for Monday 6 July.
        assert following.due_at == datetime(2026, 7, 6, 9, 0, tzinfo=MOSCOW)
        assert following.payload == {"quarter": "2026Q2"}
    finally:
        await app.close()


async def test_no_staff_chat_no_quarterly_timer(app: App) -> None:
    await app.feedback.ensure(app.sessions)
    async with app.sessions() as session:
        assert await session.scalar(select(Timer.id).where(Timer.kind == QUARTERLY)) is None


@pytest.fixture
def cli(settings: Settings, content: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", settings.secret())
    monkeypatch.setenv("CONTENT_DIR", str(content))
    return CliRunner()


def test_report_feedback_writes_the_workbook_charts_and_summary(
    cli: CliRunner, settings: Settings, content: Path, tmp_path: Path, pinned: PinnedClock
) -> None:
    pinned.set(datetime(2027, 1, 20, 10, 0, tzinfo=MOSCOW))
    quarter = Quarter(2026, 4)

    async def prepare() -> None:
        app = await create_app(settings.model_copy(update={"content_dir": content}))
        try:
            await store(app, quarter_of(quarter), [])
            await store(app, quarter_of(quarter.previous())[:20], [])
            async with transaction(app.sessions) as session:  # one answered in time, one late
                person = PersonRow(channel="console", external_id="p", chat_id="p")
                session.add(person)
                await session.flush()
                for reply_after in (timedelta(hours=1), timedelta(hours=3)):
                    created = datetime(2026, 11, 10, 10, 0, tzinfo=MOSCOW)
                    session.add(
                        Ticket(
                            person_id=person.id,
                            kind="question",
                            created_at=created,
                            first_due=created + timedelta(hours=2),
                            first_reply_at=created + reply_after,
                        )
                    )
        finally:
            await app.close()

    asyncio.run(prepare())
    out = tmp_path / "out"
    result = cli.invoke(main, ["report", "feedback", "--quarter", "2026Q4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted(
        ["feedback-2026Q4.md", "feedback-2026Q4.xlsx"]
        + [
            f"feedback-2026Q4-{chart}.png"
            for chart in (
                "csat",
                "nps",
                "trend",
                "stages",
                "sla",
                "questions-result",
                "questions-visit",
            )
        ]
    )
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in out.glob("*.png"))
    summary = (out / "feedback-2026Q4.md").read_text(encoding="utf-8")
    # Q3 had only the first 20 answers, the consult ratings: CSAT 70 % then, 70 % now.
    assert (
        "CSAT (доля оценок 4–5): 63% (ответов: 30); III квартал 2026: 70% (ответов: 20)."
        in summary
    )
    assert "Первый ответ на обращение в срок: 50%." in summary
    book = openpyxl.load_workbook(out / "feedback-2026Q4.xlsx")
    assert book.sheetnames == list(SHEETS)
    replies = list(book["Сроки ответов"].iter_rows(values_only=True))
    assert ("Вопрос", 2, 2, 50) in replies

    # Without --quarter: the last quarter that has ended, the same one here.
    assert (
        cli.invoke(main, ["report", "feedback", "--out", str(tmp_path / "again")]).exit_code == 0
    )
    assert (tmp_path / "again" / "feedback-2026Q4.md").read_text(encoding="utf-8") == summary


@pytest.mark.parametrize(
    ("quarter", "problem"),
    [("2026Q5", "like 2026Q4"), ("4/2026", "like 2026Q4"), ("2027Q2", "has not begun yet")],
)
def test_a_wrong_quarter_is_refused_with_a_reason(
    cli: CliRunner, pinned: PinnedClock, quarter: str, problem: str
) -> None:
    pinned.set(datetime(2027, 1, 20, 10, 0, tzinfo=MOSCOW))
    result = cli.invoke(main, ["report", "feedback", "--quarter", quarter])
    assert result.exit_code == 2
    assert problem in result.output
