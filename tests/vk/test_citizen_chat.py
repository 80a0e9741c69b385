"""A citizen in VK: the real vkbottle client against the fake VK API on 127.0.0.1."""

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.app import App, create_app, serve
from bot.config import Settings
from handlers.vk import VKChannel
from tests.fakes.vk_api import FakeVKAPI

TOKEN = "vk1.a." + "b" * 80
PEER = 5005


@pytest.fixture
async def api() -> AsyncIterator[FakeVKAPI]:
    async with FakeVKAPI() as fake:
        yield fake


@pytest.fixture
async def bot(settings: Settings, api: FakeVKAPI) -> AsyncIterator[App]:
    settings = settings.model_copy(
        update={
            "vk_group_token": SecretStr(TOKEN),
            "vk_group_id": api.group_id,
            "vk_api_base": api.api_url,
        }
    )
    app = await create_app(settings)
    running = asyncio.create_task(serve(app, [VKChannel(app)]))
    await api.wait_for_long_poll()
    yield app
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    await app.close()


def buttons(message: dict) -> list[dict]:
    keyboard = message.get("keyboard") or {}
    return [button["action"] for row in keyboard.get("buttons", []) for button in row]


def press(api: FakeVKAPI, message: dict, label: str) -> None:
    for button in buttons(message):
        if label in button["label"]:
            payload = button["payload"]
            api.push_message(PEER, button["label"], payload=payload)
            return
    raise AssertionError(f"no button {label!r} in {[b['label'] for b in buttons(message)]}")


async def test_start_button_and_cancel(bot: App, api: FakeVKAPI) -> None:
    api.push_message(PEER, "Начать", payload={"command": "start"})
    [menu] = await api.wait_for("messages.send", peer_id=PEER)
    assert "Здравствуйте" in menu["message"]
    labels = [button["label"] for button in buttons(menu)]
    assert "Записаться на приём" in labels and len(labels) == 8
    assert len(menu["keyboard"]["buttons"]) <= 6  # VK's inline keyboard row limit

    press(api, menu, "Language")
    sent = await api.wait_for("messages.send", count=2, peer_id=PEER)
    assert [button["label"] for button in buttons(sent[-1])] == ["Русский", "English"]
    press(api, sent[-1], "English")
    sent = await api.wait_for("messages.send", count=4, peer_id=PEER)
    assert "English" in sent[2]["message"]

    api.push_message(PEER, "/cancel")
    sent = await api.wait_for("messages.send", count=6, peer_id=PEER)
    assert "cancelled" in sent[4]["message"]


async def test_sticker_and_long_text_get_polite_answers(bot: App, api: FakeVKAPI) -> None:
    api.push_sticker(PEER)
    [answer] = await api.wait_for("messages.send", peer_id=PEER)
    assert "стикер" in answer["message"]
    api.push_message(PEER, "я " * 2000)
    sent = await api.wait_for("messages.send", count=2, peer_id=PEER)
    assert "не нашёл ответа" in sent[1]["message"]


async def test_forged_payload_is_refused(bot: App, api: FakeVKAPI) -> None:
    api.push_message(PEER, "x", payload={"a": "language:set:../../etc"})
    [answer] = await api.wait_for("messages.send", peer_id=PEER)
    assert "кнопка уже не работает" in answer["message"]
    api.push_message(PEER, "y", payload=json.dumps([1, 2]))  # not even an object
    sent = await api.wait_for("messages.send", count=2, peer_id=PEER)
    assert "не нашёл ответа" in sent[1]["message"]


async def test_duplicate_delivery_gives_one_reply(bot: App, api: FakeVKAPI) -> None:
    event_id = api.push_message(PEER, "/help")
    await api.wait_for("messages.send", peer_id=PEER)
    api.push_event_again(event_id)
    api.push_message(PEER, "меню")
    sent = await api.wait_for("messages.send", count=2, peer_id=PEER)
    assert "Команды" in sent[0]["message"] and "Здравствуйте" in sent[1]["message"]
    assert len(api.sent("messages.send", peer_id=PEER)) == 2


async def test_rate_limit_error_delays_then_delivers(bot: App, api: FakeVKAPI) -> None:
    api.fail_next("messages.send", code=6)
    api.push_message(PEER, "меню")
    [menu] = await api.wait_for("messages.send", peer_id=PEER, timeout=10)
    assert "Здравствуйте" in menu["message"]
