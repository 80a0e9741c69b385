"""Reminders, no-shows, purge and the morning pass list: restart-safe timers that fire once
and only while still useful; and the waitlist hearing of a cancelled seat."""

from datetime import datetime, timedelta

from pydantic import SecretStr
from sqlalchemy import select

from bot.app import App, create_app
from bot.booking import actions
from bot.booking.models import BOOKED, NO_SHOW, Booking, WaitlistEntry
from bot.booking.reminders import PASS_LIST
from bot.core import staff
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.models import Person as PersonRow
from bot.core.models import Timer
from tests.booking.conftest import (
    book,
    booked,
    code,
    codes,
    confirmation,
    day_label,
    details,
    open_booking,
    pick_time,
)
from tests.support.client import People, Person
from tests.support.fixtures import TOKEN


async def _at(app: App, pinned: PinnedClock, moment: datetime) -> int:
    """Sweep the timers with the clock moved to `moment`."""
    pinned.set(moment)
    return await app.timers.sweep()


def reminder_text(chat: Person, app: App, booking: Booking, hours: int) -> str:
    schedule = app.booking.schedule
    office = schedule.office(booking.office)
    assert office is not None
    return chat.t(
        "booking-reminder",
        hours=hours,
        details=details(chat, schedule, booking),
        phone=office.phone,
    )


async def test_reminders_survive_a_restart_and_fire_once(
    settings: Settings, pinned: PinnedClock
) -> None:
    app = await create_app(settings)
    try:
        await book(Person(app), day=-1)  # far enough for both reminders
        booking = await booked(app)
    finally:
        await app.close()

    app = await create_app(settings)  # the bot was restarted
    try:
        chat = Person(app)
        start = booking.starts_at
        assert await _at(app, pinned, start - timedelta(hours=23)) == 1
        [reminder] = await chat.delivered()
        assert reminder.text == reminder_text(chat, app, booking, 24)
        assert chat.labels() == [
            chat.t("booking-button-come"),
            chat.t("booking-button-move"),
            chat.t("booking-button-cancel"),
        ]
        assert await _at(app, pinned, start - timedelta(hours=22)) == 0  # never twice
        # Down through the two-hour reminder until after the visit began: not sent.
        await _at(app, pinned, start + timedelta(minutes=1))
        assert await chat.delivered() == []
        await _at(app, pinned, booking.ends_at + timedelta(minutes=1))
        assert (await booked(app)).status == NO_SHOW
    finally:
        await app.close()


async def test_after_a_long_stop_only_the_nearer_reminder_goes(
    app: App, chat: Person, pinned: PinnedClock
) -> None:
    await book(chat, day=-1)
    booking = await booked(app)
    assert await _at(app, pinned, booking.starts_at - timedelta(hours=1)) == 2
    [reminder] = await chat.delivered()
    assert reminder.text == reminder_text(chat, app, booking, 2)
    # "Приду" answers politely and keeps the booking.
    await chat.press(chat.t("booking-button-come"))
    expected = chat.t("booking-see-you", details=details(chat, app.booking.schedule, booking))
    assert chat.last.text == expected
    assert (await booked(app)).status == BOOKED


async def test_pass_data_is_purged_after_the_retention(
    app: App, chat: Person, pinned: PinnedClock
) -> None:
    await book(chat, day=-1)
    booking = await booked(app)
    assert booking.personal is not None
    await _at(app, pinned, booking.ends_at + timedelta(days=29))
    assert (await booked(app)).personal is not None
    await _at(app, pinned, booking.ends_at + timedelta(days=30, minutes=1))
    assert (await booked(app)).personal is None


async def test_morning_pass_list_goes_to_the_staff_chat(
    settings: Settings, pinned: PinnedClock
) -> None:
    # A staff chat needs the bot that posts to it: the chat id and a token.
    settings = settings.model_copy(
        update={"telegram_staff_chat_id": -100123, "telegram_bot_token": SecretStr(TOKEN)}
    )
    app = await create_app(settings)
    try:
        await book(Person(app), day=2)
        booking = await booked(app)
        async with app.sessions() as session:
            pending = (await session.scalars(select(Timer).where(Timer.kind == PASS_LIST))).all()
        assert len(pending) == 1  # one chain, not one per booking
        tz = settings.tz
        morning = booking.starts_at.astimezone(tz).replace(hour=8, minute=5)
        while await _at(app, pinned, morning):  # each morning's timer plans the next one
            pass
        pinned.set(morning + timedelta(minutes=1))  # past the sweeps, so the list is due
        # To the one virtual staff destination; the Telegram channel resolves it to the chat.
        staff_chat = Person(app, staff.GENERAL, channel=staff.STAFF)
        files = [reply.attachment.filename for reply in await staff_chat.delivered()]
        day = f"{booking.starts_at.astimezone(tz):%Y-%m-%d}"
        assert files == [f"passes-transport-{day}.pdf", f"passes-transport-{day}.csv"]
    finally:
        await app.close()


async def test_cancelled_seat_goes_to_the_first_waiting(
    app: App, chat: Person, people: People
) -> None:
    # Book at the river office (one window), then fill the rest of that day.
    await open_booking(chat, "river")
    await pick_time(chat, day=-1)
    await chat.press(chat.t("booking-consent-no"))
    await chat.press(chat.t("booking-button-confirm"))
    mine = await booked(app)
    schedule = app.booking.schedule
    office = schedule.office("river")
    service = office.service("consult")
    day = mine.starts_at.astimezone(schedule.tz).date()
    async with app.sessions() as session, session.begin():
        filler = PersonRow(channel="console", external_id="filler", chat_id="filler")
        session.add(filler)
        await session.flush()
        for start in schedule.slots_on(office, service, day):
            if start != mine.starts_at:
                session.add(
                    Booking(
                        person_id=filler.id,
                        office="river",
                        service="consult",
                        starts_at=start,
                        ends_at=start + service.slot,
                        seat=1,
                        status=BOOKED,
                    )
                )
    waiting = people("waiting")
    await open_booking(waiting, "river")
    day_code = actions.DAY.pack(actions.day_code(day))
    assert codes(waiting, actions.DAY) and day_code not in codes(waiting, actions.DAY)
    await waiting.press(waiting.t("booking-button-waitlist"))
    assert waiting.last.text == waiting.t("booking-waitlist-choose")
    await waiting.press(actions.WAIT_DAY.pack(actions.day_code(day)))
    assert waiting.last.text == waiting.t("booking-waitlist-joined", day=day_label(waiting, day))
    async with app.sessions() as session:
        assert await session.scalar(select(WaitlistEntry.day)) == day

    await chat.send("/history")
    await chat.press(chat.t("booking-button-cancel"))
    await chat.press(chat.t("booking-button-cancel-yes"))
    [offer] = await waiting.delivered()
    assert offer.text == waiting.t(
        "booking-waitlist-offer",
        day=day_label(waiting, day),
        service=service.title.get(waiting.locale),
    )
    await waiting.press(waiting.t("booking-button-take"))
    assert waiting.last.text == waiting.t("booking-choose-time", day=day_label(waiting, day))
    freed = actions.SLOT.pack(actions.slot_code(mine.starts_at, schedule.tz))
    assert codes(waiting, actions.SLOT) == [freed]  # the one freed time of the full day
    await waiting.press(code(waiting, actions.SLOT))
    await waiting.press(waiting.t("booking-consent-no"))
    await waiting.press(waiting.t("booking-button-confirm"))
    async with app.sessions() as session:
        theirs = await session.scalar(
            select(Booking).where(Booking.starts_at == mine.starts_at, Booking.status == BOOKED)
        )
        assert await session.scalar(select(WaitlistEntry.id)) is None
    assert waiting.replies[0].text == confirmation(waiting, schedule, theirs)
