"""Groups the bot is in: comments in the channel's discussion group (replies to the post the
channel forwarded there) and mentions of the bot become tickets when they need an answer,
like VK wall comments, and the receipt and the staff answer are posted as replies to that
message. This module detects and translates; bot/tickets/ decides."""

from aiogram import Bot, F, Router
from aiogram.types import Message, ReplyParameters

from bot.core import clock
from bot.core.inflight import InFlight
from bot.core.messages import Channel, Reply, clean_text
from bot.core.outbox import Progress
from bot.tickets.relay import TG_GROUP, address, parse_address
from bot.tickets.sla import COMMENT, MENTION
from bot.tickets.staff_side import StaffSide
from handlers.telegram.sender import TelegramSender, delivery_errors


def group_ticket(message: Message, bot_id: int, bot_username: str) -> tuple[str, str] | None:
    """(kind, text) for a group message that asks for an answer, else None."""
    user = message.from_user
    text = clean_text(message.text or message.caption or "")
    if user is None or user.is_bot or not text:
        return None
    replied = message.reply_to_message
    if replied is not None and replied.is_automatic_forward:
        return COMMENT, text
    handle = f"@{bot_username}".lower()
    for entity in message.entities or message.caption_entities or ():
        if entity.type == "mention" and entity.extract_from(text).lower() == handle:
            return MENTION, text
        if entity.type == "text_mention" and entity.user and entity.user.id == bot_id:
            return MENTION, text
    return None


def build_router(staff_chat_id: int | None) -> Router:
    router = Router(name="groups")
    router.message.filter(F.chat.type.in_({"group", "supergroup"}))
    if staff_chat_id is not None:
        router.message.filter(F.chat.id != staff_chat_id)
    router.message.register(on_message)
    return router


async def on_message(message: Message, bot: Bot, tickets: StaffSide, inflight: InFlight) -> None:
    me = await bot.me()
    found = group_ticket(message, me.id, me.username or "")
    if found is None or message.from_user is None:
        return
    kind, text = found
    author = str(message.from_user.id)
    reply_to = address(message.chat.id, message.message_id)
    await inflight.run(
        lambda: tickets.public_ticket(
            Channel.TELEGRAM, author, kind, text, TG_GROUP, reply_to, clock.now()
        )
    )


class GroupReplySender(TelegramSender):
    """Outbox channel "tg_group": the chat id is "<group chat>_<message>" to reply to."""

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        group, message_id = parse_address(chat_id)
        with delivery_errors():
            reply_to = ReplyParameters(message_id=message_id)
            await self._send(group, reply, progress, reply_parameters=reply_to)
