"""The register as files: the form's six columns in a workbook and a CSV, the usage figures
beside it. The workbook's first sheet is the form itself, one titled group per direction;
the CSV carries the direction in its second column, rows in the groups' order."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from touchpoints.changes import Reason
from touchpoints.models import RegisterChange
from touchpoints.register import Register, Row
from touchpoints.usage import Paths, Usage

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

COLUMNS = (
    "N п/п",
    "Направление деятельности органа власти",
    "Наименование конкретного процесса",
    "Точка взаимодействия",
    "Осуществляемое взаимодействие с клиентом",
    "Особенности взаимодействия с клиентом",
)
USAGE_COLUMNS = ("N п/п", "Точка взаимодействия", "Процесс", "Вид", "Использований")
NOT_SEEN = "бот не видит"  # a touchpoint outside the bot: no events to count
FORM_CSV = "touchpoints.csv"
USAGE_CSV = "touchpoints-usage.csv"
WORKBOOK = "touchpoints.xlsx"


@dataclass(frozen=True)
class Figures:
    """Everything an export shows: the register, its use over a period, its change log."""

    register: Register
    made: datetime  # the office's time of the export
    first: date  # the period, both days included
    last: date
    usage: Sequence[Usage]
    paths: Paths
    changes: Sequence[RegisterChange]

    def numbers(self) -> dict[str, int]:
        return {row.key: n for n, row in enumerate(self.register.rows, start=1)}


def interaction(row: Row) -> str:
    """Column 5: the needs served (the regulations' words), then what is done there."""
    needs = "; ".join(need.label for need in row.needs)
    needs = needs[:1].upper() + needs[1:]
    return f"{needs}. {row.interaction}" if row.interaction else needs


def features(row: Row) -> str:
    """Column 6: digital or offline first, then the office's notes."""
    return f"{row.kind.label}. {row.features}" if row.features else row.kind.label


def cells(n: int, row: Row) -> tuple[str, ...]:
    return (
        str(n),
        row.direction.label,
        row.process,
        row.touchpoint,
        interaction(row),
        features(row),
    )


def uses(usage: Usage) -> str:
    return NOT_SEEN if usage.uses is None else str(usage.uses)


def change_line(change: RegisterChange) -> str:
    what = f"{Reason(change.reason).label}: {change.touchpoint} ({change.process})"
    if change.before and change.after:
        return f"{what} — было «{change.before}», стало «{change.after}»"
    return what


def form_csv(register: Register) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for _, rows in register.groups():
        writer.writerows(cells(n, row) for n, row in rows)
    return out.getvalue()


def usage_csv(figures: Figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(USAGE_COLUMNS)
    numbers = figures.numbers()
    for usage in figures.usage:
        row = usage.row
        writer.writerow(
            (numbers[row.key], row.touchpoint, row.process, row.kind.label, uses(usage))
        )
    return out.getvalue()


def workbook(figures: Figures) -> bytes:
    import xlsxwriter  # only where an export is made

    out = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(out, options)
    # The creation time from the bot's clock: XlsxWriter would read the system clock.
    book.set_properties(
        {"title": "Перечень точек взаимодействия", "created": figures.made.replace(tzinfo=None)}
    )
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    group = book.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})

    form = book.add_worksheet("Перечень")
    _header(form, COLUMNS, head, (7, 28, 40, 32, 48, 40))
    line = 1
    for index, (direction, rows) in enumerate(figures.register.groups(), start=1):
        form.merge_range(line, 0, line, len(COLUMNS) - 1, f"{index}. {direction.label}", group)
        line += 1
        for n, row in rows:
            form.write_row(line, 0, cells(n, row), cell)
            line += 1

    usage = book.add_worksheet("Использование")
    period = f"{USAGE_COLUMNS[-1]} {figures.first:%d.%m.%Y}–{figures.last:%d.%m.%Y}"
    _header(usage, (*USAGE_COLUMNS[:-1], period), head, (7, 32, 40, 16, 24))
    numbers = figures.numbers()
    for line, item in enumerate(figures.usage, start=1):
        row = item.row
        usage.write_row(
            line, 0, (numbers[row.key], row.touchpoint, row.process, row.kind.label), cell
        )
        usage.write(line, 4, NOT_SEEN if item.uses is None else item.uses, cell)

    paths = book.add_worksheet("Перед обращением")
    _header(
        paths,
        ("Точка взаимодействия", "Процесс", "Обращений к сотрудникам после неё"),
        head,
        (32, 40, 20),
    )
    for line, passed in enumerate(figures.paths.rows, start=1):
        paths.write_row(line, 0, (passed.row.touchpoint, passed.row.process), cell)
        paths.write(line, 2, passed.tickets, cell)
    paths.write_row(len(figures.paths.rows) + 1, 0, ("Всего обращений", ""), head)
    paths.write(len(figures.paths.rows) + 1, 2, figures.paths.tickets, head)

    log = book.add_worksheet("Изменения")
    _header(
        log, ("Замечено", "Изменение", "Опубликовать до", "Опубликовано"), head, (12, 70, 16, 14)
    )
    for line, change in enumerate(figures.changes, start=1):
        published = f"{change.published_on:%d.%m.%Y}" if change.published_on else ""
        log.write_row(
            line,
            0,
            (
                f"{change.found_on:%d.%m.%Y}",
                change_line(change),
                f"{change.due_on:%d.%m.%Y}",
                published,
            ),
            cell,
        )
    book.close()
    return out.getvalue()


def _header(sheet: Worksheet, names: Sequence[str], style: Format, widths: Sequence[int]) -> None:
    sheet.write_row(0, 0, names, style)
    sheet.freeze_panes(1, 0)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
