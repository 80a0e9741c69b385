"""Stage ratings as every feature sees them: the one 1–5 scale, and the port a score is
recorded through. The surveys feature keeps the scores (anonymously); the assembly hands its
recorder to the features that ask for a rating."""

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import StaleAction, integer

MIN_SCORE = 1
MAX_SCORE = 5
SCORES = range(MIN_SCORE, MAX_SCORE + 1)


@dataclass(frozen=True)
class Rating:
    """One score at one stage of the client's journey, with what it is about and where it was
    given; nothing about who gave it."""

    service: str  # the office's service id, or a feature's own ("tickets", "faq")
    touchpoint: str  # where: "messenger", "public_comment", ...
    channel: str  # telegram, vk, console
    stage: str  # e.g. "faq.answer", "booking.made", "visit", "ticket.answered"
    score: int
    on: date  # the office's day; never a time


class RecordRating(Protocol):
    async def __call__(self, session: AsyncSession, rating: Rating) -> None: ...


def score(value: str) -> int:
    """A score from a rating button (an action field); StaleAction for anything else."""
    rating = integer(value)
    if rating not in SCORES:
        raise StaleAction(value)
    return rating
