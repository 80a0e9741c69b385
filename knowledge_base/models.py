"""Database tables of the live knowledge base that moderators edit."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core import clock
from bot.core.models import Base


class KBEntry(Base):
    """The current version of one answer template; `data` is the entry as plain JSON."""

    __tablename__ = "kb_entries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_by: Mapped[str] = mapped_column(String(100))


class KBVersion(Base):
    """Every version ever published, with who and when: the history and the rollback source."""

    __tablename__ = "kb_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("kb_entries.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column()
    change: Mapped[str] = mapped_column(String(32))
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(default=clock.now)


class KBGap(Base):
    """A question the base could not answer, or whose answer got "no". Scrubbed of numbers
    and addresses, with a date but no time and no person, so it cannot be traced back."""

    __tablename__ = "kb_gaps"
    __table_args__ = (Index("ix_kb_gaps_key", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(200))  # lower-cased words, for grouping repeats
    outcome: Mapped[str] = mapped_column(String(16))  # none | suggest | unhelpful
    entry_id: Mapped[str | None] = mapped_column(String(64), default=None)
    asked_on: Mapped[date] = mapped_column(Date)
