"""What the applications feature needs from elsewhere, handed in by the assembly."""

from typing import Protocol


class ReadWording(Protocol):
    def __call__(self, text: str) -> str | None:
        """What the communication rules would have the employee look at again in a note to
        the person, one finding a line; None for a clean note."""
        ...


class ServiceTitle(Protocol):
    def __call__(self, service: str, locale: str) -> str | None:
        """A service id's title for people (from the scenarios), or None for one not known."""
        ...
