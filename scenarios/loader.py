"""Reads scenario files and reports every problem as one `file:line: reason` line.

PyYAML's node tree keeps line numbers that the parsed data loses, so each file is composed
once into nodes and constructed from them; a pydantic error location is then walked down
that tree to the line a moderator has to fix.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from scenarios.schema import Loc, Service, reference_problems

SHIPPED = Path(__file__).parent / "demo"


class ScenarioError(ValueError):
    """Broken scenario content; `problems` holds one `file:line: reason` line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


def _problem(path: Path, node: yaml.Node | None, reason: str) -> str:
    line = node.start_mark.line + 1 if node is not None else 1
    return f"{path}:{line}: {reason}"


def _node_at(root: yaml.Node, loc: Loc) -> yaml.Node:
    """The deepest node on `loc` that exists (a missing key points at its parent)."""
    node = root
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node = child
    return node


def _duplicate_keys(node: yaml.Node) -> Iterator[yaml.Node]:
    """Keys written twice in one mapping: YAML would silently keep only the last."""
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                yield key
            seen.add(key.value)
            yield from _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item)


def _root_causes(exc: ValidationError) -> list[ErrorDetails]:
    """Errors minus their echoes: a list whose only broken item fails would also be reported
    as "too short" at the list's own location, which says nothing new."""
    errors = exc.errors()
    locs = [tuple(error["loc"]) for error in errors]
    return [
        error
        for error, loc in zip(errors, locs, strict=True)
        if not any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)
    ]


def _compose(path: Path) -> tuple[Any, yaml.Node | None]:
    loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    finally:
        loader.dispose()


def load_file(path: Path) -> Service:
    """One validated service, or ScenarioError listing everything wrong with the file."""
    try:
        data, root = _compose(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"{path}:1: cannot read the file: {exc}"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ScenarioError([f"{path}:{line}: not valid YAML: {exc.problem}"]) from None
    if root is None or not isinstance(data, dict):
        raise ScenarioError([_problem(path, root, "the file must describe one service (id: ...)")])
    problems = [
        _problem(path, key, f"key {key.value!r} written twice") for key in _duplicate_keys(root)
    ]
    try:
        service = Service.model_validate(data)
    except ValidationError as exc:
        for error in _root_causes(exc):
            where = ".".join(str(part) for part in error["loc"]) or "service"
            reason = f"{where}: {error['msg'].removeprefix('Value error, ')}"
            problems.append(_problem(path, _node_at(root, error["loc"]), reason))
        raise ScenarioError(problems) from None
    for loc, reason in reference_problems(service):
        problems.append(_problem(path, _node_at(root, loc), reason))
    if problems:
        raise ScenarioError(problems)
    return service


def load_services(directory: Path) -> list[Service]:
    """Every `*.yaml` service in `directory`, in file-name order; ScenarioError lists all
    problems in all files, so a moderator fixes them in one round."""
    if not directory.is_dir():
        raise ScenarioError([f"{directory}: scenario folder not found"])
    services: list[Service] = []
    problems: list[str] = []
    first_file: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            service = load_file(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        if service.id in first_file:
            problems.append(
                f"{path}:1: service id {service.id!r} is in {first_file[service.id]} too"
            )
            continue
        first_file[service.id] = path
        services.append(service)
    if not services and not problems:
        problems.append(f"{directory}: no *.yaml scenario files")
    if problems:
        raise ScenarioError(problems)
    return services
