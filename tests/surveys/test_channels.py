"""A survey taken in Telegram and in VK: the real aiogram and vkbottle clients against the fake
servers. (The survey itself is tested at the level of replies in test_taking.py.)"""

import asyncio
import json

from bot.app import App
from bot.core import texts
from handlers.vk.mapping import keyboard
from surveys import views
from surveys.state import Taking
from tests.support.fixtures import USER, Chat, VKChat, labels
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI
from tests.surveys.conftest import SURVEYS, stored, values


def t(key: str, **args: object) -> str:
    return texts.text("ru", key, **args)


async def warmed(app: App) -> None:
    """Once the start-up's loading (the sentence model, the base's index) is done: while it
    runs, a reply may take long enough to be preceded by "one moment" (busy-wait)."""
    await asyncio.to_thread(app.store.encoder.load)
    async with app.sessions() as session:
        await app.store.snapshot(session)


async def test_a_survey_in_telegram(bot: App, api: FakeTelegramAPI) -> None:
    await warmed(bot)
    chat = Chat(api)
    await chat.say("/start")
    await chat.press(t("menu-survey"))
    intro = await chat.press(SURVEYS["suggestions"].title.ru)
    assert intro["text"] == t("survey-intro", title=SURVEYS["suggestions"].title.ru)
    question = await chat.next_reply()
    assert question["text"].startswith(t("survey-counter", n=1, total=2))
    await chat.press("Чат и сайт")
    assert (await chat.say("Добавьте запись по субботам"))["text"] == t("survey-thanks")
    assert values(await stored(bot)) == {
        "about": ["online"],
        "idea": "Добавьте запись по субботам",
    }
    for params in api.sent("sendMessage", chat_id=USER):
        keyboard = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        assert all(len(b["callback_data"].encode()) <= 64 for row in keyboard for b in row)
    assert labels(question)[-1] == t("button-menu")


async def test_a_survey_in_vk(vk_bot: App, vk_api: FakeVKAPI) -> None:
    await warmed(vk_bot)
    chat = VKChat(vk_api)
    menu = await chat.say("Начать")
    listed = await chat.press(t("menu-survey"), menu)
    await chat.press(SURVEYS["messenger"].title.ru, listed)
    question = await chat.next_reply()
    assert question["message"].startswith(t("survey-counter", n=1, total=3))
    question = await chat.press("4", question)
    question = await chat.press("Запись на приём", question)
    assert "☑ Запись на приём" in [
        b["label"] for row in question["keyboard"]["buttons"] for b in [a["action"] for a in row]
    ]
    question = await chat.press(t("survey-done"), question)
    assert (await chat.press("Да", question))["message"] == t("survey-thanks")
    assert values(await stored(vk_bot)) == {"convenient": 4, "used": ["booking"], "found": ["yes"]}


def test_the_nps_buttons_fit_a_vk_keyboard() -> None:
    survey = SURVEYS["documents_result"]
    nps = survey.question("recommend")
    reply = views.question("ru", survey, nps, Taking(survey=survey.id, at=nps.id), 4, 4)
    board = json.loads(keyboard(reply))
    assert all(len(row) <= 5 for row in board["buttons"])
    labels_shown = [button["action"]["label"] for row in board["buttons"] for button in row]
    assert labels_shown[:11] == [str(n) for n in range(11)]
