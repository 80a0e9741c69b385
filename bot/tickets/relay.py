"""What the tickets need from the messengers, as plain types: the outbox channels of public
answers, a staff member's identity, and a way to fetch a staff member's file as bytes."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.messages import Attachment, FileRef

# Outbox channels of answers given in public (staff are reached through bot.core.staff.STAFF):
# chat_id is "<owner>_<post>_<comment>" for VK_WALL (comment 0: the post itself) and
# "<group chat>_<message>" for TG_GROUP.
VK_WALL = "vk_wall"
TG_GROUP = "tg_group"
# Ticket sources answered in public, under the message, and the outbox channel for each.
SOURCE_CHANNEL = {VK_WALL: VK_WALL, TG_GROUP: TG_GROUP}

# Files larger than this are not copied between messengers (Telegram's bots download 20 MB).
MAX_RELAY_BYTES = 20 * 1024 * 1024

FileFetcher = Callable[[FileRef], Awaitable[Attachment | None]]


@dataclass(frozen=True)
class StaffRef:
    """A member of staff acting in the staff chat: their messenger id and audit name, the
    channel they write in (its file ids can be resent as they are; "" from the terminal), and
    their position for the signature under their answers."""

    external_id: str
    name: str
    supervisor: bool = False
    channel: str = ""
    position: str = ""

    @property
    def author(self) -> str:
        """Who wrote, as the missing-documents notice keeps it ("channel:id")."""
        return f"{self.channel}:{self.external_id}"


def address(*parts: int | str) -> str:
    return "_".join(str(part) for part in parts)


def parse_address(chat_id: str) -> list[int]:
    return [int(part) for part in chat_id.split("_")]
