"""Public comments done right: thanks, emoji and spam start no ticket and no clock; a question
becomes a ticket with a short receipt under it (through the fake VK and Telegram servers); a
moderator makes a set-aside comment a ticket, or closes one opened by mistake as needing no
answer, which then counts in no SLA figure; /rules shows the office's rules."""

import asyncio
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.core import clock
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.models import Timer
from bot.core.staff import GENERAL, STAFF, Role, add
from bot.tickets import cards
from bot.tickets.actions import NO_ANSWER
from bot.tickets.models import SkippedComment, Ticket
from bot.tickets.public.comments import MAKE_TICKET
from bot.tickets.public.digest import ASIDE_LIST
from bot.tickets.public.rules import load_rules
from bot.tickets.relay import TG_GROUP, VK_WALL
from bot.tickets.report import sla_report
from bot.tickets.sla import COMMENT
from tests.support.client import Person
from tests.support.fixtures import PEER, drained
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI
from tests.tickets.conftest import (
    CLERK,
    StoppedClock,
    open_ticket,
    outbox,
    ru,
    staff_texts,
    ticket,
)

MODERATOR = "901"
COMMENT_AT = "-1_5_77"  # a comment under post 5 of community 1
GROUP = -1009876543210


async def count(app: App, model: type) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def comment(app: App, text: str, author: str = "3003", at: str = COMMENT_AT) -> int | None:
    return await app.tickets.public_ticket("vk", author, COMMENT, text, VK_WALL, at, clock.now())


async def timer_kinds(app: App) -> list[str]:
    async with app.sessions() as session:
        return list(await session.scalars(select(Timer.kind).where(Timer.fired_at.is_(None))))


def receipt(app: App, found: Ticket) -> str:
    """The receipt as the office's hours make it: the time, or the day and time at night."""
    at, tz = found.created_at, app.settings.tz
    if app.tickets.service.sla.office.is_open(at):
        return ru("ticket-public-receipt", when=cards.when("ru", found.first_due, at, tz))
    when = cards.when_weekday("ru", found.first_due, at, tz)
    return ru("ticket-public-receipt-off-hours", when=when)


@pytest.mark.parametrize(
    "text",
    ["Спасибо большое!", "Благодарим за оперативность", "👍👍", "+", "Заработок, пишите в лс"],
)
async def test_thanks_emoji_and_spam_start_no_ticket_and_no_clock(
    staff_app: App, text: str
) -> None:
    assert await comment(staff_app, text) is None
    assert await count(staff_app, Ticket) == 0
    assert await timer_kinds(staff_app) == [ASIDE_LIST]  # no reply clock: only the daily list
    assert await outbox(staff_app) == []  # no receipt, no card for staff
    assert await count(staff_app, SkippedComment) == 1  # kept for a moderator's look


async def test_a_question_is_a_ticket_with_a_receipt_under_it(staff_app: App) -> None:
    number = await comment(staff_app, "Когда откроют пункт приёма?")
    assert number == 1
    found = await ticket(staff_app)
    [row] = await outbox(staff_app, VK_WALL)
    assert row.chat_id == COMMENT_AT  # under the comment itself
    assert Reply.from_dict(row.payload).text == receipt(staff_app, found)
    assert "ответим здесь до " in receipt(staff_app, found).lower()
    assert await count(staff_app, Timer) >= 1  # the 2-hour clock runs


async def test_a_question_gets_a_public_receipt_in_vk_and_telegram(
    relay_bot: App, api: FakeTelegramAPI, vk_api: FakeVKAPI
) -> None:
    vk_api.push_wall_reply(post_id=42, from_id=PEER, text="Спасибо!")
    vk_api.push_wall_reply(post_id=42, from_id=PEER, text="👍")
    vk_api.push_wall_reply(post_id=42, from_id=PEER, text="")  # a sticker: no text
    event = vk_api.push_wall_reply(post_id=42, from_id=PEER, text="Почему закрыт пункт?")
    [sent] = await vk_api.wait_for("wall.createComment", timeout=10)
    assert sent["reply_to_comment"] == vk_api.event(event)["object"]["id"]
    assert sent["message"] == receipt(relay_bot, await ticket(relay_bot, 1))

    post = {
        "message_id": 10,
        "date": int(time.time()),
        "chat": {"id": GROUP, "type": "supergroup"},
        "sender_chat": {"id": -1001111111111, "type": "channel", "title": "Управление"},
        "is_automatic_forward": True,
        "text": "Изменился график приёма в декабре.",
    }
    for text in ("Спасибо, очень полезно!", "А в субботу 26-го вы работаете?"):
        update = api.push_message(
            3003, text, chat_id=GROUP, chat_type="supergroup", reply_to_message=post
        )
    [reply] = await api.wait_for("sendMessage", chat_id=GROUP, timeout=10)
    assert reply["reply_parameters"]["message_id"] == api.pushed(update)["message"]["message_id"]
    assert reply["text"] == receipt(relay_bot, await ticket(relay_bot, 2))

    await drained(relay_bot)
    # The four wall events are handled at once: the receipt of the question says nothing of
    # whether the thanks, the emoji and the sticker have been set aside yet.
    async with asyncio.timeout(10):
        while await count(relay_bot, SkippedComment) < 4:  # noqa: ASYNC110  (rows: no event)
            await asyncio.sleep(0.05)
    async with relay_bot.sessions() as session:
        made = (await session.scalars(select(Ticket.source).order_by(Ticket.id))).all()
        skipped = (await session.scalars(select(SkippedComment.source))).all()
    assert made == [VK_WALL, TG_GROUP]  # the two questions, nothing else
    assert sorted(skipped) == [TG_GROUP, VK_WALL, VK_WALL, VK_WALL]
    assert len(vk_api.sent("wall.createComment")) == 1
    assert len(api.sent("sendMessage", chat_id=GROUP)) == 1


async def test_a_moderator_makes_a_set_aside_comment_a_ticket(staff_app: App) -> None:
    async with transaction(staff_app.sessions) as session:
        await add(session, "telegram", MODERATOR, Role.MODERATOR, "Петрова")
    await comment(staff_app, "Спасибо!")
    clerk = Person(staff_app, "902", channel="telegram")
    await clerk.send("/comments")
    assert clerk.last.text == clerk.t("comments-moderators-only")
    await clerk.handle(action=MAKE_TICKET.pack(1))
    assert await count(staff_app, Ticket) == 0  # a forged press does nothing

    moderator = Person(staff_app, MODERATOR, channel="telegram")
    await moderator.send("/comments")
    assert "Спасибо!" in moderator.last.text
    assert moderator.t("comments-reason-thanks") in moderator.last.text
    await moderator.press(moderator.t("comments-make-ticket", number=1))
    found = await ticket(staff_app)
    assert (found.kind, found.source, found.source_ref) == (COMMENT, VK_WALL, {"to": COMMENT_AT})
    when = cards.when("ru", found.first_due, found.created_at, staff_app.settings.tz)
    assert moderator.last.text == moderator.t("comments-opened", number=1, ticket=1, when=when)
    [row] = await outbox(staff_app, VK_WALL)
    assert Reply.from_dict(row.payload).text == receipt(staff_app, found)
    assert "Спасибо!" in (await staff_texts(staff_app))[0]  # the card in the staff chat

    await moderator.handle(action=MAKE_TICKET.pack(1))
    assert moderator.last.text == moderator.t("comments-already", number=1, ticket=1)
    assert await count(staff_app, Ticket) == 1
    await moderator.send("/comments")
    assert moderator.last.text == moderator.t("comments-none")


async def test_a_moderator_closes_a_comment_that_needs_no_answer(staff_app: App) -> None:
    async with transaction(staff_app.sessions) as session:
        await add(session, "telegram", str(CLERK), Role.STAFF, "Иванова")
        await add(session, "telegram", MODERATOR, Role.MODERATOR, "Петрова")
    await comment(staff_app, "Хорошая новость, ждём открытия")  # not thanks: a ticket
    created = await ticket(staff_app)
    [card] = [Reply.from_dict(row.payload) for row in await outbox(staff_app, STAFF)]
    labels = [button.text for row in card.buttons for button in row]
    assert cards.staff_text("staff-button-no-answer") in labels
    code, now = NO_ANSWER.pack(1), clock.now()

    press = staff_app.tickets.staff_action
    refused = await press("telegram", str(CLERK), code, now)
    assert refused == cards.staff_text("staff-moderators-only")
    assert (await ticket(staff_app)).status == "open"
    done = await press("telegram", MODERATOR, code, now)
    assert done == cards.staff_text("staff-no-answer-done", number=1)
    closed = await ticket(staff_app)
    assert (closed.status, closed.closed_by) == ("closed", "no_answer")

    # The deadline passes: no breach, and the report does not count the ticket at all.
    await staff_app.timers.sweep(created.first_due + timedelta(minutes=1))
    assert (await ticket(staff_app)).breaches == 0
    assert not any("просрочен" in text.lower() for text in await staff_texts(staff_app))
    day = created.created_at.astimezone(staff_app.settings.tz).date()
    async with staff_app.sessions() as session:
        report = await sla_report(
            session, staff_app.tickets.service.sla, staff_app.settings.tz, day, day, clock.now()
        )
    assert [row.tickets for row in report if row.kind == COMMENT] == [0]

    # A ticket from private messages is never closed this way.
    await open_ticket(Person(staff_app))
    private = await press("telegram", MODERATOR, NO_ANSWER.pack(2), now)
    assert private == cards.staff_text("staff-no-answer-private", number=2)
    assert (await ticket(staff_app, 2)).status == "open"


async def test_rules_show_the_office_rules(app: App, chat: Person) -> None:
    await chat.send("/rules")
    rules = load_rules(app.settings)
    assert chat.last.text == rules.render("ru")
    assert "Что мы удаляем" in chat.last.text and "Оскорбления" in chat.last.text
    english = Person(app, "visitor", locale="en")
    await english.send("/rules")
    assert "What we remove" in english.last.text


async def test_set_aside_comments_are_kept_a_week_and_go_when_the_person_asks(
    staff_app: App,
) -> None:
    now = clock.now()
    await staff_app.tickets.public_ticket(
        "vk", "3003", COMMENT, "Спасибо!", VK_WALL, "-1_5_1", now - timedelta(days=8)
    )
    await staff_app.tickets.public_ticket("vk", "3004", COMMENT, "+", VK_WALL, "-1_5_2", now)
    async with staff_app.sessions() as session:
        kept = (await session.scalars(select(SkippedComment.reply_to))).all()
    assert kept == ["-1_5_2"]  # the week-old one was erased when the next came

    person = Person(staff_app, "3004", channel="vk")
    await person.send("удалить мои данные")
    await person.press(person.t("forget-yes"))
    assert await count(staff_app, SkippedComment) == 0


async def test_at_night_the_receipt_says_when_the_office_answers(staff_app: App) -> None:
    friday_night = datetime(2026, 11, 27, 23, 0, tzinfo=staff_app.settings.tz)
    await staff_app.tickets.public_ticket(
        "vk", "3003", COMMENT, "Где забрать права?", VK_WALL, COMMENT_AT, friday_night
    )
    [row] = await outbox(staff_app, VK_WALL)
    text = Reply.from_dict(row.payload).text
    assert text == receipt(staff_app, await ticket(staff_app))
    assert "нерабочее время" in text and "понедельника" in text


async def general(app: App) -> list[str]:
    """What went to the staff chat itself (not to a ticket's thread)."""
    rows = await outbox(app, STAFF)
    return [Reply.from_dict(row.payload).text for row in rows if row.chat_id == GENERAL]


async def planned(app: App) -> Timer:
    async with app.sessions() as session:
        [timer] = await session.scalars(
            select(Timer).where(Timer.kind == ASIDE_LIST, Timer.fired_at.is_(None))
        )
    return timer


def aside_line(number: int, reason: str, when: str, text: str) -> str:
    """A comment as the staff chat's list (and /comments) shows it: no author."""
    source, why = ru("comments-source-vk_wall"), ru(f"comments-reason-{reason}")
    return ru("comments-line", number=number, source=source, reason=why, when=when, text=text)


async def test_the_set_aside_comments_are_listed_in_the_staff_chat_each_working_day(
    staff_app: App, stopped: StoppedClock
) -> None:
    tz = staff_app.settings.tz
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=tz)
    monday, tuesday = friday.replace(day=7, hour=9), friday.replace(day=8, hour=9)
    stopped.set(friday)
    spam = "Заработок в интернете от 5000 в день"
    for n, text in enumerate(["Спасибо!", spam, "👍", "Когда откроют пункт?"], start=1):
        await comment(staff_app, text, author=f"310{n}", at=f"-1_5_{n}")
    async with transaction(staff_app.sessions) as session:  # "👍" made a ticket after all
        await staff_app.tickets.public.make_ticket(session, 3, friday)
    assert (await planned(staff_app)).due_at == monday  # the next opening, not Saturday
    assert await general(staff_app) == []

    stopped.set(monday + timedelta(minutes=1))
    await comment(staff_app, "+", author="3105", at="-1_5_5")  # after 09:00: the next list's
    await staff_app.timers.sweep(stopped.now())
    [listed] = await general(staff_app)
    assert listed.split("\n\n") == [
        ru("comments-list-title", count=2, since="27.11 15:00", until="07.12 09:00"),
        aside_line(1, "thanks", "04.12 15:00", "Спасибо!"),
        aside_line(2, "spam", "04.12 15:00", spam),
    ]  # neither the question's ticket nor the comment made a ticket; no author named
    assert (await planned(staff_app)).due_at == tuesday

    stopped.set(tuesday)
    await staff_app.timers.sweep(stopped.now())
    [_, second] = await general(staff_app)
    assert second.split("\n\n")[1:] == [aside_line(4, "no_words", "07.12 09:01", "+")]
    stopped.set(tuesday.replace(day=9))
    await staff_app.timers.sweep(stopped.now())
    assert len(await general(staff_app)) == 2  # nothing set aside since: no message


async def test_no_list_is_planned_without_a_staff_chat(app: App) -> None:
    assert await comment(app, "Спасибо!") is None
    assert await timer_kinds(app) == []
