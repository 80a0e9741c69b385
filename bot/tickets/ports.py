"""What the tickets feature needs from other features, as small ports the assembly
(bot/app.py) fills in: tickets import neither the knowledge base, nor booking, nor surveys."""

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Draft:
    """A ready answer staff may send as it is (a knowledge-base entry, in Russian)."""

    id: str
    title: str
    text: str


class Drafts(Protocol):
    async def search(self, session: AsyncSession, question: str, limit: int) -> list[Draft]:
        """The answers closest to the person's question, best first."""
        ...

    async def get(self, session: AsyncSession, draft_id: str) -> Draft | None: ...


class ActiveBookings(Protocol):
    async def __call__(self, session: AsyncSession, person_id: int) -> int:
        """How many visits the person has booked (shown to staff on the ticket card)."""
        ...


class RecordRating(Protocol):
    async def __call__(
        self, session: AsyncSession, service: str, stage: str, score: int, on: date
    ) -> None:
        """Store an anonymous score for the office's day `on`."""
        ...
