"""`priemnaya scenarios check | graph`: the moderators' tools for scenario files."""

from pathlib import Path

import click

from bot.core.cli_support import load_or_exit
from bot.core.content import ContentError
from scenarios.loader import SHIPPED, load_services
from scenarios.schema import Question, Service

INDENT = "  "


@click.group("scenarios")
def scenarios_group() -> None:
    """Check scenario files and show the routes they define."""


@scenarios_group.command()
@click.argument("directory", type=click.Path(path_type=Path))
def check(directory: Path) -> None:
    """Validate the scenario files in DIRECTORY.

    Prints "OK: N services, M routes", or one `file:line: reason` line per problem and exits 1.
    """
    services = load_or_exit(load_services, directory)
    routes = sum(len(service.routes) for service in services)
    click.echo(f"OK: {len(services)} services, {routes} routes")


@scenarios_group.command()
@click.argument("service_id", metavar="SERVICE")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path),
    help="Scenario folder (default: CONTENT_DIR/scenarios, or the shipped demo).",
)
def graph(service_id: str, directory: Path | None) -> None:
    """Print the route tree of SERVICE.

    Every question, every answer and the route each answer opens, with its steps and exits.
    """
    if directory is None:
        from bot.core.config import ConfigError, load_settings

        try:
            directory = load_settings().content_path("scenarios", SHIPPED)
        except ConfigError as exc:
            raise click.ClickException(f"Configuration error: {exc}") from None
    try:
        services = {service.id: service for service in load_services(directory)}
    except ContentError as exc:
        raise click.ClickException(str(exc)) from None
    service = services.get(service_id)
    if service is None:
        known = ", ".join(services)
        raise click.ClickException(
            f"no service {service_id!r} in {directory} (there are: {known})"
        )
    click.echo(f"{service.id}: {service.title.ru}")
    for line in _question_lines(service, service.questions[0], 1):
        click.echo(line)


def _question_lines(service: Service, question: Question, depth: int) -> list[str]:
    pad = INDENT * depth
    lines = [f"{pad}? {question.id}: {_one_line(question.text.ru)}"]
    for choice in question.choices:
        lines.append(f"{pad}{INDENT}- {choice.id}: {choice.label.ru}")
        next_question = service.question(choice.next) if choice.next else None
        route = service.route(choice.route) if choice.route else None
        if next_question is not None:
            lines += _question_lines(service, next_question, depth + 2)
        elif route is not None:
            lines.append(f"{pad}{INDENT * 2}route {route.id}: {route.title.ru}")
            for number, step in enumerate(route.steps, start=1):
                exits = f"  [{', '.join(step.exits)}]" if step.exits else ""
                lines.append(f"{pad}{INDENT * 3}{number}. {step.id}: {step.title.ru}{exits}")
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())
