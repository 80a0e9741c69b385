"""Writing a finished survey: the answers with no link to the person, and the keyed hash
that refuses a second attempt (see surveys/models.py for why each choice)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.privacy import hide_names, scrub
from surveys.mixing import write_mixed
from surveys.models import SurveyAnswer, SurveyParticipation, random_id

ANSWERS = SurveyAnswer.__table__


@dataclass(frozen=True)
class Answer:
    """One answer as the survey flow collects it; exactly one of the values is set."""

    question: str
    score: int | None = None
    choices: tuple[str, ...] | None = None
    text: str | None = None


def participation_key(secret: str, survey: str, channel: str, external_id: str) -> str:
    """HMAC-SHA256 of the survey and the person with the office's SECRET_KEY."""
    message = f"{survey}\0{channel}\0{external_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week: the finest time an answer keeps."""
    return day - datetime.timedelta(days=day.weekday())


async def has_taken(session: AsyncSession, key: str) -> bool:
    return await session.get(SurveyParticipation, key) is not None


async def submit(
    session: AsyncSession,
    *,
    key: str,
    survey: str,
    service: str,
    touchpoint: str,
    channel: str,
    answers: Sequence[Answer],
    on: datetime.date,
    names: Sequence[str] = (),
) -> bool:
    """Store a finished survey; False (and nothing stored) if this key already took it.

    Free text loses the names the person typed into forms (`names`), then phones, e-mails and
    document numbers (scrub). The answers go in mixed with earlier questionnaires of the
    survey's week (surveys.mixing)."""
    if await session.scalar(select(SurveyParticipation.key).where(SurveyParticipation.key == key)):
        return False
    session.add(SurveyParticipation(key=key))
    response = random_id()
    week = week_of(on)
    rows = [
        {
            "id": random_id(),
            "response": response,
            "survey": survey,
            "question": answer.question,
            "service": service,
            "touchpoint": touchpoint,
            "channel": channel,
            "score": answer.score,
            "choices": list(answer.choices) if answer.choices is not None else None,
            "text": scrub(hide_names(answer.text, names)) if answer.text else None,
            "week": week,
        }
        for answer in answers
    ]
    await write_mixed(
        session,
        ANSWERS,
        rows,
        group="response",
        alike=(ANSWERS.c.survey == survey, ANSWERS.c.week == week),
    )
    return True
