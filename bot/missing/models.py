"""One row per problem staff found: when, by whom, about which ticket or visit, and when the
notice was written and reached the person. The notice's text is not kept here: on a ticket it
is a staff message of the ticket (erased with the ticket's texts), on a visit it lives only in
the outbox until sent, like the bot's other notices."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.models import Base


class MissingNotice(Base):
    __tablename__ = "missing_notices"
    __table_args__ = (
        Index("ix_missing_notices_ref", "origin", "ref"),
        Index("ix_missing_notices_found", "found_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(8))  # bot.core.missing.TICKET or VISIT
    ref: Mapped[int] = mapped_column()  # the ticket's number or the booking's id
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    # The employee: their audit name, and for a visit the chat they work in (/today).
    staff_name: Mapped[str] = mapped_column(String(100))
    staff_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None
    )
    # On a ticket, who pressed the button ("channel:id" in the staff chat): only their next
    # message in the thread is the notice, not a colleague's remark.
    author: Mapped[str | None] = mapped_column(String(140), default=None)
    found_at: Mapped[datetime] = mapped_column()
    due_at: Mapped[datetime] = mapped_column()  # found_at + 24 h
    written_at: Mapped[datetime | None] = mapped_column(default=None)  # queued for the person
    sent_at: Mapped[datetime | None] = mapped_column(default=None)  # reached them
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
