"""`priemnaya applications import FILE.csv`: the office's own system's export, upserted by
number. A new number needs a service and a check code; a known one takes a new stage (the
person is told, as when staff move it), a new code or service. Each line is applied alone,
so a bad one is reported by its line number and the rest still go in. The file is UTF-8 or,
as office systems on Russian Windows write it, Windows-1251."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from applications import codes
from applications.service import Office, Problem, service_id
from applications.views import staff_text

BY = "CSV"
# Column names in either language, as an office's export may write them.
COLUMNS = {
    "number": ("number", "номер"),
    "service": ("service", "услуга"),
    "stage": ("stage", "этап"),
    "code": ("code", "код"),
    "note": ("note", "комментарий"),
}


# What an export may be written in: UTF-8 (with Excel's mark or without), else Windows-1251.
ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp1251", "Windows-1251"))


@dataclass
class Report:
    added: int = 0
    advanced: int = 0
    updated: int = 0
    unchanged: int = 0
    told: int = 0  # people following an advanced application: each gets a notice
    errors: list[str] = field(default_factory=list)

    def render(self) -> str:
        counts = (
            f"added {self.added}, advanced {self.advanced}, updated {self.updated},"
            f" unchanged {self.unchanged}, errors {len(self.errors)}"
        )
        return "\n".join([counts, *self.errors])


class CsvError(ValueError):
    """A file that cannot be read as the export at all (no header with a number column)."""


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the name of the encoding it was read in."""
    for codec, name in ENCODINGS:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise CsvError("neither UTF-8 nor Windows-1251 text")


def _rows(text: str) -> tuple[csv.DictReader[str], dict[str, str]]:
    # The header names the delimiter: notes further down may hold commas or semicolons.
    header = text.partition("\n")[0]
    delimiter = max(";,\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    found = {(name or "").strip().lower(): name for name in reader.fieldnames or ()}
    columns = {
        key: found[name] for key, names in COLUMNS.items() for name in names if name in found
    }
    if "number" not in columns:
        raise CsvError("line 1: no 'number' (or 'номер') column in the header")
    return reader, columns


async def import_csv(session: AsyncSession, office: Office, text: str, now: datetime) -> Report:
    reader, columns = _rows(text)
    report = Report()
    for row in reader:
        values = {key: (row.get(column) or "").strip() for key, column in columns.items()}
        try:
            async with session.begin_nested():
                outcome, told = await _apply(session, office, values, now)
        except Problem as problem:
            reason = staff_text(problem.key, **problem.values)
            report.errors.append(f"line {reader.line_num}: {reason}")
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.told += told
    return report


async def _apply(
    session: AsyncSession, office: Office, values: dict[str, str], now: datetime
) -> tuple[str, bool]:
    """One line: "added", "advanced", "updated" or "unchanged", and whether a person is told
    of it; Problem when it cannot be."""
    number, stage, code = values["number"], values.get("stage"), values.get("code")
    if codes.number(number) is None:
        raise Problem("app-error-number", number=number)
    application = await office.find(session, number, lock=True)
    if application is None:
        if not values.get("service") or not code:
            raise Problem("app-error-import-new", number=number)
        service, note = values["service"], values.get("note")
        await office.add(session, number, service, code, BY, now, stage or None, note)
        return "added", False
    outcome = "unchanged"
    service = service_id(values["service"]) if values.get("service") else None
    if service is not None and service != application.service:
        application.service = service
        outcome = "updated"
    if code and not office.has_code(application, code):
        office.set_code(application, code)
        outcome = "updated"
    found = office.stages.find(stage) if stage else None
    if stage and (found is None or found.id != application.stage):
        await office.advance(session, application, stage, values.get("note"), BY, now)
        return "advanced", application.person_id is not None
    return outcome, False
