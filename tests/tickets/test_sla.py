"""Deadline arithmetic: in working hours by the production calendar (the shipped default),
and round the clock for an office with a duty shift."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar import ProductionCalendar
from bot.core.content import ContentError
from bot.tickets.sla import SHIPPED, load_sla

MSK = ZoneInfo("Europe/Moscow")
VLAD = ZoneInfo("Asia/Vladivostok")


def round_the_clock_yaml(tmp_path: Path) -> Path:
    """An office with a duty shift: its limits run through nights and days off."""
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "working_hours: true", "working_hours: false"
    )
    path = tmp_path / "sla.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_limits_follow_the_standards() -> None:
    sla = load_sla(SHIPPED, MSK)
    assert sla.policy("request").first_reply == timedelta(hours=2)
    assert sla.policy("comment").first_reply == timedelta(hours=2)
    assert sla.policy("mention").first_reply == timedelta(hours=4)
    assert sla.policy("complaint").final_answer == timedelta(hours=72)
    assert sla.auto_close == timedelta(hours=72)


def test_round_the_clock_runs_through_the_night(tmp_path: Path) -> None:
    sla = load_sla(round_the_clock_yaml(tmp_path), MSK)
    start = datetime(2026, 11, 20, 23, 0, tzinfo=MSK)  # Friday night
    assert sla.deadline("request", start, timedelta(hours=2)) == datetime(
        2026, 11, 21, 1, 0, tzinfo=MSK
    )
    reminders = sla.reminder_times("mention", start, timedelta(hours=4))
    assert [(share, due.astimezone(MSK).hour) for share, due in reminders] == [
        (0.5, 1),
        (0.8, 2),
    ]


def test_working_hours_across_a_night_and_a_weekend() -> None:
    sla = load_sla(SHIPPED, MSK)
    # Thursday 17:00: one hour today, one hour on Friday morning.
    thursday = datetime(2026, 11, 19, 17, 0, tzinfo=MSK)
    assert sla.deadline("request", thursday, timedelta(hours=2)) == datetime(
        2026, 11, 20, 10, 0, tzinfo=MSK
    )
    # Friday closes at 16:45: 15 minutes on Friday, the rest on Monday.
    friday = datetime(2026, 11, 20, 16, 30, tzinfo=MSK)
    assert sla.deadline("request", friday, timedelta(hours=2)) == datetime(
        2026, 11, 23, 10, 45, tzinfo=MSK
    )
    # Counted back: the time against the limit skips the weekend.
    monday = datetime(2026, 11, 23, 10, 45, tzinfo=MSK)
    assert sla.elapsed("request", friday, monday) == timedelta(hours=2)


def test_working_hours_skip_a_holiday_and_work_a_moved_day() -> None:
    sla = load_sla(SHIPPED, MSK)
    # 3 November 2026 is a shortened working day (to 17:00), 4 November a public holiday.
    evening = datetime(2026, 11, 3, 16, 0, tzinfo=MSK)
    assert sla.deadline("request", evening, timedelta(hours=2)) == datetime(
        2026, 11, 5, 10, 0, tzinfo=MSK
    )
    # An office-declared working Saturday counts with weekday hours.
    calendar = ProductionCalendar(extra_working_days=frozenset({datetime(2026, 11, 21).date()}))
    sla = load_sla(SHIPPED, MSK, calendar)
    friday = datetime(2026, 11, 20, 16, 30, tzinfo=MSK)
    assert sla.deadline("request", friday, timedelta(hours=2)) == datetime(
        2026, 11, 21, 10, 45, tzinfo=MSK
    )


def test_the_office_time_zone_decides_the_working_day() -> None:
    sla = load_sla(SHIPPED, VLAD)
    # 23:00 UTC on Sunday is 09:00 on Monday in Vladivostok: the clock starts at once.
    start = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert sla.deadline("request", start, timedelta(hours=2)) == datetime(
        2026, 11, 23, 11, 0, tzinfo=VLAD
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("first_reply: 4h", "first_reply: soon", "not a duration"),
        ("reminders: [0.5, 0.8]", "reminders: [50, 80]", "fractions"),
        ("  mention:", "  mentions:", "kinds must be exactly"),
    ],
)
def test_a_wrong_file_is_refused_with_its_name(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = tmp_path / "sla.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(ContentError, match=message) as error:
        load_sla(path, MSK)
    assert str(path) in str(error.value)
