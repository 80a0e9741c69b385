"""Survey answers and stage ratings, stored so that no row can be joined back to a person.

* An answer row carries the survey, the question, the service, the touchpoint and channel,
  the value and the ISO week's Monday: no person, chat, message or update id, no time.
* Every id is random (no autoincrement shared with anything, no order to read), and on
  SQLite the tables are WITHOUT ROWID, so rows are kept in the order of those random ids,
  not in the order they were written. On PostgreSQL, where rows keep their write order and
  the writing transaction's id, each questionnaire or rating is written with up to 50
  earlier ones in one shuffled batch (surveys.mixing).
* Whether a person already took a survey is a separate table of keyed hashes
  (HMAC-SHA256 of the survey id and the person with SECRET_KEY): no date, no link to the
  answers, and without the key not even the person can be read from it.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.models import Base
from bot.core.ratings import MAX_SCORE, MIN_SCORE

NO_ROWID: dict[str, Any] = {"sqlite_with_rowid": False}
TEXT_LIMIT = 500  # one "Вы сказали — мы сделали" item


def random_id() -> str:
    return secrets.token_hex(16)


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"
    __table_args__ = (Index("ix_survey_answers_survey", "survey", "week"), NO_ROWID)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    response: Mapped[str] = mapped_column(String(32))  # random, shared by one submission
    survey: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(String(32))
    service: Mapped[str] = mapped_column(String(32))
    touchpoint: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    score: Mapped[int | None] = mapped_column(SmallInteger, default=None)  # rating, NPS
    choices: Mapped[list[str] | None] = mapped_column(JSON, default=None)  # option ids
    text: Mapped[str | None] = mapped_column(String(1000), default=None)  # scrubbed
    week: Mapped[date] = mapped_column(Date)  # Monday of the ISO week it was given


class SurveyParticipation(Base):
    __tablename__ = "survey_participation"
    __table_args__ = (NO_ROWID,)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # HMAC hex


class StageRating(Base):
    """A one-tap 1–5 at one stage of the client's journey (after an answer, a booking, a
    visit, a ticket reply, a scenario step)."""

    __tablename__ = "stage_ratings"
    __table_args__ = (
        CheckConstraint(f"score BETWEEN {MIN_SCORE} AND {MAX_SCORE}", name="ck_stage_score"),
        Index("ix_stage_ratings_stage", "service", "stage"),
        Index("ix_stage_ratings_day", "rated_on"),  # surveys.mixing samples a day's ratings
        NO_ROWID,
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    service: Mapped[str] = mapped_column(String(32))
    touchpoint: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(SmallInteger)
    rated_on: Mapped[date] = mapped_column(Date)


class FeedbackChange(Base):
    """One published change; public data, so an ordinary id is fine."""

    __tablename__ = "feedback_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(6))  # "2026Q4"
    text: Mapped[str] = mapped_column(String(TEXT_LIMIT))
    added_by: Mapped[str] = mapped_column(String(100))
    added_on: Mapped[date] = mapped_column(Date)


class ChangeSubscriber(Base):
    """Someone who asked to be told of new items: the person alone, apart from any answer."""

    __tablename__ = "change_subscribers"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )


class RatingOffer(Base):
    """A row of 1–5 buttons sent and not pressed yet: what its score will be about, under a
    random token that only the buttons carry. Pressing one deletes the row (so a second press
    finds nothing); no person is named, so neither the row nor its going says who rated."""

    __tablename__ = "rating_offers"
    __table_args__ = (Index("ix_rating_offers_day", "offered_on"), NO_ROWID)

    token: Mapped[str] = mapped_column(String(16), primary_key=True)
    service: Mapped[str] = mapped_column(String(32))
    touchpoint: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(64))
    offered_on: Mapped[date] = mapped_column(Date)  # old offers are dropped


class SurveyInvitation(Base):
    """Whether and when a person was last invited to the surveys. Tied to the person, so it
    lives apart from the answers and ratings and holds nothing of them; "удалить мои данные"
    erases the date (a refusal of invitations is kept: it is what the person asked for)."""

    __tablename__ = "survey_invitations"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    last_sent_on: Mapped[date | None] = mapped_column(Date, default=None)
    opted_out: Mapped[bool] = mapped_column(default=False)
