"""The published versions of the register and its change log."""

from datetime import date
from typing import Any

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.models import Base

KEY_LIMIT = 80  # "process/touchpoint", two keys of at most 32
NAME_LIMIT = 500


class RegisterVersion(Base):
    """A published register: what the next one is compared with."""

    __tablename__ = "touchpoint_registers"

    id: Mapped[int] = mapped_column(primary_key=True)
    published_on: Mapped[date] = mapped_column(Date)
    # {key: {"process", "touchpoint", "kind", "needs"}}: what a change is detected in.
    rows: Mapped[dict[str, Any]] = mapped_column()


class RegisterChange(Base):
    """A reason to publish an updated register: a touchpoint added or removed, its kind or
    its needs changed. Found when first seen, due 10 working days later, dated when
    published."""

    __tablename__ = "touchpoint_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LIMIT))
    process: Mapped[str] = mapped_column(String(NAME_LIMIT))
    touchpoint: Mapped[str] = mapped_column(String(NAME_LIMIT))
    reason: Mapped[str] = mapped_column(String(16))
    before: Mapped[str | None] = mapped_column(String(NAME_LIMIT), default=None)
    after: Mapped[str | None] = mapped_column(String(NAME_LIMIT), default=None)
    found_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date, default=None)
