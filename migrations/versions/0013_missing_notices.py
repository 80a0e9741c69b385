"""Missing-documents notices: when a problem was found, and when its notice reached the person

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.core.models

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = bot.core.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "missing_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("ref", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("staff_name", sa.String(length=100), nullable=False),
        sa.Column("staff_person_id", sa.Integer(), nullable=True),
        sa.Column("found_at", UTC, nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("written_at", UTC, nullable=True),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("cancelled_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_person_id"], ["people.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_missing_notices_ref", "missing_notices", ["origin", "ref"])
    op.create_index("ix_missing_notices_found", "missing_notices", ["found_at"])


def downgrade() -> None:
    op.drop_index("ix_missing_notices_found", table_name="missing_notices")
    op.drop_index("ix_missing_notices_ref", table_name="missing_notices")
    op.drop_table("missing_notices")
