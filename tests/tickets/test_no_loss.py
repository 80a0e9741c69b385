"""Tickets lose nothing: a staff answer written while the database is locked, a question too
long to keep whole, a sticker where the question was expected."""

import pytest

from bot.core import db
from bot.tickets.service import TEXT_LIMIT
from tests.support.client import People, Person
from tests.support.fixtures import USER
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.waiting import eventually, sqlite_locked
from tests.tickets.conftest import (
    CLERK,
    ask_in_telegram,
    in_staff_chat,
    ru,
    signed,
    staff_says,
    staff_topic,
)


@pytest.fixture
def impatient_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_staff_answer_during_a_write_lock_arrives_after_it(
    impatient_sqlite: None, database_url: str, relay_bot, api: FakeTelegramAPI, caplog
) -> None:
    await ask_in_telegram(api, "Где забрать удостоверение?")
    thread = await staff_topic(api)
    await api.wait_for("sendMessage", predicate=in_staff_chat, timeout=10)

    async with sqlite_locked(database_url):
        staff_says(api, CLERK, "Первое: в окне 3.", thread)
        staff_says(api, CLERK, "Второе: с паспортом.", thread)
        await eventually(lambda: "a staff message: database unavailable" in caplog.text)
    sent = await api.wait_for("sendMessage", count=6, chat_id=USER, timeout=15)
    assert [m["text"] for m in sent[-2:]] == [
        ru("ticket-answer", number=1, text=signed("Первое: в окне 3.")),
        ru("ticket-answer", number=1, text=signed("Второе: с паспортом.")),
    ]


async def test_a_question_too_long_to_keep_is_said_so(chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-human"))
    chunk = "Очень подробный рассказ о моём деле. " * 110  # ~4,000 characters a message
    for _ in range(5):
        await chat.send(chunk)
    assert [reply.text for reply in chat.replies] == [
        chat.t("ticket-too-long", limit=TEXT_LIMIT),
        chat.t("ticket-kind"),
    ]


async def test_a_sticker_instead_of_the_question_gets_the_prompt_again(people: People) -> None:
    person = people("55", channel="vk")
    await person.handle(action="go:ticket")
    await person.send_unsupported()
    assert [reply.text for reply in person.replies] == [
        person.t("unsupported-input", kind="sticker"),
        person.t("ticket-ask"),
    ]
