"""The scenario walk through the terminal channel and the engine, as a citizen meets it."""

from datetime import date

import pytest
from sqlalchemy import inspect, select

from bot.app import create_app
from bot.core import clock
from bot.core.messages import Incoming
from bot.core.models import Interaction
from surveys.ratings import StageRating
from tests.conftest import Terminal

# How each route of the demo service is reached, and a fact its steps must tell.
ROUTES = {
    "in_person": (["Хочу подать", "Я сам", "Лично"], "ул. Транспортная, д. 12"),
    "gosuslugi": (["Хочу подать", "Я сам", "На портале"], "10 минут"),
    "email": (["Хочу подать", "Представитель", "e-mail"], "priem@tu-demo.example"),
    "post": (["Хочу подать", "Я сам", "Почтой"], "600000"),
    "proactive": (["Я сдал экзамен"], "согласие"),
}


async def open_service(terminal: Terminal, service: str = "ДОПОГ") -> str:
    await terminal.say("/start")
    await terminal.press("Как получить услугу")
    return await terminal.press(service)


async def open_route(terminal: Terminal, route: str) -> str:
    await open_service(terminal)
    screen = ""
    for answer in ROUTES[route][0]:
        screen = await terminal.press(answer)
    return screen


@pytest.mark.parametrize("route", list(ROUTES))
async def test_every_route_walks_from_first_step_to_decision(terminal: Terminal, route) -> None:
    screens = [await open_route(terminal, route)]
    while "Далее" in terminal.labels().values():
        screens.append(await terminal.press("Далее"))
    assert len(screens) == 5
    for number, screen in enumerate(screens, start=1):
        assert f"Шаг {number} из 5" in screen
    whole = "\n".join(screens)
    assert ROUTES[route][1] in whole
    # The shared tail: a notice of missing documents within 24 hours, then the decision.
    assert "24 часов" in screens[3] and "решени" in screens[4].lower()
    assert "Готово" in terminal.labels().values()
    finished = await terminal.press("Готово")
    assert "прошли весь маршрут" in finished
    # The route is done: opening the section again starts with the list, no resume offer.
    assert "Какая услуга" in await terminal.press("Другая услуга")


async def test_second_service_makes_choosing_a_real_step(terminal: Terminal) -> None:
    screen = await open_service(terminal, "Разрешение на тяжёлый")
    assert "больше допустимых" in screen
    screen = await terminal.press("На портале")
    assert "Шаг 1 из 3" in screen and "1 600 ₽" in screen and "4 рабочих дней" in screen


async def test_typed_answers_choose_like_buttons(terminal: Terminal) -> None:
    await terminal.say("/start")
    await terminal.press("Как получить услугу")
    assert "Что у вас сейчас?" in await terminal.say("допог")
    assert "Кто подаёт" in await terminal.say("хочу подать заявление")
    await terminal.say("я сам")
    assert "Шаг 1 из 5" in await terminal.say("почтой")
    assert "Шаг 2 из 5" in await terminal.say("Далее")
    assert "Шаг 1 из 5" in await terminal.say("назад")
    screen = await terminal.say("что-то непонятное")
    assert "нажмите одну из кнопок" in screen and "Шаг 1 из 5" in screen


async def test_back_on_first_step_and_next_on_last_step(terminal: Terminal) -> None:
    await open_route(terminal, "post")
    screen = await terminal.press("Назад")
    assert "Как вам удобнее подать" in screen  # the question that chose the route
    await terminal.press("Почтой")
    for _ in range(4):
        screen = await terminal.press("Далее")
    assert "Шаг 5 из 5" in screen and "Далее" not in terminal.labels().values()
    # Typing "next" on the last step moves nowhere: the step is shown again.
    screen = await terminal.say("далее")
    assert "Шаг 5 из 5" in screen and "Готово" in terminal.labels().values()


async def test_whole_route_in_one_message_is_a_checklist(terminal: Terminal) -> None:
    await open_route(terminal, "email")
    screen = await terminal.press("Весь маршрут")
    assert screen.count("☐") == 5 and "priem@tu-demo.example" in screen
    assert "Шаг 1 из 5" in await terminal.press("Продолжить с шага 1")


async def test_leaving_and_coming_back_offers_to_continue(terminal: Terminal) -> None:
    await open_route(terminal, "gosuslugi")
    await terminal.press("Далее")
    await terminal.press("Далее")
    await terminal.say("меню")
    screen = await terminal.press("Как получить услугу")
    assert "Шаг 3 из 5: Оплатите пошлину" in screen
    assert "Шаг 3 из 5" in await terminal.press("Продолжить с шага 3")
    await terminal.say("/start")
    await terminal.press("Как получить услугу")
    assert "Какая услуга" in await terminal.press("Начать заново")


async def test_restart_resumes_at_the_same_step(settings, app) -> None:
    first = Terminal(app, user_id="olga")
    await open_route(first, "in_person")
    await first.press("Далее")
    await app.close()

    restarted = await create_app(settings)
    try:
        again = Terminal(restarted, user_id="olga")
        # No /start: the person just goes on from the step they were at.
        assert "Шаг 3 из 5" in await again.say("далее")
    finally:
        await restarted.close()


async def test_booking_exit_hands_over_to_booking(terminal: Terminal) -> None:
    await open_route(terminal, "in_person")
    await terminal.press("Далее")
    pressed = next(n for n, label in terminal.labels().items() if label == "Записаться на приём")
    assert terminal.channel.numbered[pressed] == "go:booking"
    assert "Выберите офис" in await terminal.say(pressed)


async def test_english_texts_come_from_the_same_files(terminal: Terminal) -> None:
    await terminal.say("/start")
    await terminal.press("Language")
    await terminal.press("English")
    await terminal.press("How to get a service")
    await terminal.press("ADR certificate")
    screen = await terminal.press("fee notice")
    assert "Step 1 of 5" in screen and "Proactive means" in screen
    assert {"Back", "Next", "Rate this step"} <= set(terminal.labels().values())


# ---------------------------------------------------------------- ratings


async def ratings(app) -> list[StageRating]:
    async with app.sessions() as session:
        return list(await session.scalars(select(StageRating)))


async def events(app) -> list[tuple[str, str | None]]:
    async with app.sessions() as session:
        rows = await session.execute(select(Interaction.event, Interaction.ref))
        return [tuple(row) for row in rows]


async def test_rating_is_stored_without_the_person_and_with_a_date_only(app, terminal) -> None:
    await open_route(terminal, "proactive")
    assert "анонимная" in await terminal.press("Оценить этот шаг")
    logged = await events(app)
    assert "Спасибо" in await terminal.press("4")
    [rating] = await ratings(app)
    assert (rating.service, rating.stage, rating.score) == ("dopog", "proactive.consent", 4)
    assert type(rating.rated_on) is date
    assert rating.rated_on == clock.today(app.settings.tz)  # the office's day
    async with app.db.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("stage_ratings")}
        )
    assert columns == {"id", "service", "stage", "score", "rated_on"}
    # The score left no trace in the interaction log.
    assert await events(app) == logged
    assert "Оценить этот шаг" not in terminal.labels().values()


async def test_a_step_is_rated_once_per_visit(app) -> None:
    async def press(code: str) -> str:
        replies = await app.engine.handle(Incoming("vk", "3", "3", action=code))
        return replies[0].text

    await press("go:scenario")
    await press("scenario:svc:dopog")
    await press("scenario:ans:dopog:situation:fee_notice")
    await press("scenario:score:dopog:proactive:0:5")
    assert "уже оценили" in await press("scenario:score:dopog:proactive:0:3")
    assert "уже оценили" in await press("scenario:rate:dopog:proactive:0")
    await press("scenario:step:dopog:proactive:1")
    await press("scenario:step:dopog:proactive:0")  # a new visit of the first step
    await press("scenario:score:dopog:proactive:0:3")
    assert sorted(r.score for r in await ratings(app)) == [3, 5]


# ---------------------------------------------------------------- forged buttons


async def test_forged_scenario_buttons_are_refused_politely(app) -> None:
    async def press(code: str) -> str:
        replies = await app.engine.handle(Incoming("telegram", "7", "7", action=code))
        return replies[0].text

    # Before the person opened the section, no scenario button fits their state.
    assert "кнопка уже не работает" in await press("scenario:svc:dopog")
    await press("go:scenario")
    await press("scenario:svc:dopog")
    assert "Шаг 1 из 5" in await press("scenario:ans:dopog:situation:fee_notice")
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
        assert "кнопка уже не работает" in await press(code), code
    assert await ratings(app) == []
    # The real place is untouched: the next step still opens.
    assert "Шаг 2 из 5" in await press("scenario:step:dopog:proactive:1")


async def test_every_button_code_is_short_and_holds_no_text(app) -> None:
    codes: list[str] = []

    async def press(code: str) -> None:
        for reply in await app.engine.handle(Incoming("telegram", "11", "11", action=code)):
            codes.extend(button.action for row in reply.buttons for button in row)

    await press("go:scenario")
    await press("scenario:svc:dopog")
    await press("scenario:ans:dopog:situation:apply")
    await press("scenario:ans:dopog:applicant:proxy")
    await press("scenario:ans:dopog:channel_proxy:email")
    await press("scenario:step:dopog:email:4")
    await press("scenario:rate:dopog:email:4")
    assert codes and all(len(code.encode()) <= 64 for code in codes)
    assert all(code.isascii() for code in codes)
