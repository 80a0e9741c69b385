"""Settings from the environment and `.env`; the variable names are the operator's contract."""

import os
import re
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

# Telegram tokens are "<bot id>:<35 url-safe chars>"; a typo would otherwise surface as a 401.
TELEGRAM_TOKEN_RE = re.compile(r"^\d{5,20}:[A-Za-z0-9_-]{30,60}$")
# VK community tokens are long opaque strings ("vk1.a." + base64url, or 85 hex chars if old).
VK_TOKEN_RE = re.compile(r"^[A-Za-z0-9._-]{64,512}$")
# VK takes a Callback API secret key of up to 50 Latin letters and digits.
VK_CALLBACK_SECRET_RE = re.compile(r"^[A-Za-z0-9]{1,50}$")
# A listening address: host (a name, IPv4 or [IPv6]) and port.
LISTEN_RE = re.compile(r"^[\w.:\[\]-]+:\d{1,5}$")

SUPPORTED_DRIVERS = {"sqlite+aiosqlite", "postgresql+asyncpg"}
# People paste the URLs their hosting gives them; map those onto the async drivers we ship.
DRIVER_ALIASES = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
}


class ConfigError(Exception):
    """A setting is wrong; the message is one line naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///data/priemnaya.db"
    data_dir: Path = Path("data")
    telegram_bot_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    telegram_staff_chat_id: int | None = None
    telegram_webhook_url: str | None = None
    # One server for Telegram's webhook and VK's Callback API; the old name still works.
    webhook_listen: str = Field(
        default="0.0.0.0:8080",
        validation_alias=AliasChoices("webhook_listen", "telegram_webhook_listen"),
    )
    vk_group_token: SecretStr | None = None
    vk_group_id: int | None = Field(default=None, gt=0)
    vk_api_base: str | None = None
    # VK's Callback API instead of Bots Long Poll: the public URL VK posts events to; the
    # confirmation code and secret key when the office sets the server up in VK by hand.
    vk_callback_url: str | None = None
    vk_callback_confirmation: str | None = None
    vk_callback_secret: SecretStr | None = None
    timezone: str = "Europe/Moscow"
    secret_key: SecretStr | None = None
    content_dir: Path | None = None
    log_level: str = "INFO"
    # E-mail confirmations of bookings; no SMTP_HOST, no e-mail.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, gt=0, lt=65536)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "priemnaya@localhost"
    smtp_starttls: bool = True
    # A message the bot sends on its own that is still not delivered this long after its
    # first try is given up (and, for a staff answer, reported in the ticket's topic).
    outbox_give_up_hours: float = Field(default=24, gt=0)
    # At most one survey invitation per person in this many days.
    survey_invite_days: int = Field(default=30, gt=0)
    # How staff answers are signed: the employee's name, name and position, or not at all.
    staff_signature: Literal["name", "name_position", "none"] = "name"
    # The side port of /healthz, /readyz and /metrics (bot.assembly.ops); empty or "off"
    # switches it off. Worker N of `run --workers` listens on this port + N.
    ops_listen: str | None = "127.0.0.1:9464"
    # Set by `priemnaya run --workers N` for each of its workers (0..N-1): with long
    # polling worker 0 receives the updates; the OPS_LISTEN port adds it to its own.
    worker_index: int = Field(default=0, ge=0)

    @field_validator(
        "smtp_host",
        "smtp_username",
        "smtp_password",
        "telegram_bot_token",
        "vk_group_token",
        "secret_key",
        "telegram_webhook_url",
        "vk_api_base",
        "vk_callback_url",
        "vk_callback_confirmation",
        "vk_callback_secret",
        "content_dir",
        "telegram_staff_chat_id",
        "vk_group_id",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `.env.example` ships with empty values; an empty variable means "not configured".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("ops_listen", mode="before")
    @classmethod
    def _ops_listen(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in {"", "off"}:
            return None
        if isinstance(value, str) and not LISTEN_RE.match(value):
            raise ValueError("must be host:port, e.g. 127.0.0.1:9464, or off")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "not a database URL, expected e.g. sqlite+aiosqlite:///data/priemnaya.db"
            ) from None
        url = url.set(drivername=DRIVER_ALIASES.get(url.drivername, url.drivername))
        if url.drivername not in SUPPORTED_DRIVERS:
            raise ValueError(f"unsupported database {url.drivername!r}, use SQLite or PostgreSQL")
        return url.render_as_string(hide_password=False)

    @field_validator("telegram_api_base", "telegram_webhook_url", "vk_api_base", "vk_callback_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s):// URL")
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _telegram_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not TELEGRAM_TOKEN_RE.match(value.get_secret_value()):
            raise ValueError("does not look like a bot token from @BotFather (digits:letters)")
        return value

    @field_validator("vk_group_token")
    @classmethod
    def _vk_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not VK_TOKEN_RE.match(value.get_secret_value()):
            raise ValueError("does not look like a VK community access token")
        return value

    @field_validator("vk_callback_secret")
    @classmethod
    def _vk_callback_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not VK_CALLBACK_SECRET_RE.match(value.get_secret_value()):
            raise ValueError("must be 1 to 50 Latin letters and digits, as VK accepts")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, expected e.g. Europe/Moscow") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("webhook_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        if not LISTEN_RE.match(value):
            raise ValueError(
                "must be host:port, e.g. 0.0.0.0:8080 (also read as TELEGRAM_WEBHOOK_LISTEN)"
            )
        return value

    @model_validator(mode="after")
    def _vk_needs_group(self) -> "Settings":
        if self.vk_group_token is not None and self.vk_group_id is None:
            raise ValueError("VK_GROUP_ID: must be set together with VK_GROUP_TOKEN")
        return self

    @model_validator(mode="after")
    def _vk_callback(self) -> "Settings":
        if self.vk_callback_confirmation is not None and self.vk_callback_secret is None:
            raise ValueError(
                "VK_CALLBACK_SECRET: must be set with VK_CALLBACK_CONFIRMATION, the same key"
                " as typed into the community's Callback API settings"
            )
        vk, telegram = self.vk_callback_url, self.telegram_webhook_url
        if vk and telegram and webhook_path(vk) == webhook_path(telegram):
            raise ValueError(
                "VK_CALLBACK_URL: needs a path of its own, not TELEGRAM_WEBHOOK_URL's"
                " (one server takes both)"
            )
        return self

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def has_staff_chat(self) -> bool:
        """Whether a channel delivers what features send to staff (bot.core.staff.STAFF):
        today the Telegram staff supergroup. Without one nothing is queued for staff, who
        answer from the terminal (`priemnaya tickets`). Features ask this, never the
        channel's own settings."""
        return self.telegram_staff_chat_id is not None and self.telegram_bot_token is not None

    def content_path(self, section: str, shipped: Path) -> Path:
        """Folder of one content section: CONTENT_DIR/<section>, or the shipped demo."""
        return self.content_dir / section if self.content_dir else shipped

    def secret(self) -> str:
        """SECRET_KEY, or a key generated once into the data dir and kept there."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret.key"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: of two workers starting at once, one writes and both read that key.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(32))
        return path.read_text().strip()


def webhook_path(url: str) -> str:
    """The path a webhook's public URL is served at on the shared webhook server."""
    return urlsplit(url).path or "/"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment; any error becomes one ConfigError line naming a variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "_".join(str(part) for part in error["loc"]).upper()
        message = str(error["msg"]).removeprefix("Value error, ")
        if not name:  # model-level checks name the variable themselves
            raise ConfigError(message) from None
        raise ConfigError(f"{name}: {message}") from None
