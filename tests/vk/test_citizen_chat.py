"""A citizen in VK: the real vkbottle client against the fake VK API on 127.0.0.1."""

import json

from bot.app import App
from bot.core import texts
from bot.menu.language import LANGUAGE_NAMES
from bot.menu.main import ENTRIES
from tests.support.fixtures import PEER, vk_buttons, vk_press
from tests.support.vk_api import FakeVKAPI


def t(key: str, locale: str = "ru", **args: object) -> str:
    return texts.text(locale, key, **args)


async def test_start_button_and_cancel(vk_bot: App, vk_api: FakeVKAPI) -> None:
    vk_api.push_message(PEER, "Начать", payload={"command": "start"})  # VK's own start button
    [menu] = await vk_api.wait_for("messages.send", peer_id=PEER)
    assert menu["message"] == t("menu-greeting")
    labels = [button["label"] for button in vk_buttons(menu)]
    assert labels == [t(key) for key, _ in ENTRIES]
    assert len(menu["keyboard"]["buttons"]) <= 6  # VK's inline keyboard row limit

    vk_press(vk_api, menu, t("menu-language"))
    sent = await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    assert sent[-1]["message"] == t("language-choose")
    assert [button["label"] for button in vk_buttons(sent[-1])] == list(LANGUAGE_NAMES.values())
    vk_press(vk_api, sent[-1], LANGUAGE_NAMES["en"])
    sent = await vk_api.wait_for("messages.send", count=4, peer_id=PEER)
    assert sent[2]["message"] == t("language-set", "en")
    assert sent[3]["message"] == t("menu-again", "en")

    vk_api.push_message(PEER, "/cancel")
    sent = await vk_api.wait_for("messages.send", count=6, peer_id=PEER)
    assert sent[4]["message"] == t("cancelled", "en")
    assert sent[5]["message"] == t("menu-greeting", "en")


async def test_sticker_and_long_text_get_polite_answers(vk_bot: App, vk_api: FakeVKAPI) -> None:
    vk_api.push_sticker(PEER)
    [answer] = await vk_api.wait_for("messages.send", peer_id=PEER)
    assert answer["message"] == t("unsupported-input", kind="sticker")
    vk_api.push_message(PEER, "я " * 2000)
    sent = await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    assert sent[1]["message"] == t("faq-not-found")


async def test_forged_payload_is_refused(vk_bot: App, vk_api: FakeVKAPI) -> None:
    vk_api.push_message(PEER, "x", payload={"a": "language:set:../../etc"})
    [answer] = await vk_api.wait_for("messages.send", peer_id=PEER)
    assert answer["message"] == t("stale-button")
    vk_api.push_message(PEER, "y", payload=json.dumps([1, 2]))  # not even an object
    sent = await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    assert sent[1]["message"] == t("faq-not-found")  # taken as the question "y"


async def test_duplicate_delivery_gives_one_reply(vk_bot: App, vk_api: FakeVKAPI) -> None:
    event_id = vk_api.push_message(PEER, "/help")
    await vk_api.wait_for("messages.send", peer_id=PEER)
    vk_api.push_event_again(event_id)
    vk_api.push_message(PEER, "меню")
    sent = await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    assert sent[0]["message"] == t("help") and sent[1]["message"] == t("menu-greeting")
    assert len(vk_api.sent("messages.send", peer_id=PEER)) == 2


async def test_rate_limit_error_delays_then_delivers(vk_bot: App, vk_api: FakeVKAPI) -> None:
    vk_api.fail_next("messages.send", code=6)
    vk_api.push_message(PEER, "меню")
    [menu] = await vk_api.wait_for("messages.send", peer_id=PEER, timeout=10)
    assert menu["message"] == t("menu-greeting")
