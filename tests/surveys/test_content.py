"""Questionnaires as content: the shipped demo, `priemnaya surveys check`, each kind of mistake
reported at its line, a broken file stopping the start, and CONTENT_DIR/surveys with surveys
for each audience and an active period."""

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import App, create_app
from bot.cli import main
from bot.core import clock
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.content import ContentError
from bot.core.db import transaction
from bot.tickets.models import Ticket
from surveys.actions import OPEN
from surveys.questionnaire import SHIPPED, Kind, load_surveys, survey_folder
from tests.conftest import MOSCOW
from tests.support.client import People, Person
from tests.surveys.conftest import SURVEYS, listed, reopen, visit
from tests.surveys.test_invitations import finish_route
from tests.tickets.conftest import open_ticket

GOOD = """\
id: sample
title: {ru: Пример, en: Sample}
service: all
touchpoint: messenger
questions:
  - id: score
    kind: rating
    text: {ru: Оценка, en: Score}
  - id: why
    kind: text
    when: {question: score, at_most: 3}
    text: {ru: Почему, en: Why}
  - id: pick
    kind: single
    text: {ru: Выбор, en: Pick}
    options:
      - {id: a, text: {ru: А, en: A}}
      - {id: b, text: {ru: Б, en: B}}
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_surveys(folder)
    return caught.value.problems


def test_the_demo_asks_every_kind_of_question() -> None:
    kinds = {question.kind for survey in SURVEYS.values() for question in survey.questions}
    assert kinds == set(Kind)
    assert load_surveys(SHIPPED)[0].id == "documents_result"  # in file-name order


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (("kind: rating", "kind: stars"), 7, "questions.0.kind: Input should be"),
        (("question: score", "question: pick"), 11, "no earlier question has that id"),
        (("at_most: 3", "one_of: [a]"), 11, "one_of is for choice questions"),
        (("  - id: pick", "  - id: score"), 13, "question id 'score' is used twice"),
        (("      - {id: b, text: {ru: Б, en: B}}\n", ""), 13, "needs at least 2 options"),
        (("id: b,", "id: a,"), 13, "option ids must differ"),
        (("{ru: Оценка, en: Score}", "{ru: Оценка}"), 8, "questions.0.text.en: Field"),
        (("service: all", "service: all\naudience: friends"), 4, "audience: Input should be"),
        (
            ("touchpoint: messenger", "touchpoint: messenger\nactive: {from: 2026-13-01}"),
            5,
            "not a date",
        ),
        (("kind: text", "kind: text\n    max_length: 5000"), 11, "less than or equal to 1000"),
        (("kind: rating", "kind: rating\n    hint: x"), 8, "Extra inputs are not permitted"),
        (("id: why", "id: Why"), 9, "questions.1.id: String should match pattern"),
        (
            ("questions:", "questions: []\nquestionz:"),
            5,
            "questions: Tuple should have at least 1",
        ),
        (("title: {ru: Пример", "title: {ru: Пример, ru: Образец"), 2, "key 'ru' written twice"),
        (("  - id: why", "  - id: why\n   bad: [indent"), 10, "not valid YAML"),
    ],
)
def test_each_kind_of_mistake_is_one_line(tmp_path: Path, change, line, reason) -> None:
    assert change[0] in GOOD
    path = write(tmp_path, "broken.yaml", GOOD.replace(*change))
    [message] = error_of(tmp_path)[:1]
    assert message.startswith(f"{path}:{line}: ") and reason in message, message


def test_a_survey_id_used_twice_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    second = write(tmp_path, "b.yaml", GOOD)
    assert error_of(tmp_path) == [
        f"{second}:1: survey id 'sample' is also in {tmp_path / 'a.yaml'}"
    ]


def test_check_reports_ok_with_the_count() -> None:
    result = CliRunner().invoke(main, ["surveys", "check", str(SHIPPED)])
    assert result.exit_code == 0
    assert result.output.strip() == "OK: 3 surveys"


def test_check_prints_one_line_per_problem_and_fails(tmp_path: Path) -> None:
    shutil.copy(SHIPPED / "messenger.yaml", tmp_path / "messenger.yaml")
    broken = GOOD.replace("kind: rating", "kind: stars").replace("at_most: 3", "one_of: [a]")
    write(tmp_path, "a.yaml", broken)
    write(
        tmp_path, "b.yaml", GOOD.replace("id: sample", "id: other").replace("en: Sample", "x: 1")
    )
    result = CliRunner().invoke(main, ["surveys", "check", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [line.split(": ")[0] for line in lines] == [
        f"{tmp_path / 'a.yaml'}:7",
        f"{tmp_path / 'b.yaml'}:2",
        f"{tmp_path / 'b.yaml'}:2",
    ]
    missing = CliRunner().invoke(main, ["surveys", "check", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "no such folder" in missing.output


async def test_a_broken_file_stops_the_start_up(settings: Settings, content: Path) -> None:
    write(content / "surveys", "broken.yaml", GOOD.replace("question: score", "question: pick"))
    with pytest.raises(ContentError, match=r"broken\.yaml:11: "):
        await create_app(settings.model_copy(update={"content_dir": content}))


def test_content_dir_surveys_or_the_demo(tmp_path: Path) -> None:
    assert survey_folder(Settings(_env_file=None)) == SHIPPED
    # An office's own content without a surveys/ folder keeps the demo questionnaires.
    assert survey_folder(Settings(content_dir=tmp_path, _env_file=None)) == SHIPPED
    (tmp_path / "surveys").mkdir()
    assert survey_folder(Settings(content_dir=tmp_path, _env_file=None)) == tmp_path / "surveys"


# ---------------------------------------------------------------- an office's own surveys

AUDIENCES = {
    "after_visit": "service: all\naudience: visited",
    "after_ticket": "service: all\naudience: ticket_closed",
    "after_dopog": "service: dopog\naudience: scenario_finished",
    "spring": "service: all\nactive: {from: 2026-03-01, to: 2026-03-31}",
}


@pytest.fixture
async def office(settings: Settings, content: Path) -> App:
    for survey_id, lines in AUDIENCES.items():
        text = GOOD.replace("id: sample", f"id: {survey_id}").replace("service: all", lines)
        write(content / "surveys", f"{survey_id}.yaml", text)
    app = await create_app(settings.model_copy(update={"content_dir": content}))
    yield app
    await app.close()


def surveys_of(chat: Person) -> list[str]:
    return [code.removeprefix(f"{OPEN}:") for code in listed(chat)]


async def test_everyone_sees_a_survey_during_its_period_only(
    office: App, pinned: PinnedClock
) -> None:
    chat = Person(office)
    await chat.send("/start")
    await chat.press(chat.t("menu-survey"))
    assert surveys_of(chat) == ["spring"]
    for day, shown in (
        (datetime(2026, 3, 31, 23, 50), True),
        (datetime(2026, 4, 1, 0, 10), False),
    ):
        pinned.set(day.replace(tzinfo=MOSCOW))
        await reopen(chat)
        assert ("spring" in surveys_of(chat)) is shown
    assert chat.last.text == chat.t("survey-none")


async def test_a_visit_a_closed_ticket_and_a_finished_scenario_open_their_surveys(
    office: App,
) -> None:
    chat = Person(office)
    await chat.send("/start")
    await visit(office, chat, "consult")
    await reopen(chat)
    assert surveys_of(chat) == ["after_visit", "spring"]

    await open_ticket(chat)
    await reopen(chat)
    assert "after_ticket" not in surveys_of(chat)  # open, not closed yet
    async with transaction(office.sessions) as session:
        ticket = await session.get(Ticket, 1)
        await office.tickets.service.close(session, ticket, "staff", clock.now())
    await reopen(chat)
    assert surveys_of(chat) == ["after_ticket", "after_visit", "spring"]

    await chat.send("/start")
    await chat.press(chat.t("menu-services"))
    await chat.press("scenario:svc:dopog")
    await chat.press("scenario:ans:dopog:situation:fee_notice")
    while chat.t("scenario-done") not in chat.labels():
        await chat.press(chat.t("button-next"))
    await chat.press(chat.t("scenario-done"))
    await reopen(chat)
    assert surveys_of(chat) == ["after_dopog", "after_ticket", "after_visit", "spring"]


async def test_each_audience_is_only_for_its_people(office: App, people: People) -> None:
    chat = people("stranger")
    await chat.send("/start")
    for survey_id in ("after_visit", "after_ticket", "after_dopog"):
        await chat.handle(action=OPEN.pack(survey_id))
        assert chat.last.text == chat.t("stale-button")


async def test_an_invitation_only_to_surveys_open_to_the_person(
    office: App, pinned: PinnedClock
) -> None:
    """No invitation to a list that would be empty: the office's only survey after a
    scenario is for the dopog one, and "spring" is over."""
    pinned.set(datetime(2026, 6, 10, 10, 0, tzinfo=MOSCOW))
    chat = Person(office)
    await chat.send("/start")
    await chat.press(chat.t("menu-services"))
    await chat.press("scenario:svc:permit")
    await chat.press("scenario:ans:permit:channel:gosuslugi")
    while chat.t("scenario-done") not in chat.labels():
        await chat.press(chat.t("button-next"))
    assert [r.text for r in await chat.press(chat.t("scenario-done"))] == [
        chat.t("scenario-finished")
    ]
    _, invitation = await finish_route(chat)  # dopog's
    assert invitation.text == chat.t("invite-text")
