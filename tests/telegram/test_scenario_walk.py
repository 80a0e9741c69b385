"""A scenario walked in Telegram: the real aiogram client against the fake Bot API. (The walk
itself is tested at the level of replies in tests/scenarios/test_walk.py.)"""

from bot.app import App
from bot.core import texts
from scenarios.loader import SHIPPED, load_services
from tests.support.fixtures import USER, Chat, labels
from tests.support.telegram_api import FakeTelegramAPI

SERVICES = {service.id: service for service in load_services(SHIPPED)}


def t(key: str, **args: object) -> str:
    return texts.text("ru", key, **args)


def choice(service: str, question: str, choice_id: str) -> str:
    """The label of one answer button, from the scenario file."""
    asked = SERVICES[service].question(question)
    assert asked is not None
    return next(c.label.ru for c in asked.choices if c.id == choice_id)


def counter(n: int) -> str:
    return t("scenario-step-counter", n=n, total=5)


async def test_gosuslugi_route_step_by_step_in_telegram(bot: App, api: FakeTelegramAPI) -> None:
    dopog = SERVICES["dopog"]
    chat = Chat(api)
    await chat.say("/start")
    assert (await chat.press(t("menu-services")))["text"] == t("scenario-choose-service")
    await chat.press(dopog.title.ru)
    for question, answer in (("situation", "apply"), ("applicant", "driver")):
        await chat.press(choice("dopog", question, answer))
    step = await chat.press(choice("dopog", "channel", "gosuslugi"))
    assert step["text"].startswith(counter(1)) and "gosuslugi.ru" in step["text"]
    assert labels(step)[:2] == [t("button-back"), t("button-next")]
    for number in range(2, 6):
        step = await chat.press(t("button-next"))
        assert step["text"].startswith(counter(number))
    assert t("button-next") not in labels(step) and t("scenario-done") in labels(step)
    summary = await chat.press(t("scenario-whole-route"))
    assert summary["text"].count("☐") == 5
    assert (await chat.press(t("scenario-resume", n=5)))["text"].startswith(counter(5))
    assert (await chat.press(t("scenario-done")))["text"] == t("scenario-finished")
    # Every button that went out fits Telegram's 64-byte callback_data.
    for params in api.sent("sendMessage", chat_id=USER):
        keyboard = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        assert all(len(b["callback_data"].encode()) <= 64 for row in keyboard for b in row)


async def test_forged_step_callback_is_refused(bot: App, api: FakeTelegramAPI) -> None:
    permit = SERVICES["permit"]
    chat = Chat(api)
    await chat.say("/start")
    await chat.press(t("menu-services"))
    await chat.press(permit.title.ru)
    await chat.press(choice("permit", "channel", "in_person"))
    _, message_id = chat.last()
    api.push_callback(USER, "scenario:step:dopog:in_person:1", message_id=message_id)
    assert (await chat.next_reply())["text"] == t("stale-button")
