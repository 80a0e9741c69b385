"""The staff relay end to end: the real aiogram (and vkbottle) clients against the fake
servers; staff work in forum topics of a fake supergroup."""

from sqlalchemy import func, select

from bot.app import App
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.outbox import enqueue
from bot.core.staff import GENERAL, STAFF, member
from bot.tickets import cards
from bot.tickets.cards import STAFF_LOCALE, staff_text
from bot.tickets.models import Ticket, TicketMessage
from tests.support.fixtures import PEER, USER, drained
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI
from tests.tickets.conftest import (
    CLERK,
    CLERK_NAME,
    STAFF_CHAT,
    STRANGER,
    in_staff_chat,
    ru,
    signed,
    staff_says,
    staff_topic,
    ticket,
)


async def created(app: App) -> str:
    """What the person is told when ticket №1 is made."""
    found = await ticket(app)
    when = cards.when("ru", found.first_due, found.created_at, app.settings.tz)
    return ru("ticket-created", number=1, when=when)


async def count_messages(app: App) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(func.count(TicketMessage.id))) or 0


async def test_telegram_person_and_staff_topic_both_ways(
    relay_bot: App, api: FakeTelegramAPI
) -> None:
    api.push_message(USER, "/start")
    await api.wait_for("sendMessage", chat_id=USER)
    api.push_callback(USER, "go:ticket", message_id=api.calls[-1].result["message_id"])
    sent = await api.wait_for("sendMessage", count=2, chat_id=USER)
    assert sent[-1]["text"] == ru("ticket-ask")
    api.push_photo(USER, caption="Сломан турникет у входа", content=b"jpeg-of-the-gate")
    sent = await api.wait_for("sendMessage", count=3, chat_id=USER)
    assert sent[-1]["text"] == ru("ticket-kind")
    api.push_callback(USER, "ticket:kind:complaint", message_id=1)
    sent = await api.wait_for("sendMessage", count=4, chat_id=USER)
    assert sent[-1]["text"] == await created(relay_bot)

    # The staff chat: a topic with the card, and the person's photo resent by file id.
    thread = await staff_topic(api, "complaint")
    [card] = await api.wait_for("sendMessage", predicate=in_staff_chat)
    assert card["message_thread_id"] == thread
    assert f"№1 · {cards.kind_label(STAFF_LOCALE, 'complaint')}" in card["text"]
    assert "Сломан турникет у входа" in card["text"]  # the person's caption
    assert staff_text("staff-source-chat", channel="telegram") in card["text"]
    labels = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    buttons = ("take", "transfer", "template", "close")
    assert labels[:4] == [staff_text(f"staff-button-{name}") for name in buttons]
    [photo] = await api.wait_for("sendPhoto", predicate=in_staff_chat)
    assert photo["message_thread_id"] == thread and isinstance(photo["photo"], str)

    # Someone without the staff role writes in the topic: nothing happens.
    before = await count_messages(relay_bot)
    staff_says(api, STRANGER, "Я не сотрудник", thread)
    staff_says(api, CLERK, "Спасибо! Починим завтра.", thread)
    sent = await api.wait_for("sendMessage", count=6, chat_id=USER, timeout=10)
    assert sent[-2]["text"] == ru(
        "ticket-answer", number=1, text=signed("Спасибо! Починим завтра.")
    )
    assert sent[-1]["text"] == ru("ticket-rate-answer", number=1)  # once, after the first
    assert "Я не сотрудник" not in str(sent)
    assert await count_messages(relay_bot) == before + 1

    # A staff photo reaches the person by file id; the person's answer lands in the topic.
    api.push_photo(
        CLERK,
        chat_id=STAFF_CHAT,
        chat_type="supergroup",
        message_thread_id=thread,
        caption="Вот схема прохода",
    )
    [relayed] = await api.wait_for("sendPhoto", chat_id=USER, timeout=10)
    assert isinstance(relayed["photo"], str)
    sent = await api.wait_for("sendMessage", count=7, chat_id=USER, timeout=10)
    assert sent[-1]["text"] == ru("ticket-answer", number=1, text=signed("Вот схема прохода"))
    api.push_message(USER, "А во сколько приходить?")
    notes = await api.wait_for("sendMessage", count=2, predicate=in_staff_chat, timeout=10)
    assert notes[-1]["text"] == staff_text("staff-person-says", text="А во сколько приходить?")
    assert notes[-1]["message_thread_id"] == thread

    # A 429 storm: every message still arrives, in order.
    api.fail_next("sendMessage", status=429, retry_after=1, times=3)
    for word in ("первое", "второе", "третье"):
        staff_says(api, CLERK, word, thread)
    sent = await api.wait_for("sendMessage", count=11, chat_id=USER, timeout=20)
    texts = [m["text"] for m in sent[-3:]]
    assert texts == [
        ru("ticket-answer", number=1, text=signed(w)) for w in ("первое", "второе", "третье")
    ]
    await drained(relay_bot)  # answered once the delivery is recorded, not when the fake saw it
    async with relay_bot.sessions() as session:
        ticket = await session.get(Ticket, 1)
        assert ticket is not None and ticket.assignee_name == CLERK_NAME
        assert ticket.first_reply_at is not None and ticket.status == "answered"


async def test_vk_person_and_telegram_staff_exchange_photos(
    relay_bot: App, api: FakeTelegramAPI, vk_api: FakeVKAPI
) -> None:
    vk_api.push_message(PEER, ru("menu-human"), payload={"a": "go:ticket"})
    await vk_api.wait_for("messages.send", peer_id=PEER)
    vk_api.push_photo(PEER, text="Как оплатить штраф?", content=b"vk-photo-bytes")
    await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    vk_api.push_message(PEER, ru("ticket-kind-question"), payload={"a": "ticket:kind:question"})
    sent = await vk_api.wait_for("messages.send", count=3, peer_id=PEER)
    assert sent[-1]["message"] == await created(relay_bot)

    thread = await staff_topic(api)
    [card] = await api.wait_for("sendMessage", predicate=in_staff_chat)
    assert staff_text("staff-source-chat", channel="vk") in card["text"]
    [photo] = await api.wait_for("sendPhoto", predicate=in_staff_chat, timeout=10)
    assert photo["photo"].content == b"vk-photo-bytes"  # downloaded from VK, uploaded here

    api.push_photo(
        CLERK,
        chat_id=STAFF_CHAT,
        chat_type="supergroup",
        message_thread_id=thread,
        caption="Реквизиты на фото",
        content=b"requisites",
    )
    sent = await vk_api.wait_for("messages.send", count=5, peer_id=PEER, timeout=10)
    assert sent[-2]["attachment"].startswith("doc")
    uploaded = [f for f in vk_api.uploads.values() if f.content == b"requisites"]
    assert len(uploaded) == 1
    assert sent[-1]["message"] == ru("ticket-answer", number=1, text=signed("Реквизиты на фото"))


async def test_vk_wall_comment_becomes_a_ticket_answered_under_it(
    relay_bot: App, api: FakeTelegramAPI, vk_api: FakeVKAPI
) -> None:
    event = vk_api.push_wall_reply(post_id=42, from_id=PEER, text="Почему закрыт пункт приёма?")
    thread = await staff_topic(api, "comment")
    [card] = await api.wait_for("sendMessage", predicate=in_staff_chat)
    assert f"№1 · {cards.kind_label(STAFF_LOCALE, 'comment')}" in card["text"]
    assert staff_text("staff-source-vk_wall") in card["text"]
    vk_api.push_event_again(event)  # a duplicate delivery makes no second ticket
    staff_says(api, CLERK, "Пункт работает с понедельника.", thread)
    receipt, comment = await vk_api.wait_for("wall.createComment", count=2, timeout=10)
    found = await ticket(relay_bot)
    when = cards.when("ru", found.first_due, found.created_at, relay_bot.settings.tz)
    assert receipt["message"] == ru("ticket-public-receipt", when=when)
    for sent in (receipt, comment):
        assert sent["post_id"] == 42 and sent["owner_id"] == -vk_api.group_id
        assert sent["reply_to_comment"] == vk_api.event(event)["object"]["id"]
    assert comment["message"] == signed("Пункт работает с понедельника.")
    # The community's own reply comes back as a wall event and is not a ticket.
    vk_api.push_wall_reply(post_id=42, from_id=-vk_api.group_id, text="Пункт работает")
    vk_api.push_wall_mention(from_id=PEER + 1)
    await api.wait_for("createForumTopic", count=2, timeout=10)
    async with relay_bot.sessions() as session:
        kinds = (await session.scalars(select(Ticket.kind).order_by(Ticket.id))).all()
    assert kinds == ["comment", "mention"]


async def test_the_staff_destination_is_the_staff_chat_or_a_member(
    relay_bot: App, api: FakeTelegramAPI
) -> None:
    """What features send to STAFF besides a ticket's topic: GENERAL goes to the staff chat
    itself (no topic), member(<id>) to that person's private chat."""
    async with transaction(relay_bot.sessions) as session:
        enqueue(session, STAFF, GENERAL, [Reply("Для всех сотрудников")])
        enqueue(session, STAFF, member(str(CLERK)), [Reply("Лично вам")])
    [general] = await api.wait_for("sendMessage", predicate=in_staff_chat, timeout=10)
    assert general["text"] == "Для всех сотрудников" and "message_thread_id" not in general
    [private] = await api.wait_for("sendMessage", chat_id=CLERK, timeout=10)
    assert private["text"] == "Лично вам"
    assert not api.topics.get(STAFF_CHAT)  # no ticket, so no topic
