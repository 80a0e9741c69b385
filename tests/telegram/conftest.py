"""Fixtures for Telegram tests: the fake Bot API and the whole bot running against it."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.app import App, create_app, serve
from bot.config import Settings
from handlers.telegram import TelegramChannel
from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "123456789:" + "A" * 35
USER = 1001


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def bot(settings: Settings, api: FakeTelegramAPI) -> AsyncIterator[App]:
    """The whole bot running as `priemnaya run` would, aimed at the fake server."""
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


def labels(message: dict) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in keyboard for button in row]


def data_of(message: dict, label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if label in button["text"]:
                return button["callback_data"]
    raise AssertionError(f"no button {label!r} in {labels(message)}")
