"""The report's charts as PNG files: each titled in Russian, with its axes named and its
numbers written on the bars. Hidden cells get no bar, only the word "скрыто", so a chart never
shows more than the tables.

matplotlib is imported here, inside the functions (the Agg canvas, no pyplot and no window):
it costs about a second and 40 MB, which only a report pays, not `priemnaya chat` or `run`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from surveys.questionnaire import Kind
from surveys.results import Analysis, Count, Distribution, Grid, Score, within

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

HIDDEN = "скрыто"
MONTHS = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
BLUE, GREEN, GREY = "#3b6ea5", "#5a9e5a", "#9a9a9a"
SUPPRESSED_NOTE = "Где меньше 5 ответов или число можно вычислить из других — скрыто"


def charts(current: Analysis, previous: Analysis) -> dict[str, bytes]:
    """File name → PNG."""
    files = {
        "csat.png": _grid_chart(current.csat, "CSAT: доля оценок 4–5", "% ответов 4 и 5"),
        "nps.png": _grid_chart(current.nps, "NPS: промоутеры минус критики", "NPS, пунктов"),
        "trend.png": _trend(current, previous),
        "stages.png": _stages(current),
        "sla.png": _sla(current),
    }
    surveys = dict.fromkeys(d.survey for d in current.distributions if d.values)
    for survey in surveys:
        shown = [d for d in current.distributions if d.survey == survey and d.values]
        files[f"questions-{survey}.png"] = _distributions(shown)
    return files


def month_label(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month:%Y}"


def _figure(width: float, height: float, *, layout: str | None = "constrained") -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout=layout)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _bars(
    axes: Axes, labels: Sequence[str], scores: Sequence[Score], limits: tuple[int, int], unit: str
) -> None:
    """Horizontal bars of scores, top to bottom in the given order, n on each."""
    rows = list(range(len(labels)))[::-1]
    values = [score.value if score.value is not None else 0 for score in scores]
    axes.barh(rows, values, color=[GREY if s.value is None else BLUE for s in scores])
    axes.set_yticks(
        rows,
        [
            f"{label} (n={score.n})" if not score.hidden else label
            for label, score in zip(labels, scores, strict=True)
        ],
    )
    axes.set_xlim(*limits)
    axes.set_xlabel(unit)
    axes.axvline(0, color="black", linewidth=0.8)
    for row, score in zip(rows, scores, strict=True):
        text = (
            HIDDEN
            if score.hidden
            else "нет ответов"
            if score.value is None
            else f"{score.value:.0f}"
        )
        axes.text(max(score.value or 0, 0) + 1, row, text, va="center", fontsize=9)


def _grid_chart(grid: Grid, title: str, unit: str) -> bytes:
    limits = (0, 105) if grid.name == "CSAT" else (-100, 105)
    sides = [
        ("По услугам", list(grid.services), [grid.by_service[s] for s in grid.services]),
        (
            "По точкам контакта",
            list(grid.touchpoints),
            [grid.by_touchpoint[t] for t in grid.touchpoints],
        ),
    ]
    rows = max(len(grid.services) + len(grid.touchpoints), 2)
    figure = _figure(8, 1.6 + 0.35 * rows)
    figure.suptitle(f"{title}, всего {_value(grid.total, ' %' if grid.name == 'CSAT' else '')}")
    panels = figure.subplots(2, 1, height_ratios=[max(len(labels), 1) for _, labels, _ in sides])
    for axes, (name, labels, scores) in zip(panels, sides, strict=True):
        axes.set_title(name, fontsize=10, loc="left")
        if labels:
            _bars(axes, labels, scores, limits, unit)
        else:
            _empty(axes)
    _note(figure, SUPPRESSED_NOTE)
    return _png(figure)


def _trend(current: Analysis, previous: Analysis) -> bytes:
    months = [*previous.quarter.months, *current.quarter.months]
    figure = _figure(8, 4.5)
    axes = figure.subplots()
    axes.set_title(
        f"CSAT и NPS по месяцам: {previous.quarter.label()} и {current.quarter.label()}"
    )
    for grid_of, name, color in (
        (lambda a: a.csat, "CSAT, %", BLUE),
        (lambda a: a.nps, "NPS", GREEN),
    ):
        points = [
            _month(grid_of(analysis), month).value
            for analysis in (previous, current)
            for month in analysis.quarter.months
        ]
        xs = [i for i, value in enumerate(points) if value is not None]
        axes.plot(xs, [points[i] for i in xs], marker="o", color=color, label=name)
        for x in xs:
            axes.annotate(
                f"{points[x]:.0f}",
                (x, points[x]),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
    axes.set_xticks(range(len(months)), [month_label(m) for m in months])
    axes.set_ylim(-100, 105)
    axes.set_ylabel("CSAT, %; NPS, пунктов")
    axes.set_xlabel("Месяц (неделя — в месяце своего понедельника)")
    axes.axhline(0, color="black", linewidth=0.8)
    axes.axvline(2.5, color=GREY, linestyle=":")
    axes.legend(loc="lower right")
    _note(figure, "Нет точки — меньше 5 ответов, или число скрыто")
    return _png(figure)


def _stages(analysis: Analysis) -> bytes:
    stages = analysis.stages
    figure = _figure(8, 1.6 + 0.4 * max(len(stages), 2))
    axes = figure.subplots()
    axes.set_title(f"Оценки этапов по пути клиента (1–5), всего {analysis.stages_total.n}")
    if not stages:
        _empty(axes)
        return _png(figure)
    rows = list(range(len(stages)))[::-1]
    axes.barh(rows, [s.mean or 0 for s in stages], color=BLUE)
    axes.set_yticks(rows, [s.stage if s.hidden else f"{s.stage} (n={s.n})" for s in stages])
    axes.set_xlim(0, 5.6)
    axes.set_xlabel("Средняя оценка, 1–5")
    for row, stage in zip(rows, stages, strict=True):
        text = HIDDEN if stage.hidden else f"{stage.mean:.2f}" if stage.mean else ""
        axes.text((stage.mean or 0) + 0.05, row, text, va="center", fontsize=9)
    return _png(figure)


def _sla(analysis: Analysis) -> bytes:
    months = analysis.quarter.months
    figure = _figure(8, 4.5)
    axes = figure.subplots()
    axes.set_title("Ответы на обращения в срок и удовлетворённость (CSAT) по месяцам")
    width = 0.38
    in_time = [analysis.replies_by_month.get(m) for m in months]
    series = (
        ("Ответ в срок, % обращений", GREEN, [None if v is None else 100 * v for v in in_time]),
        ("CSAT, % оценок 4–5", BLUE, [_month(analysis.csat, m).value for m in months]),
    )
    for offset, (name, color, values) in zip((-width / 2, width / 2), series, strict=True):
        xs = [x for x, value in enumerate(values) if value is not None]
        if xs:
            axes.bar(
                [x + offset for x in xs],
                [values[x] or 0 for x in xs],
                width,
                color=color,
                label=name,
            )
        for x, value in enumerate(values):
            text, y = ("—", 2) if value is None else (f"{value:.0f}", value + 1)
            axes.text(x + offset, y, text, ha="center", fontsize=8)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="upper right")
    axes.set_xticks(range(len(months)), [month_label(m) for m in months])
    axes.set_xlim(-0.6, len(months) - 0.4)
    axes.set_ylim(0, 119)
    axes.set_ylabel("%")
    axes.set_xlabel("Месяц")
    total = within(analysis.replies)
    share = "нет обращений" if total is None else f"{100 * total:.0f} %"
    _note(figure, f"Зелёный — ответ в срок (за квартал: {share}), синий — CSAT; «—» — нет данных")
    return _png(figure)


def _distributions(questions: Sequence[Distribution]) -> bytes:
    """One survey's questions in one chart (one axes draws far faster than one per
    question): a heading line per question, then a bar per answer, in % of its answers."""
    rows: list[tuple[str, Count | None, float | None, str]] = []  # label, count, %, colour
    for question in questions:
        total = question.total
        rows.append((f"{_short(question.text)} (ответов: {_count(total)})", None, None, BLUE))
        color = GREEN if question.kind is Kind.NPS else BLUE
        for label, count in question.values:
            shown = not (count.hidden or total.hidden) and total.n
            share = 100 * count.n / total.n if shown else None
            rows.append((_short(label, 40), count, share, color))
    # Laid out by hand: the constrained layout would draw the many labels twice. Headings
    # are written inside the plot, over their answers' bars, so the labels stay short.
    height = 1.0 + 0.24 * len(rows)
    figure = _figure(8, height, layout=None)
    widest = max((len(label) for label, count, _, _ in rows if count is not None), default=1)
    figure.subplots_adjust(
        left=min(0.4, 0.05 + widest * 0.008),
        right=0.97,
        top=1 - 0.45 / height,
        bottom=0.6 / height,
    )
    axes = figure.subplots()
    axes.set_title(f"Ответы на вопросы: «{questions[0].survey_title}»")
    ys = list(range(len(rows)))[::-1]
    axes.barh(ys, [row[2] or 0 for row in rows], color=[row[3] for row in rows], height=0.7)
    axes.set_yticks(
        ys, [label if count is not None else "" for label, count, _, _ in rows], fontsize=8
    )
    for y, (label, count, share, _) in zip(ys, rows, strict=True):
        if count is None:
            axes.text(0.5, y, label, va="center", fontsize=8, fontweight="bold")
        else:
            axes.text((share or 0) + 0.5, y, _count(count), va="center", fontsize=7)
    axes.set_xlim(0, 105)
    axes.set_xlabel("% ответивших на вопрос (у столбца — число ответов)")
    return _png(figure)


def _count(count: Count) -> str:
    return HIDDEN if count.hidden else str(count.n)


def _note(figure: Figure, text: str) -> None:
    """A grey line under the chart, with room made for it."""
    figure.supxlabel(text, fontsize=7, color=GREY, x=0.01, ha="left")


def _month(grid: Grid, month: date) -> Score:
    return grid.by_month.get(month, Score(0, None))


def _empty(axes: Axes) -> None:
    axes.text(
        0.5, 0.5, "Нет данных за квартал", ha="center", va="center", transform=axes.transAxes
    )
    axes.set_axis_off()


def _value(score: Score, unit: str) -> str:
    if score.hidden:
        return HIDDEN
    return "нет ответов" if score.value is None else f"{score.value:.0f}{unit} (n={score.n})"


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
