"""The booking's wire formats: the button codes already in people's chats and the keys of
conversation rows already in the database must come out of the new code byte for byte."""

from datetime import UTC, date, datetime

import pytest

from bot.booking import actions
from bot.booking.actions import Answer
from bot.booking.forget import YES
from bot.booking.form import DocType
from bot.booking.staff_day import ARRIVED_BUTTON, SERVED_BUTTON
from bot.booking.state import Draft, Moving
from bot.core.actions import StaleAction
from tests.conftest import MOSCOW


def test_packed_codes_are_todays_strings() -> None:
    start = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    assert actions.slot_code(start, MOSCOW) == "202603111000"
    assert actions.SLOT.pack(actions.slot_code(start, MOSCOW)) == "booking:t:202603111000"
    assert actions.DAY.pack(actions.day_code(date(2026, 3, 11))) == "booking:d:20260311"
    assert actions.WAIT_DAY.pack("20260311") == "booking:wj:20260311"
    assert actions.OFFICE.pack("transport") == "booking:o:transport"
    assert actions.SERVICE.pack("consult") == "booking:s:consult"
    assert actions.CONSENT.pack(Answer.YES) == "booking:consent:yes"
    assert actions.DOC.pack(DocType.FOREIGN) == "booking:doc:foreign"
    no_fields = (actions.OFFICES, actions.DAYS, actions.SKIP, actions.CONFIRM, actions.RESTART)
    assert [a.pack() for a in (*no_fields, actions.WAITLIST)] == [
        "booking:offices",
        "booking:days",
        "booking:skip",
        "booking:ok",
        "booking:restart",
        "booking:wait",
    ]
    on_booking = (actions.COME, actions.CANCEL, actions.CANCEL_YES, actions.MOVE)
    assert [a.pack(42) for a in on_booking] == [
        "booking:come:42",
        "booking:cx:42",
        "booking:cxy:42",
        "booking:move:42",
    ]
    assert actions.TAKE_SEAT.pack(7) == "booking:wl:7"
    assert (ARRIVED_BUTTON.pack(5), SERVED_BUTTON.pack(5)) == ("today:in:5", "today:done:5")
    assert YES.pack() == "forget:yes"


@pytest.mark.parametrize("code", ["20261399", "2026031", "２０２６０３１１", "20260311x"])
def test_a_day_that_does_not_exist_is_stale(code: str) -> None:
    with pytest.raises(StaleAction):
        actions.parse_day(code)


@pytest.mark.parametrize("code", ["2026", "202613111000", "20260311100a"])
def test_a_malformed_slot_is_stale(code: str) -> None:
    with pytest.raises(StaleAction):
        actions.parse_slot(code, MOSCOW)


def test_conversation_rows_keep_their_keys() -> None:
    draft = {
        "office": "transport",
        "service": "consult",
        "day": "20260311",
        "start": "202603111000",
        "hold": 3,
        "held_until": "2026-03-11T06:45:00+00:00",
        "consent": True,
        "p": "gAAAA...",
        "filled": True,
        "doc": "ru",
    }
    assert Draft.from_dict(draft).to_dict() == draft
    assert Draft.from_dict({"office": "river"}).to_dict() == {"office": "river"}
    moving = {"office": "transport", "service": "consult", "move": 42, "day": "20260311"}
    assert Moving.applies(moving) and not Moving.applies(draft)
    assert Moving.from_dict(moving).to_dict() == moving
    # A move's row read by the wizard (a new office chosen meanwhile) drops only the move.
    assert Draft.from_dict(moving).to_dict() == {k: v for k, v in moving.items() if k != "move"}
