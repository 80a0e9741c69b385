"""Moderators edit the base inside the messenger; everyone else cannot."""

from bot.core.db import transaction
from bot.core.messages import Incoming
from bot.core.staff import Role, add
from tests.conftest import Terminal

MODERATOR = "moder"


async def make_moderator(app, user_id: str = MODERATOR) -> None:
    async with transaction(app.sessions) as session:
        await add(session, "console", user_id, Role.MODERATOR, "Иванова А.")


async def test_edit_preview_publish_then_rollback(app) -> None:
    await make_moderator(app)
    moderator = Terminal(app, user_id=MODERATOR)
    citizen = Terminal(app, user_id="citizen")

    assert "База знаний: 44 записей" in await moderator.say("/kb")
    assert "Найдено" in await moderator.say("контакты")
    await moderator.press("Телефон, электронная почта")
    await moderator.press("Изменить ответ (RU)")
    screen = await moderator.say("Новый номер: 8 (800) 111-11-11.")
    assert "Так ответ увидят люди" in screen and "111-11-11" in screen
    assert "версия 2" in (await moderator.press("Опубликовать")).lower()

    # Takes effect at once, without a restart.
    assert "111-11-11" in await citizen.say("какой у вас телефон")

    await moderator.press("К записи")
    history = await moderator.press("История изменений")
    assert "v2" in history and "Иванова А." in history and "edit answer_ru" in history
    await moderator.press("К записи")
    assert "версии 1" in await moderator.press("Откатить на версию назад")
    assert "000-00-00" in await citizen.say("какой у вас телефон")


async def test_add_example_question_and_switch_off(app) -> None:
    await make_moderator(app)
    moderator = Terminal(app, user_id=MODERATOR)
    citizen = Terminal(app, user_id="citizen2")
    await moderator.say("/kb")
    await moderator.say("office_address")
    await moderator.press("Адрес и как добраться")
    await moderator.press("Добавить пример вопроса")
    assert "Пример добавлен" in await moderator.say("куда ехать на приём")
    await moderator.press("К записи")
    assert "Запись выключена" in await moderator.press("Выключить")
    assert "остановка «Транспортная улица»" not in await citizen.say("адрес управления")
    assert "Выключена" in await moderator.press("К записи")


async def test_gaps_view_lists_unanswered_questions_most_frequent_first(app) -> None:
    await make_moderator(app)
    for user in ("a", "b"):
        await app.engine.handle(Incoming("console", user, user, text="как вернуть билет на поезд"))
    await app.engine.handle(Incoming("console", "c", "c", text="где купить полис ОСАГО"))
    moderator = Terminal(app, user_id=MODERATOR)
    await moderator.say("/kb")
    screen = await moderator.press("Вопросы без ответа")
    lines = [line for line in screen.splitlines() if "×" in line]
    assert lines[0].startswith("2 × как вернуть билет") and "ОСАГО" in lines[1]


async def test_a_citizen_cannot_moderate_even_with_forged_buttons(app) -> None:
    citizen = Terminal(app, user_id="nobody")
    assert "База знаний" not in await citizen.say("/kb")
    for code in ("kbmod:home", "kbmod:toggle:contacts", "kbmod:pub:contacts", "kbmod:list:0"):
        replies = await app.engine.handle(Incoming("console", "nobody", "nobody", action=code))
        assert "кнопка уже не работает" in replies[0].text, code
    async with app.sessions() as session:
        entry, version = await app.store.get(session, "contacts")
    assert entry.enabled and version == 1


async def test_publish_without_a_draft_is_refused(app) -> None:
    await make_moderator(app)
    replies = await app.engine.handle(
        Incoming("console", MODERATOR, MODERATOR, action="kbmod:pub:contacts")
    )
    assert "кнопка уже не работает" in replies[0].text
