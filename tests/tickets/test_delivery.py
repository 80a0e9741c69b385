"""Staff answers end to end through the real aiogram and vkbottle clients against the fake
servers: a ticket is answered when the answer is delivered, not when it is queued; a 429
storm only delays it; a refusal is reported in the ticket's topic; a crash mid-send loses
nothing, and VK drops the copy sent again."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from bot.app import App, ChannelRunner, create_app, serve
from bot.core import clock
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.models import OutboxMessage, Person
from bot.core.outbox import Progress, enqueue
from bot.core.staff import Role, add
from bot.tickets.models import Ticket
from bot.tickets.relay import StaffRef
from handlers.telegram import TelegramChannel
from handlers.vk import VKChannel
from tests.fakes.fixtures import drained
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.vk_api import FakeVKAPI

TOKEN = "123456789:" + "A" * 35
VK_TOKEN = "vk1.a." + "b" * 80
USER = 1001
PEER = 5005
STAFF_CHAT = -1001234567890
CLERK = 501


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def vk() -> AsyncIterator[FakeVKAPI]:
    async with FakeVKAPI() as fake:
        yield fake


@pytest.fixture
def relay_settings(settings: Settings, tg: FakeTelegramAPI, vk: FakeVKAPI) -> Settings:
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base": tg.base_url,
            "telegram_staff_chat_id": STAFF_CHAT,
            "vk_group_token": SecretStr(VK_TOKEN),
            "vk_group_id": vk.group_id,
            "vk_api_base": vk.api_url,
        }
    )


@asynccontextmanager
async def running(app: App, channels: Sequence[ChannelRunner]) -> AsyncIterator[App]:
    """`priemnaya run` on this app until the block ends."""
    task = asyncio.create_task(serve(app, channels))
    try:
        yield app
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
async def bot(relay_settings: Settings, tg: FakeTelegramAPI) -> AsyncIterator[App]:
    """The whole bot with Telegram: citizens and the staff chat."""
    app = await create_app(relay_settings)
    async with transaction(app.sessions) as session:
        await add(session, "telegram", str(CLERK), Role.STAFF, "Иванова")
    try:
        async with running(app, [TelegramChannel(app)]):
            await tg.wait_for_poll()
            yield app
    finally:
        await app.close()


def in_staff_chat(params: dict) -> bool:
    return params.get("chat_id") == STAFF_CHAT


def answers(tg: FakeTelegramAPI) -> list[str]:
    """The staff answers the person received (successful calls only)."""
    texts = [call["text"] for call in tg.sent("sendMessage", chat_id=USER)]
    return [text for text in texts if text.startswith("Ответ по обращению")]


async def open_ticket(tg: FakeTelegramAPI) -> int:
    """The person asks a question; returns the ticket topic's thread id."""
    tg.push_message(USER, "/start")
    await tg.wait_for("sendMessage", chat_id=USER)
    tg.push_callback(USER, "go:ticket", message_id=tg.calls[-1].result["message_id"])
    await tg.wait_for("sendMessage", count=2, chat_id=USER)
    tg.push_message(USER, "Когда откроется пункт приёма?")
    await tg.wait_for("sendMessage", count=3, chat_id=USER)
    tg.push_callback(USER, "ticket:kind:question", message_id=1)
    await tg.wait_for("sendMessage", count=4, chat_id=USER)
    await tg.wait_for("sendMessage", predicate=in_staff_chat)  # the card, in a new topic
    [(thread, _)] = tg.topics[STAFF_CHAT].items()
    return thread


def staff_says(tg: FakeTelegramAPI, text: str, thread: int) -> None:
    tg.push_message(
        CLERK, text, chat_id=STAFF_CHAT, chat_type="supergroup", message_thread_id=thread
    )


async def ticket(app: App) -> Ticket:
    async with app.sessions() as session:
        found = await session.get(Ticket, 1)
    assert found is not None
    return found


async def test_a_429_storm_delays_the_answer_and_the_ticket_waits_for_it(
    bot: App, tg: FakeTelegramAPI, pinned: PinnedClock
) -> None:
    thread = await open_ticket(tg)
    tg.fail_next("sendMessage", status=429, retry_after=1, times=55)
    staff_says(tg, "Пункт откроется в понедельник.", thread)
    await tg.wait_for("sendMessage", chat_id=USER, include_failed=True, count=5)  # refused
    # Refusals remain queued, so the answer cannot have gone out yet.
    assert answers(tg) == []
    waiting = await ticket(bot)
    assert (waiting.status, waiting.first_reply_at, waiting.final_at) == ("open", None, None)

    for _ in range(200):  # the storm passes without real waiting: the clock jumps over it
        if answers(tg):
            break
        pinned.advance(timedelta(seconds=1.1))
        await bot.outbox.run_once()
    await drained(bot)
    refusals = [call for call in tg.calls if call.method == "sendMessage" and call.failed]
    assert len(refusals) == 55
    assert answers(tg) == ["Ответ по обращению №1:\n\nПункт откроется в понедельник."]
    answered = await ticket(bot)
    assert answered.status == "answered" and answered.first_reply_at is not None
    assert answered.final_at == answered.first_reply_at
    async with bot.sessions() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.ref.is_not(None)))
    assert row is not None and (row.status, row.attempts, row.payload) == ("sent", 0, {})


async def test_an_answer_to_a_person_who_blocked_the_bot_is_reported_in_the_topic(
    bot: App, tg: FakeTelegramAPI
) -> None:
    thread = await open_ticket(tg)
    tg.block(USER)
    staff_says(tg, "Пункт откроется в понедельник.", thread)
    [_, notice] = await tg.wait_for("sendMessage", predicate=in_staff_chat, count=2)
    assert notice["message_thread_id"] == thread
    assert notice["text"] == (
        "Ответ по обращению №1 не доставлен: человек заблокировал бота или запретил сообщения "
        "от него. Обращение ждёт ответа: свяжитесь с человеком иначе или закройте обращение."
    )
    waiting = await ticket(bot)
    assert (waiting.status, waiting.first_reply_at) == ("open", None)
    async with bot.sessions() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.ref.is_not(None)))
    assert row is not None and row.status == "failed"
    assert row.last_error == "refused: Forbidden: bot was blocked by the user"


async def answer_queued_then_crash(app: App) -> None:
    """A Telegram ticket answered by staff whose answer was being sent when the process died
    (Telegram never got it)."""
    service = app.tickets.service
    async with transaction(app.sessions) as session:
        person = Person(channel="telegram", external_id=str(USER), chat_id=str(USER))
        session.add(person)
        await session.flush()
        row = await service.create(session, person, "question", "Когда приём?", (), clock.now())
        staff = StaffRef(str(CLERK), "Иванова")
        await service.staff_reply(session, row, staff, "Приём с 9:00.", (), clock.now())
    async with transaction(app.sessions) as session:
        await session.execute(update(OutboxMessage).values(status="sending"))


async def test_an_answer_in_flight_at_a_crash_is_sent_at_the_next_start(
    relay_settings: Settings, tg: FakeTelegramAPI
) -> None:
    settings = relay_settings.model_copy(update={"telegram_staff_chat_id": None})
    app = await create_app(settings)
    try:
        await answer_queued_then_crash(app)
        assert (await ticket(app)).first_reply_at is None
        async with running(app, [TelegramChannel(app)]):
            await tg.wait_for("sendMessage", chat_id=USER)
            await drained(app)
        assert answers(tg) == ["Ответ по обращению №1:\n\nПриём с 9:00."]
        assert (await ticket(app)).status == "answered"
    finally:
        await app.close()


async def test_vk_drops_the_copy_of_a_message_sent_just_before_a_crash(
    relay_settings: Settings, vk: FakeVKAPI
) -> None:
    app = await create_app(relay_settings)
    try:
        long_text = "\n\n".join(
            f"Пункт {n}. " + "Подробности правил приёма. " * 40 for n in range(8)
        )
        async with transaction(app.sessions) as session:
            enqueue(session, "vk", str(PEER), [Reply(long_text)])
        async with transaction(app.sessions) as session:
            row = await session.scalar(select(OutboxMessage))
            assert row is not None
            row.status = "sending"
        channel = VKChannel(app)
        # The stopped process got every part to VK but died before recording it.
        await channel.sender.send(str(PEER), Reply(long_text), Progress(row.id))
        delivered = vk.sent(peer_id=PEER)
        assert len(delivered) >= 2

        async with running(app, [channel]):
            await vk.wait_for(
                "messages.send", peer_id=PEER, count=2 * len(delivered), include_failed=True
            )
            await drained(app)
        assert vk.sent(peer_id=PEER) == delivered  # every repeat was dropped by random_id
        async with app.sessions() as session:
            assert await session.scalar(select(OutboxMessage.status)) == "sent"
    finally:
        await app.close()
