"""Nothing lost in Telegram: the real aiogram client against the fake Bot API on 127.0.0.1,
with a locked database, repeated deliveries, stickers at a prompt, invisible characters and a
person who comes back after the slot hold ran out."""

from datetime import timedelta

import pytest

from bot.app import App
from bot.core import db, engine, texts
from bot.core.clock import PinnedClock
from tests.support.fixtures import USER, Chat, data_of
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.waiting import sqlite_locked


async def reach_surname(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("Записаться на приём")
    await chat.press("Транспортная")
    await chat.press("Консультация")
    await chat.press_matching(r"^(пн|вт|ср|чт|пт|сб|вс) \d\d\.\d\d$")
    await chat.press_matching(r"^\d\d:\d\d$")
    assert (await chat.press("Согласен"))["text"] == texts.text("ru", "booking-ask-surname")


async def fill_up_to_email(chat: Chat, surname: str, name: str) -> None:
    """From the surname prompt to the e-mail one: no patronymic, a passport, no car or phone."""
    await chat.say(surname)
    await chat.say(name)
    await chat.press("Нет отчества")
    await chat.press("Паспорт РФ")
    await chat.say("4510 123456")
    await chat.press("Без машины")
    await chat.press("Без телефона")


@pytest.fixture
def impatient_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_updates_during_a_write_lock_are_answered_once_the_lock_goes(
    impatient_sqlite: None,
    database_url: str,
    bot: App,
    api: FakeTelegramAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = Chat(api)
    await reach_surname(chat)
    # Only now: the bot's own writers contend briefly too, and that is no outage to announce.
    monkeypatch.setattr(engine, "SLOW_NOTICE_S", 0.5)
    before = len(api.sent("sendMessage", chat_id=USER))
    async with sqlite_locked(database_url):
        api.push_message(USER, "Иванова")  # a person mid-form
        api.push_message(1002, "/start")  # and a new one
        sent = await api.wait_for("sendMessage", count=before + 1, chat_id=USER)
        assert sent[-1]["text"] == texts.text("ru", "busy-wait")
    sent = await api.wait_for("sendMessage", count=before + 2, chat_id=USER, timeout=10)
    assert sent[-1]["text"] == texts.text("ru", "booking-ask-name")  # the surname was taken
    [*_, menu] = await api.wait_for("sendMessage", count=2, chat_id=1002, timeout=10)
    assert menu["text"] == texts.text("ru", "menu-greeting")


async def test_a_repeated_button_press_is_answered_once(bot: App, api: FakeTelegramAPI) -> None:
    chat = Chat(api)
    menu = await chat.say("/start")
    _, menu_id = chat.last()
    pressed = api.push_callback(USER, data_of(menu, "Language"), message_id=menu_id)
    await api.wait_for("sendMessage", count=2, chat_id=USER)
    api.push_raw_update_again(pressed)
    api.push_message(USER, "/help")  # a later update proves the repeat was consumed
    await api.wait_for("sendMessage", count=3, chat_id=USER)
    assert len(api.sent("answerCallbackQuery", include_failed=True)) == 1
    assert len(api.sent("editMessageText", include_failed=True)) == 1


async def test_a_sticker_at_a_form_prompt_gets_the_question_again(
    bot: App, api: FakeTelegramAPI
) -> None:
    chat = Chat(api)
    await reach_surname(chat)
    api.push_sticker(USER)
    sent = await api.wait_for("sendMessage", count=chat.seen + 2, chat_id=USER)
    chat.seen += 2
    assert sent[-2]["text"] == texts.text("ru", "unsupported-input", kind="sticker")
    assert sent[-1]["text"] == texts.text("ru", "booking-ask-surname")
    assert (await chat.say("Иванова"))["text"] == texts.text("ru", "booking-ask-name")


async def test_invisible_characters_never_reach_the_pass(bot: App, api: FakeTelegramAPI) -> None:
    chat = Chat(api)
    await reach_surname(chat)
    await fill_up_to_email(chat, "Ива\x00нова", "Ив\u202eан")
    summary = await chat.press("Без e-mail")
    assert "Иванова Иван" in summary["text"]
    assert "\u202e" not in str(api.calls) and "\\u0000" not in str(api.calls)


async def test_coming_back_after_the_hold_ran_out_is_told_so(
    bot: App, api: FakeTelegramAPI, pinned: PinnedClock
) -> None:
    chat = Chat(api)
    await reach_surname(chat)
    await fill_up_to_email(chat, "Иванова", "Анна")
    pinned.advance(timedelta(hours=2))  # the person left for a while
    summary = await chat.press("Без e-mail")
    assert texts.text("ru", "booking-summary-hold-gone") in summary["text"]
    assert "держим" not in summary["text"]
    await chat.press("Подтвердить", reply=False)  # the seat is still free: booked
    [document] = await api.wait_for("sendDocument", chat_id=USER)
    done = texts.text("ru", "booking-done", details="", directions="", bring="", pass_note="")
    assert document["caption"].startswith(done.splitlines()[0])
