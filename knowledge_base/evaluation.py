"""How well the base answers a set of questions with known topics: top-1, rejection and
"within one tap". Pure counting: rows and a function that decides in, a Result out; used by
`priemnaya kb eval` (the live base) and benchmarks/kb_search.py (the files).

A question set is a TSV file: a header `question<TAB>topic_id`, then one question a line with
the topic it must be answered with, or `-` for a question the bot must not answer."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from bot.core.content import ContentError, problem

OUT_OF_SCOPE = "-"
HEADER = ("question", "topic_id")
_TOPIC_RE = re.compile(r"^[a-z][a-z0-9_]*$")  # an entry id, as entries.py requires


class Decided(Protocol):
    """What the bot does with a question (knowledge_base.decision.Decision fits)."""

    @property
    def kind(self) -> str: ...  # "answer", "suggest"; anything else answers nothing

    @property
    def entry_ids(self) -> tuple[str, ...]: ...  # the answer first


Decide = Callable[[str], Decided]


@dataclass(frozen=True)
class Row:
    question: str
    topic: str  # an entry id, or OUT_OF_SCOPE


class MissKind(StrEnum):
    WRONG = "wrong answer"
    UNANSWERED = "not answered"
    SUGGESTED = "suggestions without the right one"
    ANSWERED = "out-of-scope answered"


@dataclass(frozen=True)
class Miss:
    row: Row
    kind: MissKind
    got: tuple[str, ...]  # the answer, or the suggestions

    def __str__(self) -> str:
        got = ", ".join(self.got) or "nothing"
        return f"{self.kind}: {self.row.question!r} (want {self.row.topic}, got {got})"


@dataclass(frozen=True)
class Result:
    answerable: int
    answered_right: int
    within_one_tap: int  # answered right, or the right topic among the suggestions
    out_of_scope: int
    rejected: int  # out-of-scope questions not answered
    misses: tuple[Miss, ...]

    @property
    def top1(self) -> float:
        return self.answered_right / max(self.answerable, 1)

    @property
    def one_tap(self) -> float:
        return self.within_one_tap / max(self.answerable, 1)

    @property
    def rejection(self) -> float:
        return self.rejected / max(self.out_of_scope, 1)


def evaluate(rows: Sequence[Row], decide: Decide) -> Result:
    right = near = rejected = 0
    misses: list[Miss] = []
    for row in rows:
        decided = decide(row.question)
        answer = decided.entry_ids[:1] if decided.kind == "answer" else ()
        if row.topic == OUT_OF_SCOPE:
            if answer:
                misses.append(Miss(row, MissKind.ANSWERED, answer))
            else:
                rejected += 1
        elif answer == (row.topic,):
            right += 1
            near += 1
        elif decided.kind == "suggest" and row.topic in decided.entry_ids:
            near += 1
        elif answer:
            misses.append(Miss(row, MissKind.WRONG, answer))
        elif decided.kind == "suggest":
            misses.append(Miss(row, MissKind.SUGGESTED, decided.entry_ids))
        else:
            misses.append(Miss(row, MissKind.UNANSWERED, ()))
    out_of_scope = sum(row.topic == OUT_OF_SCOPE for row in rows)
    return Result(len(rows) - out_of_scope, right, near, out_of_scope, rejected, tuple(misses))


def read_rows(path: Path) -> list[Row]:
    """The rows of a question set; ContentError with one `file:line: reason` per bad row."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([problem(path, 1, f"cannot read the file: {exc}")]) from None
    rows: list[Row] = []
    problems: list[str] = []
    for number, line in enumerate(lines, 1):
        cells = tuple(cell.strip() for cell in line.split("\t"))
        if not line.strip() or (number == 1 and cells == HEADER):
            continue
        if len(cells) != 2:
            reason = f"expected 2 columns (question, topic_id), found {len(cells)}"
        elif not cells[0]:
            reason = "the question is empty"
        elif cells[1] != OUT_OF_SCOPE and not _TOPIC_RE.match(cells[1]):
            reason = f"{cells[1]!r} is not a topic id (or {OUT_OF_SCOPE} for out of scope)"
        else:
            rows.append(Row(cells[0], cells[1]))
            continue
        problems.append(problem(path, number, reason))
    if problems:
        raise ContentError(problems)
    return rows
