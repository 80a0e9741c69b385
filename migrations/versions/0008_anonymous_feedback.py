"""survey answers and participation; stage ratings get random ids, a touchpoint and a channel

Revision ID: 0008
Revises: 0007

Stage ratings kept so far are copied with random ids in random order (their old integer ids
told the order they were given in); their touchpoint is "messenger" and their channel is
unknown ("").
"""

import random
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_ROWID = {"sqlite_with_rowid": False}


def upgrade() -> None:
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("response", sa.String(length=32), nullable=False),
        sa.Column("survey", sa.String(length=32), nullable=False),
        sa.Column("question", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("touchpoint", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.Column("choices", sa.JSON(), nullable=True),
        sa.Column("text", sa.String(length=1000), nullable=True),
        sa.Column("week", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        **NO_ROWID,
    )
    op.create_index("ix_survey_answers_survey", "survey_answers", ["survey", "week"])
    op.create_table(
        "survey_participation",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("key"),
        **NO_ROWID,
    )

    old = sa.table(
        "stage_ratings",
        sa.column("service", sa.String),
        sa.column("stage", sa.String),
        sa.column("score", sa.SmallInteger),
        sa.column("rated_on", sa.Date),
    )
    connection = op.get_bind()
    kept = [dict(row._mapping) for row in connection.execute(sa.select(old))]
    op.drop_index("ix_stage_ratings_stage", table_name="stage_ratings")
    op.drop_table("stage_ratings")
    new = op.create_table(
        "stage_ratings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("touchpoint", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=64), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_stage_score"),
        sa.PrimaryKeyConstraint("id"),
        **NO_ROWID,
    )
    op.create_index("ix_stage_ratings_stage", "stage_ratings", ["service", "stage"])
    random.SystemRandom().shuffle(kept)
    if kept:
        op.bulk_insert(
            new,
            [
                {**row, "id": secrets.token_hex(16), "touchpoint": "messenger", "channel": ""}
                for row in kept
            ],
        )


def downgrade() -> None:
    op.drop_table("survey_participation")
    op.drop_index("ix_survey_answers_survey", table_name="survey_answers")
    op.drop_table("survey_answers")
