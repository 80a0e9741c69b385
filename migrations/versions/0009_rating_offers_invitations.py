"""rating offers waiting for a press; survey invitations per person; stage names of the journey

Revision ID: 0009
Revises: 0008

Ratings kept so far get the stage names of bot.core.ratings.Stage: a closed ticket's (stored
under its kind) becomes "ticket.closed", a scenario step's "<route>.<step>" becomes
"scenario.<route>.<step>". Going down strips the scenario prefix again; the ticket kind is
not known any more, so those stay "ticket.closed".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_ROWID = {"sqlite_with_rowid": False}
TICKETS = "tickets"  # the service of ticket ratings
KINDS = ("request", "question", "complaint", "comment", "mention")  # their stages until now
SCENARIO = "scenario."
# Stages written since: a migration down and up again leaves them as they are.
JOURNEY = (
    "faq.answer",
    "faq.helpful",
    "ticket.answered",
    "ticket.closed",
    "booking.made",
    "visit",
)
ratings = sa.table("stage_ratings", sa.column("service", sa.String), sa.column("stage", sa.String))


def upgrade() -> None:
    op.create_table(
        "rating_offers",
        sa.Column("token", sa.String(length=16), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("touchpoint", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=64), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("token"),
        **NO_ROWID,
    )
    op.create_index("ix_rating_offers_day", "rating_offers", ["offered_on"])
    op.create_table(
        "survey_invitations",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("last_sent_on", sa.Date(), nullable=True),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id"),
    )
    op.execute(
        ratings.update()
        .where(ratings.c.service == TICKETS, ratings.c.stage.in_(KINDS))
        .values(stage="ticket.closed")
    )
    op.execute(
        ratings.update()
        .where(
            ratings.c.service != TICKETS,
            ~ratings.c.stage.startswith(SCENARIO),
            ratings.c.stage.not_in(JOURNEY),
        )
        .values(stage=sa.literal(SCENARIO) + ratings.c.stage)
    )


def downgrade() -> None:
    op.execute(
        ratings.update()
        .where(ratings.c.stage.startswith(SCENARIO))
        .values(stage=sa.func.substr(ratings.c.stage, len(SCENARIO) + 1))
    )
    op.drop_table("survey_invitations")
    op.drop_index("ix_rating_offers_day", table_name="rating_offers")
    op.drop_table("rating_offers")
