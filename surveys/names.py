"""What the published results call a service, a touchpoint and a stage: answers and ratings
are stored under ids ("documents", "public_comment", "faq.answer"), a visitor reads names."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.core.content import Text
from bot.core.ratings import Stage
from bot.core.texts import text
from surveys.results import Analysis, Grid

DEFAULT = "ru"  # the published report, the workbook and the site are in Russian


@dataclass(frozen=True)
class Names:
    """The office's own titles first (its booking services, its scenarios and their steps,
    handed in by the assembly), then the catalog's (the bot's own services and the demo
    knowledge base's tags), else the id as it is."""

    services: Mapping[str, Text] = field(default_factory=dict)
    stages: Mapping[str, Text] = field(default_factory=dict)  # "scenario.<route>.<step>"

    def service(self, service: str, locale: str = DEFAULT) -> str:
        title = self.services.get(service)
        return title.get(locale) if title else text(locale, "names-service", id=service)

    def touchpoint(self, touchpoint: str, locale: str = DEFAULT) -> str:
        return text(locale, "names-touchpoint", id=touchpoint)

    def stage(self, stage: str, locale: str = DEFAULT) -> str:
        title = self.stages.get(stage)
        if title:
            return title.get(locale)
        if Stage.of(stage) is Stage.SCENARIO:
            route, _, step = stage.removeprefix(f"{Stage.SCENARIO}.").partition(".")
            return text(locale, "names-stage-scenario", route=route, step=step)
        # Fluent's variant keys take no dots.
        return text(locale, "names-stage", id=stage.replace(".", "-"))


def named(analysis: Analysis, names: Names, locale: str = DEFAULT) -> Analysis:
    """The analysis with names where it had ids, for every table, chart and page made of it.
    Two ids that happen to share a name keep apart by the id in brackets."""
    return replace(
        analysis,
        csat=_grid(analysis.csat, names, locale),
        nps=_grid(analysis.nps, names, locale),
        stages=tuple(
            replace(s, stage=label)
            for s, label in zip(
                analysis.stages,
                _labels([s.stage for s in analysis.stages], lambda i: names.stage(i, locale)),
                strict=True,
            )
        ),
    )


def _labels(ids: Sequence[str], name: Callable[[str], str]) -> list[str]:
    first = [name(i) for i in ids]
    repeated = {label for label in first if first.count(label) > 1}
    return [
        f"{label} ({i})" if label in repeated else label
        for i, label in zip(ids, first, strict=True)
    ]


def _grid(grid: Grid, names: Names, locale: str) -> Grid:
    service = dict(
        zip(grid.services, _labels(grid.services, lambda i: names.service(i, locale)), strict=True)
    )
    touchpoint = dict(
        zip(
            grid.touchpoints,
            _labels(grid.touchpoints, lambda i: names.touchpoint(i, locale)),
            strict=True,
        )
    )
    return replace(
        grid,
        services=tuple(service.values()),
        touchpoints=tuple(touchpoint.values()),
        cells={(service[s], touchpoint[t]): score for (s, t), score in grid.cells.items()},
        by_service={service[s]: score for s, score in grid.by_service.items()},
        by_touchpoint={touchpoint[t]: score for t, score in grid.by_touchpoint.items()},
    )
