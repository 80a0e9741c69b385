"""Content files that moderators write by hand in YAML: read, validated with pydantic, and
every problem reported as one `file:line: reason` line.

PyYAML's node tree keeps the line numbers that the parsed data loses, so each file is composed
once into nodes and constructed from them; a pydantic error location (or a feature's own
check, given as a location) is walked down that tree to the line a moderator has to fix.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

# A place inside a file, as pydantic reports it: mapping keys and list indexes.
Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
# A feature's own checks of a valid model: (where, reason) for each problem found.
Checks = Callable[[M], Iterable[tuple[Loc, str]]]


class ContentError(ValueError):
    """Content that cannot be used; `problems` holds one `file:line: reason` line each, so a
    moderator can fix them all in one round."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(self.problems[0] + more)


def problem(path: Path, line: int | None, reason: str) -> str:
    """One problem line; a folder (no line to point at) is named alone."""
    return f"{path}:{line}: {reason}" if line is not None else f"{path}: {reason}"


def content_error(path: Path, line: int | None, reason: str) -> ContentError:
    return ContentError([problem(path, line, reason)])


class Strict(BaseModel):
    """A piece of content: unknown keys are typos, and loaded content is never changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Line = Annotated[str, Field(min_length=1)]


class Text(Strict):
    """The same words in Russian (first) and English."""

    ru: Line
    en: Line

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.ru

    def names(self) -> list[str]:
        return [self.ru, self.en]


@dataclass(frozen=True)
class Document:
    """One parsed file: its data and the node tree the line numbers come from."""

    path: Path
    data: Any
    root: yaml.Node | None

    def node(self, loc: Loc) -> yaml.Node | None:
        """The deepest node on `loc` that exists (a missing key points at its parent)."""
        node = self.root
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

    def line(self, loc: Loc = ()) -> int:
        node = self.node(loc)
        return node.start_mark.line + 1 if node is not None else 1

    def problem(self, loc: Loc, reason: str) -> str:
        return problem(self.path, self.line(loc), reason)

    def error(self, loc: Loc, reason: str) -> ContentError:
        return ContentError([self.problem(loc, reason)])

    def at(self, loc: Loc) -> Any:
        data = self.data
        for part in loc:
            data = data[part]
        return data

    def validate(
        self, model: type[M], *, at: Loc = (), label: str = "", checks: Checks[M] | None = None
    ) -> M:
        """The data at `at` as `model`, then the feature's own `checks` of the valid model;
        ContentError lists every problem, each at its line, each reason after `label`."""
        prefix = f"{label}: " if label else ""
        problems = [
            problem(self.path, key.start_mark.line + 1, f"{prefix}key {key.value!r} written twice")
            for key in _duplicate_keys(self.node(at))
        ]
        try:
            value = model.model_validate(self.at(at))
        except ValidationError as exc:
            for error in _root_causes(exc):
                loc = tuple(error["loc"])
                where = ".".join(str(part) for part in loc)
                message = error["msg"].removeprefix("Value error, ")
                reason = f"{where}: {message}" if where else message
                problems.append(self.problem((*at, *loc), prefix + reason))
            raise ContentError(problems) from None
        for loc, reason in checks(value) if checks is not None else ():
            problems.append(self.problem((*at, *loc), prefix + reason))
        if problems:
            raise ContentError(problems)
        return value


# libyaml's parser (PyYAML's wheels ship it) reads the content ~5x faster than the pure-Python
# one: every start of the bot, and of every test's app, parses some 35 files.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """PyYAML's safe loader, with an impossible date ("2026-13-01") as a marked error rather
    than a bare ValueError that knows no line."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"not a date: {node.value} ({exc})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_yaml(path: Path) -> Document:
    """Parse one file; ContentError when it cannot be read or is not YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise content_error(path, 1, f"cannot read the file: {exc}") from None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise content_error(path, line, f"not valid YAML: {exc.problem}") from None
    finally:
        loader.dispose()
    return Document(path, data, root)


def load_model(path: Path, model: type[M], *, checks: Checks[M] | None = None) -> M:
    """A whole file as one `model` (see Document.validate)."""
    return load_yaml(path).validate(model, checks=checks)


def _duplicate_keys(node: yaml.Node | None) -> Iterator[yaml.Node]:
    """Keys written twice in one mapping: YAML would silently keep only the last."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
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
