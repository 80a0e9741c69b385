"""A scenario walked in Telegram: the real aiogram client against the fake Bot API."""

from bot.app import App
from tests.support.fixtures import USER, Chat, labels
from tests.support.telegram_api import FakeTelegramAPI


async def test_gosuslugi_route_step_by_step_in_telegram(bot: App, api: FakeTelegramAPI) -> None:
    chat = Chat(api)
    await chat.say("/start")
    assert "Какая услуга" in (await chat.press("Как получить услугу"))["text"]
    await chat.press("ДОПОГ")
    await chat.press("Хочу подать заявление")
    await chat.press("Я сам")
    step = await chat.press("На портале")
    assert "Шаг 1 из 5" in step["text"] and "gosuslugi.ru" in step["text"]
    assert labels(step)[:2] == ["Назад", "Далее"]
    for number in range(2, 6):
        step = await chat.press("Далее")
        assert f"Шаг {number} из 5" in step["text"]
    assert "Далее" not in labels(step) and "Готово" in labels(step)
    summary = await chat.press("Весь маршрут одним сообщением")
    assert summary["text"].count("☐") == 5
    assert "Шаг 5 из 5" in (await chat.press("Продолжить с шага 5"))["text"]
    assert "прошли весь маршрут" in (await chat.press("Готово"))["text"]
    # Every button that went out fits Telegram's 64-byte callback_data.
    for params in api.sent("sendMessage", chat_id=USER):
        keyboard = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        assert all(len(b["callback_data"].encode()) <= 64 for row in keyboard for b in row)


async def test_forged_step_callback_is_refused(bot: App, api: FakeTelegramAPI) -> None:
    chat = Chat(api)
    await chat.say("/start")
    await chat.press("Как получить услугу")
    await chat.press("Разрешение")
    await chat.press("Лично")
    _, message_id = chat.last()
    api.push_callback(USER, "scenario:step:dopog:in_person:1", message_id=message_id)
    assert "кнопка уже не работает" in (await chat.next_reply())["text"]
