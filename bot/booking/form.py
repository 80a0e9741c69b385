"""Checks of what people type into the booking form. Each returns the cleaned value, or
raises Invalid with the catalog key of a plain explanation to re-ask with."""

import re
from enum import StrEnum

NAME_MAX = 50
# Letters of Russian and Latin, with the hyphen, apostrophe and space that real names use;
# no digits, markup (< > * _ ` [ ]) or emoji.
_NAME = re.compile(r"^[A-Za-zА-Яа-яЁё]+(?:[ '’-][A-Za-zА-Яа-яЁё]+)*$")
_RU_PASSPORT = re.compile(r"^\d{10}$")
_FOREIGN = re.compile(r"^[A-Za-zА-Яа-яЁё0-9]{5,20}$")
_OTHER_DOC = re.compile(r"^[A-Za-zА-Яа-яЁё0-9№ -]{3,30}$")
# Russian plates use these Cyrillic letters; people often type their Latin look-alikes.
_LATIN_TO_CYRILLIC = str.maketrans("ABEKMHOPCTYX", "АВЕКМНОРСТУХ")
_PLATE = re.compile(r"^[А-ЯA-Z0-9]{5,12}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


class DocType(StrEnum):
    """The identity documents a pass can be made on (values are stored in bookings.doc_type)."""

    RU = "ru"
    FOREIGN = "foreign"
    OTHER = "other"


class Invalid(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def name(text: str) -> str:
    value = _squeeze(text)
    if len(value) > NAME_MAX:
        raise Invalid("booking-bad-name-long")
    if not _NAME.match(value):
        raise Invalid("booking-bad-name")
    return value


def document(doc_type: str, text: str) -> str:
    value = _squeeze(text)
    if doc_type == "ru":
        digits = value.replace(" ", "")
        if not _RU_PASSPORT.match(digits):
            raise Invalid("booking-bad-passport")
        return f"{digits[:4]} {digits[4:]}"
    if doc_type == "foreign":
        compact = value.replace(" ", "").replace("-", "")
        if not _FOREIGN.match(compact):
            raise Invalid("booking-bad-foreign")
        return compact.upper()
    if not _OTHER_DOC.match(value):
        raise Invalid("booking-bad-other-doc")
    return value


def plate(text: str) -> str:
    value = text.upper().replace(" ", "").replace("-", "").translate(_LATIN_TO_CYRILLIC)
    if not _PLATE.match(value):
        raise Invalid("booking-bad-plate")
    return value


def phone(text: str) -> str:
    value = re.sub(r"[\s()\-]", "", text)
    if not re.fullmatch(r"\+?\d{10,15}", value):
        raise Invalid("booking-bad-phone")
    digits = value.lstrip("+")
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]  # 8-912-... is the domestic form of +7-912-...
    elif len(digits) == 10:
        digits = "7" + digits
    return "+" + digits


def email(text: str) -> str:
    value = text.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise Invalid("booking-bad-email")
    return value


def masked(number: str) -> str:
    """A document number as the summary shows it: the last four characters only."""
    tail = number.replace(" ", "")[-4:]
    return f"…{tail}"
