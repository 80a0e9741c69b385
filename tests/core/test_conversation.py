"""The whole bot at the level of replies, as a person would use it."""

import logging

from bot.app import App, create_app
from bot.core import texts
from bot.core.config import Settings
from bot.core.logs import setup_logging
from bot.core.messages import Unsupported
from bot.menu.info import INFO_TOPICS
from bot.menu.main import ENTRIES
from tests.support.client import People, Person


async def test_start_shows_every_menu_entry(chat: Person) -> None:
    await chat.send("/start")
    assert chat.last.text == chat.t("menu-greeting")
    assert chat.labels() == [chat.t(key) for key, _ in ENTRIES]


async def test_the_menu_reads_as_written(chat: Person) -> None:
    # Pins the wording on purpose: the first screen everyone sees, in both languages.
    await chat.send("/start")
    assert chat.last.text.startswith("Здравствуйте! Я чат-бот приёмной.")
    assert chat.labels()[:3] == ["Как получить услугу", "Задать вопрос", "Записаться на приём"]
    await chat.press("Language / Язык")
    await chat.press("English")
    assert chat.replies[0].text == "Done. I will write in English."
    assert "Book a visit" in chat.labels()


async def test_switching_language_changes_every_text(chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-language"))
    await chat.press("English")
    chat.locale = "en"
    assert [reply.text for reply in chat.replies] == [chat.t("language-set"), chat.t("menu-again")]
    assert chat.labels() == [chat.t(key) for key, _ in ENTRIES]
    await chat.send("/help")
    assert chat.last.text == chat.t("help")


async def test_typed_language_name_works_without_buttons(chat: Person) -> None:
    await chat.send("меню")
    await chat.press(chat.t("menu-language"))
    await chat.send("english")
    assert chat.replies[0].text == texts.text("en", "language-set")


async def test_cancel_returns_to_menu_from_any_state(chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-language"))
    await chat.send("/cancel")
    assert chat.replies[0].text == chat.t("cancelled")
    assert chat.last.text == chat.t("menu-greeting")
    assert chat.t("menu-faq") in chat.labels()
    # The language step no longer owns the conversation: "english" is a question now,
    # answered from the knowledge base in Russian, and the language stays as it was.
    await chat.send("english")
    assert chat.last.text.endswith(chat.t("faq-helpful"))


async def test_info_shows_hours_contacts_and_address(app: App, chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-info"))
    async with app.sessions() as session:
        entries = (await app.store.snapshot(session)).entries
    answers = [entries[topic].answer_ru for topic in INFO_TOPICS]
    assert chat.last.text == "\n\n".join([chat.t("info-title"), *answers])
    assert "8 (800) 000-00-00" in chat.last.text  # the demo office's phone


async def test_history_is_empty_for_a_new_person(chat: Person) -> None:
    await chat.send("/history")
    assert chat.last.text == chat.t("history-empty")


async def test_restart_resumes_at_the_same_step(settings: Settings, app: App) -> None:
    first = Person(app, "ivan")
    await first.send("/start")
    await first.press(first.t("menu-language"))
    await app.close()

    restarted = await create_app(settings)
    try:
        again = Person(restarted, "ivan")
        # No /start: the person just goes on answering the question they were asked.
        await again.send("English")
        assert again.replies[0].text == texts.text("en", "language-set")
    finally:
        await restarted.close()


async def test_duplicate_update_gets_one_reply(people: People) -> None:
    person = people("42", channel="telegram")
    replies = await person.handle(text="/start", update_id="1001")
    assert replies is not None and replies[-1].text == person.t("menu-greeting")
    assert await person.handle(text="/start", update_id="1001") is None


async def test_forged_or_stale_buttons_are_refused_politely(people: People) -> None:
    person = people("7", channel="telegram")
    for code in ("language:set:xx", "nosuch:thing", "go:nosuch", "language", "go:a:b", "::"):
        replies = await person.handle(action=code)
        assert replies is not None and replies[0].text == person.t("stale-button"), code


async def test_sticker_gets_a_polite_answer_and_keeps_state(people: People) -> None:
    person = people("5", channel="vk")
    await person.handle(action="go:language")
    await person.send_unsupported(Unsupported.STICKER)
    assert person.replies[0].text == person.t("unsupported-input", kind="sticker")
    await person.send("English")
    assert person.replies[0].text == texts.text("en", "language-set")


async def test_long_text_and_markup_are_answered(people: People) -> None:
    person = people("9", channel="vk")
    answers = {person.t("faq-not-found"), person.t("not-understood")}
    for text in ("а" * 4000, "<b>*_[x](y)`", "\x00\u202e", "   "):
        await person.send(text)
        assert person.replies[0].text in answers, text


async def test_message_text_never_reaches_the_logs(people: People, caplog) -> None:
    setup_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    person = people("8", channel="telegram")
    secret = "Паспорт 4510 123456 Иванов"
    await person.handle(text=secret, update_id="77")
    await person.handle(text=secret, update_id="77")
    assert "4510" not in caplog.text and "Иванов" not in caplog.text
