"""Real worker processes on PostgreSQL: a worker SIGKILLed in the middle of an update (the
update Telegram delivers again is handled once, by another worker), and `priemnaya run
--workers N` restarting a worker that died and stopping them all cleanly."""

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from bot.cli import main
from bot.core import texts
from bot.core.db import create_engine, create_session_factory
from bot.core.models import Conversation, InboundUpdate, Person
from bot.core.workers import REFUSAL
from tests.support.fixtures import TOKEN, USER, free_port
from tests.support.telegram_api import FakeTelegramAPI

SECRET = "test-secret-key-not-for-production"
START_S = 60  # a worker's start: imports, migrations, the knowledge base


@pytest.fixture
def postgres(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers run on PostgreSQL only")
    return database_url


def worker_env(tmp_path: Path, database_url: str, api: FakeTelegramAPI, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "VK_"))}
    env.update(
        DATABASE_URL=database_url,
        DATA_DIR=str(tmp_path / "data"),
        SECRET_KEY=SECRET,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE=api.base_url,
        LOG_LEVEL="INFO",
        OPS_LISTEN="127.0.0.1:0",  # any free port: another test or bot may hold the default
        **extra,
    )
    return env


@asynccontextmanager
async def process(
    args: list[str], env: dict, log: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    with log.open("wb") as sink:
        started = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, env=env, cwd=log.parent, stderr=sink
        )
    try:
        yield started
    finally:
        if started.returncode is None:
            started.kill()
            await started.wait()


def update(update_id: int, said: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": USER, "type": "private"},
            "from": {"id": USER, "is_bot": False, "first_name": "Иван"},
            "text": said,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(said)}],
        },
    }


async def lock_waiters(connection: Any) -> set[int]:
    rows = await connection.execute(
        text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
    )
    return {pid for (pid,) in rows}


async def until(check: Callable[[], Any], timeout: float = 20) -> Any:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        while not (found := await check()):  # noqa: ASYNC110  (the database, /proc: no event)
            await asyncio.sleep(0.05)
    return found


async def test_an_update_of_a_killed_worker_is_handled_once_by_another(
    postgres: str, api: FakeTelegramAPI, tmp_path: Path
) -> None:
    ports = free_port(), free_port()
    hooks = [f"http://127.0.0.1:{port}/hook" for port in ports]
    envs = [
        worker_env(
            tmp_path,
            postgres,
            api,
            TELEGRAM_WEBHOOK_URL=hook,
            WEBHOOK_LISTEN=f"127.0.0.1:{port}",
            WORKER_INDEX=str(index),
        )
        for index, (hook, port) in enumerate(zip(hooks, ports, strict=True))
    ]
    engine = create_engine(postgres)
    sessions = create_session_factory(engine)
    async with (
        process(["run"], envs[0], tmp_path / "first.log") as first,
        process(["run"], envs[1], tmp_path / "second.log") as second,
        aiohttp.ClientSession() as http,
    ):
        [hook, _] = await api.wait_for("setWebhook", count=2, timeout=START_S)
        header = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]}

        async def deliver(hook: str, number: int, said: str) -> int:
            async with http.post(hook, json=update(number, said), headers=header) as answer:
                return answer.status

        assert await deliver(hooks[1], 1, "/start") == 200
        async with sessions() as holder, holder.begin():
            # The test holds the person's conversation: the first worker blocks inside the
            # update, after recording it, as it would behind a slow handler.
            await holder.execute(
                select(Conversation.person_id)
                .join(Person, Person.id == Conversation.person_id)
                .where(Person.external_id == str(USER))
                .with_for_update(of=Conversation)
            )
            handling = asyncio.create_task(deliver(hooks[0], 2, "/help"))
            async with engine.connect() as watcher:
                killed = await until(lambda: lock_waiters(watcher))
                first.send_signal(signal.SIGKILL)
                await first.wait()
                with pytest.raises(aiohttp.ClientError):
                    await handling  # unanswered: Telegram delivers it again, elsewhere
                redelivered = asyncio.create_task(deliver(hooks[1], 2, "/help"))
                await until(lambda: _others(watcher, killed))
        # The lock is gone: the second worker goes on with the update.
        assert await redelivered == 200
        helps = [m for m in api.sent(chat_id=USER) if m["text"] == texts.text("ru", "help")]
        assert len(helps) == 1
        async with sessions() as session:
            rows = (await session.scalars(select(InboundUpdate.status))).all()
        assert sorted(rows) == ["done", "done"]
        assert second.returncode is None
    await engine.dispose()


async def _others(connection: Any, known: set[int]) -> bool:
    return bool(await lock_waiters(connection) - known)


def test_workers_need_postgresql(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db", "DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(main, ["run", "--workers", "2"], env=env)
    assert result.exit_code == 2
    assert " ".join(REFUSAL.split()[:4]) in " ".join(result.output.split())


async def test_run_workers_restarts_a_dead_worker_and_stops_cleanly(
    postgres: str, api: FakeTelegramAPI, tmp_path: Path
) -> None:
    env = worker_env(tmp_path, postgres, api)
    async with process(["run", "--workers", "2"], env, tmp_path / "run.log") as parent:
        await api.wait_for_poll(timeout=START_S)  # worker 0 polls; worker 1 only sends
        workers = await until(lambda: _children(parent.pid, count=2), START_S)
        await until(lambda: _ready(tmp_path / "run.log", count=2), START_S)
        api.push_message(USER, "/start")
        [menu] = await api.wait_for("sendMessage", chat_id=USER, timeout=START_S)
        assert menu["text"].startswith(texts.text("ru", "menu-greeting")[:20])
        os.kill(workers[1], signal.SIGKILL)
        restarted = await until(
            lambda: _children(parent.pid, count=2, without=workers[1]), START_S
        )
        assert workers[0] in restarted
        # Stopped while the new one may still be starting: it ends before taking updates.
        parent.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(parent.wait(), START_S) == 0
    assert not await _children(parent.pid, count=1)
    log = (tmp_path / "run.log").read_text()
    assert "Traceback" not in log
    assert "bot.app: stopping\n" in log  # worker 0 finished what it had


async def _children(pid: int, *, count: int, without: int | None = None) -> list[int]:
    """The parent's worker processes, once there are `count` of them (not `without`)."""
    return await asyncio.to_thread(_children_now, pid, count, without)


def _children_now(pid: int, count: int, without: int | None) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().split()[3]) == pid:
                found.append(int(entry.name))
        except OSError:
            continue
    found = sorted(child for child in found if child != without)
    return found if len(found) >= count else []


async def _ready(log: Path, count: int) -> bool:
    shown = await asyncio.to_thread(log.read_text)
    return shown.count("channel telegram:") >= count
