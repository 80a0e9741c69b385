"""Tables of the escalation desk: tickets, their messages, the transfer audit trail, and
rating comments kept with no link to a ticket or a person."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.core import clock
from bot.core.models import Base

# Far above what one message can hold (4,096): a guard against runaway input, said when hit.
TEXT_LIMIT = 20_000


class Ticket(Base):
    """One request to staff; its id is the number the person sees ("Обращение №N")."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_person", "person_id", "created_at"),
        Index("ix_tickets_topic", "topic_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    # open: waits for staff; answered: waits for the person; closed.
    status: Mapped[str] = mapped_column(String(16), default="open")
    # Where the reply goes: "chat" (private messages) or "vk_wall" (under the comment or post).
    source: Mapped[str] = mapped_column(String(16), default="chat")
    # For public sources, where to reply: {"to": an outbox address, see relay.py}.
    source_ref: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    first_due: Mapped[datetime] = mapped_column()
    first_reply_at: Mapped[datetime | None] = mapped_column(default=None)
    interim_at: Mapped[datetime | None] = mapped_column(default=None)
    final_due: Mapped[datetime | None] = mapped_column(default=None)
    final_at: Mapped[datetime | None] = mapped_column(default=None)
    breached_at: Mapped[datetime | None] = mapped_column(default=None)
    breaches: Mapped[int] = mapped_column(Integer, default=0)
    # The next staff message is an interim reply (set by the "Промежуточный ответ" button).
    interim_next: Mapped[bool] = mapped_column(default=False)
    assignee_id: Mapped[str | None] = mapped_column(String(64), default=None)
    assignee_name: Mapped[str | None] = mapped_column(String(100), default=None)
    escalated: Mapped[bool] = mapped_column(default=False)  # with the supervisors
    # Grows with every staff answer: an auto-close timer acts only on the answer it was set for.
    answer_seq: Mapped[int] = mapped_column(Integer, default=0)
    topic_id: Mapped[int | None] = mapped_column(default=None)  # Telegram forum thread
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_by: Mapped[str | None] = mapped_column(String(16), default=None)
    # none -> asked (after an answer) or offered (at closing) -> done; see ratings.py. The
    # score itself is stored apart, without the ticket.
    rating: Mapped[str] = mapped_column(String(8), default="none")


class TicketMessage(Base):
    """What the person and staff wrote: the person's own request, shown to them in /history."""

    __tablename__ = "ticket_messages"
    __table_args__ = (Index("ix_ticket_messages_ticket", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(8))  # person | staff
    staff_name: Mapped[str | None] = mapped_column(String(100), default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    files: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[kind, file_id, name], ...]
    interim: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=clock.now)


class HeldReply(Base):
    """A staff answer the communication rules' check held back (wording.py): it waits for its
    author's "Отправить как есть" or "Исправить", and goes when its ticket's texts go."""

    __tablename__ = "held_replies"
    __table_args__ = (Index("ix_held_replies_ticket", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    # Who wrote it, as staff_of finds them again when it is sent.
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    files: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[kind, file_id, name], ...]
    at: Mapped[datetime] = mapped_column(default=clock.now)


class TicketTransfer(Base):
    """Audit trail of transfers: who passed the ticket to whom, why, and what happened."""

    __tablename__ = "ticket_transfers"
    __table_args__ = (Index("ix_ticket_transfers_ticket", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    from_name: Mapped[str] = mapped_column(String(100))
    to_name: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(32))
    # moved: done; refused: over the cap, the ticket went to the supervisors instead.
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=clock.now)


class RatingComment(Base):
    """A rating's optional comment, scrubbed of personal data; like the score, it holds no
    ticket, no person and only the date."""

    __tablename__ = "rating_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    rated_on: Mapped[date] = mapped_column(Date)


class SkippedComment(Base):
    """A public comment set aside as needing no answer (thanks, emoji, spam: see
    public/triage.py), kept a while so that a moderator can still make it a ticket."""

    __tablename__ = "skipped_comments"
    __table_args__ = (Index("ix_skipped_comments_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # comment | mention
    source: Mapped[str] = mapped_column(String(16))  # vk_wall | tg_group
    reply_to: Mapped[str] = mapped_column(String(64))  # the outbox address (relay.py)
    text: Mapped[str] = mapped_column(Text, default="")  # masked like a ticket's
    reason: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=clock.now)
    # The ticket a moderator made of it.
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), default=None
    )
