"""A hundred people confirm the last seat at the same moment: the database lets one in."""

import asyncio

from sqlalchemy import func, select

from bot.app import App
from bot.booking.actions import CONFIRM, SLOT, slot_code
from bot.booking.models import BOOKED, Booking
from bot.booking.slots import nearest_free
from bot.booking.state import SUMMARY
from bot.core import clock
from bot.core.models import Conversation, Person
from tests.booking.conftest import booked, confirmation
from tests.support.client import People

PEOPLE = 100


async def test_hundred_confirms_one_seat(app: App, people: People) -> None:
    schedule = app.booking.schedule
    office = schedule.office("river")  # capacity 1, no pass regime
    service = office.service("consult")
    async with app.sessions() as session:
        [start] = await nearest_free(session, schedule, office, service, clock.now(), 1)
    # Everyone stands at the summary of the same slot with no hold of their own, so each
    # confirm really races to insert the seat.
    data = {
        "office": office.id,
        "service": service.id,
        "start": slot_code(start, schedule.tz),
        "filled": True,
        "consent": False,
        "p": app.booking.vault.seal({}),
    }
    async with app.sessions() as session, session.begin():
        for n in range(PEOPLE):
            person = Person(channel="console", external_id=f"racer{n}", chat_id=f"racer{n}")
            session.add(person)
            await session.flush()
            session.add(
                Conversation(person_id=person.id, feature="booking", step=SUMMARY, data=data)
            )
    racers = [people(f"racer{n}") for n in range(PEOPLE)]
    await asyncio.gather(*(racer.handle(action=CONFIRM.pack()) for racer in racers))
    async with app.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Booking).where(Booking.status == BOOKED)
        )
        seats = (await session.scalars(select(Booking.seat))).all()
    assert count == 1 and seats == [1]
    winner = await booked(app)
    done = confirmation(racers[0], schedule, winner)
    assert sum(racer.replies[0].text == done for racer in racers) == 1
    lost = [racer for racer in racers if racer.replies[0].text == racer.t("booking-just-taken")]
    assert len(lost) == PEOPLE - 1
    # The ones who lost are offered other times, not the lost one.
    offered = [button.action for button in lost[0].buttons()]
    times = [action for action in offered if action.startswith(f"{SLOT}:")]
    assert times and SLOT.pack(data["start"]) not in times and len(offered) > 2
