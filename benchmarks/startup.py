"""Start-up time and idle memory of `priemnaya run`.

Starts the fake Bot API and VK API servers from the test suite on 127.0.0.1, runs the real
`priemnaya run` process against them, and prints:
- seconds from process start until both channels poll their server,
- resident memory (RSS) after the process has idled,
- the same for the terminal channel alone (no token: time until the menu is printed),
- in the same run, the baseline the targets are set against: a bare `import aiogram,
  vkbottle` process (time until imported, RSS then), and the differences.

Usage: python benchmarks/startup.py [--quick]
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from _harness import PRIEMNAYA, FakeTelegramAPI, FakeVKAPI, bot_env, rss_mb


async def with_channels(workdir: Path, idle_s: float) -> tuple[float, float]:
    async with FakeTelegramAPI() as telegram, FakeVKAPI() as vk:
        env = bot_env(workdir, telegram=telegram, vk=vk)
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(PRIEMNAYA, "run", env=env, cwd=workdir)
        try:
            await telegram.wait_for_poll(timeout=60)
            await vk.wait_for_long_poll(timeout=60)
            ready = time.perf_counter() - started
            await asyncio.sleep(idle_s)
            memory = rss_mb(process.pid)
        finally:
            process.terminate()
            await process.wait()
        return ready, memory


async def bare_import() -> tuple[float, float]:
    """A process that imports the two messenger libraries and nothing else."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import aiogram, vkbottle, sys; print('ready', flush=True); sys.stdin.read()",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdin is not None
    await asyncio.wait_for(process.stdout.readline(), timeout=60)
    ready = time.perf_counter() - started
    memory = rss_mb(process.pid)
    process.stdin.close()
    await process.wait()
    return ready, memory


async def terminal_only(workdir: Path) -> tuple[float, float]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "VK_"))},
        "DATA_DIR": str(workdir / "data"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/terminal.db",
    }
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        PRIEMNAYA,
        "run",
        env=env,
        cwd=workdir,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdin is not None
    seen = b""
    while b"> " not in seen:
        chunk = await asyncio.wait_for(process.stdout.read(1024), timeout=60)
        if not chunk:
            raise RuntimeError("the terminal channel ended before showing the menu")
        seen += chunk
    ready = time.perf_counter() - started
    memory = rss_mb(process.pid)
    process.stdin.close()
    await process.wait()
    return ready, memory


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one short run (CI smoke)")
    args = parser.parse_args()
    runs = 1 if args.quick else 3
    idle_s = 1.0 if args.quick else 10.0
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        results = [await with_channels(workdir, idle_s) for _ in range(runs)]
        print(f"priemnaya run, Telegram + VK, {runs} run(s), idle {idle_s:.0f} s:")
        print(
            f"  start-up to first poll: best {min(r[0] for r in results):.2f} s, "
            f"worst {max(r[0] for r in results):.2f} s"
        )
        print(f"  idle RSS: {max(r[1] for r in results):.0f} MB")
        bare = [await bare_import() for _ in range(runs)]
        bare_time, bare_rss = min(r[0] for r in bare), max(r[1] for r in bare)
        print(f"bare import aiogram, vkbottle: {bare_time:.2f} s, RSS {bare_rss:.0f} MB")
        print(
            f"  priemnaya minus bare: start-up +{min(r[0] for r in results) - bare_time:.2f} s "
            f"(target +1 s), RSS +{max(r[1] for r in results) - bare_rss:.0f} MB (target +40 MB)"
        )
        terminal = [await terminal_only(workdir) for _ in range(runs)]
        print("priemnaya run, terminal only (no token):")
        print(f"  start-up to menu: best {min(r[0] for r in terminal):.2f} s")
        print(f"  RSS at menu: {max(r[1] for r in terminal):.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
