"""Booking in Telegram: the real aiogram client against the fake Bot API on 127.0.0.1."""

import re

from icalendar import Calendar

from bot.app import App
from tests.fakes.fixtures import USER, Chat, labels
from tests.fakes.telegram_api import FakeTelegramAPI


async def test_booking_with_a_pass_in_telegram(bot: App, api: FakeTelegramAPI) -> None:
    chat = Chat(api)
    await chat.say("/start")
    offices = await chat.press("Записаться на приём")
    assert labels(offices)[:2] == [
        "Территориальный отдел (ул. Транспортная)",
        "Пункт приёма (ул. Речная)",
    ]
    await chat.press("Транспортная")
    days = await chat.press("Консультация")
    assert "Выберите день" in days["text"]
    times = await chat.press_matching(r"^(вт|чт) \d\d\.\d\d$")
    assert all(label >= "10:00" for label in labels(times) if re.match(r"\d\d:\d\d$", label))
    consent = await chat.press_matching(r"^\d\d:\d\d$")
    assert "152-ФЗ" in consent["text"] and "30 дней" in consent["text"]
    await chat.press("Согласен")
    assert "только буквы" in (await chat.say("*Иванова*"))["text"]
    await chat.say("Иванова")
    await chat.say("Анна")
    await chat.say("Сергеевна")
    await chat.press("Паспорт РФ")
    assert "10 цифр" in (await chat.say("45 10 abc"))["text"]
    await chat.say("45 10 123456")
    await chat.press("Без машины")
    await chat.press("Без телефона")
    summary = await chat.press("Без e-mail")
    assert "Иванова Анна Сергеевна" in summary["text"] and "…3456" in summary["text"]
    await chat.press("Подтвердить", reply=False)
    [document] = await api.wait_for("sendDocument", chat_id=USER)
    assert "Готово, вы записаны!" in document["caption"]
    assert "600000, г. Энск, ул. Транспортная, д. 12, вход со двора" in document["caption"]
    calendar = Calendar.from_ical(api.calls[-1].params["document"].content)
    [event] = calendar.walk("VEVENT")
    assert "Транспортная" in str(event["location"])
    # Only short ids went out as buttons, all within Telegram's 64 bytes.
    for params in api.sent("sendMessage", chat_id=USER):
        keyboard = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        for row in keyboard:
            for button in row:
                data = button["callback_data"]
                assert len(data.encode()) <= 64 and "4510" not in data
