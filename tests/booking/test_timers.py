"""Reminders, no-shows, purge and the morning pass list: restart-safe timers that fire once
and only while still useful; and the waitlist hearing of a cancelled seat."""

from datetime import timedelta

from pydantic import SecretStr
from sqlalchemy import select

from bot.app import App, create_app
from bot.booking.actions import SLOT, slot_code
from bot.booking.models import BOOKED, NO_SHOW, Booking, WaitlistEntry
from bot.booking.reminders import PASS_LIST
from bot.core import clock as bot_clock
from bot.core import staff
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.models import OutboxMessage, Person, Timer
from tests.booking.conftest import DAY_LABEL, TIME_LABEL, book_in_terminal, press_first
from tests.conftest import Terminal
from tests.support.fixtures import TOKEN


async def _outbox(app: App, chat_id: str | None = None, channel: str | None = None) -> list[dict]:
    async with app.sessions() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if chat_id is not None:
            query = query.where(OutboxMessage.chat_id == chat_id)
        if channel is not None:
            query = query.where(OutboxMessage.channel == channel)
        return [row.payload for row in await session.scalars(query)]


async def _booking(app: App) -> Booking:
    async with app.sessions() as session:
        return await session.scalar(select(Booking).where(Booking.status != "held"))


async def _at(app: App, moment) -> int:
    """Sweep the timers with the clock moved to `moment`."""
    bot_clock.install(PinnedClock(moment))
    return await app.timers.sweep()


async def test_reminders_survive_a_restart_and_fire_once(settings: Settings) -> None:
    app = await create_app(settings)
    await book_in_terminal(Terminal(app), day=-1)  # far enough for both reminders
    booking = await _booking(app)
    await app.close()

    app = await create_app(settings)  # the bot was restarted
    try:
        start = booking.starts_at
        assert await _at(app, start - timedelta(hours=23)) == 1
        [reminder] = await _outbox(app, "tester")
        assert "завтра у вас приём" in reminder["text"]
        assert [b[0] for row in reminder["buttons"] for b in row] == [
            "Приду",
            "Перенести",
            "Отменить",
        ]
        assert await _at(app, start - timedelta(hours=22)) == 0  # never twice
        # Down through the two-hour reminder until after the visit began: not sent.
        await _at(app, start + timedelta(minutes=1))
        assert len(await _outbox(app, "tester")) == 1
        await _at(app, booking.ends_at + timedelta(minutes=1))
        assert (await _booking(app)).status == NO_SHOW
    finally:
        await app.close()


async def test_after_a_long_stop_only_the_nearer_reminder_goes(app: App, terminal) -> None:
    await book_in_terminal(terminal, day=-1)
    booking = await _booking(app)
    assert await _at(app, booking.starts_at - timedelta(hours=1)) == 2
    [reminder] = await _outbox(app, "tester")
    assert "через 2 ч. у вас приём" in reminder["text"]
    # "Приду" answers politely and keeps the booking.
    terminal.channel.numbered["99"] = f"booking:come:{booking.id}"
    assert "Ждём вас" in await terminal.say("99")


async def test_pass_data_is_purged_after_the_retention(app: App, terminal) -> None:
    await book_in_terminal(terminal, day=-1)
    booking = await _booking(app)
    assert booking.personal is not None
    await _at(app, booking.ends_at + timedelta(days=29))
    assert (await _booking(app)).personal is not None
    await _at(app, booking.ends_at + timedelta(days=30, minutes=1))
    assert (await _booking(app)).personal is None


async def test_morning_pass_list_goes_to_the_staff_chat(settings: Settings) -> None:
    # A staff chat counts only with the bot that posts to it (Settings.has_staff_chat).
    chat = {"telegram_staff_chat_id": -100123, "telegram_bot_token": SecretStr(TOKEN)}
    settings = settings.model_copy(update=chat)
    app = await create_app(settings)
    try:
        await book_in_terminal(Terminal(app), day=2)
        booking = await _booking(app)
        async with app.sessions() as session:
            pending = (await session.scalars(select(Timer).where(Timer.kind == PASS_LIST))).all()
        assert len(pending) == 1  # one chain, not one per booking
        tz = settings.tz
        morning = booking.starts_at.astimezone(tz).replace(hour=8, minute=5)
        while await _at(app, morning):  # each morning's timer plans the next one
            pass
        # To the one virtual staff destination; the Telegram channel resolves it to the chat.
        sent = await _outbox(app, staff.GENERAL, channel=staff.STAFF)
        files = [m["attachment"]["filename"] for m in sent]
        day = f"{booking.starts_at.astimezone(tz):%Y-%m-%d}"
        assert files == [f"passes-transport-{day}.pdf", f"passes-transport-{day}.csv"]
    finally:
        await app.close()


async def test_cancelled_seat_goes_to_the_first_waiting(app: App, terminal) -> None:
    # Book at the river office (one window), then fill the rest of that day.
    await terminal.say("/start")
    await terminal.press("Записаться на приём")
    await terminal.press("Речная")
    await press_first(terminal, DAY_LABEL, -1)
    await press_first(terminal, TIME_LABEL)
    await terminal.press("Не согласен")
    await terminal.press("Подтвердить")
    mine = await _booking(app)
    schedule = app.booking.schedule
    office = schedule.office("river")
    service = office.service("consult")
    day = mine.starts_at.astimezone(schedule.tz).date()
    async with app.sessions() as session, session.begin():
        filler = Person(channel="console", external_id="filler", chat_id="filler")
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
    waiting = Terminal(app, user_id="waiting")
    await waiting.say("/start")
    await waiting.press("Записаться на приём")
    await waiting.press("Речная")
    assert f"{day:%d.%m}" not in str(waiting.labels())  # the full day is not offered
    await waiting.press("лист ожидания")
    await waiting.press(f"{day:%d.%m}")
    async with app.sessions() as session:
        assert await session.scalar(select(WaitlistEntry.day)) == day

    await terminal.say("/history")
    await terminal.press("Отменить")
    await terminal.press("Да, отменить")
    [offer] = await _outbox(app, "waiting")
    assert "Освободилось место" in offer["text"]
    waiting.channel.numbered["99"] = offer["buttons"][0][0][1]
    times = await waiting.say("99")
    code = slot_code(mine.starts_at, schedule.tz)
    assert f"{mine.starts_at.astimezone(schedule.tz):%H:%M}" in times
    waiting.channel.numbered["98"] = SLOT.pack(code)
    await waiting.say("98")
    await waiting.press("Не согласен")
    assert "Готово, вы записаны!" in await waiting.press("Подтвердить")
    async with app.sessions() as session:
        assert await session.scalar(select(WaitlistEntry.id)) is None
