"""VK keyboards stay within VK's limits, whatever the number of buttons a reply has."""

import json

import pytest

from bot.core.messages import Button, Reply
from handlers.vk.mapping import keyboard


@pytest.mark.parametrize(
    ("count", "inline", "rows", "total"),
    [
        (3, True, 3, 3),
        (8, True, 4, 8),
        (12, False, 6, 12),
        (29, False, 10, 29),
        (45, False, 10, 40),
    ],
)
def test_keyboard_limits(count: int, inline: bool, rows: int, total: int) -> None:
    reply = Reply("x", tuple((Button(f"кнопка {i}", f"a:{i}"),) for i in range(count)))
    board = json.loads(keyboard(reply))
    assert board["inline"] is inline
    assert len(board["buttons"]) == rows
    assert sum(len(row) for row in board["buttons"]) == total
    assert all(len(row) <= 5 for row in board["buttons"])


def test_long_labels_are_cut_to_forty_characters() -> None:
    board = json.loads(keyboard(Reply("x", ((Button("о" * 60, "a:1"),),))))
    label = board["buttons"][0][0]["action"]["label"]
    assert len(label) == 40 and label.endswith("…")
