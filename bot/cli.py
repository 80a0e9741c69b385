"""`priemnaya` command line: run, chat, migrate, and the moderators' and staff tools."""

import asyncio
import sys
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any, ParamSpec

import click

from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging

P = ParamSpec("P")


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        sys.exit(2)


def _logging(settings: Settings, *, quiet: bool = False) -> None:
    setup_logging(settings.log_level, quiet=quiet)


def async_command(func: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    @wraps(func)
    def runner(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(func(*args, **kwargs))

    return runner


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Priemnaya: the reception-office chatbot for Telegram and VK."""


@main.command()
@async_command
async def run() -> None:
    """Start every configured channel plus timers (the terminal when no token is set)."""
    from bot.app import create_app, serve
    from handlers import configured_channels
    from handlers.console import ConsoleChannel

    settings = _settings()
    channels = configured_channels(settings)
    _logging(settings, quiet=not channels)
    app = await create_app(settings)
    try:
        if channels:
            await serve(app, [factory(app) for factory in channels])
        else:
            click.echo("No TELEGRAM_BOT_TOKEN or VK_GROUP_TOKEN: chatting in the terminal.")
            await serve(app, [ConsoleChannel(app.engine)], foreground=True)
    finally:
        await app.close()


@main.command()
@async_command
async def chat() -> None:
    """Talk to the bot in this terminal; buttons are numbered, answer with a number."""
    from bot.app import create_app, serve
    from handlers.console import ConsoleChannel

    settings = _settings()
    _logging(settings, quiet=True)
    app = await create_app(settings)
    try:
        await serve(app, [ConsoleChannel(app.engine)], foreground=True)
    finally:
        await app.close()


@main.command()
@async_command
async def migrate() -> None:
    """Bring the database schema up to date."""
    from bot.db import create_engine
    from bot.db import migrate as upgrade

    settings = _settings()
    _logging(settings)
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    click.echo("Database is up to date.")
