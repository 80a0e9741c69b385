"""Translation between vkbottle messages and the core's neutral messages."""

import json
from typing import Any

from vkbottle import Keyboard, Text
from vkbottle.bot import Message

from bot.core.messages import Button, Channel, FileRef, Incoming, Reply, Unsupported

CHAT_PEER_OFFSET = 2_000_000_000  # peer ids above this are group chats, not people
LABEL_LIMIT = 40  # VK cuts button labels longer than this
INLINE_MAX_ROWS = 6
INLINE_MAX_BUTTONS = 10
KEYBOARD_MAX_ROWS = 10  # a regular keyboard: 10 rows of at most 5, 40 buttons in all
KEYBOARD_MAX_BUTTONS = 40

ATTACHMENT_KINDS = {
    "sticker": Unsupported.STICKER,
    "photo": Unsupported.PHOTO,
    "audio_message": Unsupported.VOICE,
    "audio": Unsupported.VOICE,
    "video": Unsupported.VIDEO,
    "doc": Unsupported.FILE,
}


def from_message(message: Message) -> Incoming:
    unsupported = None
    if message.attachments or message.geo:
        first = message.attachments[0].type.value if message.attachments else "geo"
        unsupported = ATTACHMENT_KINDS.get(
            first, Unsupported.LOCATION if first == "geo" else Unsupported.OTHER
        )
    payload = _payload(message.payload)
    text = message.text or ""
    action = None
    if isinstance(payload.get("a"), str):
        action = payload["a"]
    elif payload.get("command") == "start":  # VK's own "Начать" button
        text = "/start"
    return Incoming(
        channel=Channel.VK,
        user_id=str(message.from_id),
        chat_id=str(message.peer_id),
        text="" if action else text,
        action=action,
        unsupported=None if action else unsupported,
        # VK tells nothing of the app's language; Russian first, the menu offers English.
        locale=None,
        # Stable across redeliveries of the same message, unlike the event envelope.
        update_id=f"{message.peer_id}:{message.conversation_message_id}",
        files=() if action else file_refs(message),
    )


def file_refs(message: Message) -> tuple[FileRef, ...]:
    """Photos (largest size) and documents by download URL: VK has no file id a bot could
    resend elsewhere, and the staff chat in Telegram fetches the URL."""
    refs = []
    for attachment in message.attachments or []:
        if attachment.photo and attachment.photo.sizes:
            largest = max(attachment.photo.sizes, key=lambda size: size.width * size.height)
            refs.append(FileRef("photo", largest.url, "photo.jpg"))
        elif attachment.doc and attachment.doc.url:
            refs.append(FileRef("document", attachment.doc.url, attachment.doc.title or "file"))
    return tuple(refs)


def _payload(raw: str | None) -> dict[str, Any]:
    # Anyone can send any payload through the API: treat it as untrusted text.
    if not raw:
        return {}
    try:
        payload = json.loads(raw)
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def keyboard(reply: Reply) -> str | None:
    """An inline keyboard within VK's limits; a big menu becomes a regular keyboard."""
    if not reply.buttons:
        return None
    rows: list[tuple[Button, ...]] = list(reply.buttons)
    flat = [button for row in rows for button in row][:KEYBOARD_MAX_BUTTONS]
    inline = len(flat) <= INLINE_MAX_BUTTONS
    max_rows = INLINE_MAX_ROWS if inline else KEYBOARD_MAX_ROWS
    if len(rows) > max_rows or len(flat) < sum(len(row) for row in rows):
        # Too many rows (a day of time slots): pack the buttons evenly into fewer rows.
        per_row = -(-len(flat) // max_rows)
        rows = [tuple(flat[i : i + per_row]) for i in range(0, len(flat), per_row)]
    board = Keyboard(inline=inline, one_time=False)
    for index, row in enumerate(rows):
        if index:
            board.row()
        for button in row:
            board.add(Text(_label(button.text), payload={"a": button.action}))
    return board.get_json()


def _label(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"
