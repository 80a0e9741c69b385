"""The notices (the port bot.core.missing.MissingDocs): opened when staff find a problem, written
to the person through the outbox, marked sent when the outbox delivers them. One reminder per
notice comes before the 24 hours pass, if it has not reached the person by then; it re-checks
at firing time, so a notice sent or withdrawn since keeps it silent. Every call takes the
caller's session and never opens a transaction."""

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.calendar import OfficeTime
from bot.core.messages import Reply
from bot.core.missing import NOTICE_LIMIT, TICKET
from bot.core.models import Person
from bot.core.outbox import Deliveries, Outcome, enqueue
from bot.core.staff import GENERAL, STAFF, ticket_topic
from bot.core.timers import Timers, schedule
from bot.missing import views
from bot.missing.models import MissingNotice

log = logging.getLogger(__name__)

REMIND = "missing.remind"
DELIVERY = "missing"  # the outbox ref of a notice: "missing:<id>"
REMIND_BEFORE = timedelta(hours=4)

# A feature's own follow-up once its notice reached the person (a ticket counts it as the
# first reply): (session, ref, when).
Reached = Callable[[AsyncSession, int, datetime], Awaitable[None]]


def remind_at(found: datetime, office: OfficeTime) -> datetime:
    """REMIND_BEFORE the deadline, or, when that falls outside the office's hours, the last
    working moment before it: a reminder at six in the morning would reach nobody."""
    target = found + NOTICE_LIMIT - REMIND_BEFORE
    last = None
    for begin, end in office.periods_from(found):
        if begin >= target:
            break
        last = min(end, target)
    return last or target


class MissingNotices:
    def __init__(self, office: OfficeTime, *, staff_chat: bool) -> None:
        self.office = office
        self.tz = office.tz
        self.staff_chat = staff_chat  # whether the channels deliver to bot.core.staff.STAFF
        self.reached: dict[str, Reached] = {}

    def on_reached(self, origin: str, hook: Reached) -> None:
        self.reached[origin] = hook

    def register_timers(self, timers: Timers) -> None:
        timers.on(REMIND, self.remind)

    def register_deliveries(self, deliveries: Deliveries) -> None:
        deliveries.on(DELIVERY, self.settled)

    # --- the port ----------------------------------------------------------------------------

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
        notice = await self._waiting(session, origin, ref)
        if notice is None:
            notice = MissingNotice(
                origin=origin,
                ref=ref,
                person_id=person_id,
                staff_name=by,
                staff_person_id=staff_person_id,
                author=author,
                found_at=at,
                due_at=at + NOTICE_LIMIT,
            )
            session.add(notice)
            await session.flush()
        else:
            notice.staff_name, notice.author = by, author
            if at >= notice.found_at:
                return notice.due_at
            notice.found_at, notice.due_at = at, at + NOTICE_LIMIT  # the earlier moment counts
        payload = {"n": notice.id, "due": notice.due_at.isoformat()}
        schedule(session, REMIND, remind_at(notice.found_at, self.office), payload)
        return notice.due_at

    async def waiting(
        self, session: AsyncSession, origin: str, ref: int, author: str | None = None
    ) -> int | None:
        notice = await self._waiting(session, origin, ref)
        if notice is None or (author is not None and notice.author != author):
            return None
        return notice.id

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
        row = await session.get(MissingNotice, notice)
        assert row is not None and row.written_at is None  # the caller found it waiting
        row.written_at = now
        reply = views.notice(person.locale, row.origin, row.ref, text, send_docs)
        enqueue(
            session, person.channel, person.chat_id, [*before, reply], ref=f"{DELIVERY}:{row.id}"
        )

    async def cancel(self, session: AsyncSession, origin: str, ref: int, now: datetime) -> bool:
        notice = await self._waiting(session, origin, ref)
        if notice is None:
            return False
        notice.cancelled_at = now
        return True

    async def _waiting(self, session: AsyncSession, origin: str, ref: int) -> MissingNotice | None:
        return await session.scalar(
            select(MissingNotice)
            .where(
                MissingNotice.origin == origin,
                MissingNotice.ref == ref,
                MissingNotice.written_at.is_(None),
                MissingNotice.cancelled_at.is_(None),
            )
            .order_by(MissingNotice.id.desc())
            .limit(1)
            .with_for_update()
        )

    # --- the outbox and the timer -----------------------------------------------------------

    async def settled(self, session: AsyncSession, ref: str, outcome: Outcome) -> None:
        """A notice reached the person (the moment the report counts) or was given up."""
        notice = await session.get(MissingNotice, int(ref.partition(":")[2]))
        if notice is None:
            return
        if not outcome.delivered:
            await self._to_staff(session, notice, views.undelivered(notice.origin, notice.ref))
            return
        if notice.sent_at is None:
            notice.sent_at = outcome.at
        hook = self.reached.get(notice.origin)
        if hook is not None:
            await hook(session, notice.ref, outcome.at)

    async def remind(self, session: AsyncSession, payload: dict[str, Any], due: datetime) -> None:
        notice = await session.get(MissingNotice, payload["n"])
        if notice is None or notice.sent_at is not None or notice.cancelled_at is not None:
            return
        if notice.due_at.isoformat() != payload["due"]:
            return  # found earlier than first said: the reminder planned for that moment does
        reminder = views.reminder(
            notice.origin,
            notice.ref,
            notice.due_at,
            due,
            self.tz,
            written=notice.written_at is not None,
        )
        await self._to_staff(session, notice, reminder)

    async def _to_staff(self, session: AsyncSession, notice: MissingNotice, reply: Reply) -> None:
        """A ticket's thread; for a visit the staff chat and the employee's own chat. An office
        without a staff chat has the log (`tickets list` shows what waits)."""
        if self.staff_chat:
            where = ticket_topic(notice.ref) if notice.origin == TICKET else GENERAL
            enqueue(session, STAFF, where, [reply])
        else:
            log.warning("missing documents on %s %d: %s", notice.origin, notice.ref, reply.text)
        if notice.origin != TICKET and notice.staff_person_id is not None:
            employee = await session.get(Person, notice.staff_person_id)
            if employee is not None:
                enqueue(session, employee.channel, employee.chat_id, [reply])
