"""What every `priemnaya` subcommand shares: settings with a one-line error, logging, and
running a coroutine as a click command."""

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar

import click

from bot.core.config import ConfigError, Settings, load_settings
from bot.core.content import ContentError
from bot.core.db import SessionFactory
from bot.core.logs import setup_logging

P = ParamSpec("P")
T = TypeVar("T")


def cli_settings(*, quiet: bool = False) -> Settings:
    try:
        settings = load_settings()
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        sys.exit(2)
    setup_logging(settings.log_level, quiet=quiet)
    return settings


def load_or_exit(load: Callable[[Path], T], directory: Path) -> T:
    """Content for a `check` command: on a ContentError, one `file:line: reason` line per
    problem and exit 1."""
    try:
        return load(directory)
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(problem)
        sys.exit(1)


def async_command(func: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    @wraps(func)
    def runner(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            asyncio.run(func(*args, **kwargs))
        except ConfigError as exc:  # found only at start, e.g. a port another process holds
            click.echo(f"Configuration error: {exc}", err=True)
            sys.exit(2)
        except ContentError as exc:
            # Broken content stops the start-up with one line per problem: file:line: reason.
            for problem in exc.problems:
                click.echo(f"Content error: {problem}", err=True)
            sys.exit(2)

    return runner


class CliApp(Protocol):
    """What every tool gets: the settings and the migrated database. A feature's tool asks
    for more by annotating the app with a Protocol of its own (e.g. the knowledge store)."""

    settings: Settings
    sessions: SessionFactory

    async def close(self) -> None: ...


AppFactory = Callable[[Settings], Awaitable[CliApp]]


def use_app_factory(ctx: click.Context, factory: AppFactory) -> None:
    """Called by the assembly's command group, so tools never import the assembly."""
    ctx.obj = factory


@asynccontextmanager
async def cli_app() -> AsyncIterator[Any]:
    """The assembled bot on the configured database (migrated), for tools that read or
    change it; built by the factory the assembly registered."""
    factory: AppFactory = click.get_current_context().find_root().obj
    app = await factory(cli_settings(quiet=True))
    try:
        yield app
    finally:
        await app.close()
