"""Tickets on both databases, through the terminal channel, the service and the staff side:
the person's side, timers across a restart, the transfer cap, forged buttons, the SLA report."""

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App, create_app
from bot.cli import main
from bot.core import clock
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.models import Interaction, OutboxMessage, Timer
from bot.core.outbox import Outcome
from bot.core.staff import STAFF, Role, StaffMember, add, member
from bot.core.timers import Timers
from bot.tickets import cards
from bot.tickets.models import RatingComment, Ticket, TicketMessage, TicketTransfer
from bot.tickets.relay import StaffRef
from bot.tickets.report import sla_report
from bot.tickets.sla_timers import SlaTimers
from surveys.ratings import StageRating
from tests.conftest import Terminal

QUESTION = "Когда будет готов ответ на моё заявление 12345?"
STAFF_CHAT = -1001234567890


@pytest.fixture
def relay_settings(settings: Settings) -> Settings:
    """A staff chat configured (nothing runs: outbox rows show what would be sent)."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456789:" + "A" * 35),
            "telegram_staff_chat_id": STAFF_CHAT,
        }
    )


async def open_ticket(terminal: Terminal, text: str = QUESTION, kind: str = "Вопрос") -> str:
    await terminal.say("/start")
    await terminal.press("Связаться с сотрудником")
    await terminal.say(text)
    return await terminal.press(kind)


async def ticket(app: App, number: int = 1) -> Ticket:
    async with app.sessions() as session:
        found = await session.get(Ticket, number)
    assert found is not None
    return found


async def outbox(app: App, channel: str | None = None) -> list[OutboxMessage]:
    async with app.sessions() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if channel:
            query = query.where(OutboxMessage.channel == channel)
        return list(await session.scalars(query))


async def staff_reply(
    app: App, number: int, text: str, at: datetime, name: str = "Иванова"
) -> None:
    async with transaction(app.sessions) as session:
        row = await session.get(Ticket, number)
        assert row is not None
        await app.tickets.service.staff_reply(session, row, StaffRef("", name), text, (), at)
    await delivered(app, at)


async def delivered(app: App, at: datetime) -> None:
    """The answers queued so far reach the person at `at`: what the outbox worker does on a
    delivery (tests/tickets/test_delivery.py), with the payloads kept for the assertions."""
    async with transaction(app.sessions) as session:
        rows = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.status == "pending", OutboxMessage.ref.is_not(None)
            )
        )
        for row in rows:
            row.status = "sent"
            assert row.ref is not None
            await app.deliveries.settle(session, row.ref, Outcome(True, at))


async def test_the_person_gets_a_number_and_the_deadline_at_once(
    app: App, terminal: Terminal
) -> None:
    out = await open_ticket(terminal)
    created = await ticket(app)
    when = cards.when("ru", created.first_due, created.created_at, app.settings.tz)
    assert f"Обращение №1 принято. Ответим {when}." in out
    assert created.first_due - created.created_at == timedelta(hours=2)
    async with app.sessions() as session:
        [message] = await session.scalars(select(TicketMessage))
        refs = set(
            await session.scalars(select(Interaction.ref).where(Interaction.ref.is_not(None)))
        )
    assert message.text == QUESTION  # the person's request is kept in the ticket...
    assert all(QUESTION not in ref for ref in refs) and "1" in refs  # ...logs hold the number

    out = await terminal.say("И ещё: заявление подано в мае.")
    assert "Добавил к обращению №1" in out


async def test_answer_close_and_anonymous_rating(app: App, terminal: Terminal) -> None:
    await open_ticket(terminal)
    await terminal.press("Главное меню")
    await staff_reply(app, 1, "Ответ будет готов 1 декабря.", clock.now())
    [answer] = await outbox(app, "console")
    reply = Reply.from_dict(answer.payload)
    assert "Ответ по обращению №1" in reply.text and "1 декабря" in reply.text
    # The person was idle in the menu: what they type now goes to the ticket.
    assert "Добавил к обращению №1" in await terminal.say("Спасибо, а где забрать?")
    assert (await ticket(app)).status == "open"

    terminal.channel.render([reply])
    out = await terminal.press("Вопрос решён")
    assert "Обращение №1 закрыто" in out
    out = await terminal.press("4")
    assert "Спасибо за оценку" in out
    out = await terminal.say("Позвоните мне: +7 912 345-67-89")
    assert "без вашего имени" in out

    closed = await ticket(app)
    assert (closed.status, closed.closed_by, closed.rating) == ("closed", "person", "done")
    async with app.sessions() as session:
        [rating] = await session.scalars(select(StageRating))
        [comment] = await session.scalars(select(RatingComment))
    assert (rating.service, rating.stage, rating.score) == ("tickets", "question", 4)
    assert comment.text == "Позвоните мне: [№]" and comment.stage == "question"
    # A second tap on the same rating button changes nothing.
    terminal.channel.numbered = {"9": "ticket:rate:1:5"}
    assert "кнопка уже не работает" in await terminal.say("9")


async def test_a_forged_close_for_someone_elses_ticket_is_refused(
    app: App, terminal: Terminal
) -> None:
    await open_ticket(terminal)
    stranger = Terminal(app, user_id="stranger")
    await stranger.say("/start")
    for code in ("ticket:done:1", "ticket:show:1", "ticket:reply:1", "ticket:rate:1:1"):
        stranger.channel.numbered = {"9": code}
        assert "кнопка уже не работает" in await stranger.say("9")
    assert (await ticket(app)).status == "open"
    async with app.sessions() as session:
        assert await session.scalar(select(func.count(StageRating.id))) == 0


async def test_reminders_and_breach_fire_once_across_a_restart(
    relay_settings: Settings,
) -> None:
    app = await create_app(relay_settings)
    await open_ticket(Terminal(app))
    created = await ticket(app)
    await app.close()  # the process stops; the timers are rows

    app = await create_app(relay_settings)
    try:
        start = created.created_at
        assert await app.timers.sweep(start + timedelta(minutes=59)) == 0
        assert await app.timers.sweep(start + timedelta(minutes=61)) == 1  # 50 %
        assert await app.timers.sweep(start + timedelta(minutes=61)) == 0
        # Two workers sweeping at once still fire each timer once (80 % and the breach).
        other = Timers(app.sessions)
        SlaTimers(app.tickets.service).register_timers(other)
        late = start + timedelta(hours=2, seconds=1)
        fired = await asyncio.gather(app.timers.sweep(late), other.sweep(late))
        assert sum(fired) == 2
        breached = await ticket(app)
        assert breached.breaches == 1 and breached.breached_at == breached.first_due
        staff_notes = [Reply.from_dict(row.payload).text for row in await outbox(app, STAFF)]
        assert sum("Напоминание" in text for text in staff_notes) == 2
        assert sum("истёк" in text for text in staff_notes) == 1
    finally:
        await app.close()
    app = await create_app(relay_settings)
    try:
        assert await app.timers.sweep(start + timedelta(days=30)) == 0
        async with app.sessions() as session:
            assert (
                await session.scalar(select(func.count(Timer.id)).where(Timer.fired_at.is_(None)))
                == 0
            )
    finally:
        await app.close()


async def test_interim_answer_starts_the_final_limit_and_autoclose(
    relay_settings: Settings,
) -> None:
    app = await create_app(relay_settings)
    try:
        await open_ticket(Terminal(app), kind="Жалоба")
        await add_staff(app, ("501", "Иванова", Role.STAFF))
        start = (await ticket(app)).created_at
        at = start + timedelta(minutes=30)
        assert await app.tickets.staff_action("telegram", "501", "tk:int:1", at) is None
        await staff_reply(app, 1, "Проверяем факты, это займёт время.", at)
        interim = await ticket(app)
        assert interim.first_reply_at == at and interim.final_due == at + timedelta(hours=72)
        assert interim.status == "open"
        await app.timers.sweep(at + timedelta(hours=72, seconds=1))
        assert (await ticket(app)).breaches == 1  # the final answer did not come in time
        final = at + timedelta(hours=73)
        await staff_reply(app, 1, "Нарушение подтвердилось, водитель наказан.", final)
        await app.timers.sweep(final + timedelta(hours=71))
        assert (await ticket(app)).status == "answered"
        await app.timers.sweep(final + timedelta(hours=72, seconds=1))
        closed = await ticket(app)
        assert (closed.status, closed.closed_by, closed.rating) == ("closed", "auto", "offered")
        person_texts = [Reply.from_dict(row.payload).text for row in await outbox(app, "console")]
        assert "Промежуточный ответ" in person_texts[0]
        assert "от вас не было ответа 72 ч" in person_texts[-1]
    finally:
        await app.close()


async def add_staff(app: App, *members: tuple[str, str, Role]) -> dict[str, int]:
    async with transaction(app.sessions) as session:
        for external_id, name, role in members:
            await add(session, "telegram", external_id, role, name)
    async with app.sessions() as session:
        rows = await session.scalars(select(StaffMember))
        return {row.name: row.id for row in rows}


async def test_third_transfer_goes_to_a_supervisor(relay_settings: Settings) -> None:
    app = await create_app(relay_settings)
    try:
        await open_ticket(Terminal(app), kind="Официальное обращение")
        ids = await add_staff(
            app,
            ("501", "Иванова", Role.STAFF),
            ("502", "Петров", Role.STAFF),
            ("503", "Сидорова", Role.STAFF),
            ("900", "Руководитель", Role.SUPERVISOR),
        )
        now = clock.now()

        async def press(user: str, code: str) -> str | None:
            return await app.tickets.staff_action("telegram", user, code, now)

        assert await press("501", "tk:take:1") is None
        assert await press("501", f"tk:why:1:{ids['Петров']}:expert") is None
        assert await press("502", f"tk:why:1:{ids['Сидорова']}:profile") is None
        assert (await ticket(app)).assignee_name == "Сидорова"
        refused = await press("503", f"tk:why:1:{ids['Иванова']}:absent")
        assert refused is not None and "Третья передача запрещена" in refused

        escalated = await ticket(app)
        assert escalated.escalated and escalated.assignee_id is None
        async with app.sessions() as session:
            trail = [
                (row.from_name, row.to_name, row.reason, row.outcome)
                for row in await session.scalars(
                    select(TicketTransfer).order_by(TicketTransfer.id)
                )
            ]
        assert trail == [
            ("Иванова", "Петров", "expert", "moved"),
            ("Петров", "Сидорова", "profile", "moved"),
            ("Сидорова", "Иванова", "absent", "refused"),
        ]
        to_supervisor = [row for row in await outbox(app, STAFF) if row.chat_id == member("900")]
        assert "передавали дважды" in Reply.from_dict(to_supervisor[0].payload).text
        # Someone without a staff role presses a button: refused, nothing changes.
        assert await press("777", "tk:close:1") == "Только для сотрудников."
        assert (await ticket(app)).status == "open"
    finally:
        await app.close()


async def test_templates_offer_knowledge_base_drafts(relay_settings: Settings) -> None:
    app = await create_app(relay_settings)
    try:
        await open_ticket(Terminal(app), text="Как к вам доехать на автобусе?")
        await add_staff(app, ("501", "Иванова", Role.STAFF))
        now = clock.now()
        await app.tickets.staff_action("telegram", "501", "tk:tpl:1", now)
        drafts = [Reply.from_dict(row.payload) for row in await outbox(app, STAFF)][1:]
        assert 1 <= len(drafts) <= 3 and "автобусы № 5 и 17" in drafts[0].text
        send = drafts[0].buttons[0][0].action
        assert await app.tickets.staff_action("telegram", "501", send, now) == "Отправлено."
        await delivered(app, now)
        [answer] = await outbox(app, "console")
        assert "автобусы № 5 и 17" in Reply.from_dict(answer.payload).text
        assert (await ticket(app)).first_reply_at == now
    finally:
        await app.close()


async def test_history_lists_tickets_and_their_messages(app: App, terminal: Terminal) -> None:
    await open_ticket(terminal)
    await staff_reply(app, 1, "Ответ будет готов 1 декабря.", clock.now())
    out = await terminal.say("/history")
    assert "Ваши обращения" in out and "№1 от" in out and "есть ответ" in out
    out = await terminal.press("№1 от")
    assert QUESTION in out and "Сотрудник" in out and "1 декабря" in out


async def test_sla_report_on_a_known_set(app: App) -> None:
    service = app.tickets.service
    day = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    async with transaction(app.sessions) as session:
        from bot.core.models import Person

        person = Person(channel="console", external_id="p", chat_id="p")
        session.add(person)
        await session.flush()
        made = [
            await service.create(session, person, kind, "?", (), day + timedelta(minutes=i))
            for i, kind in enumerate(("question", "question", "question", "mention"))
        ]
        numbers = [row.id for row in made]
    await staff_reply(app, numbers[0], "a", day + timedelta(minutes=30))
    await staff_reply(app, numbers[1], "b", day + timedelta(minutes=61))
    await app.timers.sweep(day + timedelta(hours=5))  # the third question and the mention breach
    await staff_reply(app, numbers[2], "c", day + timedelta(hours=3, minutes=2))
    async with transaction(app.sessions) as session:
        session.add(
            TicketTransfer(
                ticket_id=numbers[0], from_name="A", to_name="B", reason="expert", outcome="moved"
            )
        )
    async with app.sessions() as session:
        report = {
            row.kind: row
            for row in await sla_report(
                session,
                service.sla,
                app.settings.tz,
                date(2026, 11, 10),
                date(2026, 11, 10),
                day + timedelta(days=1),
            )
        }
        assert await sla_report(
            session, service.sla, app.settings.tz, date(2026, 11, 11), date(2026, 11, 12), day
        ) == [
            row
            for row in (
                await sla_report(
                    session,
                    service.sla,
                    app.settings.tz,
                    date(2026, 11, 11),
                    date(2026, 11, 12),
                    day,
                )
            )
            if row.tickets == 0
        ]
    question = report["question"]
    assert question.tickets == 3
    assert question.median == timedelta(minutes=60)
    assert question.p90 == timedelta(hours=3)
    assert question.within == pytest.approx(2 / 3)
    assert (question.breaches, question.transfers) == (1, 1)
    mention = report["mention"]
    assert (mention.tickets, mention.median, mention.within, mention.breaches) == (1, None, 0, 1)
    assert report["request"].tickets == 0 and report["request"].within is None


def test_cli_lists_shows_and_replies(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")

    async def setup() -> None:
        app = await create_app(settings)
        await open_ticket(Terminal(app))
        await app.close()

    asyncio.run(setup())
    runner = CliRunner()
    listed = runner.invoke(main, ["tickets", "list"])
    assert listed.exit_code == 0 and "№1" in listed.output and "Вопрос" in listed.output
    replied = runner.invoke(main, ["tickets", "reply", "1", "Готово, приходите."])
    assert replied.exit_code == 0, replied.output
    shown = runner.invoke(main, ["tickets", "show", "1"])
    assert QUESTION in shown.output and "Готово, приходите." in shown.output
    report = runner.invoke(main, ["report", "sla", "--from", "2000-01-01", "--to", "2100-01-01"])
    assert report.exit_code == 0 and "question" in report.output


async def test_rating_leaves_no_timed_trace_of_the_person(app: App, terminal: Terminal) -> None:
    await open_ticket(terminal)
    await terminal.press("Главное меню")
    await staff_reply(app, 1, "Готово.", clock.now())
    [answer] = await outbox(app, "console")
    terminal.channel.render([Reply.from_dict(answer.payload)])
    await terminal.press("Вопрос решён")
    await terminal.press("5")
    await terminal.say("Всё понятно, спасибо")
    async with app.sessions() as session:
        events = set(await session.scalars(select(Interaction.event)))
    assert not {event for event in events if "rate" in event or "comment" in event}


async def test_text_after_a_closed_ticket_is_a_new_question(app: App, terminal) -> None:
    await open_ticket(terminal)
    await terminal.press("Главное меню")
    await staff_reply(app, 1, "Ответ.", clock.now())
    async with transaction(app.sessions) as session:
        row = await session.get(Ticket, 1)
        await app.tickets.service.close(session, row, "staff", clock.now())
    # The person's state still points at the ticket; their next text must not be lost.
    out = await terminal.say("Как записаться на приём?")
    assert "Помог ли ответ?" in out


@pytest.mark.parametrize("code", ["ticket:show:²", "ticket:show:99999999999999999999"])
async def test_odd_numbers_in_buttons_are_refused_politely(app: App, code: str) -> None:
    from bot.core.messages import Incoming

    [reply] = await app.engine.handle(Incoming("vk", "5", "5", action=code))
    assert "кнопка уже не работает" in reply.text


async def test_a_second_interim_answer_silences_the_old_final_timers(
    relay_settings: Settings,
) -> None:
    app = await create_app(relay_settings)
    try:
        await open_ticket(Terminal(app), kind="Жалоба")
        await add_staff(app, ("501", "Иванова", Role.STAFF))
        first = (await ticket(app)).created_at + timedelta(minutes=30)
        second = first + timedelta(hours=24)
        for at, text in ((first, "Проверяем."), (second, "Всё ещё проверяем.")):
            assert await app.tickets.staff_action("telegram", "501", "tk:int:1", at) is None
            await staff_reply(app, 1, text, at)
        assert (await ticket(app)).final_due == second + timedelta(hours=72)
        await app.timers.sweep(first + timedelta(hours=72, seconds=1))
        assert (await ticket(app)).breaches == 0  # the first interim's deadline moved on
        await app.timers.sweep(second + timedelta(hours=72, seconds=1))
        assert (await ticket(app)).breaches == 1
    finally:
        await app.close()
