"""Nothing a person writes is lost: texts of any length, a locked or lost database, invisible
characters. (Delivery of what the bot sends is in test_outbox.py.)"""

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.app import build_features
from bot.core import db, engine, texts
from bot.core.db import create_engine, transaction
from bot.core.engine import Engine
from bot.core.feature import Context, Feature
from bot.core.messages import Incoming, Reply, clean_text, split_text
from bot.core.models import InboundUpdate, OutboxMessage
from bot.core.texts import CatalogWarning
from tests.support.waiting import eventually, sqlite_locked

LONG = "Очень длинный вопрос про пропуск. " * 150  # 5,100 characters, past Fluent's 2,500


def test_long_values_are_inserted_whole_in_every_locale() -> None:
    for locale in texts.LOCALES:
        shown = texts.text(locale, "staff-person-says", text=LONG)
        assert LONG in shown and "staff-person-says" not in shown
        card = texts.text(locale, "ticket-answer", number=7, text=LONG)
        assert LONG in card and "7" in card


def test_a_failing_lookup_is_an_error_not_a_message_id() -> None:
    with pytest.warns(CatalogWarning):
        shown = texts.text("ru", "no-such-message")
    assert shown == texts.text("ru", "error-generic")
    with pytest.warns(CatalogWarning):  # a variable the message needs is missing
        shown = texts.text("ru", "ticket-answer", text="x")
    assert shown != "ticket-answer"


def test_split_keeps_every_character_and_prefers_sentence_ends() -> None:
    sentences = "".join(f"Предложение номер {n}. " for n in range(400))
    parts = split_text(sentences, 4096)
    assert len(parts) > 1 and all(len(part) <= 4096 for part in parts)
    assert all(part.endswith(".") for part in parts[:-1])
    assert " ".join(parts).split() == sentences.split()
    unbroken = "ы" * 9000  # no boundary at all: cut mid-word, nothing lost
    assert "".join(split_text(unbroken, 4000)) == unbroken
    paragraphs = "Первый абзац.\n\n" + "слово " * 1000
    assert split_text(paragraphs, 4000)[0].endswith("слово")  # a break late enough wins


def test_invisible_and_control_characters_are_removed() -> None:
    assert clean_text("Ив\u202eан") == "Иван"
    assert clean_text("Пет\x00ров") == "Петров"
    assert clean_text("Ан\u200bна\u00ad \ufeffМария\u2066") == "Анна Мария"
    family = "👨\u200d👩\u200d👧"
    assert clean_text(f"строка\r\nдругая\t{family}") == f"строка\nдругая\t{family}"


@pytest.fixture
def impatient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seconds instead of minutes: SQLite gives up on a lock after 0.2 s, the busy notice
    comes after 0.5 s, and work waits at most 1 s for the database."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(engine, "SLOW_NOTICE_S", 0.5)
    monkeypatch.setattr(db, "TRANSIENT_PATIENCE_S", 1.0)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_locked_database_is_waited_for_and_the_person_told(
    impatient: None, app, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "TRANSIENT_PATIENCE_S", 30.0)
    notices = []

    async def on_slow(reply) -> None:
        notices.append(reply.text)

    incoming = Incoming("telegram", "77", "77", text="/start", update_id="9001")
    async with sqlite_locked(database_url):
        handling = asyncio.create_task(app.engine.handle(incoming, on_slow=on_slow))
        await eventually(lambda: bool(notices))
    replies = await handling
    assert notices == [texts.text("ru", "busy-wait")]
    assert replies and replies[0].text.startswith(texts.text("ru", "menu-greeting")[:20])
    assert await app.engine.handle(incoming) is None  # recorded once, handled once
    async with app.sessions() as session:
        assert (await session.scalars(select(InboundUpdate.status))).all() == ["done"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_many_people_wait_out_a_locked_database_each_answered_once(
    impatient: None, app, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the file's write lock for 3 s, ten times SQLite's own patience:
    five people's updates queue in the process (its writer lock, the batched recording) and
    each is answered once, with one "busy" notice each, when the lock is let go."""
    monkeypatch.setattr(db, "TRANSIENT_PATIENCE_S", 30.0)
    notices: dict[str, list[str]] = {}

    def on_slow_for(person: str) -> Callable[[Reply], Awaitable[None]]:
        async def on_slow(reply: Reply) -> None:
            notices.setdefault(person, []).append(reply.text)

        return on_slow

    people = [str(80 + n) for n in range(5)]
    updates = [Incoming("telegram", p, p, text="/start", update_id=f"lock-{p}") for p in people]
    async with sqlite_locked(database_url):
        handling = [
            asyncio.create_task(app.engine.handle(u, on_slow=on_slow_for(u.user_id)))
            for u in updates
        ]
        await asyncio.sleep(3.0)
        assert not any(task.done() for task in handling)  # waiting, not failing
    answers = await asyncio.gather(*handling)
    greeting = texts.text("ru", "menu-greeting")[:20]
    assert all(replies and replies[0].text.startswith(greeting) for replies in answers)
    assert notices == {p: [texts.text("ru", "busy-wait")] for p in people}
    async with app.sessions() as session:
        assert (await session.scalars(select(InboundUpdate.status))).all() == ["done"] * 5


class Flaky(Feature):
    """A section whose database work fails as a locked SQLite file does, while `down`."""

    name = "flaky"

    def __init__(self) -> None:
        self.down = True

    async def enter(self, ctx: Context) -> list[Reply]:
        if self.down:
            raise OperationalError(
                "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
            )
        return [Reply("flaky works")]


async def test_an_update_left_waiting_is_handled_once_when_the_database_is_back(
    impatient: None, app
) -> None:
    flaky = Flaky()
    bot = Engine(app.sessions, app.settings, [*build_features(app.settings, app.store), flaky])
    incoming = Incoming("telegram", "78", "78", action="go:flaky", update_id="9002")
    waits = {"channel": "telegram", "reason": "waits"}
    before = REGISTRY.get_sample_value("priemnaya_updates_degraded_total", waits) or 0
    replies = await bot.handle(incoming)  # waits TRANSIENT_PATIENCE_S, then says so
    assert [reply.text for reply in replies] == [texts.text("ru", "busy-later")]
    assert REGISTRY.get_sample_value("priemnaya_updates_degraded_total", waits) == before + 1
    async with app.sessions() as session:
        assert await session.scalar(select(InboundUpdate.status)) == "pending"
    flaky.down = False  # the database is back
    assert await bot.replay_pending() == 1
    assert await bot.replay_pending() == 0
    async with app.sessions() as session:
        assert await session.scalar(select(InboundUpdate.status)) == "done"
        assert (await session.scalars(select(OutboxMessage.payload))).all() == [
            Reply("flaky works").to_dict()
        ]


async def test_a_handler_failing_transiently_is_retried(impatient: None, app, monkeypatch) -> None:
    monkeypatch.setattr(db, "TRANSIENT_PATIENCE_S", 30.0)
    flaky = Flaky()
    bot = Engine(app.sessions, app.settings, [*build_features(app.settings, app.store), flaky])
    asyncio.get_running_loop().call_later(1.0, setattr, flaky, "down", False)
    notices = []

    async def on_slow(reply: Reply) -> None:
        notices.append(reply.text)

    incoming = Incoming("vk", "79", "79", action="go:flaky", update_id="9005")
    assert await bot.handle(incoming, on_slow=on_slow) == []  # the answer is queued instead
    assert notices == [texts.text("ru", "busy-wait")]
    async with app.sessions() as session:
        assert (await session.scalars(select(OutboxMessage.payload))).all() == [
            Reply("flaky works").to_dict()
        ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_update_that_cannot_be_recorded_gets_a_plain_answer(
    impatient: None, app, database_url: str
) -> None:
    incoming = Incoming("telegram", "79", "79", text="/start", update_id="9003")
    lost = {"channel": "telegram", "reason": "not_recorded"}
    before = REGISTRY.get_sample_value("priemnaya_updates_degraded_total", lost) or 0
    async with sqlite_locked(database_url):  # for longer than the bot's patience
        replies = await app.engine.handle(incoming)
    assert [reply.text for reply in replies] == [texts.text("ru", "error-not-received")]
    assert REGISTRY.get_sample_value("priemnaya_updates_degraded_total", lost) == before + 1


async def test_only_passing_database_errors_count_as_transient(tmp_path) -> None:
    refused = create_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none")  # nothing listens
    with pytest.raises(Exception) as caught:
        async with refused.connect():
            pass
    await refused.dispose()
    assert db.is_transient(caught.value)
    local = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    async with local.connect() as connection:
        for mistake in ("SELECT connection_id FROM nowhere", "SELEC 1"):
            with pytest.raises(DBAPIError) as caught:
                await connection.execute(text(mistake))
            assert not db.is_transient(caught.value)  # a bug fails at once, not in 15 minutes
    await local.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_lost_postgresql_connections_are_reconnected(app) -> None:
    await app.engine.handle(Incoming("telegram", "80", "80", text="/start", update_id="1"))
    async with app.db.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    replies = await app.engine.handle(
        Incoming("telegram", "80", "80", text="/help", update_id="2")
    )
    assert replies and replies[0].text == texts.text("ru", "help")


async def test_concurrent_replays_handle_an_update_once(app) -> None:
    incoming = Incoming("telegram", "81", "81", text="/start", update_id="9004")
    async with transaction(app.sessions) as session:
        session.add(
            InboundUpdate(channel="telegram", update_key="9004", payload=incoming.to_dict())
        )
    # Two workers: neither knows what the other is handling; the database decides.
    other = Engine(app.sessions, app.settings, build_features(app.settings, app.store))
    await asyncio.gather(app.engine.replay_pending(), other.replay_pending())
    async with app.sessions() as session:
        assert len((await session.scalars(select(OutboxMessage.id))).all()) == 1
