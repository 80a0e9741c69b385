"""Typed action codes pack to the strings already in people's chats, and turn away what a
forged or stale payload carries."""

import pytest

from bot.core.actions import Action, StaleAction, digits, integer, parse, word
from bot.core.feature import MENU, go
from knowledge_base.faq import SHOW
from knowledge_base.moderation import EDIT
from scenarios.walk import SCORE


def test_codes_are_todays_strings() -> None:
    assert go(MENU) == "go:menu"
    assert SHOW.pack(2) == "faq:show:2"
    assert EDIT.pack("working_hours", "en") == "kbmod:edit:working_hours:en"
    assert SCORE.pack("permit", "online", 3, 5) == "scenario:score:permit:online:3:5"


def test_unpack_reads_typed_fields() -> None:
    slot = Action("booking", "t", digits(12))
    parsed = parse(slot.pack("202603111030"))
    assert (parsed.prefix, parsed.verb) == ("booking", "t")
    assert slot.unpack(parsed.args) == ("202603111030",)
    assert SCORE.unpack(["permit", "online", "3", "5"]) == ("permit", "online", 3, 5)


@pytest.mark.parametrize(
    "args",
    [
        [],  # too few fields
        ["1", "2"],  # too many
        ["²"],  # a digit Python accepts, a database does not
        ["-1"],
        ["1234567890"],  # past any id column
        ["１"],  # a full-width digit
    ],
)
def test_forged_fields_are_stale(args: list[str]) -> None:
    with pytest.raises(StaleAction):
        SHOW.unpack(args)


@pytest.mark.parametrize("value", ["", "a:b", "имя", "a b", "x/y"])
def test_a_word_is_plain_ascii(value: str) -> None:
    with pytest.raises(StaleAction):
        word(value)


def test_building_a_button_checks_fields_and_limits() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        SHOW.pack("two")
    with pytest.raises(ValueError, match="fields"):
        SHOW.pack()
    long = Action("kbmod", "view", word)
    with pytest.raises(ValueError, match="64 bytes"):
        long.pack("x" * 60)
    assert integer("42") == 42
