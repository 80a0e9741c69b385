"""tickets closed before retention existed get their purge timer

Revision ID: 0007
Revises: 0006

A timer due at the ticket's closing: when it fires, the handler plans the erasure at the end
of the retention period the office configured (or erases at once if that has passed).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.core.models

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = bot.core.models.UTCDateTime(timezone=True)
PURGE = "ticket.purge"  # bot.tickets.desk.PURGE at the time of writing

tickets = sa.table(
    "tickets", sa.column("id", sa.Integer), sa.column("status"), sa.column("closed_at", UTC)
)
timers = sa.table(
    "timers",
    sa.column("kind", sa.String),
    sa.column("due_at", UTC),
    sa.column("payload", sa.JSON),
    sa.column("attempts", sa.Integer),
    sa.column("created_at", UTC),
)


def upgrade() -> None:
    connection = op.get_bind()
    closed = connection.execute(
        sa.select(tickets.c.id, tickets.c.closed_at).where(
            tickets.c.status == "closed", tickets.c.closed_at.is_not(None)
        )
    ).all()
    planned = {
        payload.get("t")
        for (payload,) in connection.execute(
            sa.select(timers.c.payload).where(timers.c.kind == PURGE)
        )
    }
    rows = [
        {"kind": PURGE, "due_at": at, "payload": {"t": id_}, "attempts": 0, "created_at": at}
        for id_, at in closed
        if id_ not in planned
    ]
    if rows:
        op.bulk_insert(timers, rows)


def downgrade() -> None:
    pass  # the timers are harmless: each re-checks the ticket when it fires
