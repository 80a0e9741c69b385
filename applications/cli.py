"""`priemnaya applications add | advance | show | import [--dry-run]`: the record of an
application from the terminal, or from the office's own system as CSV (importer.py)."""

import asyncio
from pathlib import Path
from typing import Protocol

import click

from applications.importer import CsvError, decode, import_csv
from applications.service import Problem
from applications.staff_side import StaffCommands
from applications.views import staff_card, staff_text
from bot.core import clock
from bot.core.cli_support import CliApp, async_command, cli_app
from bot.core.db import transaction

BY = "CLI"


class HasApplications(CliApp, Protocol):
    applications: StaffCommands


@click.group("applications")
def applications_group() -> None:
    """Applications people follow in the bot: add, move to a stage, show, import."""


@applications_group.command("add")
@click.argument("number")
@click.option("--service", required=True, help="The service id (e.g. permit, dopog).")
@click.option("--code", help="The check code given to the person; made up when omitted.")
@click.option("--stage", help="Where it starts (an id or title); the first stage by default.")
@async_command
async def add_command(number: str, service: str, code: str | None, stage: str | None) -> None:
    """A new application NUMBER (the office's own number)."""
    app: HasApplications
    async with cli_app() as app, transaction(app.sessions) as session:
        office = app.applications.office
        try:
            application, check = await office.add(
                session, number, service, code, BY, clock.now(), stage
            )
        except Problem as problem:
            raise click.ClickException(staff_text(problem.key, **problem.values)) from None
    click.echo(f"Added №{application.number} at stage {application.stage}.")
    if code is None:
        click.echo(f"Check code for the person: {check} (it is not stored; give it to them now).")


@applications_group.command("advance")
@click.argument("number")
@click.argument("stage", required=False)
@click.option("--note", help="For the person: what is missing; a refusal's reason and way out.")
@async_command
async def advance_command(number: str, stage: str | None, note: str | None) -> None:
    """Move NUMBER to STAGE (an id or title), or to the next ordinary stage."""
    app: HasApplications
    async with cli_app() as app, transaction(app.sessions) as session:
        office = app.applications.office
        application = await office.find(session, number, lock=True)
        try:
            if application is None:
                raise Problem("app-error-unknown", number=number)
            change = await office.advance(session, application, stage, note, BY, clock.now())
        except Problem as problem:
            raise click.ClickException(staff_text(problem.key, **problem.values)) from None
        told = " (the person is told)" if application.person_id is not None else ""
    click.echo(f"№{application.number}: {change.stage.id}{told}.")


@applications_group.command("show")
@click.argument("number")
@async_command
async def show_command(number: str) -> None:
    """NUMBER with its stages, who moved it and whether the person follows it."""
    app: HasApplications
    async with cli_app() as app, app.sessions() as session:
        office = app.applications.office
        application = await office.find(session, number)
        if application is None:
            raise click.ClickException(staff_text("app-error-unknown", number=number))
        steps = await office.steps(session, application)
    click.echo(staff_card(office.stages, application, steps, office.tz))


@applications_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run",
    is_flag=True,
    help="Only check the file: the same report, but nothing is saved and nobody is told.",
)
@async_command
async def import_command(path: Path, dry_run: bool) -> None:
    """Upsert by number from a CSV with the columns number, service, stage, code, note
    (or номер, услуга, этап, код, комментарий), in UTF-8 or Windows-1251; exits 1 when a line
    had an error. Each stage change tells the person following it: check a new export with
    --dry-run first."""
    data = await asyncio.to_thread(path.read_bytes)
    try:
        text, encoding = decode(data)
    except CsvError as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    if encoding != "UTF-8":
        click.echo(f"{path}: not UTF-8, read as {encoding}.", err=True)
    app: HasApplications
    async with cli_app() as app, app.sessions() as session:
        try:
            async with session.begin():
                report = await import_csv(session, app.applications.office, text, clock.now())
                if dry_run:
                    # The same work, undone: no record changed, no notice queued.
                    await session.rollback()
        except CsvError as exc:
            raise click.ClickException(f"{path}: {exc}") from None
    click.echo(report.render())
    if dry_run:
        people = "1 person" if report.told == 1 else f"{report.told} people"
        told = f"; the import would tell {people}" if report.told else ""
        click.echo(f"Dry run: nothing was saved and nobody was told{told}.")
    if report.errors:
        raise SystemExit(1)
