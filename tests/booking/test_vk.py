"""Booking in VK: the real vkbottle client against the fake VK API, the day's time slots on
a keyboard that VK accepts, pass data typed into the dialogue."""

import re

from sqlalchemy import select

from bot.app import App
from bot.booking.models import BOOKED, Booking
from tests.fakes.fixtures import VKChat, vk_buttons
from tests.fakes.vk_api import FakeVKAPI


def first_label(message: dict, pattern: str) -> str:
    return next(b["label"] for b in vk_buttons(message) if re.match(pattern, b["label"]))


async def test_booking_with_a_pass_in_vk(vk_bot: App, vk_api: FakeVKAPI) -> None:
    chat = VKChat(vk_api)
    menu = await chat.say("/start")
    offices = await chat.press("Записаться на приём", menu)
    services = await chat.press("Транспортная", offices)
    days = await chat.press("Консультация", services)
    times = await chat.press(first_label(days, r"^(пн|вт|ср|чт|пт) \d\d\.\d\d$"), days)

    keyboard = times["keyboard"]
    assert len(keyboard["buttons"]) <= (6 if keyboard["inline"] else 10)
    assert all(len(row) <= 5 for row in keyboard["buttons"])
    consent = await chat.press(first_label(times, r"^\d\d:\d\d$"), times)
    assert "152-ФЗ" in consent["message"]

    surname = await chat.press("Согласен", consent)
    assert "фамилию" in surname["message"]
    await chat.say("Сидорова")
    patronymic = await chat.say("Мария")
    document = await chat.press("Нет отчества", patronymic)
    number = await chat.press("Паспорт РФ", document)
    assert "10 цифр" in number["message"]
    assert "10 цифр" in (await chat.say("45 10 abc"))["message"]  # asked again
    car = await chat.say("4510 654321")
    phone = await chat.press("Без машины", car)
    email = await chat.press("Без телефона", phone)
    summary = await chat.press("Без e-mail", email)
    assert "Сидорова Мария" in summary["message"] and "…4321" in summary["message"]
    done = await chat.press("Подтвердить", summary)
    assert "вы записаны" in done["message"]
    assert done.get("attachment", "").startswith("doc")  # the .ics file, uploaded to VK

    async with vk_bot.sessions() as session:
        booking = await session.scalar(select(Booking).where(Booking.status == BOOKED))
    assert booking is not None and "4510" not in (booking.personal or "")
