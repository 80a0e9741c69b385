"""Reads scenario files through the core's content loader: one service per file, and every
problem in every file reported at once, one `file:line: reason` line each."""

from pathlib import Path

from bot.core.content import ContentError, Document, load_yaml, problem
from scenarios.schema import Service, reference_problems

SHIPPED = Path(__file__).parent / "demo"


def load_file(path: Path) -> Service:
    """One validated service, or ContentError listing everything wrong with the file."""
    return _read(path)[1]


def _read(path: Path) -> tuple[Document, Service]:
    document = load_yaml(path)
    if not isinstance(document.data, dict):
        raise document.error((), "the file must describe one service (id: ...)")
    return document, document.validate(Service, checks=reference_problems)


def load_services(directory: Path) -> list[Service]:
    """Every `*.yaml` service in `directory`, in file-name order; ContentError lists all
    problems in all files, so a moderator fixes them in one round."""
    if not directory.is_dir():
        raise ContentError([problem(directory, None, "scenario folder not found")])
    services: list[Service] = []
    problems: list[str] = []
    first_file: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            document, service = _read(path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if service.id in first_file:
            reason = f"service id {service.id!r} is in {first_file[service.id]} too"
            problems.append(document.problem(("id",), reason))
            continue
        first_file[service.id] = path
        services.append(service)
    if not services and not problems:
        problems.append(problem(directory, None, "no *.yaml scenario files"))
    if problems:
        raise ContentError(problems)
    return services
