"""`/app` in the staff chat, for staff and supervisors (bot/core/staff.py roles):

    /app add 123 permit [code]    a new record at the first stage; without a code, one is made
    /app 123                      the record and its stages
    /app 123 next [note]          the next ordinary stage
    /app 123 refused why and what to do instead   any stage by id or title, with a note
    /app 123 refused ! note                        the note as it is, past the wording check
    /app code 123 NEWCODE         a new check code (after too many wrong ones)

Like the tickets' staff side, an entry point for the channels: it opens its own transaction
through the core inbox (a repeated delivery does nothing) and leaves the rules to the Office.
A note is the employee's words to the person: signed as STAFF_SIGNATURE says, and read against
the communication rules first; with findings nothing changes until the employee sends it again
with "!" (the check warns, it never blocks)."""

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from applications.models import Application
from applications.ports import ReadWording
from applications.service import Office, Problem
from applications.views import STAFF_LOCALE, staff_card, staff_text
from bot.core.db import SessionFactory, retried
from bot.core.inbox import Inbox
from bot.core.staff import Role, StaffMember, signed

log = logging.getLogger(__name__)

COMMAND = "/app"
NEXT = ("next", "дальше")


def is_command(text: str) -> bool:
    """`/app …` (or `/app@bot …`, as Telegram writes commands in groups)."""
    head = text.strip().split(maxsplit=1)[0] if text.strip() else ""
    return head.split("@")[0].lower() == COMMAND


AS_IS = "!"


class StaffCommands:
    def __init__(
        self,
        office: Office,
        inbox: Inbox,
        sessions: SessionFactory,
        wording: ReadWording,
        signature: str,
    ) -> None:
        self.office = office
        self.inbox = inbox
        self.sessions = sessions
        self.wording = wording
        self.signature = signature

    @retried("an applications command")
    async def command(
        self, channel: str, external_id: str, text: str, update_key: str, now: datetime
    ) -> str | None:
        """The answer for the staff chat; None for a repeated delivery of one handled."""

        async def work(session: AsyncSession) -> str:
            member = await _member(session, channel, external_id)
            if member is None:
                log.warning("ignored /app by non-staff user %s", external_id)
                return staff_text("app-staff-only")
            _, _, rest = text.strip().partition(" ")
            try:
                return await self.run(session, rest.strip(), member.name, now, member.position)
            except Problem as problem:
                return staff_text(problem.key, **problem.values)

        return await self.inbox.once(channel, update_key, work)

    async def run(
        self,
        session: AsyncSession,
        rest: str,
        by: str,
        now: datetime,
        position: str | None = None,
    ) -> str:
        """One command (what follows `/app`) by staff member `by`."""
        office, words = self.office, rest.split()
        if not words or words[0].lower() in ("help", "помощь"):
            known = ", ".join(stage.id for stage in office.stages.stages)
            return staff_text("app-staff-help", known=known)
        if words[0].lower() == "add":
            if len(words) not in (3, 4):
                raise Problem("app-error-add")
            number, service, *code = words[1:]
            application, check = await office.add(
                session, number, service, code[0] if code else None, by, now
            )
            key = "app-staff-added-code" if code else "app-staff-added"
            stage = office.stages.first.title.ru
            return staff_text(key, number=application.number, stage=stage, code=check)
        if words[0].lower() == "code":
            if len(words) != 3:
                raise Problem("app-error-add")
            application = await self._found(session, words[1])
            office.set_code(application, words[2])
            return staff_text("app-staff-code-set", number=application.number)
        application = await self._found(session, words[0])
        if len(words) > 1:
            stage = None if words[1].lower() in NEXT else words[1]
            note = rest.split(maxsplit=2)[2] if len(words) > 2 else None
            if note is not None:
                as_is = note.startswith(AS_IS)
                note = note.removeprefix(AS_IS).strip()
                findings = None if as_is else self.wording(note)
                if findings is not None:
                    return staff_text("app-staff-wording", findings=findings)
                note = signed(STAFF_LOCALE, note, self.signature, by, position)
            change = await office.advance(session, application, stage, note, by, now)
            told = "yes" if application.person_id is not None else "no"
            return staff_text(
                "app-staff-moved",
                number=application.number,
                stage=change.stage.title.ru,
                told=told,
            )
        steps = await office.steps(session, application)
        return staff_card(office.stages, application, steps, office.tz)

    async def _found(self, session: AsyncSession, number: str) -> Application:
        application = await self.office.find(session, number, lock=True)
        if application is None:
            raise Problem("app-error-unknown", number=number)
        return application


async def _member(session: AsyncSession, channel: str, external_id: str) -> StaffMember | None:
    """A staff member or supervisor; None for anyone else."""
    return await session.scalar(
        select(StaffMember)
        .where(
            StaffMember.channel == channel,
            StaffMember.external_id == external_id,
            StaffMember.role.in_((Role.STAFF, Role.SUPERVISOR)),
        )
        .limit(1)
    )
