"""Reply limits as data (sla.yaml) and the deadline arithmetic, round the clock or in the
office's working hours by the production calendar; also how long ticket texts are kept and
which kinds keep the person's contacts visible to staff."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.core.calendar import (
    SHIPPED_OVERRIDES,
    CalendarError,
    OfficeTime,
    ProductionCalendar,
    WeeklyHours,
)
from bot.core.config import Settings

SHIPPED = Path(__file__).parent / "sla.yaml"
REQUEST, QUESTION, COMPLAINT, COMMENT, MENTION = (
    "request",
    "question",
    "complaint",
    "comment",
    "mention",
)
KINDS = (REQUEST, QUESTION, COMPLAINT, COMMENT, MENTION)
CITIZEN_KINDS = (REQUEST, QUESTION, COMPLAINT)  # the person picks one; the rest come from walls
_DURATION = re.compile(r"^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?$")
_POLICY_KEYS = {"first_reply", "final_answer", "working_hours", "reminders", "keep_contacts"}


class SLAError(ValueError):
    """sla.yaml is wrong; the message names the file and the value."""


@dataclass(frozen=True)
class Policy:
    kind: str
    first_reply: timedelta
    final_answer: timedelta
    working_hours: bool
    reminders: tuple[float, ...]
    keep_contacts: bool  # phones and e-mails in the person's text stay visible to staff


@dataclass(frozen=True)
class SLA:
    policies: Mapping[str, Policy]
    auto_close: timedelta
    office: OfficeTime
    # How long texts and files of a closed ticket are kept before they are erased.
    retention: timedelta = timedelta(days=365)

    def policy(self, kind: str) -> Policy:
        return self.policies[kind]

    def deadline(self, kind: str, start: datetime, limit: timedelta) -> datetime:
        if self.policies[kind].working_hours:
            return self.office.add_working_time(start, limit)
        return start + limit

    def elapsed(self, kind: str, start: datetime, end: datetime) -> timedelta:
        """Time that counts against the limit between two moments."""
        if self.policies[kind].working_hours:
            return self.office.working_time_between(start, end)
        return end - start

    def reminder_times(
        self, kind: str, start: datetime, limit: timedelta
    ) -> list[tuple[float, datetime]]:
        return [
            (share, self.deadline(kind, start, limit * share))
            for share in self.policies[kind].reminders
        ]


def parse_duration(value: object, where: str) -> timedelta:
    match = _DURATION.match(str(value).strip())
    if not str(value).strip() or match is None:
        raise SLAError(f"{where}: {value!r} is not a duration like 2h, 90m or 3d")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    duration = timedelta(days=days, hours=hours, minutes=minutes)
    if not duration:
        raise SLAError(f"{where}: a limit must be longer than zero")
    return duration


def _policy(kind: str, raw: Mapping[str, Any], defaults: Mapping[str, Any], path: Path) -> Policy:
    where = f"{path}: kinds.{kind}"
    unknown = set(raw) - _POLICY_KEYS
    if unknown:
        raise SLAError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    merged = {**defaults, **raw}
    if "first_reply" not in merged:
        raise SLAError(f"{where}: first_reply is required")
    reminders = merged.get("reminders") or []
    if not isinstance(reminders, list) or not all(
        isinstance(share, int | float) and 0 < share < 1 for share in reminders
    ):
        raise SLAError(f"{where}: reminders must be fractions between 0 and 1, e.g. [0.5, 0.8]")
    for flag in ("working_hours", "keep_contacts"):
        if not isinstance(merged.get(flag, False), bool):
            raise SLAError(f"{where}: {flag} must be true or false")
    return Policy(
        kind=kind,
        first_reply=parse_duration(merged["first_reply"], f"{where}.first_reply"),
        final_answer=parse_duration(merged.get("final_answer", "24h"), f"{where}.final_answer"),
        working_hours=merged.get("working_hours", False),
        reminders=tuple(sorted(float(share) for share in reminders)),
        keep_contacts=merged.get("keep_contacts", False),
    )


def load_sla(path: Path, tz: ZoneInfo, calendar: ProductionCalendar | None = None) -> SLA:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SLAError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise SLAError(f"{path}: expected a mapping of keys")
    defaults = data.get("defaults") or {}
    kinds = data.get("kinds") or {}
    if not isinstance(defaults, dict) or not isinstance(kinds, dict):
        raise SLAError(f"{path}: defaults and kinds must be mappings")
    if set(defaults) - _POLICY_KEYS:
        raise SLAError(
            f"{path}: defaults: unknown key {sorted(set(defaults) - _POLICY_KEYS)[0]!r}"
        )
    missing = [kind for kind in KINDS if kind not in kinds]
    if missing or set(kinds) - set(KINDS):
        wrong = missing[0] if missing else sorted(set(kinds) - set(KINDS))[0]
        raise SLAError(f"{path}: kinds must be exactly {', '.join(KINDS)} (check {wrong!r})")
    policies = {kind: _policy(kind, kinds[kind] or {}, defaults, path) for kind in KINDS}
    try:
        hours = WeeklyHours.parse(data.get("office_hours") or {}, f"{path}: office_hours")
    except CalendarError as exc:
        raise SLAError(str(exc)) from None
    if any(p.working_hours for p in policies.values()) and not any(hours.days.values()):
        raise SLAError(f"{path}: office_hours are needed for working_hours: true")
    office = OfficeTime(calendar or ProductionCalendar.from_file(SHIPPED_OVERRIDES), hours, tz)
    auto_close = parse_duration(data.get("auto_close", "72h"), f"{path}: auto_close")
    retention = parse_duration(data.get("retention", "365d"), f"{path}: retention")
    return SLA(policies, auto_close, office, retention)


def sla_from_settings(settings: Settings) -> SLA:
    """CONTENT_DIR/tickets/sla.yaml when the office has one, else the shipped defaults."""
    path = settings.content_dir / "tickets" / "sla.yaml" if settings.content_dir else SHIPPED
    return load_sla(path if path.exists() else SHIPPED, settings.tz)
