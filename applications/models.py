"""An application as the office's own system knows it, mirrored here so the person can follow
it: the office's number, the service, the stage and when each stage was reached. The check
code is kept only as a keyed hash (codes.py); the person is linked once they give it."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.core import clock
from bot.core.models import Base

NUMBER_LIMIT = 32
NOTE_LIMIT = 500
SERVICE_LIMIT = 32


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Normalised (codes.number): the office's own number, unique.
    number: Mapped[str] = mapped_column(String(NUMBER_LIMIT), unique=True)
    service: Mapped[str] = mapped_column(String(SERVICE_LIMIT))
    stage: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(64))
    # Wrong codes given for this number since its code was set; at the limit it is refused.
    failed: Mapped[int] = mapped_column(Integer, default=0)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class ApplicationStep(Base):
    """One stage reached: when, by whom (staff name, "CSV", "CLI") and the note the person
    was sent with it (what is missing; a refusal's reason and the other way)."""

    __tablename__ = "application_steps"
    __table_args__ = (Index("ix_application_steps_app", "application_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(NOTE_LIMIT), default=None)
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=clock.now)


class LinkFailure(Base):
    """A wrong number or code from a person: a few a day, so codes cannot be guessed."""

    __tablename__ = "application_link_failures"
    __table_args__ = (Index("ix_application_link_failures", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=clock.now)
