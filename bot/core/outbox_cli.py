"""`priemnaya outbox list` shows what the bot still has to send or could not send (never the
text); `priemnaya outbox retry ID | --failed` puts messages back in the queue."""

import click
from sqlalchemy import select, update

from bot.core import clock
from bot.core.cli_support import async_command, cli_app
from bot.core.db import transaction
from bot.core.models import OutboxMessage
from bot.core.outbox import WAITING

SHOWN = (*WAITING, "failed", "unknown")
RETRYABLE = ("failed", "unknown")
HEADER = f"{'id':>7}  {'channel':<9} {'chat':<16} {'status':<8} tries  next attempt    error"


@click.group("outbox")
def outbox_group() -> None:
    """Messages the bot sends on its own: what waits, what failed."""


@outbox_group.command("list")
@async_command
async def list_command() -> None:
    """Pending, in-flight, failed and unknown messages, oldest first."""
    async with cli_app() as app, app.sessions() as session:
        rows = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.status.in_(SHOWN))
                .order_by(OutboxMessage.id)
            )
        ).all()
    if not rows:
        click.echo("Nothing waiting or failed.")
        return
    tz = app.settings.tz
    click.echo(HEADER)
    for row in rows:
        due = "—"
        if row.status in WAITING:
            due = row.next_attempt_at.astimezone(tz).strftime("%d.%m %H:%M:%S")
        click.echo(
            f"{row.id:>7}  {row.channel:<9} {row.chat_id:<16} {row.status:<8} "
            f"{row.attempts:>5}  {due:<15} {row.last_error or ''}"
        )


@outbox_group.command("retry")
@click.argument("row_id", type=int, required=False)
@click.option("--failed", "all_failed", is_flag=True, help="Every failed message.")
@async_command
async def retry_command(row_id: int | None, all_failed: bool) -> None:
    """Send a failed message (or, with --failed, all of them) again, from the first try."""
    if (row_id is None) == (not all_failed):
        raise click.UsageError("give a message id or --failed")
    async with cli_app() as app, transaction(app.sessions) as session:
        query = select(OutboxMessage.id, OutboxMessage.payload).where(
            OutboxMessage.status.in_(RETRYABLE)
        )
        if row_id is not None:
            query = query.where(OutboxMessage.id == row_id)
        rows = (await session.execute(query)).all()
        if row_id is not None and not rows:
            raise click.ClickException(f"no failed message {row_id}")
        # A row a crash left "unknown" before version 0006 kept no text to send.
        ids = [number for number, payload in rows if payload]
        for number, payload in rows:
            if not payload:
                click.echo(f"{number}: its text is gone, cannot send it again", err=True)
        if ids:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(
                    status="pending",
                    attempts=0,
                    parts_done=0,
                    first_tried_at=None,
                    next_attempt_at=clock.now(),
                )
            )
    click.echo(f"{len(ids)} message(s) queued again; `priemnaya run` sends them.")
