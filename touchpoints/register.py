"""The register as published: the office's processes with the bot's own touchpoints merged
in, grouped by the form's six directions and numbered. The bot's side comes as plain data
from the assembly (BotFacts), so this package names no other feature's code."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from pydantic import Field, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.calendar import ProductionCalendar
from bot.core.content import Line, Strict, load_model
from touchpoints.loader import Placed, load_register
from touchpoints.schema import Direction, Event, Key, Kind, Need, Needs

OWN = Path(__file__).parent / "own.yaml"
SHIPPED = Path(__file__).parent / "demo"
# The knowledge base's tag for the bot's own chat: any of the bot's channels covers it.
MESSENGER_TAG = "messenger"


@dataclass(frozen=True)
class BotFacts:
    """What the bot knows of itself, handed in by the assembly."""

    channels: tuple[str, ...]  # the messengers it runs in: telegram, vk
    sections: frozenset[str]  # its features' names
    services: tuple[tuple[str, str], ...] = ()  # (id, Russian title) of its service scenarios
    kb_tags: frozenset[tuple[str, str]] = frozenset()  # (service, touchpoint) of its answers


class OwnSection(Strict):
    """A section of the bot as a touchpoint: one row per channel the bot runs in (per public
    page of those channels when `public`)."""

    section: Key
    direction: Direction
    per_service: bool = False  # a row for each service scenario, in the service's process
    public: bool = False  # a row for each public page (Own.pages), not for each chat
    process: Key | None = None
    process_name: Line | None = None
    needs: Needs
    interaction: str = ""
    features: str = ""
    events: tuple[Event, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_process(self) -> "OwnSection":
        if self.per_service == (self.process is not None and self.process_name is not None):
            raise ValueError("give either per_service: true or both process and process_name")
        if self.public and self.per_service:
            raise ValueError("public pages are not per service: give their process")
        return self


class Page(Strict):
    """A public page where the bot answers comments: the messenger it belongs to, and its
    name as a touchpoint."""

    messenger: Key
    name: Line


class Own(Strict):
    channels: dict[Key, Line]
    # Public pages by the ticket source of their comments (vk_wall, tg_group), which is also
    # the channel the interaction log counts their uses under.
    pages: dict[Key, Page] = Field(default_factory=dict)
    sections: tuple[OwnSection, ...]

    @model_validator(mode="after")
    def _pages_apart(self) -> "Own":
        public: dict[str | None, set[bool]] = {}
        for section in self.sections:
            public.setdefault(section.process, set()).add(section.public)
        if any(len(kinds) > 1 for kinds in public.values()):
            raise ValueError("a process has either public sections or chat sections, not both")
        return self


def load_own(path: Path = OWN) -> Own:
    return load_model(path, Own)


@dataclass(frozen=True)
class Row:
    """One line of the form, plus what the usage figures need."""

    key: str  # "process/touchpoint": stable across versions, compared by the change log
    direction: Direction
    process: str
    touchpoint: str
    kind: Kind
    needs: tuple[Need, ...]  # in the list's order
    interaction: str
    features: str
    events: tuple[str, ...] = ()
    channel: str | None = None  # the bot's rows count their own channel's events only
    ref_prefix: str | None = None  # a service scenario's rows count that service's steps


@dataclass(frozen=True)
class Register:
    rows: tuple[Row, ...]
    # Knowledge-base tags that name no process or touchpoint of the register.
    untagged: tuple[str, ...] = ()

    def groups(self) -> list[tuple[Direction, list[tuple[int, Row]]]]:
        """Every direction of the form in its order, with its numbered rows (maybe none)."""
        numbered = list(enumerate(self.rows, start=1))
        return [(d, [(n, row) for n, row in numbered if row.direction is d]) for d in Direction]


def build(office: Sequence[Placed], own: Own, facts: BotFacts) -> Register:
    rows: dict[str, list[Row]] = {}  # by process key, in the office's order
    directions: dict[str, Direction] = {}
    names: dict[str, str] = {}
    for placed in office:
        process = placed.entry
        directions[process.process] = process.direction
        names[process.process] = process.name
        rows[process.process] = [
            Row(
                f"{process.process}/{t.id}",
                process.direction,
                process.name,
                t.name,
                t.kind,
                tuple(sorted(set(t.needs), key=list(Need).index)),
                t.interaction,
                t.features,
                t.events,
            )
            for t in process.touchpoints
        ]
    for key, direction, name, sections, prefix in _own_processes(own, facts):
        directions.setdefault(key, direction)
        names.setdefault(key, name)
        taken = {row.key for row in rows.get(key, [])}
        for channel, touchpoint in _touchpoints(sections, own, facts):
            row_key = f"{key}/{channel}"
            if row_key not in taken:
                row = _own_row(row_key, directions[key], names[key], sections, touchpoint, channel)
                rows.setdefault(key, []).append(replace(row, ref_prefix=prefix))
    ordered = [row for d in Direction for key in rows if directions[key] is d for row in rows[key]]
    return Register(tuple(ordered), _untagged(rows, facts))


def _own_processes(
    own: Own, facts: BotFacts
) -> Iterable[tuple[str, Direction, str, list[OwnSection], str | None]]:
    """(process key, direction, name, its sections, the ref prefix of a service's events)."""
    present = [s for s in own.sections if s.section in facts.sections]
    for service, title in facts.services:
        sections = [s for s in present if s.per_service]
        if sections:
            yield service, sections[0].direction, title, sections, f"{service}:"
    shared: dict[str, list[OwnSection]] = {}
    for section in present:
        if section.process is not None:
            shared.setdefault(section.process, []).append(section)
    for key, sections in shared.items():
        yield key, sections[0].direction, sections[0].process_name or key, sections, None


def _touchpoints(
    sections: list[OwnSection], own: Own, facts: BotFacts
) -> Iterable[tuple[str, str]]:
    """(channel, touchpoint name) of a process's rows: the bot's chats in the messengers it
    runs in, or, for public sections, the public pages of those messengers."""
    if sections[0].public:
        return [
            (key, page.name) for key, page in own.pages.items() if page.messenger in facts.channels
        ]
    return [
        (channel, own.channels[channel]) for channel in facts.channels if channel in own.channels
    ]


def _own_row(
    key: str,
    direction: Direction,
    process: str,
    sections: list[OwnSection],
    touchpoint: str,
    channel: str,
) -> Row:
    """Sections sharing a process are one touchpoint there: their needs and texts joined."""
    needs = {need: None for s in sections for need in s.needs}
    events = {event: None for s in sections for event in s.events}
    return Row(
        key,
        direction,
        process,
        touchpoint,
        Kind.DIGITAL,
        tuple(sorted(needs, key=list(Need).index)),
        "; ".join(s.interaction for s in sections if s.interaction),
        "; ".join(s.features for s in sections if s.features),
        tuple(events),
        channel=channel,
    )


def _untagged(rows: dict[str, list[Row]], facts: BotFacts) -> tuple[str, ...]:
    """Knowledge-base tags the register does not cover: a service no process is keyed by,
    a touchpoint no row has (the bot's own chat covers "messenger")."""
    touchpoints = {row.key.partition("/")[2] for group in rows.values() for row in group}
    if facts.channels:
        touchpoints.add(MESSENGER_TAG)
    services = sorted({s for s, _ in facts.kb_tags} - set(rows))
    missing = sorted({t for _, t in facts.kb_tags} - touchpoints)
    return (
        *(f"knowledge base: service {s!r} is not a process of the register" for s in services),
        *(f"knowledge base: touchpoint {t!r} is not in the register" for t in missing),
    )


class Facts(Protocol):
    """The assembly's view of the bot (channels, features, scenarios, knowledge base)."""

    async def __call__(self, session: AsyncSession) -> BotFacts: ...


@dataclass(frozen=True)
class Source:
    """Where a register comes from: the office's files, the bot itself, and the calendar its
    publication deadline counts in."""

    directory: Path
    facts: Facts
    calendar: ProductionCalendar

    async def register(self, session: AsyncSession) -> Register:
        """The current register; ContentError when the office's files are broken. An office
        that keeps no register files yet gets the bot's own touchpoints."""
        office = load_register(self.directory) if self.directory.is_dir() else []
        return build(office, load_own(), await self.facts(session))
