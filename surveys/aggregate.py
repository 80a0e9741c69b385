"""The quarterly analysis, pure: a quarter's survey answers, stage ratings and ticket reply
times in, the numbers a report may show out, every one through suppression.py.

* Per question of a survey, the distribution of its answers (scores, options).
* CSAT (the share of 4 and 5 among rating answers, in %) and NPS (the share of 9–10 minus the
  share of 0–6 among "would you recommend" answers, per 100) per service × touchpoint, with
  the totals per service, per touchpoint, for the quarter and per month (a week counts in the
  month of its Monday).
* The stage ratings (one tap, 1–5) along the client journey: count and mean per stage.
* Next to them, the share of tickets answered within their limit, per month and per kind.

The tables are tied by sums, and suppression sees them all at once: a service's CSAT cell is
the sum of its rating questions' answers, so a question's distribution cannot give away a
hidden cell, nor a cell a hidden question. The ticket figures are the office's own work, not
anyone's answers, and are shown as `priemnaya report sla` shows them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from surveys.quarters import Quarter, month_of
from surveys.questionnaire import SCALES, Kind, Question, Survey
from surveys.results import (
    Analysis,
    AnswerRow,
    Count,
    Distribution,
    Grid,
    ReplyTimes,
    Score,
    StageRow,
    StageScore,
    within,
)
from surveys.suppression import Key, Suppression, Term
from surveys.themes import Themes, themes

# Which answers count for a grid's measures besides "n".
_GROUPS: dict[Kind, dict[str, range]] = {
    Kind.RATING: {"good": range(4, 6)},
    Kind.NPS: {"promoters": range(9, 11), "detractors": range(7)},
}
# Where a stage's name starts tells where it is on the way through the office.
JOURNEY = ("faq", "scenario", "booking", "visit", "application", "ticket", "comment")


def analyse(
    quarter: Quarter,
    surveys: Sequence[Survey],
    answers: Iterable[AnswerRow],
    ratings: Iterable[StageRow],
    replies: Sequence[ReplyTimes] = (),
    replies_by_month: Mapping[date, Sequence[ReplyTimes]] | None = None,
    *,
    with_themes: bool = True,
) -> Analysis:
    """The quarter's numbers; `with_themes=False` only counts the free-text answers (the
    previous quarter's themes are not shown)."""
    tally = _Tally({(s.id, q.id): (s, q) for s in surveys for q in s.questions})
    for answer in answers:
        tally.add(answer)
    stages: dict[str, Counter[int]] = defaultdict(Counter)
    for rating in ratings:
        stages[rating.stage][rating.score] += rating.count

    cells = Suppression()
    tally.register(cells)
    _register_stages(cells, stages)
    hidden = cells.hidden()

    by_month = replies_by_month or {}
    return Analysis(
        quarter=quarter,
        distributions=tuple(tally.distributions(surveys, hidden)),
        csat=tally.grid(Kind.RATING, hidden),
        nps=tally.grid(Kind.NPS, hidden),
        stages=tuple(
            _stage(stage, ("stage", stage), stages[stage], hidden) for stage in _journey(stages)
        ),
        stages_total=_stage("", ("stages",), sum(stages.values(), Counter()), hidden),
        replies=tuple(replies),
        replies_by_month={month: within(by_month[month]) for month in sorted(by_month)},
        themes=themes(tally.texts) if with_themes else Themes((), (), len(tally.texts)),
        skipped=tally.skipped,
    )


class _Cell:
    """Answers of one grid cell (or total) for each measure, and the people behind them."""

    def __init__(self) -> None:
        self.measures: Counter[str] = Counter()
        self.people = 0

    def add(self, kind: Kind, score: int, count: int) -> None:
        self.measures["n"] += count
        for measure, scores in _GROUPS[kind].items():
            self.measures[measure] += count if score in scores else 0

    def score(self, kind: Kind, hidden: bool) -> Score:
        n = self.measures["n"]
        if hidden or not n:
            return Score(n, None, hidden)
        if kind is Kind.RATING:
            return Score(n, 100 * self.measures["good"] / n)
        return Score(n, 100 * (self.measures["promoters"] - self.measures["detractors"]) / n)


class _Tally:
    def __init__(self, questions: Mapping[tuple[str, str], tuple[Survey, Question]]) -> None:
        self.questions = questions
        self.values: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.totals: Counter[tuple[str, str]] = Counter()
        # (kind, survey, question, service, touchpoint, week) -> the answers there
        self.parts: dict[tuple[Kind, str, str, str, str, date], _Cell] = defaultdict(_Cell)
        self.texts: list[str] = []
        self.skipped = 0

    def add(self, answer: AnswerRow) -> None:
        found = self.questions.get((answer.survey, answer.question))
        if found is None:
            self.skipped += answer.count
            return
        _, question = found
        key = (answer.survey, answer.question)
        kind = question.kind
        if kind in SCALES:
            if answer.score not in SCALES[kind]:
                self.skipped += answer.count
                return
            self.values[key][str(answer.score)] += answer.count
            place = (kind, *key, answer.service, answer.touchpoint, answer.week)
            self.parts[place].add(kind, answer.score, answer.count)
        elif kind is Kind.TEXT:
            if not answer.text:
                self.skipped += answer.count
                return
            self.texts.extend([answer.text] * answer.count)
        else:
            known = {option.id for option in question.options}
            chosen = [choice for choice in answer.choices or () if choice in known]
            if not chosen or (kind is Kind.SINGLE and len(chosen) != 1):
                self.skipped += answer.count
                return
            for choice in chosen:
                self.values[key][choice] += answer.count
        self.totals[key] += answer.count

    # --- the cells and sums for suppression ------------------------------------------------

    def register(self, cells: Suppression) -> None:
        for (survey, question), (_, asked) in self.questions.items():
            key = (survey, question)
            total = ("q", survey, question)
            few = 0 < self.totals[key] < cells.min_answers
            cells.cell(total, self.totals[key], hide=few, margin=True)
            values = [("v", survey, question, value) for value in _values(asked)]
            for cell, value in zip(values, _values(asked), strict=True):
                cells.cell(cell, self.values[key][value], hide=few)
            if asked.kind is not Kind.MULTIPLE and values:
                cells.sum((total, "n"), [(cell, "n") for cell in values])
        for kind in _GROUPS:
            self._register_grid(cells, kind)

    def _register_grid(self, cells: Suppression, kind: Kind) -> None:
        name = kind.value
        measures = ("n", *_GROUPS[kind])
        grid = self._grid_cells(kind)
        # A question's answers at one service and touchpoint: the part of its total that the
        # grid cell adds up. No table shows it; it ties the question to the cell.
        parts: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for part_kind, survey, question, service, touchpoint, _ in self.parts:
            if part_kind is kind and (service, touchpoint) not in parts[(survey, question)]:
                parts[(survey, question)].append((service, touchpoint))
        for (survey, question), places in parts.items():
            keys = [(name, "part", survey, question, *place) for place in places]
            for key in keys:
                cells.part(key)
            cells.sum((("q", survey, question), "n"), [(key, "n") for key in keys])
            for measure, scores in _GROUPS[kind].items():
                answers = [(("v", survey, question, str(s)), "n") for s in scores]
                cells.equal(answers, [(key, measure) for key in keys])
        for key, cell in grid.items():
            n, people = cell.measures["n"], cell.people
            cells.cell((name, *key), n, people=people, margin=key[0] != "cell")
        for measure in measures:
            self._grid_sums(cells, name, measure, parts, grid)

    def _grid_sums(
        self,
        cells: Suppression,
        name: str,
        measure: str,
        parts: Mapping[tuple[str, str], Sequence[tuple[str, str]]],
        grid: Mapping[tuple[str, ...], _Cell],
    ) -> None:
        inner: dict[tuple[str, str], list[Term]] = defaultdict(list)
        for (survey, question), places in parts.items():
            for place in places:
                inner[place].append(((name, "part", survey, question, *place), measure))
        for place, terms in inner.items():
            cells.sum(((name, "cell", *place), measure), terms)
        rows: dict[str, list[Term]] = defaultdict(list)
        columns: dict[str, list[Term]] = defaultdict(list)
        for service, touchpoint in inner:
            rows[service].append(((name, "cell", service, touchpoint), measure))
            columns[touchpoint].append(((name, "cell", service, touchpoint), measure))
        everything: Term = ((name, "all"), measure)
        for service, terms in rows.items():
            cells.sum(((name, "service", service), measure), terms)
        for touchpoint, terms in columns.items():
            cells.sum(((name, "touchpoint", touchpoint), measure), terms)
        if inner:
            cells.sum(everything, [((name, "service", s), measure) for s in rows])
            cells.sum(everything, [((name, "touchpoint", t), measure) for t in columns])
            months = [key for key in grid if key[0] == "month"]
            cells.sum(everything, [((name, *key), measure) for key in months])

    def _grid_cells(self, kind: Kind) -> dict[tuple[str, ...], _Cell]:
        """Every cell and total of a grid, keyed ("cell", service, touchpoint), ("service",
        s), ("touchpoint", t), ("month", first day) and ("all",).

        Its people: a submission belongs to one survey and one week, and answers each
        question once, so in each survey and week at least as many people took part as
        answered its most answered question. The sum of those is a lower bound, so a cell
        shown as having 5 people has at least 5."""
        grid: dict[tuple[str, ...], _Cell] = defaultdict(_Cell)
        reach: Counter[tuple[str, str, str, date]] = Counter()
        for (part_kind, survey, _, service, touchpoint, week), cell in self.parts.items():
            if part_kind is not kind:
                continue
            for key in _keys(service, touchpoint, week):
                grid[key].measures.update(cell.measures)
            place = (survey, service, touchpoint, week)
            reach[place] = max(reach[place], cell.measures["n"])
        for (_, service, touchpoint, week), people in reach.items():
            for key in _keys(service, touchpoint, week):
                grid[key].people += people
        return dict(grid)

    # --- the published numbers -------------------------------------------------------------

    def distributions(
        self, surveys: Sequence[Survey], hidden: frozenset[Key]
    ) -> Iterable[Distribution]:
        for survey in surveys:
            for question in survey.questions:
                key = (survey.id, question.id)
                labels = _labels(question)
                yield Distribution(
                    survey=survey.id,
                    survey_title=survey.title.ru,
                    question=question.id,
                    text=question.text.ru,
                    kind=question.kind,
                    total=Count(self.totals[key], ("q", *key) in hidden),
                    values=tuple(
                        (label, Count(self.values[key][value], ("v", *key, value) in hidden))
                        for value, label in zip(_values(question), labels, strict=True)
                    ),
                )

    def grid(self, kind: Kind, hidden: frozenset[Key]) -> Grid:
        name = kind.value
        cells = self._grid_cells(kind)

        def score(*key: str) -> Score:
            found = cells.get(key)
            if found is None:
                return Score(0, None)
            return found.score(kind, (name, *key) in hidden)

        places = [key[1:] for key in cells if key[0] == "cell"]
        services = tuple(sorted({service for service, _ in places}))
        touchpoints = tuple(sorted({touchpoint for _, touchpoint in places}))
        months = sorted(date.fromisoformat(key[1]) for key in cells if key[0] == "month")
        return Grid(
            name="CSAT" if kind is Kind.RATING else "NPS",
            services=services,
            touchpoints=touchpoints,
            cells={(s, t): score("cell", s, t) for s, t in places},
            by_service={service: score("service", service) for service in services},
            by_touchpoint={point: score("touchpoint", point) for point in touchpoints},
            by_month={month: score("month", month.isoformat()) for month in months},
            total=score("all"),
        )


def _keys(service: str, touchpoint: str, week: date) -> tuple[tuple[str, ...], ...]:
    """The grid's cell and totals that an answer at a service, touchpoint and week adds to."""
    return (
        ("cell", service, touchpoint),
        ("service", service),
        ("touchpoint", touchpoint),
        ("month", month_of(week).isoformat()),
        ("all",),
    )


def _values(question: Question) -> list[str]:
    if question.kind in SCALES:
        return [str(score) for score in SCALES[question.kind]]
    return [option.id for option in question.options]


def _labels(question: Question) -> list[str]:
    if question.kind in SCALES:
        return _values(question)
    return [option.text.ru for option in question.options]


def _register_stages(cells: Suppression, stages: Mapping[str, Counter[int]]) -> None:
    total = ("stages",)
    cells.cell(total, sum(scores.total() for scores in stages.values()), margin=True)
    for stage, scores in stages.items():
        cells.cell(("stage", stage), scores.total())
    for measure in ("n", "sum") if stages else ():
        cells.sum((total, measure), [(("stage", stage), measure) for stage in stages])


def _stage(stage: str, key: Key, scores: Counter[int], hidden: frozenset[Key]) -> StageScore:
    n = scores.total()
    if key in hidden:
        return StageScore(stage, n, None, hidden=True)
    mean = sum(score * count for score, count in scores.items()) / n if n else None
    return StageScore(stage, n, mean)


def _journey(stages: Iterable[str]) -> list[str]:
    def place(stage: str) -> tuple[int, str]:
        head = stage.split(".")[0]
        return (JOURNEY.index(head) if head in JOURNEY else len(JOURNEY), stage)

    return sorted(stages, key=place)
