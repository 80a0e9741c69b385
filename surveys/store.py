"""Writing a finished survey: the answers with no link to the person, and the keyed hash
that refuses a second attempt (see surveys/models.py for why each choice)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.privacy import hide_names, scrub
from surveys.models import SurveyAnswer, SurveyParticipation, random_id

ANSWERS = SurveyAnswer.__table__
# Each submission is written in one batch with up to this many earlier ones of its week.
MIXED_WITH = 50


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
    document numbers (scrub). Up to MIXED_WITH earlier questionnaires of the survey's week, at
    random, are taken out and written back with the new one in one shuffled batch: PostgreSQL
    reads a table in the order its rows were written, so otherwise the last rows would be the
    last person's answers. (The whole week while it is smaller; a bound keeps a busy week's
    last answer fast.)"""
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
    same_week = (ANSWERS.c.survey == survey, ANSWERS.c.week == week)
    sample = (
        select(ANSWERS.c.response)
        .where(*same_week)
        .group_by(ANSWERS.c.response)
        .order_by(func.random())
        .limit(MIXED_WITH)
    )
    # DELETE ... RETURNING moves each row once even when two submissions meet: a row another
    # transaction took out first is not returned here, so it is neither lost nor doubled.
    earlier = await session.execute(
        delete(ANSWERS).where(*same_week, ANSWERS.c.response.in_(sample)).returning(*ANSWERS.c)
    )
    rows += [dict(row) for row in earlier.mappings()]
    random.SystemRandom().shuffle(rows)
    if rows:
        await session.execute(insert(ANSWERS), rows)
    return True
