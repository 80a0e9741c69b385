"""Tickets on both databases, through the client, the service and the staff side: the
person's side, timers across a restart, the transfer cap, forged buttons, the SLA report."""

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.app import App, create_app
from bot.cli import main
from bot.core import clock
from bot.core.actions import parse
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.models import Interaction, Timer
from bot.core.staff import STAFF, Role, add
from bot.core.timers import Timers
from bot.tickets import cards
from bot.tickets.actions import DONE, RATE, RATE_ANSWER, REPLY, SEND_DRAFT, SHOW
from bot.tickets.models import RatingComment, Ticket, TicketMessage, TicketTransfer
from bot.tickets.report import sla_report
from bot.tickets.sla_timers import SlaTimers
from surveys.models import StageRating
from tests.support.client import People, Person
from tests.tickets.conftest import (
    QUESTION,
    StoppedClock,
    add_staff,
    open_ticket,
    outbox,
    signed,
    staff_reply,
    staff_texts,
    ticket,
)


async def test_the_person_gets_a_number_and_the_deadline_at_once(app: App, chat: Person) -> None:
    await open_ticket(chat)
    created = await ticket(app)
    when = cards.when("ru", created.first_due, created.created_at, app.settings.tz)
    assert chat.last.text == chat.t("ticket-created", number=1, when=when)
    assert created.first_due - created.created_at == timedelta(hours=2)
    async with app.sessions() as session:
        [message] = await session.scalars(select(TicketMessage))
        refs = set(
            await session.scalars(select(Interaction.ref).where(Interaction.ref.is_not(None)))
        )
    assert message.text == QUESTION  # the person's request is kept in the ticket...
    assert all(QUESTION not in ref for ref in refs) and "1" in refs  # ...logs hold the number

    await chat.send("И ещё: заявление подано в мае.")
    assert chat.last.text == chat.t("ticket-added", number=1)


async def answered(app: App, chat: Person, text: str) -> Reply:
    """Ticket №1 answered by staff while the person idles in the menu: the answer they get
    (the request to rate it comes right after it)."""
    await chat.press(chat.t("button-menu"))
    await staff_reply(app, 1, text)
    [answer, rating] = await chat.delivered()
    assert answer.text == chat.t("ticket-answer", number=1, text=signed(text))
    assert [b.action for row in answer.buttons for b in row] == [REPLY.pack(1), DONE.pack(1)]
    assert rating.text == chat.t("ticket-rate-answer", number=1)
    assert [b.action for b in rating.buttons[0]] == [RATE_ANSWER.pack(1, n) for n in range(1, 6)]
    return answer


async def stage_ratings(app: App) -> list[StageRating]:
    async with app.sessions() as session:
        return list(await session.scalars(select(StageRating)))


async def test_an_answer_is_rated_once_and_closing_does_not_ask_again(
    app: App, chat: Person
) -> None:
    await open_ticket(chat)
    answer = await answered(app, chat, "Ответ будет готов 1 декабря.")
    # The person was idle in the menu: what they type now goes to the ticket.
    await chat.send("Спасибо, а где забрать?")
    assert chat.last.text == chat.t("ticket-added", number=1)
    assert (await ticket(app)).status == "open"

    await chat.handle(action=RATE_ANSWER.pack(1, 4))  # the rating under the answer
    assert chat.last.text == chat.t("ticket-answer-rated")
    [rating] = await stage_ratings(app)
    assert (rating.service, rating.stage, rating.score) == ("tickets", "ticket.answered", 4)
    assert (rating.touchpoint, rating.channel) == ("messenger", chat.channel)
    # A second tap, or the closing rating's button forged, changes nothing.
    for code in (RATE_ANSWER.pack(1, 5), RATE.pack(1, 5)):
        await chat.handle(action=code)
        assert chat.last.text == chat.t("stale-button"), code
    # What the person types still goes to the ticket: the rating did not move them.
    await chat.send("И ещё вопрос")
    assert chat.last.text == chat.t("ticket-added", number=1)

    # "Вопрос решён" under the answer, still on screen above the newer messages: the ticket
    # closes without asking for a rating again.
    [[_, done]] = answer.buttons
    assert done.text == chat.t("ticket-button-done")
    await chat.handle(action=done.action)
    assert chat.replies[0].text == chat.t("ticket-closed", number=1)
    assert chat.replies[0].buttons == ((chat.button(chat.t("button-menu")),),)
    closed = await ticket(app)
    assert (closed.status, closed.closed_by, closed.rating) == ("closed", "person", "done")
    assert len(await stage_ratings(app)) == 1


async def test_a_ticket_closed_before_an_answer_is_rated_at_closing(
    app: App, chat: Person
) -> None:
    await open_ticket(chat)
    await chat.send("/history")
    await chat.press(SHOW.pack(1))
    await chat.press(chat.t("ticket-button-done"))  # the question solved itself
    closing = chat.replies[0]
    assert closing.text == f"{chat.t('ticket-closed', number=1)}\n{chat.t('ticket-rate-ask')}"
    assert [b.action for b in closing.buttons[0]] == [RATE.pack(1, n) for n in range(1, 6)]
    await chat.press("4")
    assert chat.last.text == chat.t("ticket-rated")
    await chat.send("Позвоните мне: +7 912 345-67-89")
    assert chat.last.text == chat.t("ticket-comment-thanks")

    closed = await ticket(app)
    assert (closed.status, closed.closed_by, closed.rating) == ("closed", "person", "done")
    [rating] = await stage_ratings(app)
    async with app.sessions() as session:
        [comment] = await session.scalars(select(RatingComment))
    assert (rating.service, rating.stage, rating.score) == ("tickets", "ticket.closed", 4)
    assert (rating.touchpoint, rating.channel) == ("messenger", chat.channel)
    # The stored comment is pinned on purpose: digits are masked whatever they are.
    assert comment.text == "Позвоните мне: [№]" and comment.stage == "question"
    # A second tap on the same rating button, or the answer's forged, changes nothing.
    for code in (RATE.pack(1, 5), RATE_ANSWER.pack(1, 5)):
        await chat.handle(action=code)
        assert chat.last.text == chat.t("stale-button"), code
    assert len(await stage_ratings(app)) == 1


async def test_a_forged_close_for_someone_elses_ticket_is_refused(
    app: App, chat: Person, people: People
) -> None:
    await open_ticket(chat)
    stranger = people("stranger")
    await stranger.send("/start")
    for code in (
        DONE.pack(1),
        SHOW.pack(1),
        REPLY.pack(1),
        RATE.pack(1, 1),
        RATE_ANSWER.pack(1, 1),
    ):
        await stranger.handle(action=code)
        assert stranger.last.text == stranger.t("stale-button")
    assert (await ticket(app)).status == "open"
    async with app.sessions() as session:
        assert await session.scalar(select(func.count(StageRating.id))) == 0


async def test_reminders_and_breach_fire_once_across_a_restart(
    staff_settings: Settings,
) -> None:
    app = await create_app(staff_settings)
    await open_ticket(Person(app))
    created = await ticket(app)
    await app.close()  # the process stops; the timers are rows

    app = await create_app(staff_settings)
    try:
        start, due = created.created_at, created.first_due
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
        limit = due - start
        expected = [
            cards.reminder(1, due, start + limit * 0.5).text,
            cards.reminder(1, due, start + limit * 0.8).text,
            cards.staff_text(
                "staff-breach", number=1, due=cards.when("ru", due, due, app.settings.tz)
            ),
        ]
        assert Counter((await staff_texts(app))[1:]) == Counter(expected)  # after the card
    finally:
        await app.close()
    app = await create_app(staff_settings)
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
    staff_app: App, stopped: StoppedClock
) -> None:
    app, chat = staff_app, Person(staff_app)
    await open_ticket(chat, kind="complaint")
    await add_staff(app, ("501", "Иванова", Role.STAFF))
    start = (await ticket(app)).created_at
    at = start + timedelta(minutes=30)
    stopped.set(at)
    assert await app.tickets.staff_action("telegram", "501", "tk:int:1", at) is None
    await staff_reply(app, 1, "Проверяем факты, это займёт время.", at)
    [interim_answer] = await chat.delivered()
    interim = await ticket(app)
    # 72 working hours: Wednesday 10:00 to Monday 23 March 12:30, nights and weekends aside.
    due = app.tickets.service.sla.deadline("complaint", at, timedelta(hours=72))
    assert f"{due.astimezone(app.settings.tz):%d.%m %H:%M}" == "23.03 12:30"
    assert interim.first_reply_at == at and interim.final_due == due
    assert interim.status == "open"
    when = cards.when("ru", interim.final_due, at, app.settings.tz)
    assert interim_answer.text == chat.t(
        "ticket-interim", number=1, text=signed("Проверяем факты, это займёт время."), when=when
    )
    await app.timers.sweep(due + timedelta(seconds=1))
    assert (await ticket(app)).breaches == 1  # the final answer did not come in time
    final = due + timedelta(hours=1)
    stopped.set(final)
    await staff_reply(app, 1, "Нарушение подтвердилось, водитель наказан.", final)
    [final_answer, _rating] = await chat.delivered()
    assert final_answer.text == chat.t(
        "ticket-answer", number=1, text=signed("Нарушение подтвердилось, водитель наказан.")
    )
    await app.timers.sweep(final + timedelta(hours=71))
    assert (await ticket(app)).status == "answered"
    await app.timers.sweep(final + timedelta(hours=72, seconds=1))
    closed = await ticket(app)
    # The answer's rating was asked for: closing does not ask again.
    assert (closed.status, closed.closed_by, closed.rating) == ("closed", "auto", "asked")
    [autoclosed, invitation] = await chat.delivered()
    assert autoclosed.text == chat.t("ticket-autoclosed", number=1, hours=72)
    assert autoclosed.buttons == ((chat.button(chat.t("button-menu")),),)
    assert invitation.text == chat.t("invite-text")


async def test_third_transfer_goes_to_a_supervisor(staff_app: App) -> None:
    app = staff_app
    await open_ticket(Person(app), kind="request")
    ids = await add_staff(
        app,
        ("501", "Иванова", Role.STAFF),
        ("502", "Петров", Role.STAFF),
        ("503", "Сидорова", Role.STAFF),
        ("900", "Руководитель", Role.SUPERVISOR),
    )
    async with transaction(app.sessions) as session:
        await add(session, "vk", "4242", Role.SUPERVISOR, "Заместитель")
    now = clock.now()

    async def press(user: str, code: str) -> str | None:
        return await app.tickets.staff_action("telegram", user, code, now)

    assert await press("501", "tk:take:1") is None
    assert await press("501", f"tk:why:1:{ids['Петров']}:expert") is None
    assert await press("502", f"tk:why:1:{ids['Сидорова']}:profile") is None
    assert (await ticket(app)).assignee_name == "Сидорова"
    refused = await press("503", f"tk:why:1:{ids['Иванова']}:absent")
    assert refused == cards.staff_text("staff-transfer-refused", number=1)

    escalated = await ticket(app)
    assert escalated.escalated and escalated.assignee_id is None
    async with app.sessions() as session:
        trail = [
            (row.from_name, row.to_name, row.reason, row.outcome)
            for row in await session.scalars(select(TicketTransfer).order_by(TicketTransfer.id))
        ]
    assert trail == [
        ("Иванова", "Петров", "expert", "moved"),
        ("Петров", "Сидорова", "profile", "moved"),
        ("Сидорова", "Иванова", "absent", "refused"),
    ]
    # Supervisors and a colleague handed the ticket are written to in their own chats, on
    # the channel each was added for.
    personal = {
        (row.channel, row.chat_id): Reply.from_dict(row.payload).text
        for row in await outbox(app)
        if row.channel != STAFF
    }
    escalation = cards.staff_text("staff-supervisor-transfers", number=1)
    assert personal[("telegram", "900")] == escalation
    assert personal[("vk", "4242")] == escalation
    due = escalated.final_due or escalated.first_due
    handed = cards.assigned_you(1, "request", due, now, app.settings.tz)
    assert personal[("telegram", "502")] == handed.text
    # Someone without a staff role presses a button: refused, nothing changes.
    assert await press("777", "tk:close:1") == cards.staff_text("staff-only")
    assert (await ticket(app)).status == "open"


async def test_templates_offer_knowledge_base_drafts(
    staff_app: App, stopped: StoppedClock
) -> None:
    app, chat = staff_app, Person(staff_app)
    await open_ticket(chat, text="Как к вам доехать на автобусе?")
    await add_staff(app, ("501", "Иванова", Role.STAFF))
    await chat.press(chat.t("button-menu"))
    now = clock.now()
    await app.tickets.staff_action("telegram", "501", "tk:tpl:1", now)
    drafts = [Reply.from_dict(row.payload) for row in await outbox(app, STAFF)][1:]
    assert 1 <= len(drafts) <= 3
    send = drafts[0].buttons[0][0].action
    _, draft_id = SEND_DRAFT.unpack(parse(send).args)
    async with app.sessions() as session:
        draft = await app.tickets.drafts.get(session, draft_id)
    assert draft is not None
    assert drafts[0].text == cards.staff_text("staff-draft", title=draft.title, text=draft.text)
    assert "автобусы № 5 и 17" in draft.text  # the demo knowledge base's answer, on purpose
    assert await app.tickets.staff_action("telegram", "501", send, now) == cards.staff_text(
        "staff-sent"
    )
    [answer, _rating] = await chat.delivered()
    assert answer.text == chat.t("ticket-answer", number=1, text=signed(draft.text))
    assert (await ticket(app)).first_reply_at == now


def history_line(chat: Person, found: Ticket, status: str) -> str:
    day = found.created_at.astimezone(chat.app.settings.tz).strftime("%d.%m.%Y")
    kind = chat.t(f"ticket-kind-{found.kind}")
    return chat.t("ticket-history-line", number=found.id, date=day, kind=kind, status=status)


def said_at(chat: Person, at: datetime) -> str:
    return at.astimezone(chat.app.settings.tz).strftime("%d.%m %H:%M")


async def test_history_lists_tickets_and_their_messages(app: App, chat: Person) -> None:
    await open_ticket(chat)
    await staff_reply(app, 1, "Ответ будет готов 1 декабря.")
    await chat.delivered()
    await chat.send("/history")
    found = await ticket(app)
    assert chat.t("ticket-history-title") in chat.text
    assert chat.labels()[0] == history_line(chat, found, "answered")
    await chat.press(history_line(chat, found, "answered"))
    at = said_at(chat, clock.now())
    assert chat.last.text == "\n\n".join(
        [
            history_line(chat, found, "answered"),
            chat.t("ticket-history-person", at=at, text=QUESTION),
            chat.t("ticket-history-staff", at=at, text="Ответ будет готов 1 декабря."),
        ]
    )


async def test_sla_report_on_a_known_set(app: App, people: People, stopped: StoppedClock) -> None:
    service = app.tickets.service
    day = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    async with transaction(app.sessions) as session:
        from bot.core.models import Person as PersonRow

        person = PersonRow(channel="console", external_id="p", chat_id="p")
        session.add(person)
        await session.flush()
        made = [
            await service.create(session, person, kind, "?", (), day + timedelta(minutes=i))
            for i, kind in enumerate(("question", "question", "question", "mention"))
        ]
        numbers = [row.id for row in made]
    asker = people("p")

    async def answer(number: int, text: str, at: datetime) -> None:
        stopped.set(at)  # the answer is delivered, and so counts, at `at`
        await staff_reply(app, number, text, at)
        assert len(await asker.delivered()) == 2  # the answer, and the request to rate it

    await answer(numbers[0], "a", day + timedelta(minutes=30))
    await answer(numbers[1], "b", day + timedelta(minutes=61))
    await app.timers.sweep(day + timedelta(hours=5))  # the third question and the mention breach
    await answer(numbers[2], "c", day + timedelta(hours=3, minutes=2))
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
        empty = await sla_report(
            session, service.sla, app.settings.tz, date(2026, 11, 11), date(2026, 11, 12), day
        )
        assert empty and all(row.tickets == 0 for row in empty)
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
        await open_ticket(Person(app))
        await app.close()

    asyncio.run(setup())
    runner = CliRunner()
    listed = runner.invoke(main, ["tickets", "list"])
    kind = cards.kind_label(cards.STAFF_LOCALE, "question")
    assert listed.exit_code == 0 and "№1" in listed.output and kind in listed.output
    replied = runner.invoke(main, ["tickets", "reply", "1", "Готово, приходите."])
    assert replied.exit_code == 0, replied.output
    shown = runner.invoke(main, ["tickets", "show", "1"])
    assert QUESTION in shown.output and "Готово, приходите." in shown.output
    # The communication rules warn here as in the staff chat: declined, nothing goes out.
    worded = "Ваш вопрос взят на контроль."
    declined = runner.invoke(main, ["tickets", "reply", "1", worded], input="n\n")
    assert declined.exit_code != 0 and "взят на контроль" in declined.output
    assert worded not in runner.invoke(main, ["tickets", "show", "1"]).output
    sent = runner.invoke(main, ["tickets", "reply", "1", worded, "--yes"])
    assert sent.exit_code == 0, sent.output
    assert worded in runner.invoke(main, ["tickets", "show", "1"]).output
    report = runner.invoke(main, ["report", "sla", "--from", "2000-01-01", "--to", "2100-01-01"])
    assert report.exit_code == 0 and "question" in report.output


async def test_rating_leaves_no_timed_trace_of_the_person(app: App, chat: Person) -> None:
    await open_ticket(chat)
    await answered(app, chat, "Готово.")
    await chat.press("5")  # under the answer
    assert chat.last.text == chat.t("ticket-answer-rated")
    await chat.press(chat.t("button-menu"))
    await open_ticket(chat)  # ticket №2, closed before an answer: rated at closing
    await chat.send("/history")
    await chat.press(SHOW.pack(2))
    await chat.press(chat.t("ticket-button-done"))
    await chat.press("5")
    await chat.send("Всё понятно, спасибо")
    assert chat.last.text == chat.t("ticket-comment-thanks")
    assert len(await stage_ratings(app)) == 2
    async with app.sessions() as session:
        events = set(await session.scalars(select(Interaction.event)))
    assert not {event for event in events if "rate" in event or "comment" in event}


async def test_text_after_a_closed_ticket_is_a_new_question(app: App, chat: Person) -> None:
    await open_ticket(chat)
    await answered(app, chat, "Ответ.")
    async with transaction(app.sessions) as session:
        row = await session.get(Ticket, 1)
        await app.tickets.service.close(session, row, "staff", clock.now())
    # The person's state still points at the ticket; their next text must not be lost: it is
    # a new question for the knowledge base.
    await chat.send("Как записаться на приём?")
    assert chat.last.text.endswith(chat.t("faq-helpful"))


@pytest.mark.parametrize("code", ["ticket:show:²", "ticket:show:99999999999999999999"])
async def test_odd_numbers_in_buttons_are_refused_politely(people: People, code: str) -> None:
    person = people("5", channel="vk")
    [reply] = await person.handle(action=code)
    assert reply.text == person.t("stale-button")


async def test_a_second_interim_answer_silences_the_old_final_timers(
    staff_app: App, stopped: StoppedClock
) -> None:
    app, chat = staff_app, Person(staff_app)
    await open_ticket(chat, kind="complaint")
    await add_staff(app, ("501", "Иванова", Role.STAFF))
    first = (await ticket(app)).created_at + timedelta(minutes=30)
    second = first + timedelta(hours=24)
    for at, text in ((first, "Проверяем."), (second, "Всё ещё проверяем.")):
        stopped.set(at)
        assert await app.tickets.staff_action("telegram", "501", "tk:int:1", at) is None
        await staff_reply(app, 1, text, at)
        assert len(await chat.delivered()) == 1
    sla = app.tickets.service.sla
    due = sla.deadline("complaint", second, timedelta(hours=72))
    assert (await ticket(app)).final_due == due
    await app.timers.sweep(sla.deadline("complaint", first, timedelta(hours=72, seconds=1)))
    assert (await ticket(app)).breaches == 0  # the first interim's deadline moved on
    await app.timers.sweep(due + timedelta(seconds=1))
    assert (await ticket(app)).breaches == 1
