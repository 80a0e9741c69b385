"""The office's register files: every `*.yaml` in a folder, each a list of processes with
their touchpoints, checked as one whole so that nothing is listed twice. Every problem is a
`file:line: reason` line; a duplicate names the other place too."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.core.content import ContentError, Document, content_error, load_yaml
from touchpoints.schema import ProcessEntry, ProcessFile, TouchpointEntry


@dataclass(frozen=True)
class Placed:
    """A process as loaded, with where it and each of its touchpoints were written."""

    entry: ProcessEntry
    at: str  # "file:line" of the process
    touchpoints_at: tuple[str, ...]  # "file:line" of each touchpoint, in order


def load_register(directory: Path) -> list[Placed]:
    """The processes of every file in `directory`, in file order; ContentError lists every
    problem of every file."""
    paths = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    if not paths:
        raise content_error(directory, None, "no register files (*.yaml) here")
    problems: list[str] = []
    placed: list[Placed] = []
    for path in paths:
        try:
            document = load_yaml(path)
            placed += _placed(document, document.validate(ProcessFile))
        except ContentError as exc:
            problems += exc.problems
    problems += _duplicates(placed)
    if problems:
        raise ContentError(problems)
    return placed


def _placed(document: Document, content: ProcessFile) -> Iterator[Placed]:
    for i, process in enumerate(content.processes):
        at = ("processes", i)
        yield Placed(
            process,
            _where(document, at),
            tuple(
                _where(document, (*at, "touchpoints", j)) for j in range(len(process.touchpoints))
            ),
        )


def _where(document: Document, loc: tuple[str | int, ...]) -> str:
    return f"{document.path}:{document.line(loc)}"  # the shape of a problem line


def _duplicates(placed: list[Placed]) -> Iterator[str]:
    """A process written twice, or one touchpoint twice in a process (by id or by name)."""
    processes: dict[str, str] = {}
    for item in placed:
        key = item.entry.process
        if key in processes:
            yield _twice(item.at, f"process {key!r}", processes[key])
        processes.setdefault(key, item.at)
        seen: dict[str, str] = {}
        for touchpoint, at in zip(item.entry.touchpoints, item.touchpoints_at, strict=True):
            for mark in _marks(touchpoint):
                if mark in seen:
                    yield _twice(
                        at, f"touchpoint {touchpoint.id!r} of process {key!r}", seen[mark]
                    )
                    break
            for mark in _marks(touchpoint):
                seen.setdefault(mark, at)


def _marks(touchpoint: TouchpointEntry) -> tuple[str, str]:
    # The same place under two ids is still listed twice: names are compared as well.
    return f"id:{touchpoint.id}", "name:" + " ".join(touchpoint.name.lower().split())


def _twice(at: str, what: str, first: str) -> str:
    return f"{at}: {what} is listed twice (first at {first})"
