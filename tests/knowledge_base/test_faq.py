"""Questions typed by citizens, answered from the live knowledge base."""

from sqlalchemy import select

from bot.core.messages import Incoming
from knowledge_base.models import KBGap
from tests.conftest import Terminal


async def test_free_text_in_the_menu_is_answered(terminal: Terminal) -> None:
    await terminal.say("/start")
    screen = await terminal.say("kak zapisatsya na priem")
    assert "Помог ли ответ?" in screen
    assert "Записаться на приём" in terminal.labels().values()  # the answer's exit button


async def test_ask_button_then_question(terminal: Terminal) -> None:
    await terminal.say("/start")
    assert "Напишите вопрос" in await terminal.press("Задать вопрос")
    assert "8 (800) 000-00-00" in await terminal.say("какой у вас телефон")


async def test_yes_thanks_and_no_offers_a_person(app, terminal: Terminal) -> None:
    await terminal.say("где вы находитесь")
    assert "Рад, что помог" in await terminal.press("Да")
    await terminal.say("где вы находитесь")
    screen = await terminal.press("Нет")
    assert "ответ не помог" in screen
    assert "Написать сотруднику" in terminal.labels().values()
    async with app.sessions() as session:
        gaps = (await session.scalars(select(KBGap))).all()
    assert [(gap.question, gap.outcome, gap.entry_id) for gap in gaps] == [
        ("где вы находитесь", "unhelpful", "office_address")
    ]


async def test_unknown_question_offers_a_person_and_is_kept_scrubbed(app, terminal) -> None:
    screen = await terminal.say(
        "Почему по заявлению 1542 от 3 марта нет решения? +7 912 345-67-89"
    )
    assert "не нашёл ответа" in screen
    assert "Написать сотруднику" in terminal.labels().values()
    async with app.sessions() as session:
        gap = await session.scalar(select(KBGap))
    assert "1542" not in gap.question and "345" not in gap.question
    assert gap.outcome == "none" and gap.asked_on is not None


async def test_english_question_gets_the_english_answer_after_switching(terminal) -> None:
    await terminal.say("/start")
    await terminal.press("Language")
    await terminal.press("English")
    screen = await terminal.say("What are your opening hours?")
    assert "Monday" in screen and "Did this answer help?" in screen


async def test_vague_question_suggests_topics(app) -> None:
    replies = await app.engine.handle(Incoming("vk", "1", "1", text="документы"))
    kinds = replies[0].text
    assert "Возможно, вы имели в виду" in kinds or "Помог ли ответ?" in kinds
    if "Возможно" in kinds:
        assert 2 <= len(replies[0].buttons) <= 4  # up to 3 topics and "another question"


async def test_feedback_buttons_cannot_be_forged(app) -> None:
    for code in ("faq:yes", "faq:no", "faq:show:0", "faq:show:x", "faq:other", "faq:yes:x"):
        replies = await app.engine.handle(Incoming("vk", "2", "2", action=code))
        assert "кнопка уже не работает" in replies[0].text, code
    await app.engine.handle(Incoming("vk", "2", "2", text="документы для лицензии"))
    replies = await app.engine.handle(Incoming("vk", "2", "2", action="faq:show:7"))
    assert "кнопка уже не работает" in replies[0].text


async def test_markup_in_a_template_reaches_people_verbatim(app) -> None:
    async with app.sessions() as session, session.begin():
        await app.store.change(
            session, "contacts", "tester", "edit", answer_ru="Звоните: <b>8 (800)</b> *_[x](y)"
        )
    replies = await app.engine.handle(Incoming("vk", "3", "3", text="телефон управления"))
    assert replies[0].text.startswith("Звоните: <b>8 (800)</b> *_[x](y)")
