"""Anonymity by construction, shown on the whole database and the logs.

Ten people, five in Telegram and five in VK, take the same survey one after another with
different answers. Then everything the office keeps is read (every table, in its natural
order and ordered by each of its columns, the interaction log, the log lines) the way someone
trying to tell who answered what would: the answers are only in the answer table, whose rows
hold nothing of a person and whose order in no reading follows the order people answered in.
"""

import asyncio
import json
import logging
from itertools import count

import pytest
from sqlalchemy import inspect, select, text

from bot.app import App
from bot.core import clock
from bot.core.db import retrying, transaction
from bot.core.feature import go
from bot.core.logs import setup_logging
from bot.core.models import Interaction, Person
from bot.core.privacy import hide_names
from surveys import mixing, store
from surveys.actions import ANSWER, DONE, FEATURE, OPEN, TOGGLE
from surveys.store import Answer, participation_key
from tests.booking.conftest import ANNA, book
from tests.conftest import MOSCOW
from tests.support.client import People
from tests.surveys.conftest import open_survey, stored

# Per person, in the order they answer: "convenient" (1–5), the options ticked in "used",
# "found" (partly or no, so that everyone reaches the free text) and a word of their own.
# The values are not in the order people answer, so no ordering by value lines them up.
ANSWERS = [
    (3, (0,), 1, "ясень"),
    (5, (1, 2), 2, "берёза"),
    (1, (3,), 1, "клён"),
    (4, (0, 3), 2, "дуб"),
    (2, (2,), 1, "осина"),
    (5, (0, 1, 2), 2, "ольха"),
    (1, (1,), 1, "вяз"),
    (3, (2, 3), 2, "липа"),
    (2, (0, 2), 1, "тополь"),
    (4, (1, 3), 2, "сосна"),
]
MISSING = "Не хватило: "  # the free-text answers begin so
ANSWER_COLUMNS = {
    "id",
    "response",
    "survey",
    "question",
    "service",
    "touchpoint",
    "channel",
    "score",
    "choices",
    "text",
    "week",
}


async def _take(people: People, ids: count) -> list[Person]:
    """Everyone takes the chat survey through the inbox (each update with its own id)."""
    takers = []
    for number, (score, ticks, found, word) in enumerate(ANSWERS):
        channel = "telegram" if number % 2 else "vk"
        chat = people(f"{700100 + number}", channel=channel)
        steps = [
            {"text": "/start"},
            {"action": go(FEATURE)},
            {"action": OPEN.pack("messenger")},
            {"action": ANSWER.pack("messenger", 0, score)},
            *({"action": TOGGLE.pack("messenger", 1, tick)} for tick in ticks),
            {"action": DONE.pack("messenger", 1)},
            {"action": ANSWER.pack("messenger", 2, found)},
            {"text": f"{MISSING}{word}"},
        ]
        for fields in steps:
            assert await chat.handle(update_id=str(next(ids)), **fields) is not None
        assert chat.last.text == chat.t("survey-thanks")
        takers.append(chat)
    return takers


async def _tables(app: App) -> dict[str, list[str]]:
    async with app.db.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        columns = {}
        for name in names:
            found = await connection.run_sync(lambda sync, n=name: inspect(sync).get_columns(n))
            columns[name] = [column["name"] for column in found]
    return columns


async def _readings(app: App, table: str, columns: list[str]) -> list[list[dict]]:
    """The table as it comes: in its natural order, then ordered by each column."""
    orders = ["", *(f' ORDER BY CAST("{column}" AS TEXT)' for column in columns)]
    async with app.db.connect() as connection:
        return [
            [
                dict(row._mapping)
                for row in await connection.execute(text(f'SELECT * FROM "{table}"{order}'))
            ]
            for order in orders
        ]


def _dump(reading: list[dict]) -> str:
    """A reading as text to search, JSON cells decoded (SQLite keeps them \\u-escaped)."""

    def plain(value: object) -> str:
        try:
            return json.dumps(json.loads(value), ensure_ascii=False)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return str(value)

    return "\n".join(plain(value) for row in reading for value in row.values())


async def test_no_one_can_tell_who_gave_which_answer(app: App, people: People, caplog) -> None:
    setup_logging("DEBUG")  # as `priemnaya run` with LOG_LEVEL=DEBUG
    caplog.set_level(logging.DEBUG)
    ids = count(1)
    takers = await _take(people, ids)
    updates = next(ids) - 1
    words = [word for *_, word in ANSWERS]
    said = [f"{MISSING}{word}" for word in words]
    async with app.sessions() as session:
        persons = list(await session.scalars(select(Person).order_by(Person.id)))
    identities = {v for p in persons for v in (p.external_id, p.chat_id)}

    # The answers as given, and who gave each: the truth the readings are tested against.
    rows = await stored(app)
    assert len(rows) == 4 * len(ANSWERS)
    word_of = {row.response: row.text.removeprefix(MISSING) for row in rows if row.text}
    giver = {response: words.index(word) for response, word in word_of.items()}
    assert sorted(giver.values()) == list(range(len(ANSWERS)))

    columns = await _tables(app)
    # An answer row: no person, chat, message or update id, no time; random ids.
    assert set(columns["survey_answers"]) == ANSWER_COLUMNS
    assert {row.week for row in rows} == {rows[0].week} and rows[0].week.weekday() == 0
    assert all(len(row.id) == len(row.response) == 32 for row in rows)
    assert len({row.id for row in rows}) == len(rows)
    assert not [
        row for row in rows if any(i in f"{row.id}{row.response}{row.text}" for i in identities)
    ]

    for table, names in columns.items():
        for reading in await _readings(app, table, names):
            if table != "survey_answers":
                # The answers are nowhere else: not in the conversation rows, the inbox,
                # the outbox or the interaction log.
                assert not [text for text in said if text in _dump(reading)], table
                continue
            # No reading of the answers follows the order people gave them in.
            order = list(dict.fromkeys(giver[row["response"]] for row in reading))
            assert order not in (list(range(len(ANSWERS))), list(reversed(range(len(ANSWERS)))))

    async with app.sessions() as session:
        events = list(await session.scalars(select(Interaction)))
    # Only the generic "opened a section" event: none per answer, none that names a survey.
    assert {(e.event, e.ref) for e in events if "survey" in f"{e.event} {e.ref}"} == {
        ("open", FEATURE)
    }
    assert not [e for e in events if "messenger" in f"{e.event} {e.ref}"]

    # The inbox keeps no payload once an update is handled: no "survey:a:messenger:0:3"
    # next to anything. Its rows hold a channel, the update's id and when it came.
    inbox = await _readings(app, "inbound_updates", [])
    assert {row["payload"] for row in inbox[0]} <= {None, "null"}  # SQL NULL or JSON null
    assert len(inbox[0]) == updates
    assert set(columns["inbound_updates"]) == {
        "id",
        "channel",
        "update_key",
        "payload",
        "status",
        "received_at",
    }
    assert (await _readings(app, "outbox", []))[0] == []
    async with app.db.connect() as connection:
        conversations = (
            await connection.execute(text("SELECT feature, data FROM conversations"))
        ).all()
    # No half-answered survey is left with anyone (SQLite hands back JSON as text).
    assert {
        (feature, json.dumps(data) if isinstance(data, dict) else data)
        for feature, data in conversations
    } == {("menu", "{}")}

    # Participation: one keyed hash per person, that only SECRET_KEY turns back into people.
    secret = app.settings.secret()
    keys = {row["key"] for row in (await _readings(app, "survey_participation", ["key"]))[0]}
    assert keys == {participation_key(secret, "messenger", t.channel, t.user_id) for t in takers}
    assert not keys & {
        participation_key("another key", "messenger", t.channel, t.user_id) for t in takers
    }
    assert set(columns["survey_participation"]) == {"key"}

    # The log lines: neither the answers nor the survey's buttons.
    assert not [text for text in said if text in caplog.text]
    assert "survey:a:" not in caplog.text and "survey:t:" not in caplog.text


async def test_free_text_loses_the_names_typed_when_booking(app: App, people: People) -> None:
    anna = people("anna")
    await book(anna)  # surname Иванова, name Анна, through the booking form
    await open_survey(anna, "suggestions")
    await anna.press("Приём в офисе")
    await anna.send(
        "Я АННА ИВАНОВА, пишу про маму Ивановой Анны Петровны: позвоните 8 912 345-67-89 "
        "или на anna@example.ru, паспорт 4510 123456"
    )
    [about, idea] = sorted(await stored(app), key=lambda row: row.question)
    assert about.choices == ["office"]
    # Pinned on purpose: what the office reads (Петровны was not typed into the form).
    assert idea.text == (
        "Я [имя] [имя], пишу про маму [имя] [имя] Петровны: позвоните [№] "
        "или на [e-mail], паспорт [№]"
    )
    assert ANNA["surname"] not in idea.text


def test_names_are_hidden_in_any_case_and_spelling() -> None:
    names = ["Семёнова", "Анна", "Ян", "Ли"]
    said = "семенову, Анне и АННОЙ, Яну и Ян, Ли и Лиза, Анатолий"
    assert hide_names(said, names) == "[имя], [имя] и [имя], Яну и [имя], [имя] и Лиза, Анатолий"
    assert hide_names("Спасибо", []) == "Спасибо"


async def test_earlier_answers_move_with_a_new_one_and_none_is_lost(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy week: each questionnaire goes in with at most three earlier ones, moved whole,
    also when submissions meet (on PostgreSQL they run at once; a deadlock is retried)."""
    monkeypatch.setattr(mixing, "MIXED_WITH", 3)

    async def one(number: int) -> None:
        answers = [Answer("convenient", score=1 + number % 5), Answer("better", text=f"№{number}")]

        async def work() -> None:
            async with transaction(app.sessions) as session:
                assert await store.submit(
                    session,
                    key=participation_key("k", "messenger", "vk", str(number)),
                    survey="messenger",
                    service="all",
                    touchpoint="messenger",
                    channel="vk",
                    answers=answers,
                    on=clock.today(MOSCOW),
                )

        await retrying(work, "a survey submission")

    for first in range(0, 12, 4):
        await asyncio.gather(*(one(number) for number in range(first, first + 4)))
    rows = await stored(app)
    assert len(rows) == 24 and len({row.id for row in rows}) == 24
    by_response: dict[str, dict] = {}
    for row in rows:
        by_response.setdefault(row.response, {})[row.question] = row.score or row.text
    given = {f"№{number}": 1 + number % 5 for number in range(12)}
    assert {answers["better"]: answers["convenient"] for answers in by_response.values()} == given


async def _by_transaction(app: App, table: str, group: str) -> dict[str, set[str]]:
    """PostgreSQL's id of the transaction that wrote each row (xmin) → the groups it wrote."""
    written: dict[str, set[str]] = {}
    async with app.db.connect() as connection:
        for tx, key in await connection.execute(
            text(f'SELECT xmin::text, "{group}"::text FROM {table}')
        ):
            written.setdefault(tx, set()).add(key)
    return written


async def test_no_transaction_id_singles_out_a_rating_or_an_answer(
    app: App, people: People
) -> None:
    """Every PostgreSQL row carries the id of the transaction that wrote it, the same that
    updated the person's conversation and inbox row. A rating or a questionnaire never has
    one to itself: it shares it with the earlier ones written back with it."""
    if app.db.dialect.name != "postgresql":
        pytest.skip("xmin is PostgreSQL's: SQLite keeps no writer's id in a row")
    raters = [
        people(f"7002{number}", channel="vk" if number % 2 else "telegram") for number in range(6)
    ]
    for number, rater in enumerate(raters):
        await rater.send("где вы находитесь")
        await rater.press(rater.t("button-yes" if number % 2 else "button-no"))
        await rater.press(str(1 + number % 5))
    await _take(people, count(1000))

    ratings = await _by_transaction(app, "stage_ratings", "id")
    answers = await _by_transaction(app, "survey_answers", "response")
    assert sum(map(len, ratings.values())) == 2 * len(raters)
    assert sum(map(len, answers.values())) == len(ANSWERS)
    assert min(map(len, ratings.values())) >= 2 and min(map(len, answers.values())) >= 2
    # And the rows tied to a person (their conversation, inbox and log rows) point at
    # batches, never at one rating or one questionnaire.
    for table in ("conversations", "inbound_updates", "interactions", "people"):
        for tx in await _by_transaction(app, table, "xmin"):
            assert len(ratings.get(tx, ())) != 1 and len(answers.get(tx, ())) != 1, table
