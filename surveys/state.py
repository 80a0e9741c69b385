"""What taking a survey keeps in `conversation.data`, declared, and the moves through it.
Rows in the database hold these keys and step names, so a restart resumes people where they
were: never rename them. Partial answers live only here, with the person, until the last
question: then they go to the anonymous tables (store.submit) and this is cleared."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Self

from surveys.questionnaire import Kind, Question, Survey, asked
from surveys.store import Answer

# conversation.step values while the survey feature owns the conversation
LIST = "list"  # the surveys open to the person
ASK = "ask"  # a question on screen
RESUME = "resume"  # "go on where you stopped?" over a survey half answered

# A score (rating, NPS), an option id (single), option ids (multiple), a text; None: skipped.
Value = int | str | list[str] | None


@dataclass(kw_only=True)
class Taking:
    survey: str
    at: str  # the id of the question on screen
    answers: dict[str, Value] = field(default_factory=dict)
    # The options ticked so far on the multiple-choice question on screen.
    picked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self | None:
        """The saved state, or None when there is none (the list, a fresh start)."""
        if not isinstance(data.get("survey"), str) or not isinstance(data.get("at"), str):
            return None
        return cls(
            survey=data["survey"],
            at=data["at"],
            answers=dict(data.get("answers") or {}),
            picked=list(data.get("picked") or []),
        )


def route(survey: Survey, taking: Taking) -> Sequence[Question]:
    """The questions this person is asked, given their answers so far."""
    return asked(survey, taking.answers)


def on_screen(survey: Survey, taking: Taking) -> Question | None:
    """The open question; None when the survey's file changed under a saved state."""
    return next((q for q in route(survey, taking) if q.id == taking.at), None)


def counter(survey: Survey, taking: Taking) -> tuple[int, int]:
    """("Вопрос n из total"): counted over the questions the conditions let through so far."""
    ids = [question.id for question in route(survey, taking)]
    return ids.index(taking.at) + 1, len(ids)


def start(survey: Survey) -> Taking:
    # The first question has no condition: a condition names an earlier question.
    return Taking(survey=survey.id, at=survey.questions[0].id)


def open_at(taking: Taking, question: Question) -> Taking:
    """Put `question` on screen; a multiple-choice one shows the ticks given before (Back)."""
    earlier = taking.answers.get(question.id)
    picked = list(earlier) if question.kind == Kind.MULTIPLE and isinstance(earlier, list) else []
    return Taking(survey=taking.survey, at=question.id, answers=taking.answers, picked=picked)


def answer(survey: Survey, taking: Taking, value: Value) -> tuple[Taking, Question | None]:
    """Record the open question's answer: the new state and the next question (None: done)."""
    answers = {**taking.answers, taking.at: value}
    state = Taking(survey=taking.survey, at=taking.at, answers=answers)
    ids = [question.id for question in route(survey, state)]
    following = route(survey, state)[ids.index(taking.at) + 1 :]
    return state, (following[0] if following else None)


def previous(survey: Survey, taking: Taking) -> Question | None:
    """The question before the open one (None on the first)."""
    questions = route(survey, taking)
    index = [question.id for question in questions].index(taking.at)
    return questions[index - 1] if index else None


def final(survey: Survey, taking: Taking) -> list[Answer]:
    """The answers to store: those of questions still asked (a changed answer may have taken
    a follow-up away), skipped ones left out."""
    result = []
    for question in route(survey, taking):
        value = taking.answers.get(question.id)
        if value is None:
            continue
        if isinstance(value, int):
            result.append(Answer(question.id, score=value))
        elif isinstance(value, list):
            result.append(Answer(question.id, choices=tuple(value)))
        elif question.kind == Kind.TEXT:
            result.append(Answer(question.id, text=value))
        else:
            result.append(Answer(question.id, choices=(value,)))
    return result
