"""Questions typed by citizens, answered from the live knowledge base."""

from sqlalchemy import select

from bot.app import App
from knowledge_base.entries import Entry
from knowledge_base.models import KBGap
from tests.support.client import People, Person


async def entry(app: App, entry_id: str) -> Entry:
    async with app.sessions() as session:
        found = await app.store.get(session, entry_id)
    assert found is not None, entry_id
    return found[0]


def answered(chat: Person, entry: Entry) -> str:
    """How the bot shows an entry's answer to this person."""
    answer = entry.answer_en if chat.locale == "en" else entry.answer_ru
    return f"{answer}\n\n{chat.t('faq-helpful')}"


async def test_free_text_in_the_menu_is_answered(app: App, chat: Person) -> None:
    await chat.send("/start")
    await chat.send("kak zapisatsya na priem")
    assert chat.last.text == answered(chat, await entry(app, "appointment_booking"))
    assert chat.button(chat.t("menu-booking")).action == "go:booking"  # the answer's exit


async def test_ask_button_then_question(app: App, chat: Person) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-faq"))
    assert chat.last.text == chat.t("faq-ask")
    await chat.send("какой у вас телефон")
    assert chat.last.text == answered(chat, await entry(app, "contacts"))
    assert "8 (800) 000-00-00" in chat.last.text  # the demo office's phone
    assert chat.labels()[-1] == chat.t("button-menu")  # on without rating the answer
    await chat.press(chat.t("button-menu"))
    assert chat.last.text == chat.t("menu-greeting")


async def test_yes_thanks_and_no_offers_a_person(app: App, chat: Person) -> None:
    await chat.send("где вы находитесь")
    await chat.press(chat.t("button-yes"))
    assert chat.last.text == f"{chat.t('faq-thanks')}\n{chat.t('faq-rate')}"
    await chat.send("где вы находитесь")
    await chat.press(chat.t("button-no"))
    assert chat.last.text == chat.t("faq-offer-human")
    assert chat.t("button-human") in chat.labels()
    async with app.sessions() as session:
        gaps = (await session.scalars(select(KBGap))).all()
    assert [(gap.question, gap.outcome, gap.entry_id) for gap in gaps] == [
        ("где вы находитесь", "unhelpful", "office_address")
    ]


async def test_unknown_question_offers_a_person_and_is_kept_scrubbed(
    app: App, chat: Person
) -> None:
    await chat.send("Сосед шумит по ночам, что делать? Мой телефон +7 912 345-67-89, кв. 1542")
    assert chat.last.text == chat.t("faq-not-found")
    assert chat.t("button-human") in chat.labels()
    async with app.sessions() as session:
        gap = await session.scalar(select(KBGap))
    assert "1542" not in gap.question and "345" not in gap.question
    assert gap.outcome == "none" and gap.asked_on is not None


async def test_english_question_gets_the_english_answer_after_switching(
    app: App, chat: Person
) -> None:
    await chat.send("/start")
    await chat.press(chat.t("menu-language"))
    await chat.press("English")
    chat.locale = "en"
    await chat.send("What are your opening hours?")
    assert chat.last.text == answered(chat, await entry(app, "working_hours"))
    assert "Monday" in chat.last.text


async def test_vague_question_suggests_topics(app: App, people: People) -> None:
    person = people("1", channel="vk")
    # Two entries fit a lone "согласие" alike: the person chooses, the bot does not guess.
    await person.send("согласие")
    assert person.last.text == person.t("faq-suggest")
    titles = {
        (await entry(app, e)).title_ru for e in ("personal_data_consent", "proactive_consent")
    }
    assert titles <= set(person.labels())
    assert 3 <= len(person.last.buttons) <= 4  # up to 3 topics and "another question"


async def test_feedback_buttons_cannot_be_forged(people: People) -> None:
    person = people("2", channel="vk")
    for code in ("faq:yes", "faq:no", "faq:show:0", "faq:show:x", "faq:other", "faq:yes:x"):
        await person.handle(action=code)
        assert person.last.text == person.t("stale-button"), code
    await person.send("документы для лицензии")
    await person.handle(action="faq:show:7")
    assert person.last.text == person.t("stale-button")


async def test_markup_in_a_template_reaches_people_verbatim(app: App, people: People) -> None:
    markup = "Звоните: <b>8 (800)</b> *_[x](y)"
    async with app.sessions() as session, session.begin():
        await app.store.change(session, "contacts", "tester", "edit", answer_ru=markup)
    person = people("3", channel="vk")
    await person.send("телефон управления")
    assert person.last.text == f"{markup}\n\n{person.t('faq-helpful')}"


async def test_thanks_and_greetings_get_a_short_human_reply(app: App, chat: Person) -> None:
    await chat.send("/start")
    await chat.send("спасибо большое!")
    assert chat.last.text == chat.t("faq-chat-thanks")
    await chat.send("Здравствуйте")
    assert chat.last.text == chat.t("faq-chat-hello")
    assert chat.labels() == [chat.t("button-menu")]  # a way back to the menu
    async with app.sessions() as session:
        assert (await session.scalars(select(KBGap))).all() == []  # not a gap of the base


async def test_a_question_about_another_agency_is_not_answered(app: App, chat: Person) -> None:
    await chat.send("как оформить полис осаго")
    assert chat.last.text == chat.t("faq-not-found")
    assert chat.t("button-human") in chat.labels()
