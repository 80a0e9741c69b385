"""booking

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.core.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("starts_at", bot.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", bot.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seat", sa.SmallInteger(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("held_until", bot.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("personal", sa.Text(), nullable=True),
        sa.Column("doc_type", sa.String(length=16), nullable=True),
        sa.Column("created_at", bot.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("booked_at", bot.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", bot.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("arrived_at", bot.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("served_at", bot.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office", "service", "starts_at", "seat", name="uq_booking_seat"),
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index("ix_bookings_person", ["person_id", "status"], unique=False)
        batch_op.create_index("ix_bookings_slot", ["office", "service", "starts_at"], unique=False)

    op.create_table(
        "booking_waitlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", bot.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("notified_at", bot.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "office", "service", "day"),
    )


def downgrade() -> None:
    op.drop_table("booking_waitlist")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_slot")
        batch_op.drop_index("ix_bookings_person")
    op.drop_table("bookings")
