"""What the tickets tests share: the bot with the staff chat (offline, or running against the
fake Telegram and VK servers), a person opening a ticket through the client, and reads of the
tickets and of what was queued for staff."""

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.app import App, ChannelRunner, create_app, serve
from bot.core import clock, texts
from bot.core.clock import Clock, PinnedClock
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.models import OutboxMessage
from bot.core.staff import STAFF, Role, StaffMember, add
from bot.tickets import cards
from bot.tickets.models import Ticket
from bot.tickets.relay import StaffRef
from handlers.telegram import TelegramChannel
from handlers.vk import VKChannel
from tests.support.client import Person
from tests.support.fixtures import TOKEN, USER, VK_TOKEN
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI

STAFF_CHAT = -1001234567890
CLERK = 501  # the Telegram user id of the staff member in the running bot
CLERK_NAME = "Иванова"
STRANGER = 666
QUESTION = "Когда будет готов ответ на моё заявление 12345?"


class StoppedClock(Clock):
    """A clock that stands still until set, so what a delivery records is exactly the instant
    a test names (the pinned clock runs on at real speed)."""

    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def set(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        return self.instant


@pytest.fixture
def stopped(pinned: PinnedClock) -> Iterator[StoppedClock]:
    """The bot's clock stopped at the pinned instant for this test; `stopped.set(...)` moves it."""
    stopped = StoppedClock(pinned.now())
    clock.install(stopped)
    yield stopped
    clock.install(pinned)


def ru(key: str, **args: object) -> str:
    """The catalog in Russian: what a Telegram or VK person (language "ru") is shown."""
    return texts.text("ru", key, **args)


def signed(text: str, name: str = CLERK_NAME) -> str:
    """A staff answer as the person reads it: the employee's name under it (the default
    STAFF_SIGNATURE)."""
    return f"{text}\n\n{ru('staff-signature', name=name)}"


# --- the bot without messengers --------------------------------------------------------------


@pytest.fixture
def staff_settings(settings: Settings) -> Settings:
    """A staff chat configured (nothing runs: outbox rows show what would be sent)."""
    return settings.model_copy(
        update={"telegram_bot_token": SecretStr(TOKEN), "telegram_staff_chat_id": STAFF_CHAT}
    )


@pytest.fixture
async def staff_app(staff_settings: Settings) -> AsyncIterator[App]:
    app = await create_app(staff_settings)
    yield app
    await app.close()


async def open_ticket(chat: Person, text: str = QUESTION, kind: str = "question") -> list[Reply]:
    """The person asks staff through the menu; the bot's answer to the kind they chose."""
    await chat.send("/start")
    await chat.press(chat.t("menu-human"))
    await chat.send(text)
    return await chat.press(chat.t(f"ticket-kind-{kind}"))


async def ticket(app: App, number: int = 1) -> Ticket:
    async with app.sessions() as session:
        found = await session.get(Ticket, number)
    assert found is not None
    return found


async def outbox(app: App, channel: str | None = None) -> list[OutboxMessage]:
    async with app.sessions() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if channel:
            query = query.where(OutboxMessage.channel == channel)
        return list(await session.scalars(query))


async def staff_texts(app: App) -> list[str]:
    """What was queued for staff (no staff channel runs offline, so it stays queued)."""
    return [Reply.from_dict(row.payload).text for row in await outbox(app, STAFF)]


async def staff_reply(
    app: App, number: int, text: str, at: datetime | None = None, name: str = CLERK_NAME
) -> None:
    """Staff answer ticket `number`; the person reads it with `delivered()`."""
    async with transaction(app.sessions) as session:
        row = await session.get(Ticket, number)
        assert row is not None
        await app.tickets.service.staff_reply(
            session, row, StaffRef("", name), text, (), at or clock.now()
        )


async def add_staff(app: App, *members: tuple[str, str, Role]) -> dict[str, int]:
    async with transaction(app.sessions) as session:
        for external_id, name, role in members:
            await add(session, "telegram", external_id, role, name)
    async with app.sessions() as session:
        rows = await session.scalars(select(StaffMember))
        return {row.name: row.id for row in rows}


# --- the bot running against the fake servers ------------------------------------------------


@pytest.fixture
def relay_settings(settings: Settings, api: FakeTelegramAPI, vk_api: FakeVKAPI) -> Settings:
    """Telegram (citizens and the staff chat) and VK, aimed at the fake servers."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base": api.base_url,
            "telegram_staff_chat_id": STAFF_CHAT,
            "vk_group_token": SecretStr(VK_TOKEN),
            "vk_group_id": vk_api.group_id,
            "vk_api_base": vk_api.api_url,
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
async def relay_bot(
    relay_settings: Settings, api: FakeTelegramAPI, vk_api: FakeVKAPI
) -> AsyncIterator[App]:
    """The whole bot with Telegram (citizens and the staff chat) and VK, as `priemnaya run`,
    with one staff member (CLERK). (The plain `bot` of tests/support runs Telegram alone,
    without a staff chat.)"""
    app = await create_app(relay_settings)
    async with transaction(app.sessions) as session:
        await add(session, "telegram", str(CLERK), Role.STAFF, CLERK_NAME)
    try:
        async with running(app, [TelegramChannel(app), VKChannel(app)]):
            await api.wait_for_poll()
            await vk_api.wait_for_long_poll()
            yield app
    finally:
        await app.close()


def in_staff_chat(params: dict) -> bool:
    return params.get("chat_id") == STAFF_CHAT


async def ask_in_telegram(api: FakeTelegramAPI, text: str) -> None:
    """The person opens "contact a person" in the Telegram chat, writes `text` and picks
    "a question"; returns once the bot has confirmed the ticket."""
    api.push_message(USER, "/start")
    await api.wait_for("sendMessage", chat_id=USER)
    api.push_callback(USER, "go:ticket", message_id=api.calls[-1].result["message_id"])
    await api.wait_for("sendMessage", count=2, chat_id=USER)
    api.push_message(USER, text)
    await api.wait_for("sendMessage", count=3, chat_id=USER)
    api.push_callback(USER, "ticket:kind:question", message_id=1)
    await api.wait_for("sendMessage", count=4, chat_id=USER)


async def staff_topic(api: FakeTelegramAPI, kind: str = "question") -> int:
    """The thread id of ticket №1's forum topic, once it is made."""
    await api.wait_for("createForumTopic", timeout=10)
    [(thread, name)] = api.topics[STAFF_CHAT].items()
    assert name == cards.topic_name(1, kind)
    return thread


def staff_says(api: FakeTelegramAPI, user: int, text: str, thread: int) -> int:
    return api.push_message(
        user, text, chat_id=STAFF_CHAT, chat_type="supergroup", message_thread_id=thread
    )
