"""The register's change log: what differs from the published version, for the reasons the
regulations name, and the day by which the update must be published (10 working days by the
office's calendar, here across the New Year holidays)."""

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.booking.schedule import SHIPPED as BOOKING
from bot.cli import main
from bot.core.calendar import SHIPPED_OVERRIDES, ProductionCalendar
from bot.core.clock import PinnedClock
from knowledge_base.store import SHIPPED as KNOWLEDGE
from scenarios.loader import SHIPPED as SCENARIOS
from tests.conftest import MOSCOW
from tests.touchpoints.conftest import PROCESS, write
from touchpoints.changes import deadline

POST = """\
      - id: post
        name: Почтовое отправление
        kind: offline
        needs: [apply]
"""
# The portal serves a need more, a touchpoint is added.
MORE = PROCESS.replace("[apply, result]", "[information, apply, result]") + POST
CHANGED = MORE.replace("kind: offline", "kind: digital", 1)  # and the office goes digital


@pytest.fixture
def content(tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo content with a small register of the office's own in place of the demo's."""
    root = tmp_path / "content"
    root.mkdir()
    for section, shipped in (
        ("booking", BOOKING),
        ("knowledge_base", KNOWLEDGE),
        ("scenarios", SCENARIOS),
    ):
        (root / section).symlink_to(shipped)
    write(root / "touchpoints", register=PROCESS)
    monkeypatch.setenv("CONTENT_DIR", str(root))
    return root / "touchpoints"


def run(cli: CliRunner, *args: str) -> list[str]:
    result = cli.invoke(main, ["touchpoints", *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_the_deadline_is_the_tenth_working_day_after() -> None:
    calendar = ProductionCalendar.from_file(SHIPPED_OVERRIDES)
    # 25, 28, 29, 30 December; 31 December and 1-8 January are days off; 11-15, 18 January.
    assert deadline(date(2026, 12, 24), calendar) == date(2027, 1, 18)
    assert deadline(date(2026, 3, 11), calendar) == date(2026, 3, 25)  # an ordinary fortnight


def test_changes_since_publication_are_dated_once_and_published_with_the_page(
    cli: CliRunner, content: Path, tmp_path: Path, pinned: PinnedClock
) -> None:
    site = tmp_path / "site"
    pinned.set(datetime(2026, 12, 22, 11, 0, tzinfo=MOSCOW))
    assert run(cli, "changes") == [
        "Not published yet: `touchpoints export --publish` publishes it."
    ]
    run(cli, "export", "--publish", "--out", str(site))  # the first published version
    assert run(cli, "changes") == ["The published register is up to date."]

    pinned.set(datetime(2026, 12, 24, 10, 0, tzinfo=MOSCOW))
    write(content, register=CHANGED)
    expected = [
        "2026-12-24  publish by 2027-01-18  изменены потребности клиента: Единый портал"
        " государственных услуг (Выдача специальных разрешений) — было «подача заявления"
        " (обращения); получение результата», стало «получение информации; подача заявления"
        " (обращения); получение результата»",
        "2026-12-24  publish by 2027-01-18  изменён вид точки (цифровая или офлайн): Приём"
        " заявлений в управлении (Выдача специальных разрешений) — было «Офлайн-точка»,"
        " стало «Цифровая точка»",
        "2026-12-24  publish by 2027-01-18  добавлена точка взаимодействия: Почтовое"
        " отправление (Выдача специальных разрешений)",
    ]
    assert run(cli, "changes") == expected

    # Seen again the next days, a change keeps the day it was found; one undone is dropped.
    pinned.set(datetime(2026, 12, 28, 10, 0, tzinfo=MOSCOW))
    write(content, register=MORE)
    assert run(cli, "changes") == [expected[0], expected[2]]
    pinned.set(datetime(2027, 1, 19, 10, 0, tzinfo=MOSCOW))
    overdue = [
        line.replace("2027-01-18", "2027-01-18 (overdue)") for line in (expected[0], expected[2])
    ]
    assert run(cli, "changes") == overdue

    # A preview, the page included, publishes nothing.
    preview = tmp_path / "preview"
    result = cli.invoke(main, ["touchpoints", "export", "--out", str(preview)])
    assert result.exit_code == 0, result.output
    said = "A preview, not published: 2 changes wait for `touchpoints export --publish`."
    assert said in result.output
    page = (preview / "touchpoints.html").read_text(encoding="utf-8")
    assert "Черновик: эта версия перечня ещё не опубликована." in page
    assert "Почтовое отправление (Выдача" not in page
    assert run(cli, "changes") == overdue

    run(cli, "export", "--format", "csv", "--publish", "--out", str(site))
    assert run(cli, "changes") == ["The published register is up to date."]
    page = (site / "touchpoints.html").read_text(encoding="utf-8")
    assert "<strong>19.01.2027:</strong> добавлена точка взаимодействия: Почтовое" in page
    assert "Черновик" not in page

    write(content, register=MORE[: MORE.index("      - id: office")])
    assert run(cli, "changes") == [
        "2027-01-19  publish by 2027-02-02  исключена точка взаимодействия: Приём заявлений в"
        " управлении (Выдача специальных разрешений)",
        "2027-01-19  publish by 2027-02-02  исключена точка взаимодействия: Почтовое"
        " отправление (Выдача специальных разрешений)",
    ]
