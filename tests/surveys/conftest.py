"""What the survey tests share: the shipped questionnaires, a person opening one from the
menu, the question the bot should show (built from the catalog and the YAML, not from the
bot's views), a visit marked "принят", and the stored answers."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.booking.models import SERVED, Booking
from bot.booking.schedule import SHIPPED as BOOKING
from bot.core import clock
from bot.core.db import transaction
from bot.core.feature import go
from bot.core.models import Person as PersonRow
from knowledge_base.store import SHIPPED as KNOWLEDGE_BASE
from scenarios.loader import SHIPPED as SCENARIOS
from surveys.actions import FEATURE, OPEN
from surveys.models import SurveyAnswer
from surveys.questionnaire import SHIPPED, load_surveys
from tests.support.client import Person

SURVEYS = {survey.id: survey for survey in load_surveys(SHIPPED)}


async def open_survey(chat: Person, survey_id: str) -> None:
    """Menu → "Оценить качество" → the survey; its first question is on screen next."""
    await chat.send("/start")
    await chat.press(chat.t("menu-survey"))
    await chat.press(OPEN.pack(survey_id))


async def reopen(chat: Person) -> None:
    """ "Оценить качество" pressed under an older menu message still in the chat."""
    await chat.handle(action=go(FEATURE))


def question_text(chat: Person, survey_id: str, question_id: str, n: int, total: int) -> str:
    """A question as the person sees it: the counter, the question, the hint for its kind."""
    question = SURVEYS[survey_id].question(question_id)
    counter = chat.t("survey-counter", n=n, total=total)
    hint = chat.t("survey-hint", kind=question.kind.value, limit=question.max_length)
    return f"{counter}\n\n{question.text.get(chat.locale)}\n\n{hint}"


def listed(chat: Person) -> list[str]:
    """The survey buttons of the list on screen (their action codes)."""
    return [b.action for b in chat.buttons() if b.action.startswith(f"{OPEN}:")]


async def visit(
    app: App, chat: Person, service: str = "documents", status: str = SERVED, **personal: str
) -> None:
    """A visit of the person's earlier today (the person has written to the bot before)."""
    start = clock.now() - timedelta(hours=2)
    async with transaction(app.sessions) as session:
        person = await session.scalar(
            select(PersonRow).where(
                PersonRow.channel == chat.channel, PersonRow.external_id == chat.user_id
            )
        )
        assert person is not None
        session.add(
            Booking(
                person_id=person.id,
                office="transport",
                service=service,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                seat=1,
                status=status,
                personal=app.booking.vault.seal(personal) if personal else None,
            )
        )


async def stored(app: App) -> list[SurveyAnswer]:
    async with app.sessions() as session:
        return list(await session.scalars(select(SurveyAnswer)))


def values(rows: list[SurveyAnswer]) -> dict[str, object]:
    """question id → the stored value (a score, the option ids, a text)."""
    return {
        row.question: row.score if row.score is not None else row.choices or row.text
        for row in rows
    }


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A CONTENT_DIR with the shipped sections and an empty surveys/ folder to fill."""
    root = tmp_path / "content"
    (root / "surveys").mkdir(parents=True)
    for section, shipped in (
        ("knowledge_base", KNOWLEDGE_BASE),
        ("scenarios", SCENARIOS),
        ("booking", BOOKING),
    ):
        (root / section).symlink_to(shipped, target_is_directory=True)
    return root
