"""What taking a survey needs to know about a person from other features, as small ports the
assembly (bot/app.py) fills in from bookings, tickets and scenario walks: surveys import none
of them. Also who a survey is for, given those facts."""

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from surveys.questionnaire import Audience, Survey

ALL_SERVICES = "all"  # a survey's service that stands for every service


@dataclass(frozen=True)
class Facts:
    """What a survey's audience is chosen by, for one person."""

    visited: frozenset[str] = frozenset()  # services of their visits marked "принят"
    ticket_closed: bool = False  # a ticket of theirs was closed
    finished: frozenset[str] = frozenset()  # services whose scenario they walked to the end


class PersonFacts(Protocol):
    async def __call__(self, session: AsyncSession, person_id: int) -> Facts: ...


class TypedNames(Protocol):
    async def __call__(self, session: AsyncSession, person_id: int) -> list[str]:
        """The names the person typed into forms (a booking's surname, name, patronymic), to
        take out of their free-text answers."""
        ...


def reaches(survey: Survey, facts: Facts) -> bool:
    """Whether the survey is for this person; a visit or a scenario counts only for the
    survey's own service (any, for a survey of every service)."""

    def had(services: frozenset[str]) -> bool:
        return bool(services) if survey.service == ALL_SERVICES else survey.service in services

    if survey.audience == Audience.VISITED:
        return had(facts.visited)
    if survey.audience == Audience.SCENARIO_FINISHED:
        return had(facts.finished)
    if survey.audience == Audience.TICKET_CLOSED:
        return facts.ticket_closed
    return True
