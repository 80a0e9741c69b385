"""The office's content files that more than one part of the bot reads, each read and
validated once at start-up, so a broken file stops it and no part sees another version."""

from dataclasses import dataclass

from applications.service import Office
from applications.stages import Stages
from bot.assembly.ports import survey_facts
from bot.booking.feature import office_schedule
from bot.booking.schedule import Schedule
from bot.core.config import Settings
from scenarios.loader import SHIPPED as SCENARIOS_SHIPPED
from scenarios.loader import load_services
from scenarios.schema import Service
from surveys.openings import Openings


@dataclass(frozen=True)
class OfficeFiles:
    schedule: Schedule  # booking, the staff card's visit titles, the results' service names
    scenarios: list[Service]  # the walk, the results' step names
    stages: Stages  # application records, the results' stage names
    openings: Openings  # the survey list and every feature's invitations

    @classmethod
    def read(cls, settings: Settings) -> "OfficeFiles":
        return cls(
            office_schedule(settings),
            load_services(settings.content_path("scenarios", SCENARIOS_SHIPPED)),
            Office.stages_of(settings),
            Openings.from_settings(settings, survey_facts),
        )
