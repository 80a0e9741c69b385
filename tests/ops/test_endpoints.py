"""The side port as an operator's Prometheus and load balancer see it: /healthz, /readyz and
/metrics over real HTTP, from a bot running against the fake Bot API, read with
prometheus-client's own parser."""

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.core import Metric
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from bot.app import App, create_app, serve
from bot.assembly import ops
from bot.core import clock, db
from bot.core.config import ConfigError, Settings, load_settings
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.outbox import enqueue
from bot.core.ratings import Rating, Stage, Touchpoint
from handlers.telegram import TelegramChannel
from surveys.ratings import record_rating
from tests.support.client import Person
from tests.support.fixtures import TOKEN, USER, free_port
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.waiting import eventually, sqlite_locked
from tests.tickets.conftest import StoppedClock, open_ticket, ticket

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
DASHBOARD = Path(__file__).parents[2] / "deploy" / "grafana" / "priemnaya.json"
# The series a family of each type exposes besides its own name.
DUPLICATE = {"channel": "telegram", "outcome": "duplicate"}
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}


class Ops:
    """An HTTP client of one side port."""

    def __init__(self, http: aiohttp.ClientSession, port: int) -> None:
        self.http, self.base = http, f"http://127.0.0.1:{port}"

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(self.base + path) as response:
            return response.status, await response.text()

    async def metrics(self) -> Samples:
        return {
            (sample.name, frozenset(sample.labels.items())): sample.value
            for family in await self.families()
            for sample in family.samples
        }

    async def counted(self, before: Samples, name: str, **labels: str) -> None:
        """Until the series has grown past its value in `before` (work done in the background)."""
        goal = value(before, name, **labels)
        async with asyncio.timeout(10):
            while value(await self.metrics(), name, **labels) <= goal:  # noqa: ASYNC110  (a scrape has no event)
                await asyncio.sleep(0.05)

    async def families(self) -> list[Metric]:
        status, body = await self.get("/metrics")
        assert status == 200
        return list(text_string_to_metric_families(body))


def value(samples: Samples, name: str, **labels: str) -> float:
    """A sample's value; 0 for a series not there yet (a counter before its first update)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


@asynccontextmanager
async def side_port(app: App) -> AsyncIterator[Ops]:
    async with ops.serving(app, "127.0.0.1:0") as port, aiohttp.ClientSession() as http:
        assert port is not None
        yield Ops(http, port)


async def test_ready_once_telegram_polls_and_updates_are_counted(
    settings: Settings, api: FakeTelegramAPI
) -> None:
    settings = settings.model_copy(
        update={"telegram_bot_token": SecretStr(TOKEN), "telegram_api_base": api.base_url}
    )
    # Telegram keeps the bot waiting before it may poll: the channel is not taking updates.
    answer_telegram = asyncio.Event()

    async def delete_webhook(params: dict) -> bool:
        await answer_telegram.wait()
        return True

    api.override("deleteWebhook", delete_webhook)
    app = await create_app(settings)
    try:
        async with side_port(app) as port:
            running = asyncio.create_task(serve(app, [TelegramChannel(app)]))
            try:
                assert await port.get("/healthz") == (200, "ok\n")
                await eventually(lambda: "telegram" in app.health.channels)
                status, reason = await port.get("/readyz")
                assert (status, reason) == (503, "not taking updates yet: telegram\n")

                answer_telegram.set()
                await api.wait_for_poll()
                assert await port.get("/readyz") == (200, "ready\n")

                before = await port.metrics()
                update_id = api.push_message(USER, "/start")
                await api.wait_for("sendMessage", chat_id=USER)
                after = await port.metrics()
                # Telegram delivers it again (its confirmation was lost): seen, not handled.
                api.push_raw_update_again(update_id)
                await port.counted(after, "priemnaya_updates_total", **DUPLICATE)
            finally:
                running.cancel()
                await asyncio.gather(running, return_exceptions=True)
    finally:
        await app.close()
    handled = {"channel": "telegram", "outcome": "handled"}
    assert value(after, "priemnaya_updates_total", **handled) == (
        value(before, "priemnaya_updates_total", **handled) + 1
    )
    timed = ("priemnaya_handle_seconds_count", "priemnaya_handle_seconds_bucket")
    assert value(after, timed[0], channel="telegram") == (
        value(before, timed[0], channel="telegram") + 1
    )
    # The update took less than the top bucket (10 s), so it is in there too.
    top = {"channel": "telegram", "le": "10.0"}
    assert value(after, timed[1], **top) == value(before, timed[1], **top) + 1
    assert value(after, "priemnaya_database_up") == 1


async def test_ready_in_webhook_mode_once_the_webhook_is_set(
    settings: Settings, api: FakeTelegramAPI
) -> None:
    listen = f"127.0.0.1:{free_port()}"
    settings = settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base": api.base_url,
            "telegram_webhook_url": f"http://{listen}/telegram/hook",
            "webhook_listen": listen,
        }
    )
    answer_telegram = asyncio.Event()

    async def set_webhook(params: dict) -> bool:
        await answer_telegram.wait()
        return True

    api.override("setWebhook", set_webhook)
    app = await create_app(settings)
    try:
        async with side_port(app) as port:
            running = asyncio.create_task(serve(app, [TelegramChannel(app)]))
            try:
                await eventually(lambda: "telegram" in app.health.channels)
                assert (await port.get("/readyz"))[0] == 503
                answer_telegram.set()
                await eventually(lambda: app.health.channels["telegram"])
                assert await port.get("/readyz") == (200, "ready\n")
            finally:
                running.cancel()
                await asyncio.gather(running, return_exceptions=True)
        # A channel whose loop ended takes no more updates.
        assert app.health.channels == {"telegram": False}
    finally:
        await app.close()


@pytest.fixture
def impatient_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_not_ready_while_the_database_does_not_answer(
    impatient_sqlite: None, database_url: str, app: App
) -> None:
    async with side_port(app) as port:
        async with sqlite_locked(database_url):  # a backup tool holding the file
            assert await port.get("/readyz") == (503, "database: OperationalError\n")
            assert value(await port.metrics(), "priemnaya_database_up") == 0
            assert (await port.get("/healthz"))[0] == 200
        assert value(await port.metrics(), "priemnaya_database_up") == 1


async def test_gauges_show_the_outbox_the_reply_promise_and_ratings(
    app: App, chat: Person
) -> None:
    stopped = StoppedClock(clock.now())
    previous = clock.install(stopped)
    try:
        await _the_gauges(app, chat, stopped)
    finally:
        clock.install(previous)


async def _the_gauges(app: App, chat: Person, stopped: StoppedClock) -> None:
    await open_ticket(chat, kind="request")
    first_due = (await ticket(app)).first_due
    today = clock.today(app.settings.tz)
    async with transaction(app.sessions) as session:
        enqueue(session, "telegram", "42", [Reply("Ваша запись подтверждена")])
        tags = ("tickets", Touchpoint.MESSENGER, "console", Stage.TICKET_ANSWERED)
        await record_rating(session, Rating(*tags, score=4, on=today))

    async with side_port(app) as port:
        # No channel runs in this app: not ready, though alive.
        assert await port.get("/readyz") == (503, "no channel\n")
        now = await port.metrics()
        assert value(now, "priemnaya_outbox_waiting", channel="telegram") == 1
        assert value(now, "priemnaya_outbox_oldest_waiting_seconds") == 0
        assert value(now, "priemnaya_tickets_open", kind="request") == 1
        left = (first_due - clock.now()).total_seconds()
        assert left == timedelta(hours=2).total_seconds()  # the shipped 2 h for a request
        assert value(now, "priemnaya_ticket_time_left_min_seconds", kind="request") == left
        assert value(now, "priemnaya_tickets_time_left", kind="request", left="under_2h") == 1
        assert value(now, "priemnaya_tickets_breached", kind="request") == 0
        # Today's rating is not shown yet: a count moving at once would say when it was given.
        assert value(now, "priemnaya_ratings", stage="ticket.answered") == 0

        stopped.set(first_due + timedelta(minutes=5))
        later = await port.metrics()
        assert value(later, "priemnaya_tickets_breached", kind="request") == 1
        assert value(later, "priemnaya_tickets_time_left", kind="request", left="breached") == 1
        assert value(later, "priemnaya_ticket_time_left_min_seconds", kind="request") == -300
        waited = (clock.now() - first_due + timedelta(hours=2)).total_seconds()
        assert value(later, "priemnaya_outbox_oldest_waiting_seconds") == waited
        assert value(later, "priemnaya_timers_due", kind="ticket.breach") == 1

        stopped.set(first_due + timedelta(days=1))
        tomorrow = await port.metrics()
        assert value(tomorrow, "priemnaya_ratings", stage="ticket.answered") == 1
        assert value(tomorrow, "priemnaya_ratings_score_sum", stage="ticket.answered") == 4


async def test_the_dashboard_asks_for_series_the_bot_exports(app: App) -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert dashboard["__inputs"][0]["name"] == "DS_PROMETHEUS"
    queries = [
        target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])
    ]
    asked = {name for expr in queries for name in re.findall(r"priemnaya_\w+", expr)}
    async with side_port(app) as port:
        families = await port.families()
    exported = {
        family.name + suffix
        for family in families
        for suffix in ("", *SUFFIXES.get(family.type, ()))
    }
    assert asked and asked <= exported, asked - exported


def test_the_side_port_is_set_or_switched_off() -> None:
    assert load_settings(_env_file=None).ops_listen == "127.0.0.1:9464"
    assert load_settings(_env_file=None, ops_listen="off").ops_listen is None
    assert load_settings(_env_file=None, ops_listen="").ops_listen is None
    with pytest.raises(ConfigError, match=r"^OPS_LISTEN: must be host:port"):
        load_settings(_env_file=None, ops_listen="9464")
    # Worker N of several: the port + N; any free port (0) stays any.
    assert ops.address("0.0.0.0:9464", worker=2) == ("0.0.0.0", 9466)
    assert ops.address("[::1]:0", worker=1) == ("::1", 0)


async def test_a_taken_port_is_a_configuration_error(app: App) -> None:
    async with ops.serving(app, "127.0.0.1:0") as taken:
        with pytest.raises(ConfigError, match=rf"^OPS_LISTEN: cannot listen on 127.0.0.1:{taken}"):
            async with ops.serving(app, f"127.0.0.1:{taken}"):
                pass
