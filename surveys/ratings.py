"""Anonymous stage ratings: a score for one stage of a service, with no link to the person.

The row (surveys.models.StageRating) holds no person id, a random id and only the date (no
time), so it cannot be joined with the interaction log by order or timestamp.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.ratings import SCORES, Rating
from surveys.models import StageRating


async def record_rating(session: AsyncSession, rating: Rating) -> None:
    """Store one score for the office's day; no time is kept."""
    if rating.score not in SCORES:
        raise ValueError(f"score must be in {SCORES}")
    session.add(
        StageRating(
            service=rating.service,
            touchpoint=rating.touchpoint,
            channel=rating.channel,
            stage=rating.stage,
            score=rating.score,
            rated_on=rating.on,
        )
    )
