"""A scenario walked in Telegram: the real aiogram client against the fake Bot API."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.app import App, create_app, serve
from bot.config import Settings
from handlers.telegram import TelegramChannel
from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "123456789:" + "B" * 35
USER = 2002


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def bot(settings: Settings, api: FakeTelegramAPI) -> AsyncIterator[App]:
    settings = settings.model_copy(
        update={"telegram_bot_token": SecretStr(TOKEN), "telegram_api_base": api.base_url}
    )
    app = await create_app(settings)
    running = asyncio.create_task(serve(app, [TelegramChannel(app)]))
    await api.wait_for_poll()
    yield app
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    await app.close()


class Chat:
    """The person's side of the chat: sends, presses buttons under the bot's last message."""

    def __init__(self, api: FakeTelegramAPI) -> None:
        self.api = api
        self.seen = 0

    async def next_reply(self) -> dict:
        self.seen += 1
        sent = await self.api.wait_for("sendMessage", count=self.seen, chat_id=USER)
        return sent[-1]

    def last(self) -> tuple[dict, int]:
        calls = [c for c in self.api.calls if c.method == "sendMessage" and not c.failed]
        return calls[-1].params, calls[-1].result["message_id"]

    async def say(self, text: str) -> dict:
        self.api.push_message(USER, text)
        return await self.next_reply()

    async def press(self, label: str) -> dict:
        message, message_id = self.last()
        self.api.push_callback(USER, data_of(message, label), message_id=message_id)
        return await self.next_reply()


def labels(message: dict) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in keyboard for button in row]


def data_of(message: dict, label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if label in button["text"]:
                return button["callback_data"]
    raise AssertionError(f"no button {label!r} in {labels(message)}")


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
