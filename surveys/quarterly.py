"""The quarterly report goes to the staff chat by itself: a restart-safe timer (bot/core/
timers.py) due on the report day of the quarter just ended (quarters.py: the first working
day once its last week is over) at REPORT_HOUR, office time. It sends the Markdown summary as
a message and the workbook as a file, through the outbox like the morning pass list, then
plans the next quarter's. Only while a staff chat is configured."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import clock, outbox
from bot.core.calendar import ProductionCalendar
from bot.core.db import SessionFactory, transaction
from bot.core.messages import Attachment, Reply
from bot.core.staff import GENERAL, STAFF
from bot.core.timers import Timers, has_pending, schedule
from surveys.quarters import Quarter
from surveys.report import FeedbackReport

QUARTERLY = "surveys.quarterly"
REPORT_HOUR = 9
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class QuarterlyReport:
    def __init__(
        self,
        report: FeedbackReport,
        calendar: ProductionCalendar,
        tz: ZoneInfo,
        *,
        staff_chat: bool,
        hour: int = REPORT_HOUR,
    ) -> None:
        self.report = report
        self.calendar = calendar
        self.tz = tz
        # Whether a channel delivers to staff: the assembly says (settings.has_staff_chat).
        self.staff_chat = staff_chat
        self.hour = hour

    def register_timers(self, timers: Timers) -> None:
        timers.on(QUARTERLY, self._send)

    def due(self, quarter: Quarter) -> datetime:
        return datetime.combine(quarter.report_day(self.calendar), time(self.hour), self.tz)

    async def ensure(self, sessions: SessionFactory) -> None:
        """At start: one pending report timer while a staff chat is configured, for the
        quarter just ended if its report is still ahead, else for the current one."""
        if not self.staff_chat:
            return
        async with transaction(sessions) as session:
            if await has_pending(session, QUARTERLY):
                return
            now = clock.now()
            quarter = Quarter.current(now, self.tz).previous()
            if self.due(quarter) <= now:
                quarter = quarter.next()
            self._plan(session, quarter)

    def _plan(self, session: AsyncSession, quarter: Quarter) -> None:
        schedule(session, QUARTERLY, self.due(quarter), {"quarter": str(quarter)})

    async def _send(self, session: AsyncSession, payload: dict[str, Any], _due: datetime) -> None:
        if not self.staff_chat:
            return  # the staff chat was taken out of the settings: nothing to plan either
        quarter = Quarter.parse(payload["quarter"])
        files = await self.report.make(session, quarter, clock.now())
        caption = f"Обратная связь, {quarter.label()}: таблицы и графики"
        replies = [
            Reply(files.summary),
            Reply(caption, attachment=Attachment(files.workbook_name, files.workbook, XLSX)),
        ]
        outbox.enqueue(session, STAFF, GENERAL, replies)
        self._plan(session, quarter.next())
