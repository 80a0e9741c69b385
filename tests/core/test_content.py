"""The one content loader: YAML read with its line numbers, pydantic validation, and every
problem as `file:line: reason`, for each kind of content file the bot reads."""

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import click
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from bot.booking.schedule import SHIPPED as SCHEDULE
from bot.booking.schedule import load_schedule
from bot.core.calendar import ProductionCalendar
from bot.core.cli_support import async_command
from bot.core.content import (
    Checks,
    ContentError,
    Loc,
    Strict,
    Text,
    load_model,
    load_yaml,
    problem,
)
from bot.tickets.sla import SHIPPED as SLA
from bot.tickets.sla import load_sla
from knowledge_base.entries import load_entries
from knowledge_base.store import SHIPPED as KB
from scenarios.loader import SHIPPED as SCENARIOS
from scenarios.loader import load_file

MSK = ZoneInfo("Europe/Moscow")


class Room(Strict):
    number: int
    name: Text


class Floor(Strict):
    level: int
    rooms: tuple[Room, ...] = ()


def no_thirteen(floor: Floor) -> Iterator[tuple[Loc, str]]:
    for index, room in enumerate(floor.rooms):
        if room.number == 13:
            yield ("rooms", index, "number"), "there is no room 13"


FLOOR = """\
level: 1
rooms:
  - number: 12
    name: {ru: Зал, en: Hall}
  - number: 14
    name:
      ru: Касса
      en: Cashier
"""


def write(tmp_path: Path, text: str, name: str = "floor.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, checks: Checks[Floor] | None = None) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_model(path, Floor, checks=checks)
    return caught.value.problems


def test_a_valid_file_is_its_model(tmp_path: Path) -> None:
    floor = load_model(write(tmp_path, FLOOR), Floor)
    assert [room.name.get("en") for room in floor.rooms] == ["Hall", "Cashier"]
    assert floor.rooms[1].name.names() == ["Касса", "Cashier"]
    assert floor.rooms[0].name.get("ru") == "Зал"


def test_a_wrong_value_points_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, FLOOR.replace("number: 14", "number: fourteen"))
    assert problems_of(path) == [
        f"{path}:5: rooms.1.number: Input should be a valid integer, unable to parse string"
        " as an integer"
    ]


def test_a_missing_key_points_at_its_mapping_and_every_problem_is_listed(tmp_path: Path) -> None:
    path = write(tmp_path, FLOOR.replace("      en: Cashier\n", "").replace("level: 1", "levl: 1"))
    assert problems_of(path) == [
        f"{path}:1: level: Field required",
        f"{path}:7: rooms.1.name.en: Field required",
        f"{path}:1: levl: Extra inputs are not permitted",
    ]
    with pytest.raises(ContentError, match=r"^\S+floor\.yaml:1: level: Field required \(and 2 "):
        load_model(path, Floor)


def test_a_key_written_twice_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, FLOOR.replace("en: Hall}", "en: Hall, en: Room}"))
    assert problems_of(path) == [f"{path}:4: key 'en' written twice"]


def test_broken_and_unreadable_files(tmp_path: Path) -> None:
    path = write(tmp_path, FLOOR.replace("  - number: 14", "  - number: [14"))
    [message] = problems_of(path)
    assert message.startswith(f"{path}:6: not valid YAML: ")
    path.write_bytes(b"level: \xff\n")
    [message] = problems_of(path)
    assert message.startswith(f"{path}:1: cannot read the file: ")
    [message] = problems_of(tmp_path / "missing.yaml")
    assert message.startswith(f"{tmp_path / 'missing.yaml'}:1: cannot read the file: ")


def test_a_features_own_checks_point_at_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, FLOOR.replace("number: 14", "number: 13"))
    assert problems_of(path, checks=no_thirteen) == [f"{path}:5: there is no room 13"]
    # Checks see only a valid model: a broken file reports what pydantic found.
    broken = write(tmp_path, FLOOR.replace("number: 14", "number: 13").replace("level: 1", ""))
    assert problems_of(broken, checks=no_thirteen) == [f"{broken}:2: level: Field required"]


def test_a_part_of_a_file_with_a_label(tmp_path: Path) -> None:
    document = load_yaml(write(tmp_path, FLOOR))
    room = document.validate(Room, at=("rooms", 0))
    assert room.number == 12
    with pytest.raises(ContentError) as caught:
        document.validate(Floor, at=("rooms", 1), label="room 14")
    assert caught.value.problems[0] == f"{document.path}:5: room 14: level: Field required"
    assert document.error(("rooms", 1, "name", "en"), "too formal").problems == [
        f"{document.path}:8: too formal"
    ]


def test_a_folder_has_no_line_and_the_error_is_a_value_error(tmp_path: Path) -> None:
    assert problem(tmp_path, None, "not found") == f"{tmp_path}: not found"
    assert issubclass(ContentError, ValueError)


def test_text_needs_both_languages_and_never_changes() -> None:
    with pytest.raises(ValidationError):
        Text.model_validate({"ru": "Да"})
    with pytest.raises(ValidationError):
        Text.model_validate({"ru": "Да", "en": ""})
    text = Text(ru="Да", en="Yes")
    with pytest.raises(ValidationError):
        text.ru = "Нет"  # type: ignore[misc]


# Each kind of content file the bot reads, with a mistake at a known line.


def test_a_knowledge_base_entry(tmp_path: Path) -> None:
    shutil.copy(KB / "general.yaml", tmp_path / "general.yaml")
    path = tmp_path / "general.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("  reviewed_by: demo") + 1
    path.write_text(text.replace("  reviewed_by: demo", "  reviewed_by: ''", 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_entries(tmp_path)
    [message] = caught.value.problems
    assert message.startswith(f"{path}:{line}: entry '") and "reviewed_by: String" in message


def test_a_scenario(tmp_path: Path) -> None:
    text = (SCENARIOS / "permit.yaml").read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "route: " in row)
    target = text.splitlines()[line - 1].split("route: ")[1]
    path = write(tmp_path, text.replace(f"route: {target}", "route: nowhere", 1), "permit.yaml")
    with pytest.raises(ContentError) as caught:
        load_file(path)
    assert caught.value.problems[0].startswith(f"{path}:{line}: ")
    assert "no route 'nowhere' in this file" in caught.value.problems[0]


def test_a_booking_schedule(tmp_path: Path) -> None:
    text = (SCHEDULE / "schedule.yaml").read_text(encoding="utf-8")
    write(tmp_path, text.replace("  days_off: []", "  days_off: [someday]"), "schedule.yaml")
    line = text.splitlines().index("  days_off: []") + 1
    with pytest.raises(ContentError) as caught:
        load_schedule(tmp_path, MSK)
    [message] = caught.value.problems
    assert message.startswith(f"{tmp_path / 'schedule.yaml'}:{line}: calendar.days_off.0: ")


def test_two_offices_with_one_id(tmp_path: Path) -> None:
    text = (SCHEDULE / "schedule.yaml").read_text(encoding="utf-8")
    write(tmp_path, text.replace("  - id: river", "  - id: transport"), "schedule.yaml")
    line = text.splitlines().index("  - id: river") + 1
    with pytest.raises(ContentError) as caught:
        load_schedule(tmp_path, MSK)
    assert caught.value.problems == [
        f"{tmp_path / 'schedule.yaml'}:{line}: two offices have the id 'transport'"
    ]


def test_sla_policies(tmp_path: Path) -> None:
    text = SLA.read_text(encoding="utf-8")
    line = text.splitlines().index("    final_answer: 72h") + 1
    path = write(tmp_path, text.replace("final_answer: 72h", "final_answer: 3 days"), "sla.yaml")
    with pytest.raises(ContentError) as caught:
        load_sla(path, MSK)
    assert caught.value.problems == [
        f"{path}:{line}: kinds.complaint.final_answer: '3 days' is not a duration like 2h, 90m"
        " or 3d"
    ]


def test_calendar_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "days_off: []\nworking_days:\n  - 2026-11-21\n  - 21.11.2026\n")
    with pytest.raises(ContentError) as caught:
        ProductionCalendar.from_file(path)
    [message] = caught.value.problems
    assert message.startswith(f"{path}:4: working_days.1: ")
    wednesday = date(2026, 11, 25)
    path.write_text(f"short_days: [{wednesday}]\n", encoding="utf-8")
    assert ProductionCalendar.from_file(path).is_shortened(wednesday)
    assert not ProductionCalendar().is_shortened(wednesday)


def test_broken_content_stops_a_command_with_one_line_per_problem() -> None:
    @click.command()
    @async_command
    async def start() -> None:
        raise ContentError(["a.yaml:3: id: Field required", "b.yaml:7: no route 'x'"])

    result = CliRunner().invoke(start)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Content error: a.yaml:3: id: Field required",
        "Content error: b.yaml:7: no route 'x'",
    ]
