"""The schedule file, slots by the production calendar, the office's time zone."""

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.booking.schedule import SHIPPED, load_schedule
from bot.core.content import ContentError

MSK = ZoneInfo("Europe/Moscow")


def schedule(tz: ZoneInfo = MSK):
    return load_schedule(SHIPPED, tz)


def starts(rules, office_id: str, day: date, service_id: str = "consult") -> list[str]:
    office = rules.office(office_id)
    return [f"{s:%H:%M}" for s in rules.slots_on(office, office.service(service_id), day)]


def test_demo_office_hours_and_break() -> None:
    times = starts(schedule(), "transport", date(2026, 11, 24))  # a Tuesday
    assert times[0] == "10:00" and times[-1] == "16:45"
    assert "12:45" in times and "13:00" not in times and "13:30" not in times
    assert "13:45" in times and len(times) == 12 + 13
    assert starts(schedule(), "transport", date(2026, 11, 23)) == []  # Monday: no reception


def test_production_calendar_holiday_shortened_and_moved_saturday() -> None:
    rules = schedule()
    assert starts(rules, "river", date(2026, 11, 4)) == []  # Unity Day, a Wednesday
    # 3 November 2026 is a Tuesday before the holiday: one hour shorter.
    assert starts(rules, "transport", date(2026, 11, 3))[-1] == "15:45"
    # 1 November 2025 was a working Saturday: the river office works to Monday's hours.
    assert starts(rules, "river", date(2025, 11, 1))[0] == "09:00"
    assert starts(rules, "river", date(2025, 11, 8)) == []  # a plain Saturday


def test_offers_refuses_past_far_holiday_and_other_office() -> None:
    rules = schedule()
    office, river = rules.office("transport"), rules.office("river")
    service = office.service("consult")
    now = datetime(2026, 11, 23, 12, 0, tzinfo=MSK)
    slot = datetime(2026, 11, 24, 10, 0, tzinfo=MSK)
    assert rules.offers(office, service, slot, now)
    assert not rules.offers(office, service, slot, datetime(2026, 11, 24, 9, 0, tzinfo=MSK))
    assert not rules.offers(office, service, datetime(2027, 1, 5, 10, 0, tzinfo=MSK), now)
    assert not rules.offers(office, service, datetime(2026, 11, 24, 10, 5, tzinfo=MSK), now)
    assert not rules.offers(river, river.service("consult"), slot, now)  # Tuesday: closed


def test_slots_are_in_the_offices_zone_not_the_servers() -> None:
    vladivostok = ZoneInfo("Asia/Vladivostok")
    rules = schedule(vladivostok)
    office = rules.office("transport")
    [first, *_] = rules.slots_on(office, office.service("consult"), date(2026, 11, 24))
    assert first.utcoffset().total_seconds() == 10 * 3600 and first.time() == time(10, 0)
    # 23:30 UTC on Monday is already Tuesday 09:30 in Vladivostok: Tuesday is "today".
    now = datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert rules.bookable_days(now)[0] == date(2026, 11, 24)
    # Two hours' notice: 10:00 and 11:00 are too soon, 11:30 is the first bookable.
    assert not rules.offers(office, office.service("consult"), first, now)
    later = datetime(2026, 11, 24, 11, 30, tzinfo=vladivostok)
    assert rules.offers(office, office.service("consult"), later, now)


def test_calendar_overrides_in_yaml(tmp_path: Path) -> None:
    text = (SHIPPED / "schedule.yaml").read_text(encoding="utf-8")
    text = text.replace("  days_off: []", "  days_off: [2026-11-24]")
    (tmp_path / "schedule.yaml").write_text(text, encoding="utf-8")
    assert starts(load_schedule(tmp_path, MSK), "transport", date(2026, 11, 24)) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("        capacity: 2", "        capacity: 0", ":42: offices.0.services.0.capacity"),
        ("    pass_regime: true", "    pass_regime: maybe", ":30: offices.0.pass_regime"),
        ('      tue: ["10:00-13:00"', '      tue: ["10:00-13:70"', ":33: offices.0.hours.tue.0"),
        ("hold_minutes: 10", "hold_minutes: [", ":6: not valid YAML"),
    ],
)
def test_errors_name_file_line_and_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = (SHIPPED / "schedule.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "schedule.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_schedule(tmp_path, MSK)
    assert str(error.value).startswith(f"{tmp_path / 'schedule.yaml'}{message}"), error.value
