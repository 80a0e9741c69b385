"""The neutral message types between the core and the messenger adapters."""

import re
from base64 import b64decode, b64encode
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    TELEGRAM = "telegram"
    VK = "vk"
    CONSOLE = "console"


class Unsupported(StrEnum):
    """Kinds of input the bot cannot read; each gets a polite explanation."""

    STICKER = "sticker"
    PHOTO = "photo"
    VOICE = "voice"
    VIDEO = "video"
    FILE = "file"
    LOCATION = "location"
    CONTACT = "contact"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file a person or staff member sent: kind ("photo" or "document"), the channel's id
    for it (a Telegram file_id, or for VK the download URL) and the file's name."""

    kind: str
    file_id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Incoming:
    channel: str
    user_id: str
    chat_id: str
    text: str = ""
    action: str | None = None
    unsupported: Unsupported | None = None
    # The messenger's language hint (Telegram language_code); used only for a person's first visit.
    locale: str | None = None
    # The channel's id of this delivery; equal ids are one update delivered twice.
    update_id: str | None = None
    # Files that came with the message; only features with `accepts_files` read them.
    files: tuple[FileRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "user_id": self.user_id,
            "chat_id": self.chat_id,
            "text": self.text,
            "action": self.action,
            "unsupported": self.unsupported,
            "locale": self.locale,
            "update_id": self.update_id,
            "files": [[f.kind, f.file_id, f.name] for f in self.files],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Incoming":
        unsupported = data.get("unsupported")
        files = tuple(FileRef(*file) for file in data.get("files") or ())
        return cls(
            **{
                **data,
                "unsupported": Unsupported(unsupported) if unsupported else None,
                "files": files,
            }
        )


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    action: str


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    attachment: Attachment | None = None
    # Files the channel can send by reference (relayed between a person and staff).
    files: tuple[FileRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "buttons": [[[b.text, b.action] for b in row] for row in self.buttons],
        }
        if self.files:
            data["files"] = [[f.kind, f.file_id, f.name] for f in self.files]
        if self.attachment is not None:
            data["attachment"] = {
                "filename": self.attachment.filename,
                "content": b64encode(self.attachment.content).decode(),
                "mime_type": self.attachment.mime_type,
            }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Reply":
        file = data.get("attachment")
        return cls(
            text=data["text"],
            buttons=tuple(tuple(Button(t, a) for t, a in row) for row in data.get("buttons", [])),
            attachment=Attachment(file["filename"], b64decode(file["content"]), file["mime_type"])
            if file
            else None,
            files=tuple(FileRef(*ref) for ref in data.get("files", ())),
        )


def buttons(*rows: list[Button] | Button) -> tuple[tuple[Button, ...], ...]:
    """Rows of buttons; a lone Button is a row of its own."""
    return tuple((row,) if isinstance(row, Button) else tuple(row) for row in rows)


def split_text(text: str, limit: int) -> list[str]:
    """Cut a text into messages of at most `limit` characters, so a long answer arrives whole
    in channels that cap message length: at a paragraph break where one falls in the second
    half of the part, else at a line break, a sentence's end, a space; mid-word only when a
    "word" is longer than the part."""
    parts: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = -1
        for boundary in _BOUNDARIES:
            found = [m.end() for m in boundary.finditer(window) if m.end() > limit // 2]
            if found:
                cut = found[-1]
                break
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return [part for part in parts if part] or [""]


# Where a long text may be cut, best first; each match ends where the next part begins.
_BOUNDARIES = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"[.!?…;]+[)»\"']*\s"),
    re.compile(r"\s"),
)


# Control characters other than tab and newline, and the invisible format characters (bidi
# overrides and marks, zero-width spaces, soft hyphens, BOM): PostgreSQL refuses NUL, and the
# rest make a name or message display differently from what it says. The zero-width joiner
# stays: emoji sequences use it.
_UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def clean_text(text: str) -> str:
    """Free text as the bot keeps and checks it: without invisible or control characters."""
    return _UNSAFE_CHARS.sub("", text)
