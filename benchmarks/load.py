"""Load benchmark: many people talking to the real `priemnaya run` at once, next to a bare
echo bot of the same framework on the same fake server and machine.

Run from the repository root (SQLite in a temporary folder unless a URL is given, by
--database-url or BENCH_DATABASE_URL; on a PostgreSQL server a fresh database is created
for the run and dropped after it):

    .venv/bin/python benchmarks/load.py [--channel telegram|vk] [--people 200]
        [--messages 20] [--database-url URL] [--workers N] [--webhook]
        [--questions faq_dev.tsv]
    .venv/bin/python benchmarks/load.py --rate 50 [--burst 25 --burst-every 5] [--duration 30]
    .venv/bin/python benchmarks/load.py --quick          # CI smoke: 10 people x 5 messages

The benchmark process serves the test suite's fake Bot API (or VK API) on 127.0.0.1 and runs
the bot as a subprocess against it. Closed loop (the default): K people each send M messages,
each waiting for the bot's answer before the next, as a person does. Each person starts with
/start and then, chosen at random (seeded) until their M messages are used up: a free-text
question from the FAQ development set (now and then pressing "Да"/"Нет" under the answer), a
press of a main-menu button (info, history, "Задать вопрос") and back, a scenario walk (a
service, its questions, "Далее" to the end), or a booking up to the summary (office, service,
day, time, consent, name, document, skips; never confirmed, so no seat is taken). Every press
is on a button the bot actually sent, read from its last keyboard. The echo bot then gets the
same people sending the same sequence of texts and presses.

Open loop (--rate): updates arrive at a fixed rate (plus a burst every few seconds) whatever
the bot does, each from a person not waiting for an answer (new people join when all wait),
so the latency is that of a bot below (or above) saturation; "kept up" says whether answers
came as fast as updates arrived and the backlog ended within a second of the last arrival.

--workers N runs `priemnaya run --workers N` (PostgreSQL). With long polling only worker 0
receives updates (Telegram and VK allow one poller), so more workers help only the outbox
and timers; --webhook (Telegram) has the fake POST every update to the bot's webhook as
Telegram does, where the kernel spreads the connections over all workers.

What the numbers mean:
- updates/s: updates answered per second of the measured phase (first push to last answer).
- p50/p95/p99: from pushing an update to the fake server until the bot's answer to it is
  recorded there (the answer: see below), in milliseconds.
- CPU: CPU time of the bot process (and its workers) over the measured phase, as a share of
  one core (200 % = both cores of a 2-core machine).
- CPU ms/upd: the same CPU time divided by the updates answered.
- peak RSS: the highest resident memory of the bot process (its workers added) in the run.
- lost / dup: the answer to an update is what the bot sends that chat from the push on: its
  messages up to one with buttons (the bot puts the buttons under an answer's last part, and
  every answer has some) and any more that follow within --settle ms or a quarter of the
  answer's time so far, whichever is longer. A kind of update whose answer has had more
  messages with buttons (a "Нет" under an FAQ answer: a rating prompt, then a way on; the
  warm-up presses it) waits longer for the rest. A Telegram button press also needs one
  answerCallbackQuery with its id (VK presses are messages). The "Секунду…" notice of a
  slow answer is not a part of it. Lost: updates with no answer by the end of the run, and
  presses whose callback was never answered. Dup: a message sent twice within one answer, a
  message to a chat that no update of it was waiting for, a callback answered twice or one
  never pushed; counted after the bot has been quiet for 2 s at the end. Both must be 0 (a
  chat that erred has its log printed). An answer later than --timeout is not lost but
  "late" (the person stops writing then); its latency is counted.
- notices: "Секунду…" messages sent because an answer took longer than 3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _answers import Messenger
from _harness import PRIEMNAYA, ROOT, cpu_seconds, peak_rss_mb
from _people import Action, Replay, Script

BENCH = Path(__file__).resolve().parent
DEFAULT_QUESTIONS = ROOT.parent / "shared" / "faq_dev.tsv"
FIRST_USER = 10_000_001  # people's ids; the warm-up people's are below it


# --- people ------------------------------------------------------------------------------


class Person:
    def __init__(self, user: int, script: Script | Replay, messenger: Messenger) -> None:
        self.user = user
        self.script = script
        self.messenger = messenger
        self.actions = script.actions()
        self.sent: list[Action] = []
        self.latencies: list[float] = []
        self.busy = False
        self.gone = False

    async def step(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Send the next message and wait for its answer; False when it never came."""
        action = next(self.actions)
        self.busy = True
        self.sent.append(action)
        step = self.messenger.push(self.user, action, self.script.buttons)
        assert step.done is not None
        try:
            buttons, text = await asyncio.wait_for(asyncio.shield(step.done), timeout)
        except TimeoutError:
            self.messenger.erred.add(self.user)
            self.messenger.overdue.append(step)
            self.gone = True  # a person with no answer does not write again
            return False
        finally:
            self.busy = False
        assert step.answered_at is not None
        self.latencies.append(step.answered_at - step.pushed)
        self.script.buttons, self.script.text = buttons, text
        return True


def read_questions(path: Path) -> list[str]:
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        return [line.split("\t")[0].strip() for line in lines if line.strip()]
    # Without the development set beside the repository: the knowledge base's own examples.
    from knowledge_base.entries import load_entries

    entries = load_entries(ROOT / "knowledge_base" / "demo")
    print(f"({path} not found: asking the demo knowledge base's example questions)")
    return [question for entry in entries for question in entry.questions]


# --- running a bot -----------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    bot: str
    updates: int
    seconds: float
    latencies: list[float]
    cpu_percent: float
    peak_rss_mb: float
    lost: int
    duplicated: int
    counts: Counter[str]

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def ms(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)] * 1000


def bot_command(bot: str, channel: str, workers: int | None) -> list[str]:
    if bot == "echo":
        return [sys.executable, str(BENCH / f"_echo_{channel}.py")]
    command = [PRIEMNAYA, "run"]
    if workers is not None and workers_supported():
        command += ["--workers", str(workers)]
    return command


def workers_supported() -> bool:
    shown = subprocess.run([PRIEMNAYA, "run", "--help"], capture_output=True, text=True)
    return "--workers" in shown.stdout


@contextlib.asynccontextmanager
async def fresh_database(url: str | None) -> Any:
    """A new database on the PostgreSQL server of `url` for this run (other URLs as given)."""
    if url is None or not url.startswith("postgres"):
        yield url
        return
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from bot.core.db import create_engine

    name = f"priemnaya_bench_{os.getpid()}"
    server = make_url(url).set(drivername="postgresql+asyncpg")
    admin = create_engine(server.render_as_string(hide_password=False))

    async def run(statement: str) -> None:
        async with admin.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text(statement))

    await run(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        await run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()


@contextlib.asynccontextmanager
async def running(command: list[str], env: dict[str, str], cwd: Path) -> Any:
    """The bot process, its log (stderr) kept in `cwd`; the errors it logged are told."""
    log = cwd / "bot.log"
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(*command, env=env, cwd=cwd, stderr=sink)
        try:
            yield process
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    process.kill()
                    await process.wait()
    lines = log.read_text(errors="replace").splitlines()
    errors = [line for line in lines if " ERROR " in line or line.startswith("Traceback")]
    if errors:
        last = next((line for line in reversed(lines) if "Error" in line), errors[-1])
        print(f"  ({Path(command[-1]).name}: {len(errors)} errors logged, e.g. {last[:160]})")


async def warm_up(messenger: Messenger, questions: list[str], pid: int, workers: int) -> None:
    """People touching every part once, four per worker at once (a webhook spreads them over
    the workers), then until the bot's processes are idle (each loads its sentence model and
    builds its index at start), so first-use loading is not measured."""
    await asyncio.gather(
        *(warm_up_one(messenger, questions, FIRST_USER - 1 - n) for n in range(4 * workers))
    )
    for _ in range(120):
        before = cpu_seconds(pid)
        await asyncio.sleep(1.0)
        if cpu_seconds(pid) - before < 0.1:
            return


async def warm_up_one(messenger: Messenger, questions: list[str], user: int) -> None:
    script = Script(0, questions)
    person = Person(user, script, messenger)
    script.actions = lambda: iter(  # type: ignore[method-assign]
        [
            Action("text", "/start"),
            Action("text", questions[0]),
            Action("press", "faq:no"),  # an answer in two parts, each with buttons
            Action("press", "go:menu"),
            Action("press", "go:scenario"),
            Action("press", "go:menu"),
            Action("press", "go:booking"),
            Action("press", "go:menu"),
        ]
    )
    person.actions = script.actions()
    for _ in range(8):
        if not await person.step(timeout=120):
            raise RuntimeError("the bot did not answer the warm-up person")


async def closed_loop(
    bot: str,
    args: argparse.Namespace,
    questions: list[str],
    replay: dict[int, list[Action]] | None,
) -> tuple[Result, dict[int, list[Action]]]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        webhooks = (args.workers or 1) if args.webhook and bot == "priemnaya" else 0
        async with Messenger(args.channel, args.settle / 1000, webhooks=webhooks) as messenger:
            env = messenger.env(workdir, args.database_url if bot == "priemnaya" else None)
            command = bot_command(bot, args.channel, args.workers)
            async with running(command, env, workdir) as process:
                await messenger.ready(bot)
                if bot == "priemnaya":
                    await warm_up(messenger, questions, process.pid, args.workers or 1)
                people = []
                for index in range(args.people):
                    user = FIRST_USER + index
                    script: Script | Replay = (
                        Replay(replay[user]) if replay else Script(index + 1, questions)
                    )
                    people.append(Person(user, script, messenger))
                cpu_before, started = cpu_seconds(process.pid), time.perf_counter()
                lost = 0

                async def talk(person: Person) -> None:
                    nonlocal lost
                    for _ in range(len(replay[person.user]) if replay else args.messages):
                        if not await person.step(args.timeout):
                            lost += 1
                            return

                await asyncio.gather(*(talk(person) for person in people))
                seconds = time.perf_counter() - started
                cpu = cpu_seconds(process.pid) - cpu_before
                await messenger.quiet(2.0 if not args.quick else 1.0, limit=30)
                peak = peak_rss_mb(process.pid)
                lost_total, duplicated = messenger.audit(lost)
    latencies = [value for person in people for value in person.latencies]
    latencies += [s.answered_at - s.pushed for s in messenger.overdue if s.answered_at]
    result = Result(
        bot=bot,
        updates=len(latencies),
        seconds=seconds,
        latencies=latencies,
        cpu_percent=100 * cpu / seconds if seconds else 0.0,
        peak_rss_mb=peak,
        lost=lost_total,
        duplicated=duplicated,
        counts=messenger.counts,
    )
    return result, {person.user: person.sent for person in people}


async def open_loop(args: argparse.Namespace, questions: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        webhooks = (args.workers or 1) if args.webhook else 0
        async with Messenger(args.channel, args.settle / 1000, webhooks=webhooks) as messenger:
            env = messenger.env(workdir, args.database_url)
            async with running(
                bot_command("priemnaya", args.channel, args.workers), env, workdir
            ) as process:
                await messenger.ready("priemnaya")
                await warm_up(messenger, questions, process.pid, args.workers or 1)
                people: list[Person] = []
                tasks: set[asyncio.Task[bool]] = set()
                outcomes: list[bool] = []
                backlog_peak = 0

                def idle_person() -> Person:
                    for person in people:
                        if not person.busy and not person.gone:
                            return person
                    user = FIRST_USER + len(people)
                    person = Person(user, Script(len(people) + 1, questions), messenger)
                    people.append(person)
                    return person

                def arrive() -> None:
                    nonlocal backlog_peak
                    person = idle_person()
                    person.busy = True  # before the task runs: a burst takes many people
                    task = asyncio.create_task(person.step(args.timeout))
                    tasks.add(task)
                    task.add_done_callback(
                        lambda t: (tasks.discard(t), outcomes.append(t.result()))
                    )
                    backlog_peak = max(backlog_peak, len(tasks))

                cpu_before, started = cpu_seconds(process.pid), time.perf_counter()
                arrivals = schedule(args.rate, args.burst, args.burst_every, args.duration)
                for at, count in arrivals:
                    delay = started + at - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    for _ in range(count):
                        arrive()
                last_arrival = time.perf_counter()
                backlog_at_end = len(tasks)
                while tasks:
                    await asyncio.wait(set(tasks))
                drained = time.perf_counter() - last_arrival
                seconds = time.perf_counter() - started
                cpu = cpu_seconds(process.pid) - cpu_before
                await messenger.quiet(2.0 if not args.quick else 1.0, limit=30)
                peak = peak_rss_mb(process.pid)
                lost, duplicated = messenger.audit(outcomes.count(False))
    result = Result(
        bot="priemnaya",
        updates=outcomes.count(True) + messenger.late(),
        seconds=seconds,
        latencies=[value for person in people for value in person.latencies]
        + [s.answered_at - s.pushed for s in messenger.overdue if s.answered_at],
        cpu_percent=100 * cpu / seconds if seconds else 0.0,
        peak_rss_mb=peak,
        lost=lost,
        duplicated=duplicated,
        counts=messenger.counts,
    )
    offered = sum(
        count for _, count in schedule(args.rate, args.burst, args.burst_every, args.duration)
    )
    kept_up = drained <= 1.0 and lost == 0
    print(
        f"open loop, {args.channel}: {offered} updates offered over {args.duration:.0f} s "
        f"({args.rate:g}/s, plus {args.burst} at once every {args.burst_every:g} s), "
        f"{len(people)} people"
    )
    table([result])
    print(
        f"backlog: at most {backlog_peak} updates waiting, {backlog_at_end} at the last "
        f"arrival, answered {drained:.2f} s after it; kept up: {'yes' if kept_up else 'NO'}"
    )


def schedule(rate: float, burst: int, every: float, duration: float) -> list[tuple[float, int]]:
    """(seconds from the start, how many updates arrive then)."""
    arrivals = [(index / rate, 1) for index in range(int(rate * duration))]
    if burst and every > 0:
        arrivals += [
            (every * k, burst) for k in range(1, int(duration / every) + 1) if every * k < duration
        ]
    return sorted(arrivals)


def table(results: list[Result]) -> None:
    print(
        f"{'bot':<12} {'updates':>7} {'upd/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'CPU %':>6} {'CPU ms/upd':>10} {'peak RSS MB':>11} {'lost':>5} {'dup':>4}"
    )
    for r in results:
        per_update = r.cpu_percent * r.seconds * 10 / r.updates if r.updates else float("nan")
        print(
            f"{r.bot:<12} {r.updates:>7} {r.rate:>7.0f} {r.ms(0.5):>8.1f} {r.ms(0.95):>8.1f} "
            f"{r.ms(0.99):>8.1f} {r.cpu_percent:>6.0f} {per_update:>10.1f} "
            f"{r.peak_rss_mb:>11.0f} {r.lost:>5} {r.duplicated:>4}"
        )
    for r in results:
        shown = ", ".join(f"{key} {value}" for key, value in sorted(r.counts.items()))
        print(f"  {r.bot}: {shown}")


def describe_mix(sent: dict[int, list[Action]]) -> str:
    kinds: Counter[str] = Counter()
    for actions in sent.values():
        for action in actions:
            if action.kind == "text":
                kinds["/start" if action.value == "/start" else "typed text"] += 1
            else:
                kinds[action.value.split(":")[0] + ":" + action.value.split(":")[1]] += 1
    total = sum(kinds.values())
    return ", ".join(f"{key} {100 * n / total:.0f} %" for key, n in kinds.most_common())


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channel", choices=("telegram", "vk"), default="telegram")
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--messages", type=int, default=20, help="per person (closed loop)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="a PostgreSQL server (a fresh database on it) or a SQLite file; default: "
        "$BENCH_DATABASE_URL, else SQLite in tmp",
    )
    parser.add_argument("--workers", type=int, help="passed to `priemnaya run --workers`")
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="Telegram: the bot takes updates on a webhook the fake POSTs to (any worker)",
    )
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--timeout", type=float, default=120.0, help="wait per answer, s")
    parser.add_argument(
        "--settle",
        type=float,
        default=100.0,
        help="ms after a message with buttons in which more parts of the same answer may come",
    )
    parser.add_argument("--rate", type=float, help="open loop: updates per second")
    parser.add_argument("--burst", type=int, default=0, help="open loop: extra updates at once")
    parser.add_argument("--burst-every", type=float, default=5.0, help="seconds between bursts")
    parser.add_argument("--duration", type=float, default=30.0, help="open loop: seconds")
    parser.add_argument("--quick", action="store_true", help="a short run (CI smoke)")
    args = parser.parse_args(argv)
    if args.quick:
        args.people, args.messages, args.timeout = 10, 5, 30.0
        args.duration = min(args.duration, 5.0)
    return args


async def main() -> None:
    args = parse()
    questions = read_questions(args.questions)
    if args.workers is not None and not workers_supported():
        print(f"--workers {args.workers}: skipped, `priemnaya run` has no --workers option yet")
    async with fresh_database(args.database_url) as args.database_url:
        if args.rate:
            await open_loop(args, questions)
            return
        bot, sent = await closed_loop("priemnaya", args, questions, None)
    echo, _ = await closed_loop("echo", args, questions, sent)
    database = "SQLite" if not args.database_url else args.database_url.split("://")[0]
    receiving = "webhook" if args.webhook else "long polling"
    print(
        f"closed loop, {args.channel} ({receiving}), {database}, {args.workers or 1} "
        f"worker(s): {args.people} people x {args.messages} messages, each waiting for "
        f"the answer"
    )
    print(f"mix: {describe_mix(sent)}")
    table([bot, echo])
    ratio = bot.rate / echo.rate if echo.rate else float("nan")
    print(f"priemnaya / echo: {ratio:.2f} x the echo bot's updates/s")
    if bot.lost or bot.duplicated or echo.lost or echo.duplicated:
        sys.exit("lost or duplicated answers: see the table")


if __name__ == "__main__":
    asyncio.run(main())
