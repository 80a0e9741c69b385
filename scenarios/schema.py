"""The shape of a scenario file: one service, its routing questions and its routes.

Moderators write these files by hand, so the schema is strict (unknown keys are errors) and
`reference_problems` checks what pydantic cannot: that every answer leads somewhere real.
"""

from collections.abc import Iterator, Sequence
from typing import Annotated, Literal

from pydantic import Field, model_validator

from bot.core.content import Loc, Strict, Text

# Ids travel inside button codes (at most 64 bytes in Telegram), so they stay short.
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,15}$")]
# A step's ways out of the scenario; the walk turns each into a button.
Exit = Literal["booking", "question", "human", "rate"]


class Link(Strict):
    title: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]


class Step(Strict):
    id: Key
    title: Text
    text: Text
    documents: tuple[Text, ...] = ()
    fee: Text | None = None
    deadline: Text | None = None
    where: Text | None = None
    links: tuple[Link, ...] = ()
    exits: tuple[Exit, ...] = ()

    @model_validator(mode="after")
    def _exits_once(self) -> "Step":
        if len(set(self.exits)) != len(self.exits):
            raise ValueError("an exit is listed twice")
        return self


class Route(Strict):
    id: Key
    title: Text
    steps: tuple[Step, ...] = Field(min_length=1)


class Choice(Strict):
    """One answer button: it either asks the `next` question or opens a `route`."""

    id: Key
    label: Text
    next: Key | None = None
    route: Key | None = None

    @model_validator(mode="after")
    def _one_target(self) -> "Choice":
        if (self.next is None) == (self.route is None):
            raise ValueError("a choice needs exactly one of `next` (a question) or `route`")
        return self


class Question(Strict):
    id: Key
    text: Text
    choices: tuple[Choice, ...] = Field(min_length=1)


class Service(Strict):
    id: Key
    title: Text
    # The first question is asked first; a choice's `next` may only point further down the
    # list, which rules out loops without any graph search.
    questions: tuple[Question, ...] = Field(min_length=1)
    routes: tuple[Route, ...] = Field(min_length=1)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def route(self, route_id: str) -> Route | None:
        return next((r for r in self.routes if r.id == route_id), None)


def _duplicates(
    items: Sequence[Question | Route | Step | Choice], loc: Loc, what: str
) -> Iterator[tuple[Loc, str]]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            yield (*loc, index, "id"), f"{what} id {item.id!r} is used twice"
        seen.add(item.id)


def reference_problems(service: Service) -> Iterator[tuple[Loc, str]]:
    """Where the file points at something that is not there, or leaves something unreachable."""
    yield from _duplicates(service.questions, ("questions",), "question")
    yield from _duplicates(service.routes, ("routes",), "route")
    for r_index, route in enumerate(service.routes):
        yield from _duplicates(route.steps, ("routes", r_index, "steps"), "step")
    order = {question.id: index for index, question in enumerate(service.questions)}
    reached_questions = {service.questions[0].id}
    reached_routes: set[str] = set()
    for q_index, question in enumerate(service.questions):
        yield from _duplicates(question.choices, ("questions", q_index, "choices"), "choice")
        for c_index, choice in enumerate(question.choices):
            loc: Loc = ("questions", q_index, "choices", c_index)
            # Only answers of a reachable question make their target reachable; `next` points
            # down the list, so one pass in order sees every question after its askers.
            reachable = question.id in reached_questions
            if choice.next is not None:
                if order.get(choice.next, -1) <= q_index:
                    yield (*loc, "next"), f"no question {choice.next!r} further down the list"
                elif reachable:
                    reached_questions.add(choice.next)
            elif service.route(choice.route or "") is None:
                yield (*loc, "route"), f"no route {choice.route!r} in this file"
            elif reachable:
                reached_routes.add(choice.route or "")
    for q_index, question in enumerate(service.questions):
        if question.id not in reached_questions:
            yield ("questions", q_index, "id"), f"no answer leads to question {question.id!r}"
    for r_index, route in enumerate(service.routes):
        if route.id not in reached_routes:
            yield ("routes", r_index, "id"), f"no answer leads to route {route.id!r}"
