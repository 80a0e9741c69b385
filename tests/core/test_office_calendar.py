"""The production calendar and working-time arithmetic, in the office's time zone."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.core.calendar import OfficeTime, ProductionCalendar, WeeklyHours

MSK = ZoneInfo("Europe/Moscow")
HOURS = WeeklyHours.parse(
    {
        "mon": ["09:00-13:00", "13:45-18:00"],
        "tue": ["09:00-13:00", "13:45-18:00"],
        "wed": ["09:00-13:00", "13:45-18:00"],
        "thu": ["09:00-13:00", "13:45-18:00"],
        "fri": ["09:00-13:00", "13:45-16:45"],
    }
)
OFFICE = OfficeTime(ProductionCalendar(), HOURS, MSK)


def at(*parts: int, tz: ZoneInfo = MSK) -> datetime:
    return datetime(*parts, tzinfo=tz)


def test_public_holidays_and_substituted_days_off() -> None:
    calendar = ProductionCalendar()
    assert not calendar.is_working_day(date(2026, 1, 9))  # moved from Saturday 3 January
    assert not calendar.is_working_day(date(2026, 11, 4))  # Unity Day
    assert calendar.is_working_day(date(2026, 11, 3))
    assert calendar.is_shortened(date(2026, 11, 3))  # the day before a holiday
    assert not calendar.is_shortened(date(2026, 11, 6))  # before a plain weekend


def test_moved_working_saturday_works_weekday_hours() -> None:
    saturday = date(2025, 11, 1)  # a working Saturday by the 2025 decree
    assert ProductionCalendar().is_working_day(saturday)
    periods = HOURS.periods(saturday, ProductionCalendar(), MSK)
    assert periods[0][0] == at(2025, 11, 1, 9) and periods[-1][1].time() == time(18, 0)


def test_office_overrides_win() -> None:
    calendar = ProductionCalendar(extra_days_off=frozenset({date(2026, 11, 5)}))
    assert not calendar.is_working_day(date(2026, 11, 5))
    assert calendar.holiday_name(date(2026, 11, 5)) == "day off"


def test_working_time_skips_night_break_weekend_and_holiday() -> None:
    # Tuesday 3 Nov 2026 17:00 (a shortened day ending 17:00), then the 4 Nov holiday.
    assert OFFICE.add_working_time(at(2026, 11, 3, 16, 30), timedelta(hours=2)) == at(
        2026, 11, 5, 10, 30
    )
    # Friday 16:00 + 2 h: 45 min on Friday, the rest on Monday morning.
    assert OFFICE.add_working_time(at(2026, 11, 20, 16), timedelta(hours=2)) == at(
        2026, 11, 23, 10, 15
    )
    # Across the lunch break.
    assert OFFICE.add_working_time(at(2026, 11, 24, 12), timedelta(hours=2)) == at(
        2026, 11, 24, 14, 45
    )


def test_time_zone_of_the_office_not_of_the_server() -> None:
    # 06:00 UTC is 09:00 in Moscow: the office has just opened.
    start = datetime(2026, 11, 24, 6, 0, tzinfo=ZoneInfo("UTC"))
    assert OFFICE.add_working_time(start, timedelta(hours=1)) == at(2026, 11, 24, 10)
    # The same instant is 16:00 in Vladivostok: one working hour later it is 17:00 there.
    vladivostok = ZoneInfo("Asia/Vladivostok")
    far_east = OfficeTime(ProductionCalendar(), HOURS, vladivostok)
    assert far_east.add_working_time(start, timedelta(hours=1)) == at(
        2026, 11, 24, 17, tz=vladivostok
    )


def test_working_time_between() -> None:
    assert OFFICE.working_time_between(at(2026, 11, 20, 16), at(2026, 11, 23, 10)) == timedelta(
        minutes=45 + 60
    )


@pytest.mark.parametrize(
    "data",
    [
        {"mon": ["9-18"]},
        {"monday": ["09:00-18:00"]},
        {"mon": ["18:00-09:00"]},
        {"mon": ["09:00-13:00", "12:00-18:00"]},
        {"mon": ["25:00-26:00"]},
    ],
)
def test_bad_hours_are_named(data) -> None:
    # The error names the day at fault (as a content file's error does, with its line).
    with pytest.raises(ValidationError, match=r"\nmon"):
        WeeklyHours.parse(data)
