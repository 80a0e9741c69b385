"""A stage change reaches the person in their own messenger: the whole bot against the fake
Telegram and VK servers, staff keeping the records with `/app` in the staff chat; then the
one-tap rating of the stage just finished, recorded with nothing of the person."""

from sqlalchemy import func, select

from bot.app import App
from bot.core.models import Interaction
from surveys.models import RatingOffer, StageRating
from tests.applications.conftest import hire, link, staff
from tests.support.client import Person
from tests.support.fixtures import PEER, USER, Chat, VKChat, labels, vk_buttons
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI
from tests.tickets.conftest import (
    CLERK,
    STAFF_CHAT,
    ask_in_telegram,
    in_staff_chat,
    ru,
    signed,
    staff_says,
    staff_topic,
)


def staff_writes(api: FakeTelegramAPI, text: str, user: int = CLERK) -> None:
    api.push_message(user, text, chat_id=STAFF_CHAT, chat_type="supergroup")


async def staff_answer(api: FakeTelegramAPI, count: int) -> str:
    return (await api.wait_for("sendMessage", count=count, predicate=in_staff_chat))[-1]["text"]


async def test_a_stage_change_reaches_a_telegram_and_a_vk_person(
    relay_bot: App, api: FakeTelegramAPI, vk_api: FakeVKAPI
) -> None:
    staff_writes(api, "/app add 12-345 permit 4321")
    assert await staff_answer(api, 1) == ru(
        "app-staff-added-code", number="12-345", stage="Принято"
    )
    staff_writes(api, "/app add 67-890 dopog 8765")
    await staff_answer(api, 2)

    # The Telegram person links the first, the VK person the second.
    telegram = Chat(api)
    await telegram.say("/start")
    await telegram.press(ru("menu-applications"))
    await telegram.press(ru("app-button-add"))
    await telegram.say("12-345")
    linked = await telegram.say("4321")
    assert linked["text"].startswith(ru("app-linked", number="12-345"))
    vk = VKChat(vk_api)
    listed = await vk.say("мои заявления")
    asked = await vk.press(ru("app-button-add"), listed)
    assert asked["message"] == ru("app-ask-number")
    await vk.say("67-890")
    assert (await vk.say("8765"))["message"].startswith(ru("app-linked", number="67-890"))

    staff_writes(api, "/app 12-345 next")
    assert await staff_answer(api, 3) == ru(
        "app-staff-moved", number="12-345", stage="На рассмотрении", told="yes"
    )
    staff_writes(api, "/app 67-890 approved")
    await staff_answer(api, 4)

    stage = relay_bot.applications.office.stages.get
    review, approved = stage("review"), stage("approved")
    assert review is not None and approved is not None
    sent = await api.wait_for("sendMessage", count=7, chat_id=USER, timeout=10)
    notice, rating = sent[-2:]
    assert notice["text"] == ru(
        "app-notice", number="12-345", stage=review.title.ru, notice=review.notice.ru
    )
    assert labels(notice) == [ru("app-button-list")]
    assert rating["text"] == ru("app-rate", stage="Принято")
    assert labels(rating) == list("12345")

    sent = await vk_api.wait_for("messages.send", count=6, peer_id=PEER, timeout=10)
    notice, rating = sent[-2:]
    assert notice["message"] == ru(
        "app-notice", number="67-890", stage=approved.title.ru, notice=approved.notice.ru
    )
    assert rating["message"] == ru("app-rate", stage="Принято")
    assert [button["label"] for button in vk_buttons(rating)] == list("12345")
    # Nobody else heard of either application.
    assert not any("12-345" in str(call.params) for call in vk_api.calls)
    assert not any("67-890" in str(c.params) for c in api.calls if c.params.get("chat_id") == USER)


async def test_someone_without_the_staff_role_cannot_keep_records(
    relay_bot: App, api: FakeTelegramAPI
) -> None:
    staff_writes(api, "/app add 1 permit 1234", user=666)
    assert await staff_answer(api, 1) == ru("app-staff-only")
    staff_writes(api, "/app 1")  # the clerk: there is no such application
    assert await staff_answer(api, 2) == ru("app-error-unknown", number="1")


async def test_app_in_a_ticket_topic_is_answered_there_and_never_relayed(
    relay_bot: App, api: FakeTelegramAPI
) -> None:
    await ask_in_telegram(api, "Когда будет готово моё заявление?")
    thread = await staff_topic(api)
    before = len(await api.wait_for("sendMessage", count=4, chat_id=USER))
    staff_says(api, CLERK, "/app 12-345", thread)
    unknown = ru("app-error-unknown", number="12-345")
    [answer] = await api.wait_for("sendMessage", predicate=lambda p: p.get("text") == unknown)
    assert answer["chat_id"] == STAFF_CHAT and answer["message_thread_id"] == thread
    staff_says(api, CLERK, "Проверяю, минуту.", thread)  # an ordinary reply still goes out
    sent = await api.wait_for("sendMessage", count=before + 1, chat_id=USER, timeout=10)
    assert "/app" not in str([call["text"] for call in sent])


async def test_the_stage_rating_is_offered_and_kept_anonymously(app: App, chat: Person) -> None:
    await hire(app)
    await staff(app, "/app add 12-345 permit 4321")
    await link(chat, "12-345", "4321")
    await staff(app, "/app 12-345 documents Нужна копия паспорта, все страницы")
    documents = app.applications.office.stages.get("documents")
    assert documents is not None
    notice, rating = await chat.delivered()
    assert notice.text == "\n\n".join(
        [
            chat.t(
                "app-notice",
                number="12-345",
                stage=documents.title.ru,
                notice=documents.notice.ru,
            ),
            chat.t("app-notice-note", note=signed("Нужна копия паспорта, все страницы")),
        ]
    )
    assert rating.text == chat.t("app-rate", stage="Принято")
    async with app.sessions() as session:
        logged = await session.scalar(select(func.count(Interaction.id)))
    await chat.press("4")
    assert chat.last.text == chat.t("rate-thanks")
    await chat.press(chat.t("button-menu"))
    await chat.handle(action=rating.buttons[0][1].action)  # a second press of the same row
    assert chat.last.text == chat.t("stale-button")
    async with app.sessions() as session:
        rows = [
            (r.service, r.touchpoint, r.channel, r.stage, r.score)
            for r in await session.scalars(select(StageRating))
        ]
        assert await session.scalar(select(func.count(RatingOffer.token))) == 0
        events = await session.scalars(select(Interaction.event).offset(logged))
    assert rows == [("permit", "office", "console", "application.received", 4)]
    # The press went nowhere next to the person: only opening the menu and the stale press.
    assert list(events) == ["open", "action.stale"]


async def test_a_refusal_needs_its_reason_and_the_other_way(app: App, chat: Person) -> None:
    await hire(app)
    await staff(app, "/app add 9 permit 9999")
    await link(chat, "9", "9999")
    assert await staff(app, "/app 9 refused") == ru("app-error-note", stage="Отказ")
    assert await chat.delivered() == []
    assert await staff(app, "/app 9 next") == ru(
        "app-staff-moved", number="9", stage="На рассмотрении", told="yes"
    )
    # After review only a decision (or the documents detour) follows: it is named.
    assert await staff(app, "/app 9 дальше") == ru("app-error-no-next", number="9")
    why = "Груз тяжелее 44 т. Можно подать заново с маршрутом в обход моста."
    await staff(app, f"/app 9 отказ {why}")
    notice = (await chat.delivered())[-2]
    assert notice.text.endswith(chat.t("app-notice-note", note=signed(why)))
    assert "Отказ" in notice.text


async def test_a_note_is_read_against_the_communication_rules(app: App, chat: Person) -> None:
    await hire(app)
    await staff(app, "/app add 9 permit 9999")
    await link(chat, "9", "9999")
    worded = "Ваш вопрос взят на контроль, документы проверяем."
    answer = await staff(app, f"/app 9 documents {worded}")
    assert answer.startswith(ru("app-staff-wording", findings="").split("\n")[0])
    assert "взят на контроль" in answer
    assert await chat.delivered() == []  # the stage did not change
    assert await staff(app, f"/app 9 documents ! {worded}") == ru(
        "app-staff-moved", number="9", stage="Нужны документы", told="yes"
    )
    notice, _ = await chat.delivered()
    assert notice.text.endswith(chat.t("app-notice-note", note=signed(worded)))
