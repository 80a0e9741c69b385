"""Booking in Telegram: the real aiogram client against the fake Bot API on 127.0.0.1; the
texts compared against the catalog and the shipped schedule."""

from icalendar import Calendar
from sqlalchemy import select

from bot.app import App
from bot.booking import actions
from bot.booking.models import BOOKED, Booking
from tests.booking.conftest import asked_again, confirmation
from tests.support.client import Person
from tests.support.fixtures import USER, Chat, labels
from tests.support.telegram_api import FakeTelegramAPI


def labels_of(chat: Chat, action: actions.Action) -> list[str]:
    """The labels of the buttons of this kind under the last message."""
    message, _ = chat.last()
    keyboard = message["reply_markup"]["inline_keyboard"]
    prefix = f"{action}:"
    return [b["text"] for row in keyboard for b in row if b["callback_data"].startswith(prefix)]


async def test_booking_with_a_pass_in_telegram(bot: App, api: FakeTelegramAPI) -> None:
    chat = Chat(api)
    # The same person as the bot knows them, only to read the catalog in their locale.
    me = Person(bot, str(USER), channel="telegram")
    schedule = bot.booking.schedule
    office = schedule.office("transport")
    service = office.service("consult")
    await chat.say("/start")
    offices = await chat.press(me.t("menu-booking"))
    assert offices["text"] == me.t("booking-choose-office")
    assert labels(offices)[:2] == [o.name.get(me.locale) for o in schedule.offices]
    await chat.press(office.name.get(me.locale))
    days = await chat.press(service.title.get(me.locale))
    names = {"service": service.title.get(me.locale), "office": office.name.get(me.locale)}
    assert days["text"] == me.t("booking-choose-day", **names)
    day = labels_of(chat, actions.DAY)[0]
    times = await chat.press(day)
    assert times["text"] == me.t("booking-choose-time", day=day)
    slots = labels_of(chat, actions.SLOT)
    assert slots and all(label >= "10:00" for label in slots)  # the office opens at 10:00
    consent = await chat.press(slots[0])
    expected = me.t(
        "booking-consent", retention=schedule.rules.purge_after_days, pass_regime="yes"
    )
    assert consent["text"] == expected
    await chat.press(me.t("booking-consent-yes"))
    refused = await chat.say("*Иванова*")
    assert refused["text"] == asked_again(me, "booking-bad-name", "booking-ask-surname")
    await chat.say("Иванова")
    await chat.say("Анна")
    await chat.say("Сергеевна")
    await chat.press(me.t("booking-doc-ru"))
    refused = await chat.say("45 10 abc")
    assert refused["text"] == asked_again(me, "booking-bad-passport", "booking-ask-docno-ru")
    await chat.say("45 10 123456")
    await chat.press(me.t("booking-skip-plate"))
    await chat.press(me.t("booking-skip-phone"))
    summary = (await chat.press(me.t("booking-skip-email")))["text"].splitlines()
    assert me.t("booking-summary-person", name="Иванова Анна Сергеевна") in summary
    doc = me.t("booking-summary-doc", doc=me.t("booking-doc-ru"), number="…3456")
    assert doc in summary
    await chat.press(me.t("booking-button-confirm"), reply=False)
    [document] = await api.wait_for("sendDocument", chat_id=USER)
    async with bot.sessions() as session:
        booking = await session.scalar(select(Booking).where(Booking.status == BOOKED))
    assert document["caption"] == confirmation(me, schedule, booking)
    [sent] = [call for call in api.calls if call.method == "sendDocument"]
    calendar = Calendar.from_ical(sent.params["document"].content)
    [event] = calendar.walk("VEVENT")
    assert str(event["location"]) == office.address.get(me.locale)
    # Only short ids went out as buttons, all within Telegram's 64 bytes.
    for params in api.sent("sendMessage", chat_id=USER):
        keyboard = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        for row in keyboard:
            for button in row:
                data = button["callback_data"]
                assert len(data.encode()) <= 64 and "4510" not in data
