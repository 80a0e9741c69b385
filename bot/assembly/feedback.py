"""The feedback loop's wiring: the quarterly report with the names the office gave its
services and scenario steps, and the survey invitations every feature asks for."""

from datetime import timedelta

from bot.assembly.files import OfficeFiles
from bot.assembly.ports import TicketReplyTimes
from bot.core.config import Settings
from bot.core.content import Text
from bot.core.ratings import application_stage, scenario_stage
from bot.tickets.service import TicketService
from surveys.invitations import Invitations
from surveys.names import Names
from surveys.openings import Openings
from surveys.quarterly import QuarterlyReport
from surveys.questionnaire import survey_folder
from surveys.report import FeedbackReport


def feedback_names(files: OfficeFiles) -> Names:
    """The titles the office gave its booking services, scenario steps and application
    stages, for the results."""
    services = {
        service.id: service.title
        for office in files.schedule.offices
        for service in office.services
    }
    stages = {}
    for scenario in files.scenarios:
        services.setdefault(scenario.id, scenario.title)
        for route in scenario.routes:
            for step in route.steps:
                title = Text(
                    ru=f"{scenario.title.ru}: {step.title.ru}",
                    en=f"{scenario.title.en}: {step.title.en}",
                )
                stages[scenario_stage(route.id, step.id)] = title
    for stage in files.stages.stages:
        stages[application_stage(stage.id)] = Text(
            ru=f"заявление: {stage.title.ru}", en=f"application: {stage.title.en}"
        )
    return Names(services, stages)


def feedback_report(
    settings: Settings, files: OfficeFiles, tickets: TicketService
) -> QuarterlyReport:
    surveys = survey_folder(settings)
    names = feedback_names(files)
    report = FeedbackReport(surveys, settings.tz, TicketReplyTimes(tickets), names)
    # The office's working days are the ones its reply deadlines count in.
    calendar = tickets.sla.office.calendar
    return QuarterlyReport(report, calendar, settings.tz, staff_chat=settings.has_staff_chat)


def survey_invitations(settings: Settings, openings: Openings) -> Invitations:
    return Invitations(timedelta(days=settings.survey_invite_days), settings.tz, openings)
