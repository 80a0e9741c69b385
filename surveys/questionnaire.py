"""Questionnaires as content: one YAML file per survey, read by the shared content loader.

A survey belongs to a service and a touchpoint, is open during an optional period, to an
audience, and asks one question per message. A question may be asked only when an earlier
answer meets a condition ("ask B only if A ≤ 3"). Errors come back as `file:line: reason`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from bot.core.config import Settings
from bot.core.content import ContentError, Loc, Strict, Text, load_model

_ID = r"^[a-z][a-z0-9_]*$"
Key = Annotated[str, Field(pattern=_ID, max_length=32)]
TEXT_LIMIT = 1000  # the longest free-text answer any survey may allow


SHIPPED = Path(__file__).parent / "demo"


def survey_folder(settings: Settings) -> Path:
    """CONTENT_DIR/surveys when the office has one (an empty one: no surveys), else the demo."""
    folder = settings.content_path("surveys", SHIPPED)
    return folder if folder.is_dir() else SHIPPED


class Kind(StrEnum):
    RATING = "rating"  # 1–5
    NPS = "nps"  # 0–10, "how likely are you to recommend"
    SINGLE = "single"  # one of the options
    MULTIPLE = "multiple"  # any of the options
    TEXT = "text"  # free text, scrubbed before it is stored


SCALES = {Kind.RATING: range(1, 6), Kind.NPS: range(11)}


class Audience(StrEnum):
    EVERYONE = "everyone"
    VISITED = "visited"  # had a visit marked "принят"
    TICKET_CLOSED = "ticket_closed"  # a ticket of theirs was closed
    SCENARIO_FINISHED = "scenario_finished"  # walked a service scenario to its end


class Option(Strict):
    id: Key
    text: Text


class Condition(Strict):
    """Ask the question only when the answer to `question` meets every bound given."""

    question: Key
    at_most: int | None = None  # a score (rating, NPS)
    at_least: int | None = None
    one_of: tuple[Key, ...] = ()  # an option id (single, multiple)


class Question(Strict):
    id: Key
    kind: Kind
    text: Text
    options: tuple[Option, ...] = ()
    max_length: int = Field(default=500, gt=0, le=TEXT_LIMIT)
    when: Condition | None = None

    @model_validator(mode="after")
    def _options_fit_the_kind(self) -> Question:
        choice = self.kind in (Kind.SINGLE, Kind.MULTIPLE)
        if choice and len(self.options) < 2:
            raise ValueError(f"a {self.kind} question needs at least 2 options")
        if not choice and self.options:
            raise ValueError(f"a {self.kind} question has no options")
        if len({option.id for option in self.options}) != len(self.options):
            raise ValueError("option ids must differ")
        return self


class Period(Strict):
    start: datetime.date | None = Field(default=None, alias="from")
    end: datetime.date | None = Field(default=None, alias="to")

    def includes(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class Survey(Strict):
    id: Key
    title: Text
    service: Key  # a service id of the office, or "all"
    touchpoint: Key  # where it is taken: "messenger" for the bot's own surveys
    audience: Audience = Audience.EVERYONE
    active: Period = Period()
    questions: tuple[Question, ...] = Field(min_length=1)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def open_on(self, day: datetime.date) -> bool:
        return self.active.includes(day)


def _checks(survey: Survey) -> Iterator[tuple[Loc, str]]:
    """What the schema cannot see: question ids unique, conditions point back and fit."""
    seen: dict[str, Question] = {}
    for number, question in enumerate(survey.questions):
        at: Loc = ("questions", number)
        if question.id in seen:
            yield (*at, "id"), f"question id {question.id!r} is used twice"
        condition = question.when
        if condition is not None:
            earlier = seen.get(condition.question)
            if earlier is None:
                yield (
                    (*at, "when"),
                    (f"condition on {condition.question!r}: no earlier question has that id"),
                )
            elif earlier.kind in SCALES:
                if condition.one_of:
                    yield (*at, "when"), "one_of is for choice questions; use at_most/at_least"
            elif earlier.kind == Kind.TEXT:
                yield (*at, "when"), "a condition cannot depend on a free-text answer"
            else:
                known = {option.id for option in earlier.options}
                for option in condition.one_of:
                    if option not in known:
                        yield (*at, "when"), f"{condition.question!r} has no option {option!r}"
                if condition.at_most is not None or condition.at_least is not None:
                    yield (*at, "when"), "at_most/at_least are for rating and NPS questions"
        seen.setdefault(question.id, question)


def load_survey(path: Path) -> Survey:
    return load_model(path, Survey, checks=_checks)


def load_surveys(directory: Path) -> list[Survey]:
    """Every *.yaml survey in `directory`, sorted by file name; ContentError lists every
    problem of every file, and survey ids written twice."""
    if not directory.is_dir():
        raise ContentError([f"{directory}: no such folder"])
    surveys: list[Survey] = []
    problems: list[str] = []
    owner: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            survey = load_survey(path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if survey.id in owner:
            problems.append(f"{path}:1: survey id {survey.id!r} is also in {owner[survey.id]}")
            continue
        owner[survey.id] = path
        surveys.append(survey)
    if problems:
        raise ContentError(problems)
    return surveys


def asked(survey: Survey, answers: dict[str, object]) -> Sequence[Question]:
    """The questions this person is asked, given the answers so far (conditions applied)."""
    return [q for q in survey.questions if q.when is None or _met(q.when, answers)]


def _met(condition: Condition, answers: dict[str, object]) -> bool:
    answer = answers.get(condition.question)
    if answer is None:
        return False  # skipped: a follow-up on it would make no sense
    if isinstance(answer, int):
        low = condition.at_least if condition.at_least is not None else answer
        high = condition.at_most if condition.at_most is not None else answer
        return low <= answer <= high
    chosen = {answer} if isinstance(answer, str) else set(answer)  # type: ignore[call-overload]
    return bool(chosen & set(condition.one_of)) if condition.one_of else bool(chosen)
