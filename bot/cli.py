"""`priemnaya` command line: run, chat, migrate, and the moderators' and staff tools."""

import sys

import click

from applications.cli import applications_group
from bot.booking.cli import passes_command, report_group
from bot.core.cli_support import async_command, cli_app, cli_settings, use_app_factory
from bot.core.db_cli import db_group
from bot.core.outbox_cli import outbox_group
from bot.core.staff_cli import staff_group
from bot.missing.cli import missing_command
from bot.tickets.cli import sla_command, tickets_group
from knowledge_base.cli import kb_group, use_promise_facts
from scenarios.cli import scenarios_group
from surveys.cli import feedback_command, publish_command, surveys_group
from touchpoints.cli import touchpoints_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context) -> None:
    """Priemnaya: the reception-office chatbot for Telegram and VK."""
    from bot.app import create_app
    from bot.assembly.promises import promise_facts, promise_texts

    use_app_factory(ctx, create_app)
    use_promise_facts(ctx, promise_facts, promise_texts)


main.add_command(kb_group)
main.add_command(scenarios_group)
main.add_command(surveys_group)
main.add_command(staff_group)
main.add_command(passes_command)
main.add_command(report_group)
main.add_command(tickets_group)
main.add_command(outbox_group)
main.add_command(db_group)
main.add_command(publish_command)
main.add_command(touchpoints_group)
main.add_command(applications_group)
report_group.add_command(sla_command)
report_group.add_command(feedback_command)
report_group.add_command(missing_command)


TERMINAL_LOG = "terminal.log"


@main.command()
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes sharing the load (PostgreSQL only; see docs/scaling.md).",
)
@async_command
async def run(workers: int) -> None:
    """Start every configured channel plus timers (the terminal when no token is set)."""
    from bot.core.workers import follow_supervisor, refusal, supervise

    settings = cli_settings()
    if workers > 1:  # this process only supervises the workers
        problem = refusal(settings.database_url)
        if problem:
            raise click.UsageError(problem)
        sys.exit(await supervise(workers))
    follow_supervisor()
    from bot.app import create_app, serve
    from bot.assembly import ops
    from handlers import configured_channels
    from handlers.console import ConsoleChannel

    channels = configured_channels(settings)
    if not channels:
        # The terminal is the chat itself: log lines go to a file, not into it.
        settings = cli_settings(log_file=TERMINAL_LOG)
    app = await create_app(settings)
    try:
        if channels:
            async with ops.serving(app, settings.ops_listen, settings.worker_index):
                await serve(app, [factory(app) for factory in channels])
        else:
            click.echo(
                "No TELEGRAM_BOT_TOKEN or VK_GROUP_TOKEN: chatting in the terminal "
                f"(the log: {settings.data_dir / TERMINAL_LOG})."
            )
            await serve(app, [ConsoleChannel(app.engine)], foreground=True)
    finally:
        await app.close()


@main.command()
@async_command
async def chat() -> None:
    """Talk to the bot in this terminal; buttons are numbered, answer with a number."""
    from bot.app import serve
    from handlers.console import ConsoleChannel

    async with cli_app() as app:
        await serve(app, [ConsoleChannel(app.engine)], foreground=True)


@main.command()
@async_command
async def migrate() -> None:
    """Bring the database schema up to date."""
    from bot.core.db import create_engine
    from bot.core.db import migrate as upgrade

    engine = create_engine(cli_settings().database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    click.echo("Database is up to date.")
