"""Booking tests share the core fixtures (tests/conftest.py) and the reply-level client
(tests/support/client.py). The helpers here walk the booking form and build the texts the
bot should show from the catalog and the shipped schedule, not from the bot's own views."""

from datetime import date, datetime

from sqlalchemy import select

from bot.app import App
from bot.booking import actions
from bot.booking.models import HELD, Booking
from bot.booking.schedule import Schedule
from bot.core.actions import Action
from bot.core.messages import Reply
from tests.support.client import Person

# What Anna types into the form (typed input, not the bot's wording).
ANNA = {
    "surname": "Иванова",
    "name": "Анна",
    "doc_number": "4510 123456",
    "phone": "8 (912) 345-67-89",
}


def code(chat: Person, action: Action, index: int = 0) -> str:
    """The action code of the first (or `index`-th) button of this kind on screen."""
    prefix = f"{action}:"
    found = [b.action for b in chat.buttons() if b.action.startswith(prefix)]
    assert found, f"no {prefix} button among {chat.labels()}"
    return found[index]


def codes(chat: Person, action: Action) -> list[str]:
    """The action codes of every button of this kind on screen."""
    return [b.action for b in chat.buttons() if b.action.startswith(f"{action}:")]


async def open_booking(chat: Person, office: str, service: str | None = None) -> None:
    """Menu → "book a visit" → the office → the service (where the office has a choice)."""
    await chat.send("/start")
    await chat.press(chat.t("menu-booking"))
    await chat.press(actions.OFFICE.pack(office))
    if service is not None:
        await chat.press(actions.SERVICE.pack(service))


async def pick_time(chat: Person, day: int = 0, time: int = 0) -> None:
    """The `day`-th free day shown, then its `time`-th free time."""
    await chat.press(code(chat, actions.DAY, day))
    await chat.press(code(chat, actions.SLOT, time))


async def reach_consent(chat: Person, day: int = 0) -> None:
    """Menu → the office with a pass regime → consultation → a day → the first free time;
    the consent question is on screen next."""
    await open_booking(chat, "transport", "consult")
    await pick_time(chat, day)


async def book(chat: Person, *, email: str | None = None, day: int = 0) -> Reply:
    """The whole form at the demo office with a pass regime; returns the confirmation."""
    await reach_consent(chat, day)
    await chat.press(chat.t("booking-consent-yes"))
    await chat.send(ANNA["surname"])
    await chat.send(ANNA["name"])
    await chat.press(chat.t("booking-skip-patronymic"))
    await chat.press(chat.t("booking-doc-ru"))
    await chat.send(ANNA["doc_number"])
    await chat.press(chat.t("booking-skip-plate"))
    await chat.send(ANNA["phone"])
    if email is None:
        await chat.press(chat.t("booking-skip-email"))
    else:
        await chat.send(email)
    await chat.press(chat.t("booking-button-confirm"))
    confirmation, _rating = chat.replies
    return confirmation


async def bookings(app: App) -> list[Booking]:
    """Every booking row (holds too), oldest first."""
    async with app.sessions() as session:
        return list((await session.scalars(select(Booking).order_by(Booking.id))).all())


async def booked(app: App) -> Booking:
    """The one booking that is not a hold."""
    [row] = [b for b in await bookings(app) if b.status != HELD]
    return row


# ---------------------------------------------------------------- the texts the bot shows


def asked_again(chat: Person, problem: str, question: str, **args: object) -> str:
    """A typed field refused: the reason, then the question again."""
    return f"{chat.t(problem)}\n\n{chat.t(question, **args)}"


def when(chat: Person, schedule: Schedule, start: datetime) -> str:
    """A date and time as the bot writes them: "12.03.2026 (чт), 10:00", office time."""
    local = start.astimezone(schedule.tz)
    weekday = chat.t("booking-weekday", n=local.weekday())
    return f"{local:%d.%m.%Y} ({weekday}), {local:%H:%M}"


def day_label(chat: Person, day: date) -> str:
    """A day button's label: "чт 12.03"."""
    return f"{chat.t('booking-weekday', n=day.weekday())} {day:%d.%m}"


def slot_lines(chat: Person, schedule: Schedule, office_id: str, start: datetime) -> str:
    """The summary's first lines: office, address, service (the first), when."""
    office = schedule.office(office_id)
    assert office is not None
    return chat.t(
        "booking-summary-slot",
        office=office.name.get(chat.locale),
        address=office.address.get(chat.locale),
        service=office.services[0].title.get(chat.locale),
        when=when(chat, schedule, start),
    )


def details(chat: Person, schedule: Schedule, booking: Booking) -> str:
    office = schedule.office(booking.office)
    assert office is not None
    service = office.service(booking.service)
    assert service is not None
    return chat.t(
        "booking-details",
        number=booking.id,
        when=when(chat, schedule, booking.starts_at),
        office=office.name.get(chat.locale),
        address=office.address.get(chat.locale),
        service=service.title.get(chat.locale),
    )


def confirmation(
    chat: Person, schedule: Schedule, booking: Booking, *, moved: bool = False
) -> str:
    """The confirmation ("booking-done", or a move's "booking-moved") with its details."""
    office = schedule.office(booking.office)
    assert office is not None
    service = office.service(booking.service)
    assert service is not None
    note = ""
    if office.pass_regime:
        note = chat.t("booking-pass-note" if booking.personal else "booking-no-pass-note")
    return chat.t(
        "booking-moved" if moved else "booking-done",
        details=details(chat, schedule, booking),
        directions=office.directions.get(chat.locale),
        bring=service.bring.get(chat.locale),
        pass_note=note,
    ).strip()
