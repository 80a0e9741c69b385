"""Small-cell suppression: the one place where a number is hidden from the quarterly report and
from anything published from it.

**Primary.** A cell with fewer than MIN_ANSWERS (5) answers is hidden (a cell may count
respondents instead, the stricter of the two), and so is any cell its builder marks (every
option of a question that fewer than 5 people answered, zeros included).

**Secondary (complementary)**, the linear audit of Statistics Norway's GaussSuppression:
published tables are tied by sums (a row total is the sum of its cells, a service's CSAT cell
the sum of its rating questions' answers, the quarter the sum of its months). A reader knows
every published number and every sum. A hidden number is recovered exactly when it follows
from them, that is when no change of the hidden numbers keeps every sum true while moving it.
While some hidden cell can be recovered, one more published cell that shares a sum with it is
hidden: the smallest, a table's inner cell before a total. "A row total minus the rest of the
row" is the simplest recovery; chains of them across rows, columns and linked tables are found
as well.

Not covered: bounds. A reader who knows that a hidden cell holds 1–4 answers may narrow a
hidden number to an interval; the rule prevents exact recovery, not that.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np

MIN_ANSWERS = 5
# Sums have coefficients ±1, so a value is either exactly determined or clearly free.
_TOLERANCE = 1e-9

Key = Hashable
Term = tuple[Key, str]  # (cell, measure): a cell's answers ("n"), its satisfied ("good"), ...


@dataclass(frozen=True)
class _Cell:
    n: int  # answers: what the complement picks by
    primary: bool
    margin: bool  # a total of other cells: hidden only when no inner cell will do
    order: int
    shown: bool = True  # False: a part no table shows, unknown to a reader by construction


class Suppression:
    """Cells and the sums between them; `hidden()` says which to leave out."""

    def __init__(self, min_answers: int = MIN_ANSWERS) -> None:
        self.min_answers = min_answers
        self._cells: dict[Key, _Cell] = {}
        self._sums: list[dict[Term, int]] = []

    def cell(
        self,
        key: Key,
        n: int,
        *,
        people: int | None = None,
        margin: bool = False,
        hide: bool = False,
    ) -> None:
        size = n if people is None else people
        primary = hide or 0 < size < self.min_answers
        self._cells[key] = _Cell(n, primary, margin, len(self._cells))

    def part(self, key: Key) -> None:
        """A number that no table shows but that sums run through (a question's answers at
        one service, when the question was asked at several)."""
        self._cells[key] = _Cell(0, True, False, len(self._cells), shown=False)

    def sum(self, total: Term, parts: Iterable[Term]) -> None:
        """total = the sum of parts."""
        self.equal([total], parts)

    def equal(self, left: Iterable[Term], right: Iterable[Term]) -> None:
        """The sum of `left` equals the sum of `right`; the measures may differ (a rating
        question's answers 4 and 5 add up to the "good" of its parts by service)."""
        equation: dict[Term, int] = {}
        for term in right:
            equation[term] = equation.get(term, 0) + 1
        for term in left:
            equation[term] = equation.get(term, 0) - 1
        unknown = {key for key, _ in equation} - self._cells.keys()
        if unknown:
            raise KeyError(f"no such cells: {sorted(map(str, unknown))}")
        self._sums.append(equation)

    def hidden(self) -> frozenset[Key]:
        """The cells to leave out: primary, then complements until none can be recovered."""
        hidden = {key for key, cell in self._cells.items() if cell.primary}
        while exposed := self.recoverable(hidden):
            hidden.add(self._complement(exposed[0], hidden))
        return frozenset(key for key in hidden if self._cells[key].shown)

    def recoverable(self, hidden: set[Key]) -> list[Key]:
        """The hidden cells that the published ones and the sums give away, in cell order."""
        found = {
            key
            for terms, rows in self._components(hidden)
            for key in self._determined_in(terms, rows)
        }
        return sorted(found, key=lambda key: self._cells[key].order)

    def _determined_in(self, terms: list[Term], rows: list[dict[Term, int]]) -> set[Key]:
        matrix = np.array([[row.get(term, 0) for term in terms] for row in rows], float)
        return {
            term[0]
            for term, determined in zip(terms, _determined(matrix), strict=True)
            if determined and self._cells[term[0]].shown
        }

    def _components(self, hidden: set[Key]) -> list[tuple[list[Term], list[dict[Term, int]]]]:
        """The sums restricted to hidden terms, split into groups that share no term."""
        rows = [
            {term: c for term, c in equation.items() if term[0] in hidden}
            for equation in self._sums
        ]
        rows = [row for row in rows if row]
        parent: dict[Term, Term] = {}

        def root(term: Term) -> Term:
            while parent.setdefault(term, term) != term:
                term = parent[term]
            return term

        for row in rows:
            first, *rest = row
            for term in rest:
                parent[root(term)] = root(first)
            root(first)  # a sum with one hidden term is a group of its own
        groups: dict[Term, tuple[list[Term], list[dict[Term, int]]]] = {}
        for term in parent:
            groups.setdefault(root(term), ([], []))[0].append(term)
        for row in rows:
            groups[root(next(iter(row)))][1].append(row)
        return list(groups.values())

    def _group(self, key: Key, hidden: set[Key]) -> tuple[list[Term], list[dict[Term, int]]]:
        """The group of hidden terms that `key` is in."""
        return next(
            group for group in self._components(hidden) if any(k == key for k, _ in group[0])
        )

    def _complement(self, exposed: Key, hidden: set[Key]) -> Key:
        """The published cell to hide next. Where a sum has one hidden cell (a total minus the
        rest), the smallest other cell of that sum. Otherwise the cheapest cell that makes
        `exposed` safe, among those in a sum with it, then among those tied to it through
        hidden cells; if none does alone, the cheapest of them, and the loop goes on."""
        lone = next((eq for eq in self._sums if self._lone(eq, hidden)), None)
        if lone is not None:
            return min({key for key, _ in lone} - hidden, key=self._cost)
        tied = {key for key, _ in self._group(exposed, hidden)[0]}
        for around in ({exposed}, tied):
            near = {key for eq in self._sums if any(k in around for k, _ in eq) for key, _ in eq}
            candidates = sorted(near - hidden, key=self._cost)
            for key in candidates:
                if exposed not in self._determined_in(*self._group(exposed, hidden | {key})):
                    return key
            if candidates:
                return candidates[0]
        raise RuntimeError(f"cell {exposed!r} is exposed with every cell near it hidden")

    def _cost(self, key: Key) -> tuple[bool, int, int]:
        """The fewest answers hidden: an inner cell before a total, the smaller first."""
        cell = self._cells[key]
        return (cell.margin, cell.n, cell.order)

    def _lone(self, equation: dict[Term, int], hidden: set[Key]) -> bool:
        """Is exactly one term hidden, and that a shown cell (so it is the rest subtracted)?"""
        keys = [key for key, _ in equation if key in hidden]
        return len(keys) == 1 and self._cells[keys[0]].shown and len(equation) > 1


def _determined(matrix: np.ndarray) -> list[bool]:
    """For each unknown (column) of `matrix @ x = constants`: is it fixed by the equations?
    It is when every vector of the null space is zero there."""
    _, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > _TOLERANCE * max(1.0, float(singular.max(initial=0)))).sum())
    null = vt[rank:]
    return [bool(np.all(np.abs(null[:, column]) < _TOLERANCE)) for column in range(vt.shape[1])]
