"""Nothing lost in Telegram: the real aiogram client against the fake Bot API on 127.0.0.1,
with a locked database, repeated deliveries, stickers at a prompt, invisible characters and a
person who comes back after the slot hold ran out."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from bot.booking import actions
from bot.booking.models import BOOKED, HELD, Booking
from bot.core import db, engine, texts
from bot.core.clock import PinnedClock
from tests.booking.conftest import confirmation
from tests.support.client import Person
from tests.support.fixtures import USER, Chat, data_of
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.waiting import sqlite_locked


def t(key: str, **args: object) -> str:
    return texts.text("ru", key, **args)


def first_label(chat: Chat, action: actions.Action) -> str:
    """The label of the first button of this kind under the last message."""
    message, _ = chat.last()
    keyboard = message["reply_markup"]["inline_keyboard"]
    prefix = f"{action}:"
    return next(
        b["text"] for row in keyboard for b in row if b["callback_data"].startswith(prefix)
    )


async def reach_surname(chat: Chat, app: App) -> None:
    """Menu → the demo office with a pass regime → consultation → the first free time."""
    office = app.booking.schedule.office("transport")
    await chat.say("/start")
    await chat.press(t("menu-booking"))
    await chat.press(office.name.get("ru"))
    await chat.press(office.service("consult").title.get("ru"))
    await chat.press(first_label(chat, actions.DAY))
    await chat.press(first_label(chat, actions.SLOT))
    assert (await chat.press(t("booking-consent-yes")))["text"] == t("booking-ask-surname")


async def fill_up_to_email(chat: Chat, surname: str, name: str) -> None:
    """From the surname prompt to the e-mail one: no patronymic, a passport, no car or phone."""
    await chat.say(surname)
    await chat.say(name)
    await chat.press(t("booking-skip-patronymic"))
    await chat.press(t("booking-doc-ru"))
    await chat.say("4510 123456")
    await chat.press(t("booking-skip-plate"))
    await chat.press(t("booking-skip-phone"))


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
    await reach_surname(chat, bot)
    # Only now: the bot's own writers contend briefly too, and that is no outage to announce.
    monkeypatch.setattr(engine, "SLOW_NOTICE_S", 0.5)
    before = len(api.sent("sendMessage", chat_id=USER))
    async with sqlite_locked(database_url):
        api.push_message(USER, "Иванова")  # a person mid-form
        api.push_message(1002, "/start")  # and a new one
        sent = await api.wait_for("sendMessage", count=before + 1, chat_id=USER)
        assert sent[-1]["text"] == t("busy-wait")
    sent = await api.wait_for("sendMessage", count=before + 2, chat_id=USER, timeout=10)
    assert sent[-1]["text"] == t("booking-ask-name")  # the surname was taken
    [*_, menu] = await api.wait_for("sendMessage", count=2, chat_id=1002, timeout=10)
    assert menu["text"] == t("menu-greeting")


async def test_a_repeated_button_press_is_answered_once(bot: App, api: FakeTelegramAPI) -> None:
    chat = Chat(api)
    menu = await chat.say("/start")
    _, menu_id = chat.last()
    pressed = api.push_callback(USER, data_of(menu, t("menu-language")), message_id=menu_id)
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
    await reach_surname(chat, bot)
    api.push_sticker(USER)
    sent = await api.wait_for("sendMessage", count=chat.seen + 2, chat_id=USER)
    chat.seen += 2
    assert sent[-2]["text"] == t("unsupported-input", kind="sticker")
    assert sent[-1]["text"] == t("booking-ask-surname")
    assert (await chat.say("Иванова"))["text"] == t("booking-ask-name")


async def test_invisible_characters_never_reach_the_pass(bot: App, api: FakeTelegramAPI) -> None:
    chat = Chat(api)
    await reach_surname(chat, bot)
    await fill_up_to_email(chat, "Ива\x00нова", "Ив\u202eан")
    summary = await chat.press(t("booking-skip-email"))
    # The typed name, cleaned of the invisible characters.
    assert t("booking-summary-person", name="Иванова Иван") in summary["text"].splitlines()
    assert "\u202e" not in str(api.calls) and "\\u0000" not in str(api.calls)


async def test_coming_back_after_the_hold_ran_out_is_told_so(
    bot: App, api: FakeTelegramAPI, pinned: PinnedClock
) -> None:
    chat = Chat(api)
    await reach_surname(chat, bot)
    await fill_up_to_email(chat, "Иванова", "Анна")
    pinned.advance(timedelta(hours=2))  # the person left for a while
    summary = await chat.press(t("booking-skip-email"))
    # The summary ends with the contacts and the notice that the time is no longer held...
    contact = t("booking-summary-contact", phone="—", email="—")
    assert summary["text"].endswith(f"{contact}\n{t('booking-summary-hold-gone')}")
    # ...and does not repeat the promise that ran out, for the hold the bot still has.
    async with bot.sessions() as session:
        hold = await session.scalar(select(Booking).where(Booking.status == HELD))
    assert hold is not None and hold.held_until is not None
    until = hold.held_until.astimezone(bot.booking.schedule.tz)
    assert t("booking-summary-hold", until=f"{until:%H:%M}") not in summary["text"]
    await chat.press(t("booking-button-confirm"), reply=False)  # the seat is still free: booked
    [document] = await api.wait_for("sendDocument", chat_id=USER)
    async with bot.sessions() as session:
        booking = await session.scalar(select(Booking).where(Booking.status == BOOKED))
    assert booking is not None
    me = Person(bot, str(USER), channel="telegram")  # only to read the catalog in their locale
    assert document["caption"] == confirmation(me, bot.booking.schedule, booking)
