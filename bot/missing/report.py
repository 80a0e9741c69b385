"""`priemnaya report missing`: of the problems found between two dates (the office's calendar
days), how many notices reached the person within 24 hours, how many later, and how many have
not gone out yet, for tickets and for visits. Withdrawn notices do not count."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.missing import TICKET, VISIT
from bot.missing.models import MissingNotice

ORIGINS = (TICKET, VISIT)


@dataclass(frozen=True)
class NoticeStats:
    origin: str  # TICKET, VISIT, or "all"
    found: int
    in_time: int  # reached the person within 24 hours of the problem being found
    late: int  # reached them later
    overdue: int  # not sent, and the 24 hours have passed
    waiting: int  # not sent, still within the 24 hours

    @property
    def within(self) -> float | None:
        """The share in time of those whose 24 hours are decided (sent, or past due)."""
        decided = self.in_time + self.late + self.overdue
        return self.in_time / decided if decided else None


def _stats(origin: str, notices: list[MissingNotice], now: datetime) -> NoticeStats:
    sent = [n for n in notices if n.sent_at is not None]
    unsent = [n for n in notices if n.sent_at is None]
    return NoticeStats(
        origin=origin,
        found=len(notices),
        in_time=sum(1 for n in sent if n.sent_at is not None and n.sent_at <= n.due_at),
        late=sum(1 for n in sent if n.sent_at is not None and n.sent_at > n.due_at),
        overdue=sum(1 for n in unsent if n.due_at <= now),
        waiting=sum(1 for n in unsent if n.due_at > now),
    )


async def missing_report(
    session: AsyncSession, tz: ZoneInfo, start: date, end: date, now: datetime
) -> list[NoticeStats]:
    """One row per origin, then the total."""
    since = datetime.combine(start, time(), tz)
    until = datetime.combine(end + timedelta(days=1), time(), tz)
    notices = list(
        await session.scalars(
            select(MissingNotice).where(
                MissingNotice.found_at >= since,
                MissingNotice.found_at < until,
                MissingNotice.cancelled_at.is_(None),
            )
        )
    )
    rows = [_stats(o, [n for n in notices if n.origin == o], now) for o in ORIGINS]
    return [*rows, _stats("all", notices, now)]


def render(report: list[NoticeStats]) -> str:
    lines = [
        f"{'origin':<8} {'found':>6} {'in time':>8} {'late':>6} {'overdue':>8} {'waiting':>8} "
        f"{'within':>7}"
    ]
    for row in report:
        within = "—" if row.within is None else f"{round(row.within * 100)}%"
        lines.append(
            f"{row.origin:<8} {row.found:>6} {row.in_time:>8} {row.late:>6} "
            f"{row.overdue:>8} {row.waiting:>8} {within:>7}"
        )
    return "\n".join(lines)
