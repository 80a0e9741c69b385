"""Stage ratings as every feature sees them: the one 1–5 scale, and the port a score is
recorded through. The surveys feature keeps the scores (anonymously); the assembly hands its
recorder to the features that ask for a rating."""

from datetime import date
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import StaleAction, integer

MIN_SCORE = 1
MAX_SCORE = 5
SCORES = range(MIN_SCORE, MAX_SCORE + 1)


class RecordRating(Protocol):
    async def __call__(
        self, session: AsyncSession, service: str, stage: str, score: int, on: date
    ) -> None: ...


def score(value: str) -> int:
    """A score from a rating button (an action field); StaleAction for anything else."""
    rating = integer(value)
    if rating not in SCORES:
        raise StaleAction(value)
    return rating
