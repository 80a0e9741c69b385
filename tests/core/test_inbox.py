"""Recording updates: those that arrive together share one transaction, a repeated delivery
(even in the same batch) is recorded once, and one person's updates keep their order."""

import asyncio

from sqlalchemy import event, func, select

from bot.core import texts
from bot.core.engine import Engine
from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Incoming, Reply
from bot.core.models import InboundUpdate


def update(number: int) -> Incoming:
    return Incoming("telegram", "42", "42", text=f"вопрос {number}", update_id=str(number))


async def test_updates_arriving_together_are_recorded_in_one_transaction(app) -> None:
    begun: list[object] = []

    def began(connection: object) -> None:
        begun.append(connection)

    event.listen(app.db.sync_engine, "begin", began)
    try:
        ids = await asyncio.gather(*(app.engine.inbox.record(update(n)) for n in (1, 2, 3, 2)))
    finally:
        event.remove(app.db.sync_engine, "begin", began)
    assert len(begun) == 1
    first, second, third, repeated = ids
    assert None not in (first, second, third) and len({first, second, third}) == 3
    assert repeated is None
    assert await app.engine.inbox.record(update(3)) is None  # and in a later batch
    async with app.sessions() as session:
        assert await session.scalar(select(func.count(InboundUpdate.id))) == 3
        payloads = (await session.scalars(select(InboundUpdate.payload))).all()
    assert sorted(p["text"] for p in payloads) == ["вопрос 1", "вопрос 2", "вопрос 3"]


async def test_one_bad_update_fails_alone_and_its_batch_is_recorded(app, monkeypatch) -> None:
    from bot.core import inbox

    real = inbox._recorded

    def broken_for_8(session: object, incoming: Incoming) -> object:
        if incoming.update_id == "8":
            raise RuntimeError("a kind of update the code cannot store")
        return real(session, incoming)  # type: ignore[arg-type]

    monkeypatch.setattr(inbox, "_recorded", broken_for_8)
    results = await asyncio.gather(
        *(app.engine.inbox.record(update(n)) for n in (7, 8, 9)), return_exceptions=True
    )
    assert [type(result) for result in results] == [int, RuntimeError, int]
    monkeypatch.setattr(inbox, "_recorded", real)
    assert await app.engine.inbox.record(update(8)) is not None  # nothing of it was kept
    assert await app.engine.inbox.record(update(7)) is None


class Recording(Feature):
    """A menu that notes what it was given, in the order it handled it."""

    name = MENU

    def __init__(self) -> None:
        self.handled: list[str] = []

    async def enter(self, ctx: Context) -> list[Reply]:
        return [Reply("menu")]

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        self.handled.append(text)
        return [Reply(text)]

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        self.handled.append(f"press:{verb}")
        return [Reply(verb)]


async def test_a_press_after_a_typed_question_waits_for_the_questions_answer(app) -> None:
    async def encoding(text: str) -> None:  # the sentence model, in a thread
        await asyncio.sleep(0.05)

    menu = Recording()
    engine = Engine(app.sessions, app.settings, [menu], prepare=encoding)
    typed = Incoming("telegram", "5", "5", text="сколько стоит", update_id="11")
    pressed = Incoming("telegram", "5", "5", action="menu:next", update_id="12")
    await asyncio.gather(engine.handle(typed), engine.handle(pressed))  # one poll's batch
    assert menu.handled == ["сколько стоит", "press:next"]


async def test_a_repeat_still_pending_is_taken_over_by_the_worker_it_reaches(app) -> None:
    # Another worker recorded it, then died before VK got its "ok": VK sends it again here.
    incoming = Incoming("vk", "63", "63", text="/start", update_id="63:1")
    await app.engine.inbox.record(incoming)
    taken = await app.engine.record(incoming)
    assert taken is not None
    replies = await app.engine.handle(incoming, recorded=taken)
    assert [reply.text for reply in replies] == [texts.text("ru", "menu-greeting")]
    assert await app.engine.record(incoming) is None  # handled now: a further repeat is not
