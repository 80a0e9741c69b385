"""The register's vocabulary and the shape of its YAML: the six directions of the form, the
client needs from the regulations' closed list, digital or offline, and a process with its
touchpoints as the office writes it."""

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from bot.core.content import Line, Strict

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]


class Direction(StrEnum):
    """The form's groups, in the form's order."""

    SERVICES = "services"
    CONTROL = "control"
    APPEALS = "appeals"
    INFORMATION = "information"
    INTERNAL = "internal"
    OTHER = "other"

    @property
    def label(self) -> str:
        return DIRECTION_LABELS[self]


DIRECTION_LABELS = {
    Direction.SERVICES: "Предоставление государственных услуг",
    Direction.CONTROL: "Государственный контроль (надзор)",
    Direction.APPEALS: "Рассмотрение обращений и запросов",
    Direction.INFORMATION: "Обеспечение доступа к информации о деятельности",
    Direction.INTERNAL: "Организация отношений с внутренним клиентом",
    Direction.OTHER: "Иные функции",
}


class Need(StrEnum):
    """What a client comes to a touchpoint for: the regulations' closed list, in its order."""

    INFORMATION = "information"
    CONSULTATION = "consultation"
    FORMS = "forms"
    APPLY = "apply"
    PROGRESS = "progress"
    RESULT = "result"
    FEEDBACK = "feedback"
    FEEDBACK_RESULT = "feedback_result"

    @property
    def label(self) -> str:
        return NEED_LABELS[self]


NEED_LABELS = {
    Need.INFORMATION: "получение информации",
    Need.CONSULTATION: "получение консультации",
    Need.FORMS: "получение форм документов",
    Need.APPLY: "подача заявления (обращения)",
    Need.PROGRESS: "получение информации о ходе рассмотрения",
    Need.RESULT: "получение результата",
    Need.FEEDBACK: "предоставление обратной связи",
    Need.FEEDBACK_RESULT: "получение результата рассмотрения обратной связи",
}


class Kind(StrEnum):
    DIGITAL = "digital"
    OFFLINE = "offline"

    @property
    def label(self) -> str:
        return "Цифровая точка" if self is Kind.DIGITAL else "Офлайн-точка"


Needs = Annotated[tuple[Need, ...], Field(min_length=1)]
# Interaction-log events that count as a use: "faq.answer", or "open:info" for an event
# with that ref.
Event = Annotated[str, Field(pattern=r"^[a-z_.]+(:[a-z0-9_.]+)?$")]


class TouchpointEntry(Strict):
    """One touchpoint of one process, as the office writes it."""

    id: Key
    name: Line
    kind: Kind
    needs: Needs
    interaction: str = ""  # what is done there, beyond the needs
    features: str = ""  # hours, who may use it, what it takes
    events: tuple[Event, ...] = ()


class ProcessEntry(Strict):
    """A process of the office and the touchpoints a client meets in it."""

    process: Key
    direction: Direction
    name: Line
    touchpoints: tuple[TouchpointEntry, ...] = Field(min_length=1)


class ProcessFile(Strict):
    processes: tuple[ProcessEntry, ...] = Field(min_length=1)
