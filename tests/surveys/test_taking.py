""" "Оценить качество" as a citizen meets it, at the level of replies: the texts come from the
catalog and from the shipped questionnaires (surveys/demo/*.yaml)."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import IDLE_FORMS_KEEP, App, create_app
from bot.booking.models import BOOKED
from bot.core import clock
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.messages import Unsupported
from bot.core.models import Conversation
from surveys.actions import ANSWER, BACK, DONE, GO_ON, OPEN, SKIP, TOGGLE
from surveys.models import SurveyParticipation
from surveys.store import participation_key
from tests.conftest import MOSCOW
from tests.support.client import People, Person
from tests.surveys.conftest import (
    SURVEYS,
    listed,
    open_survey,
    question_text,
    reopen,
    stored,
    values,
    visit,
)

MESSENGER = SURVEYS["messenger"]
DOCUMENTS = SURVEYS["documents_result"]


def title(chat: Person, survey_id: str) -> str:
    return SURVEYS[survey_id].title.get(chat.locale)


async def test_the_menu_lists_the_surveys_open_to_the_person(chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-survey"))
    assert chat.last.text == chat.t("survey-list")
    # No visit: the survey about the result of handing in documents is not for this person.
    assert chat.labels() == [
        title(chat, "messenger"),
        title(chat, "suggestions"),
        chat.t("survey-results"),
        chat.t("button-menu"),
    ]
    assert chat.button(chat.t("survey-results")).action == "go:stats"
    await chat.press(title(chat, "messenger"))
    intro, first = chat.replies
    assert intro.text == chat.t("survey-intro", title=title(chat, "messenger"))
    # The follow-up on "found" is not counted until an answer lets it in.
    assert first.text == question_text(chat, "messenger", "convenient", 1, 3)
    assert chat.labels() == [
        *"12345",
        chat.t("button-back"),
        chat.t("survey-skip"),
        chat.t("button-menu"),
    ]


async def test_the_survey_of_a_service_is_for_its_visitors(app: App, people: People) -> None:
    for name, service, status, shown in (
        ("served", "documents", "served", True),
        ("other_service", "consult", "served", False),
        ("not_yet", "documents", BOOKED, False),
    ):
        chat = people(name)
        await chat.send("/start")
        await visit(app, chat, service, status)
        await chat.press(chat.t("menu-survey"))
        assert (OPEN.pack("documents_result") in listed(chat)) is shown, name
        if not shown:
            await chat.handle(action=OPEN.pack("documents_result"))
            assert chat.last.text == chat.t("stale-button")


@pytest.mark.parametrize(("score", "follow_up"), [(3, True), (4, False)])
async def test_what_went_wrong_is_asked_only_after_a_low_score(
    app: App, chat: Person, score: int, follow_up: bool
) -> None:
    await chat.send("/start")
    await visit(app, chat)
    await open_survey(chat, "documents_result")
    assert chat.last.text == question_text(chat, "documents_result", "result", 1, 3)
    await chat.press(str(score))
    if follow_up:
        assert chat.last.text == question_text(chat, "documents_result", "what_wrong", 2, 4)
        await chat.send("Долго искали нужное окно")
    assert chat.last.text == question_text(
        chat, "documents_result", "wait", 2 + follow_up, 3 + follow_up
    )
    await chat.press(DOCUMENTS.question("wait").options[1].text.ru)
    assert chat.last.text == question_text(
        chat, "documents_result", "recommend", 3 + follow_up, 3 + follow_up
    )
    assert chat.labels()[:11] == [str(n) for n in range(11)]
    await chat.press("10")
    assert chat.last.text == chat.t("survey-thanks")
    assert chat.labels() == [
        chat.t("survey-other"),
        chat.t("survey-changes"),
        chat.t("button-menu"),
    ]

    rows = await stored(app)
    expected = {"result": score, "wait": ["up_to_30"], "recommend": 10}
    if follow_up:
        expected["what_wrong"] = "Долго искали нужное окно"
    assert values(rows) == expected
    assert {(r.survey, r.service, r.touchpoint, r.channel) for r in rows} == {
        ("documents_result", "documents", "office", chat.channel)
    }
    assert len({row.response for row in rows}) == 1
    assert {row.week for row in rows} == {clock.today(MOSCOW) - timedelta(days=2)}  # Monday


async def test_multiple_choice_ticks_and_an_option_condition(app: App, chat: Person) -> None:
    await open_survey(chat, "messenger")
    await chat.press("4")
    assert chat.last.text == question_text(chat, "messenger", "used", 2, 3)
    options = [option.text.ru for option in MESSENGER.question("used").options]
    assert chat.labels()[:5] == [*(f"☐ {o}" for o in options), chat.t("survey-done")]
    for option in (0, 2, 0, 3):  # ticked, ticked, unticked, ticked
        await chat.press(TOGGLE.pack("messenger", 1, option))
    assert chat.labels()[:4] == [
        f"☐ {options[0]}",
        f"☐ {options[1]}",
        f"☑ {options[2]}",
        f"☑ {options[3]}",
    ]
    assert chat.last.text == question_text(chat, "messenger", "used", 2, 3)
    await chat.press(chat.t("survey-done"))
    # "Частично" lets the follow-up in: the count grows to 4.
    await chat.press("Частично")
    assert chat.last.text == question_text(chat, "messenger", "better", 4, 4)
    await chat.send("Не нашёл, где узнать размер пошлины")
    assert chat.last.text == chat.t("survey-thanks")
    assert values(await stored(app)) == {
        "convenient": 4,
        "used": ["booking", "staff"],
        "found": ["partly"],
        "better": "Не нашёл, где узнать размер пошлины",
    }


async def test_skip_and_back(app: App, chat: Person) -> None:
    await open_survey(chat, "messenger")
    await chat.press("4")
    await chat.press(chat.t("survey-skip"))  # what they used
    assert chat.last.text == question_text(chat, "messenger", "found", 3, 3)
    await chat.press(chat.t("button-back"))
    assert chat.last.text == question_text(chat, "messenger", "used", 2, 3)
    await chat.press(chat.t("button-back"))
    # The score given before is marked; another one replaces it.
    assert chat.labels()[:5] == ["1", "2", "3", "✓ 4", "5"]
    await chat.press("2")
    await chat.press(TOGGLE.pack("messenger", 1, 1))
    await chat.press(chat.t("survey-done"))
    await chat.press("Нет")
    assert chat.last.text == question_text(chat, "messenger", "better", 4, 4)
    await chat.press(chat.t("survey-skip"))
    assert chat.last.text == chat.t("survey-thanks")
    # A skipped question stores nothing, not even an empty row.
    assert values(await stored(app)) == {
        "convenient": 2,
        "used": ["services"],
        "found": ["no"],
    }


async def test_back_from_a_changed_answer_drops_the_follow_up(app: App, chat: Person) -> None:
    await chat.send("/start")
    await visit(app, chat)
    await open_survey(chat, "documents_result")
    await chat.press("1")
    await chat.send("Всё плохо")
    await chat.press(chat.t("button-back"))
    await chat.press(chat.t("button-back"))
    await chat.press("5")  # the follow-up is no longer asked, nor stored
    assert chat.last.text == question_text(chat, "documents_result", "wait", 2, 3)
    await chat.press(chat.t("survey-skip"))
    await chat.press(chat.t("survey-skip"))
    assert values(await stored(app)) == {"result": 5}


async def test_back_from_the_first_question_is_the_list(chat: Person) -> None:
    await open_survey(chat, "suggestions")
    await chat.press(chat.t("button-back"))
    assert chat.last.text == chat.t("survey-list")


async def test_going_on_after_a_break(app: App, chat: Person, pinned: PinnedClock) -> None:
    await open_survey(chat, "messenger")
    await chat.press("5")
    # Typed text at a button question, right away: a hint, and the question again.
    await chat.send("а можно словами?")
    assert [r.text for r in chat.replies] == [
        chat.t("survey-use-buttons"),
        question_text(chat, "messenger", "used", 2, 3),
    ]
    pinned.advance(timedelta(hours=3))
    await chat.send("Добрый день")
    resume = chat.t("survey-resume", title=title(chat, "messenger"), n=2, total=3)
    assert chat.last.text == resume
    assert chat.labels() == [chat.t("survey-go-on"), chat.t("survey-anew"), chat.t("button-menu")]
    await chat.press(chat.t("survey-go-on"))
    assert chat.last.text == question_text(chat, "messenger", "used", 2, 3)
    # "Оценить качество" pressed again (from an older menu) offers the same.
    await reopen(chat)
    assert chat.last.text == resume
    await chat.press(GO_ON.pack("messenger"))
    await chat.press(chat.t("survey-done"))
    await chat.press("Да")
    assert values(await stored(app)) == {"convenient": 5, "found": ["yes"]}


async def test_starting_again_after_a_break_drops_the_answers(app: App, chat: Person) -> None:
    await open_survey(chat, "messenger")
    await chat.press("5")
    await reopen(chat)
    await chat.press(chat.t("survey-anew"))
    assert chat.last.text == question_text(chat, "messenger", "convenient", 1, 3)
    await chat.press(chat.t("survey-skip"))
    await chat.press(chat.t("survey-skip"))
    await chat.press(chat.t("survey-skip"))
    assert await stored(app) == []  # nothing answered, nothing stored


async def test_a_restart_mid_survey_loses_nothing(settings: Settings, app: App) -> None:
    chat = Person(app)
    await open_survey(chat, "suggestions")
    await chat.press("Приём в офисе")
    assert chat.last.text == question_text(chat, "suggestions", "idea", 2, 2)
    await app.close()  # the process stops; a new one starts on the same database

    again = await create_app(settings)
    try:
        chat.app = again
        await chat.send("Сделайте парковку для посетителей")
        assert chat.last.text == chat.t("survey-thanks")
        assert values(await stored(again)) == {
            "about": ["office"],
            "idea": "Сделайте парковку для посетителей",
        }
    finally:
        await again.close()


async def test_a_second_attempt_is_refused(app: App, chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-survey"))
    first_list = chat.keyboard
    await chat.press(title(chat, "suggestions"))
    await chat.press("Другое")
    await chat.send("Больше скамеек")
    assert chat.last.text == chat.t("survey-thanks")
    await chat.press(chat.t("survey-other"))
    assert listed(chat) == [OPEN.pack("messenger")]
    # The button of the list seen before still says "answered already", politely.
    chat.keyboard = first_list
    await chat.press(title(chat, "suggestions"))
    assert chat.last.text == chat.t("survey-taken")
    await chat.press(chat.t("survey-other"))
    await chat.press(title(chat, "messenger"))
    for _ in range(3):
        await chat.press(chat.t("survey-skip"))
    await chat.press(chat.t("survey-other"))
    assert chat.last.text == chat.t("survey-all-done")
    assert len(await stored(app)) == 2


async def test_the_last_answer_is_refused_if_the_survey_was_answered_meanwhile(
    app: App, chat: Person
) -> None:
    await open_survey(chat, "suggestions")
    await chat.press("Другое")
    # The same person finished it meanwhile (another device's conversation, another worker).
    key = participation_key(app.settings.secret(), "suggestions", chat.channel, chat.user_id)
    async with transaction(app.sessions) as session:
        session.add(SurveyParticipation(key=key))
    await chat.send("Больше скамеек")
    assert chat.last.text == chat.t("survey-taken")
    assert await stored(app) == []


async def test_a_too_long_answer_is_asked_to_be_shortened(app: App, chat: Person) -> None:
    await open_survey(chat, "suggestions")
    await chat.press("Чат и сайт")
    await chat.send("Очень длинно. " * 80)
    too_long = chat.t("survey-too-long", limit=1000, length=len(("Очень длинно. " * 80).strip()))
    assert [r.text for r in chat.replies] == [
        too_long,
        question_text(chat, "suggestions", "idea", 2, 2),
    ]
    await chat.send("Коротко: добавьте поиск по сайту.")
    assert values(await stored(app)) == {
        "about": ["online"],
        "idea": "Коротко: добавьте поиск по сайту.",
    }


@pytest.mark.parametrize("kind", [Unsupported.STICKER, Unsupported.FILE, Unsupported.VOICE])
async def test_a_sticker_or_a_file_gets_the_question_again(
    chat: Person, kind: Unsupported
) -> None:
    await open_survey(chat, "suggestions")
    await chat.press("Другое")
    await chat.send_unsupported(kind)
    assert [r.text for r in chat.replies] == [
        chat.t("unsupported-input", kind=kind.value),
        question_text(chat, "suggestions", "idea", 2, 2),
    ]
    await chat.send("Текстом")
    assert chat.last.text == chat.t("survey-thanks")


@pytest.mark.parametrize(
    "code",
    [
        ANSWER.pack("messenger", 0, 6),  # not on the 1–5 scale
        ANSWER.pack("messenger", 0, 0),
        "survey:a:messenger:0:x",
        "survey:a:messenger:0:4:1",
        ANSWER.pack("messenger", 1, 1),  # a question that is not on screen
        ANSWER.pack("messenger", 99, 1),
        ANSWER.pack("suggestions", 0, 1),  # another survey
        TOGGLE.pack("messenger", 0, 1),  # ticks on a rating question
        DONE.pack("messenger", 0),
        SKIP.pack("messenger", 2),
        BACK.pack("documents_result", 0),
        GO_ON.pack("suggestions"),
        OPEN.pack("no_such_survey"),
        OPEN.pack("documents_result"),  # not for someone who had no visit
        "survey:nope",
        "survey",
    ],
)
async def test_forged_buttons_are_refused_politely(app: App, chat: Person, code: str) -> None:
    await open_survey(chat, "messenger")
    await chat.handle(action=code)
    assert chat.last.text == chat.t("stale-button")
    # The survey goes on from the question it was at.
    await reopen(chat)
    await chat.press(chat.t("survey-go-on"))
    assert chat.last.text == question_text(chat, "messenger", "convenient", 1, 3)


async def test_survey_buttons_outside_the_survey_are_stale(app: App, chat: Person) -> None:
    await open_survey(chat, "messenger")
    await chat.press("3")
    await chat.press(chat.t("button-menu"))
    # Another section took over: the partial answers are gone, the old buttons with them.
    await chat.handle(action=TOGGLE.pack("messenger", 1, 0))
    assert chat.last.text == chat.t("stale-button")
    await reopen(chat)
    assert chat.last.text == chat.t("survey-list")
    assert await stored(app) == []


async def test_half_answers_are_dropped_two_days_later(
    app: App, chat: Person, pinned: PinnedClock
) -> None:
    await open_survey(chat, "messenger")
    await chat.press("3")
    pinned.advance(IDLE_FORMS_KEEP + timedelta(minutes=1))
    assert await app.engine.reset_idle(clock.now() - IDLE_FORMS_KEEP) == 1
    async with app.sessions() as session:
        [conversation] = await session.scalars(select(Conversation))
    assert (conversation.feature, conversation.data) == ("menu", {})
    await chat.press(chat.t("survey-done"))
    assert chat.last.text == chat.t("stale-button")


async def test_the_active_period_follows_the_office_calendar(
    chat: Person, pinned: PinnedClock
) -> None:
    # The demo's chat survey opens on 1 January 2026, Moscow time.
    pinned.set(datetime(2025, 12, 31, 23, 30, tzinfo=MOSCOW))
    await chat.send("/start")
    await chat.press(chat.t("menu-survey"))
    assert listed(chat) == [OPEN.pack("suggestions")]
    pinned.set(datetime(2026, 1, 1, 0, 30, tzinfo=MOSCOW))
    await reopen(chat)
    assert listed(chat) == [OPEN.pack("messenger"), OPEN.pack("suggestions")]


async def test_in_english(people: People) -> None:
    olga = people("olga", locale="en")
    await open_survey(olga, "messenger")
    assert olga.last.text == question_text(olga, "messenger", "convenient", 1, 3)
    assert olga.last.text.startswith("Question 1 of 3")
    await olga.press("5")
    assert f"☐ {MESSENGER.question('used').options[0].text.en}" in olga.labels()


async def test_a_score_or_a_choice_may_be_typed(app: App, chat: Person) -> None:
    """Someone who types "4" or "частично" instead of pressing gets the same as the button;
    a number off the scale or a multiple choice typed gets the hint and the question."""
    await open_survey(chat, "messenger")
    await chat.send("7")
    assert [r.text for r in chat.replies] == [
        chat.t("survey-use-buttons"),
        question_text(chat, "messenger", "convenient", 1, 3),
    ]
    await chat.send(" 4. ")
    assert chat.last.text == question_text(chat, "messenger", "used", 2, 3)
    await chat.send("Запись на приём")
    assert chat.replies[0].text == chat.t("survey-use-buttons")
    await chat.press(chat.t("survey-done"))
    await chat.send("ЧАСТИЧНО")
    assert chat.last.text == question_text(chat, "messenger", "better", 4, 4)
    await chat.send("Нужна запись на выходные")
    assert values(await stored(app)) == {
        "convenient": 4,
        "found": ["partly"],
        "better": "Нужна запись на выходные",
    }
