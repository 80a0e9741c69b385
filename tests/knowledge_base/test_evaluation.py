"""Counting a question set: what counts as right, as one tap away, and as each kind of miss."""

from dataclasses import dataclass

from knowledge_base.evaluation import MissKind, Row, evaluate


@dataclass(frozen=True)
class Decided:
    kind: str
    entry_ids: tuple[str, ...] = ()


DECISIONS = {
    "right": Decided("answer", ("hours",)),
    "offered": Decided("suggest", ("fee", "hours")),
    "wrong": Decided("answer", ("fee",)),
    "vague": Decided("suggest", ("fee", "address")),
    "unknown": Decided("none"),
    "elsewhere": Decided("handover", ("hours",)),  # a kind it does not know answers nothing
    "stray": Decided("answer", ("fee",)),
    "kept out": Decided("suggest", ("fee",)),
}


def test_each_row_counts_once_and_each_miss_says_why() -> None:
    rows = [Row(q, "-" if q in ("stray", "kept out") else "hours") for q in DECISIONS]
    result = evaluate(rows, DECISIONS.__getitem__)
    assert (result.answerable, result.answered_right, result.within_one_tap) == (6, 1, 2)
    assert (result.out_of_scope, result.rejected) == (2, 1)
    assert (result.top1, result.one_tap, result.rejection) == (1 / 6, 2 / 6, 0.5)
    assert [(miss.row.question, miss.kind, miss.got) for miss in result.misses] == [
        ("wrong", MissKind.WRONG, ("fee",)),
        ("vague", MissKind.SUGGESTED, ("fee", "address")),
        ("unknown", MissKind.UNANSWERED, ()),
        ("elsewhere", MissKind.UNANSWERED, ()),
        ("stray", MissKind.ANSWERED, ("fee",)),
    ]
    assert str(result.misses[0]) == "wrong answer: 'wrong' (want hours, got fee)"


def test_an_empty_set_gives_zeros_not_an_error() -> None:
    result = evaluate([], DECISIONS.__getitem__)
    assert (result.top1, result.one_tap, result.rejection, result.misses) == (0.0, 0.0, 0.0, ())
