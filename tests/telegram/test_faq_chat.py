"""A question in Telegram: answer, "no", and the offer of a person."""

from bot.app import App
from bot.core import texts
from tests.support.fixtures import USER, data_of, labels
from tests.support.telegram_api import FakeTelegramAPI


def t(key: str, **args: object) -> str:
    return texts.text("ru", key, **args)


async def test_ask_answer_no_then_a_person_is_offered(bot: App, api: FakeTelegramAPI) -> None:
    async with bot.sessions() as session:
        entry = (await bot.store.snapshot(session)).entries["office_address"]  # demo content
    api.push_message(USER, "Как к вам доехать на автобусе?")
    [answer] = await api.wait_for("sendMessage", chat_id=USER)
    assert answer["text"] == f"{entry.answer_ru}\n\n{t('faq-helpful')}"
    message_id = api.calls[-1].result["message_id"]

    api.push_callback(USER, data_of(answer, t("button-no")), message_id=message_id)
    # The 1–5 for the answer, then the offer of a person, last, where the eye is.
    sent = await api.wait_for("sendMessage", count=3, chat_id=USER)
    assert sent[1]["text"] == t("faq-rate") and labels(sent[1]) == list("12345")
    assert sent[2]["text"] == t("faq-offer-human")
    assert t("button-human") in labels(sent[2])
    [edited] = await api.wait_for("editMessageText")
    assert edited["text"] == f"{answer['text']}\n\n➜ {t('button-no')}"
