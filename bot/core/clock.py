"""The one source of "now". Production reads the system clock; tests pin an instant.

Everything that needs the current time calls `clock.now()` (aware UTC) or `clock.today(tz)`,
never `datetime.now()` or `date.today()`, so a test can put the whole bot, timers and outbox
included, on a chosen Tuesday morning or New Year's Eve whatever the real date is.
"""

import time
from datetime import UTC, date, datetime, timedelta, tzinfo


class Clock:
    """The system clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class PinnedClock(Clock):
    """Starts at a chosen instant and runs on at real speed, so timeouts and retries still
    elapse; `set` and `advance` jump it."""

    def __init__(self, start: datetime) -> None:
        self.set(start)

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("a pinned instant needs a time zone")
        self._start = instant.astimezone(UTC)
        self._since = time.monotonic()

    def advance(self, delta: timedelta) -> None:
        self.set(self.now() + delta)

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._since)


_current: Clock = Clock()


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return _current.now()


def today(tz: tzinfo) -> date:
    """Today's date in zone `tz` (the office's day, not the server's)."""
    return _current.now().astimezone(tz).date()


def install(clock: Clock) -> Clock:
    """Make `clock` the source of "now"; returns the one it replaces."""
    global _current
    previous, _current = _current, clock
    return previous
