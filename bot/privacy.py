"""Scrubbing personal data out of free text that is kept for analysis (unanswered questions).

Numbers of three or more digits (passport, phone, application numbers), e-mail addresses and
links are replaced; the question itself stays readable for a moderator."""

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
# Digit groups joined by spaces, dashes, brackets or dots are one number: "+7 (912) 345-67-89".
_NUMBER = re.compile(r"\+?\d[\d\s()./-]*\d")


def scrub(text: str) -> str:
    text = _EMAIL.sub("[e-mail]", text)
    text = _LINK.sub("[ссылка]", text)
    return _NUMBER.sub(lambda m: "[№]" if sum(c.isdigit() for c in m[0]) >= 3 else m[0], text)
