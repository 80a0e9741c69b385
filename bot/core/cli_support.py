"""What every `priemnaya` subcommand shares: settings with a one-line error, logging, and
running a coroutine as a click command."""

import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec

import click

from bot.core.config import ConfigError, Settings, load_settings
from bot.core.content import ContentError
from bot.core.logs import setup_logging

if TYPE_CHECKING:
    from bot.app import App

P = ParamSpec("P")


def cli_settings(*, quiet: bool = False) -> Settings:
    try:
        settings = load_settings()
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        sys.exit(2)
    setup_logging(settings.log_level, quiet=quiet)
    return settings


def async_command(func: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    @wraps(func)
    def runner(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            asyncio.run(func(*args, **kwargs))
        except ContentError as exc:
            # Broken content stops the start-up with one line per problem: file:line: reason.
            for problem in exc.problems:
                click.echo(f"Content error: {problem}", err=True)
            sys.exit(2)

    return runner


@asynccontextmanager
async def cli_app() -> AsyncIterator["App"]:
    """The core on the configured database (migrated), for tools that read or change it."""
    from bot.app import create_app

    app = await create_app(cli_settings(quiet=True))
    try:
        yield app
    finally:
        await app.close()
