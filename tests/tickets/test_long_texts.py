"""Long questions and answers reach their reader whole, split at sentence ends where a
channel caps a message, never replaced by a message id nor cut unseen."""

from bot.app import App
from bot.core import texts
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.vk_api import FakeVKAPI
from tests.tickets import test_telegram_relay as relay
from tests.tickets.test_telegram_relay import (
    CLERK,
    PEER,
    USER,
    in_staff_chat,
    staff_says,
    staff_topic,
)

tg, vk, bot = relay.tg, relay.vk, relay.bot  # the relay's fixtures: the bot with both channels

QUESTION = "Подскажите, пожалуйста, как получить пропуск на стоянку у здания. " * 40  # 2,680
ANSWER = "Пропуск выдают в окне справок, возьмите паспорт и заявление. " * 45  # 2,745
FOLLOW_UP = "Я приходил вчера, но окно справок было закрыто весь день. " * 90  # 5,220


def words(messages: list[dict], key: str = "text") -> list[str]:
    return " ".join(message[key] for message in messages).split()


async def test_long_texts_cross_both_ways_whole(
    bot: App, tg: FakeTelegramAPI, vk: FakeVKAPI
) -> None:
    assert min(len(QUESTION), len(ANSWER)) > 2500 and len(FOLLOW_UP) > 4096
    tg.push_message(USER, "/start")
    await tg.wait_for("sendMessage", chat_id=USER)
    tg.push_callback(USER, "go:ticket", message_id=tg.calls[-1].result["message_id"])
    await tg.wait_for("sendMessage", count=2, chat_id=USER)
    tg.push_message(USER, QUESTION)
    await tg.wait_for("sendMessage", count=3, chat_id=USER)
    tg.push_callback(USER, "ticket:kind:question", message_id=1)
    await tg.wait_for("sendMessage", count=4, chat_id=USER)

    thread = await staff_topic(tg)
    [card] = await tg.wait_for("sendMessage", predicate=in_staff_chat, timeout=10)
    assert "staff-card" not in card["text"] and QUESTION.strip() in card["text"]

    staff_says(tg, CLERK, ANSWER, thread)
    sent = await tg.wait_for("sendMessage", count=5, chat_id=USER, timeout=10)
    answer = sent[-1]["text"]
    assert answer.startswith(texts.text("ru", "ticket-answer", number=1, text="").strip())
    assert ANSWER.strip() in answer


async def test_a_follow_up_longer_than_a_message_arrives_in_parts(
    bot: App, tg: FakeTelegramAPI, vk: FakeVKAPI
) -> None:
    vk.push_message(PEER, "Связаться", payload={"a": "go:ticket"})
    await vk.wait_for("messages.send", peer_id=PEER)
    vk.push_message(PEER, "Где получить пропуск?")
    await vk.wait_for("messages.send", count=2, peer_id=PEER)
    vk.push_message(PEER, "Вопрос", payload={"a": "ticket:kind:question"})
    await vk.wait_for("messages.send", count=3, peer_id=PEER)
    thread = await staff_topic(tg)
    await tg.wait_for("sendMessage", predicate=in_staff_chat, timeout=10)

    staff_says(tg, CLERK, "Уточните, пожалуйста, когда вы приходили.", thread)
    await vk.wait_for("messages.send", count=4, peer_id=PEER, timeout=10)
    vk.push_message(PEER, FOLLOW_UP)
    notes = await tg.wait_for("sendMessage", count=3, predicate=in_staff_chat, timeout=10)
    parts = notes[1:]
    assert all(len(part["text"]) <= 4096 for part in parts)
    assert all(part["message_thread_id"] == thread for part in parts)
    assert parts[0]["text"].startswith("👤 ") and parts[0]["text"].endswith(".")
    assert words(parts) == ["👤", *FOLLOW_UP.split()]
