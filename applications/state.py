"""What linking an application keeps in `conversation.data` between the number and the code
(the code itself is never kept). Rows hold these keys and steps: never rename them."""

from dataclasses import asdict, dataclass
from typing import Any, Self

NUMBER = "number"  # conversation.step: the number is asked
CODE = "code"  # the code is asked for `Linking.number`


@dataclass(frozen=True)
class Linking:
    number: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self | None:
        number = data.get("number")
        return cls(number) if isinstance(number, str) else None
