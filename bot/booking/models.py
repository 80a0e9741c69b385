"""Booking tables. A seat of a slot is (office, service, start, seat number 1..capacity); the
unique constraint on it is what keeps two people out of one seat, whatever the code does."""

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.core import clock
from bot.core.models import Base

# Booking.status values. A hold and a booking are one row: confirming a hold keeps its seat.
HELD = "held"
BOOKED = "booked"
ARRIVED = "arrived"  # checked in at the desk
SERVED = "served"  # called in by the official
NO_SHOW = "no_show"
CANCELLED = "cancelled"
# Statuses of a real appointment (what /history, the pass list and /today show).
ACTIVE = (BOOKED, ARRIVED, SERVED, NO_SHOW)


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        # NULL seats (cancelled rows) never collide, on SQLite and PostgreSQL alike.
        UniqueConstraint("office", "service", "starts_at", "seat", name="uq_booking_seat"),
        Index("ix_bookings_person", "person_id", "status"),
        Index("ix_bookings_slot", "office", "service", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    office: Mapped[str] = mapped_column(String(32))
    service: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    seat: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(16), default=HELD)
    held_until: Mapped[datetime | None] = mapped_column(default=None)
    # Names, document, plate, phone, e-mail: one Fernet token (see crypto.py); None once erased.
    personal: Mapped[str | None] = mapped_column(Text, default=None)
    doc_type: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    booked_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    arrived_at: Mapped[datetime | None] = mapped_column(default=None)
    served_at: Mapped[datetime | None] = mapped_column(default=None)


class WaitlistEntry(Base):
    """A person waiting for a seat on a full day; the first one hears of a cancellation."""

    __tablename__ = "booking_waitlist"
    __table_args__ = (UniqueConstraint("person_id", "office", "service", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    office: Mapped[str] = mapped_column(String(32))
    service: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    notified_at: Mapped[datetime | None] = mapped_column(default=None)
