"""`priemnaya passes` (the security desk's list) and `priemnaya report waits` (in-person
waits against the 15-minute norm)."""

import statistics
from datetime import date, datetime, timedelta
from pathlib import Path

import click
from sqlalchemy import select

from bot.booking.feature import office_schedule, pass_vault
from bot.booking.models import SERVED, Booking
from bot.booking.passes import PassRow, pass_rows, to_csv, to_pdf
from bot.booking.schedule import Office
from bot.booking.staff_day import WAIT_NORM, wait_of
from bot.core.cli_support import async_command, cli_app

DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.command("passes")
@click.option("--date", "day", type=DATE, required=True, help="YYYY-MM-DD")
@click.option("--office", "office_id", required=True, help="office id from the schedule")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@async_command
async def passes_command(day: datetime, office_id: str, out: Path) -> None:
    """Write the day's pass list (CSV and PDF) for the security desk."""
    async with cli_app() as app:
        schedule = office_schedule(app.settings)
        office = schedule.office(office_id)
        if office is None:
            ids = ", ".join(o.id for o in schedule.offices)
            raise click.UsageError(f"unknown office {office_id!r}; offices: {ids}")
        async with app.sessions() as session:
            rows = await pass_rows(session, schedule, pass_vault(app.settings), office, day.date())
    click.echo(_write(out, rows, office, day.date()))


def _write(out: Path, rows: list[PassRow], office: Office, day: date) -> str:
    out.mkdir(parents=True, exist_ok=True)
    name = out / f"passes-{office.id}-{day:%Y-%m-%d}"
    name.with_suffix(".csv").write_bytes(to_csv(rows))
    name.with_suffix(".pdf").write_bytes(to_pdf(rows, office, day))
    return f"{len(rows)} visitors: {name}.csv, {name}.pdf"


@click.group("report")
def report_group() -> None:
    """Reports on the office's work."""


@report_group.command("waits")
@click.option("--from", "first", type=DATE, required=True, help="YYYY-MM-DD")
@click.option("--to", "last", type=DATE, required=True, help="YYYY-MM-DD, inclusive")
@async_command
async def waits_command(first: datetime, last: datetime) -> None:
    """In-person waits (from arrival or the booked time to the call-in) against the norm."""
    async with cli_app() as app:
        tz = app.settings.tz
        start = datetime.combine(first.date(), datetime.min.time(), tz)
        end = datetime.combine(last.date() + timedelta(days=1), datetime.min.time(), tz)
        async with app.sessions() as session:
            bookings = await session.scalars(
                select(Booking).where(
                    Booking.status == SERVED, Booking.starts_at >= start, Booking.starts_at < end
                )
            )
            minutes = [
                wait.total_seconds() / 60 for b in bookings if (wait := wait_of(b)) is not None
            ]
    click.echo(waits_report(minutes, first.date(), last.date()))


def waits_report(minutes: list[float], first: date, last: date) -> str:
    norm = WAIT_NORM.total_seconds() / 60
    lines = [f"waits {first}..{last}", f"count: {len(minutes)}"]
    if minutes:
        ordered = sorted(minutes)
        p90 = ordered[max(0, -(-len(ordered) * 9 // 10) - 1)]  # nearest-rank percentile
        within = sum(m <= norm for m in minutes) / len(minutes)
        lines += [
            f"median: {statistics.median(minutes):.1f} min",
            f"p90: {p90:.1f} min",
            f"within {norm:.0f} min: {within:.0%}",
        ]
    return "\n".join(lines)
