"""The numbers of the quarterly analysis, as aggregate.py reads and publishes them: the rows it
counts, and the cells a report shows, each hidden or not (suppression.py decides)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from surveys.quarters import Quarter
from surveys.questionnaire import Kind
from surveys.themes import Themes


class AnswerRow(NamedTuple):
    """What the analysis reads of SurveyAnswer rows: `count` answers alike (the database
    counts them), so a quarter arrives as a few thousand rows, not a hundred thousand."""

    survey: str
    question: str
    service: str
    touchpoint: str
    week: date
    score: int | None = None
    choices: Sequence[str] | None = None
    text: str | None = None
    count: int = 1


class StageRow(NamedTuple):
    stage: str
    score: int
    count: int = 1


@dataclass(frozen=True)
class ReplyTimes:
    """One kind of ticket over a span, as the tickets feature counts it."""

    kind: str
    label: str
    tickets: int
    decided: int  # tickets whose first-reply limit was kept or broken by now
    within: float | None  # the share of `decided` answered within the limit


@dataclass(frozen=True)
class Count:
    n: int
    hidden: bool = False


@dataclass(frozen=True)
class Score:
    """CSAT (%) or NPS of one cell; `value` is None when hidden or without answers."""

    n: int
    value: float | None
    hidden: bool = False


@dataclass(frozen=True)
class Distribution:
    survey: str
    survey_title: str
    question: str
    text: str
    kind: Kind
    total: Count
    values: tuple[tuple[str, Count], ...]  # (the score or the option's text, its answers)


@dataclass(frozen=True)
class Grid:
    """CSAT or NPS by service × touchpoint, with its totals."""

    name: str  # "CSAT" or "NPS"
    services: tuple[str, ...]
    touchpoints: tuple[str, ...]
    cells: Mapping[tuple[str, str], Score]
    by_service: Mapping[str, Score]
    by_touchpoint: Mapping[str, Score]
    by_month: Mapping[date, Score]
    total: Score


@dataclass(frozen=True)
class StageScore:
    stage: str
    n: int
    mean: float | None
    hidden: bool = False


@dataclass(frozen=True)
class Analysis:
    quarter: Quarter
    distributions: tuple[Distribution, ...]
    csat: Grid
    nps: Grid
    stages: tuple[StageScore, ...]  # along the client journey
    stages_total: StageScore
    replies: tuple[ReplyTimes, ...]  # per kind, the whole quarter
    replies_by_month: Mapping[date, float | None]  # every kind together
    themes: Themes
    skipped: int  # answers to questions no questionnaire has any more


def within(replies: Sequence[ReplyTimes]) -> float | None:
    """The share answered within the limit over several kinds of ticket."""
    decided = sum(row.decided for row in replies)
    kept = sum((row.within or 0) * row.decided for row in replies)
    return kept / decided if decided else None
