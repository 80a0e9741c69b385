"""Survey invitations after a visit marked "принят", a closed ticket and a finished scenario:
a message with a button to the surveys, at most one per person per SURVEY_INVITE_DAYS, none
after "Не присылать опросы" (and back on), and forgotten by "удалить мои данные"."""

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from bot.booking.staff_day import SERVED_BUTTON
from bot.core import staff
from bot.core.clock import PinnedClock
from bot.core.db import transaction
from bot.core.feature import go
from bot.core.messages import Reply
from bot.tickets.models import Ticket
from surveys.invitations import OFF, ON
from surveys.models import SurveyInvitation
from tests.booking.conftest import book, booked
from tests.scenarios.test_walk import open_route
from tests.support.client import People, Person
from tests.tickets.conftest import open_ticket


async def finish_route(chat: Person) -> list[Reply]:
    """Walk a route of the demo service to its end; the bot's replies to "Готово"."""
    await open_route(chat, "proactive")
    while chat.t("button-next") in chat.labels():
        await chat.press(chat.t("button-next"))
    return await chat.press(chat.t("scenario-done"))


async def row(app: App, person_id: int = 1) -> SurveyInvitation | None:
    async with app.sessions() as session:
        return await session.get(SurveyInvitation, person_id)


async def test_a_finished_scenario_invites_with_the_buttons_to_take_or_refuse(
    app: App, chat: Person
) -> None:
    finished, invitation = await finish_route(chat)
    assert finished.text == chat.t("scenario-finished")
    assert invitation.text == chat.t("invite-text")
    assert [b.action for row in invitation.buttons for b in row] == [go("survey"), OFF.pack()]
    assert [b.text for row in invitation.buttons for b in row] == [
        chat.t("invite-take"),
        chat.t("invite-stop"),
    ]


async def test_at_most_one_invitation_per_period(
    app: App, chat: Person, pinned: PinnedClock
) -> None:
    assert len(await finish_route(chat)) == 2
    pinned.advance(timedelta(days=29))
    assert [r.text for r in await finish_route(chat)] == [chat.t("scenario-finished")]
    pinned.advance(timedelta(days=1))  # 30 days (SURVEY_INVITE_DAYS) after the first
    assert (await finish_route(chat))[-1].text == chat.t("invite-text")


async def test_a_closed_ticket_invites_unless_one_came_lately(
    app: App, chat: Person, pinned: PinnedClock
) -> None:
    await open_ticket(chat)
    async with transaction(app.sessions) as session:
        ticket = await session.get(Ticket, 1)
        await app.tickets.service.close(session, ticket, "staff", ticket.created_at)
    closing, invitation = await chat.delivered()
    assert closing.text.startswith(chat.t("ticket-closed", number=1))
    assert invitation.text == chat.t("invite-text")
    pinned.advance(timedelta(days=3))
    await open_ticket(chat, "Второй вопрос")
    await chat.send("/history")
    await chat.press("ticket:show:2")
    await chat.press(chat.t("ticket-button-done"))  # the person closes it: within the period
    assert [r.text for r in chat.replies] == [
        f"{chat.t('ticket-closed', number=2)}\n{chat.t('ticket-rate-ask')}"
    ]
    assert await chat.delivered() == []


async def test_a_visit_invites_the_visitor(app: App, chat: Person, people: People) -> None:
    await book(chat)
    async with transaction(app.sessions) as session:
        await staff.add(session, "console", "clerk", staff.Role.STAFF, "Петрова П. П.")
    await people("clerk").handle(action=SERVED_BUTTON.pack((await booked(app)).id))
    rating, invitation = await chat.delivered()
    assert rating.text == chat.t("booking-rate-visit")
    assert invitation.text == chat.t("invite-text")
    invited = await row(app)
    assert invited is not None and invited.last_sent_on is not None


async def test_no_more_surveys_and_back_on(app: App, chat: Person, pinned: PinnedClock) -> None:
    await finish_route(chat)
    await chat.press(chat.t("invite-stop"))
    assert chat.last.text == chat.t("invites-turned-off")
    assert chat.labels() == [chat.t("invites-button-on"), chat.t("button-menu")]
    pinned.advance(timedelta(days=60))
    assert [r.text for r in await finish_route(chat)] == [chat.t("scenario-finished")]

    await chat.send("/invites")
    assert chat.last.text == chat.t("invites-are-off")
    await chat.press(chat.t("invites-button-on"))
    assert chat.last.text == chat.t("invites-turned-on", days=30)
    assert (await finish_route(chat))[-1].text == chat.t("invite-text")
    await chat.send("не присылать опросы")
    assert chat.last.text == chat.t("invites-are-on", days=30)
    assert chat.button(chat.t("invites-button-off")).action == OFF.pack()
    for code in (OFF.pack() + ":x", "invites:maybe", ON.pack() + ":1"):
        await chat.handle(action=code)
        assert chat.last.text == chat.t("stale-button"), code


async def test_forget_erases_the_invitation_and_keeps_a_refusal(
    app: App, chat: Person, people: People
) -> None:
    await finish_route(chat)
    assert (await row(app)) is not None
    await chat.send("удалить мои данные")
    await chat.press(chat.t("forget-yes"))
    assert await row(app) is None

    other = people("other")
    await finish_route(other)
    await other.press(other.t("invite-stop"))
    await other.send("удалить мои данные")
    await other.press(other.t("forget-yes"))
    async with app.sessions() as session:
        [kept] = await session.scalars(select(SurveyInvitation))
    assert (kept.last_sent_on, kept.opted_out) == (None, True)
