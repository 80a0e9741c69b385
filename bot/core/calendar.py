"""When the office works: the Russian production calendar (public holidays, moved working days,
shortened pre-holiday days) from the `holidays` library, overridable in YAML, and weekly hours
with breaks. Booking uses it for slots, escalation for deadlines counted in working hours."""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo

import holidays
from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler, TypeAdapter
from pydantic_core import CoreSchema, core_schema

from bot.core.content import Strict, load_model

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = get_args(Weekday)
SHORTENED_BY = timedelta(hours=1)  # Labour Code art. 95: the day before a holiday is 1 h shorter
SHIPPED_OVERRIDES = Path(__file__).parent / "calendar.yaml"
_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


class CalendarError(ValueError):
    """The office's hours leave no working time to count a deadline in."""


@dataclass(frozen=True)
class ProductionCalendar:
    """Working days by the Russian production calendar, with the office's own exceptions."""

    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    extra_short_days: frozenset[date] = frozenset()

    @classmethod
    def from_file(cls, path: Path) -> "ProductionCalendar":
        """The exceptions in a calendar file (see CalendarOverrides); ContentError if wrong."""
        return load_model(path, CalendarOverrides).calendar()

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays("RU")

    def holiday_name(self, day: date) -> str | None:
        if day in self.extra_days_off:
            return "day off"
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_days_off:
            return False
        if day in self.extra_working_days:
            return True
        # The library knows holidays, their substitutions and moved working Saturdays.
        return self._holidays.is_working_day(day)

    def is_shortened(self, day: date) -> bool:
        """A working day right before a public holiday (not before a plain weekend)."""
        if not self.is_working_day(day):
            return False
        if day in self.extra_short_days:
            return True
        following = day + timedelta(days=1)
        return self.holiday_name(following) is not None and not self.is_working_day(following)


class CalendarOverrides(Strict):
    """The office's exceptions to the production calendar, as written in YAML."""

    days_off: tuple[date, ...] = ()
    working_days: tuple[date, ...] = ()
    short_days: tuple[date, ...] = ()

    def calendar(self) -> ProductionCalendar:
        return ProductionCalendar(
            frozenset(self.days_off), frozenset(self.working_days), frozenset(self.short_days)
        )


def _interval(text: object) -> tuple[time, time]:
    match = _INTERVAL.match(str(text).strip())
    if match is None:
        raise ValueError(f"{text!r} is not like 09:00-13:00")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError:
        raise ValueError(f"{text!r} is not a time") from None
    if start >= end:
        raise ValueError(f"{text!r} overlaps or runs backwards")
    return start, end


def _in_order(intervals: tuple[tuple[time, time], ...]) -> tuple[tuple[time, time], ...]:
    for (_, end), (start, finish) in pairwise(intervals):
        if start < end:
            raise ValueError(f"'{start:%H:%M}-{finish:%H:%M}' overlaps or runs backwards")
    return intervals


def _none_is_empty(value: object) -> object:
    # `sat:` with nothing after it reads as null: a day off, like a missing day.
    return () if value is None else value


_DayHours = Annotated[
    tuple[Annotated[tuple[time, time], BeforeValidator(_interval)], ...],
    BeforeValidator(_none_is_empty),
    AfterValidator(_in_order),
]


@dataclass(frozen=True)
class WeeklyHours:
    """Working intervals per weekday (0 = Monday); a break is the gap between intervals."""

    days: Mapping[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "WeeklyHours":
        """From `{"mon": ["09:00-13:00", "13:45-18:00"], ...}`; missing days are days off.
        A content model takes a `WeeklyHours` field the same way, with errors at their line."""
        return _HOURS.validate_python(data)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls._of_days, handler.generate_schema(dict[Weekday, _DayHours])
        )

    @classmethod
    def _of_days(cls, days: dict[str, tuple[tuple[time, time], ...]]) -> "WeeklyHours":
        return cls({WEEKDAYS.index(day): intervals for day, intervals in days.items()})

    def periods(
        self, day: date, calendar: ProductionCalendar, tz: ZoneInfo
    ) -> list[tuple[datetime, datetime]]:
        """The day's working periods as aware datetimes in the office's zone."""
        if not calendar.is_working_day(day):
            return []
        # A moved working Saturday works to a weekday's hours: take the Monday-Friday ones.
        intervals = self.days.get(day.weekday()) or (
            self.days.get(0, ()) if day.weekday() >= 5 else ()
        )
        periods = [
            (datetime.combine(day, start, tz), datetime.combine(day, end, tz))
            for start, end in intervals
        ]
        if periods and calendar.is_shortened(day):
            cut = periods[-1][1] - SHORTENED_BY
            periods = [(start, min(end, cut)) for start, end in periods if start < cut]
        return periods


@dataclass(frozen=True)
class OfficeTime:
    """The office's calendar, hours and zone together: the questions features ask of time."""

    calendar: ProductionCalendar
    hours: WeeklyHours
    tz: ZoneInfo

    def periods_from(
        self, start: datetime, max_days: int = 400
    ) -> Iterator[tuple[datetime, datetime]]:
        """Working periods from `start` on, the first one clipped to begin at `start`."""
        local = start.astimezone(self.tz)
        for offset in range(max_days):
            for begin, end in self.hours.periods(
                local.date() + timedelta(days=offset), self.calendar, self.tz
            ):
                if end > local:
                    yield max(begin, local), end

    def is_open(self, moment: datetime) -> bool:
        """Whether `moment` falls in a working period (not a night, a day off or a break)."""
        first = next(self.periods_from(moment), None)
        return first is not None and first[0] <= moment

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when `duration` of working time has passed since `start`."""
        left = duration
        for begin, end in self.periods_from(start):
            if end - begin >= left:
                return begin + left
            left -= end - begin
        raise CalendarError("no working time within a year: check the office hours")

    def working_time_between(self, start: datetime, finish: datetime) -> timedelta:
        total = timedelta()
        for begin, end in self.periods_from(start):
            if begin >= finish:
                break
            total += min(end, finish) - begin
        return total


_HOURS = TypeAdapter(WeeklyHours)
