"""The employee whose next message in a ticket's thread is the missing-documents notice

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("missing_notices") as batch:
        batch.add_column(sa.Column("author", sa.String(length=140), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("missing_notices") as batch:
        batch.drop_column("author")
