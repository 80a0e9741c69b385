"""The comments set aside, listed for staff once a working day: at the office's opening, the
staff chat's general thread gets those set aside since the last list and not made tickets
since, each line as /comments shows it (number, page, reason, time, the masked text cut
short; never who wrote it), so a question the triage took for spam or thanks is seen without
anyone opening /comments. A restart-safe timer (bot/core/timers.py) like the morning pass
list: planned by the first comment set aside while a staff chat is configured, then each
list plans the next. Takes the caller's session."""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import clock, outbox
from bot.core.calendar import OfficeTime
from bot.core.messages import Reply
from bot.core.staff import GENERAL, STAFF
from bot.core.timers import Timers, has_pending, schedule
from bot.tickets.cards import staff_text
from bot.tickets.models import SkippedComment

ASIDE_LIST = "tickets.aside"
LISTED = 30  # lines in one list; the rest are counted
QUOTE = 120  # characters of a comment, as /comments shows them
# The first list takes in what was set aside this long before it was planned.
FIRST_SINCE = timedelta(days=7)


def next_list(office: OfficeTime, after: datetime) -> datetime:
    """The opening of the first working day that opens after `after`."""
    day = after.astimezone(office.tz).date()
    for offset in range(400):
        periods = office.hours.periods(day + timedelta(days=offset), office.calendar, office.tz)
        if periods and periods[0][0] > after:
            return periods[0][0]
    return after + timedelta(days=1)  # an office with no hours at all: still once a day


class AsideList:
    def __init__(self, office: OfficeTime, *, staff_chat: bool) -> None:
        self.office = office
        self.staff_chat = staff_chat  # whether the channels deliver to bot.core.staff.STAFF

    def register_timers(self, timers: Timers) -> None:
        timers.on(ASIDE_LIST, self._send)

    async def ensure(self, session: AsyncSession, now: datetime) -> None:
        """Keep one list planned while a staff chat is configured."""
        if self.staff_chat and not await has_pending(session, ASIDE_LIST):
            self._plan(session, now - FIRST_SINCE, next_list(self.office, now))

    def _plan(self, session: AsyncSession, since: datetime, due: datetime) -> None:
        schedule(session, ASIDE_LIST, due, {"since": since.isoformat()})

    async def _send(self, session: AsyncSession, payload: dict[str, Any], due: datetime) -> None:
        if not self.staff_chat:
            return  # the staff chat was taken out of the settings: the next comment plans
        since = datetime.fromisoformat(payload["since"])
        waiting = (
            SkippedComment.ticket_id.is_(None),
            SkippedComment.at >= since,
            SkippedComment.at < due,
        )
        total = (
            await session.scalar(select(func.count()).select_from(SkippedComment).where(*waiting))
            or 0
        )
        if total:
            rows = await session.scalars(
                select(SkippedComment).where(*waiting).order_by(SkippedComment.id).limit(LISTED)
            )
            outbox.enqueue(session, STAFF, GENERAL, [self.view(list(rows), total, since, due)])
        # The next list starts where this one ends, however late this one fired.
        self._plan(session, due, next_list(self.office, max(due, clock.now())))

    def view(
        self, rows: list[SkippedComment], total: int, since: datetime, until: datetime
    ) -> Reply:
        tz = self.office.tz
        lines = [
            staff_text(
                "comments-list-title",
                count=total,
                since=since.astimezone(tz).strftime("%d.%m %H:%M"),
                until=until.astimezone(tz).strftime("%d.%m %H:%M"),
            )
        ]
        for row in rows:
            text = row.text if len(row.text) <= QUOTE else row.text[: QUOTE - 1] + "…"
            lines.append(
                staff_text(
                    "comments-line",
                    number=row.id,
                    source=staff_text(f"comments-source-{row.source}"),
                    reason=staff_text(f"comments-reason-{row.reason}"),
                    when=row.at.astimezone(tz).strftime("%d.%m %H:%M"),
                    text=text or "—",
                )
            )
        if total > len(rows):
            lines.append(staff_text("comments-list-more", count=total - len(rows)))
        return Reply("\n\n".join(lines))
