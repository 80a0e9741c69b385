"""When the office works: the Russian production calendar (public holidays, moved working days,
shortened pre-holiday days) from the `holidays` library, overridable in YAML, and weekly hours
with breaks. Booking uses it for slots, escalation for deadlines counted in working hours."""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import yaml

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SHORTENED_BY = timedelta(hours=1)  # Labour Code art. 95: the day before a holiday is 1 h shorter
SHIPPED_OVERRIDES = Path(__file__).parent / "calendar.yaml"
_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


class CalendarError(ValueError):
    """A calendar or hours file is wrong; the message names the file and the value."""


@dataclass(frozen=True)
class ProductionCalendar:
    """Working days by the Russian production calendar, with the office's own exceptions."""

    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    extra_short_days: frozenset[date] = frozenset()

    @classmethod
    def from_file(cls, path: Path) -> "ProductionCalendar":
        """Exceptions in YAML: `days_off`, `working_days`, `short_days`, lists of dates."""
        data = _read_yaml(path)

        def dates(key: str) -> frozenset[date]:
            values = data.get(key) or []
            if not isinstance(values, list) or not all(isinstance(v, date) for v in values):
                raise CalendarError(f"{path}: {key} must be a list of dates like 2026-12-31")
            return frozenset(values)

        return cls(dates("days_off"), dates("working_days"), dates("short_days"))

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


@dataclass(frozen=True)
class WeeklyHours:
    """Working intervals per weekday (0 = Monday); a break is the gap between intervals."""

    days: Mapping[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)

    @classmethod
    def parse(cls, data: Mapping[str, list[str]], where: str = "hours") -> "WeeklyHours":
        """From `{"mon": ["09:00-13:00", "13:45-18:00"], ...}`; missing days are days off."""
        days: dict[int, tuple[tuple[time, time], ...]] = {}
        for key, intervals in data.items():
            if key not in WEEKDAYS:
                raise CalendarError(f"{where}: unknown weekday {key!r}, use {', '.join(WEEKDAYS)}")
            parsed = []
            for text in intervals or []:
                match = _INTERVAL.match(str(text).strip())
                if match is None:
                    raise CalendarError(f"{where}.{key}: {text!r} is not like 09:00-13:00")
                h1, m1, h2, m2 = (int(part) for part in match.groups())
                try:
                    start, end = time(h1, m1), time(h2, m2)
                except ValueError:
                    raise CalendarError(f"{where}.{key}: {text!r} is not a time") from None
                if start >= end or (parsed and start < parsed[-1][1]):
                    raise CalendarError(f"{where}.{key}: {text!r} overlaps or runs backwards")
                parsed.append((start, end))
            days[WEEKDAYS.index(key)] = tuple(parsed)
        return cls(days)

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


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CalendarError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise CalendarError(f"{path}: expected a mapping of keys")
    return data
