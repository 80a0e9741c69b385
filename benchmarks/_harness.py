"""What the benchmarks that run the real `priemnaya run` process share: where the command
is, the environment that aims it at the test suite's fake Bot API and VK API, and what the
process costs (CPU seconds and resident memory of it and its children, read from /proc).

Not a benchmark itself (a leading underscore: .ci/run skips it)."""

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository, for tests.support
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.telegram_api import FakeTelegramAPI  # noqa: E402
from tests.support.vk_api import FakeVKAPI  # noqa: E402

PRIEMNAYA = shutil.which("priemnaya") or str(Path(sys.executable).parent / "priemnaya")
TELEGRAM_TOKEN = "123456789:" + "A" * 35
VK_TOKEN = "vk1.a." + "b" * 80
_TICKS = os.sysconf("SC_CLK_TCK")


def bot_env(
    workdir: Path,
    *,
    telegram: FakeTelegramAPI | None = None,
    vk: FakeVKAPI | None = None,
    database_url: str | None = None,
) -> dict[str, str]:
    """The environment of a bot process aimed at the given fakes (and no real messenger)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "VK_"))}
    env.update(
        {
            "DATA_DIR": str(workdir / "data"),
            "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{workdir}/bench.db",
            "LOG_LEVEL": "WARNING",
            # The side port on any free one: another bot on this machine may hold the default.
            "OPS_LISTEN": "127.0.0.1:0",
        }
    )
    if telegram is not None:
        env["TELEGRAM_BOT_TOKEN"] = TELEGRAM_TOKEN
        env["TELEGRAM_API_BASE"] = telegram.base_url
    if vk is not None:
        env["VK_GROUP_TOKEN"] = VK_TOKEN
        env["VK_GROUP_ID"] = str(vk.group_id)
        env["VK_API_BASE"] = vk.api_url
    return env


def _status(pid: int, field: str) -> float:
    """A `/proc/<pid>/status` memory field in MB (NaN once the process is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return float("nan")
    for line in lines:
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int) -> float:
    """Resident memory of one process now."""
    return _status(pid, "VmRSS")


def tree(pid: int) -> list[int]:
    """The process and its descendants (workers a bot process started)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by the process and its descendants."""
    total = 0.0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    return total


def peak_rss_mb(pid: int) -> float:
    """The highest resident memory each process of the tree has had, added up."""
    return sum(_status(member, "VmHWM") for member in tree(pid))
