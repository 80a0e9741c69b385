"""The published results: a small static site the office puts on its website ("доступны
неограниченному кругу лиц"), from the same analysis and suppression as the quarterly report.

One page in plain HTML (headings, tables with captions, charts with alt texts, no
JavaScript), next to the workbook, a CSV of the satisfaction tables and the chart files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mako.template import Template

from bot.core import site
from bot.core.site import SitePage
from surveys.models import FeedbackChange
from surveys.report import ReportFiles
from surveys.results import Analysis, Grid, Score

INDEX = SitePage(site.INDEX, "Итоги опросов")
CSV = "results.csv"
site.add_page(INDEX)

# What each chart shows, for people who cannot see it (alt text) and for the page.
CHART_ALTS = {
    "csat.png": "Доля довольных (оценки 4 и 5) по услугам и точкам взаимодействия",
    "nps.png": "Индекс готовности рекомендовать (NPS) по услугам и точкам взаимодействия",
    "trend.png": "Удовлетворённость по месяцам квартала и прошлого квартала",
    "stages.png": "Средняя оценка на каждом этапе обращения",
    "sla.png": "Доля обращений с ответом в срок рядом с удовлетворённостью",
}


def _alt(name: str, analysis: Analysis) -> str:
    if name.startswith("questions-"):
        survey = name.removeprefix("questions-").removesuffix(".png")
        titles = {d.survey: d.survey_title for d in analysis.distributions}
        return f"Ответы на вопросы анкеты «{titles.get(survey, survey)}»"
    return CHART_ALTS.get(name, name)


@dataclass(frozen=True)
class Row:
    name: str
    n: str
    value: str


def _value(score: Score, unit: str) -> str:
    if score.hidden:
        return "меньше 5 ответов — скрыто"
    if score.value is None:
        return "нет ответов"
    return f"{score.value:.0f}{unit}"


def _rows(grid: Grid, by: str, unit: str) -> list[Row]:
    scores = grid.by_service if by == "service" else grid.by_touchpoint
    return [
        Row(name, "—" if score.hidden else str(score.n), _value(score, unit))
        for name, score in scores.items()
    ]


_BODY = Template(
    """<h1>Итоги опросов: ${quarter}</h1>
<p>Оценки собраны анонимно: в боте приёмной и после приёма. Где ответов меньше пяти,
число скрыто, чтобы никого нельзя было узнать.</p>
% for title, unit, tables in sections:
<h2>${title}</h2>
% for caption, rows in tables:
<table>
<caption>${caption}</caption>
<thead>
<tr><th scope="col">Где</th><th scope="col">Ответов</th><th scope="col">${title}</th></tr>
</thead>
<tbody>
% for row in rows:
<tr><th scope="row">${row.name}</th><td>${row.n}</td><td>${row.value}</td></tr>
% endfor
</tbody>
</table>
% endfor
% endfor
<h2>Вы сказали — мы сделали</h2>
% if changes:
<ul>
% for change in changes:
<li><strong>${change.quarter}:</strong> ${change.text}</li>
% endfor
</ul>
% else:
<p>Пока ничего.</p>
% endif
<h2>Графики</h2>
% for name, alt in charts:
<figure>
<img src="${name}" alt="${alt}">
<figcaption>${alt}</figcaption>
</figure>
% endfor
<h2>Данные</h2>
<ul>
<li><a href="${workbook}">Таблица Excel со всеми цифрами</a></li>
<li><a href="${csv_name}">Таблица CSV: удовлетворённость по услугам и точкам</a></li>
</ul>
""",
    default_filters=["h"],  # every value is HTML-escaped
)


def page(files: ReportFiles, changes: Sequence[FeedbackChange]) -> str:
    analysis = files.analysis
    sections = [
        (
            "Довольны (оценки 4 и 5)",
            "%",
            [
                ("По услугам", _rows(analysis.csat, "service", " %")),
                ("По точкам взаимодействия", _rows(analysis.csat, "touchpoint", " %")),
            ],
        ),
        (
            "Готовы рекомендовать (NPS)",
            "",
            [
                ("По услугам", _rows(analysis.nps, "service", "")),
                ("По точкам взаимодействия", _rows(analysis.nps, "touchpoint", "")),
            ],
        ),
    ]
    charts = [(f"feedback-{files.quarter}-{name}", _alt(name, analysis)) for name in files.charts]
    body = _BODY.render(
        quarter=str(files.quarter),
        sections=sections,
        changes=changes,
        charts=charts,
        workbook=files.workbook_name,
        csv_name=CSV,
    )
    return site.render(INDEX, body, title=f"Итоги опросов: {files.quarter}")


def results_csv(analysis: Analysis) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["показатель", "разрез", "где", "ответов", "значение"])
    for name, grid in (("CSAT", analysis.csat), ("NPS", analysis.nps)):
        for by in ("service", "touchpoint"):
            scores = grid.by_service if by == "service" else grid.by_touchpoint
            for where, score in scores.items():
                value = "" if score.hidden or score.value is None else f"{score.value:.1f}"
                writer.writerow([name, by, where, "" if score.hidden else score.n, value])
    return out.getvalue()


def publish(out: Path, files: ReportFiles, changes: Sequence[FeedbackChange]) -> list[Path]:
    """Write the site into `out`; the Markdown summary for staff is not published."""
    written = [path for path in files.write(out) if path.suffix != ".md"]
    (out / f"feedback-{files.quarter}.md").unlink()
    site.write(out, INDEX, page(files, changes))
    (out / CSV).write_text(results_csv(files.analysis), encoding="utf-8-sig")  # Excel: UTF-8
    return [*written, out / INDEX.file, out / CSV]
