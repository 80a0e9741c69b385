"""`priemnaya run` as a real process: one log line per channel, ready on its side port once
both poll, clean stop on SIGTERM, and no messenger library loaded by the commands that do not
need one."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp

from tests.support.fixtures import free_port
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI

PRIEMNAYA = str(Path(sys.executable).parent / "priemnaya")


async def test_run_starts_both_channels_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    async with FakeTelegramAPI() as telegram, FakeVKAPI() as vk:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "TELEGRAM_BOT_TOKEN": "123456789:" + "A" * 35,
            "TELEGRAM_API_BASE": telegram.base_url,
            "VK_GROUP_TOKEN": "vk1.a." + "b" * 80,
            "VK_GROUP_ID": str(vk.group_id),
            "VK_API_BASE": vk.api_url,
            "DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/run.db",
            "OPS_LISTEN": f"127.0.0.1:{port}",
        }
        process = await asyncio.create_subprocess_exec(
            PRIEMNAYA, "run", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
        )
        try:
            await telegram.wait_for_poll(timeout=60)
            await vk.wait_for_long_poll(timeout=60)
            telegram.push_message(42, "/start")
            await telegram.wait_for("sendMessage", chat_id=42, timeout=20)
            async with aiohttp.ClientSession() as http:
                ready = await http.get(f"http://127.0.0.1:{port}/readyz")
                assert (ready.status, await ready.text()) == (200, "ready\n")
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode()
    assert process.returncode == 0, log
    channel_lines = [line for line in log.splitlines() if " channel " in line]
    assert len(channel_lines) == 2, log
    assert "Traceback" not in log and "/start" not in log


async def test_terminal_commands_do_not_import_messenger_libraries() -> None:
    code = (
        "import sys, bot.cli, bot.app, handlers, handlers.console;"
        "print(sorted(m for m in ('aiogram', 'vkbottle') if m in sys.modules))"
    )
    # asyncio's wait, not subprocess.run(timeout=...): its sleep loop fails under faketime.
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE
    )
    stdout, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0
    assert stdout.decode().strip() == "[]"
