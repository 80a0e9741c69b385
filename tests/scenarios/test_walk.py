"""The scenario walk as a citizen meets it, at the level of replies: the texts come from the
catalog and from the shipped scenario files (scenarios/demo/*.yaml)."""

from datetime import date

import pytest
from sqlalchemy import inspect, select

from bot.app import App, create_app
from bot.core import clock
from bot.core.config import Settings
from bot.core.models import Interaction
from scenarios.loader import SHIPPED, load_services
from scenarios.schema import Step
from surveys.models import StageRating
from tests.support.client import People, Person

SERVICES = {service.id: service for service in load_services(SHIPPED)}
DOPOG = SERVICES["dopog"]

# How each route of the demo service is reached (the answers' action codes), and a fact its
# steps must tell: these facts pin the demo content on purpose.
ROUTES = {
    "in_person": (
        ["situation:apply", "applicant:driver", "channel:in_person"],
        "ул. Транспортная, д. 12",
    ),
    "gosuslugi": (["situation:apply", "applicant:driver", "channel:gosuslugi"], "10 минут"),
    "email": (
        ["situation:apply", "applicant:proxy", "channel_proxy:email"],
        "priem@tu-demo.example",
    ),
    "post": (["situation:apply", "applicant:driver", "channel:post"], "600000"),
    "proactive": (["situation:fee_notice"], "согласие"),
}


async def open_service(chat: Person, service: str = "dopog") -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-services"))
    await chat.press(f"scenario:svc:{service}")


async def open_route(chat: Person, route: str) -> None:
    await open_service(chat)
    for answer in ROUTES[route][0]:
        await chat.press(f"scenario:ans:dopog:{answer}")


def heading(chat: Person, route: str, index: int, service: str = "dopog") -> str:
    steps = SERVICES[service].route(route).steps
    counter = chat.t("scenario-step-counter", n=index + 1, total=len(steps))
    return f"{counter}. {steps[index].title.get(chat.locale)}"


def shows_step(chat: Person, text: str, route: str, index: int, service: str = "dopog") -> bool:
    """The text is that step: its heading first, then the step's own text."""
    step: Step = SERVICES[service].route(route).steps[index]
    return text.startswith(heading(chat, route, index, service)) and (
        step.text.get(chat.locale) in text
    )


@pytest.mark.parametrize("route", list(ROUTES))
async def test_every_route_walks_from_first_step_to_decision(chat: Person, route: str) -> None:
    await open_route(chat, route)
    screens = [chat.last.text]
    while chat.t("button-next") in chat.labels():
        await chat.press(chat.t("button-next"))
        screens.append(chat.last.text)
    steps = DOPOG.route(route).steps
    assert len(screens) == len(steps) == 5
    for index, screen in enumerate(screens):
        assert shows_step(chat, screen, route, index), index
    assert ROUTES[route][1] in "\n".join(screens)
    # The shared tail: a notice of missing documents, then the decision.
    assert [step.id for step in steps[3:]] == ["fix", "decision"]
    await chat.press(chat.t("scenario-done"))
    assert chat.replies[0].text == chat.t("scenario-finished")
    # The route is done: opening the section again starts with the list, no resume offer.
    await chat.press(chat.t("scenario-other-service"))
    assert chat.last.text == chat.t("scenario-choose-service")


async def test_second_service_makes_choosing_a_real_step(chat: Person) -> None:
    permit = SERVICES["permit"]
    await open_service(chat, "permit")
    assert chat.last.text == f"{permit.title.get('ru')}\n\n{permit.questions[0].text.get('ru')}"
    await chat.press("scenario:ans:permit:channel:gosuslugi")
    step = permit.route("gosuslugi").steps[0]
    assert shows_step(chat, chat.last.text, "gosuslugi", 0, "permit")
    assert chat.t("scenario-fee", fee=step.fee.get("ru")) in chat.last.text.splitlines()
    assert chat.t("scenario-deadline", deadline=step.deadline.get("ru")) in chat.last.text
    assert "1 600 ₽" in chat.last.text  # the demo fee, pinned on purpose


async def test_typed_answers_choose_like_buttons(chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-services"))
    await chat.send("допог")
    assert chat.last.text.endswith(DOPOG.question("situation").text.get("ru"))
    await chat.send("хочу подать заявление")
    assert chat.last.text == DOPOG.question("applicant").text.get("ru")
    await chat.send("я сам")
    await chat.send("почтой")
    assert shows_step(chat, chat.last.text, "post", 0)
    await chat.send("Далее")
    assert shows_step(chat, chat.last.text, "post", 1)
    await chat.send("назад")
    assert shows_step(chat, chat.last.text, "post", 0)
    await chat.send("что-то непонятное")
    assert chat.replies[0].text == chat.t("scenario-pick-button")
    assert shows_step(chat, chat.last.text, "post", 0)


async def test_back_on_first_step_and_next_on_last_step(chat: Person) -> None:
    await open_route(chat, "post")
    await chat.press(chat.t("button-back"))
    assert chat.last.text == DOPOG.question("channel").text.get("ru")  # it chose the route
    await chat.press("scenario:ans:dopog:channel:post")
    for _ in range(4):
        await chat.press(chat.t("button-next"))
    assert shows_step(chat, chat.last.text, "post", 4)
    assert chat.t("button-next") not in chat.labels()
    # Typing "next" on the last step moves nowhere: the step is shown again.
    await chat.send("далее")
    assert shows_step(chat, chat.last.text, "post", 4)
    assert chat.t("scenario-done") in chat.labels()


async def test_whole_route_in_one_message_is_a_checklist(chat: Person) -> None:
    await open_route(chat, "email")
    await chat.press(chat.t("scenario-whole-route"))
    route = DOPOG.route("email")
    summary = chat.t(
        "scenario-summary", service=DOPOG.title.get("ru"), route=route.title.get("ru")
    )
    assert chat.last.text.startswith(summary)
    for index in range(len(route.steps)):
        assert f"☐ {heading(chat, 'email', index)}" in chat.last.text
    assert chat.last.text.count("☐") == 5 and "priem@tu-demo.example" in chat.last.text
    await chat.press(chat.t("scenario-resume", n=1))
    assert shows_step(chat, chat.last.text, "email", 0)


async def test_leaving_and_coming_back_offers_to_continue(chat: Person) -> None:
    await open_route(chat, "gosuslugi")
    await chat.press(chat.t("button-next"))
    await chat.press(chat.t("button-next"))
    await chat.send("меню")
    await chat.press(chat.t("menu-services"))
    route = DOPOG.route("gosuslugi")
    assert chat.last.text == chat.t(
        "scenario-resume-offer",
        service=DOPOG.title.get("ru"),
        route=route.title.get("ru"),
        n=3,
        total=5,
        step=route.steps[2].title.get("ru"),
    )
    await chat.press(chat.t("scenario-resume", n=3))
    assert shows_step(chat, chat.last.text, "gosuslugi", 2)
    await chat.send("/start")
    await chat.press(chat.t("menu-services"))
    await chat.press(chat.t("scenario-start-over"))
    assert chat.last.text == chat.t("scenario-choose-service")


async def test_restart_resumes_at_the_same_step(settings: Settings, app: App) -> None:
    first = Person(app, "olga")
    await open_route(first, "in_person")
    await first.press(first.t("button-next"))
    await app.close()

    restarted = await create_app(settings)
    try:
        again = Person(restarted, "olga")
        # No /start: the person just goes on from the step they were at.
        await again.send("далее")
        assert shows_step(again, again.last.text, "in_person", 2)
    finally:
        await restarted.close()


async def test_booking_exit_hands_over_to_booking(chat: Person) -> None:
    await open_route(chat, "in_person")
    await chat.press(chat.t("button-next"))
    assert chat.button(chat.t("scenario-exit-booking")).action == "go:booking"
    await chat.press(chat.t("scenario-exit-booking"))
    assert chat.last.text == chat.t("booking-choose-office")


async def test_english_texts_come_from_the_same_files(chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-language"))
    await chat.press("English")
    chat.locale = "en"
    await chat.press(chat.t("menu-services"))
    await chat.press(DOPOG.title.get("en"))
    await chat.press(DOPOG.question("situation").choices[0].label.get("en"))
    assert shows_step(chat, chat.last.text, "proactive", 0)
    assert "Proactive means" in chat.last.text  # the English demo text, pinned on purpose
    expected = {chat.t("button-back"), chat.t("button-next"), chat.t("scenario-rate")}
    assert expected <= set(chat.labels())


# ---------------------------------------------------------------- ratings


async def ratings(app: App) -> list[StageRating]:
    async with app.sessions() as session:
        return list(await session.scalars(select(StageRating)))


async def events(app: App) -> list[tuple[str, str | None]]:
    async with app.sessions() as session:
        rows = await session.execute(select(Interaction.event, Interaction.ref))
        return [tuple(row) for row in rows]


async def test_rating_is_stored_without_the_person_and_with_a_date_only(
    app: App, chat: Person
) -> None:
    await open_route(chat, "proactive")
    await chat.press(chat.t("scenario-rate"))
    assert chat.last.text == chat.t("scenario-rate-ask")
    assert chat.labels() == ["1", "2", "3", "4", "5"]
    logged = await events(app)
    await chat.press("4")
    assert chat.last.text == chat.t("scenario-rate-thanks")
    [rating] = await ratings(app)
    assert (rating.service, rating.stage) == ("dopog", "scenario.proactive.consent")
    assert (rating.score, rating.touchpoint, rating.channel) == (4, "messenger", chat.channel)
    assert type(rating.rated_on) is date
    assert rating.rated_on == clock.today(app.settings.tz)  # the office's day
    async with app.db.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("stage_ratings")}
        )
    assert columns == {"id", "service", "touchpoint", "channel", "stage", "score", "rated_on"}
    # The score left no trace in the interaction log.
    assert await events(app) == logged
    assert chat.t("scenario-rate") not in chat.labels()


async def test_a_step_is_rated_once_per_visit(app: App, people: People) -> None:
    person = people("3", channel="vk")

    async def press(code: str) -> str:
        await person.handle(action=code)
        return person.replies[0].text

    await press("go:scenario")
    await press("scenario:svc:dopog")
    await press("scenario:ans:dopog:situation:fee_notice")
    await press("scenario:score:dopog:proactive:0:5")
    assert await press("scenario:score:dopog:proactive:0:3") == person.t("scenario-rated-already")
    assert await press("scenario:rate:dopog:proactive:0") == person.t("scenario-rated-already")
    await press("scenario:step:dopog:proactive:1")
    await press("scenario:step:dopog:proactive:0")  # a new visit of the first step
    await press("scenario:score:dopog:proactive:0:3")
    assert sorted(r.score for r in await ratings(app)) == [3, 5]


# ---------------------------------------------------------------- forged buttons


async def test_forged_scenario_buttons_are_refused_politely(app: App, people: People) -> None:
    person = people("7", channel="telegram")

    async def press(code: str) -> str:
        await person.handle(action=code)
        return person.replies[0].text

    stale = person.t("stale-button")
    # Before the person opened the section, no scenario button fits their state.
    assert await press("scenario:svc:dopog") == stale
    await press("go:scenario")
    await press("scenario:svc:dopog")
    assert shows_step(
        person, await press("scenario:ans:dopog:situation:fee_notice"), "proactive", 0
    )
    forged = [
        "scenario:step:dopog:proactive:5",  # step index out of range
        "scenario:step:dopog:proactive:-1",
        "scenario:step:dopog:proactive:١",  # a digit, but not an ASCII one
        "scenario:step:dopog:nosuch:0",  # unknown route
        "scenario:step:dopog:in_person:0",  # a route the answers did not choose
        "scenario:step:permit:gosuslugi:0",  # another service's step
        "scenario:score:dopog:proactive:0:0",  # ratings outside 1..5
        "scenario:score:dopog:proactive:0:9",
        "scenario:score:dopog:proactive:0:55",
        "scenario:score:dopog:proactive:2:5",  # a step not on screen
        "scenario:done:dopog:proactive:0",  # not the last step
        "scenario:ans:dopog:situation:apply",  # the question is no longer open
        "scenario:ask:dopog:channel",  # a question this person was never asked
        "scenario:svc:permit",
        "scenario:step:dopog:proactive",
        "scenario:nosuch",
    ]
    for code in forged:
        assert await press(code) == stale, code
    assert await ratings(app) == []
    # The real place is untouched: the next step still opens.
    assert shows_step(person, await press("scenario:step:dopog:proactive:1"), "proactive", 1)


async def test_every_button_code_is_short_and_holds_no_text(people: People) -> None:
    person = people("11", channel="telegram")
    codes: list[str] = []

    async def press(code: str) -> None:
        await person.handle(action=code)
        codes.extend(button.action for button in person.buttons())

    await press("go:scenario")
    await press("scenario:svc:dopog")
    await press("scenario:ans:dopog:situation:apply")
    await press("scenario:ans:dopog:applicant:proxy")
    await press("scenario:ans:dopog:channel_proxy:email")
    await press("scenario:step:dopog:email:4")
    await press("scenario:rate:dopog:email:4")
    assert codes and all(len(code.encode()) <= 64 for code in codes)
    assert all(code.isascii() for code in codes)
