"""A question in Telegram: answer, "no", and the offer of a person."""

from bot.app import App
from tests.support.fixtures import USER, data_of, labels
from tests.support.telegram_api import FakeTelegramAPI


async def test_ask_answer_no_then_a_person_is_offered(bot: App, api: FakeTelegramAPI) -> None:
    api.push_message(USER, "Как к вам доехать на автобусе?")
    [answer] = await api.wait_for("sendMessage", chat_id=USER)
    assert "автобусы № 5 и 17" in answer["text"]
    assert answer["text"].endswith("Помог ли ответ?")
    message_id = api.calls[-1].result["message_id"]

    api.push_callback(USER, data_of(answer, "Нет"), message_id=message_id)
    sent = await api.wait_for("sendMessage", count=2, chat_id=USER)
    assert "ответ не помог" in sent[1]["text"]
    assert "Написать сотруднику" in labels(sent[1])
    [edited] = await api.wait_for("editMessageText")
    assert edited["text"].endswith("➜ Нет")
