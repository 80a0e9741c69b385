"""Application numbers and check codes as people type them, and the code's keyed hash: a
copy of the database alone does not give the codes (HMAC-SHA256 under a key derived from
SECRET_KEY, with the number, so one code gives two applications different hashes)."""

import hashlib
import hmac
import re
import secrets

from applications.models import NUMBER_LIMIT

# The office's numbers: letters, digits and the separators its systems use ("12-345/2026").
_NUMBER = re.compile(rf"^[0-9A-ZА-ЯЁ][0-9A-ZА-ЯЁ./-]{{0,{NUMBER_LIMIT - 1}}}$")
_CODE = re.compile(r"^[0-9A-Z]{4,32}$")
GENERATED_DIGITS = 8
_LABEL = b"priemnaya application check code v1"


def number(text: str) -> str | None:
    """The number as stored ("№ 12-345 " → "12-345"), or None when it cannot be one."""
    cleaned = text.strip().lstrip("№N").strip().replace(" ", "").upper()
    return cleaned if _NUMBER.match(cleaned) else None


def code(text: str) -> str | None:
    """The code as compared: spaces and dashes dropped, letters in capitals."""
    cleaned = re.sub(r"[\s-]", "", text).upper()
    return cleaned if _CODE.match(cleaned) else None


def new_code() -> str:
    return f"{secrets.randbelow(10**GENERATED_DIGITS):0{GENERATED_DIGITS}d}"


class CodeKey:
    def __init__(self, secret: str) -> None:
        self._key = hmac.new(secret.encode(), _LABEL, hashlib.sha256).digest()

    def hash(self, application_number: str, check_code: str) -> str:
        message = f"{application_number}\0{check_code}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def matches(self, application_number: str, check_code: str, stored: str) -> bool:
        return hmac.compare_digest(self.hash(application_number, check_code), stored)
