"""Survey invitations as every feature sees them: after a visit, a closed ticket or a finished
scenario a feature asks for one; the surveys feature decides whether the person gets it (not
if they asked for none, nor twice within the period). The assembly hands the port in."""

from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Reply
from bot.core.models import Person


class InviteToSurvey(Protocol):
    async def __call__(self, session: AsyncSession, person: Person, now: datetime) -> Reply | None:
        """The invitation for `person`, counted as sent, or None when they may not get one
        now. The caller sends it after its own message: as a reply to the person's own
        action, through the outbox otherwise."""
        ...
