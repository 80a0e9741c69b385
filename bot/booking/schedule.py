"""The office's booking rules as data: offices, their services, hours and notices, read from
YAML (the shipped demo, or CONTENT_DIR/booking/schedule.yaml) and validated with errors that
name the file, the line and the field."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.core.calendar import CalendarError, ProductionCalendar, WeeklyHours
from knowledge_base.entries import ContentError

SHIPPED = Path(__file__).parent / "demo"
FILE_NAME = "schedule.yaml"
_ID = r"^[a-z][a-z0-9_]{0,31}$"


class ScheduleError(ContentError):
    """The schedule file cannot be used; the message names the file, line and field."""


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ru: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.ru


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
    hours: dict[str, list[str]]
    services: Annotated[list[Service], Field(min_length=1)]

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)


class CalendarOverrides(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days_off: list[date] = []
    working_days: list[date] = []
    short_days: list[date] = []


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

    @model_validator(mode="after")
    def _unique_ids(self) -> "_ScheduleModel":
        ids = [office.id for office in self.offices]
        if len(set(ids)) != len(ids):
            raise ValueError("two offices have the same id")
        for office in self.offices:
            services = [service.id for service in office.services]
            if len(set(services)) != len(services):
                raise ValueError(f"office {office.id}: two services have the same id")
        return self


@dataclass(frozen=True)
class Schedule:
    """The validated rules plus the parsed hours and calendar, ready for slot arithmetic."""

    rules: _ScheduleModel
    hours: dict[str, WeeklyHours]
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
        for begin, end in self.hours[office.id].periods(day, self.calendar, self.tz):
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
    """Read `folder/schedule.yaml`; ScheduleError names the file, line and field at fault."""
    path = folder / FILE_NAME
    data, root = _parse(path)
    try:
        rules = _ScheduleModel.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        node = root
        for part in first["loc"]:
            node = _child(node, part) or node
        field = ".".join(str(part) for part in first["loc"]) or "file"
        raise ScheduleError(f"{path}, line {_line(node)}: {field}: {first['msg']}") from None
    hours = {}
    for office in rules.offices:
        try:
            hours[office.id] = WeeklyHours.parse(office.hours, f"offices.{office.id}.hours")
        except CalendarError as exc:
            raise ScheduleError(f"{path}: {exc}") from None
    overrides = rules.calendar
    calendar = ProductionCalendar(
        frozenset(overrides.days_off),
        frozenset(overrides.working_days),
        frozenset(overrides.short_days),
    )
    return Schedule(rules, hours, calendar, tz)


def _parse(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScheduleError(f"{path}: cannot read the file: {exc}") from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise ScheduleError(f"{path}, line {line}: not valid YAML") from None
    finally:
        loader.dispose()
    return data, node


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        return next((v for k, v in node.value if getattr(k, "value", None) == key), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def _line(node: yaml.Node | None) -> int | str:
    return node.start_mark.line + 1 if node is not None else "?"
