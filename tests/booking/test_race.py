"""A hundred people confirm the last seat at the same moment: the database lets one in."""

import asyncio

from sqlalchemy import func, select

from bot.app import App
from bot.booking.actions import slot_code
from bot.booking.models import BOOKED, Booking
from bot.booking.slots import nearest_free
from bot.booking.state import SUMMARY
from bot.core import clock
from bot.core.messages import Incoming
from bot.core.models import Conversation, Person

PEOPLE = 100


async def test_hundred_confirms_one_seat(app: App) -> None:
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
    replies = await asyncio.gather(
        *(
            app.engine.handle(Incoming("console", f"racer{n}", f"racer{n}", action="booking:ok"))
            for n in range(PEOPLE)
        )
    )
    texts = [reply[0].text for reply in replies]
    assert sum("Готово, вы записаны!" in text for text in texts) == 1
    taken = [text for text in texts if "только что заняли" in text]
    assert len(taken) == PEOPLE - 1
    async with app.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Booking).where(Booking.status == BOOKED)
        )
        seats = (await session.scalars(select(Booking.seat))).all()
    assert count == 1 and seats == [1]
    # The ones who lost are offered other times, not the lost one.
    lost = next(reply for reply in replies if "только что заняли" in reply[0].text)
    actions = [button.action for row in lost[0].buttons for button in row]
    assert f"booking:t:{data['start']}" not in actions and len(actions) > 2
