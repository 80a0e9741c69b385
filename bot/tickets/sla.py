"""Reply limits as data (sla.yaml) and the deadline arithmetic, round the clock or in the
office's working hours by the production calendar; also how long ticket texts are kept and
which kinds keep the person's contacts visible to staff."""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictBool

from bot.core.calendar import SHIPPED_OVERRIDES, OfficeTime, ProductionCalendar, WeeklyHours
from bot.core.config import Settings
from bot.core.content import Loc, Strict, load_model

SHIPPED = Path(__file__).parent / "sla.yaml"
REQUEST, QUESTION, COMPLAINT, SUGGESTION, COMMENT, MENTION = (
    "request",
    "question",
    "complaint",
    "suggestion",
    "comment",
    "mention",
)
KINDS = (REQUEST, QUESTION, COMPLAINT, SUGGESTION, COMMENT, MENTION)
# The person picks one; the rest come from walls.
CITIZEN_KINDS = (REQUEST, QUESTION, COMPLAINT, SUGGESTION)
# Kinds added after offices began to copy sla.yaml: a copy without one takes the shipped limits.
ADDED_LATER = (SUGGESTION,)
_DURATION = re.compile(r"^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?$")


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


def _duration(value: object) -> timedelta:
    match = _DURATION.match(str(value).strip())
    if not str(value).strip() or match is None:
        raise ValueError(f"{value!r} is not a duration like 2h, 90m or 3d")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    duration = timedelta(days=days, hours=hours, minutes=minutes)
    if not duration:
        raise ValueError("a limit must be longer than zero")
    return duration


def _shares(value: object) -> tuple[float, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(share, int | float) and 0 < share < 1 for share in value
    ):
        raise ValueError("must be fractions between 0 and 1, e.g. [0.5, 0.8]")
    return tuple(sorted(float(share) for share in value))


Duration = Annotated[timedelta, BeforeValidator(_duration)]


class _Limits(Strict):
    """One kind's limits as written, or the defaults every kind starts from."""

    first_reply: Duration | None = None  # required, here or in the defaults
    final_answer: Duration = timedelta(hours=24)
    working_hours: StrictBool = False
    reminders: Annotated[tuple[float, ...], BeforeValidator(_shares)] = ()
    keep_contacts: StrictBool = False


class _SLAFile(BaseModel):
    # Unknown top-level keys have always been ignored, so an office's file may carry them.
    model_config = ConfigDict(frozen=True)

    defaults: _Limits = _Limits()
    kinds: dict[str, _Limits | None] = {}
    auto_close: Duration = timedelta(hours=72)
    retention: Duration = timedelta(days=365)
    office_hours: WeeklyHours = WeeklyHours()

    def limits(self, kind: str) -> _Limits:
        """The kind's own keys over the defaults (a key the kind leaves out is inherited)."""
        own = self.kinds.get(kind) or _Limits()
        return self.defaults.model_copy(update=own.model_dump(exclude_unset=True))


def _problems(rules: _SLAFile) -> Iterator[tuple[Loc, str]]:
    missing = [kind for kind in KINDS if kind not in rules.kinds and kind not in ADDED_LATER]
    unknown = sorted(set(rules.kinds) - set(KINDS))
    if missing or unknown:
        wrong = (missing or unknown)[0]
        loc: Loc = ("kinds", *unknown[:1])
        yield loc, f"kinds must be exactly {', '.join(KINDS)} (check {wrong!r})"
        return
    for kind in KINDS:
        if kind in rules.kinds and rules.limits(kind).first_reply is None:
            yield ("kinds", kind), f"kinds.{kind}: first_reply is required"
    needs_hours = any(rules.limits(kind).working_hours for kind in rules.kinds)
    if needs_hours and not any(rules.office_hours.days.values()):
        yield ("office_hours",), "office_hours are needed for working_hours: true"


def _policy(kind: str, limits: _Limits) -> Policy:
    assert limits.first_reply is not None  # _problems refuses a kind without one
    return Policy(
        kind=kind,
        first_reply=limits.first_reply,
        final_answer=limits.final_answer,
        working_hours=limits.working_hours,
        reminders=limits.reminders,
        keep_contacts=limits.keep_contacts,
    )


def load_sla(path: Path, tz: ZoneInfo, calendar: ProductionCalendar | None = None) -> SLA:
    """Read sla.yaml; ContentError names the file, line and value at fault."""
    rules = load_model(path, _SLAFile, checks=_problems)
    shipped = rules if path == SHIPPED else load_model(SHIPPED, _SLAFile, checks=_problems)
    policies = {
        kind: _policy(kind, (rules if kind in rules.kinds else shipped).limits(kind))
        for kind in KINDS
    }
    calendar = calendar or ProductionCalendar.from_file(SHIPPED_OVERRIDES)
    office = OfficeTime(calendar, rules.office_hours, tz)
    return SLA(policies, rules.auto_close, office, rules.retention)


def sla_from_settings(settings: Settings) -> SLA:
    """CONTENT_DIR/tickets/sla.yaml when the office has one, else the shipped defaults."""
    path = settings.content_dir / "tickets" / "sla.yaml" if settings.content_dir else SHIPPED
    return load_sla(path if path.exists() else SHIPPED, settings.tz)
