"""The outbox worker's rules with a recording sender, on both databases: waiting is not
failing, short capped backoff, giving up, resuming after the parts sent, the delivery hooks,
and the `priemnaya outbox` commands."""

import asyncio
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.cli import main
from bot.core import clock
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.models import OutboxMessage
from bot.core.outbox import (
    BLOCKED,
    EXPIRED,
    MAX_BACKOFF_S,
    SEND_LEASE,
    STUCK_AFTER,
    Deliveries,
    DeliveryError,
    OutboxWorker,
    Outcome,
    Progress,
    enqueue,
    send_parts,
)


class Sender:
    """Records what reaches the chat; fails the next calls as told. A reply's text lines are
    its parts (one API call each), so a failure can strike in the middle of a message."""

    def __init__(self, *failures: DeliveryError) -> None:
        self.failures = list(failures)
        self.refuse_once: dict[str, DeliveryError] = {}  # by the part's text
        self.seen: list[tuple[str, str]] = []

    def fail(self, error: DeliveryError, times: int = 1) -> None:
        self.failures.extend([error] * times)

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        async def part(line: str) -> None:
            if self.failures:
                raise self.failures.pop(0)
            if line in self.refuse_once:
                raise self.refuse_once.pop(line)
            self.seen.append((chat_id, line))

        lines = reply.text.split("\n")
        await send_parts([lambda line=line: part(line) for line in lines], progress)


def flood() -> DeliveryError:
    return DeliveryError("429 flood control", retry_after=1)


class Hooks:
    """A feature's delivery handlers: records every outcome it is told of."""

    def __init__(self) -> None:
        self.deliveries = Deliveries()
        self.deliveries.on("test", self.handle)
        self.outcomes: list[tuple[str, Outcome]] = []

    async def handle(self, session: AsyncSession, ref: str, outcome: Outcome) -> None:
        self.outcomes.append((ref, outcome))


async def rows(app: App) -> list[OutboxMessage]:
    async with app.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def queue(app: App, chat: str, *texts: str, ref: str | None = None) -> None:
    async with transaction(app.sessions) as session:
        enqueue(session, "telegram", chat, [Reply(text) for text in texts], ref=ref)


async def next_turn(worker: OutboxWorker, pinned: PinnedClock) -> int:
    """Jump the clock to when the first waiting row is due (no real waiting) and run the
    worker once."""
    async with worker.sessions() as session:
        due = await session.scalar(
            select(OutboxMessage.next_attempt_at)
            .where(OutboxMessage.status == "pending")
            .order_by(OutboxMessage.id)
            .limit(1)
        )
    if due is not None and due > clock.now():
        pinned.set(due + timedelta(milliseconds=1))
    return await worker.run_once()


async def test_a_429_storm_waits_and_never_fails_the_message(
    app: App, pinned: PinnedClock
) -> None:
    await queue(app, "1", "answer", ref="test:1")
    hooks = Hooks()
    sender = Sender()
    sender.fail(flood(), times=55)
    worker = OutboxWorker(app.sessions, {"telegram": sender}, hooks.deliveries)
    for _ in range(55):
        assert await next_turn(worker, pinned) == 0
    [row] = await rows(app)
    assert (row.status, row.attempts, row.last_error) == ("pending", 0, "429 flood control")
    assert hooks.outcomes == []
    assert await next_turn(worker, pinned) == 1
    [row] = await rows(app)
    assert (row.status, row.payload) == ("sent", {})
    assert sender.seen == [("1", "answer")]
    [(ref, outcome)] = hooks.outcomes
    assert ref == "test:1" and outcome.delivered


async def test_server_errors_back_off_at_most_30_seconds_and_keep_the_chat_moving(
    app: App, pinned: PinnedClock
) -> None:
    await queue(app, "1", "flaky", "next")
    failures = STUCK_AFTER - 1  # still holding its chat: see the test below
    sender = Sender(*[flood()] * 6, *[DeliveryError("temporary: TelegramServerError")] * failures)
    worker = OutboxWorker(app.sessions, {"telegram": sender}, jitter=lambda: 1.0)
    for _ in range(6 + failures):
        assert await next_turn(worker, pinned) == 0
        [row, _] = await rows(app)
        assert row.next_attempt_at - clock.now() <= timedelta(seconds=MAX_BACKOFF_S)
    assert row.attempts == failures  # the six 429s did not count
    while await next_turn(worker, pinned):
        pass
    assert sender.seen == [("1", "flaky"), ("1", "next")]


async def test_a_message_failing_for_minutes_stops_holding_its_chat(
    app: App, pinned: PinnedClock
) -> None:
    await queue(app, "1", "broken", "card", "answer")
    sender = Sender(*[DeliveryError("temporary: TelegramServerError")] * STUCK_AFTER)
    worker = OutboxWorker(app.sessions, {"telegram": sender}, jitter=lambda: 1.0)
    started = clock.now()
    for _ in range(STUCK_AFTER - 1):
        assert await next_turn(worker, pinned) == 0
    assert sender.seen == []  # order kept while it may still be a passing fault
    assert await next_turn(worker, pinned) == 0
    assert clock.now() - started < timedelta(minutes=3)
    assert await worker.run_once() == 1  # the later ones go ahead, in their order
    assert await worker.run_once() == 1
    assert sender.seen == [("1", "card"), ("1", "answer")]
    assert await next_turn(worker, pinned) == 1  # and the stuck one still gets through
    assert sender.seen[-1] == ("1", "broken")


def test_backoff_doubles_to_the_cap_with_jitter(app: App) -> None:
    low = OutboxWorker(app.sessions, {}, jitter=lambda: 0.0)
    high = OutboxWorker(app.sessions, {}, jitter=lambda: 1.0)
    assert [high.backoff(n) for n in (1, 2, 3, 4, 5, 6, 20)] == [2, 4, 8, 16, 30, 30, 30]
    assert [low.backoff(n) for n in (1, 5, 20)] == [1, 15, 15]


async def test_a_refusal_fails_at_once_and_tells_the_feature(app: App) -> None:
    await queue(app, "1", "to a blocked person", ref="test:2")
    hooks = Hooks()
    sender = Sender(DeliveryError("refused: blocked", permanent=True, cause=BLOCKED))
    worker = OutboxWorker(app.sessions, {"telegram": sender}, hooks.deliveries)
    assert await worker.run_once() == 0
    [row] = await rows(app)
    assert (row.status, row.last_error) == ("failed", "refused: blocked")
    [(ref, outcome)] = hooks.outcomes
    assert ref == "test:2" and not outcome.delivered and outcome.cause == BLOCKED


async def test_undelivered_after_the_configured_hours_is_given_up(
    app: App, pinned: PinnedClock
) -> None:
    await queue(app, "1", "never gets through", ref="test:3")
    hooks = Hooks()
    sender = Sender(DeliveryError("temporary: TelegramNetworkError"), flood())
    worker = OutboxWorker(
        app.sessions, {"telegram": sender}, hooks.deliveries, give_up=timedelta(hours=24)
    )
    assert await worker.run_once() == 0
    pinned.advance(timedelta(hours=24))
    assert await worker.run_once() == 0  # even a 429 past the limit gives up
    [row] = await rows(app)
    assert row.status == "failed"
    [(_, outcome)] = hooks.outcomes
    assert outcome.cause == EXPIRED


async def test_a_retry_resumes_after_the_parts_already_sent(app: App, pinned: PinnedClock) -> None:
    await queue(app, "1", "part one\npart two\npart three")
    sender = Sender()
    sender.refuse_once["part two"] = flood()
    worker = OutboxWorker(app.sessions, {"telegram": sender})
    assert await worker.run_once() == 0
    [row] = await rows(app)
    assert row.parts_done == 1
    assert await next_turn(worker, pinned) == 1
    assert [line for _, line in sender.seen] == ["part one", "part two", "part three"]


async def test_rows_left_sending_by_a_stopped_process_go_out_again(
    app: App, pinned: PinnedClock
) -> None:
    await queue(app, "1", "in flight at the crash")
    await queue(app, "2", "held by a process that died")
    sender = Sender()
    worker = OutboxWorker(app.sessions, {"telegram": sender})
    async with transaction(app.sessions) as session:
        for row in await session.scalars(select(OutboxMessage)):
            row.status = "sending"
            row.next_attempt_at = clock.now() + timedelta(minutes=5)  # its claim's lease
    assert await worker.run_once() == 0  # another worker may still be sending them
    pinned.advance(timedelta(minutes=5, seconds=1))
    assert await worker.run_once() == 2  # the lease ran out: taken over
    assert sorted(sender.seen) == [
        ("1", "in flight at the crash"),
        ("2", "held by a process that died"),
    ]


async def test_a_failing_hook_does_not_undo_the_delivery(app: App) -> None:
    await queue(app, "1", "delivered", ref="test:4")
    deliveries = Deliveries()

    async def broken(session: AsyncSession, ref: str, outcome: Outcome) -> None:
        session.add(OutboxMessage(channel="telegram", chat_id="9", payload={}))
        await session.flush()
        raise RuntimeError("feature bug")

    deliveries.on("test", broken)
    worker = OutboxWorker(app.sessions, {"telegram": Sender()}, deliveries)
    assert await worker.run_once() == 1
    [row] = await rows(app)  # the broken handler's own change was rolled back
    assert row.status == "sent"


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")
    return CliRunner()


async def test_outbox_list_and_retry(app: App, cli_env: CliRunner) -> None:
    await queue(app, "1001", "Паспорт 4510 123456, пропуск на завтра")
    async with transaction(app.sessions) as session:
        later = clock.now() + timedelta(hours=1)
        enqueue(session, "telegram", "1002", [Reply("a reminder")], not_before=later)
    sender = Sender(DeliveryError("refused: Forbidden: bot was blocked", permanent=True))
    worker = OutboxWorker(app.sessions, {"telegram": sender})
    await worker.run_once()

    listed = await run_cli(cli_env, ["outbox", "list"])
    [_, failed, pending] = listed.splitlines()
    assert failed.split()[:5] == ["1", "telegram", "1001", "failed", "0"]
    assert failed.endswith("refused: Forbidden: bot was blocked")
    assert pending.split()[:6] == ["2", "telegram", "1002", "pending", "0", "11.03"]
    assert pending.split()[6].startswith("10:3")  # an hour after the pinned 09:30
    assert "Паспорт" not in listed and "reminder" not in listed  # never the text

    assert "give a message id or --failed" in await run_cli(cli_env, ["outbox", "retry"], 2)
    missing = await run_cli(cli_env, ["outbox", "retry", "2"], 1)
    assert "no failed message 2" in missing, missing
    assert "1 message(s) queued again" in await run_cli(cli_env, ["outbox", "retry", "1"])
    [first, _] = await rows(app)
    assert (first.status, first.attempts, first.first_tried_at) == ("pending", 0, None)
    assert await worker.run_once() == 1
    assert sender.seen == [("1001", "Паспорт 4510 123456, пропуск на завтра")]
    assert "1002" in await run_cli(cli_env, ["outbox", "list"])


async def run_cli(runner: CliRunner, args: list[str], code: int = 0) -> str:
    """The command in a thread: it runs its own event loop, as from a shell."""
    result = await asyncio.to_thread(runner.invoke, main, args)
    assert result.exit_code == code, result.output
    return result.output


async def test_a_worker_that_lost_its_row_to_another_changes_nothing(
    app: App, pinned: PinnedClock
) -> None:
    await queue(app, "1", "answer")
    quick = Sender()
    other = OutboxWorker(app.sessions, {"telegram": quick})

    class Stalled(Sender):
        """Hangs past the lease while the other worker takes the row over, then fails."""

        async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
            pinned.advance(SEND_LEASE + timedelta(seconds=1))
            assert await other.run_once() == 1  # taken over and delivered
            raise DeliveryError("temporary: TelegramServerError")

    slow = OutboxWorker(app.sessions, {"telegram": Stalled()})
    assert await slow.run_once() == 0
    [row] = await rows(app)
    assert (row.status, row.payload) == ("sent", {})  # not put back to be sent again
    assert quick.seen == [("1", "answer")]
