"""The office's booking rules as data: offices, their services, hours and notices, read from
YAML (the shipped demo, or CONTENT_DIR/booking/schedule.yaml) by the core's content loader,
so errors name the file, the line and the field."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from bot.core.calendar import CalendarOverrides, ProductionCalendar, WeeklyHours
from bot.core.content import Loc, Text, load_model

SHIPPED = Path(__file__).parent / "demo"
FILE_NAME = "schedule.yaml"
_ID = r"^[a-z][a-z0-9_]{0,31}$"


class Service(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(pattern=_ID)]
    title: Text
    # The standard's oral consultation takes at most 5 minutes; the slot leaves room to
    # find papers and to change over, so the in-person wait stays within 15 minutes.
    slot_minutes: Annotated[int, Field(ge=5, le=240)] = 15
    talk_minutes: Annotated[int, Field(ge=1, le=240)] = 5
    capacity: Annotated[int, Field(ge=1, le=50)] = 1  # windows (officials) for this service
    bring: Text

    @property
    def slot(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)


class Office(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(pattern=_ID)]
    name: Text
    address: Text
    directions: Text
    phone: Annotated[str, Field(min_length=1)]
    pass_regime: bool
    # Where a pass is needed: may a person who gives no pass data still book (and show a
    # document at the desk)?
    allow_without_pass: bool = False
    # Reception hours, e.g. {"tue": ["10:00-13:00", "13:45-17:00"]}: the gap is the break.
    hours: WeeklyHours
    services: Annotated[list[Service], Field(min_length=1)]

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)


class _ScheduleModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hold_minutes: Annotated[int, Field(ge=1, le=60)] = 10
    horizon_days: Annotated[int, Field(ge=1, le=366)] = 30
    min_notice_minutes: Annotated[int, Field(ge=0)] = 120
    cancel_notice_minutes: Annotated[int, Field(ge=0)] = 180
    reminder_hours: list[Annotated[int, Field(ge=1, le=168)]] = [24, 2]
    purge_after_days: Annotated[int, Field(ge=1, le=3650)] = 30
    pass_list_hour: Annotated[int, Field(ge=0, le=23)] = 8
    calendar: CalendarOverrides = CalendarOverrides()
    offices: Annotated[list[Office], Field(min_length=1)]


def _unique_ids(rules: _ScheduleModel) -> Iterator[tuple[Loc, str]]:
    offices: set[str] = set()
    for o_index, office in enumerate(rules.offices):
        if office.id in offices:
            yield ("offices", o_index, "id"), f"two offices have the id {office.id!r}"
        offices.add(office.id)
        services: set[str] = set()
        for s_index, service in enumerate(office.services):
            if service.id in services:
                loc = ("offices", o_index, "services", s_index, "id")
                yield loc, f"office {office.id}: two services have the id {service.id!r}"
            services.add(service.id)


@dataclass(frozen=True)
class Schedule:
    """The validated rules plus the parsed hours and calendar, ready for slot arithmetic."""

    rules: _ScheduleModel
    calendar: ProductionCalendar
    tz: ZoneInfo

    @property
    def offices(self) -> list[Office]:
        return self.rules.offices

    def office(self, office_id: str) -> Office | None:
        return next((o for o in self.rules.offices if o.id == office_id), None)

    @property
    def hold(self) -> timedelta:
        return timedelta(minutes=self.rules.hold_minutes)

    @property
    def min_notice(self) -> timedelta:
        return timedelta(minutes=self.rules.min_notice_minutes)

    @property
    def cancel_notice(self) -> timedelta:
        return timedelta(minutes=self.rules.cancel_notice_minutes)

    def slots_on(self, office: Office, service: Service, day: date) -> list[datetime]:
        """Every slot start of the day by the hours and the production calendar (taken or
        not), in the office's zone; a shortened pre-holiday day loses its last hour."""
        starts = []
        for begin, end in office.hours.periods(day, self.calendar, self.tz):
            start = begin
            while start + service.slot <= end:
                starts.append(start)
                start += service.slot
        return starts

    def bookable_days(self, now: datetime) -> list[date]:
        today = now.astimezone(self.tz).date()
        return [today + timedelta(days=n) for n in range(self.rules.horizon_days + 1)]

    def offers(self, office: Office, service: Service, start: datetime, now: datetime) -> bool:
        """Is `start` a slot of this office and service that may be booked now (in the
        hours, on a working day, not too soon, not beyond the horizon)?"""
        local = start.astimezone(self.tz)
        if start < now + self.min_notice or local.date() not in self.bookable_days(now):
            return False
        return local in self.slots_on(office, service, local.date())


def load_schedule(folder: Path, tz: ZoneInfo) -> Schedule:
    """Read `folder/schedule.yaml`; ContentError names the file, line and field at fault."""
    rules = load_model(folder / FILE_NAME, _ScheduleModel, checks=_unique_ids)
    return Schedule(rules, rules.calendar.calendar(), tz)
