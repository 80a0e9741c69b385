"""What tickets look like: pure functions from data to text and `Reply` (the staff card and its
buttons, notes in a ticket's topic, the person's answers and rating offer, deadlines)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.actions import Action
from bot.core.feature import MENU, go
from bot.core.messages import Button, FileRef, Reply
from bot.core.ratings import SCORES
from bot.core.staff import STAFF_LOCALE
from bot.tickets.actions import (
    AS_IS,
    CLOSE,
    DOCS,
    DOCS_CANCEL,
    DOCS_EARLIER,
    DONE,
    EARLIER_HOURS,
    FIX,
    INTERIM,
    NO_ANSWER,
    RATE,
    RATE_ANSWER,
    REPLY,
    SEE,
    SEND_DRAFT,
    TAKE,
    TEMPLATES,
    TRANSFER,
    TRANSFER_TO,
    TRANSFER_WHY,
    Reason,
)
from bot.tickets.models import Ticket, TicketMessage
from bot.tickets.ports import Draft, Visit
from bot.tickets.relay import SOURCE_CHANNEL
from bot.tickets.wording import Finding

TRANSFER_MENU_SIZE = 10


def when(locale: str, due: datetime, now: datetime, tz: ZoneInfo) -> str:
    """ "до 14:30", with the date when it is not today in the office's zone."""
    local = due.astimezone(tz)
    hhmm = local.strftime("%H:%M")
    if local.date() == now.astimezone(tz).date():
        return texts.text(locale, "ticket-when-today", time=hhmm)
    return texts.text(locale, "ticket-when-date", time=hhmm, date=local.strftime("%d.%m.%Y"))


def when_weekday(locale: str, due: datetime, now: datetime, tz: ZoneInfo) -> str:
    """ "до 11:00 понедельника" when `due` is within the coming week, else as `when`."""
    local = due.astimezone(tz)
    days = (local.date() - now.astimezone(tz).date()).days
    if not 0 < days < 7:
        return when(locale, due, now, tz)
    return texts.text(
        locale, "ticket-when-weekday", time=local.strftime("%H:%M"), weekday=local.weekday()
    )


def duration(locale: str, span: timedelta) -> str:
    minutes = max(int(span.total_seconds() // 60), 0)
    return texts.text(locale, "ticket-duration", hours=minutes // 60, minutes=minutes % 60)


def left(due: datetime, now: datetime) -> str:
    """Time left until `due`, or how late it is, for staff."""
    if due >= now:
        return duration(STAFF_LOCALE, due - now)
    return staff_text("staff-overdue", late=duration(STAFF_LOCALE, now - due))


def kind_label(locale: str, kind: str) -> str:
    return texts.text(locale, f"ticket-kind-{kind}")


def topic_name(number: int, kind: str) -> str:
    """The name of a ticket's forum topic in the staff chat."""
    return f"№{number} · {kind_label(STAFF_LOCALE, kind)}"


# --- to staff --------------------------------------------------------------------------------


def staff_text(key: str, **args: object) -> str:
    """A catalog text for staff (who read Russian): a note, a notice on a pressed button."""
    return texts.text(STAFF_LOCALE, key, **args)


def staff_note(key: str, number: int, **args: object) -> Reply:
    """A line about ticket `number` for its thread."""
    return Reply(staff_text(key, number=number, **args))


@dataclass(frozen=True)
class PersonHistory:
    """What staff should know of the person before answering: how many tickets they sent
    before, the latest of them, and their latest bookings (each newest first)."""

    earlier: int
    tickets: Sequence[Ticket]
    visits: Sequence[Visit]


def staff_card(
    number: int,
    kind: str,
    source: str,
    channel: str,
    due: datetime,
    text: str,
    history: PersonHistory,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """The new ticket as staff first see it, with the buttons to work on it and to open the
    person's earlier tickets."""
    body = staff_text(
        "staff-card",
        number=number,
        kind=kind_label(STAFF_LOCALE, kind),
        due=when(STAFF_LOCALE, due, now, tz),
        left=left(due, now),
        channel=staff_text(f"staff-source-{source}", channel=channel),
        history=_history(history, tz),
        text=text or "—",
    )

    def button(key: str, packed: str) -> Button:
        return Button(staff_text(key), packed)

    rows = (
        (
            button("staff-button-take", TAKE.pack(number)),
            button("staff-button-transfer", TRANSFER.pack(number)),
        ),
        (
            button("staff-button-template", TEMPLATES.pack(number)),
            button("staff-button-close", CLOSE.pack(number)),
        ),
        (
            button("staff-button-interim", INTERIM.pack(number)),
            button("staff-button-docs", DOCS.pack(number)),
        ),
    )
    if source in SOURCE_CHANNEL:  # a comment opened by mistake: for moderators to close
        rows = (*rows, (button("staff-button-no-answer", NO_ANSWER.pack(number)),))
    earlier = tuple(
        Button(staff_text("staff-button-earlier", number=old.id), SEE.pack(number, old.id))
        for old in history.tickets
    )
    return Reply(body, (*rows, earlier) if earlier else rows)


def _history(history: PersonHistory, tz: ZoneInfo) -> str:
    lines = [
        staff_text("staff-card-tickets", count=history.earlier)
        if history.earlier
        else staff_text("staff-card-tickets-none")
    ]
    lines += [ticket_line(old, tz) for old in history.tickets]
    lines.append(staff_text("staff-card-visits" if history.visits else "staff-card-visits-none"))
    lines += [
        staff_text(
            "staff-card-visit",
            when=visit.starts_at.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
            service=visit.service,
            status=visit.status,
        )
        for visit in history.visits
    ]
    return "\n".join(lines)


def ticket_line(ticket: Ticket, tz: ZoneInfo) -> str:
    """ "№3 от 01.11.2026 · Жалоба · закрыто", for staff."""
    return staff_text(
        "staff-card-ticket",
        number=ticket.id,
        date=ticket.created_at.astimezone(tz).strftime("%d.%m.%Y"),
        kind=kind_label(STAFF_LOCALE, ticket.kind),
        status=ticket.status,
    )


def earlier_ticket(ticket: Ticket, messages: Sequence[TicketMessage], tz: ZoneInfo) -> Reply:
    """An earlier ticket of the person, opened from a card: its line and its messages (a
    message with neither text nor files was erased, see retention.py)."""
    lines = [ticket_line(ticket, tz)]
    for message in messages:
        at = message.at.astimezone(tz).strftime("%d.%m.%Y %H:%M")
        files = f" [{len(message.files)} 📎]" if message.files else ""
        text = (message.text + files).strip() or staff_text("staff-earlier-erased")
        key = "staff-earlier-staff" if message.author == "staff" else "staff-earlier-person"
        lines.append(staff_text(key, at=at, name=message.staff_name or "—", text=text))
    return Reply("\n\n".join(lines))


def files_note(files: Sequence[FileRef]) -> list[Reply]:
    """The person's files, sent by reference after the text they came with."""
    return [Reply("", files=tuple(files))] if files else []


def person_says(text: str, files: Sequence[FileRef]) -> Reply:
    body = staff_text("staff-person-says", text=text or "—")
    return Reply(body, files=tuple(files))


def transfer_pick(number: int, colleagues: Sequence[tuple[int, str]]) -> Reply:
    """Whom to hand the ticket to: (staff row id, name) of the first few colleagues."""
    rows = tuple(
        (Button(name, TRANSFER_TO.pack(number, member_id)),)
        for member_id, name in colleagues[:TRANSFER_MENU_SIZE]
    )
    return Reply(staff_text("staff-transfer-pick"), rows)


def reason_label(reason: Reason) -> str:
    return staff_text(f"staff-reason-{reason}")


def transfer_why(number: int, member_id: int) -> Reply:
    rows = tuple(
        (
            Button(
                reason_label(reason),
                TRANSFER_WHY.pack(number, member_id, reason),
            ),
        )
        for reason in Reason
    )
    return Reply(staff_text("staff-transfer-why"), rows)


def drafts(number: int, found: Sequence[Draft]) -> list[Reply]:
    """Knowledge-base answers offered as drafts, each with a button to send it as it is."""
    return [
        Reply(
            staff_text("staff-draft", title=draft.title, text=draft.text),
            (
                (
                    Button(
                        staff_text("staff-button-send-draft"),
                        SEND_DRAFT.pack(number, draft.id),
                    ),
                ),
            ),
        )
        for draft in found
    ]


def wording_warning(number: int, held_id: int, findings: Sequence[Finding]) -> Reply:
    """What the communication rules would have the author look at again, before the answer
    goes; the buttons send it as it is or drop it for a fix."""
    rows = (
        (
            Button(staff_text("staff-button-as-is"), AS_IS.pack(number, held_id)),
            Button(staff_text("staff-button-fix"), FIX.pack(number, held_id)),
        ),
    )
    return Reply(staff_text("staff-wording", findings=wording_findings(findings)), rows)


def wording_findings(findings: Sequence[Finding]) -> str:
    """The findings, one line each (the staff chat's warning, the command line's)."""
    return "\n".join(
        staff_text(
            f"staff-wording-{finding.rule}",
            quote=finding.quote,
            hint=finding.hint,
            words=finding.words,
        )
        for finding in findings
    )


def assigned_you(number: int, kind: str, due: datetime, now: datetime, tz: ZoneInfo) -> Reply:
    """To the colleague a ticket was handed to, personally."""
    due_text = when(STAFF_LOCALE, due, now, tz)
    return staff_note(
        "staff-assigned-you", number, kind=kind_label(STAFF_LOCALE, kind), due=due_text
    )


def docs_ask(number: int, due: datetime, now: datetime, tz: ZoneInfo) -> Reply:
    """After "Не хватает документов": what to write, by when, when the problem was found if
    before the press (the 24 hours run from then), and a way back."""
    text = staff_text("staff-docs-ask", number=number, due=when(STAFF_LOCALE, due, now, tz))
    earlier = tuple(
        Button(staff_text("staff-button-docs-earlier", hours=h), DOCS_EARLIER.pack(number, h))
        for h in EARLIER_HOURS
    )
    cancel = Button(staff_text("staff-button-docs-cancel"), DOCS_CANCEL.pack(number))
    return Reply(text, (earlier, (cancel,)))


def reminder(number: int, deadline: datetime, at: datetime) -> Reply:
    return staff_note("staff-reminder", number, left=left(deadline, at))


# --- to the person ---------------------------------------------------------------------------


def file_note(locale: str, ref: FileRef) -> str:
    """Said instead of a staff member's file that cannot reach the person."""
    return texts.text(locale, "ticket-file-note", name=ref.name or ref.kind)


def public_answer(locale: str, text: str, files: Sequence[FileRef]) -> Reply:
    """A reply under a comment or post: plain text; files cannot go there."""
    notes = [file_note(locale, ref) for ref in files]
    return Reply("\n\n".join([text, *notes]) if text else "\n\n".join(notes))


def answer(locale: str, key: str, number: int, text: str, **args: object) -> Reply:
    """A staff answer (interim or final) with the buttons to reply or close."""
    body = texts.text(locale, key, number=number, text=text or "—", **args)
    rows = (
        (
            Button(texts.text(locale, "ticket-button-reply"), REPLY.pack(number)),
            Button(texts.text(locale, "ticket-button-done"), DONE.pack(number)),
        ),
    )
    return Reply(body, rows)


def answer_rating(locale: str, number: int, *, public: bool) -> Reply:
    """The 1–5 once a staff answer reached the person; for a public comment's answer, sent to
    its author in private."""
    key = "ticket-rate-comment" if public else "ticket-rate-answer"
    return Reply(texts.text(locale, key, number=number), (_scores(RATE_ANSWER, number),))


def closed(locale: str, key: str, number: int, hours: int, *, rate: bool) -> Reply:
    """The ticket closed, with the 1–5 unless its answer was rated already."""
    text = texts.text(locale, key, number=number, hours=hours)
    if not rate:
        return Reply(text, ((Button(texts.text(locale, "button-menu"), go(MENU)),),))
    return Reply(f"{text}\n{texts.text(locale, 'ticket-rate-ask')}", (_scores(RATE, number),))


def _scores(action: Action, number: int) -> tuple[Button, ...]:
    return tuple(Button(str(score), action.pack(number, score)) for score in SCORES)
