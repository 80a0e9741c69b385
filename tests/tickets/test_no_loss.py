"""Tickets lose nothing: a staff answer written while the database is locked, a question too
long to keep whole, a sticker where the question was expected."""

import pytest

from bot.core import db, texts
from bot.core.messages import Incoming, Unsupported
from bot.tickets.service import TEXT_LIMIT
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.vk_api import FakeVKAPI
from tests.support.waiting import eventually, sqlite_locked
from tests.tickets import test_telegram_relay as relay
from tests.tickets.test_telegram_relay import CLERK, USER, in_staff_chat, staff_says, staff_topic

tg, vk, bot = relay.tg, relay.vk, relay.bot  # the relay's fixtures: the bot with both channels


@pytest.fixture
def impatient_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_staff_answer_during_a_write_lock_arrives_after_it(
    impatient_sqlite: None, database_url: str, bot, tg: FakeTelegramAPI, vk: FakeVKAPI, caplog
) -> None:
    tg.push_message(USER, "/start")
    await tg.wait_for("sendMessage", chat_id=USER)
    tg.push_callback(USER, "go:ticket", message_id=tg.calls[-1].result["message_id"])
    await tg.wait_for("sendMessage", count=2, chat_id=USER)
    tg.push_message(USER, "Где забрать удостоверение?")
    await tg.wait_for("sendMessage", count=3, chat_id=USER)
    tg.push_callback(USER, "ticket:kind:question", message_id=1)
    await tg.wait_for("sendMessage", count=4, chat_id=USER)
    thread = await staff_topic(tg)
    await tg.wait_for("sendMessage", predicate=in_staff_chat, timeout=10)

    async with sqlite_locked(database_url):
        staff_says(tg, CLERK, "Первое: в окне 3.", thread)
        staff_says(tg, CLERK, "Второе: с паспортом.", thread)
        await eventually(lambda: "a staff message: database unavailable" in caplog.text)
    sent = await tg.wait_for("sendMessage", count=6, chat_id=USER, timeout=15)
    assert [m["text"].rsplit("\n", 1)[-1] for m in sent[-2:]] == [
        "Первое: в окне 3.",
        "Второе: с паспортом.",
    ]


async def test_a_question_too_long_to_keep_is_said_so(app, terminal) -> None:
    await terminal.say("/start")
    await terminal.press("Связаться с сотрудником")
    chunk = "Очень подробный рассказ о моём деле. " * 110  # ~4,000 characters a message
    for _ in range(5):
        shown = await terminal.say(chunk)
    assert texts.text("ru", "ticket-too-long", limit=TEXT_LIMIT) in shown
    assert texts.text("ru", "ticket-kind") in shown


async def test_a_sticker_instead_of_the_question_gets_the_prompt_again(app) -> None:
    incoming = Incoming("vk", "55", "55", action="go:ticket")
    await app.engine.handle(incoming)
    replies = await app.engine.handle(Incoming("vk", "55", "55", unsupported=Unsupported.STICKER))
    assert [reply.text for reply in replies] == [
        texts.text("ru", "unsupported-input", kind="sticker"),
        texts.text("ru", "ticket-ask"),
    ]
