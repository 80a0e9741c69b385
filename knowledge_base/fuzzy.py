"""Typo matching: the word of the base closest to a word it does not contain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

_FUZZY_MIN = 0.79  # normalized OSA similarity: one edit in 5 letters, two in 10


class LengthBuckets:
    """Words grouped by length: a typo match only compares words it could be within reach of."""

    def __init__(self, words: Iterable[str]) -> None:
        self._by_length: dict[int, list[str]] = {}
        for word in words:
            self._by_length.setdefault(len(word), []).append(word)
        self._near: dict[int, list[str]] = {}

    def near(self, length: int) -> list[str]:
        """Words whose length differs by no more than the edits _FUZZY_MIN allows."""
        found = self._near.get(length)
        if found is None:
            reach = max(1, int((1.0 - _FUZZY_MIN) * (length + 1)))
            found = [
                word
                for other in range(length - reach, length + reach + 1)
                for word in self._by_length.get(other, ())
            ]
            self._near[length] = found
        return found


def closest(
    word: str, choices: LengthBuckets, freq: Mapping[str, int]
) -> tuple[str, float] | None:
    """The word of ``choices`` nearest to ``word`` and its similarity, or None if none is."""
    # OSA distance: a wrong, missing, extra or swapped letter is one edit each. Among
    # equally close words the one the base uses most wins ("зопись" -> "запись", not
    # "опись").
    found = process.extract(
        word,
        choices.near(len(word)),
        scorer=OSA.normalized_similarity,
        score_cutoff=_FUZZY_MIN,
        limit=8,
    )
    if not found:
        return None
    best = max(found, key=lambda item: (round(item[1], 6), freq.get(item[0], 0)))
    return best[0], best[1]
