""" "Вы сказали — мы сделали": moderators keep the list, anyone reads it, subscribers are told."""

from sqlalchemy import func, select

from bot.app import App
from surveys.models import ChangeSubscriber, FeedbackChange
from tests.knowledge_base.test_moderation import MODERATOR, MODERATOR_NAME, make_moderator
from tests.support.client import People

FIXED = "Добавили вечерний приём по четвергам до 20:00."


async def count(app: App, table: type) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


async def test_a_moderator_publishes_and_subscribers_are_told(app: App, people: People) -> None:
    await make_moderator(app)
    citizen, other, moderator = people("citizen"), people("other", channel="vk"), people(MODERATOR)
    await citizen.send("/changes")
    assert citizen.last.text.splitlines() == [
        citizen.t("changes-title"),
        citizen.t("changes-empty"),
    ]
    assert citizen.t("changes-add") not in citizen.labels()  # only moderators add
    await citizen.press(citizen.t("changes-subscribe"))
    assert citizen.last.text.startswith(citizen.t("changes-subscribed"))
    assert citizen.t("changes-unsubscribe") in citizen.labels()

    await moderator.send("/changes")
    await moderator.press(moderator.t("changes-add"))
    assert moderator.last.text == moderator.t("changes-send-text")
    await moderator.send(FIXED)
    assert moderator.last.text == moderator.t("changes-preview", text=FIXED)
    await moderator.press(moderator.t("changes-publish"))
    assert moderator.last.text.startswith(moderator.t("changes-published", told=1))

    (notice,) = await citizen.delivered()
    assert notice.text == citizen.t("changes-notice", quarter="2026Q1", text=FIXED)
    assert await other.delivered() == []  # not subscribed: not told
    await other.send("/changes")
    assert other.t("changes-line", quarter="2026Q1", text=FIXED) in other.last.text
    async with app.sessions() as session:
        (change,) = await session.scalars(select(FeedbackChange))
    assert (change.quarter, change.added_by) == ("2026Q1", MODERATOR_NAME)


async def test_only_moderators_change_the_list(app: App, people: People) -> None:
    citizen = people("citizen")
    for code in ("changes:add", "changes:pub", "changes:del:1", "changes:del:x", "changes:sub:1"):
        await citizen.handle(action=code)
        assert citizen.last.text == citizen.t("stale-button"), code
    assert await count(app, FeedbackChange) == 0


async def test_a_moderator_removes_an_item(app: App, people: People) -> None:
    await make_moderator(app)
    moderator = people(MODERATOR)
    await moderator.send("/changes")
    await moderator.press(moderator.t("changes-add"))
    await moderator.send(FIXED)
    await moderator.press(moderator.t("changes-publish"))
    await moderator.press(moderator.t("changes-remove", text=FIXED[:40]))
    assert moderator.t("changes-empty") in moderator.last.text
    assert await count(app, FeedbackChange) == 0


async def test_too_long_text_is_refused_and_nothing_is_lost(app: App, people: People) -> None:
    await make_moderator(app)
    moderator = people(MODERATOR)
    await moderator.send("/changes")
    await moderator.press(moderator.t("changes-add"))
    await moderator.send("а" * 501)
    assert moderator.last.text == moderator.t("changes-too-long", length=501, limit=500)
    await moderator.send(FIXED)  # still in the same step: the shorter text is taken
    assert moderator.last.text == moderator.t("changes-preview", text=FIXED)


async def test_unsubscribe_and_forget(app: App, people: People) -> None:
    citizen = people("citizen")
    await citizen.send("/changes")
    await citizen.press(citizen.t("changes-subscribe"))
    await citizen.press(citizen.t("changes-unsubscribe"))
    assert citizen.last.text.startswith(citizen.t("changes-unsubscribed"))
    assert await count(app, ChangeSubscriber) == 0
    await citizen.press(citizen.t("changes-subscribe"))
    await citizen.send("удалить мои данные")
    await citizen.press(citizen.t("forget-yes"))
    assert await count(app, ChangeSubscriber) == 0
