"""`priemnaya tickets list | show N | reply N "text" | missing N "text"` for offices without a
Telegram staff chat, and `priemnaya report sla --from D --to D` (added to the `report` group
in bot/cli.py)."""

from datetime import date, datetime

import click
from sqlalchemy import select

from bot.core import clock
from bot.core.cli_support import async_command, cli_app
from bot.core.db import transaction
from bot.core.missing import TICKET
from bot.tickets import cards
from bot.tickets.cards import STAFF_LOCALE
from bot.tickets.models import Ticket
from bot.tickets.relay import StaffRef
from bot.tickets.report import render, sla_report
from bot.tickets.retention import erased
from bot.tickets.service import CLOSED, TicketService
from bot.tickets.staff_side import StaffSide

# The communication rules' warning answered in advance, for scripts.
YES = click.option("--yes", is_flag=True, help="Send even if the wording check has a word.")


@click.group("tickets")
def tickets_group() -> None:
    """Read and answer requests to staff from the terminal."""


def _summary(service: TicketService, ticket: Ticket, now: datetime) -> str:
    due = cards.when(STAFF_LOCALE, ticket.final_due or ticket.first_due, now, service.tz)
    who = ticket.assignee_name or ("руководитель" if ticket.escalated else "—")
    kind = cards.kind_label(STAFF_LOCALE, ticket.kind)
    return f"№{ticket.id:<5} {kind:<22} {ticket.status:<9} ответить {due:<20} {who}"


@tickets_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Closed tickets too.")
@async_command
async def list_command(show_all: bool) -> None:
    """Open tickets, oldest first."""
    async with cli_app() as app, app.sessions() as session:
        query = select(Ticket).order_by(Ticket.id)
        if not show_all:
            query = query.where(Ticket.status != CLOSED)
        tickets = (await session.scalars(query)).all()
    service, now = app.tickets.service, clock.now()
    if not tickets:
        click.echo("No open tickets.")
    for ticket in tickets:
        click.echo(_summary(service, ticket, now))


@tickets_group.command("show")
@click.argument("number", type=int)
@async_command
async def show_command(number: int) -> None:
    """A ticket with its messages."""
    async with cli_app() as app, app.sessions() as session:
        ticket = await session.get(Ticket, number)
        if ticket is None:
            raise click.ClickException(f"no ticket №{number}")
        service = app.tickets.service
        messages = await service.messages(session, number)
    click.echo(_summary(service, ticket, clock.now()))
    for message in messages:
        at = message.at.astimezone(app.settings.tz).strftime("%d.%m %H:%M")
        who = "person" if message.author == "person" else f"staff ({message.staff_name})"
        files = f" [+{len(message.files)} file(s)]" if message.files else ""
        text = "(erased)" if erased(message) else message.text
        click.echo(f"\n{at} {who}{' interim' if message.interim else ''}:{files}\n{text}")


@tickets_group.command("reply")
@click.argument("number", type=int)
@click.argument("text")
@click.option("--name", default="Сотрудник", show_default=True, help="Your name for the log.")
@click.option("--interim", is_flag=True, help="An interim reply: the final answer comes later.")
@YES
@async_command
async def reply_command(number: int, text: str, name: str, interim: bool, yes: bool) -> None:
    """Send TEXT to the person of ticket NUMBER."""
    async with cli_app() as app, transaction(app.sessions) as session:
        _reviewed(app.tickets, text, yes)
        service = app.tickets.service
        ticket = await session.scalar(select(Ticket).where(Ticket.id == number).with_for_update())
        if ticket is None:
            raise click.ClickException(f"no ticket №{number}")
        ticket.interim_next = ticket.interim_next or interim
        staff = StaffRef("", name)
        if not await service.staff_reply(session, ticket, staff, text, (), clock.now()):
            raise click.ClickException(f"ticket №{number} is closed")
    click.echo(f"Sent to ticket №{number}.")


@tickets_group.command("missing")
@click.argument("number", type=int)
@click.argument("text")
@click.option(
    "--found-at",
    type=click.DateTime(["%Y-%m-%d %H:%M"]),
    help="When the problem was found, in the office's time (default: now).",
)
@click.option("--name", default="Сотрудник", show_default=True, help="Your name for the log.")
@YES
@async_command
async def missing_command(
    number: int, text: str, found_at: datetime | None, name: str, yes: bool
) -> None:
    """Tell the person of ticket NUMBER which documents are missing or wrong (TEXT); the
    24 hours to do so run from --found-at."""
    now = clock.now()
    async with cli_app() as app, transaction(app.sessions) as session:
        _reviewed(app.tickets, text, yes)
        found = now if found_at is None else found_at.replace(tzinfo=app.settings.tz)
        if found > now:
            raise click.BadParameter("--found-at is in the future")
        ticket = await session.scalar(select(Ticket).where(Ticket.id == number).with_for_update())
        if ticket is None:
            raise click.ClickException(f"no ticket №{number}")
        if ticket.status == CLOSED:
            raise click.ClickException(f"ticket №{number} is closed")
        docs = app.tickets.docs
        if not await docs.reachable(session, ticket):
            raise click.ClickException(cards.staff_text("staff-docs-public", number=number))
        due = await docs.missing.found(session, TICKET, number, ticket.person_id, found, name)
        notice = await docs.waiting(session, ticket)
        assert notice is not None  # found just now, or waiting since the button
        await docs.send(session, ticket, notice, StaffRef("", name), text, (), now)
    late = " (late)" if now > due else ""
    local = due.astimezone(app.settings.tz)
    click.echo(f"Sent to ticket №{number}; due by {local:%Y-%m-%d %H:%M}{late}.")


def _reviewed(staff: StaffSide, text: str, yes: bool) -> None:
    """The communication rules' check, as in the staff chat: it warns and never blocks."""
    findings = staff.review.wording.check(text)
    if not findings:
        return
    click.echo(cards.wording_findings(findings), err=True)
    if not yes and not click.confirm("Send it as it is?", err=True):
        raise click.ClickException("not sent: fix the text and run the command again")


# Joins the shared `priemnaya report` group in bot/cli.py.
@click.command("sla")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True)
@async_command
async def sla_command(start: datetime, end: datetime) -> None:
    """Per kind: tickets, median and p90 first reply, share within the limit, breaches,
    transfers, for tickets created from --from to --to (both days included)."""
    first, last = date.fromordinal(start.toordinal()), date.fromordinal(end.toordinal())
    if last < first:
        raise click.BadParameter("--to is before --from")
    async with cli_app() as app, app.sessions() as session:
        sla = app.tickets.service.sla
        report = await sla_report(session, sla, app.settings.tz, first, last, clock.now())
    click.echo(render(report))
