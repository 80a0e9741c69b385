"""The booking dialogue's screens: data in, a Reply out. No session, no state: the dialogue
modules decide what to show, these decide how it looks (texts from the catalog)."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.booking import actions, form, notices
from bot.booking.book import Slot
from bot.booking.models import BOOKED, Booking
from bot.booking.schedule import Office, Schedule, Service
from bot.core import texts
from bot.core.feature import MENU, go
from bot.core.messages import Button, Reply, buttons

DAYS_PER_ROW, TIMES_PER_ROW = 2, 4
Row = list[Button] | Button


def _button(locale: str, key: str, action: str, **args: object) -> Button:
    return Button(texts.text(locale, key, **args), action)


def _menu(locale: str) -> Button:
    return _button(locale, "button-menu", go(MENU))


def _nav(locale: str, *rows: Row) -> tuple[tuple[Button, ...], ...]:
    """The rows, then "Главное меню": every booking screen has a way out."""
    return buttons(*rows, _menu(locale))


def _with_note(locale: str, text: str, note: str | None) -> str:
    return f"{texts.text(locale, note)}\n\n{text}" if note else text


# ---------------------------------------------------------------- office, service, day, time


def offices(locale: str, choices: Sequence[Office]) -> Reply:
    rows = [Button(o.name.get(locale), actions.OFFICE.pack(o.id)) for o in choices]
    return Reply(texts.text(locale, "booking-choose-office"), _nav(locale, *rows))


def services(locale: str, office: Office) -> Reply:
    rows: list[Row] = [
        Button(s.title.get(locale), actions.SERVICE.pack(s.id)) for s in office.services
    ]
    rows.append(_button(locale, "button-back", actions.OFFICES.pack()))
    text = texts.text(locale, "booking-choose-service", office=office.name.get(locale))
    return Reply(text, _nav(locale, *rows))


def already_booked(locale: str, booking: Booking, schedule: Schedule) -> Reply:
    text = texts.text(
        locale, "booking-already", details=notices.details(locale, booking, schedule)
    )
    return Reply(text, notices.booking_buttons(locale, booking.id))


def days(
    locale: str,
    office: Office,
    service: Service,
    free: Sequence[date],
    *,
    waitlist: bool,
    back: bool,
    note: str | None = None,
) -> Reply:
    """Free days two to a row; the waitlist when some days are full; back to the services
    when there is a choice of them (`back`)."""
    labels = [
        Button(notices.day_label(locale, d), actions.DAY.pack(actions.day_code(d))) for d in free
    ]
    rows: list[Row] = [labels[i : i + DAYS_PER_ROW] for i in range(0, len(labels), DAYS_PER_ROW)]
    if waitlist:
        rows.append(_button(locale, "booking-button-waitlist", actions.WAITLIST.pack()))
    if back:
        rows.append(_button(locale, "button-back", actions.OFFICE.pack(office.id)))
    key = "booking-choose-day" if free else "booking-no-days"
    text = texts.text(
        locale, key, service=service.title.get(locale), office=office.name.get(locale)
    )
    return Reply(_with_note(locale, text, note), _nav(locale, *rows))


def times(locale: str, day: date, starts: Sequence[datetime], schedule: Schedule) -> Reply:
    labels = [
        Button(
            f"{s.astimezone(schedule.tz):%H:%M}",
            actions.SLOT.pack(actions.slot_code(s, schedule.tz)),
        )
        for s in starts
    ]
    rows: list[Row] = [labels[i : i + TIMES_PER_ROW] for i in range(0, len(labels), TIMES_PER_ROW)]
    rows.append(_button(locale, "button-back", actions.DAYS.pack()))
    text = texts.text(locale, "booking-choose-time", day=notices.day_label(locale, day))
    return Reply(text, _nav(locale, *rows))


def taken(locale: str, key: str, nearest: Sequence[datetime], schedule: Schedule) -> Reply:
    """The slot went to someone else: the nearest free times, a row each."""
    rows: list[Row] = [
        [
            Button(
                notices.when(locale, s, schedule),
                actions.SLOT.pack(actions.slot_code(s, schedule.tz)),
            )
        ]
        for s in nearest
    ]
    rows.append(_button(locale, "booking-button-other-day", actions.DAYS.pack()))
    text = texts.text(locale, key)
    if not nearest:
        text = f"{text}\n\n{texts.text(locale, 'booking-no-days')}"
    return Reply(text, _nav(locale, *rows))


# ---------------------------------------------------------------- the form


def consent(locale: str, office: Office, retention_days: int) -> Reply:
    text = texts.text(
        locale,
        "booking-consent",
        retention=retention_days,
        pass_regime="yes" if office.pass_regime else "no",
    )
    rows = [
        _button(locale, "booking-consent-yes", actions.CONSENT.pack(actions.Answer.YES)),
        _button(locale, "booking-consent-no", actions.CONSENT.pack(actions.Answer.NO)),
    ]
    return Reply(text, _nav(locale, *rows))


def consent_needed(locale: str, office: Office, *, other_offices: bool) -> Reply:
    """No consent where a pass needs the data: the other ways to be served."""
    rows: list[Row] = []
    if other_offices:
        rows.append(_button(locale, "booking-button-other-office", actions.OFFICES.pack()))
    rows += [_button(locale, "menu-human", go("ticket")), _button(locale, "menu-info", go("info"))]
    text = texts.text(locale, "booking-consent-needed", phone=office.phone)
    return Reply(text, _nav(locale, *rows))


def ask_doc(locale: str, problem: str | None = None) -> Reply:
    rows = [
        _button(locale, f"booking-doc-{kind}", actions.DOC.pack(kind)) for kind in form.DocType
    ]
    return Reply(
        _with_note(locale, texts.text(locale, "booking-ask-doc"), problem), _nav(locale, *rows)
    )


def ask(locale: str, key: str, *, skip: str | None = None, problem: str | None = None) -> Reply:
    """A typed field's question (`key`), with a skip button labelled `skip` if optional, after
    the `problem` with what was typed."""
    rows = [_button(locale, skip, actions.SKIP.pack())] if skip else []
    return Reply(_with_note(locale, texts.text(locale, key), problem), _nav(locale, *rows))


def use_buttons(locale: str) -> Reply:
    return Reply(texts.text(locale, "booking-use-buttons"))


# ---------------------------------------------------------------- the summary


def _slot_line(locale: str, slot: Slot, schedule: Schedule) -> str:
    return texts.text(
        locale,
        "booking-summary-slot",
        office=slot.office.name.get(locale),
        address=slot.office.address.get(locale),
        service=slot.service.title.get(locale),
        when=notices.when(locale, slot.start, schedule),
    )


def _hold_line(locale: str, held_until: datetime | None, now: datetime, schedule: Schedule) -> str:
    if held_until is not None and held_until > now:
        until = f"{held_until.astimezone(schedule.tz):%H:%M}"
        return texts.text(locale, "booking-summary-hold", until=until)
    # A promise already broken is not repeated: confirming re-checks the seat.
    return texts.text(locale, "booking-summary-hold-gone")


def _summary_rows(locale: str, *, restart: bool) -> list[Row]:
    rows: list[Row] = [
        _button(locale, "booking-button-confirm", actions.CONFIRM.pack()),
        _button(locale, "booking-button-other-time", actions.DAYS.pack()),
    ]
    if restart:
        rows.append(_button(locale, "booking-button-restart", actions.RESTART.pack()))
    return rows


def summary(
    locale: str,
    slot: Slot,
    person: dict[str, Any],
    doc: str | None,
    held_until: datetime | None,
    now: datetime,
    schedule: Schedule,
) -> Reply:
    """A new booking before it is confirmed: the slot, who comes (the document masked), the
    contacts and how long the time is held."""
    lines = [_slot_line(locale, slot, schedule)]
    if person.get("surname"):
        full = " ".join(person.get(k, "") for k in ("surname", "name", "patronymic")).strip()
        lines.append(texts.text(locale, "booking-summary-person", name=full))
        lines.append(
            texts.text(
                locale,
                "booking-summary-doc",
                doc=texts.text(locale, f"booking-doc-{doc or 'other'}"),
                number=form.masked(person.get("doc_number", "")),
            )
        )
        if person.get("plate"):
            lines.append(texts.text(locale, "booking-summary-plate", plate=person["plate"]))
    elif slot.office.pass_regime:
        lines.append(texts.text(locale, "booking-summary-no-pass"))
    lines.append(
        texts.text(
            locale,
            "booking-summary-contact",
            phone=person.get("phone") or "—",
            email=person.get("email") or "—",
        )
    )
    lines.append(_hold_line(locale, held_until, now, schedule))
    return Reply("\n".join(lines), _nav(locale, *_summary_rows(locale, restart=True)))


def move_summary(
    locale: str,
    number: int,
    slot: Slot,
    held_until: datetime | None,
    now: datetime,
    schedule: Schedule,
) -> Reply:
    lines = [
        texts.text(locale, "booking-summary-move", number=number),
        _slot_line(locale, slot, schedule),
        _hold_line(locale, held_until, now, schedule),
    ]
    return Reply("\n".join(lines), _nav(locale, *_summary_rows(locale, restart=False)))


# ---------------------------------------------------------------- the waitlist


def waitlist_days(locale: str, full: Sequence[date]) -> Reply:
    rows: list[Row] = [
        _button(
            locale,
            "booking-day",
            actions.WAIT_DAY.pack(actions.day_code(d)),
            day=notices.day_label(locale, d),
        )
        for d in full
    ]
    rows.append(_button(locale, "button-back", actions.DAYS.pack()))
    return Reply(texts.text(locale, "booking-waitlist-choose"), _nav(locale, *rows))


def waitlist_joined(locale: str, day: date) -> Reply:
    text = texts.text(locale, "booking-waitlist-joined", day=notices.day_label(locale, day))
    return Reply(text, buttons(_menu(locale)))


# ---------------------------------------------------------------- an existing booking


def not_yours(locale: str, *, history: bool) -> Reply:
    """A button naming someone else's booking or place in line (or a forged one)."""
    rows = [_button(locale, "menu-history", go("history"))] if history else []
    return Reply(texts.text(locale, "booking-not-yours"), buttons(*rows, _menu(locale)))


def not_active(locale: str, number: int) -> Reply:
    return Reply(texts.text(locale, "booking-not-active", number=number), buttons(_menu(locale)))


def see_you(locale: str, booking: Booking, schedule: Schedule) -> Reply:
    details = notices.details(locale, booking, schedule)
    return Reply(texts.text(locale, "booking-see-you", details=details), buttons(_menu(locale)))


def too_late(locale: str, hours: float, office: Office | None) -> Reply:
    text = texts.text(
        locale, "booking-too-late", hours=hours, phone=office.phone if office else ""
    )
    return Reply(text, buttons(_menu(locale)))


def cancel_ask(locale: str, booking: Booking, schedule: Schedule) -> Reply:
    details = notices.details(locale, booking, schedule)
    rows = (
        _button(locale, "booking-button-cancel-yes", actions.CANCEL_YES.pack(booking.id)),
        _button(locale, "booking-button-keep", go(MENU)),
    )
    return Reply(texts.text(locale, "booking-cancel-ask", details=details), buttons(*rows))


def cancelled(locale: str, number: int) -> Reply:
    rows = (_button(locale, "menu-booking", go(actions.FEATURE)), _menu(locale))
    return Reply(texts.text(locale, "booking-cancelled", number=number), buttons(*rows))


def history_item(locale: str, booking: Booking, schedule: Schedule, now: datetime) -> Reply:
    """One booking in /history; an upcoming one keeps its "move" and "cancel" buttons."""
    text = texts.text(
        locale,
        "booking-history-item",
        status=booking.status,
        details=notices.details(locale, booking, schedule),
    )
    upcoming = booking.status == BOOKED and booking.starts_at > now
    return Reply(text, notices.booking_buttons(locale, booking.id) if upcoming else ())


def forget_hint(locale: str) -> Reply:
    forget = _button(locale, "booking-button-forget", go("forget"))
    return Reply(texts.text(locale, "booking-forget-hint"), buttons(forget))
