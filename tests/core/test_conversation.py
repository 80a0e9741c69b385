"""The whole bot through the terminal channel, as a person would use it."""

import logging

from bot.app import create_app
from bot.core.logs import setup_logging
from bot.core.messages import Incoming, Unsupported
from tests.conftest import Terminal


async def test_start_shows_every_menu_entry(terminal: Terminal) -> None:
    screen = await terminal.say("/start")
    assert "Здравствуйте" in screen
    for label in (
        "Как получить услугу",
        "Задать вопрос",
        "Записаться на приём",
        "Оценить качество",
        "Связаться с сотрудником",
        "Мои обращения и записи",
        "Режим работы и контакты",
        "Language / Язык",
    ):
        assert label in terminal.labels().values()


async def test_switching_language_changes_every_text(terminal: Terminal) -> None:
    await terminal.say("/start")
    await terminal.press("Language")
    screen = await terminal.press("English")
    assert "I will write in English" in screen
    assert "Book a visit" in terminal.labels().values()
    assert "Commands" in await terminal.say("/help")


async def test_typed_language_name_works_without_buttons(terminal: Terminal) -> None:
    await terminal.say("меню")
    await terminal.press("Language")
    assert "English" in await terminal.say("english")


async def test_cancel_returns_to_menu_from_any_state(terminal: Terminal) -> None:
    await terminal.say("/start")
    await terminal.press("Language")
    screen = await terminal.say("/cancel")
    assert "отменил" in screen
    assert "Задать вопрос" in terminal.labels().values()
    # The language step no longer owns the conversation: "english" is a question now,
    # answered from the knowledge base in Russian, and the language stays as it was.
    assert "Помог ли ответ?" in await terminal.say("english")


async def test_unbuilt_sections_say_so_honestly(terminal: Terminal) -> None:
    await terminal.say("/start")
    screen = await terminal.press("Оценить качество")
    assert "пока не работает" in screen
    assert "Главное меню" in terminal.labels().values()


async def test_info_shows_hours_contacts_and_address(terminal: Terminal) -> None:
    await terminal.say("/start")
    screen = await terminal.press("Режим работы")
    assert "8 (800) 000-00-00" in screen
    assert "Транспортная" in screen


async def test_history_is_empty_for_a_new_person(terminal: Terminal) -> None:
    assert "Пока их нет" in await terminal.say("/history")


async def test_restart_resumes_at_the_same_step(settings, app) -> None:
    first = Terminal(app, user_id="ivan")
    await first.say("/start")
    await first.press("Language")
    await app.close()

    restarted = await create_app(settings)
    try:
        again = Terminal(restarted, user_id="ivan")
        # No /start: the person just goes on answering the question they were asked.
        assert "I will write in English" in await again.say("English")
    finally:
        await restarted.close()


async def test_duplicate_update_gets_one_reply(app) -> None:
    incoming = Incoming("telegram", "42", "42", text="/start", update_id="1001")
    assert await app.engine.handle(incoming)
    assert await app.engine.handle(incoming) is None


async def test_forged_or_stale_buttons_are_refused_politely(app) -> None:
    for code in ("language:set:xx", "nosuch:thing", "go:nosuch", "language", "go:a:b", "::"):
        replies = await app.engine.handle(Incoming("telegram", "7", "7", action=code))
        assert "кнопка уже не работает" in replies[0].text, code


async def test_sticker_gets_a_polite_answer_and_keeps_state(app) -> None:
    await app.engine.handle(Incoming("vk", "5", "5", action="go:language"))
    replies = await app.engine.handle(Incoming("vk", "5", "5", unsupported=Unsupported.STICKER))
    assert "стикер" in replies[0].text
    replies = await app.engine.handle(Incoming("vk", "5", "5", text="English"))
    assert "English" in replies[0].text


async def test_long_text_and_markup_are_answered(app) -> None:
    for text in ("а" * 4000, "<b>*_[x](y)`", "\x00\u202e", "   "):
        replies = await app.engine.handle(Incoming("vk", "9", "9", text=text))
        assert replies and ("не нашёл" in replies[0].text or "не понял" in replies[0].text)


async def test_message_text_never_reaches_the_logs(app, caplog) -> None:
    setup_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    secret = "Паспорт 4510 123456 Иванов"
    await app.engine.handle(Incoming("telegram", "8", "8", text=secret, update_id="77"))
    await app.engine.handle(Incoming("telegram", "8", "8", text=secret, update_id="77"))
    assert "4510" not in caplog.text and "Иванов" not in caplog.text
