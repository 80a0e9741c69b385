"""The missing-documents notice as features see it. The regulations give the office 24 hours
from finding missing documents or errors to tell the person. A staff action on a ticket or a
visit opens a notice at the moment the problem is found; the employee's text then goes to the
person. The notices package (bot/missing/) keeps them, reminds staff before the 24 hours pass
and counts how many went out in time; the assembly hands its port to the features."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Reply
from bot.core.models import Person

NOTICE_LIMIT = timedelta(hours=24)
# What a notice is about: a ticket (its number) or a visit (its booking id).
TICKET, VISIT = "ticket", "visit"


class MissingDocs(Protocol):
    async def found(
        self,
        session: AsyncSession,
        origin: str,
        ref: int,
        person_id: int,
        at: datetime,
        by: str,
        staff_person_id: int | None = None,
        author: str | None = None,
    ) -> datetime:
        """Record that staff member `by` found a problem with `ref` at `at`, and plan the
        reminder; a notice already waiting for its text keeps its earlier moment. Returns
        the deadline. `staff_person_id`: the employee's own chat, to be reminded in;
        `author`: the employee whose text the notice waits for, where several share a thread
        (the latest to press)."""
        ...

    async def waiting(
        self, session: AsyncSession, origin: str, ref: int, author: str | None = None
    ) -> int | None:
        """The notice about `ref` found and not yet written, if any; with `author`, only one
        waiting for that employee's text."""
        ...

    async def send(
        self,
        session: AsyncSession,
        notice: int,
        person: Person,
        text: str,
        send_docs: str,
        before: Sequence[Reply] = (),
        *,
        now: datetime,
    ) -> None:
        """Queue the notice with the employee's `text` for the person, after `before` (files
        staff attached), with a button to send the documents (`send_docs`, a packed action)
        and one to book a new visit."""
        ...

    async def cancel(self, session: AsyncSession, origin: str, ref: int, now: datetime) -> bool:
        """Withdraw the notice about `ref` waiting for its text; False if there is none."""
        ...
