"""Delivers Replies through the VK API and tells the outbox which failures to retry."""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from aiohttp import ClientError
from vkbottle import API, DocMessagesUploader, VKAPIError

from bot.core.messages import Reply, split_text
from bot.core.outbox import BLOCKED, GONE, REFUSED, DeliveryError, Progress, send_parts
from handlers.vk.mapping import keyboard

MESSAGE_LIMIT = 4096
# VK error codes worth retrying, with how long to wait: 6 too many requests per second,
# 9 flood control, 10 internal server error, 1 unknown error (also a non-JSON 5xx page).
RETRY_AFTER = {6: 1.0, 9: 10.0}
TEMPORARY = {1, 10}
# 901 messages from the community not allowed, 902 the person's privacy settings; 18 the page
# is deleted or banned, 936 no such contact.
BLOCKED_CODES = {901, 902}
GONE_CODES = {18, 936}


class VKSender:
    def __init__(self, api: API) -> None:
        self.api = api

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        with delivery_errors():
            await self._send(int(chat_id), reply, progress)

    async def _send(self, peer_id: int, reply: Reply, progress: Progress | None) -> None:
        attachment = None
        if reply.attachment is not None:
            # vkbottle 4.11: upload(file_source, group_id, peer_id, **params); title is a param.
            attachment = await DocMessagesUploader(self.api).upload(
                reply.attachment.content, peer_id=peer_id, title=reply.attachment.filename
            )
        chunks = split_text(reply.text, MESSAGE_LIMIT)
        parts = [
            partial(
                self.api.messages.send,
                peer_id=peer_id,
                message=chunk,
                random_id=random_id(progress, index),
                keyboard=keyboard(reply) if index == len(chunks) - 1 else None,
                attachment=attachment if index == len(chunks) - 1 else None,
            )
            for index, chunk in enumerate(chunks)
        ]
        await send_parts(parts, progress)


def random_id(progress: Progress | None, part: int) -> int:
    """VK drops a message whose random_id it has seen as a duplicate. An outbox row's parts
    keep theirs across retries and restarts, so a part sent just before a crash is not shown
    twice; a direct reply gets a fresh one."""
    if progress is None:
        return secrets.randbits(31) or 1
    # One value per (row, part), no two alike until ids pass 2**31 / 64: a hash could collide
    # and VK would drop a real message as a repeat.
    return (progress.row_id * 64 + part) % 2**31 or 1


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
        cause = BLOCKED if code in BLOCKED_CODES else GONE if code in GONE_CODES else REFUSED
        raise DeliveryError(
            f"VK error {code}: {exc.error_msg}", permanent=True, cause=cause
        ) from exc
    except (ClientError, TimeoutError) as exc:
        raise DeliveryError(f"temporary: {type(exc).__name__}") from exc
