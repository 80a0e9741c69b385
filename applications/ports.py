"""What the applications feature needs from elsewhere, handed in by the assembly."""

from typing import Protocol


class ServiceTitle(Protocol):
    def __call__(self, service: str, locale: str) -> str | None:
        """A service id's title for people (from the scenarios), or None for one not known."""
        ...
