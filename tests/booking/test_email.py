"""The e-mail confirmation goes through the outbox to a real SMTP server on 127.0.0.1."""

import email
import email.policy
import socket
from email.message import Message

from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select

from bot.app import App, create_app
from bot.booking.email import EmailSender
from bot.booking.models import Booking
from bot.core.config import Settings
from bot.core.models import OutboxMessage
from bot.core.outbox import OutboxWorker
from tests.booking.conftest import book, booked, confirmation
from tests.support.client import Person


class Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"


async def test_confirmation_by_email(settings: Settings) -> None:
    sink = Sink()
    with socket.socket() as probe:  # a free port: aiosmtpd checks its own by connecting
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings = settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_starttls": False,
            "smtp_from": "priemnaya@ensk.example",
        }
    )
    app = await create_app(settings)
    try:
        chat = Person(app)
        await book(chat, email="anna.ivanova@mail.ru")
        worker = OutboxWorker(app.sessions, {"email": EmailSender(app.sessions, settings)})
        assert await worker.run_once() == 1
        assert await worker.run_once() == 0  # sent once
        async with app.sessions() as session:
            booking = await session.scalar(select(Booking))
    finally:
        await app.close()
        controller.stop()
    [(recipients, message)] = sink.messages
    assert recipients == ["anna.ivanova@mail.ru"]
    # The confirmation the person saw, its first line the subject, its calendar file attached.
    expected = confirmation(chat, app.booking.schedule, booking)
    assert message["Subject"] == expected.splitlines()[0]
    parts = {part.get_content_type(): part for part in message.walk()}
    body = parts["text/plain"].get_payload(decode=True).decode()
    assert body.replace("\r\n", "\n").rstrip("\n") == expected
    calendar = Calendar.from_ical(parts["text/calendar"].get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == booking.starts_at
    office = app.booking.schedule.office("transport")
    assert str(event["location"]) == office.address.get(chat.locale)


async def test_no_smtp_host_no_email(app: App, chat: Person) -> None:
    done = await book(chat, email="anna.ivanova@mail.ru")
    booking = await booked(app)
    assert done.text == confirmation(chat, app.booking.schedule, booking)
    assert app.booking.vault.open(booking.personal)["email"] == "anna.ivanova@mail.ru"
    async with app.sessions() as session:
        assert (await session.scalars(select(OutboxMessage.channel))).all() == []
