"""Telegram test fixtures, loaded for every test by tests/conftest.py: the fake Bot API, the
whole bot running against it, and the person's side of the chat."""

import asyncio
import re
import socket
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from sqlalchemy import and_, func, or_, select

from bot.app import App, create_app, serve
from bot.core import clock
from bot.core.config import Settings
from bot.core.models import OutboxMessage
from handlers.telegram import TelegramChannel
from handlers.vk import VKChannel
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI

TOKEN = "123456789:" + "A" * 35
USER = 1001
VK_TOKEN = "vk1.a." + "b" * 80
PEER = 5005


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


async def drained(app: App, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Until no outbox row is due or in flight: sends what is due itself and waits for what
    the running worker holds, so the effects of a delivery are committed."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        await app.outbox.run_once()
        async with app.sessions() as session:
            busy = await session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    or_(
                        OutboxMessage.status == "sending",
                        and_(
                            OutboxMessage.status == "pending",
                            OutboxMessage.next_attempt_at <= clock.now(),
                            OutboxMessage.channel.in_(list(app.senders)),
                        ),
                    )
                )
            )
        if not busy:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{busy} outbox rows still due after {timeout}s")
        await asyncio.sleep(0.02)


def labels(message: dict) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in keyboard for button in row]


def data_of(message: dict, label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if label in button["text"]:
                return button["callback_data"]
    raise AssertionError(f"no button {label!r} in {labels(message)}")


class Chat:
    """The person's side of the chat: sends text, presses buttons under the bot's last message."""

    def __init__(self, api: FakeTelegramAPI) -> None:
        self.api = api
        self.seen = 0

    async def next_reply(self) -> dict:
        self.seen += 1
        return (await self.api.wait_for("sendMessage", count=self.seen, chat_id=USER))[-1]

    def last(self) -> tuple[dict, int]:
        calls = [c for c in self.api.calls if c.method == "sendMessage" and not c.failed]
        return calls[-1].params, calls[-1].result["message_id"]

    async def say(self, text: str) -> dict:
        self.api.push_message(USER, text)
        return await self.next_reply()

    async def press(self, label: str, *, reply: bool = True) -> dict:
        """Press the button containing `label`; the bot's answer (or, with reply=False, the
        message that held the button)."""
        message, message_id = self.last()
        self.api.push_callback(USER, data_of(message, label), message_id=message_id)
        return await self.next_reply() if reply else message

    async def press_matching(self, pattern: str) -> dict:
        message, _ = self.last()
        label = next(text for text in labels(message) if re.match(pattern, text))
        return await self.press(label)


@pytest.fixture
async def vk_api() -> AsyncIterator[FakeVKAPI]:
    async with FakeVKAPI() as fake:
        yield fake


@pytest.fixture
async def vk_bot(settings: Settings, vk_api: FakeVKAPI) -> AsyncIterator[App]:
    """The whole bot with the VK channel, aimed at the fake VK API."""
    settings = settings.model_copy(
        update={
            "vk_group_token": SecretStr(VK_TOKEN),
            "vk_group_id": vk_api.group_id,
            "vk_api_base": vk_api.api_url,
        }
    )
    app = await create_app(settings)
    running = asyncio.create_task(serve(app, [VKChannel(app)]))
    await vk_api.wait_for_long_poll()
    yield app
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    await app.close()


def vk_buttons(message: dict) -> list[dict]:
    keyboard = message.get("keyboard") or {}
    return [button["action"] for row in keyboard.get("buttons", []) for button in row]


def vk_press(api: FakeVKAPI, message: dict, label: str) -> None:
    """Press the keyboard button containing `label` under `message`, as the VK app does."""
    for button in vk_buttons(message):
        if label in button["label"]:
            api.push_message(PEER, button["label"], payload=button["payload"])
            return
    raise AssertionError(f"no button {label!r} in {[b['label'] for b in vk_buttons(message)]}")


class VKChat:
    """The person's side of a VK dialogue: sends text, presses buttons of the last message."""

    def __init__(self, api: FakeVKAPI) -> None:
        self.api = api
        self.seen = 0

    async def next_reply(self) -> dict:
        self.seen += 1
        return (await self.api.wait_for("messages.send", count=self.seen, peer_id=PEER))[-1]

    async def say(self, text: str) -> dict:
        self.api.push_message(PEER, text)
        return await self.next_reply()

    async def press(self, label: str, message: dict) -> dict:
        vk_press(self.api, message, label)
        return await self.next_reply()
