"""Staff answers and the communication rules (seed 003, п. 7): a check warns the author before
an answer goes (stock phrases, a bare refusal, unexplained abbreviations, long sentences) and
lets them send it as it is or fix it; answers are signed as STAFF_SIGNATURE says."""

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, create_app
from bot.core import clock
from bot.core.content import ContentError
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.staff import STAFF, Role, add
from bot.tickets.actions import AS_IS, FIX
from bot.tickets.wording import SHIPPED, load_wording
from knowledge_base.words import lemmas_of
from tests.support.client import Person
from tests.support.fixtures import PEER
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI
from tests.tickets.conftest import (
    CLERK,
    CLERK_NAME,
    STAFF_CHAT,
    in_staff_chat,
    open_ticket,
    outbox,
    ru,
    signed,
    staff_topic,
)

TOPIC = 77  # ticket №1's thread in the staff chat
CLEAN = "Справка готова. Заберите её в окне 3, с собой нужен паспорт."
LONG = " ".join(["Мы"] + ["очень"] * 42 + ["ждём вас."])
_updates = itertools.count()


async def staff_says(app: App, text: str, user: str = "501") -> None:
    """A message in ticket №1's topic from the staff chat."""
    now = clock.now()
    await app.tickets.staff_message("telegram", user, TOPIC, text, (), f"u{next(_updates)}", now)


async def topic_notes(app: App) -> list[Reply]:
    return [Reply.from_dict(row.payload) for row in await outbox(app, STAFF) if row.chat_id == "1"]


async def asked(app: App, chat: Person) -> None:
    """Ticket №1 opened by the person, who waits in the menu; two staff members."""
    await open_ticket(chat)
    await chat.press(chat.t("button-menu"))
    await app.tickets.set_topic(1, TOPIC)
    async with transaction(app.sessions) as session:
        await add(session, "telegram", "501", Role.STAFF, CLERK_NAME)
        await add(session, "telegram", "502", Role.STAFF, "Петров")


def finding(rule: str, **args: object) -> str:
    return ru(f"staff-wording-{rule}", **args)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "Ваши вопросы взяты нами на контроль.",
            finding(
                "phrase",
                quote="вопрос взят на контроль",
                hint="Напишите, что именно сделаете и к какому сроку.",
            ),
        ),
        (
            "Заявление принято в обработку.",
            finding(
                "phrase",
                quote="принято в обработку",
                hint="Напишите, что будет дальше и когда человек получит ответ.",
            ),
        ),
        (
            "Ваше обращение было рассмотрено.",
            finding(
                "phrase", quote="ваше обращение рассмотрено", hint="Напишите, что решили и почему."
            ),
        ),
        ("В выдаче пропуска отказано.", finding("refusal")),
        ("Обратитесь в УГАДН или в МФЦ.", finding("abbreviations", quote="УГАДН")),
        (LONG, finding("long", quote=" ".join(LONG.split()[:6]), words=45)),
    ],
)
async def test_each_rule_warns_before_the_answer_goes(
    staff_app: App, text: str, line: str
) -> None:
    app, chat = staff_app, Person(staff_app)
    await asked(app, chat)
    await staff_says(app, text)
    assert await chat.delivered() == []  # held: nothing reached the person
    warning = (await topic_notes(app))[-1]
    assert warning.text == ru("staff-wording", findings=line)
    assert [b.action for b in warning.buttons[0]] == [AS_IS.pack(1, 1), FIX.pack(1, 1)]
    assert [b.text for b in warning.buttons[0]] == ["Отправить как есть", "Исправить"]


async def test_a_clean_answer_goes_at_once_signed(staff_app: App) -> None:
    app, chat = staff_app, Person(staff_app)
    await asked(app, chat)
    before = len(await topic_notes(app))
    await staff_says(app, CLEAN)
    [answer, _rating] = await chat.delivered()
    assert answer.text == ru("ticket-answer", number=1, text=signed(CLEAN))
    assert len(await topic_notes(app)) == before  # no warning


async def test_send_as_is_sends_the_held_answer_once_and_only_for_its_author(
    staff_app: App,
) -> None:
    app, chat = staff_app, Person(staff_app)
    await asked(app, chat)
    text = "В выдаче пропуска отказано."
    await staff_says(app, text)
    now = clock.now()
    # A colleague cannot send someone else's words.
    pressed = await app.tickets.staff_action("telegram", "502", AS_IS.pack(1, 1), now)
    assert pressed == ru("staff-held-not-yours")
    assert await chat.delivered() == []
    assert await app.tickets.staff_action("telegram", "501", AS_IS.pack(1, 1), now) == ru(
        "staff-sent"
    )
    [answer, _rating] = await chat.delivered()
    assert answer.text == ru("ticket-answer", number=1, text=signed(text))
    again = await app.tickets.staff_action("telegram", "501", AS_IS.pack(1, 1), now)
    assert again == ru("staff-held-gone")
    assert await chat.delivered() == []


async def test_fix_drops_the_held_answer_and_the_new_one_goes(staff_app: App) -> None:
    app, chat = staff_app, Person(staff_app)
    await asked(app, chat)
    await staff_says(app, "Вопрос взят на контроль.")
    now = clock.now()
    assert await app.tickets.staff_action("telegram", "501", FIX.pack(1, 1), now) == ru(
        "staff-held-fix"
    )
    assert await app.tickets.staff_action("telegram", "501", AS_IS.pack(1, 1), now) == ru(
        "staff-held-gone"
    )
    # Without pressing "Исправить", a newer message replaces the held one as well.
    await staff_says(app, "Принято в обработку.")
    await staff_says(app, CLEAN)
    [answer, _rating] = await chat.delivered()
    assert answer.text == ru("ticket-answer", number=1, text=signed(CLEAN))
    assert await app.tickets.staff_action("telegram", "501", AS_IS.pack(1, 2), now) == ru(
        "staff-held-gone"
    )
    assert await chat.delivered() == []


@pytest.fixture(params=["name", "name_position", "none"])
async def signing_app(request: pytest.FixtureRequest, staff_settings) -> AsyncIterator[App]:
    app = await create_app(staff_settings.model_copy(update={"staff_signature": request.param}))
    yield app
    await app.close()


async def test_the_signature_follows_the_setting(signing_app: App) -> None:
    app, chat = signing_app, Person(signing_app)
    await asked(app, chat)
    async with transaction(app.sessions) as session:
        await add(session, "telegram", "501", Role.STAFF, CLERK_NAME, "ведущий специалист")
    await staff_says(app, CLEAN)
    [answer, _rating] = await chat.delivered()
    body = answer.text.split("\n\n", 1)[1]
    assert (
        body
        == {
            "name": f"{CLEAN}\n\n— Иванова",
            "name_position": f"{CLEAN}\n\n— Иванова, ведущий специалист",
            "none": CLEAN,
        }[app.settings.staff_signature]
    )


async def test_name_and_position_falls_back_to_the_name_without_a_position(
    staff_settings,
) -> None:
    app = await create_app(staff_settings.model_copy(update={"staff_signature": "name_position"}))
    try:
        chat = Person(app)
        await asked(app, chat)  # Иванова has no position
        await staff_says(app, CLEAN)
        [answer, _rating] = await chat.delivered()
        assert answer.text == ru("ticket-answer", number=1, text=signed(CLEAN))
    finally:
        await app.close()


# --- the check itself, on the shipped lists ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        CLEAN,
        "В выдаче отказано, но вы можете подать заявление снова через МФЦ.",
        "Обратитесь в управление (УГАДН) или в Госавтоинспекцию (ГИБДД).",
        "Глава IV регламента это разрешает.",
    ],
)
def test_clean_answers_have_no_findings(text: str) -> None:
    assert load_wording(SHIPPED, lemmas_of).check(text) == []


def test_the_lists_are_content_with_lines_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "wording.yaml"
    path.write_text(
        "phrases:\n"
        "  - phrase: принято в обработку\n"
        "    instead: Скажите, что дальше.\n"
        "  - phrase: Принято в обработку\n"
        "    instead: Скажите, что дальше.\n"
        "abbreviations: [МФЦ, мфц]\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_wording(path, lemmas_of)
    problems = caught.value.problems
    assert any(p.startswith(f"{path}:6:") and "abbreviations.1" in p for p in problems)
    path.write_text(path.read_text().replace("[МФЦ, мфц]", "[МФЦ, УГАДН]"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_wording(path, lemmas_of)
    assert caught.value.problems == [
        f"{path}:4: phrases.1.phrase: 'Принято в обработку' is listed twice"
    ]
    path.write_text("abbreviations: [УГАДН]\nsentence_words: 5\n", encoding="utf-8")
    wording = load_wording(path, lemmas_of)
    assert wording.check("Обратитесь в УГАДН.") == []  # the office's own lists
    assert [f.rule for f in wording.check("Обратитесь в УГАДН, а не в МФЦ, пожалуйста.")] == [
        "abbreviations",
        "long",
    ]


async def test_in_telegram_a_held_photo_answer_goes_to_vk_as_is(
    relay_bot: App, api: FakeTelegramAPI, vk_api: FakeVKAPI
) -> None:
    """The warning and its buttons in the staff topic; "Отправить как есть" pressed there
    sends the held caption, signed, and its photo downloaded for a VK person."""
    vk_api.push_message(PEER, ru("menu-human"), payload={"a": "go:ticket"})
    await vk_api.wait_for("messages.send", peer_id=PEER)
    vk_api.push_message(PEER, "Как оплатить штраф?")
    await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    vk_api.push_message(PEER, ru("ticket-kind-question"), payload={"a": "ticket:kind:question"})
    await vk_api.wait_for("messages.send", count=3, peer_id=PEER)
    thread = await staff_topic(api)
    await api.wait_for("sendMessage", predicate=in_staff_chat)  # the card

    caption = "Реквизиты УГАДН на фото"
    api.push_photo(
        CLERK,
        chat_id=STAFF_CHAT,
        chat_type="supergroup",
        message_thread_id=thread,
        caption=caption,
        content=b"requisites",
    )
    notes = await api.wait_for("sendMessage", count=2, predicate=in_staff_chat, timeout=10)
    warning = notes[-1]
    assert warning["message_thread_id"] == thread
    assert warning["text"] == ru("staff-wording", findings=finding("abbreviations", quote="УГАДН"))
    [[as_is, _fix]] = warning["reply_markup"]["inline_keyboard"]
    assert as_is["callback_data"] == AS_IS.pack(1, 1)
    assert len(await vk_api.wait_for("messages.send", peer_id=PEER)) == 3  # nothing went

    message_id = api.calls[-1].result["message_id"]
    api.push_callback(CLERK, as_is["callback_data"], message_id=message_id, chat_id=STAFF_CHAT)
    [answered] = await api.wait_for("answerCallbackQuery", timeout=10)
    assert answered.get("text") == ru("staff-sent")
    sent = await vk_api.wait_for("messages.send", count=5, peer_id=PEER, timeout=10)
    assert sent[-2]["attachment"].startswith("doc")
    assert [f for f in vk_api.uploads.values() if f.content == b"requisites"]
    assert sent[-1]["message"] == ru("ticket-answer", number=1, text=signed(caption))
