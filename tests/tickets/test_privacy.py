"""Personal data in tickets, on both databases: masked in what is stored and shown to staff,
erased a retention period after closing and on "удалить мои данные", never printed once
erased; the figures the reports need stay."""

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.app import App, create_app
from bot.cli import main
from bot.core import clock
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.content import ContentError
from bot.core.db import downgrade, transaction
from bot.core.messages import FileRef
from bot.core.models import Conversation, Timer
from bot.core.models import Person as PersonRow
from bot.core.privacy import mask
from bot.tickets import cards
from bot.tickets.actions import DONE, SHOW
from bot.tickets.models import Ticket, TicketMessage
from bot.tickets.relay import StaffRef
from bot.tickets.report import KindStats, sla_report
from bot.tickets.service import PURGE
from bot.tickets.sla import SHIPPED, load_sla
from surveys.models import StageRating
from tests.conftest import MOSCOW
from tests.support.client import Person
from tests.support.fixtures import Chat
from tests.support.telegram_api import FakeTelegramAPI
from tests.tickets.conftest import (
    CLERK,
    STAFF_CHAT,
    in_staff_chat,
    open_ticket,
    ru,
    staff_reply,
    staff_texts,
    ticket,
)

QUESTION = (
    "Паспорт 4510 123456, телефон +7 (912) 345-67-89, почта ivan.petrov@mail.ru. "
    "Заявление 12345 подано 15.03, мне сказали ждать 2 часа. Что с ним?"
)
# The placeholders are pinned on purpose: they are what is stored and what staff read, written
# by bot/core/privacy.py rather than taken from the catalog.
MASKED = (
    "Паспорт [номер скрыт], телефон [телефон скрыт], почта [e-mail скрыт]. "
    "Заявление 12345 подано 15.03, мне сказали ждать 2 часа. Что с ним?"
)
STATEMENT = "Заявление 12345"  # a part of the question that carries no personal data
YEARS = timedelta(days=730)
PERSONAL = ("4510", "123456", "912", "345-67-89", "ivan.petrov")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("паспорт 4510 123456", "паспорт [номер скрыт]"),
        ("4510 123456", "[номер скрыт]"),
        ("45 10 123456", "[номер скрыт]"),
        ("4510123456", "[номер скрыт]"),
        ("серия 4510 номер 123456", "серия [номер скрыт]"),
        ("СНИЛС 123-456-789 01", "СНИЛС [номер скрыт]"),
        ("123-456-789 01", "[номер скрыт]"),
        ("ИНН 7707083893", "ИНН [номер скрыт]"),
        ("мой инн 500100732259", "мой инн [номер скрыт]"),
        ("карта 1234 5678 9012 3456", "карта [номер скрыт]"),
        ("+7 (912) 345-67-89", "[телефон скрыт]"),
        ("89123456789", "[телефон скрыт]"),
        ("8 912 345 67 89", "[телефон скрыт]"),
        ("звоните 8-800-100-00-00", "звоните [телефон скрыт]"),
        ("+375 29 123 45 67", "[телефон скрыт]"),
        ("пишите на ivan.petrov@mail.ru!", "пишите на [e-mail скрыт]!"),
        # What staff need to read the question survives.
        ("приду 15.03.2026 в 14:30", "приду 15.03.2026 в 14:30"),
        ("жду 2 часа, очередь 25 человек", "жду 2 часа, очередь 25 человек"),
        ("по обращению №12", "по обращению №12"),
        ("№12 4510 123456", "№12 [номер скрыт]"),
        ("штраф 1 500 руб.", "штраф 1 500 руб."),
        ("заявление 12345", "заявление 12345"),
        ("номер заявления 1234567890", "номер заявления 1234567890"),
        ("заявление № 1234567890", "заявление № 1234567890"),
        # ...but a phone after the word is a phone: "оставил заявку 8 912 ..."
        ("заявка 89123456789 перезвоните", "заявка [телефон скрыт] перезвоните"),
        ("оставил заявку 8 912 345 67 89", "оставил заявку [телефон скрыт]"),
    ],
)
def test_masking_variants(typed: str, kept: str) -> None:
    assert mask(typed) == kept
    assert mask(kept) == kept  # masking twice changes nothing


def test_an_official_request_keeps_contacts_but_never_documents() -> None:
    typed = "Ответ прошу на ivan@mail.ru или +7 (912) 345-67-89, паспорт 4510 123456"
    assert mask(typed, keep_contacts=True) == (
        "Ответ прошу на ivan@mail.ru или +7 (912) 345-67-89, паспорт [номер скрыт]"
    )


def test_retention_is_a_content_setting(tmp_path: Path) -> None:
    assert load_sla(SHIPPED, MOSCOW).retention == timedelta(days=365)
    own = tmp_path / "sla.yaml"
    text = SHIPPED.read_text(encoding="utf-8").replace("retention: 365d", "retention: 30d")
    own.write_text(text, encoding="utf-8")
    assert load_sla(own, MOSCOW).retention == timedelta(days=30)
    own.write_text(text.replace("retention: 30d", ""), encoding="utf-8")
    assert load_sla(own, MOSCOW).retention == timedelta(days=365)  # the default
    own.write_text(text.replace("retention: 30d", "retention: forever"), encoding="utf-8")
    with pytest.raises(ContentError, match="retention"):
        load_sla(own, MOSCOW)


async def texts_of(app: App, number: int = 1) -> list[tuple[str, list]]:
    async with app.sessions() as session:
        rows = await session.scalars(
            select(TicketMessage).where(TicketMessage.ticket_id == number).order_by("id")
        )
        return [(row.text, row.files) for row in rows]


async def test_staff_see_and_the_database_keeps_only_the_masked_question(
    staff_app: App,
) -> None:
    chat = Person(staff_app)
    await chat.send("/start")
    await chat.press(chat.t("menu-human"))
    await chat.send(QUESTION)
    async with staff_app.sessions() as session:
        [waiting] = await session.scalars(select(Conversation))
    assert "4510" not in waiting.data["q"]  # documents go before the kind is even chosen
    await chat.press(chat.t("ticket-kind-question"))
    await chat.send("И ещё: СНИЛС 123-456-789 01, звоните 89123456789")

    assert await texts_of(staff_app) == [
        (MASKED, []),
        ("И ещё: СНИЛС [номер скрыт], звоните [телефон скрыт]", []),
    ]
    card, follow_up = await staff_texts(staff_app)
    assert MASKED in card
    assert follow_up == cards.staff_text(
        "staff-person-says", text="И ещё: СНИЛС [номер скрыт], звоните [телефон скрыт]"
    )
    assert not any(data in text for data in PERSONAL for text in (card, follow_up))
    # The person's own history shows what was kept.
    await chat.send("/history")
    await chat.press(SHOW.pack(1))
    assert MASKED in chat.last.text and "4510" not in chat.last.text


async def test_an_official_request_shows_staff_the_contacts(staff_app: App) -> None:
    await open_ticket(Person(staff_app), QUESTION, kind="request")
    [(stored, _)] = await texts_of(staff_app)
    assert "+7 (912) 345-67-89" in stored and "ivan.petrov@mail.ru" in stored
    assert "4510" not in stored and mask("Паспорт 4510 123456") in stored
    [card] = await staff_texts(staff_app)
    assert "+7 (912) 345-67-89" in card and "4510" not in card


async def close_and_rate(app: App, chat: Person) -> None:
    """Staff answer ticket №1, the person gives the answer a 4 and presses "Вопрос решён"."""
    await chat.press(chat.t("button-menu"))
    await staff_reply(app, 1, "Позвоните нам, уточним по паспорту 4510 123456.")
    assert len(await chat.delivered()) == 2  # the answer, and the request to rate it
    await chat.press("4")
    assert chat.last.text == chat.t("ticket-answer-rated")
    await chat.handle(action=DONE.pack(1))  # under the answer
    assert chat.replies[0].text == chat.t("ticket-closed", number=1)


async def shown_in_history(chat: Person, number: int) -> str:
    """The ticket as the person reopens it from /history."""
    await chat.send("/history")
    await chat.press(SHOW.pack(number))
    return chat.last.text


async def sla_figures(app: App, ticket: Ticket) -> dict[str, KindStats]:
    """`priemnaya report sla` over the ticket's day, as read two years later."""
    day, later = ticket.created_at.astimezone(MOSCOW).date(), ticket.created_at + YEARS
    async with app.sessions() as session:
        report = await sla_report(session, app.tickets.service.sla, MOSCOW, day, day, later)
    return {row.kind: row for row in report}


async def test_texts_and_files_are_erased_a_year_after_closing_and_the_figures_stay(
    settings: Settings, pinned: PinnedClock
) -> None:
    app = await create_app(settings)
    try:
        chat = Person(app)
        await open_ticket(chat, QUESTION)
        async with transaction(app.sessions) as session:
            row = await session.get(Ticket, 1)
            person = await session.get(PersonRow, row.person_id)
            scan = FileRef("photo", "file-id-of-the-scan", "scan.jpg")
            await app.tickets.service.person_message(
                session, row, person, "", (scan,), clock.now()
            )
        await close_and_rate(app, chat)
        before = await ticket(app)
        assert before.status == "closed"
        figures = await sla_figures(app, before)
    finally:
        await app.close()  # the process stops; the purge is a timer row

    app = await create_app(settings)
    try:
        pinned.advance(timedelta(days=364))
        await app.timers.sweep()
        assert (await texts_of(app))[0] == (MASKED, [])  # not yet
        pinned.set(before.closed_at + timedelta(days=365, seconds=1))
        assert await app.timers.sweep() == 1
        assert await texts_of(app) == [("", []), ("", []), ("", [])]
        assert await app.timers.sweep() == 0  # fired once

        after = await ticket(app)
        kept = ("kind", "created_at", "first_due", "first_reply_at", "final_at", "closed_at")
        assert all(getattr(after, name) == getattr(before, name) for name in kept)
        assert (after.closed_by, after.rating, after.breaches) == ("person", "done", 0)
        async with app.sessions() as session:
            [rating] = await session.scalars(select(StageRating))
        assert rating.score == 4
        assert await sla_figures(app, after) == figures and figures["question"].tickets == 1
        chat = Person(app)  # the person again, talking to the restarted bot
        shown = await shown_in_history(chat, 1)
        assert chat.t("ticket-history-erased") in shown and STATEMENT not in shown
    finally:
        await app.close()


async def test_tickets_closed_before_retention_existed_are_purged_too(
    settings: Settings, pinned: PinnedClock
) -> None:
    app = await create_app(settings)
    try:
        chat = Person(app)
        await open_ticket(chat, QUESTION)
        await close_and_rate(app, chat)
        async with transaction(app.sessions) as session:  # as an older version left it
            for timer in await session.scalars(select(Timer).where(Timer.kind == PURGE)):
                await session.delete(timer)
        await downgrade(app.db, "0006")
    finally:
        await app.close()
    app = await create_app(settings)  # the upgrade: migrations run at start
    try:
        closed = await ticket(app)
        pinned.set(closed.closed_at + timedelta(days=365, seconds=1))
        while await app.timers.sweep():  # the backfilled timer plans the erasure, then erases
            pass
        assert await texts_of(app) == [("", []), ("", [])]
    finally:
        await app.close()


async def test_a_longer_retention_set_after_closing_is_honoured(
    app: App, pinned: PinnedClock
) -> None:
    chat = Person(app)
    await open_ticket(chat, QUESTION)
    await close_and_rate(app, chat)
    closed_at = (await ticket(app)).closed_at
    service = app.tickets.service
    service.sla = replace(service.sla, retention=timedelta(days=730))  # the office edited sla.yaml
    pinned.set(closed_at + timedelta(days=400))
    await app.timers.sweep()  # the old timer plans the new end and erases nothing
    assert (await texts_of(app))[0] == (MASKED, [])
    async with app.sessions() as session:
        pending = await session.scalar(
            select(Timer.due_at).where(Timer.kind == PURGE, Timer.fired_at.is_(None))
        )
    assert pending == closed_at + timedelta(days=730)
    pinned.set(closed_at + timedelta(days=731))
    assert await app.timers.sweep() == 1
    assert (await texts_of(app))[0] == ("", [])


async def test_forget_erases_ticket_texts_and_closes_open_tickets(
    staff_app: App, pinned: PinnedClock
) -> None:
    chat = Person(staff_app)
    await open_ticket(chat, QUESTION)
    await close_and_rate(staff_app, chat)
    await open_ticket(chat, "Где забрать права? Мой телефон 89123456789", kind="complaint")
    answered = await ticket(staff_app, 1)

    await chat.send("удалить мои данные")
    assert chat.last.text == chat.t("forget-ask")
    await chat.press(chat.t("forget-yes"))
    assert chat.t("forget-done", cancelled=0, closed=1) in chat.text

    assert await texts_of(staff_app, 1) == [("", []), ("", [])]
    assert await texts_of(staff_app, 2) == [("", [])]
    first, second = await ticket(staff_app, 1), await ticket(staff_app, 2)
    assert (first.closed_by, first.first_reply_at) == ("person", answered.first_reply_at)
    assert (second.status, second.closed_by, second.kind) == ("closed", "forget", "complaint")
    assert second.rating == "none"  # no rating asked of someone who asked to be forgotten
    notes = await staff_texts(staff_app)
    assert notes[-1] == cards.staff_text("staff-closed-forgotten", number=2)
    # Staff are not left answering: no breach comes, and a late answer is refused.
    pinned.advance(timedelta(hours=3))
    await staff_app.timers.sweep()
    assert await staff_texts(staff_app) == notes
    async with transaction(staff_app.sessions) as session:
        row = await session.get(Ticket, 2)
        assert not await staff_app.tickets.service.staff_reply(
            session, row, StaffRef("", "Иванова"), "Ответ", (), clock.now()
        )
    shown = await shown_in_history(chat, 2)
    assert chat.t("ticket-history-erased") in shown and "89123456789" not in shown


def test_tickets_show_prints_no_erased_text(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")

    async def ticket_then_forget() -> None:
        app = await create_app(settings)
        chat = Person(app)
        await open_ticket(chat, QUESTION)
        await chat.send("удалить мои данные")
        await chat.press(chat.t("forget-yes"))
        await app.close()

    runner = CliRunner()
    asyncio.run(ticket_then_forget())
    shown = runner.invoke(main, ["tickets", "show", "1"])
    assert shown.exit_code == 0, shown.output
    assert "(erased)" in shown.output and "closed" in shown.output
    assert STATEMENT not in shown.output
    assert not any(data in shown.output for data in PERSONAL)


async def test_telegram_staff_topic_gets_the_masked_question_and_the_forget_notice(
    relay_bot: App, api: FakeTelegramAPI
) -> None:
    chat = Chat(api)
    await chat.say("/start")
    await chat.press(ru("menu-human"))
    await chat.say(QUESTION)
    created = await chat.press(ru("ticket-kind-question"))
    found = await ticket(relay_bot)
    when = cards.when("ru", found.first_due, found.created_at, relay_bot.settings.tz)
    assert created["text"] == ru("ticket-created", number=1, when=when)
    [card] = await api.wait_for("sendMessage", predicate=in_staff_chat, timeout=10)
    assert MASKED in card["text"]
    assert not any(data in card["text"] for data in PERSONAL)

    asked = await chat.say("удалить мои данные")
    assert asked["text"] == ru("forget-ask")
    done = await chat.press(ru("forget-yes"))
    assert ru("forget-done", cancelled=0, closed=1) in done["text"]
    notes = await api.wait_for("sendMessage", count=2, predicate=in_staff_chat, timeout=10)
    assert notes[-1]["text"] == cards.staff_text("staff-closed-forgotten", number=1)
    thread = notes[-1]["message_thread_id"]
    assert thread == card["message_thread_id"]

    api.push_message(
        CLERK, "Ответ", chat_id=STAFF_CHAT, chat_type="supergroup", message_thread_id=thread
    )
    notes = await api.wait_for("sendMessage", count=3, predicate=in_staff_chat, timeout=10)
    assert notes[-1]["text"] == cards.staff_text("staff-closed-already", number=1)
    assert await texts_of(relay_bot) == [("", [])]
