"""Booking in VK: the real vkbottle client against the fake VK API, the day's time slots on
a keyboard that VK accepts, pass data typed into the dialogue; the texts compared against
the catalog and the shipped schedule."""

import json

from sqlalchemy import select

from bot.app import App
from bot.booking import actions
from bot.booking.models import BOOKED, Booking
from tests.booking.conftest import asked_again, confirmation
from tests.support.client import Person
from tests.support.fixtures import PEER, VKChat, vk_buttons
from tests.support.vk_api import FakeVKAPI


def label_of(message: dict, action: str) -> str:
    """The label of the first button under `message` whose action is `action` or of its kind
    ("booking:d")."""
    for button in vk_buttons(message):
        payload = button["payload"]
        code = (json.loads(payload) if isinstance(payload, str) else payload)["a"]
        if code == action or code.startswith(f"{action}:"):
            return button["label"]
    raise AssertionError(f"no {action} button in {[b['label'] for b in vk_buttons(message)]}")


async def test_booking_with_a_pass_in_vk(vk_bot: App, vk_api: FakeVKAPI) -> None:
    chat = VKChat(vk_api)
    # The same person as the bot knows them, only to read the catalog in their locale.
    me = Person(vk_bot, str(PEER), channel="vk")
    schedule = vk_bot.booking.schedule
    menu = await chat.say("/start")
    offices = await chat.press(me.t("menu-booking"), menu)
    assert offices["message"] == me.t("booking-choose-office")
    services = await chat.press(label_of(offices, actions.OFFICE.pack("transport")), offices)
    days = await chat.press(label_of(services, actions.SERVICE.pack("consult")), services)
    day = label_of(days, str(actions.DAY))
    times = await chat.press(day, days)
    assert times["message"] == me.t("booking-choose-time", day=day)

    keyboard = times["keyboard"]
    assert len(keyboard["buttons"]) <= (6 if keyboard["inline"] else 10)
    assert all(len(row) <= 5 for row in keyboard["buttons"])
    consent = await chat.press(label_of(times, str(actions.SLOT)), times)
    expected = me.t(
        "booking-consent", retention=schedule.rules.purge_after_days, pass_regime="yes"
    )
    assert consent["message"] == expected

    surname = await chat.press(me.t("booking-consent-yes"), consent)
    assert surname["message"] == me.t("booking-ask-surname")
    await chat.say("Сидорова")
    patronymic = await chat.say("Мария")
    document = await chat.press(me.t("booking-skip-patronymic"), patronymic)
    number = await chat.press(me.t("booking-doc-ru"), document)
    assert number["message"] == me.t("booking-ask-docno-ru")
    refused = await chat.say("45 10 abc")
    assert refused["message"] == asked_again(me, "booking-bad-passport", "booking-ask-docno-ru")
    car = await chat.say("4510 654321")
    phone = await chat.press(me.t("booking-skip-plate"), car)
    email = await chat.press(me.t("booking-skip-phone"), phone)
    summary = await chat.press(me.t("booking-skip-email"), email)
    lines = summary["message"].splitlines()
    assert me.t("booking-summary-person", name="Сидорова Мария") in lines
    assert me.t("booking-summary-doc", doc=me.t("booking-doc-ru"), number="…4321") in lines
    done = await chat.press(me.t("booking-button-confirm"), summary)
    async with vk_bot.sessions() as session:
        booking = await session.scalar(select(Booking).where(Booking.status == BOOKED))
    assert booking is not None and "4510" not in (booking.personal or "")
    assert done["message"] == confirmation(me, schedule, booking)
    assert done.get("attachment", "").startswith("doc")  # the .ics file, uploaded to VK
