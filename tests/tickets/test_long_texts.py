"""Long questions and answers reach their reader whole, split at sentence ends where a
channel caps a message, never replaced by a message id nor cut unseen."""

from bot.app import App
from bot.tickets.cards import staff_text
from tests.support.fixtures import PEER, USER
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI
from tests.tickets.conftest import (
    CLERK,
    ask_in_telegram,
    in_staff_chat,
    ru,
    signed,
    staff_says,
    staff_topic,
)

QUESTION = "Подскажите, пожалуйста, как получить пропуск на стоянку у здания. " * 40  # 2,680
ANSWER = "Пропуск выдают в окне справок, возьмите паспорт и заявление. " * 45  # 2,745
FOLLOW_UP = "Я приходил вчера, но окно справок было закрыто весь день. " * 90  # 5,220


def words(messages: list[dict], key: str = "text") -> list[str]:
    return " ".join(message[key] for message in messages).split()


async def test_long_texts_cross_both_ways_whole(
    relay_bot: App, api: FakeTelegramAPI, vk_api: FakeVKAPI
) -> None:
    assert min(len(QUESTION), len(ANSWER)) > 2500 and len(FOLLOW_UP) > 4096
    await ask_in_telegram(api, QUESTION)

    thread = await staff_topic(api)
    [card] = await api.wait_for("sendMessage", predicate=in_staff_chat, timeout=10)
    assert "staff-card" not in card["text"] and QUESTION.strip() in card["text"]

    staff_says(api, CLERK, ANSWER, thread)
    sent = await api.wait_for("sendMessage", count=5, chat_id=USER, timeout=10)
    assert sent[-1]["text"] == ru("ticket-answer", number=1, text=signed(ANSWER))


async def test_a_follow_up_longer_than_a_message_arrives_in_parts(
    relay_bot: App, api: FakeTelegramAPI, vk_api: FakeVKAPI
) -> None:
    vk_api.push_message(PEER, ru("menu-human"), payload={"a": "go:ticket"})
    await vk_api.wait_for("messages.send", peer_id=PEER)
    vk_api.push_message(PEER, "Где получить пропуск?")
    await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    vk_api.push_message(PEER, ru("ticket-kind-question"), payload={"a": "ticket:kind:question"})
    await vk_api.wait_for("messages.send", count=3, peer_id=PEER)
    thread = await staff_topic(api)
    await api.wait_for("sendMessage", predicate=in_staff_chat, timeout=10)

    staff_says(api, CLERK, "Уточните, пожалуйста, когда вы приходили.", thread)
    await vk_api.wait_for("messages.send", count=4, peer_id=PEER, timeout=10)
    vk_api.push_message(PEER, FOLLOW_UP)
    notes = await api.wait_for("sendMessage", count=3, predicate=in_staff_chat, timeout=10)
    parts = notes[1:]
    assert all(len(part["text"]) <= 4096 for part in parts)
    assert all(part["message_thread_id"] == thread for part in parts)
    says = staff_text("staff-person-says", text=FOLLOW_UP.strip())
    assert parts[0]["text"].endswith(".")  # cut at a sentence end
    assert words(parts) == says.split()
