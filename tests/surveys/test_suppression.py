"""Small-cell suppression on crafted tables: every cell under 5 answers is hidden, and the
subtraction a reader would try (a total minus the rest of its row or column, again and again
with whatever it found) recovers nothing."""

from surveys.aggregate import analyse
from surveys.quarters import Quarter
from surveys.suppression import Suppression
from tests.surveys.feedback_data import RESULT_YAML, answers, survey

# Answers by service (rows) and touchpoint (columns); the totals are published too.
TABLE = {
    ("consult", "messenger"): 3,
    ("consult", "office"): 10,
    ("consult", "phone"): 12,
    ("permits", "messenger"): 8,
    ("permits", "office"): 9,
    ("permits", "phone"): 20,
}
SERVICES = ("consult", "permits")
TOUCHPOINTS = ("messenger", "office", "phone")


def _lines() -> list[tuple[object, list[object]]]:
    """Each published sum: (the total's key, its parts' keys)."""
    rows = [(("row", s), [(s, t) for t in TOUCHPOINTS]) for s in SERVICES]
    columns = [(("column", t), [(s, t) for s in SERVICES]) for t in TOUCHPOINTS]
    grand = [
        (("all",), [("row", s) for s in SERVICES]),
        (("all",), [("column", t) for t in TOUCHPOINTS]),
    ]
    return [*rows, *columns, *grand]


def _values() -> dict[object, int]:
    values: dict[object, int] = dict(TABLE)
    for total, parts in _lines():
        values[total] = sum(values[part] for part in parts)
    return values


def subtraction_attack(values: dict[object, int], hidden: set[object]) -> dict[object, int]:
    """What a reader works out from the published numbers: where a sum has one number
    missing, it is the total minus the rest (or the parts added up); repeated with every
    number found, until nothing new comes out."""
    known = {key: value for key, value in values.items() if key not in hidden}
    found: dict[object, int] = {}
    progress = True
    while progress:
        progress = False
        for total, parts in _lines():
            missing = [key for key in (total, *parts) if key not in known]
            if len(missing) != 1:
                continue
            [key] = missing
            if key == total:
                known[key] = sum(known[part] for part in parts)
            else:
                known[key] = known[total] - sum(known[p] for p in parts if p != key)
            found[key] = known[key]
            progress = True
    return found


def _suppression() -> Suppression:
    cells = Suppression()
    for key, value in _values().items():
        cells.cell(key, value, margin=key not in TABLE)
    for total, parts in _lines():
        cells.sum((total, "n"), [(part, "n") for part in parts])
    return cells


def test_hiding_only_the_small_cell_lets_subtraction_recover_it() -> None:
    # The attack is real: with the 3 hidden alone, its row total gives it away.
    values = _values()
    found = subtraction_attack(values, {("consult", "messenger")})
    assert found == {("consult", "messenger"): 3}


def test_complementary_cells_leave_the_attack_nothing() -> None:
    values = _values()
    hidden = set(_suppression().hidden())
    # The 3, the next smallest of its row (10), of its column (8), and of the column the 10
    # left alone (9): a 2 × 2 block, every row and column with two hidden cells or none.
    assert hidden == {
        ("consult", "messenger"),
        ("consult", "office"),
        ("permits", "messenger"),
        ("permits", "office"),
    }
    assert subtraction_attack(values, hidden) == {}
    assert all(key in hidden for key, value in values.items() if 0 < value < 5)


def test_two_hidden_cells_in_a_row_that_another_line_pins_down_are_caught() -> None:
    # Hidden: the 3 and the 10 of the first row (so the row alone is safe), but the 10's
    # column has nothing else hidden: column total minus 9 gives 10, then the row gives 3.
    values = _values()
    hidden = {("consult", "messenger"), ("consult", "office"), ("permits", "messenger")}
    assert subtraction_attack(values, hidden) == {
        ("consult", "office"): 10,
        ("consult", "messenger"): 3,
        ("permits", "messenger"): 8,
    }
    assert _suppression().recoverable(hidden) == sorted(hidden, key=list(values).index)


def test_a_question_cannot_be_recovered_from_its_service_cell() -> None:
    # Two surveys at one service and touchpoint: 20 answers to one rating question, 3 to the
    # other. The CSAT cell (23) minus the first question's total would give away the 3.
    other = survey(RESULT_YAML.replace("id: result", "id: second"))
    week = Quarter(2026, 4).first_week
    rows = [
        *answers("result", "satisfied", "consult", "messenger", week, scores=[5] * 10 + [4] * 10),
        *answers("second", "satisfied", "consult", "messenger", week, scores=[1, 2, 5]),
    ]
    result = analyse(Quarter(2026, 4), [survey(RESULT_YAML), other], rows, [])
    first, second = (d for d in result.distributions if d.question == "satisfied")
    cell = result.csat.cells[("consult", "messenger")]
    assert second.total.hidden and all(count.hidden for _, count in second.values)
    # The reader's subtraction: the cell's answers minus the first question's (its total, or
    # its answers added up) would be the second question's.
    first_answers = None if first.total.hidden else first.total.n
    if first_answers is None and not any(count.hidden for _, count in first.values):
        first_answers = sum(count.n for _, count in first.values)
    assert not cell.hidden and cell.n == 23
    assert first_answers is None
