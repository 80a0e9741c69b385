"""What a notice looks like: pure functions from data to `Reply`. The person's notice says what
is missing and the two ways forward the rule names; staff are reminded in Russian."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.feature import go
from bot.core.messages import Button, Reply
from bot.core.staff import STAFF_LOCALE

BOOKING = "booking"  # the feature a new visit is booked in (go:booking)


def notice(locale: str, origin: str, ref: int, text: str, send_docs: str) -> Reply:
    body = texts.text(locale, "missing-notice", origin=origin, number=ref, text=text)
    rows = (
        (Button(texts.text(locale, "missing-button-send"), send_docs),),
        (Button(texts.text(locale, "missing-button-book"), go(BOOKING)),),
    )
    return Reply(body, rows)


def _left(due: datetime, now: datetime) -> str:
    minutes = max(int((due - now) / timedelta(minutes=1)), 0)
    return texts.text(STAFF_LOCALE, "missing-duration", hours=minutes // 60, minutes=minutes % 60)


def reminder(
    origin: str, ref: int, due: datetime, now: datetime, tz: ZoneInfo, *, written: bool
) -> Reply:
    """Before the 24 hours pass: the notice is not written yet, or written and not delivered."""
    key = "missing-remind-undelivered" if written else "missing-remind-unwritten"
    local = due.astimezone(tz)
    return Reply(
        texts.text(
            STAFF_LOCALE,
            key,
            origin=origin,
            number=ref,
            due=f"{local:%H:%M %d.%m}",
            left=_left(due, now),
        )
    )


def undelivered(origin: str, ref: int) -> Reply:
    return Reply(texts.text(STAFF_LOCALE, "missing-undelivered", origin=origin, number=ref))
