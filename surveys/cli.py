"""`priemnaya surveys check`: the moderators' tool for questionnaire files."""

import sys
from pathlib import Path

import click

from bot.core.content import ContentError
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
    try:
        surveys = load_surveys(directory)
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(problem)
        sys.exit(1)
    click.echo(f"OK: {len(surveys)} surveys")
