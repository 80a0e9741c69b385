"""The parts more than one feature (or the staff side) is handed, each built once: the
office's files, the ticket service, the survey invitations, the quarterly report, the
missing-documents notices and the public-comments desk."""

from dataclasses import dataclass

from bot.assembly.feedback import feedback_report, survey_invitations
from bot.assembly.files import OfficeFiles
from bot.assembly.ports import BookingHistory
from bot.core.config import Settings
from bot.missing.service import MissingNotices
from bot.tickets.notes import StaffNotes
from bot.tickets.public.desk import PublicDesk
from bot.tickets.public.triage import Triage
from bot.tickets.service import TicketService
from bot.tickets.sla import sla_from_settings
from knowledge_base.words import lemmas_of
from surveys.invitations import Invitations
from surveys.quarterly import QuarterlyReport
from surveys.ratings import record_rating


@dataclass(frozen=True)
class Shared:
    files: OfficeFiles
    invite: Invitations
    tickets: TicketService
    feedback: QuarterlyReport
    missing: MissingNotices
    public: PublicDesk

    @classmethod
    def build(cls, settings: Settings) -> "Shared":
        files = OfficeFiles.read(settings)
        invite = survey_invitations(settings, files.openings)
        tickets = _ticket_service(settings, files, invite)
        return cls(
            files,
            invite,
            tickets,
            feedback_report(settings, files, tickets),
            # The 24 h reminders count in the office's hours, as the reply deadlines do.
            MissingNotices(tickets.sla.office, staff_chat=settings.has_staff_chat),
            # Public comments, told apart with the knowledge base's lemmatiser.
            PublicDesk(tickets, Triage.from_settings(settings, lemmas_of)),
        )


def _ticket_service(settings: Settings, files: OfficeFiles, invite: Invitations) -> TicketService:
    notes = StaffNotes(settings.has_staff_chat, settings.tz, BookingHistory(files.schedule))
    return TicketService(
        sla_from_settings(settings),
        settings.tz,
        notes,
        record_rating,
        invite,
        settings.outbox_give_up_hours,
        settings.staff_signature,
    )
