""" "Результаты опросов" (/stats): the last finished quarter's satisfaction by service and by
touchpoint, as published (every cell of fewer than 5 answers hidden), and what the office
changed because of feedback."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.feature import Context, Feature, go
from bot.core.messages import Reply
from surveys.names import named
from surveys.quarters import Quarter
from surveys.report import FeedbackReport
from surveys.results import Analysis, Grid, Score

# A finished quarter changes only by late answers of its last week: an hour-old count will do,
# and a channel full of people asking does not recount 100,000 answers each time.
FRESH_FOR = timedelta(hours=1)


class Stats(Feature):
    name = "stats"
    commands = ("/stats",)

    def routes(self) -> set[str]:
        return {"changes"}

    def __init__(self, report: FeedbackReport) -> None:
        self.report = report
        self._cached: tuple[Quarter, datetime, Analysis] | None = None

    async def enter(self, ctx: Context) -> list[Reply]:
        quarter = Quarter.current(ctx.now, ctx.settings.tz).previous()
        analysis = named(await self._analysis(ctx, quarter), self.report.names, ctx.locale)
        lines = [ctx.t("stats-title", quarter=str(quarter))]
        for key, grid, unit in (
            ("stats-csat", analysis.csat, "%"),
            ("stats-nps", analysis.nps, ""),
        ):
            lines.append("")
            lines.append(ctx.t(key))
            lines += _lines(ctx, grid, unit)
        if analysis.csat.total.n == 0 and analysis.nps.total.n == 0:
            lines = [ctx.t("stats-title", quarter=str(quarter)), "", ctx.t("stats-empty")]
        lines += ["", ctx.t("stats-hidden-note")]
        rows = ((ctx.button("stats-changes", go("changes")),), (ctx.menu_button(),))
        return [Reply("\n".join(lines), rows)]

    async def _analysis(self, ctx: Context, quarter: Quarter) -> Analysis:
        cached = self._cached
        if cached is not None and cached[0] == quarter and ctx.now - cached[1] < FRESH_FOR:
            return cached[2]
        analysis = await self.report.analysis(ctx.session, quarter, ctx.now)
        self._cached = (quarter, ctx.now, analysis)
        return analysis


def _lines(ctx: Context, grid: Grid, unit: str) -> list[str]:
    lines = []
    for by, scores in (("service", grid.by_service), ("touchpoint", grid.by_touchpoint)):
        for where, score in scores.items():
            lines.append(ctx.t("stats-line", by=by, where=where, value=_value(ctx, score, unit)))
    return lines or [ctx.t("stats-none")]


def _value(ctx: Context, score: Score, unit: str) -> str:
    if score.hidden:
        return ctx.t("stats-hidden")
    if score.value is None:
        return ctx.t("stats-none")
    return ctx.t("stats-value", value=round(score.value), unit=unit, n=score.n)
