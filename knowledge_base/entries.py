"""Knowledge-base entries: the data type, the YAML loader with validation, and the writer.

A content folder holds ``*.yaml`` files, each a list of entries. Moderators edit these files
by hand, so every error names the file, the line and the entry (see bot.core.content).
"""

from __future__ import annotations

import dataclasses
import datetime
import pathlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.core.content import ContentError, Document, Line, load_yaml, problem

Button = Literal["booking", "human", "scenarios", "contacts"]
"""Symbolic exits an answer may offer; the engine maps them to real buttons."""
BUTTONS: tuple[str, ...] = get_args(Button)

_ID_RE = r"^[a-z][a-z0-9_]*$"


@dataclass(frozen=True)
class Entry:
    """One answer template for a typical question."""

    id: str
    title_ru: str
    title_en: str
    answer_ru: str
    answer_en: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]
    buttons: tuple[str, ...]
    service: str
    touchpoint: str
    updated_at: datetime.date
    reviewed_by: str
    enabled: bool = True
    # Questions that share words with this entry but ask something else ("штраф ГИБДД" for
    # the fee): the bot must not answer them with it. Moderators add them from the gaps.
    negatives: tuple[str, ...] = ()


_Key = Annotated[str, Field(pattern=_ID_RE)]


class _EntryModel(BaseModel):
    """Validation schema of one entry as written in YAML (strict about unknown keys)."""

    # A keyword written as a bare number (2026) is still text for a moderator.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    id: _Key
    title_ru: Line
    title_en: Line
    answer_ru: Line
    answer_en: Line
    questions: tuple[str, ...] = Field(min_length=1)
    keywords: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    service: _Key
    touchpoint: _Key
    # A quoted "2026-11-20" is accepted too; a date and time is not (see _date_only).
    updated_at: datetime.date
    reviewed_by: Line
    enabled: bool = True
    negatives: tuple[str, ...] = ()

    @field_validator("questions", "keywords", "negatives")
    @classmethod
    def _no_blank_items(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item.strip():
                raise ValueError("blank item in the list")
        return value

    @field_validator("buttons")
    @classmethod
    def _no_duplicate_buttons(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a button is listed twice")
        return value

    @field_validator("updated_at", mode="before")
    @classmethod
    def _date_only(cls, value: Any) -> Any:
        # YAML turns 2026-11-20T10:00 into a datetime, which pydantic would silently truncate.
        if isinstance(value, datetime.datetime):
            raise ValueError("a date (YYYY-MM-DD) is expected, not a date and time")
        return value


def _entries_of(document: Document) -> list[Entry]:
    """The file's entries in order; ContentError lists every broken one."""
    if document.data is None:
        return []
    if not isinstance(document.data, list):
        raise document.error((), "the file must be a list of entries (- id: ...)")
    entries: list[Entry] = []
    problems: list[str] = []
    for index, raw in enumerate(document.data):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        entry_id = raw_id if isinstance(raw_id, str) else f"#{index + 1}"
        label = f"entry {entry_id!r}"
        if not isinstance(raw, dict):
            problems.append(document.problem((index,), f"{label}: an entry must be a mapping"))
            continue
        try:
            model = document.validate(_EntryModel, at=(index,), label=label)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        entries.append(Entry(**model.model_dump()))
    if problems:
        raise ContentError(problems)
    return entries


def load_entries(directory: pathlib.Path) -> list[Entry]:
    """Read and validate every ``*.yaml`` file in ``directory`` (sorted by file name).

    Raises ContentError listing every broken entry, duplicate id, or a missing folder.
    """
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise ContentError([problem(directory, None, "knowledge-base folder not found")])
    entries: list[Entry] = []
    problems: list[str] = []
    seen: dict[str, pathlib.Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            document = load_yaml(path)
            found = _entries_of(document)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        for index, entry in enumerate(found):
            if entry.id in seen:
                reason = f"entry {entry.id!r}: duplicate id, first defined in {seen[entry.id]}"
                problems.append(document.problem((index, "id"), reason))
                continue
            seen[entry.id] = path
            entries.append(entry)
    if problems:
        raise ContentError(problems)
    return entries


# ---------------------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Readable YAML: block scalars for multi-line text, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # PyYAML silently falls back to quoting when a block scalar cannot hold the text
    # (e.g. trailing spaces), so this choice never loses data.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)

_SAFE_FILE_RE = re.compile(r"[^a-z0-9_-]+")


def _file_stem(service: str) -> str:
    return _SAFE_FILE_RE.sub("_", service.lower()).strip("_") or "general"


def dump_entries(entries: Iterable[Entry], directory: pathlib.Path) -> list[pathlib.Path]:
    """Write entries as ``<service>.yaml`` files in ``directory``; return the files written.

    Entries keep their order inside each file. ``load_entries`` of the result gives back the
    same entries (same order when the input was grouped by service in file-name order).
    Existing files with other names are left alone.
    """
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(_file_stem(entry.service), []).append(entry)
    written: list[pathlib.Path] = []
    for stem, group in sorted(groups.items()):
        data = [entry_to_plain(entry) for entry in group]
        text = yaml.dump(
            data,
            Dumper=_Dumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=99,
        )
        header = f"# Knowledge base, service: {group[0].service}. Edit freely, keep the ids.\n"
        path = directory / f"{stem}.yaml"
        # Blank line between entries: easier to read and to review in diffs.
        body = text.replace("\n- id: ", "\n\n- id: ")
        path.write_text(header + body, encoding="utf-8")
        written.append(path)
    return written


def entry_to_plain(entry: Entry) -> dict[str, Any]:
    """The entry as plain data (lists, a date), as written to YAML."""
    plain = dataclasses.asdict(entry)
    for key, value in plain.items():
        if isinstance(value, tuple):
            plain[key] = list(value)
    if not entry.negatives:  # most entries have none: keep files and stored rows as they were
        del plain["negatives"]
    return plain


def entry_from_plain(data: dict[str, Any]) -> Entry:
    """An entry from plain data (YAML or the database's JSON), validated like a file entry."""
    return Entry(**_EntryModel.model_validate(data).model_dump())
