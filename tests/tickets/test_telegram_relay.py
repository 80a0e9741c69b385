"""The staff relay end to end: the real aiogram (and vkbottle) clients against the fake
servers; staff work in forum topics of a fake supergroup."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App, create_app, serve
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.outbox import enqueue
from bot.core.staff import GENERAL, STAFF, Role, add, member
from bot.tickets.models import Ticket, TicketMessage
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
STRANGER = 666


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def vk() -> AsyncIterator[FakeVKAPI]:
    async with FakeVKAPI() as fake:
        yield fake


@pytest.fixture
async def bot(settings: Settings, tg: FakeTelegramAPI, vk: FakeVKAPI) -> AsyncIterator[App]:
    """The whole bot with Telegram (citizens and the staff chat) and VK, as `priemnaya run`."""
    settings = settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base": tg.base_url,
            "telegram_staff_chat_id": STAFF_CHAT,
            "vk_group_token": SecretStr(VK_TOKEN),
            "vk_group_id": vk.group_id,
            "vk_api_base": vk.api_url,
        }
    )
    app = await create_app(settings)
    async with transaction(app.sessions) as session:
        await add(session, "telegram", str(CLERK), Role.STAFF, "Иванова")
    running = asyncio.create_task(serve(app, [TelegramChannel(app), VKChannel(app)]))
    await tg.wait_for_poll()
    await vk.wait_for_long_poll()
    yield app
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    await app.close()


def in_staff_chat(params: dict) -> bool:
    return params.get("chat_id") == STAFF_CHAT


async def staff_topic(tg: FakeTelegramAPI) -> int:
    await tg.wait_for("createForumTopic", timeout=10)
    [(thread, name)] = tg.topics[STAFF_CHAT].items()
    assert name.startswith("№1")
    return thread


def staff_says(tg: FakeTelegramAPI, user: int, text: str, thread: int) -> int:
    return tg.push_message(
        user, text, chat_id=STAFF_CHAT, chat_type="supergroup", message_thread_id=thread
    )


async def count_messages(app: App) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(func.count(TicketMessage.id))) or 0


async def test_telegram_person_and_staff_topic_both_ways(bot: App, tg: FakeTelegramAPI) -> None:
    tg.push_message(USER, "/start")
    await tg.wait_for("sendMessage", chat_id=USER)
    tg.push_callback(USER, "go:ticket", message_id=tg.calls[-1].result["message_id"])
    sent = await tg.wait_for("sendMessage", count=2, chat_id=USER)
    assert "Напишите вопрос" in sent[-1]["text"]
    tg.push_photo(USER, caption="Сломан турникет у входа", content=b"jpeg-of-the-gate")
    sent = await tg.wait_for("sendMessage", count=3, chat_id=USER)
    assert "Что это за обращение?" in sent[-1]["text"]
    tg.push_callback(USER, "ticket:kind:complaint", message_id=1)
    sent = await tg.wait_for("sendMessage", count=4, chat_id=USER)
    assert "Обращение №1 принято. Ответим до " in sent[-1]["text"]

    # The staff chat: a topic with the card, and the person's photo resent by file id.
    thread = await staff_topic(tg)
    [card] = await tg.wait_for("sendMessage", predicate=in_staff_chat)
    assert card["message_thread_id"] == thread
    assert "Обращение №1 · Жалоба" in card["text"] and "Сломан турникет" in card["text"]
    assert "Telegram, личные сообщения" in card["text"]
    labels = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert labels[:4] == ["Взять", "Передать", "Шаблон", "Закрыть"]
    [photo] = await tg.wait_for("sendPhoto", predicate=in_staff_chat)
    assert photo["message_thread_id"] == thread and isinstance(photo["photo"], str)

    # Someone without the staff role writes in the topic: nothing happens.
    before = await count_messages(bot)
    staff_says(tg, STRANGER, "Я не сотрудник", thread)
    staff_says(tg, CLERK, "Спасибо! Починим завтра.", thread)
    sent = await tg.wait_for("sendMessage", count=5, chat_id=USER, timeout=10)
    assert sent[-1]["text"].startswith("Ответ по обращению №1:")
    assert "Починим завтра" in sent[-1]["text"] and "Я не сотрудник" not in str(sent)
    assert await count_messages(bot) == before + 1

    # A staff photo reaches the person by file id; the person's answer lands in the topic.
    tg.push_photo(
        CLERK,
        chat_id=STAFF_CHAT,
        chat_type="supergroup",
        message_thread_id=thread,
        caption="Вот схема прохода",
    )
    [relayed] = await tg.wait_for("sendPhoto", chat_id=USER, timeout=10)
    assert isinstance(relayed["photo"], str)
    sent = await tg.wait_for("sendMessage", count=6, chat_id=USER, timeout=10)
    assert "Вот схема прохода" in sent[-1]["text"]
    tg.push_message(USER, "А во сколько приходить?")
    notes = await tg.wait_for("sendMessage", count=2, predicate=in_staff_chat, timeout=10)
    assert notes[-1]["text"] == "👤 А во сколько приходить?"
    assert notes[-1]["message_thread_id"] == thread

    # A 429 storm: every message still arrives, in order.
    tg.fail_next("sendMessage", status=429, retry_after=1, times=3)
    for word in ("первое", "второе", "третье"):
        staff_says(tg, CLERK, word, thread)
    sent = await tg.wait_for("sendMessage", count=10, chat_id=USER, timeout=20)
    words = [m["text"].rsplit("\n", 1)[-1] for m in sent[-3:]]
    assert words == ["первое", "второе", "третье"]
    await drained(bot)  # answered once the delivery is recorded, not when the fake saw it
    async with bot.sessions() as session:
        ticket = await session.get(Ticket, 1)
        assert ticket is not None and ticket.assignee_name == "Иванова"
        assert ticket.first_reply_at is not None and ticket.status == "answered"


async def test_vk_person_and_telegram_staff_exchange_photos(
    bot: App, tg: FakeTelegramAPI, vk: FakeVKAPI
) -> None:
    vk.push_message(PEER, "Связаться", payload={"a": "go:ticket"})
    await vk.wait_for("messages.send", peer_id=PEER)
    vk.push_photo(PEER, text="Как оплатить штраф?", content=b"vk-photo-bytes")
    await vk.wait_for("messages.send", count=2, peer_id=PEER)
    vk.push_message(PEER, "Вопрос", payload={"a": "ticket:kind:question"})
    sent = await vk.wait_for("messages.send", count=3, peer_id=PEER)
    assert "Обращение №1 принято" in sent[-1]["message"]

    thread = await staff_topic(tg)
    [card] = await tg.wait_for("sendMessage", predicate=in_staff_chat)
    assert "ВКонтакте" in card["text"]
    [photo] = await tg.wait_for("sendPhoto", predicate=in_staff_chat, timeout=10)
    assert photo["photo"].content == b"vk-photo-bytes"  # downloaded from VK, uploaded here

    tg.push_photo(
        CLERK,
        chat_id=STAFF_CHAT,
        chat_type="supergroup",
        message_thread_id=thread,
        caption="Реквизиты на фото",
        content=b"requisites",
    )
    sent = await vk.wait_for("messages.send", count=5, peer_id=PEER, timeout=10)
    assert sent[-2]["attachment"].startswith("doc")
    uploaded = [f for f in vk.uploads.values() if f.content == b"requisites"]
    assert len(uploaded) == 1
    assert "Реквизиты на фото" in sent[-1]["message"]


async def test_vk_wall_comment_becomes_a_ticket_answered_under_it(
    bot: App, tg: FakeTelegramAPI, vk: FakeVKAPI
) -> None:
    event = vk.push_wall_reply(post_id=42, from_id=PEER, text="Почему закрыт пункт приёма?")
    thread = await staff_topic(tg)
    [card] = await tg.wait_for("sendMessage", predicate=in_staff_chat)
    assert "Комментарий к записи" in card["text"] and "комментарий на стене" in card["text"]
    vk.push_event_again(event)  # a duplicate delivery makes no second ticket
    staff_says(tg, CLERK, "Пункт работает с понедельника.", thread)
    [comment] = await vk.wait_for("wall.createComment", timeout=10)
    assert comment["post_id"] == 42 and comment["owner_id"] == -vk.group_id
    assert comment["reply_to_comment"] == vk.event(event)["object"]["id"]
    assert comment["message"] == "Пункт работает с понедельника."
    # The community's own reply comes back as a wall event and is not a ticket.
    vk.push_wall_reply(post_id=42, from_id=-vk.group_id, text="Пункт работает")
    vk.push_wall_mention(from_id=PEER + 1)
    await tg.wait_for("createForumTopic", count=2, timeout=10)
    async with bot.sessions() as session:
        kinds = (await session.scalars(select(Ticket.kind).order_by(Ticket.id))).all()
    assert kinds == ["comment", "mention"]


async def test_the_staff_destination_is_the_staff_chat_or_a_member(
    bot: App, tg: FakeTelegramAPI
) -> None:
    """What features send to STAFF besides a ticket's topic: GENERAL goes to the staff chat
    itself (no topic), member(<id>) to that person's private chat."""
    async with transaction(bot.sessions) as session:
        enqueue(session, STAFF, GENERAL, [Reply("Для всех сотрудников")])
        enqueue(session, STAFF, member(str(CLERK)), [Reply("Лично вам")])
    [general] = await tg.wait_for("sendMessage", predicate=in_staff_chat, timeout=10)
    assert general["text"] == "Для всех сотрудников" and "message_thread_id" not in general
    [private] = await tg.wait_for("sendMessage", chat_id=CLERK, timeout=10)
    assert private["text"] == "Лично вам"
    assert not tg.topics.get(STAFF_CHAT)  # no ticket, so no topic
