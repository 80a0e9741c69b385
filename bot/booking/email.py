"""E-mail as an outbox channel: booking confirmations go to the address the person gave.

The outbox row names the booking ("booking:<id>"), not the address: the address stays
sealed in the booking and is opened only to send, so a purge or "delete my data" before
delivery also stops the e-mail."""

from email.message import EmailMessage

import aiosmtplib

from bot.booking.crypto import Vault
from bot.booking.models import Booking
from bot.core.actions import StaleAction, integer
from bot.core.config import Settings
from bot.core.db import SessionFactory
from bot.core.messages import Reply
from bot.core.outbox import DeliveryError, Progress

TIMEOUT_S = 30


class EmailSender:
    def __init__(self, sessions: SessionFactory, settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings
        self.vault = Vault(settings.secret())

    async def _address(self, chat_id: str) -> str:
        kind, _, ref = chat_id.partition(":")
        booking = None
        try:
            number = integer(ref) if kind == "booking" else None
        except StaleAction:
            number = None
        if number is not None:
            async with self.sessions() as session:
                booking = await session.get(Booking, number)
        address = self.vault.open(booking.personal if booking else None).get("email")
        if not address:
            raise DeliveryError("no e-mail address (erased or never given)", permanent=True)
        return str(address)

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = await self._address(chat_id)
        message["Subject"] = reply.text.splitlines()[0][:120]
        message.set_content(reply.text)
        if reply.attachment is not None:
            maintype, _, subtype = reply.attachment.mime_type.partition("/")
            message.add_attachment(
                reply.attachment.content,
                maintype=maintype,
                subtype=subtype or "octet-stream",
                filename=reply.attachment.filename,
            )
        settings = self.settings
        try:
            await aiosmtplib.send(
                message,
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username,
                password=settings.smtp_password.get_secret_value()
                if settings.smtp_password
                else None,
                start_tls=settings.smtp_starttls,
                timeout=TIMEOUT_S,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError("recipient refused", permanent=True) from exc
        except aiosmtplib.SMTPResponseException as exc:
            # 5xx is a final "no"; 4xx and everything else may pass on a later try.
            permanent = 500 <= exc.code < 600
            raise DeliveryError(f"smtp {exc.code}", permanent=permanent) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"temporary: {type(exc).__name__}") from exc
