"""Personal data at rest: a Fernet key derived from SECRET_KEY with HKDF, so a database copy
alone reveals no document numbers, phones or e-mails."""

import json
from base64 import urlsafe_b64encode
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Another purpose of SECRET_KEY (e.g. survey anonymity) derives with another label.
_LABEL = b"priemnaya booking personal data v1"


class Vault:
    def __init__(self, secret: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_LABEL).derive(
            secret.encode()
        )
        self._fernet = Fernet(urlsafe_b64encode(key))

    def seal(self, data: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()

    def open(self, token: str | None) -> dict[str, Any]:
        """The sealed fields; {} for none, or for a token sealed with another SECRET_KEY."""
        if not token:
            return {}
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            return {}
