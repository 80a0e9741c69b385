"""Quarters of the office's year: "2026Q4", its months and days, the one before it, and the day
its report is due.

Survey answers keep only the Monday of their week, and a week belongs to the month (so the
quarter) of its Monday. A quarter's last week may run up to six days into the next quarter, so
its answers are complete only from the first Monday on or after the quarter's end; the report
is made on the first working day from then on, and a report made later shows the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.calendar import ProductionCalendar

_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")


class QuarterError(ValueError):
    """A quarter written in a way that is not "2026Q4"."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1–4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text.strip())
        if match is None:
            raise QuarterError(f"{text!r} is not a quarter: write it like 2026Q4 (Q1 to Q4)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls, now: datetime, tz: ZoneInfo) -> Quarter:
        return cls.of(now.astimezone(tz).date())

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def months(self) -> tuple[date, ...]:
        """The first day of each of its three months."""
        first = 3 * self.number - 2
        return tuple(date(self.year, first + n, 1) for n in range(3))

    @property
    def first_week(self) -> date:
        """The Monday of its first week: the first Monday on or after its first day."""
        return _monday_on_or_after(self.first_day)

    @property
    def end_week(self) -> date:
        """The Monday after its last week: its weeks are first_week <= week < end_week."""
        return self.next().first_week

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def label(self) -> str:
        """As the report names it: "IV квартал 2026"."""
        return f"{('I', 'II', 'III', 'IV')[self.number - 1]} квартал {self.year}"

    def report_day(self, calendar: ProductionCalendar) -> date:
        """When its report is due: the first working day on which its last week is over."""
        day = self.end_week
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        return day


def month_of(week: date) -> date:
    """The month (its first day) that a week, given by its Monday, belongs to."""
    return week.replace(day=1)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)
