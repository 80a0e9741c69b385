"""scenarios ratings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 08:41:33.406268
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Anonymous stage ratings: no person id, and a date without time (see surveys/ratings.py).
    op.create_table(
        "stage_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=64), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_stage_score"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stage_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_stage_ratings_stage", ["service", "stage"], unique=False)
    op.create_table(
        "scenario_places",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=16), nullable=False),
        sa.Column("route", sa.String(length=16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id"),
    )


def downgrade() -> None:
    op.drop_table("scenario_places")
    with op.batch_alter_table("stage_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_ratings_stage")
    op.drop_table("stage_ratings")
