"""Knowledge-base entries: the data type, the YAML loader with validation, and the writer.

A content folder holds ``*.yaml`` files, each a list of entries. Moderators edit these files
by hand, so every error names the file, the entry and, where YAML lets us, the line.
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
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Button = Literal["booking", "human", "scenarios", "contacts"]
"""Symbolic exits an answer may offer; the engine maps them to real buttons."""
BUTTONS: tuple[str, ...] = get_args(Button)

_ID_RE = r"^[a-z][a-z0-9_]*$"


class ContentError(ValueError):
    """A content file cannot be used; the message says which file, entry, line and why."""


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


_Text = Annotated[str, Field(min_length=1)]
_Key = Annotated[str, Field(pattern=_ID_RE)]


class _EntryModel(BaseModel):
    """Validation schema of one entry as written in YAML (strict about unknown keys)."""

    # A keyword written as a bare number (2026) is still text for a moderator.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    id: _Key
    title_ru: _Text
    title_en: _Text
    answer_ru: _Text
    answer_en: _Text
    questions: tuple[str, ...] = Field(min_length=1)
    keywords: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    service: _Key
    touchpoint: _Key
    # A quoted "2026-11-20" is accepted too; a date and time is not (see _date_only).
    updated_at: datetime.date
    reviewed_by: _Text
    enabled: bool = True

    @field_validator("questions", "keywords")
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


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    """The YAML node at ``key`` inside ``node`` (a mapping key or a sequence index), if any."""
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == key:
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def _error(
    path: pathlib.Path, entry_id: str | None, line: int | None, reason: str
) -> ContentError:
    where = str(path)
    if line is not None:
        where += f", line {line}"
    if entry_id is not None:
        where += f", entry {entry_id!r}"
    return ContentError(f"{where}: {reason}")


def _parse(path: pathlib.Path) -> tuple[Any, yaml.Node | None]:
    """Parse a file once, keeping both the data and the node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(path, None, None, f"cannot read the file: {exc}") from exc
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise _error(path, None, line, f"not valid YAML: {problem}") from exc
    finally:
        loader.dispose()
    return data, node


def _load_file(path: pathlib.Path) -> list[Entry]:
    data, root = _parse(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise _error(path, None, _line(root), "the file must be a list of entries (- id: ...)")
    entries: list[Entry] = []
    for index, raw in enumerate(data):
        node = _child(root, index)
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        entry_id = raw_id if isinstance(raw_id, str) else f"#{index + 1}"
        if not isinstance(raw, dict):
            raise _error(path, entry_id, _line(node), "an entry must be a mapping of fields")
        try:
            model = _EntryModel.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = first["loc"]
            field_node: yaml.Node | None = node
            for part in loc:
                deeper = _child(field_node, part)
                if deeper is None:
                    break
                field_node = deeper
            field = ".".join(str(part) for part in loc) or "entry"
            reason = f"{field}: {first['msg']}"
            if len(exc.errors()) > 1:
                reason += f" (and {len(exc.errors()) - 1} more problem(s))"
            raise _error(path, entry_id, _line(field_node), reason) from exc
        entries.append(Entry(**model.model_dump()))
    return entries


def load_entries(directory: pathlib.Path) -> list[Entry]:
    """Read and validate every ``*.yaml`` file in ``directory`` (sorted by file name).

    Raises ContentError for a broken file, a duplicate id, or a missing folder.
    """
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise ContentError(f"{directory}: knowledge-base folder not found")
    entries: list[Entry] = []
    seen: dict[str, pathlib.Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        for entry in _load_file(path):
            if entry.id in seen:
                raise _error(
                    path, entry.id, None, f"duplicate id, first defined in {seen[entry.id]}"
                )
            seen[entry.id] = path
            entries.append(entry)
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
    return plain


def entry_from_plain(data: dict[str, Any]) -> Entry:
    """An entry from plain data (YAML or the database's JSON), validated like a file entry."""
    return Entry(**_EntryModel.model_validate(data).model_dump())
