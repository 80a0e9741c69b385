"""What the bot tells about a booking: dates in the office's zone, the confirmation with its
calendar file, reminders, and the waitlist offer. Built for a locale, not a Context, because
timers and the outbox send them with nobody's message to answer."""

from datetime import date, datetime

from icalendar import Calendar, Event

from bot.booking import actions
from bot.booking.models import Booking
from bot.booking.schedule import Office, Schedule, Service
from bot.core import texts
from bot.core.feature import MENU, go
from bot.core.messages import Attachment, Button, Reply, buttons


def day_label(locale: str, day: date) -> str:
    return f"{texts.text(locale, 'booking-weekday', n=day.weekday())} {day:%d.%m}"


def when(locale: str, start: datetime, schedule: Schedule) -> str:
    local = start.astimezone(schedule.tz)
    weekday = texts.text(locale, "booking-weekday", n=local.weekday())
    return f"{local:%d.%m.%Y} ({weekday}), {local:%H:%M}"


def details(locale: str, booking: Booking, schedule: Schedule) -> str:
    office = schedule.office(booking.office)
    service = office.service(booking.service) if office else None
    if office is None or service is None:  # the office left the schedule file since
        return texts.text(locale, "booking-number", number=booking.id)
    return texts.text(
        locale,
        "booking-details",
        number=booking.id,
        when=when(locale, booking.starts_at, schedule),
        office=office.name.get(locale),
        address=office.address.get(locale),
        service=service.title.get(locale),
    )


def booking_buttons(locale: str, booking_id: int, *, come: bool = False) -> tuple:
    rows = []
    if come:
        rows.append(
            Button(texts.text(locale, "booking-button-come"), actions.COME.pack(booking_id))
        )
    rows += [
        Button(texts.text(locale, "booking-button-move"), actions.MOVE.pack(booking_id)),
        Button(texts.text(locale, "booking-button-cancel"), actions.CANCEL.pack(booking_id)),
    ]
    return buttons(*rows)


def calendar_file(
    locale: str, booking: Booking, office: Office, service: Service, schedule: Schedule
) -> Attachment:
    calendar = Calendar()
    calendar.add("prodid", "-//Priemnaya//booking//RU")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"booking-{booking.id}@priemnaya")
    event.add("dtstamp", booking.booked_at or booking.created_at)
    event.add("dtstart", booking.starts_at.astimezone(schedule.tz))
    event.add("dtend", booking.ends_at.astimezone(schedule.tz))
    event.add("summary", f"{service.title.get(locale)}: {office.name.get(locale)}")
    event.add("location", office.address.get(locale))
    event.add(
        "description",
        texts.text(
            locale, "booking-ics-description", number=booking.id, bring=service.bring.get(locale)
        ),
    )
    calendar.add_component(event)
    return Attachment(f"booking-{booking.id}.ics", calendar.to_ical(), "text/calendar")


def confirmation(
    locale: str, booking: Booking, schedule: Schedule, *, moved: bool = False
) -> Reply:
    office = schedule.office(booking.office)
    service = office.service(booking.service) if office else None
    assert office is not None and service is not None
    text = texts.text(
        locale,
        "booking-moved" if moved else "booking-done",
        details=details(locale, booking, schedule),
        directions=office.directions.get(locale),
        bring=service.bring.get(locale),
        pass_note=texts.text(
            locale,
            "booking-pass-note"
            if booking.personal and office.pass_regime
            else "booking-no-pass-note",
        )
        if office.pass_regime
        else "",
    )
    return Reply(
        text.strip(),
        buttons(
            Button(texts.text(locale, "menu-history"), go("history")),
            Button(texts.text(locale, "button-menu"), go(MENU)),
        ),
        calendar_file(locale, booking, office, service, schedule),
    )


def reminder(locale: str, booking: Booking, schedule: Schedule, hours: int) -> Reply:
    office = schedule.office(booking.office)
    text = texts.text(
        locale,
        "booking-reminder",
        hours=hours,
        details=details(locale, booking, schedule),
        phone=office.phone if office else "",
    )
    return Reply(text, booking_buttons(locale, booking.id, come=True))


def waitlist_offer(locale: str, entry_id: int, day: date, service_title: str) -> Reply:
    return Reply(
        texts.text(
            locale, "booking-waitlist-offer", day=day_label(locale, day), service=service_title
        ),
        buttons(
            Button(texts.text(locale, "booking-button-take"), actions.TAKE_SEAT.pack(entry_id))
        ),
    )


def rating_ask(locale: str, key: str, scores: tuple[Button, ...]) -> Reply:
    """A 1–5 under its own message: after a booking is made, after the visit."""
    return Reply(texts.text(locale, key), (scores,))
