"""Delivers Replies through the Bot API and tells the outbox which failures to retry."""

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile

from bot.conversation import Reply, split_text
from bot.outbox import DeliveryError
from handlers.telegram.mapping import keyboard

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, reply: Reply) -> None:
        try:
            await self._send(int(chat_id), reply)
        except TelegramRetryAfter as exc:
            raise DeliveryError("429 flood control", retry_after=exc.retry_after) from exc
        except (TelegramServerError, TelegramNetworkError) as exc:
            raise DeliveryError(f"temporary: {type(exc).__name__}") from exc
        except (TelegramForbiddenError, TelegramNotFound, TelegramBadRequest) as exc:
            raise DeliveryError(f"refused: {exc.message}", permanent=True) from exc

    async def _send(self, chat_id: int, reply: Reply) -> None:
        markup = keyboard(reply)
        if reply.attachment is not None:
            file = BufferedInputFile(reply.attachment.content, reply.attachment.filename)
            if len(reply.text) <= CAPTION_LIMIT:
                await self.bot.send_document(
                    chat_id, file, caption=reply.text, reply_markup=markup
                )
                return
            await self.bot.send_document(chat_id, file)
        chunks = split_text(reply.text, MESSAGE_LIMIT)
        for chunk in chunks[:-1]:
            await self.bot.send_message(chat_id, chunk)
        # Buttons go under the last part, where the person finishes reading.
        await self.bot.send_message(chat_id, chunks[-1], reply_markup=markup)
