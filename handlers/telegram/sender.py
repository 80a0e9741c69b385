"""Delivers Replies through the Bot API and tells the outbox which failures to retry."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InputFile, URLInputFile

from bot.core.messages import FileRef, Reply, split_text
from bot.core.outbox import BLOCKED, GONE, REFUSED, DeliveryError, Part, Progress, send_parts
from handlers.telegram.mapping import keyboard

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        with delivery_errors():
            await self._send(int(chat_id), reply, progress)

    async def _send(
        self, chat_id: int, reply: Reply, progress: Progress | None = None, **where: Any
    ) -> None:
        """`where`: a forum topic (message_thread_id) or a message to reply to."""
        await send_parts(self._parts(chat_id, reply, **where), progress)

    def _parts(self, chat_id: int, reply: Reply, **where: Any) -> list[Part]:
        """One Bot API call per part, in the order the person reads them."""
        bot = self.bot
        parts: list[Part] = [
            partial(self._send_file, chat_id, ref, **where) for ref in reply.files
        ]
        if not reply.text:
            return parts
        markup = keyboard(reply)
        if reply.attachment is not None:
            file = BufferedInputFile(reply.attachment.content, reply.attachment.filename)
            if len(reply.text) <= CAPTION_LIMIT:
                caption = {"caption": reply.text, "reply_markup": markup}
                return [*parts, partial(bot.send_document, chat_id, file, **caption, **where)]
            parts.append(partial(bot.send_document, chat_id, file, **where))
        chunks = split_text(reply.text, MESSAGE_LIMIT)
        parts.extend(partial(bot.send_message, chat_id, chunk, **where) for chunk in chunks[:-1])
        # Buttons go under the last part, where the person finishes reading.
        parts.append(partial(bot.send_message, chat_id, chunks[-1], reply_markup=markup, **where))
        return parts

    async def _send_file(self, chat_id: int, ref: FileRef, **where: Any) -> None:
        # Telegram file ids are resent as they are; VK files come as URLs, which aiogram
        # downloads and uploads (Telegram itself cannot fetch every URL).
        file: InputFile | str = ref.file_id
        if ref.file_id.startswith(("http://", "https://")):
            file = URLInputFile(ref.file_id, filename=ref.name or None)
        if ref.kind == "photo":
            await self.bot.send_photo(chat_id, file, **where)
        else:
            await self.bot.send_document(chat_id, file, **where)


@contextmanager
def delivery_errors() -> Iterator[None]:
    """Telegram's errors as the outbox's: 429 pauses, 5xx retries, refusals are final."""
    try:
        yield
    except TelegramRetryAfter as exc:
        raise DeliveryError("429 flood control", retry_after=exc.retry_after) from exc
    except (TelegramServerError, TelegramNetworkError) as exc:
        raise DeliveryError(f"temporary: {type(exc).__name__}") from exc
    except TelegramForbiddenError as exc:
        # "bot was blocked by the user"; a deleted account says "user is deactivated".
        cause = GONE if "deactivated" in exc.message else BLOCKED
        raise DeliveryError(f"refused: {exc.message}", permanent=True, cause=cause) from exc
    except (TelegramNotFound, TelegramBadRequest) as exc:
        cause = GONE if "not found" in exc.message else REFUSED
        raise DeliveryError(f"refused: {exc.message}", permanent=True, cause=cause) from exc
