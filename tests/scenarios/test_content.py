"""Scenario files: the schema, its error messages, and the moderators' commands."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.assembly.files import OfficeFiles
from bot.booking.schedule import SHIPPED as BOOKING_SHIPPED
from bot.cli import main
from bot.core.config import Settings
from bot.core.content import ContentError
from scenarios.loader import SHIPPED, load_file, load_services

GOOD = """\
id: demo
title: {ru: Услуга, en: Service}
questions:
  - id: how
    text: {ru: "Как?", en: "How?"}
    choices:
      - id: one
        label: {ru: Так, en: This way}
        route: only
routes:
  - id: only
    title: {ru: Единственный, en: The only one}
    steps:
      - id: first
        title: {ru: Первый шаг, en: First step}
        text: {ru: Сделайте это., en: Do this.}
        exits: [booking, rate]
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_file(path)
    return str(caught.value)


def test_shipped_demo_has_two_services_and_five_routes_for_the_first() -> None:
    dopog, permit = load_services(SHIPPED)
    assert [route.id for route in dopog.routes] == [
        "in_person",
        "gosuslugi",
        "email",
        "post",
        "proactive",
    ]
    assert permit.id == "permit"


def test_a_missing_field_names_file_line_and_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", GOOD.replace(", en: First step", ""))
    assert error_of(path).startswith(f"{path}:15: routes.0.steps.0.title.en: Field required")


def test_a_wrong_reference_points_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", GOOD.replace("route: only", "route: nowhere"))
    message = error_of(path)
    assert f"{path}:9:" in message and "no route 'nowhere'" in message
    # The route nobody reaches any more is reported too, at its own line.
    with pytest.raises(ContentError) as caught:
        load_file(path)
    assert caught.value.problems[1].startswith(f"{path}:11: no answer leads to route 'only'")


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (("exits: [booking, rate]", "exits: [booking, taxi]"), 17, "exits.1: Input should be"),
        (("id: first", "id: First Step"), 14, "steps.0.id: String should match pattern"),
        (("route: only", "route: only\n        next: how"), 7, "exactly one of `next`"),
        (('text: {ru: "Как?"', 'text: {ru: "Как?", ru: "Где?"'), 5, "key 'ru' written twice"),
        (("  - id: how", "  - id: how\n   bad: [indent"), 5, "not valid YAML"),
    ],
)
def test_each_kind_of_mistake_is_one_line(tmp_path: Path, change, line, reason) -> None:
    path = write(tmp_path, "broken.yaml", GOOD.replace(*change))
    message = error_of(path)
    assert message.startswith(f"{path}:{line}: ") and reason in message, message


def test_a_broken_file_stops_the_start_up(tmp_path: Path) -> None:
    write(tmp_path / "scenarios", "broken.yaml", GOOD.replace("route: only", "route: nowhere"))
    shutil.copytree(BOOKING_SHIPPED, tmp_path / "booking")  # CONTENT_DIR holds every section
    settings = Settings(content_dir=tmp_path, _env_file=None)
    with pytest.raises(ContentError, match=r"broken\.yaml:9: "):
        OfficeFiles.read(settings)


def test_check_reports_ok_with_counts() -> None:
    result = CliRunner().invoke(main, ["scenarios", "check", str(SHIPPED)])
    assert result.exit_code == 0
    assert result.output.strip() == "OK: 2 services, 7 routes"


def test_check_prints_one_line_per_problem_and_fails(tmp_path: Path) -> None:
    shutil.copy(SHIPPED / "permit.yaml", tmp_path / "permit.yaml")
    write(tmp_path, "a.yaml", GOOD.replace(", en: First step", "").replace("rate]", "x]"))
    result = CliRunner().invoke(main, ["scenarios", "check", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{tmp_path / 'a.yaml'}:") for line in lines)


def test_graph_shows_every_path_of_a_service() -> None:
    result = CliRunner().invoke(main, ["scenarios", "graph", "dopog", "--dir", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    dopog = next(service for service in load_services(SHIPPED) if service.id == "dopog")
    assert lines[0].startswith(f"dopog: {dopog.title.ru}")
    assert f"  ? situation: {dopog.question('situation').text.ru}" in lines
    # Both applicants reach the e-mail route, so it is printed under each of them.
    assert sum("route email:" in line for line in lines) == 2
    assert sum("route proactive:" in line for line in lines) == 1
    decision = dopog.route("proactive").steps[4]
    shown = f"5. decision: {decision.title.ru}  [question, human, rate]"
    assert any(line.strip() == shown for line in lines)


def test_graph_reads_content_dir_and_names_unknown_services(tmp_path: Path) -> None:
    shutil.copy(SHIPPED / "permit.yaml", write(tmp_path / "scenarios", "x.yaml", "").parent)
    (tmp_path / "scenarios" / "x.yaml").unlink()
    env = {"CONTENT_DIR": str(tmp_path)}
    result = CliRunner().invoke(main, ["scenarios", "graph", "permit"], env=env)
    assert result.exit_code == 0 and "route in_person" in result.output
    result = CliRunner().invoke(main, ["scenarios", "graph", "dopog"], env=env)
    assert result.exit_code != 0 and "no service 'dopog'" in result.output
