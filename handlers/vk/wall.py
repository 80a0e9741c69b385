"""The community wall: comments under its posts (2 h) and mentions of the community (4 h)
that need an answer become tickets (thanks, emoji, stickers and spam do not: see
bot/tickets/public/triage.py); the receipt and the staff reply are posted under them with
wall.createComment. This module detects and translates; bot/tickets/ decides."""

import re
from typing import Any

from vkbottle import API
from vkbottle.bot import BotLabeler

from bot.core import clock
from bot.core.inflight import InFlight
from bot.core.messages import Channel, Reply, clean_text
from bot.core.outbox import Progress
from bot.tickets.relay import VK_WALL, address, parse_address
from bot.tickets.sla import COMMENT, MENTION
from bot.tickets.staff_side import StaffSide
from handlers.vk.sender import VKSender, delivery_errors

_MENTION = re.compile(r"\[club(\d+)\|")


def wall_ticket(event: dict[str, Any], group_id: int) -> tuple[str, str, str, str] | None:
    """(kind, author id, text, reply address) for a wall event that asks for an answer."""
    obj = event.get("object") or {}
    author, text = obj.get("from_id"), clean_text(str(obj.get("text") or ""))
    if not isinstance(author, int) or author <= 0:
        return None  # the community's own posts and replies, or another community
    mentioned = str(group_id) in _MENTION.findall(text)
    if event.get("type") == "wall_reply_new":
        owner = obj.get("owner_id", obj.get("post_owner_id"))
        if owner == -group_id:
            kind = COMMENT
        elif mentioned:
            kind = MENTION
        else:
            return None
        return kind, str(author), text, address(owner, obj["post_id"], obj["id"])
    if event.get("type") == "wall_post_new" and mentioned:
        return MENTION, str(author), text, address(obj["owner_id"], obj["id"], 0)
    return None


def wall_labeler(group_id: int, tickets: StaffSide, inflight: InFlight) -> BotLabeler:
    labeler = BotLabeler()

    async def on_wall(event: dict[str, Any]) -> None:
        found = wall_ticket(event, group_id)
        if found is None:
            return
        kind, author, text, reply_to = found
        await inflight.run(
            lambda: tickets.public_ticket(
                Channel.VK, author, kind, text, VK_WALL, reply_to, clock.now()
            )
        )

    labeler.raw_event(["wall_reply_new", "wall_post_new"], dict)(on_wall)
    return labeler


class VKWallSender(VKSender):
    """Outbox channel "vk_wall": the chat id is "<owner>_<post>_<comment>" (0: the post)."""

    def __init__(self, api: API, group_id: int) -> None:
        super().__init__(api)
        self.group_id = group_id

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        owner, post, comment = parse_address(chat_id)
        with delivery_errors():
            await self.api.wall.create_comment(
                owner_id=owner,
                post_id=post,
                message=reply.text,
                from_group=self.group_id,
                reply_to_comment=comment or None,
            )
