"""Hiding personal data in free text.

`mask` is for text a person writes to staff (tickets): it hides document numbers (passport
series and number, СНИЛС, ИНН, any other run of ten or more digits such as a bank card),
phone numbers and e-mail addresses, and leaves what staff need to read the question: dates,
times, sums, short numbers ("№12", "2 часа", "заявление 12345"), and an application's number
when the person names it as one ("заявление № 1234567890").

`scrub` is stricter, for text kept for analysis with no person behind it (unanswered
questions, rating comments): every number of three or more digits and every link goes too.
`hide_names` takes out the names a person typed into a form, for the same kind of text."""

import re
from collections.abc import Iterable

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_TICKET_DATA = re.compile(
    rf"(?P<email>{_EMAIL})"
    # An application's number, named as such, is what staff look the case up by.
    r"|(?P<application>\b(?:заявлени|заявк)\w*\s*(?:номер\s*)?(?:№\s*)?\d+(?:[ -]\d+)*)"
    # A number after the document's name, however short: "паспорт 123456", "ИНН 7707...".
    r"|(?P<doc_word>\b(?:паспорт|снилс|инн|серия|полис|удостоверени)\w*[\s:№N.-]*)"
    r"(?P<doc_no>\d{2} ?\d{2}\s*(?:номер|№|N)?\s*\d{6}(?!\d)|\d(?:[ -]?\d){3,})"
    # Russian phones: with +7, 7 or 8 in front, an area code in brackets, or a mobile 9xx.
    r"|(?P<phone>(?<![\w+])(?:(?:\+7|8|7)[\s-]*\(?\d{3}\)?|\(\d{3}\)|9\d{2})"
    r"[\s-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d))"
    r"|(?P<passport>(?<!\d)\d{2} ?\d{2}\s*(?:номер|№|N)?\s*\d{6}(?!\d))"
    r"|(?P<snils>(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{3}[ -]?\d{2}(?!\d))"
    # Foreign phones ("+375 29 ...") and long numbers: ИНН, cards, accounts. Not from a "№":
    # "№12 4510 123456" is a reference number followed by a passport.
    r"|(?P<long>(?<![\d+№])\+?\d(?:[ -]?\d){9,})",
    re.IGNORECASE,
)
# A Russian phone's digits: what an "application number" must not be.
_PHONE_SHAPED = re.compile(r"^(?:[78]\d{10}|9\d{9})$")
HIDDEN_NUMBER = "[номер скрыт]"
HIDDEN_PHONE = "[телефон скрыт]"
HIDDEN_EMAIL = "[e-mail скрыт]"


def mask(text: str, *, keep_contacts: bool = False) -> str:
    """Hide document numbers, phones and e-mails; with `keep_contacts`, only documents."""

    def hide(match: re.Match[str]) -> str:
        if match["email"]:
            return match[0] if keep_contacts else HIDDEN_EMAIL
        if match["phone"] or (match["long"] and match[0].startswith("+")):
            return match[0] if keep_contacts else HIDDEN_PHONE
        if match["application"]:
            digits = re.sub(r"\D", "", match[0])
            if not _PHONE_SHAPED.match(digits) or keep_contacts:
                return match[0]
            number_at = re.search(r"\d", match[0])
            assert number_at is not None
            return match[0][: number_at.start()] + HIDDEN_PHONE  # "заявка 8912…" is a phone
        if match["doc_word"]:
            return match["doc_word"] + HIDDEN_NUMBER
        return HIDDEN_NUMBER

    return _TICKET_DATA.sub(hide, text)


_EMAIL_ANYWHERE = re.compile(_EMAIL)
_LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
# Digit groups joined by spaces, dashes, brackets or dots are one number: "+7 (912) 345-67-89".
_NUMBER = re.compile(r"\+?\d[\d\s()./-]*\d")


def scrub(text: str) -> str:
    text = _EMAIL_ANYWHERE.sub("[e-mail]", text)
    text = _LINK.sub("[ссылка]", text)
    return _NUMBER.sub(lambda m: "[№]" if sum(c.isdigit() for c in m[0]) >= 3 else m[0], text)


HIDDEN_NAME = "[имя]"
# A name's last vowel (or й, ь) changes with its case: "Анна", "Анне", "Анной".
_ENDING = re.compile(r"[аяоеёыиуюйь]$", re.IGNORECASE)
# What a declined name may add to its stem.
_CASE_ENDING = r"[^\W\d_]{0,3}"


def hide_names(text: str, names: Iterable[str]) -> str:
    """Each word of `names` (a surname, a first name typed into a form) becomes "[имя]", in any
    letter case, е or ё, and with any case ending ("Анне", "Ивановой"); a short name ("Ян",
    "Ия") only as it is. Errs on the side of hiding: "Роман" hides "романа" too."""
    words = {word for name in names for word in re.split(r"[\s'’-]+", name) if len(word) > 1}
    if not words:
        return text

    def variant(word: str) -> str:
        stem = _ENDING.sub("", word)
        pattern = re.escape(stem) + _CASE_ENDING if len(stem) >= 3 else re.escape(word)
        return re.sub("[её]", "[её]", pattern, flags=re.IGNORECASE)

    variants = "|".join(variant(word) for word in sorted(words, key=len, reverse=True))
    return re.sub(rf"(?<!\w)(?:{variants})(?!\w)", HIDDEN_NAME, text, flags=re.IGNORECASE)
