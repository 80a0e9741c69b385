"""An index on the day of a stage rating: each new rating is written with a random sample of
the day's earlier ones (surveys.mixing)

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_stage_ratings_day", "stage_ratings", ["rated_on"])


def downgrade() -> None:
    op.drop_index("ix_stage_ratings_day", table_name="stage_ratings")
