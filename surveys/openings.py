"""Which surveys a person may take today: open by their period, meant for them by their
audience, and not answered by them yet. The survey list and the invitations both ask here, so
nobody is invited to a list that would be empty for them."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.config import Settings
from bot.core.models import Person
from surveys.ports import PersonFacts, reaches
from surveys.questionnaire import Survey, load_surveys, survey_folder
from surveys.store import has_taken, participation_key


class Openings:
    def __init__(self, surveys: Sequence[Survey], secret: str, facts: PersonFacts) -> None:
        self.surveys = {survey.id: survey for survey in surveys}
        self.secret = secret  # keys the participation hashes
        self.facts = facts

    @classmethod
    def from_settings(cls, settings: Settings, facts: PersonFacts) -> "Openings":
        """Reads and validates the questionnaires now, so a broken file stops the start-up."""
        return cls(load_surveys(survey_folder(settings)), settings.secret(), facts)

    def key(self, survey: Survey, person: Person) -> str:
        return participation_key(self.secret, survey.id, person.channel, person.external_id)

    async def available(self, session: AsyncSession, person: Person, today: date) -> list[Survey]:
        """The surveys open today to this person, answered or not."""
        facts = await self.facts(session, person.id)
        return [s for s in self.surveys.values() if s.open_on(today) and reaches(s, facts)]

    async def untaken(
        self, session: AsyncSession, person: Person, surveys: Sequence[Survey]
    ) -> list[Survey]:
        """Those of `surveys` the person has not answered yet."""
        return [s for s in surveys if not await has_taken(session, self.key(s, person))]
