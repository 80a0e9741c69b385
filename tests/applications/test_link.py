""" "Мои заявления" through the client: an application is linked with its number and the right
check code; a wrong code is refused politely and tries run out; someone else's number answers
exactly like a number that does not exist; forged buttons are turned away; "Удалить мои
данные" unlinks."""

from sqlalchemy import select

from applications.actions import SHOW
from applications.models import Application
from applications.service import NUMBER_TRIES, PERSON_TRIES
from bot.app import App
from tests.applications.conftest import hire, link, staff
from tests.support.client import People, Person


async def linked_to(app: App, number: str) -> int | None:
    async with app.sessions() as session:
        return await session.scalar(
            select(Application.person_id).where(Application.number == number)
        )


async def test_the_right_code_links_and_shows_the_stages(app: App, chat: Person) -> None:
    await hire(app)
    await staff(app, "/app add 12-345/2026 permit 4321")
    answer = await link(chat, "№ 12-345/2026", "43 21")  # typed with "№" and a space
    assert answer.startswith(chat.t("app-linked", number="12-345/2026"))
    service = "Разрешение на тяжёлый или крупный груз"  # the permit scenario's title
    line = chat.t("app-line-service", number="12-345/2026", service=service, stage="Принято")
    assert line in answer.splitlines()
    await staff(app, "/app 12-345/2026 next")
    await chat.send("мои заявления")  # typed, as a command
    await chat.press(chat.t("app-button-show", number="12-345/2026"))
    head = chat.t(
        "app-card-service", number="12-345/2026", service=service, stage="На рассмотрении"
    )
    assert chat.last.text.splitlines() == [
        *head.splitlines(),
        chat.t("app-step", date="11.03.2026", stage="Принято"),
        chat.t("app-step", date="11.03.2026", stage="На рассмотрении"),
    ]
    # Linking it again says so and adds nothing.
    assert (await link(chat, "12-345/2026", "4321")).startswith(
        chat.t("app-already", number="12-345/2026")
    )
    assert chat.labels().count(chat.t("app-button-show", number="12-345/2026")) == 1
    # /history lists it too; a question typed over the list is answered as anywhere else.
    await chat.send("/history")
    assert chat.replies[0].text.splitlines()[1].startswith("№ 12-345/2026 · ")
    await chat.send("мои заявления")
    await chat.send("где вы находитесь")
    assert "faq:yes" in [button.action for button in chat.buttons()]  # "Помог ли ответ?"


async def test_a_wrong_code_is_refused_and_tries_run_out(app: App, chat: Person) -> None:
    await hire(app)
    await staff(app, "/app add 777 dopog 4321")
    for left in range(PERSON_TRIES - 1, 0, -1):
        assert await link(chat, "777", "1234") == chat.t("app-refused", left=left)
    assert await link(chat, "777", "1234") == chat.t("app-too-many")
    # Out of tries, even the right code is not looked at until tomorrow.
    assert await link(chat, "777", "4321") == chat.t("app-too-many")
    assert await linked_to(app, "777") is None


async def test_someone_elses_number_gives_nothing_away(app: App, people: People) -> None:
    olga, ivan = people("olga"), people("ivan")
    await hire(app)
    await staff(app, "/app add 555 permit 9999")
    await link(olga, "555", "9999")
    # Ivan, even with Olga's code, hears what a number that does not exist gets.
    taken = await link(ivan, "555", "9999")
    missing = await link(ivan, "556", "9999")
    assert taken == ivan.t("app-refused", left=PERSON_TRIES - 1)
    assert missing == ivan.t("app-refused", left=PERSON_TRIES - 2)
    assert await linked_to(app, "555") is not None  # still Olga's
    assert "555" not in str(await olga.delivered())  # Olga is not told anything either


async def test_a_number_guessed_at_too_often_needs_a_new_code(app: App, people: People) -> None:
    await hire(app)
    await staff(app, "/app add 321 permit 2468")
    guessers = [people(f"guesser{n}") for n in range(NUMBER_TRIES // PERSON_TRIES)]
    for guesser in guessers:
        for _ in range(PERSON_TRIES):
            await link(guesser, "321", "0000")
    owner = people("owner")
    assert await link(owner, "321", "2468") == owner.t("app-refused", left=PERSON_TRIES - 1)
    card = await staff(app, "/app 321")
    assert f"{NUMBER_TRIES}." in card.splitlines()[2]  # "Неверных кодов: 10."
    await staff(app, "/app code 321 1357")
    assert (await link(owner, "321", "1357")).startswith(owner.t("app-linked", number="321"))


async def test_forged_and_foreign_buttons_are_refused(app: App, people: People) -> None:
    olga, ivan = people("olga"), people("ivan")
    await hire(app)
    await staff(app, "/app add 100 permit 1111")
    await link(olga, "100", "1111")
    async with app.sessions() as session:
        application_id = await session.scalar(select(Application.id))
    assert application_id is not None
    await ivan.send("/start")
    for forged in (SHOW.pack(application_id), "applications:show:1x", "applications:show"):
        await ivan.handle(action=forged)
        assert ivan.last.text == ivan.t("stale-button")
    await olga.handle(action=SHOW.pack(application_id))
    assert olga.last.text.startswith(
        olga.t(
            "app-card-service",
            number="100",
            service="Разрешение на тяжёлый или крупный груз",
            stage="Принято",
        )
    )


async def test_forgetting_me_unlinks_my_applications(app: App, chat: Person) -> None:
    await hire(app)
    await staff(app, "/app add 42 permit 4242")
    await link(chat, "42", "4242")
    await chat.send("удалить мои данные")
    await chat.press(chat.t("forget-yes"))
    assert await linked_to(app, "42") is None
    await chat.press(chat.t("button-menu"))
    await chat.press(chat.t("menu-applications"))
    assert chat.last.text == chat.t("app-list-empty")
    # Nobody is told of the next stage any more.
    await staff(app, "/app 42 next")
    assert await chat.delivered() == []
