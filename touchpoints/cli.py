"""`priemnaya touchpoints check DIR` (the office's register files), `touchpoints export
[--publish]` (the register as a workbook, CSV and the published site's page; a preview
unless --publish) and `touchpoints changes` (what must be published, and by when)."""

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Protocol

import click

from bot.core import clock
from bot.core.cli_support import CliApp, async_command, cli_app, load_or_exit
from bot.core.db import transaction
from touchpoints import changes, export, site
from touchpoints.loader import load_register
from touchpoints.register import BotFacts, Source, build, load_own
from touchpoints.usage import before_tickets, usage

FORMATS = ("xlsx", "csv", "html")
PERIOD_DAYS = 90  # usage figures by default: the last 90 days
DATE = click.DateTime(["%Y-%m-%d"])


class RegisterApp(CliApp, Protocol):
    touchpoints: Source


@click.group("touchpoints")
def touchpoints_group() -> None:
    """The touchpoint register ("перечень точек взаимодействия")."""


@touchpoints_group.command()
@click.argument("directory", type=click.Path(path_type=Path))
def check(directory: Path) -> None:
    """Validate the register files in DIRECTORY.

    Prints "OK: N processes, M touchpoints", or one `file:line: reason` line per problem
    (a touchpoint listed twice names both places) and exits 1.
    """
    placed = load_or_exit(load_register, directory)
    register = build(placed, load_own(), BotFacts((), frozenset()))
    click.echo(f"OK: {len(placed)} processes, {len(register.rows)} touchpoints")


@touchpoints_group.command("export")
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="repeat for several; all three by default",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--from", "since", type=DATE, help="usage figures from this day (YYYY-MM-DD)")
@click.option("--to", "until", type=DATE, help="usage figures to this day, included")
@click.option(
    "--publish",
    is_flag=True,
    help="this is the published version: the page is written and the changes are dated today",
)
@async_command
async def export_command(
    formats: tuple[str, ...],
    out: Path,
    since: datetime | None,
    until: datetime | None,
    publish: bool,
) -> None:
    """The register with the form's six columns, grouped by direction, and how much each
    touchpoint was used (the last 90 days by default). The HTML page goes into the same
    folder as `priemnaya publish`. Without --publish it is a preview and nothing is recorded;
    with it, the page is the published version: the changes found since the last one are
    dated today."""
    formats = formats or FORMATS
    if publish and "html" not in formats:
        formats = (*formats, "html")  # the page is what is published
    now = clock.now()
    app: RegisterApp
    async with cli_app() as app:
        tz = app.settings.tz
        today = now.astimezone(tz).date()
        last = until.date() if until else today
        first = since.date() if since else last - timedelta(days=PERIOD_DAYS - 1)
        if last < first:
            raise click.BadParameter("--to is before --from")
        start = datetime.combine(first, time(), tz)
        end = datetime.combine(last + timedelta(days=1), time(), tz)
        source = app.touchpoints
        async with transaction(app.sessions) as session:
            register = await source.register(session)
            used = await usage(session, register, start, end)
            paths = await before_tickets(session, register, start, end)
            never = await changes.last_published(session) is None
            note = changes.publish if publish else changes.pending
            waiting = await note(session, register, today, source.calendar)
            log = await changes.history(session)
    figures = export.Figures(register, now.astimezone(tz), first, last, used, paths, log)
    for warning in register.untagged:
        click.echo(f"warning: {warning}", err=True)
    for path in _write(out, formats, figures, draft=not publish):
        click.echo(path)
    if "html" in formats and not publish:
        click.echo(f"A preview, not published{_waiting(never, len(waiting))}.", err=True)


def _waiting(never: bool, changed: int) -> str:
    if never:
        return ": there is no published version yet; `touchpoints export --publish` makes one"
    return f": {changed} changes wait for `touchpoints export --publish`" if changed else ""


def _write(
    out: Path, formats: tuple[str, ...], figures: export.Figures, *, draft: bool
) -> list[Path]:
    """The chosen files in `out`; the page links to the data files written with it."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "xlsx" in formats:
        written.append(out / export.WORKBOOK)
        written[-1].write_bytes(export.workbook(figures))
    if "csv" in formats:
        # Excel opens UTF-8 only with its mark.
        written.append(out / export.FORM_CSV)
        written[-1].write_text(export.form_csv(figures.register), encoding="utf-8-sig")
        written.append(out / export.USAGE_CSV)
        written[-1].write_text(export.usage_csv(figures), encoding="utf-8-sig")
    if "html" in formats:
        labels = {
            export.WORKBOOK: "Таблица Excel: перечень, использование, изменения",
            export.FORM_CSV: "Таблица CSV: перечень точек взаимодействия",
            export.USAGE_CSV: "Таблица CSV: использование точек",
        }
        files = [(path.name, labels[path.name]) for path in written]
        written.append(site.write(out, figures, files, draft=draft))
    return written


@touchpoints_group.command("changes")
@async_command
async def changes_command() -> None:
    """Changes of the register since its last publication, each with the day by which the
    updated register must be published (10 working days, by the office's calendar)."""
    now = clock.now()
    app: RegisterApp
    async with cli_app() as app:
        today = now.astimezone(app.settings.tz).date()
        async with transaction(app.sessions) as session:
            if await changes.last_published(session) is None:
                click.echo("Not published yet: `touchpoints export --publish` publishes it.")
                return
            source = app.touchpoints
            waiting = await changes.pending(
                session, await source.register(session), today, source.calendar
            )
    if not waiting:
        click.echo("The published register is up to date.")
    for change in waiting:
        late = " (overdue)" if change.due_on < today else ""
        click.echo(
            f"{change.found_on}  publish by {change.due_on}{late}  {export.change_line(change)}"
        )
