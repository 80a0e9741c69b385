"""A citizen in Telegram: the real aiogram client against the fake Bot API on 127.0.0.1."""

from bot.app import App
from bot.core import texts
from bot.menu.language import LANGUAGE_NAMES
from bot.menu.main import ENTRIES
from tests.support.fixtures import USER, data_of, labels
from tests.support.telegram_api import FakeTelegramAPI


def t(key: str, **args: object) -> str:
    return texts.text("ru", key, **args)


async def test_start_button_and_cancel(bot: App, api: FakeTelegramAPI) -> None:
    api.push_message(USER, "/start")
    [menu] = await api.wait_for("sendMessage", chat_id=USER)
    assert menu["text"] == t("menu-greeting")
    assert labels(menu) == [t(key) for key, _ in ENTRIES]
    menu_id = api.calls[-1].result["message_id"]

    api.push_callback(USER, data_of(menu, t("menu-language")), message_id=menu_id)
    await api.wait_for("answerCallbackQuery")
    [edited] = await api.wait_for("editMessageText")
    # The pressed button is written under the message in place of the keyboard.
    assert edited["text"] == f"{t('menu-greeting')}\n\n➜ {t('menu-language')}"
    assert not labels(edited)
    sent = await api.wait_for("sendMessage", count=2, chat_id=USER)
    assert sent[-1]["text"] == t("language-choose")
    assert labels(sent[-1]) == list(LANGUAGE_NAMES.values())

    api.push_message(USER, "/cancel")
    sent = await api.wait_for("sendMessage", count=4, chat_id=USER)
    assert sent[2]["text"] == t("cancelled")
    assert sent[3]["text"] == t("menu-greeting") and t("menu-faq") in labels(sent[3])


async def test_sticker_and_long_text_get_polite_answers(bot: App, api: FakeTelegramAPI) -> None:
    api.push_sticker(USER)
    [answer] = await api.wait_for("sendMessage", chat_id=USER)
    assert answer["text"] == t("unsupported-input", kind="sticker")
    api.push_message(USER, "я " * 2000)
    sent = await api.wait_for("sendMessage", count=2, chat_id=USER)
    assert sent[1]["text"] == t("faq-not-found")


async def test_forged_callback_is_refused(bot: App, api: FakeTelegramAPI) -> None:
    api.push_callback(USER, "language:set:de", message_id=999)
    [answer] = await api.wait_for("sendMessage", chat_id=USER)
    assert answer["text"] == t("stale-button")


async def test_duplicate_delivery_gives_one_reply(bot: App, api: FakeTelegramAPI) -> None:
    update_id = api.push_message(USER, "/help")
    await api.wait_for("sendMessage", chat_id=USER)
    api.push_raw_update_again(update_id)
    api.push_message(USER, "/start")  # a later update proves the duplicate was consumed
    sent = await api.wait_for("sendMessage", count=2, chat_id=USER)
    assert sent[0]["text"] == t("help") and sent[1]["text"] == t("menu-greeting")
    assert len(api.sent("sendMessage", chat_id=USER)) == 2


async def test_flood_limit_delays_then_delivers(bot: App, api: FakeTelegramAPI) -> None:
    api.fail_next("sendMessage", status=429, retry_after=1)
    api.push_message(USER, "/start")
    [menu] = await api.wait_for("sendMessage", chat_id=USER, timeout=10)
    assert menu["text"] == t("menu-greeting")
    attempts = api.sent("sendMessage", chat_id=USER, include_failed=True)
    assert len(attempts) == 2  # refused once, delivered once by the outbox after retry_after
