"""The tickets' button codes are a wire format: buttons already under messages in people's
and staff's chats must keep working, so the packed strings are pinned here."""

import pytest

from bot.core.actions import Action, StaleAction, parse
from bot.tickets.actions import (
    CLOSE,
    DOCS,
    DOCS_CANCEL,
    DONE,
    INTERIM,
    KIND,
    RATE,
    REPLY,
    SEND_DRAFT,
    SHOW,
    TAKE,
    TEMPLATES,
    TRANSFER,
    TRANSFER_TO,
    TRANSFER_WHY,
    Reason,
)


def test_the_codes_are_todays_strings() -> None:
    assert KIND.pack("complaint") == "ticket:kind:complaint"
    assert SHOW.pack(12) == "ticket:show:12"
    assert REPLY.pack(12) == "ticket:reply:12"
    assert DONE.pack(12) == "ticket:done:12"
    assert RATE.pack(12, 4) == "ticket:rate:12:4"
    assert TAKE.pack(7) == "tk:take:7"
    assert TRANSFER.pack(7) == "tk:xfer:7"
    assert TRANSFER_TO.pack(7, 3) == "tk:to:7:3"
    assert TRANSFER_WHY.pack(7, 3, Reason.EXPERT) == "tk:why:7:3:expert"
    assert TEMPLATES.pack(7) == "tk:tpl:7"
    assert SEND_DRAFT.pack(7, "working_hours") == "tk:snd:7:working_hours"
    assert INTERIM.pack(7) == "tk:int:7"
    assert CLOSE.pack(7) == "tk:close:7"
    assert DOCS.pack(7) == "tk:docs:7"
    assert DOCS_CANCEL.pack(7) == "tk:docsx:7"


def test_todays_strings_unpack() -> None:
    assert RATE.unpack(parse("ticket:rate:12:4").args) == (12, 4)
    assert TRANSFER_WHY.unpack(parse("tk:why:7:3:absent").args) == (7, 3, Reason.ABSENT)


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (RATE, "ticket:rate:12:6"),  # off the scale
        (RATE, "ticket:rate:12"),
        (SHOW, "ticket:show:²"),
        (TRANSFER_WHY, "tk:why:7:3:bored"),
        (TRANSFER_TO, "tk:to:7:-3"),
    ],
)
def test_forged_codes_are_stale(action: Action, code: str) -> None:
    with pytest.raises(StaleAction):
        action.unpack(parse(code).args)
