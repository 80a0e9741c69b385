"""The booking flow at the level of replies, on SQLite and PostgreSQL: the texts come from
the catalog and the shipped schedule (bot/booking/demo/schedule.yaml)."""

import re
from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from bot.booking import actions
from bot.booking.actions import Answer
from bot.booking.models import BOOKED, CANCELLED, HELD, Booking
from tests.booking.conftest import (
    ANNA,
    asked_again,
    book,
    booked,
    bookings,
    code,
    codes,
    confirmation,
    details,
    open_booking,
    pick_time,
    reach_consent,
    slot_lines,
    when,
)
from tests.support.client import People, Person


def start_of(app: App, slot: str):
    """The start of a time button's slot ("booking:t:202603121000")."""
    return actions.parse_slot(slot.rsplit(":", 1)[1], app.booking.schedule.tz)


def hold_line(chat: Person, app: App, hold: Booking) -> str:
    until = hold.held_until.astimezone(app.booking.schedule.tz)
    return chat.t("booking-summary-hold", until=f"{until:%H:%M}")


async def test_whole_flow_books_and_seals_pass_data(app: App, chat: Person) -> None:
    done = await book(chat)
    booking = await booked(app)
    assert done.text == confirmation(chat, app.booking.schedule, booking)
    assert chat.t("booking-pass-note") in done.text
    assert done.attachment is not None
    assert done.attachment.filename == f"booking-{booking.id}.ics"
    assert chat.labels() == [chat.t("menu-history"), chat.t("button-menu"), *"12345"]
    assert chat.last.text == chat.t("booking-rate")  # how easy it was, right after
    assert len(await bookings(app)) == 1  # the hold became the booking
    assert booking.status == BOOKED and booking.seat == 1 and booking.doc_type == "ru"
    # Pass data is sealed: nothing of it is readable in the row.
    assert "4510" not in booking.personal and ANNA["surname"] not in booking.personal
    sealed = app.booking.vault.open(booking.personal)
    assert sealed["doc_number"] == "4510 123456" and sealed["phone"] == "+79123456789"
    assert "patronymic" not in sealed


async def test_summary_masks_the_document(app: App, chat: Person) -> None:
    await reach_consent(chat)
    await chat.press(chat.t("booking-consent-yes"))
    for line in ("Петров", "Пётр", "Петрович"):
        await chat.send(line)
    await chat.press(chat.t("booking-doc-ru"))
    await chat.send("4510123456")
    await chat.send("а 123 вс 77")
    await chat.press(chat.t("booking-skip-phone"))
    await chat.press(chat.t("booking-skip-email"))
    [hold] = await bookings(app)
    assert hold.status == HELD
    # The hold is not extended while the form is filled: the summary shows when it ends.
    assert chat.last.text == "\n".join(
        [
            slot_lines(chat, app.booking.schedule, "transport", hold.starts_at),
            chat.t("booking-summary-person", name="Петров Пётр Петрович"),
            chat.t("booking-summary-doc", doc=chat.t("booking-doc-ru"), number="…3456"),
            chat.t("booking-summary-plate", plate="А123ВС77"),
            chat.t("booking-summary-contact", phone="—", email="—"),
            hold_line(chat, app, hold),
        ]
    )
    assert "4510" not in chat.last.text
    assert chat.labels() == [
        chat.t("booking-button-confirm"),
        chat.t("booking-button-other-time"),
        chat.t("booking-button-restart"),
        chat.t("button-menu"),
    ]


async def test_bad_pass_data_is_asked_again_and_nothing_is_lost(chat: Person) -> None:
    await reach_consent(chat)
    await chat.press(chat.t("booking-consent-yes"))
    for typed, problem in (
        ("Я" * 500, "booking-bad-name-long"),
        ("<b>Иванов</b>", "booking-bad-name"),
        ("Иванов 😀", "booking-bad-name"),
        ("Ivanov2", "booking-bad-name"),
    ):
        await chat.send(typed)
        assert chat.last.text == asked_again(chat, problem, "booking-ask-surname"), typed
    await chat.send("Иванов-Петров")
    assert chat.last.text == chat.t("booking-ask-name")
    await chat.send("Иван")
    await chat.press(chat.t("booking-skip-patronymic"))
    await chat.press(chat.t("booking-doc-ru"))
    for typed in ("45 10 12345", "4510 12345A"):
        await chat.send(typed)
        expected = asked_again(chat, "booking-bad-passport", "booking-ask-docno-ru")
        assert chat.last.text == expected, typed
    await chat.send("4510 123456")
    await chat.send("🚗")
    assert chat.last.text == asked_again(chat, "booking-bad-plate", "booking-ask-plate")
    await chat.press(chat.t("booking-skip-plate"))  # the skip button stays on a retry
    await chat.send("звоните")
    assert chat.last.text == asked_again(chat, "booking-bad-phone", "booking-ask-phone")
    await chat.press(chat.t("booking-skip-phone"))
    await chat.send("ivanov@")
    assert chat.last.text == asked_again(chat, "booking-bad-email", "booking-ask-email")
    await chat.send("ivanov@mail.ru")
    summary = chat.last.text.splitlines()
    assert chat.t("booking-summary-person", name="Иванов-Петров Иван") in summary
    assert chat.t("booking-summary-contact", phone="—", email="ivanov@mail.ru") in summary


async def test_foreign_passport_and_typed_buttons(app: App, chat: Person) -> None:
    office = app.booking.schedule.office("transport")
    await open_booking(chat, "transport")
    consult = office.service("consult")
    await chat.send(consult.title.get(chat.locale).lower())  # a label typed, not pressed
    assert [reply.text for reply in chat.replies] == [
        chat.t("booking-use-buttons"),
        chat.t("booking-choose-service", office=office.name.get(chat.locale)),
    ]
    await chat.press(actions.SERVICE.pack("consult"))
    await pick_time(chat)
    await chat.press(chat.t("booking-consent-yes"))
    await chat.send("Smith")
    await chat.send("John")
    await chat.send("нет")  # typed "no" skips an optional step
    assert chat.last.text == chat.t("booking-ask-doc")
    await chat.press(chat.t("booking-doc-foreign"))
    for typed in ("A1", "X" * 21):
        await chat.send(typed)
        expected = asked_again(chat, "booking-bad-foreign", "booking-ask-docno-foreign")
        assert chat.last.text == expected, typed
    await chat.send("ab 123-4567")
    assert chat.last.text == chat.t("booking-ask-plate")


async def test_no_consent_at_a_pass_office_books_nothing(app: App, chat: Person) -> None:
    await reach_consent(chat)
    await chat.press(actions.CONSENT.pack(Answer.NO))
    office = app.booking.schedule.office("transport")
    assert chat.last.text == chat.t("booking-consent-needed", phone=office.phone)
    assert chat.labels() == [
        chat.t("booking-button-other-office"),
        chat.t("menu-human"),
        chat.t("menu-info"),
        chat.t("button-menu"),
    ]
    assert await bookings(app) == []  # the hold is released


async def test_no_consent_without_pass_regime_books_without_data(app: App, chat: Person) -> None:
    await open_booking(chat, "river")
    await pick_time(chat)
    await chat.press(chat.t("booking-consent-no"))
    [hold] = await bookings(app)
    assert chat.last.text == "\n".join(
        [
            slot_lines(chat, app.booking.schedule, "river", hold.starts_at),
            chat.t("booking-summary-contact", phone="—", email="—"),
            hold_line(chat, app, hold),
        ]
    )
    await chat.press(chat.t("booking-button-confirm"))
    booking = await booked(app)
    assert chat.replies[0].text == confirmation(chat, app.booking.schedule, booking)
    assert booking.personal is None and booking.office == "river"


async def test_forged_and_stale_payloads_are_refused(app: App, chat: Person) -> None:
    await open_booking(chat, "transport", "consult")
    # A day long past, a holiday, a date that does not exist.
    for forged in ("booking:d:20200107", "booking:d:20260104", "booking:d:20261399"):
        replies = await chat.handle(action=forged)
        assert replies is not None and replies[0].text == chat.t("stale-button"), forged
    await chat.send("дальше")  # text where only buttons will do: the days again
    service = app.booking.schedule.office("transport").service("consult")
    assert [reply.text for reply in chat.replies] == [
        chat.t("booking-use-buttons"),
        chat.t(
            "booking-choose-day",
            service=service.title.get(chat.locale),
            office=app.booking.schedule.office("transport").name.get(chat.locale),
        ),
    ]
    await chat.press(code(chat, actions.DAY))
    day_code = code(chat, actions.SLOT)[10:18]
    # 09:00 is a slot of the other office only (this one opens at 10:00); a past slot;
    # a slot in the break; a malformed code.
    for forged in (
        f"booking:t:{day_code}0900",
        "booking:t:202001071000",
        f"booking:t:{day_code}1300",
        "booking:t:2026",
    ):
        replies = await chat.handle(action=forged)
        assert replies is not None and replies[0].text == chat.t("stale-button"), forged
    assert await bookings(app) == []


async def test_cancel_and_move_from_history(app: App, chat: Person) -> None:
    schedule = app.booking.schedule
    await book(chat)
    first = await booked(app)
    await chat.send("/history")
    assert [reply.text for reply in chat.replies] == [
        chat.t("booking-history-item", status=BOOKED, details=details(chat, schedule, first)),
        chat.t("booking-forget-hint"),
        chat.t("menu-again"),
    ]
    assert chat.t("booking-button-forget") in chat.labels()
    await chat.press(chat.t("booking-button-move"))
    office = schedule.office("transport")
    assert chat.last.text == chat.t(
        "booking-choose-day",
        service=office.services[0].title.get(chat.locale),
        office=office.name.get(chat.locale),
    )
    await chat.press(code(chat, actions.DAY))
    await chat.press(codes(chat, actions.SLOT)[-1])
    [hold] = [b for b in await bookings(app) if b.status == HELD]
    assert chat.last.text == "\n".join(
        [
            chat.t("booking-summary-move", number=first.id),
            slot_lines(chat, schedule, "transport", hold.starts_at),
            hold_line(chat, app, hold),
        ]
    )
    await chat.press(chat.t("booking-button-confirm"))
    [moved] = await bookings(app)
    assert chat.last.text == confirmation(chat, schedule, moved, moved=True)
    assert (moved.id, moved.status, moved.starts_at) == (first.id, BOOKED, hold.starts_at)
    assert moved.personal is not None
    await chat.send("/history")
    await chat.press(chat.t("booking-button-cancel"))
    assert chat.last.text == chat.t("booking-cancel-ask", details=details(chat, schedule, moved))
    await chat.press(chat.t("booking-button-cancel-yes"))
    assert chat.last.text == chat.t("booking-cancelled", number=moved.id)
    [booking] = await bookings(app)
    assert booking.status == CANCELLED and booking.seat is None and booking.personal is None


async def test_someone_elses_booking_is_refused(app: App, chat: Person, people: People) -> None:
    await book(chat)
    booking = await booked(app)
    stranger = people("stranger")
    await stranger.send("/start")
    for action in (actions.CANCEL, actions.CANCEL_YES, actions.MOVE, actions.COME):
        replies = await stranger.handle(action=action.pack(booking.id))
        assert replies is not None and replies[0].text == stranger.t("booking-not-yours"), action
    assert (await booked(app)).status == BOOKED


async def test_one_booking_per_service(app: App, chat: Person) -> None:
    await book(chat)
    booking = await booked(app)
    await chat.press(chat.t("button-menu"))
    await open_booking(chat, "transport", "consult")
    assert chat.last.text == chat.t(
        "booking-already", details=details(chat, app.booking.schedule, booking)
    )
    assert chat.labels() == [chat.t("booking-button-move"), chat.t("booking-button-cancel")]


async def test_delete_my_data(app: App, chat: Person) -> None:
    await book(chat)
    # The words the consent text tells people to type to withdraw it.
    consent = chat.t("booking-consent", retention=30, pass_regime="yes")
    words = re.search(r"«(.+?)»", consent)
    assert words is not None
    await chat.send(words[1])
    assert chat.last.text == chat.t("forget-ask")
    await chat.press(chat.t("forget-yes"))
    assert chat.last.text == chat.t("forget-done", cancelled=1, closed=0)
    assert [(b.status, b.personal) for b in await bookings(app)] == [(CANCELLED, None)]


async def test_hold_is_never_offered_to_another(app: App, chat: Person, people: People) -> None:
    await open_booking(chat, "river")
    await chat.press(code(chat, actions.DAY))
    first_day = codes(chat, actions.SLOT)
    await chat.press(first_day[0])
    [hold] = await bookings(app)
    assert hold.status == HELD
    other = people("other")
    await open_booking(other, "river")
    await other.press(code(other, actions.DAY))
    offered = codes(other, actions.SLOT)
    assert first_day[0] not in offered and first_day[1] in offered


async def test_expired_hold_lost_to_another_is_explained(
    app: App, chat: Person, people: People
) -> None:
    schedule = app.booking.schedule
    await open_booking(chat, "river")
    await pick_time(chat)
    await chat.press(chat.t("booking-consent-yes"))
    await chat.press(chat.t("booking-skip-phone"))
    await chat.press(chat.t("booking-skip-email"))  # the summary; now the person wanders off
    async with app.sessions() as session, session.begin():
        hold = await session.scalar(select(Booking))
        hold.held_until = hold.created_at - timedelta(minutes=1)
    other = people("other")
    await open_booking(other, "river")
    await pick_time(other)  # takes the seat the expired hold had
    await chat.press(chat.t("booking-button-confirm"))
    assert chat.last.text == chat.t("booking-hold-expired")
    nearest = codes(chat, actions.SLOT)
    lost = actions.SLOT.pack(actions.slot_code(hold.starts_at, schedule.tz))
    assert nearest and lost not in nearest
    assert chat.labels() == [
        *(when(chat, schedule, start_of(app, slot)) for slot in nearest),
        chat.t("booking-button-other-day"),
        chat.t("button-menu"),
    ]
    # The form is kept: another time goes straight to the summary, then books.
    await chat.press(nearest[0])
    assert chat.last.text.startswith(
        slot_lines(chat, schedule, "river", start_of(app, nearest[0]))
    )
    await chat.press(chat.t("booking-button-confirm"))
    assert chat.replies[0].text == confirmation(chat, schedule, await booked(app))


async def test_a_move_asks_nothing_of_the_form_again(app: App, chat: Person) -> None:
    """A move goes day → time → a short summary → confirm, keeps the booking's number and
    pass data, and offers no way back to other services."""
    await open_booking(chat, "river")
    await pick_time(chat, day=-2)  # far enough ahead to move
    await chat.press(actions.CONSENT.pack(Answer.NO))
    await chat.press(actions.CONFIRM.pack())
    booking = await booked(app)
    await chat.send("/history")
    await chat.press(actions.MOVE.pack(booking.id))
    office = app.booking.schedule.office("river")
    names = {
        "office": office.name.get(chat.locale),
        "service": office.services[0].title.get(chat.locale),
    }
    assert chat.last.text == chat.t("booking-choose-day", **names)
    assert not codes(chat, actions.OFFICE)
    await pick_time(chat, day=-1, time=-1)
    assert chat.last.text.startswith(chat.t("booking-summary-move", number=booking.id))
    assert actions.RESTART.pack() not in [b.action for b in chat.buttons()]
    await chat.press(chat.t("booking-button-confirm"))
    assert chat.last.attachment is not None and chat.last.attachment.filename.endswith(".ics")
    [moved] = await bookings(app)
    assert moved.id == booking.id and moved.starts_at > booking.starts_at
    assert moved.status == BOOKED
