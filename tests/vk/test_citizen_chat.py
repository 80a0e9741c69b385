"""A citizen in VK: the real vkbottle client against the fake VK API on 127.0.0.1."""

import json

from bot.app import App
from tests.support.fixtures import PEER, vk_buttons, vk_press
from tests.support.vk_api import FakeVKAPI


async def test_start_button_and_cancel(vk_bot: App, vk_api: FakeVKAPI) -> None:
    vk_api.push_message(PEER, "Начать", payload={"command": "start"})
    [menu] = await vk_api.wait_for("messages.send", peer_id=PEER)
    assert "Здравствуйте" in menu["message"]
    labels = [button["label"] for button in vk_buttons(menu)]
    assert "Записаться на приём" in labels and len(labels) == 8
    assert len(menu["keyboard"]["buttons"]) <= 6  # VK's inline keyboard row limit

    vk_press(vk_api, menu, "Language")
    sent = await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    assert [button["label"] for button in vk_buttons(sent[-1])] == ["Русский", "English"]
    vk_press(vk_api, sent[-1], "English")
    sent = await vk_api.wait_for("messages.send", count=4, peer_id=PEER)
    assert "English" in sent[2]["message"]

    vk_api.push_message(PEER, "/cancel")
    sent = await vk_api.wait_for("messages.send", count=6, peer_id=PEER)
    assert "cancelled" in sent[4]["message"]


async def test_sticker_and_long_text_get_polite_answers(vk_bot: App, vk_api: FakeVKAPI) -> None:
    vk_api.push_sticker(PEER)
    [answer] = await vk_api.wait_for("messages.send", peer_id=PEER)
    assert "стикер" in answer["message"]
    vk_api.push_message(PEER, "я " * 2000)
    sent = await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    assert "не нашёл ответа" in sent[1]["message"]


async def test_forged_payload_is_refused(vk_bot: App, vk_api: FakeVKAPI) -> None:
    vk_api.push_message(PEER, "x", payload={"a": "language:set:../../etc"})
    [answer] = await vk_api.wait_for("messages.send", peer_id=PEER)
    assert "кнопка уже не работает" in answer["message"]
    vk_api.push_message(PEER, "y", payload=json.dumps([1, 2]))  # not even an object
    sent = await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    assert "не нашёл ответа" in sent[1]["message"]


async def test_duplicate_delivery_gives_one_reply(vk_bot: App, vk_api: FakeVKAPI) -> None:
    event_id = vk_api.push_message(PEER, "/help")
    await vk_api.wait_for("messages.send", peer_id=PEER)
    vk_api.push_event_again(event_id)
    vk_api.push_message(PEER, "меню")
    sent = await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    assert "Команды" in sent[0]["message"] and "Здравствуйте" in sent[1]["message"]
    assert len(vk_api.sent("messages.send", peer_id=PEER)) == 2


async def test_rate_limit_error_delays_then_delivers(vk_bot: App, vk_api: FakeVKAPI) -> None:
    vk_api.fail_next("messages.send", code=6)
    vk_api.push_message(PEER, "меню")
    [menu] = await vk_api.wait_for("messages.send", peer_id=PEER, timeout=10)
    assert "Здравствуйте" in menu["message"]
