"""`priemnaya surveys check DIR` (questionnaire files), `priemnaya report feedback --quarter
2026Q4 --out DIR` (added to the `report` group in bot/cli.py: the quarterly analysis of
surveys and stage ratings as files) and `priemnaya publish --out DIR` (the same as the public
site)."""

from pathlib import Path

import click

from bot.core import clock
from bot.core.cli_support import async_command, cli_app, load_or_exit
from surveys import changes, site
from surveys.quarters import Quarter, QuarterError
from surveys.questionnaire import load_surveys


@click.group("surveys")
def surveys_group() -> None:
    """Check questionnaire files."""


@surveys_group.command()
@click.argument("directory", type=click.Path(path_type=Path))
def check(directory: Path) -> None:
    """Validate the questionnaires in DIRECTORY.

    Prints "OK: N surveys", or one `file:line: reason` line per problem and exits 1.
    """
    surveys = load_or_exit(load_surveys, directory)
    click.echo(f"OK: {len(surveys)} surveys")


def _quarter(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Quarter | None:
    if value is None:
        return None
    try:
        return Quarter.parse(value)
    except QuarterError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("feedback")
@click.option(
    "--quarter",
    callback=_quarter,
    help="e.g. 2026Q4 (office time); by default the last quarter that has ended",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@async_command
async def feedback_command(quarter: Quarter | None, out: Path) -> None:
    """Surveys and stage ratings of a quarter: a workbook, PNG charts and a Markdown
    summary, with every cell of fewer than 5 answers hidden."""
    now = clock.now()
    async with cli_app() as app:
        tz = app.settings.tz
        current = Quarter.current(now, tz)
        chosen = quarter or current.previous()
        if chosen > current:
            raise click.BadParameter(f"{chosen} has not begun yet", param_hint="--quarter")
        async with app.sessions() as session:
            files = await app.feedback.report.make(session, chosen, now)
    for path in files.write(out):
        click.echo(path)
    if now < app.feedback.due(chosen):
        click.echo(f"{chosen} is not over yet (or its last week): the numbers may still change.")


@click.command("publish")
@click.option(
    "--quarter",
    callback=_quarter,
    help="e.g. 2026Q4; by default the last quarter that has ended",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@async_command
async def publish_command(quarter: Quarter | None, out: Path) -> None:
    """The published results as a small static site in OUT (index.html, the workbook, a CSV
    and the charts) for the office's website: the same numbers as the quarterly report,
    every cell of fewer than 5 answers hidden, and "Вы сказали — мы сделали"."""
    now = clock.now()
    async with cli_app() as app:
        chosen = quarter or Quarter.current(now, app.settings.tz).previous()
        async with app.sessions() as session:
            files = await app.feedback.report.make(session, chosen, now)
            made = await changes.latest(session, limit=None)
    for path in site.publish(out, files, made):
        click.echo(path)
