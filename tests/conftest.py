"""Shared fixtures: a real database per test (SQLite file always, PostgreSQL when
TEST_POSTGRES_URL is set, which CI does) and the assembled bot core."""

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot import app as assembly
from bot.app import App, create_app
from bot.core import clock
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.db import create_engine, migrate
from knowledge_base.decision import DecisionModel
from knowledge_base.entries import load_entries
from knowledge_base.retrieval import Retriever
from knowledge_base.semantic import Encoder
from knowledge_base.store import MODEL_FILE, SHIPPED

pytest_plugins = ["tests.support.fixtures", "tests.support.client"]

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"]
MOSCOW = ZoneInfo("Europe/Moscow")
# Where every test starts unless it pins another instant: an ordinary working Wednesday
# morning, away from holidays and month ends, whatever the real date is.
ORDINARY_MORNING = datetime(2026, 3, 11, 9, 30, tzinfo=MOSCOW)


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not POSTGRES_URL:
        # In CI a missing server must fail the run, not quietly skip half the suite.
        raise pytest.UsageError("CI is set but TEST_POSTGRES_URL is not: start PostgreSQL")


@pytest.fixture(autouse=True)
def pinned() -> Iterator[PinnedClock]:
    """The bot's clock for this test, started at ORDINARY_MORNING; `pinned.set(...)` moves it."""
    pinned = PinnedClock(ORDINARY_MORNING)
    previous = clock.install(pinned)
    yield pinned
    clock.install(previous)


@pytest.fixture(autouse=True)
def quick_outbox(monkeypatch: pytest.MonkeyPatch) -> None:
    """A running bot's outbox looks for due messages every second; in tests every 100 ms, so
    each staff answer, notice or retry a test waits for does not wait out a tick of its own.
    What is due, the order and the 429 pauses (real seconds) stay as in production. (Each
    look takes SQLite's write lock, so not much more often than this.)"""
    monkeypatch.setattr(assembly, "OUTBOX_INTERVAL_S", 0.1)


@pytest.fixture(scope="session", autouse=True)
def sentence_model() -> None:
    """Load the sentence model and encode the demo base once per test process (~3 s), as a
    running bot does at start: tests that time replies then meet a warm process, not the
    first load competing with their handlers."""
    entries = load_entries(SHIPPED)
    Retriever(entries, Encoder(), DecisionModel.load(SHIPPED / MODEL_FILE))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating every test costs ~0.3 s)."""
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await migrate(engine)
        await engine.dispose()  # the last connection to close folds the WAL into the file

    asyncio.run(build())
    return path


@pytest.fixture(scope="session")
def postgres_template() -> str:
    """A migrated PostgreSQL database that each test clones with CREATE DATABASE TEMPLATE."""
    assert POSTGRES_URL is not None
    name = f"priemnaya_tpl_{uuid.uuid4().hex[:8]}"

    async def build() -> None:
        await _admin(f'CREATE DATABASE "{name}"')
        engine = create_engine(_database(name))
        await migrate(engine)
        await engine.dispose()

    asyncio.run(build())
    yield name
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _database(name: str) -> str:
    assert POSTGRES_URL is not None
    url = make_url(POSTGRES_URL).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


async def _admin(statement: str) -> None:
    engine = create_engine(_database("postgres"))
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text(statement))
    await engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "priemnaya.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    if POSTGRES_URL is None:
        pytest.skip("PostgreSQL runs in CI; set TEST_POSTGRES_URL to run it here")
    template = request.getfixturevalue("postgres_template")
    name = f"priemnaya_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _database(name)
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key="test-secret-key-not-for-production",
        _env_file=None,
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    app = await create_app(settings)
    yield app
    await app.close()
