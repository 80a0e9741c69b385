"""What the booking dialogue keeps in `conversation.data`, declared: one dataclass per flow.
Rows in the database hold these keys and step names, so a restart (or this code's next
version) resumes people where they were: never rename them."""

from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, Self

# conversation.step values while booking owns the conversation
OFFICE, SERVICE, DAY, TIME, CONSENT = "office", "service", "day", "time", "consent"
SURNAME, NAME, PATRONYMIC, DOC_TYPE, DOC_NUMBER = "surname", "name", "patronymic", "doc", "docno"
PLATE, PHONE, EMAIL, SUMMARY = "plate", "phone", "email", "summary"


@dataclass(kw_only=True)
class Pick:
    """Where and when: what choosing a slot keeps, in a new booking and in a move alike."""

    office: str | None = None
    service: str | None = None
    day: str | None = None  # the chosen day's code (actions.DAY_FORMAT)
    start: str | None = None  # the chosen slot's code (actions.SLOT_FORMAT)
    hold: int | None = None  # the held seat's booking row
    held_until: str | None = None  # ISO time the hold ends, as the summary promised it
    # The day screen leads back to the office's other services (a move keeps its service).
    other_services: ClassVar[bool] = True

    def to_dict(self) -> dict[str, Any]:
        """Today's keys; a field not set is left out, as the dialogue always did."""
        return {key: value for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Keys of another flow (a move's "move" read as a new booking) are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})


@dataclass(kw_only=True)
class Draft(Pick):
    """A new booking on its way through the form."""

    consent: bool | None = None
    p: str | None = None  # the form's personal fields, sealed (crypto.py)
    filled: bool | None = None  # the summary was reached: another time goes straight back
    doc: str | None = None  # form.DocType of the pass document


@dataclass(kw_only=True)
class Moving(Pick):
    """An existing booking being moved to another slot of its service."""

    move: int  # the booking's id
    other_services: ClassVar[bool] = False

    @staticmethod
    def applies(data: dict[str, Any]) -> bool:
        return "move" in data
