"""`priemnaya report missing --from D --to D` (added to the `report` group in bot/cli.py)."""

from datetime import date, datetime

import click

from bot.core import clock
from bot.core.cli_support import async_command, cli_app
from bot.missing.report import missing_report, render


@click.command("missing")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True)
@async_command
async def missing_command(start: datetime, end: datetime) -> None:
    """Missing-documents notices for problems found from --from to --to (both days
    included): sent within 24 hours, late, overdue and not sent, still waiting."""
    first, last = date.fromordinal(start.toordinal()), date.fromordinal(end.toordinal())
    if last < first:
        raise click.BadParameter("--to is before --from")
    async with cli_app() as app, app.sessions() as session:
        report = await missing_report(session, app.settings.tz, first, last, clock.now())
    click.echo(render(report))
