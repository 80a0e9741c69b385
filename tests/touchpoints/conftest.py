"""The bot as an office runs it in Telegram and VK (so the register has the bot's own rows
for both), and small register folders written for a test."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from bot.app import App, create_app
from bot.core.config import Settings
from tests.support.fixtures import TOKEN, VK_TOKEN

PROCESS = """\
processes:
  - process: permit
    direction: services
    name: Выдача специальных разрешений
    touchpoints:
      - id: gosuslugi
        name: Единый портал государственных услуг
        kind: digital
        needs: [apply, result]
      - id: office
        name: Приём заявлений в управлении
        kind: offline
        needs: [consultation, apply]
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "vk_group_token": SecretStr(VK_TOKEN),
            "vk_group_id": 1,
        }
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    app = await create_app(settings)
    yield app
    await app.close()


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The `priemnaya` command on this test's database, with both channels configured."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", settings.secret())
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("VK_GROUP_TOKEN", VK_TOKEN)
    monkeypatch.setenv("VK_GROUP_ID", "1")
    return CliRunner()
