"""Telegram groups: a comment under the channel's post in its discussion group, or a mention of
the bot, becomes a ticket; the staff answer is posted as a reply to that message."""

import asyncio
import time

from sqlalchemy import select

from bot.app import App
from bot.core import clock
from bot.core.db import transaction
from bot.tickets import cards
from bot.tickets.models import Ticket
from bot.tickets.relay import StaffRef
from tests.support.telegram_api import FakeTelegramAPI
from tests.tickets.conftest import CLERK_NAME, ru, signed, staff_texts

GROUP = -1009876543210
AUTHOR = 3003


def channel_post(message_id: int = 10) -> dict:
    """The post the channel forwards into its discussion group."""
    return {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": GROUP, "type": "supergroup"},
        "sender_chat": {"id": -1001111111111, "type": "channel", "title": "Управление"},
        "is_automatic_forward": True,
        "text": "Изменился график приёма в декабре.",
    }


async def tickets(app: App, count: int = 1) -> list[Ticket]:
    """The tickets, once `count` of them exist (updates are handled in the background)."""
    for _ in range(100):
        async with app.sessions() as session:
            rows = list(await session.scalars(select(Ticket).order_by(Ticket.id)))
        if len(rows) >= count:
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(f"{len(rows)} tickets, expected {count}")


async def answer(app: App, number: int, text: str) -> None:
    async with transaction(app.sessions) as session:
        row = await session.get(Ticket, number)
        await app.tickets.service.staff_reply(
            session, row, StaffRef("", CLERK_NAME), text, (), clock.now()
        )


async def test_a_comment_under_a_post_is_answered_in_reply(bot: App, api: FakeTelegramAPI):
    api.push_message(AUTHOR, "просто болтаю", chat_id=GROUP, chat_type="supergroup")
    update = api.push_message(
        AUTHOR,
        "А в субботу 26-го вы работаете?",
        chat_id=GROUP,
        chat_type="supergroup",
        reply_to_message=channel_post(),
    )
    [ticket] = await tickets(bot)
    assert (ticket.kind, ticket.source) == ("comment", "tg_group")

    await answer(bot, ticket.id, "Нет, суббота — выходной.")
    receipt, sent = await api.wait_for("sendMessage", count=2, chat_id=GROUP, timeout=10)
    when = cards.when("ru", ticket.first_due, ticket.created_at, bot.settings.tz)
    assert receipt["text"] == ru("ticket-public-receipt", when=when)
    assert sent["text"] == signed("Нет, суббота — выходной.")  # a public reply: no frame
    comment_id = api.pushed(update)["message"]["message_id"]
    assert sent["reply_parameters"]["message_id"] == comment_id
    assert receipt["reply_parameters"]["message_id"] == comment_id
    assert len(await tickets(bot)) == 1  # the chatter got no ticket


async def test_a_mention_of_the_bot_is_a_four_hour_ticket(bot: App, api: FakeTelegramAPI):
    text = "@priemnaya_test_bot подскажите адрес"
    api.push_message(
        AUTHOR,
        text,
        chat_id=GROUP,
        chat_type="supergroup",
        entities=[{"type": "mention", "offset": 0, "length": len("@priemnaya_test_bot")}],
    )
    [ticket] = await tickets(bot)
    assert ticket.kind == "mention"
    assert (ticket.first_due - ticket.created_at).total_seconds() == 4 * 3600


async def test_the_staff_card_names_a_group_message_as_its_source(staff_app: App) -> None:
    number = await staff_app.tickets.public_ticket(
        "telegram",
        str(AUTHOR),
        "mention",
        "подскажите адрес",
        "tg_group",
        f"{GROUP}_7",
        clock.now(),
    )
    assert number is not None
    [card] = await staff_texts(staff_app)
    assert ru("staff-source-tg_group") in card.splitlines()[2]
