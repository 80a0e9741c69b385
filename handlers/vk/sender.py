"""Delivers Replies through the VK API and tells the outbox which failures to retry."""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp import ClientError
from vkbottle import API, DocMessagesUploader, VKAPIError

from bot.conversation import Reply, split_text
from bot.outbox import DeliveryError
from handlers.vk.mapping import keyboard

MESSAGE_LIMIT = 4096
# VK error codes worth retrying, with how long to wait: 6 too many requests per second,
# 9 flood control, 10 internal server error, 1 unknown error (also a non-JSON 5xx page).
RETRY_AFTER = {6: 1.0, 9: 10.0}
TEMPORARY = {1, 10}


class VKSender:
    def __init__(self, api: API) -> None:
        self.api = api

    async def send(self, chat_id: str, reply: Reply) -> None:
        with delivery_errors():
            await self._send(int(chat_id), reply)

    async def _send(self, peer_id: int, reply: Reply) -> None:
        attachment = None
        if reply.attachment is not None:
            # vkbottle 4.11: upload(file_source, group_id, peer_id, **params); title is a param.
            attachment = await DocMessagesUploader(self.api).upload(
                reply.attachment.content, peer_id=peer_id, title=reply.attachment.filename
            )
        chunks = split_text(reply.text, MESSAGE_LIMIT)
        for number, chunk in enumerate(chunks, start=1):
            last = number == len(chunks)
            await self.api.messages.send(
                peer_id=peer_id,
                message=chunk,
                # A fresh id per message: VK drops repeats of a random_id as duplicates.
                random_id=secrets.randbits(31),
                keyboard=keyboard(reply) if last else None,
                attachment=attachment if last else None,
            )


@contextmanager
def delivery_errors() -> Iterator[None]:
    """VK's errors as the outbox's: flood control pauses, server errors retry, the rest fail."""
    try:
        yield
    except VKAPIError as exc:
        code = getattr(exc, "code", 0)
        if code in RETRY_AFTER:
            raise DeliveryError(f"VK error {code}", retry_after=RETRY_AFTER[code]) from exc
        if code in TEMPORARY:
            raise DeliveryError(f"VK error {code}") from exc
        raise DeliveryError(f"VK error {code}: {exc.error_msg}", permanent=True) from exc
    except (ClientError, TimeoutError) as exc:
        raise DeliveryError(f"temporary: {type(exc).__name__}") from exc
