"""Two workers on one PostgreSQL database, each an App with its own engine and connection
pool, as two processes of `priemnaya run --workers 2` are: one person's messages, one
booking slot, one timer and the outbox's rows, raced for. (Real processes, and a worker
killed mid-update: tests/telegram/test_workers.py.)"""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select, text

from bot.app import App, build_features, create_app
from bot.booking.actions import CONFIRM, slot_code
from bot.booking.models import BOOKED, Booking
from bot.booking.slots import nearest_free
from bot.booking.state import SUMMARY
from bot.core import clock, outbox, timers
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.engine import Engine
from bot.core.feature import Context, Feature
from bot.core.messages import Incoming, Reply
from bot.core.models import Conversation, OutboxMessage, Person, Timer
from bot.core.outbox import OutboxWorker, Progress, enqueue
from tests.booking.conftest import booked, confirmation
from tests.support.client import Person as Chat


@pytest.fixture
async def workers(settings: Settings, database_url: str) -> AsyncIterator[tuple[App, App]]:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers run on PostgreSQL only")
    first, second = await asyncio.gather(create_app(settings), create_app(settings))
    yield first, second
    await asyncio.gather(first.close(), second.close())


class Diary(Feature):
    """Keeps what the person said in the conversation and answers with all of it; "wait"
    holds the handler (inside its transaction) until the test opens `gate`."""

    name = "diary"

    def __init__(self, gate: asyncio.Event, inside: asyncio.Event) -> None:
        self.gate, self.inside = gate, inside

    async def enter(self, ctx: Context) -> list[Reply]:
        return [Reply("diary")]

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        said = [*ctx.conversation.data.get("said", []), text]
        ctx.conversation.data = {**ctx.conversation.data, "said": said}
        if text == "wait":
            self.inside.set()
            await self.gate.wait()
        return [Reply(" ".join(said))]


async def waiting_for_a_lock(app: App) -> bool:
    async with app.db.connect() as connection:
        count = await connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
        )
    return bool(count)


async def test_one_persons_messages_keep_their_order_across_workers(workers) -> None:
    first, second = workers
    gate, inside = asyncio.Event(), asyncio.Event()
    engines = [
        Engine(app.sessions, app.settings, [*build_features(app.settings, app.store), diary])
        for app, diary in ((first, Diary(gate, inside)), (second, Diary(gate, inside)))
    ]

    def message(number: int, said: str) -> Incoming:
        return Incoming("telegram", "501", "501", text=said, update_id=str(number))

    await engines[0].handle(Incoming("telegram", "501", "501", action="go:diary"))
    one = asyncio.create_task(engines[0].handle(message(1, "wait")))
    await inside.wait()  # the first worker holds the person's conversation
    two = asyncio.create_task(engines[1].handle(message(2, "then")))
    # The second worker waits on the row lock, not on the first's handler: open the gate
    # only once the database shows it waiting.
    locked = False
    async with asyncio.timeout(10):
        while not locked:
            locked = await waiting_for_a_lock(first)
    gate.set()
    assert [reply.text for reply in await one] == ["wait"]
    assert [reply.text for reply in await two] == ["wait then"]  # saw the first one's change


async def test_two_workers_confirm_one_seat_one_booking(workers) -> None:
    first, second = workers
    schedule = first.booking.schedule
    office = schedule.office("river")  # capacity 1
    service = office.service("consult")
    async with first.sessions() as session:
        [start] = await nearest_free(session, schedule, office, service, clock.now(), 1)
    data = {
        "office": office.id,
        "service": service.id,
        "start": slot_code(start, schedule.tz),
        "filled": True,
        "consent": False,
        "p": first.booking.vault.seal({}),
    }
    racers = []
    async with transaction(first.sessions) as session:
        for n, app in enumerate((first, second, first, second)):
            person = Person(channel="console", external_id=f"racer{n}", chat_id=f"racer{n}")
            session.add(person)
            await session.flush()
            session.add(
                Conversation(person_id=person.id, feature="booking", step=SUMMARY, data=data)
            )
            racers.append(Chat(app, f"racer{n}"))
    await asyncio.gather(*(racer.handle(action=CONFIRM.pack()) for racer in racers))
    async with first.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Booking).where(Booking.status == BOOKED)
        )
    assert count == 1
    done = confirmation(racers[0], schedule, await booked(first))
    assert sum(racer.replies[0].text == done for racer in racers) == 1
    told = [racer.replies[0].text == racer.t("booking-just-taken") for racer in racers]
    assert sum(told) == 3  # the others, politely, with other times offered


async def test_a_timer_fires_once_when_two_workers_sweep(workers) -> None:
    first, second = workers
    fired: list[tuple[int, int]] = []
    for index, app in enumerate(workers):

        async def handler(_session: Any, payload: dict[str, Any], _due: Any, index=index) -> None:
            await asyncio.sleep(0.01)  # long enough for the other worker to reach the row
            fired.append((index, payload["n"]))

        app.timers.on("test.race", handler)
    async with transaction(first.sessions) as session:
        for n in range(20):
            timers.schedule(session, "test.race", clock.now(), {"n": n})
    await asyncio.gather(first.timers.sweep(), second.timers.sweep())
    assert sorted(n for _, n in fired) == list(range(20))
    async with first.sessions() as session:
        assert await session.scalar(select(func.count()).where(Timer.fired_at.is_(None))) == 0


class Watch:
    """A sender shared by both workers: what each chat received in order, and whether two
    messages of one chat were ever on their way at once."""

    def __init__(self) -> None:
        self.received: dict[str, list[str]] = {}
        self.on_the_way: set[str] = set()
        self.overlaps = 0
        self.by_worker = [0, 0]

    def sender(self, worker: int) -> Any:
        watch = self

        class Sender:
            async def send(self, chat_id: str, reply: Reply, progress: Progress | None) -> None:
                if chat_id in watch.on_the_way:
                    watch.overlaps += 1
                watch.on_the_way.add(chat_id)
                await asyncio.sleep(0.002)  # an API call: the other worker runs meanwhile
                watch.on_the_way.discard(chat_id)
                watch.received.setdefault(chat_id, []).append(reply.text)
                watch.by_worker[worker] += 1

        return Sender()


async def test_two_outbox_workers_send_each_row_once_and_each_chat_in_order(
    workers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox, "BATCH", 4)  # small claims, so the workers take turns
    first = workers[0]
    chats, per_chat = 12, 6
    async with transaction(first.sessions) as session:
        for number in range(per_chat):
            for chat in range(chats):
                enqueue(session, "telegram", f"c{chat}", [Reply(f"{chat}.{number}")])
    watch = Watch()
    senders = [
        OutboxWorker(app.sessions, {"telegram": watch.sender(i)}) for i, app in enumerate(workers)
    ]

    async def keep_sending(worker: OutboxWorker) -> None:
        while sum(len(texts) for texts in watch.received.values()) < chats * per_chat:
            await worker.run_once()
            await asyncio.sleep(0)

    async with asyncio.timeout(30):
        await asyncio.gather(*(keep_sending(worker) for worker in senders))
    assert watch.overlaps == 0
    assert watch.received == {
        f"c{chat}": [f"{chat}.{number}" for number in range(per_chat)] for chat in range(chats)
    }
    assert all(watch.by_worker)  # both took part
    async with first.sessions() as session:
        statuses = (await session.scalars(select(OutboxMessage.status))).all()
    assert set(statuses) == {"sent"}
