"""Writing a finished survey: the answers with no link to the person, and the keyed hash
that refuses a second attempt (see surveys/models.py for why each choice)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.privacy import scrub
from surveys.models import SurveyAnswer, SurveyParticipation, random_id


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
) -> bool:
    """Store a finished survey; False (and nothing stored) if this key already took it.

    Free text is scrubbed (phones, e-mails, document numbers, names). The rows are added in
    a shuffled order with random ids, so neither their ids nor their place says which
    question came first or which submission they belong to beyond the random `response`."""
    if await session.scalar(
        select(SurveyParticipation.key).where(SurveyParticipation.key == key)
    ):
        return False
    session.add(SurveyParticipation(key=key))
    response = random_id()
    week = week_of(on)
    rows = [
        SurveyAnswer(
            response=response,
            survey=survey,
            question=answer.question,
            service=service,
            touchpoint=touchpoint,
            channel=channel,
            score=answer.score,
            choices=list(answer.choices) if answer.choices is not None else None,
            text=scrub(answer.text) if answer.text else None,
            week=week,
        )
        for answer in answers
    ]
    random.SystemRandom().shuffle(rows)
    session.add_all(rows)
    return True
