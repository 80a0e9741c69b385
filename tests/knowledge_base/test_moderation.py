"""Moderators edit the base inside the messenger; everyone else cannot."""

from bot.app import App
from bot.core.db import transaction
from bot.core.staff import Role, add
from tests.conftest import ORDINARY_MORNING
from tests.support.client import People, Person

MODERATOR = "moder"
MODERATOR_NAME = "Иванова А."


async def make_moderator(app: App, user_id: str = MODERATOR) -> None:
    async with transaction(app.sessions) as session:
        await add(session, "console", user_id, Role.MODERATOR, MODERATOR_NAME)


async def answer_of(app: App, entry_id: str) -> str:
    async with app.sessions() as session:
        found = await app.store.get(session, entry_id)
    assert found is not None
    return found[0].answer_ru


async def test_edit_preview_publish_then_rollback(app: App, people: People) -> None:
    await make_moderator(app)
    moderator, citizen = people(MODERATOR), people("citizen")
    shipped = await answer_of(app, "contacts")

    await moderator.send("/kb")
    assert moderator.last.text == moderator.t("kbmod-home", total=44, disabled=0)
    await moderator.send("контакты")
    assert moderator.last.text == moderator.t("kbmod-found", count=1)
    await moderator.press("kbmod:view:contacts")
    await moderator.press(moderator.t("kbmod-edit-ru"))
    assert moderator.last.text == moderator.t("kbmod-send-answer", lang="RU")
    await moderator.send("Новый номер: 8 (800) 111-11-11.")
    preview, draft = moderator.replies
    assert preview.text == moderator.t("kbmod-preview")
    assert draft.text == "Новый номер: 8 (800) 111-11-11."
    await moderator.press(moderator.t("kbmod-publish"))
    assert moderator.last.text == moderator.t("kbmod-published", version=2)

    # Takes effect at once, without a restart.
    await citizen.send("какой у вас телефон")
    assert citizen.last.text.startswith("Новый номер: 8 (800) 111-11-11.")

    await moderator.press(moderator.t("kbmod-back"))
    await moderator.press(moderator.t("kbmod-history"))
    when = f"{ORDINARY_MORNING:%d.%m.%Y %H:%M}"
    line = moderator.t(
        "kbmod-history-line", version=2, when=when, by=MODERATOR_NAME, change="edit answer_ru"
    )
    assert line in moderator.last.text.splitlines()
    await moderator.press(moderator.t("kbmod-back"))
    await moderator.press(moderator.t("kbmod-undo"))
    assert moderator.last.text == moderator.t("kbmod-rolled-back", restored=1, version=3)
    await citizen.send("какой у вас телефон")
    assert citizen.last.text.startswith(shipped)


async def test_add_example_question_and_switch_off(app: App, people: People) -> None:
    await make_moderator(app)
    moderator, citizen = people(MODERATOR), people("citizen2")
    await citizen.send("адрес управления")
    assert citizen.last.text.startswith(await answer_of(app, "office_address"))

    await moderator.send("/kb")
    await moderator.send("office_address")
    await moderator.press("kbmod:view:office_address")
    await moderator.press(moderator.t("kbmod-add-question"))
    await moderator.send("куда ехать на приём")
    assert moderator.last.text == moderator.t("kbmod-question-added", version=2)
    await moderator.press(moderator.t("kbmod-back"))
    await moderator.press(moderator.t("kbmod-disable"))
    assert moderator.last.text == moderator.t("kbmod-toggled", enabled="no", version=3)

    await citizen.send("адрес управления")
    assert not citizen.last.text.startswith(await answer_of(app, "office_address"))
    await moderator.press(moderator.t("kbmod-back"))
    assert moderator.t("kbmod-enable") in moderator.labels()


async def test_a_citizen_cannot_moderate_even_with_forged_buttons(app: App, chat: Person) -> None:
    await chat.send("/kb")
    assert chat.last.text == chat.t("not-understood")
    for code in ("kbmod:home", "kbmod:toggle:contacts", "kbmod:pub:contacts", "kbmod:list:0"):
        await chat.handle(action=code)
        assert chat.last.text == chat.t("stale-button"), code
    async with app.sessions() as session:
        entry, version = await app.store.get(session, "contacts")
    assert entry.enabled and version == 1


async def test_publish_without_a_draft_is_refused(app: App, people: People) -> None:
    await make_moderator(app)
    moderator = people(MODERATOR)
    await moderator.handle(action="kbmod:pub:contacts")
    assert moderator.last.text == moderator.t("stale-button")
