"""What the tickets feature needs from other features, as small ports the assembly
(bot/app.py) fills in: tickets import neither the knowledge base nor booking. (The rating
port is the core's: bot.core.ratings.)"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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


@dataclass(frozen=True)
class Visit:
    """One of the person's bookings as the staff's ticket card lists it: when, the service's
    title, and its status (booked, arrived, served, no_show or cancelled)."""

    starts_at: datetime
    service: str
    status: str


class PersonBookings(Protocol):
    async def __call__(self, session: AsyncSession, person_id: int, limit: int) -> Sequence[Visit]:
        """The person's latest bookings, newest first (shown to staff on the ticket card)."""
        ...
