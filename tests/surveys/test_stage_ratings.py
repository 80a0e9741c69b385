"""A one-tap 1–5 at every stage of the client's journey, through the client: each score is
stored with its service, touchpoint, channel and stage and nothing of the person, each row of
buttons works once, and forged or stale presses get the polite answer."""

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App
from bot.booking.staff_day import SERVED_BUTTON
from bot.core import clock, staff
from bot.core.clock import PinnedClock
from bot.core.db import transaction
from bot.core.messages import Channel, Reply
from bot.core.models import Interaction
from bot.tickets.actions import RATE_ANSWER
from bot.tickets.relay import VK_WALL
from bot.tickets.sla import COMMENT
from surveys.models import RatingOffer, StageRating
from tests.booking.conftest import book, booked
from tests.support.client import People, Person, recorder
from tests.tickets.conftest import staff_reply

Row = tuple[str, str, str, str, int]


async def stored(app: App) -> list[Row]:
    """Every stage rating as (service, touchpoint, channel, stage, score), sorted."""
    async with app.sessions() as session:
        rows = await session.scalars(select(StageRating))
        return sorted((r.service, r.touchpoint, r.channel, r.stage, r.score) for r in rows)


async def logged(app: App) -> list[tuple[int, str, str | None]]:
    async with app.sessions() as session:
        rows = await session.execute(
            select(Interaction.person_id, Interaction.event, Interaction.ref).order_by(
                Interaction.id
            )
        )
        return [tuple(row) for row in rows]


def scores(reply: Reply) -> list[str]:
    """The action codes of the 1–5 row under a message."""
    [row] = [row for row in reply.buttons if [b.text for b in row] == list("12345")]
    return [button.action for button in row]


async def test_a_knowledge_base_answer_is_judged_and_rated_without_the_person(
    app: App, people: People
) -> None:
    olga, ivan = people("olga", channel="vk"), people("ivan", channel="telegram")
    await olga.send("где вы находитесь")  # the demo base's "office_address" (service general)
    before = await logged(app)
    await olga.press(olga.t("button-yes"))
    assert olga.last.text == f"{olga.t('faq-thanks')}\n{olga.t('faq-rate')}"
    await olga.press("4")
    assert olga.last.text == olga.t("rate-thanks")
    await ivan.send("где вы находитесь")
    await ivan.press(ivan.t("button-no"))
    rating, offer_human = ivan.replies
    assert rating.text == ivan.t("faq-rate") and offer_human.text == ivan.t("faq-offer-human")
    await ivan.press("2")

    assert await stored(app) == [
        ("general", "messenger", "telegram", "faq.answer", 2),
        ("general", "messenger", "telegram", "faq.helpful", 1),  # "Нет"
        ("general", "messenger", "vk", "faq.answer", 4),
        ("general", "messenger", "vk", "faq.helpful", 5),  # "Да"
    ]
    # Neither "Да"/"Нет" nor a score went to the interaction log next to the person: after
    # Olga's answer was shown, only Ivan's own question was logged.
    after = [row for row in await logged(app) if row not in before]
    assert [event for _, event, _ in after] == ["faq.answer"]
    assert not any("helpful" in event for _, event, _ in await logged(app))


async def test_a_rating_button_works_once_and_forged_ones_are_refused(
    app: App, chat: Person
) -> None:
    await chat.send("где вы находитесь")
    await chat.press(chat.t("button-yes"))
    first, *_ = codes = scores(chat.last)
    await chat.handle(action=codes[4])
    assert chat.last.text == chat.t("rate-thanks")
    forged = [
        first,  # the same row again (another of its buttons)
        codes[4],  # the same button twice
        "rate:s:AAAAAAAAAAAAAAAA:3",  # a token nobody was given
        first.rsplit(":", 1)[0] + ":6",  # off the scale
        first.rsplit(":", 1)[0],  # no score
        "rate:x:AAAAAAAAAAAAAAAA:3",
        "go:rate",
    ]
    for code in forged:
        await chat.handle(action=code)
        assert chat.last.text == chat.t("stale-button"), code
    assert len(await stored(app)) == 2  # the "Да" and the one score
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(RatingOffer)) == 0


async def test_a_row_not_pressed_for_a_month_is_dropped(
    app: App, chat: Person, people: People, pinned: PinnedClock
) -> None:
    await chat.send("где вы находитесь")
    await chat.press(chat.t("button-yes"))
    [old, *_] = scores(chat.last)
    pinned.advance(timedelta(days=31))
    other = people("other")
    await other.send("где вы находитесь")
    await other.press(other.t("button-yes"))  # a new offer drops the ones a month old
    await chat.handle(action=old)
    assert chat.last.text == chat.t("stale-button")
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(RatingOffer)) == 1


async def test_booking_and_the_visit_are_rated(app: App, chat: Person, people: People) -> None:
    await book(chat)
    made = chat.last
    assert made.text == chat.t("booking-rate")
    booking = await booked(app)
    async with transaction(app.sessions) as session:
        await staff.add(session, "console", "clerk", staff.Role.STAFF, "Петрова П. П.")
    clerk = people("clerk")
    await clerk.handle(action=SERVED_BUTTON.pack(booking.id))  # "Принят" in /today
    [visit, invitation] = await chat.delivered()
    assert visit.text == chat.t("booking-rate-visit")
    assert invitation.text == chat.t("invite-text")  # a message of its own
    await chat.handle(action=scores(visit)[2])
    await chat.handle(action=scores(made)[4])
    assert await stored(app) == [
        ("consult", "messenger", "console", "booking.made", 5),
        ("consult", "office", "console", "visit", 3),
    ]
    # The staff member's /today log names the booking; the visitor's score is nowhere near.
    assert [event for _, event, _ in await logged(app) if "rate" in event] == []


async def test_a_public_commenter_rates_the_answer_in_private_where_allowed(
    app: App, people: People
) -> None:
    wall = recorder(app, VK_WALL)
    talked, silent = people("777", channel="vk"), people("888", channel="vk")
    await talked.send("/start")  # has written to the community: the bot may write back
    for person, post in ((talked, 1), (silent, 2)):
        await app.tickets.public_ticket(
            Channel.VK,
            person.user_id,
            COMMENT,
            "Когда ремонт?",
            VK_WALL,
            f"-1_{post}_0",
            clock.now(),
        )
        await staff_reply(app, post, "В мае.")
    [rating] = await talked.delivered()
    answers = [chat for chat, reply in wall.sent if reply.text.startswith("В мае.")]
    assert answers == ["-1_1_0", "-1_2_0"]  # both answered in public
    assert rating.text == talked.t("ticket-rate-comment", number=1)
    assert await silent.delivered() == []  # never wrote to the bot: nothing in private
    await talked.press("5")
    assert talked.last.text == talked.t("ticket-answer-rated")
    await talked.handle(action=RATE_ANSWER.pack(1, 4))
    assert talked.last.text == talked.t("stale-button")
    await silent.handle(action=RATE_ANSWER.pack(2, 4))  # not asked: a forged press
    assert silent.last.text == silent.t("stale-button")
    assert await stored(app) == [("tickets", "public_comment", "vk", "ticket.answered", 5)]
