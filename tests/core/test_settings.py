"""Configuration errors stop start-up with one line that names the variable."""

import asyncio
import sys

import pytest

from bot.core import texts
from bot.core.config import ConfigError, load_settings


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://x/y"),
        ("DATABASE_URL", "not a url"),
        ("TIMEZONE", "Mars/Olympus"),
        ("TELEGRAM_BOT_TOKEN", "12345"),
        ("VK_GROUP_TOKEN", "short"),
        ("TELEGRAM_API_BASE", "ftp://example"),
        ("VK_GROUP_ID", "-5"),
        ("VK_CALLBACK_URL", "vk.example/hook"),
        ("VK_CALLBACK_SECRET", "with spaces"),
        ("WEBHOOK_LISTEN", "8080"),
    ],
)
def test_a_wrong_value_names_its_variable(monkeypatch, variable, value) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None)
    assert str(error.value).startswith(variable)
    assert "\n" not in str(error.value)


def test_vk_token_needs_a_group_id(monkeypatch) -> None:
    monkeypatch.setenv("VK_GROUP_TOKEN", "vk1.a." + "x" * 80)
    with pytest.raises(ConfigError, match="VK_GROUP_ID"):
        load_settings(_env_file=None)


def test_webhook_listen_keeps_its_old_name(monkeypatch) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1:8443")
    assert load_settings(_env_file=None).webhook_listen == "127.0.0.1:8443"


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"VK_CALLBACK_CONFIRMATION": "1a2b3c4d"}, "VK_CALLBACK_SECRET"),
        (
            {"VK_CALLBACK_URL": "https://x.ru/hook", "TELEGRAM_WEBHOOK_URL": "https://x.ru/hook"},
            "VK_CALLBACK_URL",
        ),
    ],
)
def test_callback_settings_that_cannot_work_are_named(monkeypatch, variables, named) -> None:
    for variable, value in variables.items():
        monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None)
    assert str(error.value).startswith(named)


def test_hosting_style_postgres_url_is_accepted(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/app")
    assert load_settings(_env_file=None).database_url == "postgresql+asyncpg://u:p@db:5432/app"


def test_empty_values_mean_unset(monkeypatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("VK_GROUP_ID", "")
    settings = load_settings(_env_file=None)
    assert settings.telegram_bot_token is None and settings.vk_group_id is None


def test_secret_key_is_generated_once(tmp_path) -> None:
    settings = load_settings(_env_file=None, data_dir=tmp_path)
    assert settings.secret() == settings.secret() and len(settings.secret()) >= 32
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0


async def test_cli_prints_one_line_not_a_traceback(tmp_path) -> None:
    # asyncio's wait, not subprocess.run(timeout=...): its sleep loop fails under faketime.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "migrate",
        env={"TIMEZONE": "Nowhere/City", "PATH": ""},
        cwd=tmp_path,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert stderr.decode().strip().splitlines() == [
        "Configuration error: TIMEZONE: unknown time zone 'Nowhere/City', "
        "expected e.g. Europe/Moscow"
    ]


def test_catalogs_have_the_same_messages() -> None:
    assert texts.catalog_keys("ru") == texts.catalog_keys("en")


@pytest.mark.parametrize(
    ("hint", "locale"), [(None, "ru"), ("ru", "ru"), ("uk", "ru"), ("en-US", "en"), ("de", "en")]
)
def test_locale_from_messenger_hint(hint, locale) -> None:
    assert texts.pick_locale(hint) == locale
