"""Anonymous stage ratings: a score for one step of a service, with no link to the person.

The row holds no person id and only the date (no time), so it cannot be joined with the
interaction log by timestamp; that is what "maximum possible anonymity" asks of a rating.
"""

from datetime import date

from sqlalchemy import CheckConstraint, Date, Index, SmallInteger, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.models import Base
from bot.core.ratings import MAX_SCORE, MIN_SCORE


class StageRating(Base):
    __tablename__ = "stage_ratings"
    __table_args__ = (
        CheckConstraint(f"score BETWEEN {MIN_SCORE} AND {MAX_SCORE}", name="ck_stage_score"),
        Index("ix_stage_ratings_stage", "service", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(SmallInteger)
    rated_on: Mapped[date] = mapped_column(Date)


async def record_rating(
    session: AsyncSession, service: str, stage: str, score: int, on: date
) -> None:
    """Store one score for the office's day `on`; no time is kept."""
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"score must be {MIN_SCORE}..{MAX_SCORE}")
    session.add(StageRating(service=service, stage=stage, score=score, rated_on=on))
