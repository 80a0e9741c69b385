"""Each Bot API method's response model, built once.

aiogram parses every answer as `Response[T]`, a pydantic generic model that pydantic keeps
only weakly: under load the garbage collector drops it and the next call builds it again
(2–8 ms a time, measured with py-spy on `benchmarks/load.py`). Holding each one that was
used keeps it built for the life of the process."""

from typing import Any

from aiogram import Bot
from aiogram.client.session.base import Response
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType


class HeldResponses(BaseRequestMiddleware):
    def __init__(self) -> None:
        self._held: dict[type, Any] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        kind = type(method)
        if kind not in self._held:
            self._held[kind] = Response[method.__returning__]  # type: ignore[name-defined]
        return await make_request(bot, method)
