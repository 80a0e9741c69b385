"""The report as an Excel workbook (XlsxWriter): one sheet per table and one with the charts.
A hidden cell reads "скрыто", the same for every reason, so a reader cannot tell a cell with
1–4 answers from one hidden to protect it."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from surveys.charts import HIDDEN, month_label
from surveys.results import Analysis, Count, Grid, Score, within

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

SHEETS = (
    "Сводка",
    "Вопросы",
    "CSAT",
    "NPS",
    "По месяцам",
    "Этапы",
    "Сроки ответов",
    "Темы",
    "Графики",
)
NOTE = (
    "Скрыто: ячейки, где меньше 5 ответов (или анкет), и те, что можно было бы вычислить "
    "из других опубликованных чисел (итог минус остальные)."
)
KINDS = {
    "rating": "оценка 1–5",
    "nps": "0–10",
    "single": "один вариант",
    "multiple": "несколько вариантов",
    "text": "свободный ответ",
}


def workbook(
    current: Analysis, previous: Analysis, charts: Mapping[str, bytes], created: datetime
) -> bytes:
    import xlsxwriter  # only where a report is made

    out = io.BytesIO()
    # Free text and labels are data, never formulas or links.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(out, options)
    # The creation time from the bot's clock: XlsxWriter would read the system clock.
    book.set_properties(
        {
            "title": f"Обратная связь, {current.quarter.label()}",
            "created": created.replace(tzinfo=None),
        }
    )
    styles = _Styles(book)
    _summary(book.add_worksheet(SHEETS[0]), styles, current, previous)
    _questions(book.add_worksheet(SHEETS[1]), styles, current)
    _grid(book.add_worksheet(SHEETS[2]), styles, current.csat, "CSAT, % оценок 4–5")
    _grid(book.add_worksheet(SHEETS[3]), styles, current.nps, "NPS, пунктов")
    _months(book.add_worksheet(SHEETS[4]), styles, current)
    _stages(book.add_worksheet(SHEETS[5]), styles, current)
    _replies(book.add_worksheet(SHEETS[6]), styles, current)
    _themes(book.add_worksheet(SHEETS[7]), styles, current)
    sheet = book.add_worksheet(SHEETS[8])
    row = 0
    for name, png in charts.items():
        sheet.write(row, 0, name, styles.bold)
        sheet.insert_image(row + 1, 0, name, {"image_data": io.BytesIO(png), "object_position": 3})
        row += 1 + _rows_of(png)
    book.close()
    return out.getvalue()


class _Styles:
    def __init__(self, book: Workbook) -> None:
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.head = book.add_format(
            {"bold": True, "bg_color": "#dde6f0", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.number = book.add_format({"num_format": "0"})
        self.score = book.add_format({"num_format": "0.0"})
        self.hidden = book.add_format({"font_color": "#808080", "italic": True})
        self.note = book.add_format({"italic": True, "font_color": "#606060"})


def _put(sheet: Worksheet, styles: _Styles, row: int, column: int, value: Any) -> None:
    """A number, a text, or nothing; None writes an empty cell."""
    if value is None:
        return
    if value == HIDDEN:
        sheet.write_string(row, column, HIDDEN, styles.hidden)
    elif isinstance(value, float):
        sheet.write_number(row, column, value, styles.score)
    elif isinstance(value, int):
        sheet.write_number(row, column, value, styles.number)
    else:
        sheet.write_string(row, column, str(value))


def _table(
    sheet: Worksheet,
    styles: _Styles,
    row: int,
    head: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int] = (),
) -> int:
    """Writes a header and rows from `row`; returns the next free row."""
    for column, text in enumerate(head):
        sheet.write_string(row, column, text, styles.head)
    for number, values in enumerate(rows, start=row + 1):
        for column, value in enumerate(values):
            _put(sheet, styles, number, column, value)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    return row + len(rows) + 2


def _count(count: Count) -> int | str:
    return HIDDEN if count.hidden else count.n


def _score(score: Score) -> float | str | None:
    return HIDDEN if score.hidden else score.value


def _n(score: Score) -> int | str:
    return HIDDEN if score.hidden else score.n


def _summary(sheet: Worksheet, styles: _Styles, current: Analysis, previous: Analysis) -> None:
    sheet.write_string(0, 0, f"Обратная связь: {current.quarter.label()}", styles.title)
    replies = within(current.replies)
    rows = [
        ("Ответов на вопросы-оценки", _n(current.csat.total), _n(previous.csat.total)),
        ("CSAT, % оценок 4–5", _score(current.csat.total), _score(previous.csat.total)),
        ("Ответов на вопрос «порекомендуете ли»", _n(current.nps.total), _n(previous.nps.total)),
        ("NPS, пунктов", _score(current.nps.total), _score(previous.nps.total)),
        ("Оценок этапов", current.stages_total.n, previous.stages_total.n),
        ("Средняя оценка этапов, 1–5", current.stages_total.mean, previous.stages_total.mean),
        (
            "Обращений, отвеченных в срок, %",
            None if replies is None else 100 * replies,
            _percent(within(previous.replies)),
        ),
        ("Свободных ответов", current.themes.answers, previous.themes.answers),
    ]
    head = ("Показатель", current.quarter.label(), previous.quarter.label())
    row = _table(sheet, styles, 2, head, rows, (44, 16, 16))
    sheet.write_string(row, 0, NOTE, styles.note)
    if current.skipped:
        sheet.write_string(
            row + 1,
            0,
            f"Не учтено ответов на вопросы, которых уже нет в анкетах: {current.skipped}",
            styles.note,
        )


def _percent(share: float | None) -> float | None:
    return None if share is None else 100 * share


def _questions(sheet: Worksheet, styles: _Styles, analysis: Analysis) -> None:
    rows: list[tuple[Any, ...]] = []
    for question in analysis.distributions:
        total = _count(question.total)
        rows.append(
            (question.survey_title, question.text, KINDS[question.kind], "всего", total, None)
        )
        for label, count in question.values:
            share = None
            if not count.hidden and not question.total.hidden and question.total.n:
                share = 100 * count.n / question.total.n
            rows.append((None, None, None, label, _count(count), share))
    head = ("Анкета", "Вопрос", "Тип", "Ответ", "Ответов", "% ответивших")
    row = _table(sheet, styles, 0, head, rows, (28, 50, 16, 30, 10, 12))
    sheet.write_string(row, 0, NOTE, styles.note)


def _grid(sheet: Worksheet, styles: _Styles, grid: Grid, title: str) -> None:
    sheet.write_string(0, 0, title, styles.title)
    head = ("Услуга \\ точка контакта", *grid.touchpoints, "Все точки")
    values = [
        (
            service,
            *[_score(grid.cells.get((service, t), Score(0, None))) for t in grid.touchpoints],
            _score(grid.by_service[service]),
        )
        for service in grid.services
    ]
    values.append(
        (
            "Все услуги",
            *[_score(grid.by_touchpoint[t]) for t in grid.touchpoints],
            _score(grid.total),
        )
    )
    row = _table(sheet, styles, 2, head, values, (26, *[14] * (len(grid.touchpoints) + 1)))
    sheet.write_string(row - 1, 0, "Ответов", styles.bold)
    counts = [
        (
            service,
            *[_n(grid.cells.get((service, t), Score(0, None))) for t in grid.touchpoints],
            _n(grid.by_service[service]),
        )
        for service in grid.services
    ]
    counts.append(
        ("Все услуги", *[_n(grid.by_touchpoint[t]) for t in grid.touchpoints], _n(grid.total))
    )
    row = _table(sheet, styles, row, head, counts)
    sheet.write_string(row, 0, NOTE, styles.note)


def _months(sheet: Worksheet, styles: _Styles, analysis: Analysis) -> None:
    rows = []
    for month in analysis.quarter.months:
        csat = analysis.csat.by_month.get(month, Score(0, None))
        nps = analysis.nps.by_month.get(month, Score(0, None))
        replies = _percent(analysis.replies_by_month.get(month))
        rows.append((month_label(month), _score(csat), _n(csat), _score(nps), _n(nps), replies))
    head = ("Месяц", "CSAT, %", "Ответов", "NPS", "Ответов", "Обращений в срок, %")
    row = _table(sheet, styles, 0, head, rows, (14, 10, 10, 10, 10, 20))
    sheet.write_string(
        row, 0, "Неделя относится к месяцу, в который попал её понедельник.", styles.note
    )


def _stages(sheet: Worksheet, styles: _Styles, analysis: Analysis) -> None:
    rows = [
        (s.stage, HIDDEN if s.hidden else s.n, HIDDEN if s.hidden else s.mean)
        for s in (*analysis.stages, analysis.stages_total)
    ]
    rows[-1] = ("Все этапы", *rows[-1][1:])
    row = _table(sheet, styles, 0, ("Этап", "Оценок", "Средняя, 1–5"), rows, (30, 10, 14))
    sheet.write_string(row, 0, NOTE, styles.note)


def _replies(sheet: Worksheet, styles: _Styles, analysis: Analysis) -> None:
    rows = [
        (kind.label, kind.tickets, kind.decided, _percent(kind.within))
        for kind in analysis.replies
    ]
    head = ("Вид обращения", "Обращений", "Срок истёк или ответ дан", "Первый ответ в срок, %")
    _table(sheet, styles, 0, head, rows, (26, 12, 24, 22))


def _themes(sheet: Worksheet, styles: _Styles, analysis: Analysis) -> None:
    themes = analysis.themes
    row = _table(sheet, styles, 0, ("Слово", "Ответов"), themes.words, (30, 10))
    row = _table(sheet, styles, row, ("Сочетание", "Ответов"), themes.phrases)
    sheet.write_string(
        row,
        0,
        "Слово или сочетание показано, если его используют не меньше 5 разных ответов.",
        styles.note,
    )


def _rows_of(png: bytes) -> int:
    """How many spreadsheet rows (20 px) a PNG covers: its height is in its header."""
    height = int.from_bytes(png[20:24], "big")
    return height // 20 + 2
