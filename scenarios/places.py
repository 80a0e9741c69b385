"""Where a person stopped in a route, kept after they leave for the menu or another section.

The conversation row is reset whenever a person opens another section, so the place to
resume from needs a row of its own. It holds ids and a step number only, and goes with the
person (ON DELETE CASCADE).
"""

from dataclasses import dataclass

from sqlalchemy import ForeignKey, Integer, String, delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.models import Base


class ScenarioPlace(Base):
    __tablename__ = "scenario_places"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    service: Mapped[str] = mapped_column(String(16))
    route: Mapped[str] = mapped_column(String(16))
    step: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class Place:
    service: str
    route: str
    step: int


async def saved_place(session: AsyncSession, person_id: int) -> Place | None:
    row = await session.get(ScenarioPlace, person_id)
    return Place(row.service, row.route, row.step) if row is not None else None


async def save_place(session: AsyncSession, person_id: int, place: Place) -> None:
    row = await session.get(ScenarioPlace, person_id)
    if row is None:
        session.add(ScenarioPlace(person_id=person_id, **place.__dict__))
    else:
        row.service, row.route, row.step = place.service, place.route, place.step


async def forget_place(session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(ScenarioPlace).where(ScenarioPlace.person_id == person_id))
