"""A ticket's receipt promises what the office keeps: the limits count in its hours, and out
of them the receipt says the office is closed and when the answer comes."""

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.app import App
from bot.core.clock import PinnedClock
from bot.tickets.models import Ticket
from tests.conftest import MOSCOW
from tests.support.client import Person


async def ask(chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-human"))
    await chat.send("Когда можно забрать документы?")
    await chat.press(chat.t("ticket-kind-question"))


@pytest.mark.parametrize(
    ("asked", "due", "weekday"),
    [
        # Friday 19:00, after the 16:45 close: two working hours from Monday 09:00.
        (datetime(2026, 11, 27, 19, 0, tzinfo=MOSCOW), datetime(2026, 11, 30, 11, 0), 0),
        # Unity Day, a Wednesday off: two hours from Thursday 09:00.
        (datetime(2026, 11, 4, 12, 0, tzinfo=MOSCOW), datetime(2026, 11, 5, 11, 0), 3),
    ],
    ids=["friday-evening", "holiday"],
)
async def test_out_of_hours_the_receipt_says_when_the_office_answers(
    app: App, chat: Person, pinned: PinnedClock, asked: datetime, due: datetime, weekday: int
) -> None:
    pinned.set(asked)
    await ask(chat)
    async with app.sessions() as session:
        ticket = await session.scalar(select(Ticket))
    assert f"{ticket.first_due.astimezone(MOSCOW):%d.%m %H:%M}" == f"{due:%d.%m %H:%M}"
    when = chat.t("ticket-when-weekday", time=f"{due:%H:%M}", weekday=weekday)
    assert chat.last.text == chat.t("ticket-created-off-hours", number=ticket.id, when=when)


async def test_the_russian_receipt_names_the_day(chat: Person, pinned: PinnedClock) -> None:
    pinned.set(datetime(2026, 11, 27, 19, 0, tzinfo=MOSCOW))
    await ask(chat)
    assert "Сейчас нерабочее время, ответим до 11:00 понедельника." in chat.last.text


async def test_in_working_hours_the_receipt_gives_the_time_today(app: App, chat: Person) -> None:
    await ask(chat)  # ORDINARY_MORNING: a Wednesday, 09:30
    async with app.sessions() as session:
        ticket = await session.scalar(select(Ticket))
    assert f"{ticket.first_due.astimezone(MOSCOW):%d.%m %H:%M}" == "11.03 11:30"
    when = chat.t("ticket-when-today", time="11:30")
    assert chat.last.text == chat.t("ticket-created", number=ticket.id, when=when)


async def test_operator_is_the_button_typed(chat: Person) -> None:
    """The knowledge base tells people they may send /operator: it opens the same question."""
    await chat.send("/operator")
    assert chat.last.text == chat.t("ticket-ask")
