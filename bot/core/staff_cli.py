"""`priemnaya staff add | remove | list`: who may moderate and answer tickets."""

import click

from bot.core.cli_support import async_command, cli_app
from bot.core.db import transaction
from bot.core.messages import Channel
from bot.core.staff import Role, add, members, remove

ROLE = click.option(
    "--role", type=click.Choice([role.value for role in Role]), required=True, help="The role."
)
CHANNEL = click.option(
    "--channel",
    type=click.Choice([Channel.TELEGRAM.value, Channel.VK.value]),
    default=Channel.TELEGRAM.value,
    show_default=True,
    help="Where this person works with the bot.",
)


@click.group("staff")
def staff_group() -> None:
    """Grant and revoke staff roles (moderator, staff, supervisor)."""


@staff_group.command("add")
@click.argument("user_id")
@ROLE
@CHANNEL
@click.option("--name", required=True, help="How colleagues and the audit trail name them.")
@click.option("--position", help='Signs their answers if STAFF_SIGNATURE asks, e.g. "инспектор".')
@async_command
async def add_command(
    user_id: str, role: str, channel: str, name: str, position: str | None
) -> None:
    """Give USER_ID (a Telegram or VK numeric id) a role."""
    if not user_id.isdigit():
        raise click.BadParameter("a numeric id, e.g. 123456789", param_hint="USER_ID")
    async with cli_app() as app, transaction(app.sessions) as session:
        position = position.strip() if position else None
        added = await add(session, channel, user_id, Role(role), name.strip(), position)
    click.echo(f"{name}: {role} in {channel}" + ("" if added else " (already; name updated)"))


@staff_group.command("remove")
@click.argument("user_id")
@ROLE
@CHANNEL
@async_command
async def remove_command(user_id: str, role: str, channel: str) -> None:
    """Take a role away from USER_ID."""
    async with cli_app() as app, transaction(app.sessions) as session:
        removed = await remove(session, channel, user_id, Role(role))
    click.echo("Removed." if removed else "Nobody had that role.")


@staff_group.command("list")
@async_command
async def list_command() -> None:
    """Everyone with a role."""
    async with cli_app() as app, app.sessions() as session:
        rows = await members(session)
    if not rows:
        click.echo("No staff yet: add someone with `priemnaya staff add`.")
    for member in rows:
        position = f", {member.position}" if member.position else ""
        click.echo(
            f"{member.role:<11} {member.channel:<9} {member.external_id:<12} {member.name}"
            f"{position}"
        )
