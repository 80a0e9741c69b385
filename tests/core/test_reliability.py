"""Crash safety: inbox replay, the outbox worker and timers."""

from datetime import timedelta

from sqlalchemy import func, select

from bot.core import clock, texts
from bot.core.db import transaction
from bot.core.messages import Incoming, Reply
from bot.core.models import InboundUpdate, OutboxMessage, Timer
from bot.core.outbox import DeliveryError, OutboxWorker, Progress, enqueue, send_now
from bot.core.timers import schedule


class RecordingSender:
    """A messenger stand-in for the outbox logic; the real ones are tested against fakes."""

    def __init__(self, failures: list[DeliveryError] | None = None) -> None:
        self.failures = failures or []
        self.sent: list[tuple[str, str]] = []
        self.attempts = 0

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((chat_id, reply.text))


async def test_update_accepted_before_a_crash_is_handled_at_start(app) -> None:
    incoming = Incoming("telegram", "31", "31", text="/start", update_id="500")
    async with transaction(app.sessions) as session:
        session.add(
            InboundUpdate(channel="telegram", update_key="500", payload=incoming.to_dict())
        )

    assert await app.engine.replay_pending() == 1
    sender = RecordingSender()
    assert await OutboxWorker(app.sessions, {"telegram": sender}).run_once() == 1
    assert sender.sent[0][1] == texts.text("ru", "menu-greeting")
    # The same update arriving again after the restart is still a duplicate.
    assert await app.engine.handle(incoming) is None
    async with app.sessions() as session:
        row = await session.scalar(select(InboundUpdate))
        assert row.status == "done" and row.payload is None


async def test_outbox_keeps_order_per_chat_through_retry_after(app) -> None:
    async with transaction(app.sessions) as session:
        enqueue(session, "vk", "1", [Reply("first"), Reply("second")])
        enqueue(session, "vk", "2", [Reply("other chat")])
    sender = RecordingSender([DeliveryError("429", retry_after=30)])
    worker = OutboxWorker(app.sessions, {"vk": sender})

    assert await worker.run_once() == 0  # the 429 pauses the whole channel
    assert await worker.run_once() == 0  # still paused: nothing is sent early
    worker.paused_until.clear()
    async with transaction(app.sessions) as session:
        for row in await session.scalars(select(OutboxMessage)):
            row.next_attempt_at = clock.now()
    while await worker.run_once():
        pass
    assert sender.sent == [("1", "first"), ("2", "other chat"), ("1", "second")]
    async with app.sessions() as session:
        statuses = (await session.scalars(select(OutboxMessage.status))).all()
    assert statuses == ["sent", "sent", "sent"]


async def test_outbox_backs_off_on_server_errors_and_drops_refused(app) -> None:
    async with transaction(app.sessions) as session:
        enqueue(session, "telegram", "1", [Reply("to a blocked person")])
        enqueue(session, "telegram", "2", [Reply("flaky")])
    sender = RecordingSender([DeliveryError("403 blocked", permanent=True), DeliveryError("502")])
    worker = OutboxWorker(app.sessions, {"telegram": sender})
    await worker.run_once()
    async with app.sessions() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert rows[0].status == "failed"
    assert rows[1].status == "pending" and rows[1].attempts == 1
    assert rows[1].next_attempt_at > clock.now()
    assert "flaky" not in (rows[1].last_error or "")


async def test_a_row_claimed_at_a_crash_is_sent_again_at_start(app) -> None:
    async with transaction(app.sessions) as session:
        enqueue(session, "vk", "1", [Reply("maybe sent")])
    async with transaction(app.sessions) as session:
        (await session.scalar(select(OutboxMessage))).status = "sending"
    sender = RecordingSender()
    worker = OutboxWorker(app.sessions, {"vk": sender})
    assert await worker.recover() == 1
    assert await worker.run_once() == 1 and sender.sent == [("1", "maybe sent")]


async def test_direct_reply_that_fails_goes_to_the_outbox(app) -> None:
    sender = RecordingSender([DeliveryError("429", retry_after=5)])
    await send_now(app.sessions, sender, "telegram", "3", [Reply("a"), Reply("b")])
    async with app.sessions() as session:
        texts = (await session.scalars(select(OutboxMessage.payload))).all()
    assert [payload["text"] for payload in texts] == ["a", "b"]


async def test_timers_fire_once_across_restarts(app) -> None:
    fired: list[dict] = []

    async def handler(session, payload, due_at) -> None:
        fired.append(payload)

    app.timers.on("test.ping", handler)
    async with transaction(app.sessions) as session:
        schedule(session, "test.ping", clock.now() - timedelta(minutes=1), {"n": 1})
        schedule(session, "test.ping", clock.now() + timedelta(hours=1), {"n": 2})
    assert await app.timers.sweep() == 1
    assert await app.timers.sweep() == 0
    assert await app.timers.sweep(clock.now() + timedelta(hours=2)) == 1
    assert fired == [{"n": 1}, {"n": 2}]


async def test_a_failing_timer_is_retried_later_not_lost(app) -> None:
    calls = 0

    async def flaky(session, payload, due_at) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database hiccup")

    app.timers.on("test.flaky", flaky)
    async with transaction(app.sessions) as session:
        schedule(session, "test.flaky", clock.now())
    assert await app.timers.sweep() == 0
    assert await app.timers.sweep(clock.now() + timedelta(hours=2)) == 1
    async with app.sessions() as session:
        timer = await session.scalar(select(Timer))
        assert timer.fired_at is not None and timer.attempts == 1
        assert await session.scalar(select(func.count(Timer.id))) == 1


class BrokenSender:
    """A sender failing in a way nobody foresaw (not a DeliveryError)."""

    def __init__(self) -> None:
        self.calls = 0

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        self.calls += 1
        if self.calls == 1:
            raise ValueError("HTML instead of JSON")


async def test_an_unforeseen_send_error_is_retried_not_stranded(app) -> None:
    async with transaction(app.sessions) as session:
        enqueue(session, "vk", "1", [Reply("first")])
        enqueue(session, "vk", "2", [Reply("second")])
    sender = BrokenSender()
    worker = OutboxWorker(app.sessions, {"vk": sender})
    assert await worker.run_once() == 1  # chat 2 still went out
    async with app.sessions() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [row.status for row in rows] == ["pending", "sent"]
    assert rows[1].payload == {}  # nothing of a sent message stays in the table


async def test_finished_outbox_rows_are_purged(app) -> None:
    async with transaction(app.sessions) as session:
        enqueue(session, "vk", "1", [Reply("old")])
    worker = OutboxWorker(app.sessions, {"vk": RecordingSender()})
    await worker.run_once()
    assert await worker.purge(clock.now() - timedelta(days=1)) == 0
    assert await worker.purge(clock.now() + timedelta(seconds=1)) == 1


async def test_abandoned_forms_are_reset(app) -> None:
    await app.engine.handle(Incoming("vk", "8", "8", action="go:language"))
    assert await app.engine.reset_idle(clock.now() - timedelta(days=1)) == 0
    assert await app.engine.reset_idle(clock.now() + timedelta(seconds=1)) == 1
