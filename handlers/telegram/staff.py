"""The staff supergroup (TELEGRAM_STAFF_CHAT_ID), after MasterGroosha's feedback bot: one forum
topic per ticket. What staff write in a topic goes to the person; the buttons under the ticket
card take, transfer, draft from a template, mark an interim answer, close; `/app …` anywhere in
the chat keeps application records (applications/staff_side.py) and is never relayed. Every
rule is in the features: this module only translates updates and delivers what they send."""

from contextlib import suppress

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, Message, Update
from aiohttp import ClientError

from applications.staff_side import StaffCommands, is_command
from bot.core import clock
from bot.core.inflight import InFlight
from bot.core.messages import Attachment, Channel, FileRef, Reply, clean_text
from bot.core.outbox import Progress
from bot.core.staff import GENERAL, member_of
from bot.tickets.relay import MAX_RELAY_BYTES
from bot.tickets.staff_side import StaffSide
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
    tickets: StaffSide,
    applications: StaffCommands,
    inflight: InFlight,
) -> None:
    user = message.from_user
    thread = message.message_thread_id
    if user is not None and not user.is_bot and is_command(message.text or ""):
        answer = await inflight.run(
            lambda: applications.command(
                Channel.TELEGRAM,
                str(user.id),
                message.text or "",
                f"staff:{event_update.update_id}",
                clock.now(),
            )
        )
        if answer is not None:
            with suppress(TelegramBadRequest):
                await message.answer(answer)
        return
    if user is None or user.is_bot or not message.is_topic_message or thread is None:
        return  # the general topic, service messages, other bots
    text = clean_text(message.text or message.caption or "")
    files = file_refs(message)
    if not text and not files:
        return

    async def fetch(ref: FileRef) -> Attachment | None:
        return await download(bot, ref)

    await inflight.run(
        lambda: tickets.staff_message(
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
    query: CallbackQuery, bot: Bot, tickets: StaffSide, inflight: InFlight
) -> None:
    async def fetch(ref: FileRef) -> Attachment | None:
        return await download(bot, ref)

    notice = await inflight.run(
        lambda: tickets.staff_action(
            Channel.TELEGRAM, str(query.from_user.id), query.data or "", clock.now(), fetch
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
    """Outbox channel "staff" (bot.core.staff): the staff chat itself for GENERAL, a member's
    private chat for "member:<id>", else a ticket number, whose forum topic is created on its
    first message (the card), so topics are made in ticket order."""

    def __init__(self, bot: Bot, chat_id: int, tickets: StaffSide) -> None:
        super().__init__(bot)
        self.chat_id = chat_id
        self.tickets = tickets

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        colleague = member_of(chat_id)
        with delivery_errors():
            if chat_id == GENERAL:
                await self._send(self.chat_id, reply, progress)
            elif colleague is not None:
                await self._send(int(colleague), reply, progress)
            else:
                await self._send_to_topic(int(chat_id), reply, progress)

    async def _send_to_topic(self, number: int, reply: Reply, progress: Progress | None) -> None:
        thread, name = await self.tickets.topic(number)
        if thread is None:
            topic = await self.bot.create_forum_topic(self.chat_id, name)
            thread = topic.message_thread_id
            await self.tickets.set_topic(number, thread)
        await self._send(self.chat_id, reply, progress, message_thread_id=thread)
