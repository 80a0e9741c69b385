"""A moderator files unanswered questions under a topic in one tap, or marks them out of
scope, and the base answers differently at once."""

from bot.app import App
from knowledge_base.store import Gap
from tests.knowledge_base.test_faq import answered, entry
from tests.knowledge_base.test_moderation import MODERATOR, MODERATOR_NAME, make_moderator
from tests.support.client import People, Person

TICKET = "где починить велосипед"  # the search answers none of these
INSURANCE = "где купить полис ОСАГО"
FINE = "где купить щенка"


async def gaps(app: App) -> list[Gap]:
    async with app.sessions() as session:
        return await app.store.gaps(session)


async def last_change(app: App, entry_id: str) -> tuple[int, str, str]:
    async with app.sessions() as session:
        latest = (await app.store.history(session, entry_id))[0]
    return latest.version, latest.change, latest.changed_by


async def ask_unanswered(person: Person, question: str) -> None:
    await person.send(question)
    assert person.last.text == person.t("faq-not-found"), question


async def open_gap(moderator: Person, question: str) -> None:
    await moderator.send("/kb")
    await moderator.press(moderator.t("kbmod-gaps"))
    await moderator.press(question)  # the gap's button is labelled with the question


def done(moderator: Person, key: str, now: str, answering: str = "", **args: object) -> str:
    """The confirmation `key`, then what the bot now does with the question."""
    return f"{moderator.t(key, **args)}\n{moderator.t('kbmod-gap-now', kind=now, title=answering)}"


async def test_the_list_has_a_button_per_gap_named_by_its_newest_row(
    app: App, people: People
) -> None:
    await make_moderator(app)
    await ask_unanswered(people("a"), TICKET)
    await ask_unanswered(people("b"), INSURANCE)
    await ask_unanswered(people("c"), TICKET)
    moderator = people(MODERATOR)
    await moderator.send("/kb")
    await moderator.press(moderator.t("kbmod-gaps"))
    assert moderator.last.text.splitlines() == [
        moderator.t("kbmod-gaps-title"),
        moderator.t("kbmod-gaps-line", times=2, question=TICKET),
        moderator.t("kbmod-gaps-line", times=1, question=INSURANCE),
    ]
    ticket, insurance = await gaps(app)
    assert ticket.id > insurance.id  # the newest of the two
    assert [b.action for b in moderator.buttons()[:2]] == [
        f"kbmod:gap:{ticket.id}",
        f"kbmod:gap:{insurance.id}",
    ]
    assert moderator.labels()[:2] == [TICKET, INSURANCE]


async def test_one_tap_files_a_gap_and_the_citizen_gets_that_answer_at_once(
    app: App, people: People
) -> None:
    await make_moderator(app)
    citizen, moderator = people("citizen"), people(MODERATOR)
    await ask_unanswered(citizen, TICKET)
    await ask_unanswered(people("other"), TICKET)

    await open_gap(moderator, TICKET)
    assert moderator.last.text == moderator.t("kbmod-gap", question=TICKET, times=2)
    topic = moderator.buttons()[0]  # the first topic offered
    assert topic.action.startswith("kbmod:gapto:"), moderator.labels()
    entry_id = topic.action.rsplit(":", 1)[1]
    title = (await entry(app, entry_id)).title_ru
    assert topic.text == title
    await moderator.press(topic.action)
    confirmation, following = moderator.replies
    assert confirmation.text == done(
        moderator, "kbmod-gap-filed", "answer", title, title=title, version=2
    )
    assert following.text == moderator.t("kbmod-gaps-empty")
    assert await gaps(app) == []
    assert await last_change(app, entry_id) == (2, "add question from gaps", MODERATOR_NAME)
    assert TICKET in (await entry(app, entry_id)).questions

    await citizen.send(TICKET)  # no restart
    assert citizen.last.text == answered(citizen, await entry(app, entry_id))


async def test_another_topic_is_found_by_a_word_then_the_next_gap_follows(
    app: App, people: People
) -> None:
    await make_moderator(app)
    citizen, moderator = people("citizen"), people(MODERATOR)
    await ask_unanswered(citizen, INSURANCE)
    await ask_unanswered(people("x"), TICKET)
    await ask_unanswered(people("y"), TICKET)

    await open_gap(moderator, INSURANCE)
    await moderator.press(moderator.t("kbmod-gap-other"))
    assert moderator.last.text == moderator.t("kbmod-gap-find")
    await moderator.send("office_address")
    assert moderator.last.text == moderator.t("kbmod-gap-pick")
    address = await entry(app, "office_address")
    await moderator.press(address.title_ru)
    confirmation, following = moderator.replies
    assert confirmation.text == done(
        moderator, "kbmod-gap-filed", "answer", address.title_ru, title=address.title_ru, version=2
    )
    assert following.text == moderator.t("kbmod-gap", question=TICKET, times=2)
    assert [gap.question for gap in await gaps(app)] == [TICKET]

    await citizen.send(INSURANCE)
    assert citizen.last.text == answered(citizen, await entry(app, "office_address"))


async def test_out_of_scope_adds_a_negative_to_the_nearest_entry_and_drops_the_gap(
    app: App, people: People
) -> None:
    await make_moderator(app)
    moderator = people(MODERATOR)
    await ask_unanswered(people("citizen"), FINE)
    await open_gap(moderator, FINE)
    await moderator.press(moderator.t("kbmod-gap-out"))

    async with app.sessions() as session:
        marked = [e for e in await app.store.all_entries(session) if FINE in e.negatives]
    assert len(marked) == 1  # the entry the search ranks first for it
    (nearest,) = marked
    confirmation, following = moderator.replies
    assert confirmation.text == done(
        moderator, "kbmod-gap-excluded", "none", title=nearest.title_ru, version=2
    )
    assert following.text == moderator.t("kbmod-gaps-empty")
    assert await gaps(app) == []
    assert await last_change(app, nearest.id) == (2, "add negative from gaps", MODERATOR_NAME)


async def test_out_of_scope_with_no_entry_near_just_dismisses_it(app: App, people: People) -> None:
    await make_moderator(app)
    moderator = people(MODERATOR)
    async with app.sessions() as session:
        before = await app.store.all_entries(session)
    await ask_unanswered(people("citizen"), "что?")  # no word to search by: no entry near
    await open_gap(moderator, "что?")
    await moderator.press(moderator.t("kbmod-gap-out"))
    assert moderator.replies[0].text == done(moderator, "kbmod-gap-dismissed", "none")
    assert await gaps(app) == []
    async with app.sessions() as session:
        assert await app.store.all_entries(session) == before


async def test_a_citizen_pressing_forged_gap_buttons_changes_nothing(
    app: App, people: People
) -> None:
    citizen = people("citizen")
    await ask_unanswered(citizen, TICKET)
    (gap,) = await gaps(app)
    codes = ("kbmod:gaps", f"kbmod:gap:{gap.id}", f"kbmod:gapout:{gap.id}")
    for code in (*codes, f"kbmod:gapto:{gap.id}:contacts", f"kbmod:gapfind:{gap.id}"):
        await citizen.handle(action=code)
        assert citizen.last.text == citizen.t("stale-button"), code
    assert await gaps(app) == [gap]
    assert (await last_change(app, "contacts"))[0] == 1


async def test_a_stale_or_forged_gap_id_gets_the_polite_refusal(app: App, people: People) -> None:
    await make_moderator(app)
    moderator = people(MODERATOR)
    await ask_unanswered(people("citizen"), TICKET)
    (gap,) = await gaps(app)
    forged = (
        f"kbmod:gap:{gap.id + 1}",
        "kbmod:gap:x",
        f"kbmod:gap:{gap.id}:1",
        f"kbmod:gapto:{gap.id}",
        f"kbmod:gapto:{gap.id}:no_such_entry",
        f"kbmod:gapto:{gap.id}:../contacts",
        "kbmod:gapout:-1",
    )
    for code in forged:
        await moderator.handle(action=code)
        assert moderator.last.text == moderator.t("stale-button"), code
    assert await gaps(app) == [gap]

    await moderator.handle(action=f"kbmod:gapto:{gap.id}:contacts")
    assert await gaps(app) == []
    for code in (f"kbmod:gap:{gap.id}", f"kbmod:gapout:{gap.id}", f"kbmod:gapto:{gap.id}:faq"):
        await moderator.handle(action=code)  # the button of a gap already dealt with
        assert moderator.last.text == moderator.t("stale-button"), code
    assert (await last_change(app, "contacts"))[0] == 2
