"""Private chats with citizens: every message and button press goes to the core engine."""

import asyncio
from contextlib import suppress
from functools import partial

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message, Update

from bot.core.db import SessionFactory
from bot.core.engine import Engine
from bot.core.inflight import InFlight
from bot.core.messages import Incoming
from bot.core.outbox import send_now
from handlers.telegram.mapping import from_callback, from_message, pressed_label
from handlers.telegram.sender import MESSAGE_LIMIT, TelegramSender


def build_router() -> Router:
    # A fresh router per dispatcher: aiogram routers attach to one dispatcher only.
    router = Router(name="citizens")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")
    router.message.register(on_message)
    router.callback_query.register(on_button)
    return router


async def on_message(
    message: Message,
    event_update: Update,
    engine: Engine,
    sessions: SessionFactory,
    sender: TelegramSender,
    inflight: InFlight,
) -> None:
    incoming = from_message(message, event_update.update_id)
    await inflight.run(lambda: _answer(incoming, engine, sessions, sender))


async def on_button(
    query: CallbackQuery,
    event_update: Update,
    engine: Engine,
    sessions: SessionFactory,
    sender: TelegramSender,
    inflight: InFlight,
) -> None:
    incoming = from_callback(query, event_update.update_id)

    async def work() -> None:
        # The press is stored before any other call, so a stop in between cannot lose it.
        replies = await engine.handle(incoming, on_slow=partial(sender.send, incoming.chat_id))
        if replies is None:
            return  # a repeated delivery: the first one answered and marked the press
        # Three calls at once, not one after another: the answer comes a round trip sooner.
        # Each runs to its end: a failed courtesy (the spinner, the edit) must not leave the
        # reply's sending unwatched by the in-flight count that shutdown waits for.
        outcomes = await asyncio.gather(
            _stop_spinner(query),
            _mark_choice(query),
            send_now(sessions, sender, incoming.channel, incoming.chat_id, replies),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    await inflight.run(work)


async def _answer(
    incoming: Incoming, engine: Engine, sessions: SessionFactory, sender: TelegramSender
) -> None:
    replies = await engine.handle(incoming, on_slow=partial(sender.send, incoming.chat_id))
    if replies:
        await send_now(sessions, sender, incoming.channel, incoming.chat_id, replies)


async def _stop_spinner(query: CallbackQuery) -> None:
    with suppress(TelegramBadRequest):
        await query.answer()


async def _mark_choice(query: CallbackQuery) -> None:
    """Replace the pressed keyboard by the chosen label, so the chat reads as a dialogue and
    old buttons cannot be pressed twice."""
    message = query.message
    label = pressed_label(query)
    if not isinstance(message, Message) or message.text is None or label is None:
        return
    text = f"{message.text}\n\n➜ {label}"
    # Old messages (48 h+) or unchanged ones cannot be edited; the answer still goes out.
    with suppress(TelegramBadRequest):
        if len(text) <= MESSAGE_LIMIT:
            await message.edit_text(text, reply_markup=None)
        else:
            await message.edit_reply_markup(reply_markup=None)
