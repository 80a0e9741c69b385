"""The touchpoint register's published versions and change log

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "touchpoint_registers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "touchpoint_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("process", sa.String(length=500), nullable=False),
        sa.Column("touchpoint", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("before", sa.String(length=500), nullable=True),
        sa.Column("after", sa.String(length=500), nullable=True),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("touchpoint_changes")
    op.drop_table("touchpoint_registers")
