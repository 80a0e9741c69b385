"""The booking buttons, each declared once. The strings they pack are the ones already in
people's chats ("booking:t:202603111000", "booking:cx:42"): keep them byte-identical."""

from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.booking.form import DocType
from bot.core.actions import Action, StaleAction, choice, digits, integer, word

FEATURE = "booking"
DAY_FORMAT, SLOT_FORMAT = "%Y%m%d", "%Y%m%d%H%M"
DAY_CODE, SLOT_CODE = digits(8), digits(12)


class Answer(StrEnum):
    YES = "yes"
    NO = "no"


# The new-booking wizard
OFFICES = Action(FEATURE, "offices")  # back to the choice of office
OFFICE = Action(FEATURE, "o", word)
SERVICE = Action(FEATURE, "s", word)
DAYS = Action(FEATURE, "days")  # back to the choice of day
DAY = Action(FEATURE, "d", DAY_CODE)
SLOT = Action(FEATURE, "t", SLOT_CODE)
CONSENT = Action(FEATURE, "consent", choice(Answer))
DOC = Action(FEATURE, "doc", choice(DocType))
SKIP = Action(FEATURE, "skip")
CONFIRM = Action(FEATURE, "ok")
RESTART = Action(FEATURE, "restart")
# The waitlist of full days
WAITLIST = Action(FEATURE, "wait")
WAIT_DAY = Action(FEATURE, "wj", DAY_CODE)
TAKE_SEAT = Action(FEATURE, "wl", integer)  # a waitlist entry's id
# An existing booking (its id), from /history and reminders
COME = Action(FEATURE, "come", integer)
CANCEL = Action(FEATURE, "cx", integer)
CANCEL_YES = Action(FEATURE, "cxy", integer)
MOVE = Action(FEATURE, "move", integer)

BY_VERB = {
    action.verb: action
    for action in (
        OFFICES,
        OFFICE,
        SERVICE,
        DAYS,
        DAY,
        SLOT,
        CONSENT,
        DOC,
        SKIP,
        CONFIRM,
        RESTART,
        WAITLIST,
        WAIT_DAY,
        TAKE_SEAT,
        COME,
        CANCEL,
        CANCEL_YES,
        MOVE,
    )
}


def day_code(day: date) -> str:
    return f"{day:{DAY_FORMAT}}"


def slot_code(start: datetime, tz: ZoneInfo) -> str:
    return f"{start.astimezone(tz):{SLOT_FORMAT}}"


def parse_day(code: str) -> date:
    """The day of a DAY or WAIT_DAY code; StaleAction for a date that does not exist."""
    try:
        return datetime.strptime(DAY_CODE(code), DAY_FORMAT).date()
    except ValueError:
        raise StaleAction(code) from None


def parse_slot(code: str, tz: ZoneInfo) -> datetime:
    """The start of a SLOT code in the office's zone; StaleAction for a malformed one."""
    try:
        return datetime.strptime(SLOT_CODE(code), SLOT_FORMAT).replace(tzinfo=tz)
    except ValueError:
        raise StaleAction(code) from None
