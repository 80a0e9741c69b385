"""Crafted questionnaires and answers for the quarterly report's tests: every number below is
chosen so that the expected CSAT, NPS and distributions can be worked out by hand."""

from collections.abc import Iterator
from datetime import date

from surveys.questionnaire import Survey
from surveys.results import AnswerRow

RESULT_YAML = """\
id: result
title: {ru: "Результат услуги", en: "The result"}
service: consult
touchpoint: messenger
questions:
  - id: satisfied
    kind: rating
    text: {ru: "Довольны ли вы результатом?", en: "Are you satisfied?"}
  - id: recommend
    kind: nps
    text: {ru: "Порекомендуете ли нас?", en: "Would you recommend us?"}
  - id: how
    kind: single
    text: {ru: "Как вы к нам обратились?", en: "How did you reach us?"}
    options:
      - {id: bot, text: {ru: "Через бота", en: "Through the bot"}}
      - {id: visit, text: {ru: "Лично", en: "In person"}}
  - id: better
    kind: text
    text: {ru: "Что улучшить?", en: "What to improve?"}
"""

VISIT_YAML = """\
id: visit
title: {ru: "Приём в офисе", en: "The visit"}
service: permits
touchpoint: office
questions:
  - id: satisfied
    kind: rating
    text: {ru: "Как прошёл приём?", en: "How was the visit?"}
"""


def survey(text: str) -> Survey:
    import yaml

    return Survey.model_validate(yaml.safe_load(text))


def answers(
    survey_id: str,
    question: str,
    service: str,
    touchpoint: str,
    week: date,
    *,
    scores: list[int] | None = None,
    choices: list[str] | None = None,
    texts: list[str] | None = None,
) -> Iterator[AnswerRow]:
    """One answer per score, choice or text (each from a submission of its own)."""
    where = (survey_id, question, service, touchpoint, week)
    for score in scores or ():
        yield AnswerRow(*where, score=score)
    for choice in choices or ():
        yield AnswerRow(*where, choices=[choice])
    for text in texts or ():
        yield AnswerRow(*where, text=text)
