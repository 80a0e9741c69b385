"""Each chat's updates in the order Telegram sent them.

aiogram handles updates as concurrent tasks and runs plain (non-async) filters in worker
threads, so a second message of a chat can overtake the first before any handler runs: two
staff answers, or a person's two quick messages, would then go out swapped. This outer
middleware runs before the filters and lets one update of a chat through at a time, in the
order the tasks started, which is the order of the updates."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject

from bot.core.inflight import KeyedLocks

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ChatOrder(BaseMiddleware):
    def __init__(self) -> None:
        self._locks = KeyedLocks()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat = data.get("event_chat")  # set by aiogram's own UserContextMiddleware, before us
        if not isinstance(chat, Chat):
            return await handler(event, data)
        async with self._locks(chat.id):
            return await handler(event, data)
