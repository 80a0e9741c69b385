"""The staff card lists the person's earlier tickets and bookings (date, kind, state, newest
first), and an earlier ticket opens from the card into the new ticket's thread."""

from bot.app import App
from bot.core import clock
from bot.core.messages import Reply
from bot.core.staff import STAFF, Role
from bot.tickets.actions import SEE
from tests.booking.conftest import book, booked
from tests.support.client import Person
from tests.tickets.conftest import add_staff, open_ticket, outbox, ru, staff_reply, ticket


async def staff_replies(app: App, topic: str) -> list[Reply]:
    return [
        Reply.from_dict(row.payload) for row in await outbox(app, STAFF) if row.chat_id == topic
    ]


async def test_the_card_lists_earlier_tickets_and_bookings(staff_app: App) -> None:
    app, chat = staff_app, Person(staff_app)
    await add_staff(app, ("501", "Иванова", Role.STAFF))
    await book(chat)
    await open_ticket(chat, text="Где забрать справку?")
    await staff_reply(app, 1, "В окне 3.")
    await open_ticket(chat, text="А сколько она стоит?", kind="complaint")
    await open_ticket(chat, text="И ещё вопрос про пропуск")

    tz = app.settings.tz
    first, second, visit = await ticket(app, 1), await ticket(app, 2), await booked(app)
    office = app.booking.schedule.office(visit.office)
    assert office is not None
    service = office.service(visit.service)
    assert service is not None
    [card, *_] = await staff_replies(app, "3")
    lines = card.text.splitlines()
    start = lines.index(ru("staff-card-tickets", count=2))
    # Newest first: №2, then №1; then the booking.
    assert lines[start : start + 5] == [
        ru("staff-card-tickets", count=2),
        ru(
            "staff-card-ticket",
            number=2,
            date=f"{second.created_at.astimezone(tz):%d.%m.%Y}",
            kind=ru("ticket-kind-complaint"),
            status="open",
        ),
        ru(
            "staff-card-ticket",
            number=1,
            date=f"{first.created_at.astimezone(tz):%d.%m.%Y}",
            kind=ru("ticket-kind-question"),
            status="open",  # the answer was not delivered yet
        ),
        ru("staff-card-visits"),
        ru(
            "staff-card-visit",
            when=f"{visit.starts_at.astimezone(tz):%d.%m.%Y %H:%M}",
            service=service.title.ru,
            status="booked",
        ),
    ]
    assert "Записи на приём" in card.text and "записан" in card.text  # pinned wording
    assert [(b.text, b.action) for b in card.buttons[-1]] == [
        (ru("staff-button-earlier", number=2), SEE.pack(3, 2)),
        (ru("staff-button-earlier", number=1), SEE.pack(3, 1)),
    ]

    # Opening №1 from the card shows its messages in the new ticket's thread.
    assert await app.tickets.staff_action("telegram", "501", SEE.pack(3, 1), clock.now()) is None
    opened = (await staff_replies(app, "3"))[-1]
    assert opened.text.splitlines()[0] == ru(
        "staff-card-ticket",
        number=1,
        date=f"{first.created_at.astimezone(tz):%d.%m.%Y}",
        kind=ru("ticket-kind-question"),
        status=(await ticket(app, 1)).status,
    )
    assert "Где забрать справку?" in opened.text
    assert "Иванова" in opened.text and "В окне 3." in opened.text


async def test_a_first_ticket_says_there_is_no_history(staff_app: App) -> None:
    await open_ticket(Person(staff_app))
    [card] = await staff_replies(staff_app, "1")
    assert ru("staff-card-tickets-none") in card.text
    assert ru("staff-card-visits-none") in card.text
    assert all(not b.action.startswith("tk:see:") for row in card.buttons for b in row)


async def test_an_earlier_ticket_opens_even_when_closed_and_only_the_same_persons(
    staff_app: App,
) -> None:
    app = staff_app
    await add_staff(app, ("501", "Иванова", Role.STAFF))
    anna, boris = Person(app, "anna"), Person(app, "boris")
    await open_ticket(anna, text="Первый вопрос Анны")
    await open_ticket(boris, text="Вопрос Бориса")
    await open_ticket(anna, text="Второй вопрос Анны")
    now = clock.now()
    assert await app.tickets.staff_action("telegram", "501", "tk:close:3", now) is None
    before = len(await staff_replies(app, "3"))
    # A forged button naming Boris's ticket, or one that does not exist, shows nothing.
    for forged in (SEE.pack(3, 2), SEE.pack(3, 99), SEE.pack(3, 3)):
        assert await app.tickets.staff_action("telegram", "501", forged, now) is None
    assert len(await staff_replies(app, "3")) == before
    # Anna's own earlier ticket opens though the card's ticket is closed by now.
    await app.tickets.staff_action("telegram", "501", SEE.pack(3, 1), now)
    opened = (await staff_replies(app, "3"))[-1]
    assert "Первый вопрос Анны" in opened.text and "Бориса" not in opened.text
