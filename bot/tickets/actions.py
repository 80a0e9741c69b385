"""Every button of the tickets feature, declared once: the person's ("ticket:…") and the staff
chat's ("tk:…"). The packed strings are the ones already under messages in people's and
staff's chats, so they must not change (tests/tickets/test_actions.py pins them)."""

from enum import StrEnum

from bot.core.actions import Action, choice, integer, word
from bot.core.ratings import score

FEATURE = "ticket"  # the citizen feature's name and action prefix
STAFF_PREFIX = "tk"  # action prefix of the buttons in the staff chat


class Reason(StrEnum):
    """Why a ticket is handed to a colleague (the audit trail's words)."""

    PROFILE = "profile"
    EXPERT = "expert"
    ABSENT = "absent"


# The person's buttons; each but KIND names a ticket of theirs by number.
KIND = Action(FEATURE, "kind", word)
SHOW = Action(FEATURE, "show", integer)
REPLY = Action(FEATURE, "reply", integer)
DONE = Action(FEATURE, "done", integer)
RATE = Action(FEATURE, "rate", integer, score)  # the rating offered when a ticket closes
RATE_ANSWER = Action(FEATURE, "ra", integer, score)  # the one under a staff answer

# The staff chat's buttons; the ticket number comes first in each.
TAKE = Action(STAFF_PREFIX, "take", integer)
TRANSFER = Action(STAFF_PREFIX, "xfer", integer)
TRANSFER_TO = Action(STAFF_PREFIX, "to", integer, integer)  # + the colleague's staff row id
TRANSFER_WHY = Action(STAFF_PREFIX, "why", integer, integer, choice(Reason))
TEMPLATES = Action(STAFF_PREFIX, "tpl", integer)
SEND_DRAFT = Action(STAFF_PREFIX, "snd", integer, word)  # + the knowledge-base entry id
INTERIM = Action(STAFF_PREFIX, "int", integer)
CLOSE = Action(STAFF_PREFIX, "close", integer)
DOCS = Action(STAFF_PREFIX, "docs", integer)  # missing documents: the next message tells
DOCS_CANCEL = Action(STAFF_PREFIX, "docsx", integer)
# Found before the press: + how many hours earlier (one of EARLIER_HOURS); the 24 h run from then.
DOCS_EARLIER = Action(STAFF_PREFIX, "docse", integer, integer)
EARLIER_HOURS = (1, 3, 8)
SEE = Action(STAFF_PREFIX, "see", integer, integer)  # + an earlier ticket of the same person
# Under the communication rules' warning (review.py): + the held answer's row id.
AS_IS = Action(STAFF_PREFIX, "asis", integer, integer)
FIX = Action(STAFF_PREFIX, "fix", integer, integer)
NO_ANSWER = Action(STAFF_PREFIX, "noans", integer)  # a public comment that needs no answer
STAFF_ACTIONS = (
    TAKE,
    TRANSFER,
    TRANSFER_TO,
    TRANSFER_WHY,
    TEMPLATES,
    SEND_DRAFT,
    INTERIM,
    CLOSE,
    DOCS,
    DOCS_CANCEL,
    DOCS_EARLIER,
    SEE,
    AS_IS,
    FIX,
    NO_ANSWER,
)
