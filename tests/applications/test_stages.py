"""The stage list as content: the shipped one loads, an office's own replaces it, and a
broken one stops the start-up with file:line reasons; the stages named in the published
results, "Мои заявления" in the touchpoint register."""

from pathlib import Path

import pytest
from pydantic import SecretStr

from applications.service import Office
from applications.stages import SHIPPED, load_stages
from bot.app import create_app
from bot.assembly.feedback import feedback_names
from bot.assembly.files import OfficeFiles
from bot.core.config import Settings
from bot.core.content import ContentError
from bot.core.ratings import application_stage
from tests.support.fixtures import TOKEN
from touchpoints.schema import Need

OWN = """\
stages:
  - id: filed
    title: {ru: Подано, en: Filed}
    notice: {ru: Заявление у нас., en: We have it.}
  - id: done
    title: {ru: Готово, en: Done}
    notice: {ru: Можно забирать., en: Ready to collect.}
    final: true
"""


def test_the_shipped_stages_go_from_received_to_a_decision() -> None:
    stages = load_stages(SHIPPED)
    assert [s.id for s in stages.stages] == [
        "received",
        "review",
        "documents",
        "approved",
        "refused",
    ]
    # "Next" passes the documents detour and never picks a decision.
    assert [stages.after(s) for s in ("received", "review")] == [stages.get("review"), None]
    assert stages.find("Отказ") is stages.find("REFUSED") is stages.get("refused")
    assert stages.find("на рассмотрении") is stages.get("review")


def test_an_offices_own_stages_replace_the_demo(settings: Settings, tmp_path: Path) -> None:
    own = settings.model_copy(update={"content_dir": tmp_path})
    # No applications/ folder in the office's content: the demo stages.
    assert Office.stages_of(own) == load_stages(SHIPPED)
    (tmp_path / "applications").mkdir()
    (tmp_path / "applications" / "stages.yaml").write_text(OWN, encoding="utf-8")
    assert [s.id for s in Office.stages_of(own).stages] == ["filed", "done"]


def test_a_broken_list_names_its_lines(tmp_path: Path) -> None:
    broken = OWN.replace("id: done", "id: filed").replace("    final: true\n", "")
    (tmp_path / "stages.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_stages(tmp_path)
    assert caught.value.problems == [
        f"{tmp_path / 'stages.yaml'}:5: stage 'filed' is listed twice",
        f"{tmp_path / 'stages.yaml'}:2: no stage is a decision (final: true)",
    ]


def test_the_published_results_name_the_stages(settings: Settings) -> None:
    names = feedback_names(OfficeFiles.read(settings))
    assert names.stage(application_stage("review")) == "заявление: На рассмотрении"


async def test_the_register_lists_my_applications_in_each_messenger(settings: Settings) -> None:
    app = await create_app(settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN)}))
    try:
        async with app.sessions() as session:
            register = await app.touchpoints.register(session)
    finally:
        await app.close()
    [row] = [row for row in register.rows if row.key == "application/telegram"]
    assert {Need.PROGRESS, Need.RESULT, Need.FEEDBACK} <= set(row.needs)
    assert "open:applications" in row.events
