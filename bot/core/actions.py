"""Typed action codes: what a button sends back. Each kind of button is declared once (prefix,
verb, typed fields) and packs to the strings already in people's chats ("booking:t:202603111000");
unpacking is the one place a stale or forged payload is turned away."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

SEP = ":"
# Telegram's callback_data holds 64 bytes, a VK payload 255 characters: a code must fit both.
MAX_TELEGRAM_BYTES = 64
MAX_VK_CHARS = 255
# Ids: ASCII digits only ("²".isdigit() is true) and short enough for any integer column.
MAX_ID_DIGITS = 9

Field = Callable[[str], Any]


class StaleAction(Exception):
    """A button that no longer fits the person's state, or a forged payload."""


def integer(value: str) -> int:
    """A numeric id or index; StaleAction for anything else."""
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_ID_DIGITS:
        raise StaleAction(value)
    return int(value)


def word(value: str) -> str:
    """A short name (a topic id, a feature, a locale): ASCII letters, digits, "_" and "-"."""
    if not value or not value.isascii() or not value.replace("_", "").replace("-", "").isalnum():
        raise StaleAction(value)
    return value


def digits(length: int) -> Field:
    """A fixed-length string of digits kept as text (a document number's leading zeros)."""

    def parse(value: str) -> str:
        if len(value) != length or not (value.isascii() and value.isdigit()):
            raise StaleAction(value)
        return value

    return parse


def choice(enum: type[StrEnum]) -> Field:
    def parse(value: str) -> StrEnum:
        try:
            return enum(value)
        except ValueError:
            raise StaleAction(value) from None

    return parse


def code(*parts: object) -> str:
    """Join parts into a code, checked against both messengers' limits."""
    text = SEP.join(str(part) for part in parts)
    if len(text.encode()) > MAX_TELEGRAM_BYTES or len(text) > MAX_VK_CHARS:
        raise ValueError(
            f"action {text[:20]!r}... is longer than {MAX_TELEGRAM_BYTES} bytes"
            f" or {MAX_VK_CHARS} characters"
        )
    return text


@dataclass(frozen=True)
class Parsed:
    """A code split into its prefix (a feature, or "go"), verb and raw fields."""

    prefix: str
    verb: str
    args: tuple[str, ...]


def parse(text: str) -> Parsed:
    prefix, _, verb_and_args = text.partition(SEP)
    verb, *args = verb_and_args.split(SEP) if verb_and_args else ("",)
    return Parsed(prefix, verb, tuple(args))


class Action:
    """One kind of button: `prefix:verb` followed by typed fields. `pack` builds the code (a
    value its own field would refuse is a bug, so ValueError), `unpack` reads the fields back
    (StaleAction when they do not fit)."""

    def __init__(self, prefix: str, verb: str, *fields: Field) -> None:
        self.prefix = prefix
        self.verb = verb
        self.fields = fields

    def pack(self, *values: object) -> str:
        if len(values) != len(self.fields):
            raise ValueError(f"{self}: {len(self.fields)} fields, got {len(values)}")
        raw = [str(value) for value in values]
        for field, value in zip(self.fields, raw, strict=True):
            try:
                field(value)
            except StaleAction:
                raise ValueError(f"{self}: {value!r} does not fit its field") from None
        return code(self.prefix, self.verb, *raw)

    def unpack(self, args: Sequence[str]) -> tuple[Any, ...]:
        if len(args) != len(self.fields):
            raise StaleAction(f"{self}: {len(args)} fields")
        return tuple(field(value) for field, value in zip(self.fields, args, strict=True))

    def matches(self, parsed: Parsed) -> bool:
        return parsed.prefix == self.prefix and parsed.verb == self.verb

    def __str__(self) -> str:
        return f"{self.prefix}{SEP}{self.verb}"
