"""The survey's screens: data in, a Reply out. No session, no state: the dialogue decides what
to show, these decide how it looks (texts from the catalog, questions from the YAML)."""

from collections.abc import Sequence

from bot.core import texts
from bot.core.feature import MENU, go
from bot.core.messages import Button, Reply, buttons
from surveys import actions
from surveys.questionnaire import SCALES, Kind, Question, Survey
from surveys.state import Taking

TICKED, UNTICKED = "☑", "☐"
CHOSEN = "✓"  # an answer given before, seen again after Back
# VK takes at most five buttons in a row: 1–5 is one row, NPS's 0–10 rows of four.
ROW_LIMIT, NPS_ROW = 5, 4


def _button(locale: str, key: str, action: str) -> Button:
    return Button(texts.text(locale, key), action)


def _menu(locale: str) -> Button:
    return _button(locale, "button-menu", go(MENU))


def survey_list(locale: str, surveys: Sequence[Survey], answered: int) -> Reply:
    """The surveys open to the person; when there are none, why."""
    results = _button(locale, "survey-results", go("stats"))
    if not surveys:
        key = "survey-all-done" if answered else "survey-none"
        return Reply(texts.text(locale, key), buttons(results, _menu(locale)))
    rows = [Button(survey.title.get(locale), actions.OPEN.pack(survey.id)) for survey in surveys]
    return Reply(texts.text(locale, "survey-list"), buttons(*rows, results, _menu(locale)))


def intro(locale: str, survey: Survey) -> Reply:
    return Reply(texts.text(locale, "survey-intro", title=survey.title.get(locale)))


def question(
    locale: str, survey: Survey, shown: Question, taking: Taking, n: int, total: int
) -> Reply:
    """One question: the counter, its text, a hint, and its buttons."""
    hint = texts.text(locale, "survey-hint", kind=shown.kind.value, limit=shown.max_length)
    counter = texts.text(locale, "survey-counter", n=n, total=total)
    text = f"{counter}\n\n{shown.text.get(locale)}\n\n{hint}"
    number = survey.questions.index(shown)
    here = (survey.id, number)
    earlier = taking.answers.get(shown.id)
    rows: list[list[Button] | Button] = []
    if shown.kind in SCALES:
        scores = [
            Button(_mark(str(score), score == earlier), actions.ANSWER.pack(*here, score))
            for score in SCALES[shown.kind]
        ]
        width = len(scores) if len(scores) <= ROW_LIMIT else NPS_ROW
        rows += [scores[i : i + width] for i in range(0, len(scores), width)]
    elif shown.kind == Kind.SINGLE:
        rows += [
            Button(
                _mark(option.text.get(locale), option.id == earlier),
                actions.ANSWER.pack(*here, i),
            )
            for i, option in enumerate(shown.options)
        ]
    elif shown.kind == Kind.MULTIPLE:
        rows += [
            Button(
                f"{TICKED if option.id in taking.picked else UNTICKED} {option.text.get(locale)}",
                actions.TOGGLE.pack(*here, i),
            )
            for i, option in enumerate(shown.options)
        ]
        rows.append(_button(locale, "survey-done", actions.DONE.pack(*here)))
    rows.append(
        [
            _button(locale, "button-back", actions.BACK.pack(*here)),
            _button(locale, "survey-skip", actions.SKIP.pack(*here)),
        ]
    )
    return Reply(text, buttons(*rows, _menu(locale)))


def _mark(label: str, chosen: bool) -> str:
    return f"{CHOSEN} {label}" if chosen else label


def resume(locale: str, survey: Survey, n: int, total: int) -> Reply:
    text = texts.text(locale, "survey-resume", title=survey.title.get(locale), n=n, total=total)
    rows = (
        _button(locale, "survey-go-on", actions.GO_ON.pack(survey.id)),
        _button(locale, "survey-anew", actions.ANEW.pack(survey.id)),
        _menu(locale),
    )
    return Reply(text, buttons(*rows))


def notice(locale: str, key: str, **args: object) -> Reply:
    """A line before the question again: use the buttons, too long."""
    return Reply(texts.text(locale, key, **args))


def finished(locale: str, key: str) -> Reply:
    """Thanks, or "answered already": the person's way on is the other surveys, what the
    office changed because of feedback (where they can ask to be told of new changes), or
    the menu."""
    rows = (
        _button(locale, "survey-other", go(actions.FEATURE)),
        _button(locale, "survey-changes", go("changes")),
        _menu(locale),
    )
    return Reply(texts.text(locale, key), buttons(*rows))
