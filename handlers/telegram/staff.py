"""The staff supergroup (TELEGRAM_STAFF_CHAT_ID), after MasterGroosha's feedback bot: one forum
topic per ticket. What staff write in a topic goes to the person; the buttons under the ticket
card take, transfer, draft from a template, mark an interim answer, close. Every rule is in
bot/tickets/desk.py: this module only translates updates and delivers to topics."""

from contextlib import suppress

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, Message, Update
from aiohttp import ClientError

from bot.core import clock
from bot.core.db import SessionFactory
from bot.core.inflight import InFlight
from bot.core.messages import Attachment, Channel, FileRef, Reply, clean_text
from bot.core.outbox import Progress
from bot.tickets.desk import Desk
from bot.tickets.relay import MAX_RELAY_BYTES
from handlers.telegram.mapping import file_refs
from handlers.telegram.sender import TelegramSender, delivery_errors


def build_router(staff_chat_id: int) -> Router:
    router = Router(name="staff")
    router.message.filter(F.chat.id == staff_chat_id)
    router.callback_query.filter(F.message.chat.id == staff_chat_id)
    router.message.register(on_message)
    router.callback_query.register(on_button)
    return router


async def on_message(
    message: Message,
    event_update: Update,
    bot: Bot,
    desk: Desk,
    sessions: SessionFactory,
    inflight: InFlight,
) -> None:
    user = message.from_user
    thread = message.message_thread_id
    if user is None or user.is_bot or not message.is_topic_message or thread is None:
        return  # the general topic, service messages, other bots
    text = clean_text(message.text or message.caption or "")
    files = file_refs(message)
    if not text and not files:
        return

    async def fetch(ref: FileRef) -> Attachment | None:
        return await download(bot, ref)

    await inflight.run(
        lambda: desk.staff_message(
            sessions,
            Channel.TELEGRAM,
            str(user.id),
            thread,
            text,
            files,
            f"staff:{event_update.update_id}",
            clock.now(),
            fetch,
        )
    )


async def on_button(
    query: CallbackQuery, desk: Desk, sessions: SessionFactory, inflight: InFlight
) -> None:
    notice = await inflight.run(
        lambda: desk.staff_action(
            sessions, Channel.TELEGRAM, str(query.from_user.id), query.data or "", clock.now()
        )
    )
    with suppress(TelegramBadRequest):
        await query.answer(notice)


async def download(bot: Bot, ref: FileRef) -> Attachment | None:
    """A staff member's file as bytes, for a person in another messenger."""
    try:
        file = await bot.get_file(ref.file_id)
        if file.file_path is None or (file.file_size or 0) > MAX_RELAY_BYTES:
            return None
        content = await bot.download_file(file.file_path)
    except (TelegramAPIError, ClientError, TimeoutError):
        return None
    if content is None:
        return None
    mime = "image/jpeg" if ref.kind == "photo" else "application/octet-stream"
    return Attachment(ref.name or ref.kind, content.read(), mime)


class StaffTopicSender(TelegramSender):
    """Outbox channel "staff": the chat id is a ticket number; the ticket's forum topic is
    created on its first message (the card), so topics are made in ticket order."""

    def __init__(self, bot: Bot, chat_id: int, desk: Desk, sessions: SessionFactory) -> None:
        super().__init__(bot)
        self.chat_id = chat_id
        self.desk = desk
        self.sessions = sessions

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        number = int(chat_id)
        with delivery_errors():
            thread, name = await self.desk.topic(self.sessions, number)
            if thread is None:
                topic = await self.bot.create_forum_topic(self.chat_id, name)
                thread = topic.message_thread_id
                await self.desk.set_topic(self.sessions, number, thread)
            await self._send(self.chat_id, reply, progress, message_thread_id=thread)
