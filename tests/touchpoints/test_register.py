"""The register's content: the office's files checked as one whole (a touchpoint listed
twice names both places), and the bot's own touchpoints merged in from what it is."""

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import App
from bot.cli import main
from bot.core.content import ContentError
from tests.touchpoints.conftest import PROCESS, write
from touchpoints.loader import load_register
from touchpoints.register import SHIPPED, BotFacts, build, load_own
from touchpoints.schema import Direction, Kind, Need


def test_the_demo_register_checks() -> None:
    result = CliRunner().invoke(main, ["touchpoints", "check", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert result.output == "OK: 10 processes, 24 touchpoints\n"


def test_a_touchpoint_listed_twice_names_both_lines(tmp_path: Path) -> None:
    again = (
        PROCESS
        + """\
      - id: gosuslugi
        name: Портал госуслуг
        kind: digital
        needs: [information]
      - id: mfc
        name: Приём заявлений  в управлении
        kind: offline
        needs: [apply]
"""
    )
    other = PROCESS.replace("Выдача специальных разрешений", "Другое название")
    folder = write(tmp_path / "register", a=again, b=other)
    result = CliRunner().invoke(main, ["touchpoints", "check", str(folder)])
    assert result.exit_code == 1
    a, b = folder / "a.yaml", folder / "b.yaml"
    assert result.output.splitlines() == [
        f"{a}:14: touchpoint 'gosuslugi' of process 'permit' is listed twice (first at {a}:6)",
        # The same place under another id (spaces and case do not matter) is a duplicate too.
        f"{a}:18: touchpoint 'mfc' of process 'permit' is listed twice (first at {a}:10)",
        f"{b}:2: process 'permit' is listed twice (first at {a}:2)",
    ]


def test_a_need_outside_the_regulations_list_is_named_at_its_line(tmp_path: Path) -> None:
    folder = write(tmp_path / "register", a=PROCESS.replace("[apply, result]", "[apply, fun]"))
    result = CliRunner().invoke(main, ["touchpoints", "check", str(folder)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{folder / 'a.yaml'}:9: processes.0.touchpoints.0.needs.1:")


def test_the_bot_adds_a_row_per_channel_to_the_process_of_its_service(tmp_path: Path) -> None:
    office = load_register(write(tmp_path / "register", a=PROCESS))
    facts = BotFacts(
        ("telegram", "vk"),
        frozenset({"scenario", "ticket", "history"}),
        (("permit", "Разрешение на тяжёлый груз"), ("dopog", "ДОПОГ")),
        frozenset({("permit", "gosuslugi"), ("permit", "messenger"), ("licence", "post")}),
    )
    register = build(office, load_own(), facts)
    rows = {row.key: row for row in register.rows}
    assert list(rows) == [
        "permit/gosuslugi",
        "permit/office",
        "permit/telegram",  # the office's process takes the scenario's rows in
        "permit/vk",
        "dopog/telegram",  # a scenario with no process of the office's gets its own
        "dopog/vk",
        "messenger_appeals/telegram",
        "messenger_appeals/vk",
        "public_appeals/vk_wall",  # the public pages: a row each, apart from the chats
        "public_appeals/tg_group",
    ]
    bot = rows["permit/telegram"]
    assert (bot.process, bot.touchpoint, bot.kind) == (
        "Выдача специальных разрешений",
        "Чат-бот приёмной в Telegram",
        Kind.DIGITAL,
    )
    assert rows["dopog/vk"].process == "ДОПОГ"
    # Two sections in one process are one touchpoint there: their needs joined, in order.
    appeals = rows["messenger_appeals/telegram"]
    assert appeals.direction is Direction.APPEALS
    assert appeals.needs == (Need.APPLY, Need.PROGRESS, Need.RESULT)
    wall = rows["public_appeals/vk_wall"]
    assert (wall.direction, wall.kind, wall.channel) == (
        Direction.APPEALS,
        Kind.DIGITAL,
        "vk_wall",
    )
    assert wall.touchpoint == "Комментарии к записям сообщества и упоминания во ВКонтакте"
    assert rows["public_appeals/tg_group"].touchpoint == "Группа обсуждения канала в Telegram"
    assert register.untagged == (
        "knowledge base: service 'licence' is not a process of the register",
        "knowledge base: touchpoint 'post' is not in the register",
    )


def test_an_office_row_for_a_channel_replaces_the_bots(tmp_path: Path) -> None:
    own = (
        PROCESS
        + """\
      - id: telegram
        name: Наш бот в Telegram
        kind: digital
        needs: [information]
"""
    )
    office = load_register(write(tmp_path / "register", a=own))
    facts = BotFacts(("telegram",), frozenset({"scenario"}), (("permit", "Разрешение"),))
    register = build(office, load_own(), facts)
    assert [row.touchpoint for row in register.rows if row.key == "permit/telegram"] == [
        "Наш бот в Telegram"
    ]


async def test_the_running_bot_knows_its_channels_sections_and_scenarios(app: App) -> None:
    async with app.sessions() as session:
        register = await app.touchpoints.register(session)
        # An office with no register files yet publishes the bot's own touchpoints.
        empty = await replace(app.touchpoints, directory=Path("/nonexistent")).register(session)
    keys = {row.key for row in register.rows}
    assert {"permit/telegram", "permit/vk", "dopog/vk", "bot/telegram", "feedback/vk"} <= keys
    assert register.untagged == ()  # the demo register covers every tag of the demo base
    assert {row.channel for row in empty.rows} == {"telegram", "vk", "vk_wall", "tg_group"}


def test_a_public_page_is_listed_only_for_a_messenger_the_bot_runs_in() -> None:
    facts = BotFacts(("vk",), frozenset({"ticket"}))
    keys = [row.key for row in build([], load_own(), facts).rows]
    assert keys == ["messenger_appeals/vk", "public_appeals/vk_wall"]


def test_a_process_with_public_and_chat_sections_is_refused(tmp_path: Path) -> None:
    section = "{section: ticket, direction: appeals, process: a, process_name: A, needs: [apply]"
    path = tmp_path / "own.yaml"
    path.write_text(
        "channels: {vk: Бот}\n"
        "pages: {vk_wall: {messenger: vk, name: Стена}}\n"
        "sections:\n"
        f"  - {section}, events: [ticket.create]}}\n"
        f"  - {section}, public: true, events: [ticket.create]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="either public sections or chat sections"):
        load_own(path)
