"""Stage ratings as every feature sees them: the one 1–5 scale, the stages of the client's
journey and the touchpoints a score is tagged with, and the two ports: one records a score a
feature took itself, the other gives a row of buttons that records one score when pressed.
The surveys feature keeps the scores (anonymously); the assembly hands its ports to the
features that ask for a rating."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import StaleAction, integer
from bot.core.messages import Button

MIN_SCORE = 1
MAX_SCORE = 5
SCORES = range(MIN_SCORE, MAX_SCORE + 1)


class Stage(StrEnum):
    """Where along the client's journey a score is given, in the journey's order: learning
    how to get a service, asking, being answered by staff, booking, the visit itself."""

    SCENARIO = "scenario"  # a step of a service route: stored as "scenario.<route>.<step>"
    FAQ_ANSWER = "faq.answer"  # the 1–5 after a knowledge-base answer
    FAQ_HELPFUL = "faq.helpful"  # its "Помог ли ответ?": yes is kept as 5, no as 1
    TICKET_ANSWERED = "ticket.answered"  # a staff answer, rated under it
    TICKET_CLOSED = "ticket.closed"  # a ticket closed before its answer was rated
    BOOKING_MADE = "booking.made"  # how easy booking was
    VISIT = "visit"  # the visit, once staff marked the person "принят"
    APPLICATION = "application"  # a stage of an application: "application.<stage>"

    @classmethod
    def of(cls, stored: str) -> "Stage | None":
        """The stage a stored value belongs to ("scenario.permit.docs" is SCENARIO), for
        listing ratings in the journey's order; None for one this version does not know."""
        nested = (cls.SCENARIO, cls.APPLICATION)  # stored with what was rated after a dot
        head = next((prefix for prefix in nested if stored.startswith(f"{prefix}.")), stored)
        try:
            return cls(head)
        except ValueError:
            return None


def scenario_stage(route: str, step: str) -> str:
    return f"{Stage.SCENARIO}.{route}.{step}"


def application_stage(stage: str) -> str:
    """An application's stage just finished (applications/stages.yaml's id)."""
    return f"{Stage.APPLICATION}.{stage}"


class Touchpoint(StrEnum):
    """Where the rated contact happened (the messenger itself is Rating.channel)."""

    MESSENGER = "messenger"  # the bot's private chat
    PUBLIC_COMMENT = "public_comment"  # a comment or mention answered in public
    OFFICE = "office"  # in person


@dataclass(frozen=True)
class Rating:
    """One score at one stage of the client's journey, with what it is about and where it was
    given; nothing about who gave it."""

    service: str  # the office's service id, or a feature's own ("tickets", "faq")
    touchpoint: str  # a Touchpoint
    channel: str  # telegram, vk, console
    stage: str  # a Stage (or scenario_stage)
    score: int
    on: date  # the office's day; never a time


@dataclass(frozen=True)
class RatingTags:
    """What a score will be about, fixed when the rating is asked for."""

    service: str
    touchpoint: str
    channel: str
    stage: str

    def rating(self, score: int, on: date) -> Rating:
        return Rating(self.service, self.touchpoint, self.channel, self.stage, score, on)


class RecordRating(Protocol):
    async def __call__(self, session: AsyncSession, rating: Rating) -> None: ...


class OfferRating(Protocol):
    async def __call__(
        self, session: AsyncSession, tags: RatingTags, on: date
    ) -> tuple[Button, ...]:
        """A row of 1–5 buttons for any message (a reply or a queued one), asked on the
        office's day `on`: the first press records one score with `tags`; a second press, or
        a forged one, is a stale button."""
        ...


def score(value: str) -> int:
    """A score from a rating button (an action field); StaleAction for anything else."""
    rating = integer(value)
    if rating not in SCORES:
        raise StaleAction(value)
    return rating
