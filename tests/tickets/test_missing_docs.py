"""Missing documents within 24 hours: "не хватает документов" on a ticket (the staff chat) and
on a visit (/today), the notice in the person's own channel, the reminder before the 24 hours
pass, the in-time report, withdrawing mid-way and forged buttons."""

import asyncio
import logging
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.app import App, create_app
from bot.booking.models import ARRIVED, Booking
from bot.booking.visit_docs import DOCS_BUTTON, DOCS_CANCEL
from bot.cli import main
from bot.core import clock, staff
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.feature import go
from bot.core.messages import Reply
from bot.core.missing import NOTICE_LIMIT, TICKET, VISIT
from bot.core.models import Interaction, OutboxMessage, Timer
from bot.core.models import Person as PersonRow
from bot.missing.models import MissingNotice
from bot.missing.report import missing_report
from bot.missing.service import REMIND, remind_at
from bot.tickets import actions, cards
from bot.tickets.models import HeldReply, Ticket, TicketMessage
from tests.conftest import MOSCOW, ORDINARY_MORNING
from tests.support.client import Person
from tests.tickets.conftest import (
    CLERK_NAME,
    StoppedClock,
    add_staff,
    open_ticket,
    outbox,
    signed,
    staff_texts,
    ticket,
)

CLERK = "501"
COLLEAGUE = "502"
TOPIC = 77
MISSING = "Нет копии договора купли-продажи, в заявлении неверно указан год выпуска."


async def press(app: App, code: str, user: str = CLERK) -> str | None:
    return await app.tickets.staff_action("telegram", user, code, clock.now())


async def write_in_topic(app: App, text: str, update: int) -> None:
    await app.tickets.staff_message(
        "telegram", CLERK, TOPIC, text, (), f"staff:{update}", clock.now()
    )


async def ticket_with_clerk(app: App, chat: Person) -> None:
    await open_ticket(chat)
    await add_staff(app, (CLERK, CLERK_NAME, staff.Role.STAFF))
    await app.tickets.set_topic(1, TOPIC)
    await chat.press(chat.t("button-menu"))  # the person idles in the menu meanwhile


async def notices(app: App) -> list[MissingNotice]:
    async with app.sessions() as session:
        return list(await session.scalars(select(MissingNotice).order_by(MissingNotice.id)))


def actions_of(reply: Reply) -> list[str]:
    return [button.action for row in reply.buttons for button in row]


async def test_a_telegram_person_gets_the_notice_from_the_ticket_thread(
    staff_app: App, stopped: StoppedClock
) -> None:
    app, chat = staff_app, Person(staff_app, "4242", channel="telegram")
    await ticket_with_clerk(app, chat)
    found = clock.now()
    assert await press(app, actions.DOCS.pack(1)) is None
    ask = cards.docs_ask(1, found + NOTICE_LIMIT, found, app.settings.tz)
    assert (await staff_texts(app))[-1] == ask.text
    assert "до 09:30 12.03.2026" in ask.text  # the 24 hours from the press, pinned on purpose

    stopped.set(found + timedelta(minutes=20))
    await write_in_topic(app, MISSING, 1)
    [notice] = await chat.delivered()
    assert notice.text == chat.t("missing-notice", origin=TICKET, number=1, text=signed(MISSING))
    assert actions_of(notice) == [actions.REPLY.pack(1), go("booking")]
    [row] = await notices(app)
    assert (row.origin, row.ref, row.staff_name) == (TICKET, 1, CLERK_NAME)
    assert row.found_at == found and row.sent_at == found + timedelta(minutes=20)
    # Kept with the ticket as a staff message; counted as its first reply; the log has ids.
    async with app.sessions() as session:
        said = list(await session.scalars(select(TicketMessage.text).order_by(TicketMessage.id)))
        refs = list(
            await session.scalars(select(Interaction.ref).where(Interaction.ref.is_not(None)))
        )
    assert said[-1] == MISSING
    assert (await ticket(app)).first_reply_at == row.sent_at
    assert all(MISSING not in ref for ref in refs)
    assert (await staff_texts(app))[-1] == cards.staff_text("staff-docs-sent", number=1)

    # The person sends the documents into the ticket: as they are, with no button at all...
    await chat.send("Прикладываю договор")
    assert chat.last.text == chat.t("ticket-added", number=1)
    # ...or with the notice's button, still under it; the other one books a new visit.
    await chat.handle(action=actions.REPLY.pack(1))
    assert chat.last.text == chat.t("ticket-reply-prompt")
    await chat.handle(action=go("booking"))
    assert chat.t("booking-choose-office") in chat.text
    # The next staff message is an ordinary answer again.
    await write_in_topic(app, "Документы получили, спасибо.", 2)
    [answer, _rating] = await chat.delivered()
    assert answer.text == chat.t(
        "ticket-answer", number=1, text=signed("Документы получили, спасибо.")
    )


async def _visit(app: App, person: Person, start: datetime) -> int:
    """A visitor who has checked in at the desk."""
    async with transaction(app.sessions) as session:
        row = PersonRow(channel=person.channel, external_id=person.user_id, chat_id=person.user_id)
        session.add(row)
        await session.flush()
        booking = Booking(
            person_id=row.id,
            office="transport",
            service="consult",
            starts_at=start,
            ends_at=start + timedelta(minutes=15),
            seat=1,
            status=ARRIVED,
            arrived_at=start,
        )
        session.add(booking)
        await session.flush()
        return booking.id


async def _clerk(app: App) -> Person:
    async with transaction(app.sessions) as session:
        await staff.add(session, "console", "clerk", staff.Role.STAFF, "Петрова П. П.")
    return Person(app, "clerk")


async def test_only_the_presser_writes_the_notice_read_against_the_rules(
    staff_app: App, stopped: StoppedClock
) -> None:
    app, chat = staff_app, Person(staff_app, "4242", channel="telegram")
    await ticket_with_clerk(app, chat)
    await add_staff(app, (COLLEAGUE, "Сидорова С. С.", staff.Role.STAFF))
    assert await press(app, actions.DOCS.pack(1)) is None
    await chat.delivered()  # what the person had before
    # A colleague's message in the thread is an ordinary answer; the notice still waits.
    remark = "Здравствуйте! Коллега сейчас проверит ваши документы."
    await app.tickets.staff_message(
        "telegram", COLLEAGUE, TOPIC, remark, (), "staff:1", clock.now()
    )
    answer, *rating = await chat.delivered()  # and the 1–5 for it
    assert answer.text == chat.t("ticket-answer", number=1, text=signed(remark, "Сидорова С. С."))
    assert [r.text for r in rating] == [chat.t("ticket-rate-answer", number=1)]
    [row] = await notices(app)
    assert row.written_at is None
    # The presser's notice with a stock phrase the rules forbid waits for their decision.
    worded = f"Вопрос взят на контроль. {MISSING}"
    await write_in_topic(app, worded, 2)
    assert await chat.delivered() == []
    async with app.sessions() as session:
        held = await session.scalar(select(HeldReply))
    assert held is not None and held.text == worded
    assert "взят на контроль" in (await staff_texts(app))[-1]
    assert await press(app, actions.AS_IS.pack(1, held.id)) == cards.staff_text("staff-sent")
    [notice] = await chat.delivered()
    assert notice.text == chat.t("missing-notice", origin=TICKET, number=1, text=signed(worded))
    [row] = await notices(app)
    assert row.written_at == clock.now()


async def test_found_before_the_press_the_24_hours_run_from_then(
    staff_app: App, stopped: StoppedClock
) -> None:
    app, chat = staff_app, Person(staff_app, "4242", channel="telegram")
    await ticket_with_clerk(app, chat)
    pressed = clock.now()
    assert await press(app, actions.DOCS.pack(1)) is None
    assert await press(app, actions.DOCS_EARLIER.pack(1, 5)) is None  # forged: not offered
    [row] = await notices(app)
    assert row.found_at == pressed
    assert await press(app, actions.DOCS_EARLIER.pack(1, 3)) is None
    found = pressed - timedelta(hours=3)
    ask = cards.docs_ask(1, found + NOTICE_LIMIT, pressed, app.settings.tz)
    assert (await staff_texts(app))[-1] == ask.text
    [row] = await notices(app)
    assert (row.found_at, row.due_at) == (found, found + NOTICE_LIMIT)
    # The reminder planned for the press's deadline does not fire; one for the new one does.
    async with app.sessions() as session:
        planned = list(await session.scalars(select(Timer.payload).where(Timer.kind == REMIND)))
    assert {"n": row.id, "due": row.due_at.isoformat()} in planned
    await write_in_topic(app, MISSING, 1)
    await chat.delivered()
    gone = await press(app, actions.DOCS_EARLIER.pack(1, 8))
    assert gone == cards.staff_text("staff-docs-gone", number=1)
    [row] = await notices(app)
    assert row.found_at == found  # a notice already written keeps its moment


async def test_a_vk_visitor_gets_the_notice_from_today(
    staff_app: App, stopped: StoppedClock
) -> None:
    app = staff_app
    visitor = Person(app, "777", channel="vk")
    booking = await _visit(app, visitor, clock.now())
    clerk = await _clerk(app)
    await clerk.send("/today")
    await clerk.press(clerk.t("today-button-docs"))
    due = clock.now() + NOTICE_LIMIT
    assert clerk.last.text == clerk.t(
        "today-docs-ask", number=booking, due=f"{due.astimezone(MOSCOW):%H:%M %d.%m}"
    )
    assert clerk.labels() == [clerk.t("today-button-docs-cancel")]
    await clerk.send(MISSING)
    assert clerk.last.text == clerk.t("today-docs-sent", number=booking)

    [notice] = await visitor.delivered()
    text = signed(MISSING, "Петрова П. П.")  # signed like the tickets' answers
    assert notice.text == visitor.t("missing-notice", origin=VISIT, number=booking, text=text)
    assert actions_of(notice) == [go("ticket"), go("booking")]
    [row] = await notices(app)
    assert (row.origin, row.ref, row.sent_at) == (VISIT, booking, clock.now())
    # The visitor sends the documents to staff from the notice.
    await visitor.press(visitor.t("missing-button-send"))
    assert visitor.last.text == visitor.t("ticket-ask")
    # The visit's notice text is not kept anywhere once it went out.
    async with app.sessions() as session:
        payloads = [str(row.payload) for row in await session.scalars(select(OutboxMessage))]
    assert not any(MISSING in payload for payload in payloads)


async def test_the_reminder_moves_into_the_office_hours(app: App) -> None:
    office = app.tickets.service.sla.office
    morning = ORDINARY_MORNING  # Wednesday 09:30: 4 h before the deadline is 05:30 Thursday
    assert remind_at(morning, office) == morning.replace(hour=18, minute=0)
    afternoon = morning.replace(hour=15)  # 4 h before is Thursday 11:00, in office hours
    assert remind_at(afternoon, office) == afternoon + timedelta(hours=20)


async def test_without_a_staff_chat_the_reminder_goes_to_the_log(
    app: App, stopped: StoppedClock, caplog: pytest.LogCaptureFixture
) -> None:
    await open_ticket(Person(app))
    found = clock.now()
    async with transaction(app.sessions) as session:
        person_id = await session.scalar(select(Ticket.person_id).where(Ticket.id == 1))
        assert person_id is not None
        await app.tickets.docs.missing.found(session, TICKET, 1, person_id, found, "Иванова")
    with caplog.at_level(logging.WARNING, logger="bot.missing.service"):
        await app.timers.sweep(found + timedelta(days=1))
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.missing.service"]
    assert line.startswith("missing documents on ticket 1: ") and "не отправлено" in line


async def test_the_reminder_fires_once_and_not_after_the_notice_went_out(
    staff_app: App, stopped: StoppedClock
) -> None:
    app, chat = staff_app, Person(staff_app, "4242", channel="telegram")
    await ticket_with_clerk(app, chat)
    found = clock.now()
    await press(app, actions.DOCS.pack(1))
    await press(app, actions.DOCS.pack(1))  # pressed twice: one notice, one reminder
    reminder = found.astimezone(MOSCOW).replace(hour=18, minute=0)  # the working day's end
    await app.timers.sweep(found + timedelta(hours=3))  # the ticket's own reply-limit timers
    assert await app.timers.sweep(reminder - timedelta(minutes=1)) == 0
    before = len(await staff_texts(app))
    assert await app.timers.sweep(reminder) == 1
    assert await app.timers.sweep(found + timedelta(days=2)) == 0  # once only
    expected = cards.staff_text(
        "missing-remind-unwritten",
        origin=TICKET,
        number=1,
        due="09:30 12.03",
        left="15 ч 30 мин",
    )
    assert (await staff_texts(app))[before:] == [expected]

    await write_in_topic(app, MISSING, 1)  # told late, after the reminder
    await chat.delivered()
    # A second problem on the same ticket, this time told in time: its reminder stays silent.
    stopped.set(found + timedelta(days=2))
    await press(app, actions.DOCS.pack(1))
    await write_in_topic(app, "Не хватает подписи на второй странице.", 2)
    await chat.delivered()
    before = len(await staff_texts(app))
    assert await app.timers.sweep(found + timedelta(days=4)) == 1  # fired, and said nothing
    assert (await staff_texts(app))[before:] == []
    assert len(await notices(app)) == 2


async def test_withdrawn_mid_way_nothing_goes_out(staff_app: App, stopped: StoppedClock) -> None:
    app, chat = staff_app, Person(staff_app, "4242", channel="telegram")
    await ticket_with_clerk(app, chat)
    await press(app, actions.DOCS.pack(1))
    assert await press(app, actions.DOCS_CANCEL.pack(1)) is None
    assert (await staff_texts(app))[-1] == cards.staff_text("staff-docs-cancelled", number=1)
    await write_in_topic(app, "Ответ по существу.", 1)  # an ordinary answer, not the notice
    [answer, _rating] = await chat.delivered()
    assert answer.text == chat.t("ticket-answer", number=1, text=signed("Ответ по существу."))

    visitor = Person(app, "777", channel="vk")
    booking = await _visit(app, visitor, clock.now())
    clerk = await _clerk(app)
    await clerk.send("/today")
    await clerk.press(clerk.t("today-button-docs"))
    await clerk.press(clerk.t("today-button-docs-cancel"))
    assert clerk.last.text == clerk.t("today-docs-cancelled", number=booking)
    await clerk.send("Как записаться на приём?")  # a question again, not a notice
    assert clerk.last.text.endswith(clerk.t("faq-helpful"))
    assert await visitor.delivered() == []

    before = len(await staff_texts(app))
    await app.timers.sweep(clock.now() + timedelta(days=2))
    assert (await staff_texts(app))[before:] == []  # the reminders are silent, both
    assert await clerk.delivered() == []
    async with app.sessions() as session:
        fired = await session.scalars(select(Timer.fired_at).where(Timer.kind == REMIND))
        assert len([at for at in fired if at is not None]) == 2
    assert all(row.cancelled_at is not None and row.sent_at is None for row in await notices(app))
    async with app.sessions() as session:
        assert await session.scalar(select(func.count(MissingNotice.id))) == 2


async def test_forged_buttons_are_refused_politely(staff_app: App) -> None:
    app, chat = staff_app, Person(staff_app, "4242", channel="telegram")
    await ticket_with_clerk(app, chat)
    assert await press(app, actions.DOCS.pack(1), user="666") == cards.staff_text("staff-only")
    for code in ("tk:docs:x", "tk:docs:1:2", "tk:docsx:1"):  # malformed, or nothing to withdraw
        assert await press(app, code) is None

    booking = await _visit(app, Person(app, "777", channel="vk"), clock.now())
    citizen = Person(app, "citizen")
    await citizen.send("/start")
    await citizen.handle(action=DOCS_BUTTON.pack(booking))
    assert citizen.last.text == citizen.t("today-staff-only")
    clerk = await _clerk(app)
    await clerk.send("/start")
    forged = ("today:docs:99999", "today:docs:²", f"today:docs:{booking}:1")
    for code in (*forged, DOCS_CANCEL.pack(booking)):  # the last: nothing to withdraw
        await clerk.handle(action=code)
        assert clerk.last.text == clerk.t("stale-button"), code
    assert await notices(app) == []


async def test_the_report_counts_in_time_late_and_overdue(
    app: App, settings: Settings, monkeypatch: pytest.MonkeyPatch, pinned: PinnedClock
) -> None:
    day = datetime(2026, 11, 10, 10, 0, tzinfo=MOSCOW)
    hours = timedelta(hours=1)
    crafted = [  # origin, found at, reached the person at (None: not sent), withdrawn
        (TICKET, day, day + 2 * hours, False),  # in time
        (TICKET, day, day + 24 * hours, False),  # in time: exactly 24 hours
        (TICKET, day, day + 25 * hours, False),  # late
        (VISIT, day, None, False),  # overdue
        (VISIT, day + 23 * hours, None, False),  # still waiting (found the next day, 09:00)
        (VISIT, day, day + hours, True),  # withdrawn: not counted
        (TICKET, day + 72 * hours, day + 73 * hours, False),  # outside the period
    ]
    async with transaction(app.sessions) as session:
        person = PersonRow(channel="vk", external_id="1", chat_id="1")
        session.add(person)
        await session.flush()
        for n, (origin, found, sent, withdrawn) in enumerate(crafted):
            session.add(
                MissingNotice(
                    origin=origin,
                    ref=n,
                    person_id=person.id,
                    staff_name="Петрова",
                    found_at=found,
                    due_at=found + NOTICE_LIMIT,
                    sent_at=sent,
                    cancelled_at=found if withdrawn else None,
                )
            )
    now = day + 30 * hours
    async with app.sessions() as session:
        rows = await missing_report(session, MOSCOW, day.date(), (day + 24 * hours).date(), now)
    counts = {
        row.origin: (row.found, row.in_time, row.late, row.overdue, row.waiting) for row in rows
    }
    assert counts == {
        TICKET: (3, 2, 1, 0, 0),
        VISIT: (2, 0, 0, 1, 1),
        "all": (5, 2, 1, 1, 1),
    }
    assert rows[-1].within == pytest.approx(2 / 4)

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", settings.secret())
    pinned.set(now)
    result = await asyncio.to_thread(
        CliRunner().invoke,
        main,
        ["report", "missing", "--from", "2026-11-10", "--to", "2026-11-11"],
    )
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()]
    assert lines[0][:2] == ["origin", "found"]
    assert lines[1:] == [
        ["ticket", "3", "2", "1", "0", "0", "67%"],
        ["visit", "2", "0", "0", "1", "1", "0%"],
        ["all", "5", "2", "1", "1", "1", "50%"],
    ]


def test_the_cli_sends_a_notice_found_earlier(
    staff_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", staff_settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(staff_settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", staff_settings.secret())

    async def setup() -> None:
        app = await create_app(staff_settings)
        await open_ticket(Person(app))
        await app.close()

    asyncio.run(setup())
    earlier = (clock.now() - timedelta(hours=25)).astimezone(MOSCOW)
    result = CliRunner().invoke(
        main, ["tickets", "missing", "1", MISSING, "--found-at", f"{earlier:%Y-%m-%d %H:%M}"]
    )
    assert result.exit_code == 0, result.output
    assert "(late)" in result.output

    async def check() -> None:
        app = await create_app(staff_settings)
        try:
            [row] = await notices(app)
            assert row.found_at == earlier.replace(second=0, microsecond=0)
            assert row.written_at is not None and row.written_at > row.due_at
            chat = Person(app)
            [notice] = await chat.delivered()
            text = signed(MISSING, "Сотрудник")  # --name's default
            assert notice.text == chat.t("missing-notice", origin=TICKET, number=1, text=text)
        finally:
            await app.close()

    asyncio.run(check())
    future = (clock.now() + timedelta(hours=2)).astimezone(MOSCOW)
    refused = CliRunner().invoke(
        main, ["tickets", "missing", "1", MISSING, "--found-at", f"{future:%Y-%m-%d %H:%M}"]
    )
    assert refused.exit_code != 0 and "future" in refused.output


async def test_a_visit_left_unwritten_reminds_the_employee_and_the_staff_chat(
    staff_app: App, stopped: StoppedClock
) -> None:
    app = staff_app
    booking = await _visit(app, Person(app, "777", channel="vk"), clock.now())
    clerk = await _clerk(app)
    await clerk.send("/today")
    await clerk.press(clerk.t("today-button-docs"))
    await clerk.send("/cancel")  # leaves the step: the problem stays on record
    assert clerk.replies[0].text == clerk.t("cancelled")
    evening = clock.now().astimezone(MOSCOW).replace(hour=18, minute=0)
    assert await app.timers.sweep(evening) == 1
    expected = cards.staff_text(
        "missing-remind-unwritten",
        origin=VISIT,
        number=booking,
        due="09:30 12.03",
        left="15 ч 30 мин",
    )
    assert [reply.text for reply in await clerk.delivered()] == [expected]
    general = [
        Reply.from_dict(row.payload).text
        for row in await outbox(app, staff.STAFF)
        if row.chat_id == staff.GENERAL
    ]
    assert general == [expected]
