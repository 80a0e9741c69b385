"""Latin-typed Russian ("zapisatsya", "kak doehat"): a word read as a Russian word.

First through a table of the base's own words written in Latin, then by a rule-based reverse
transliteration checked against the dictionary, then fuzzily among the base's words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable

from knowledge_base.fuzzy import LengthBuckets, closest
from knowledge_base.words import canon_latin, from_latin, is_known, lemmas_of, to_latin

_CACHE_LIMIT = 50_000


class LatinReader:
    """Reads Latin words as the base's Russian words; built once per index."""

    def __init__(self, base_words: Iterable[str], freq: Counter[str]) -> None:
        """``base_words``: the base's Cyrillic words. Their Latin spellings are added to
        ``freq``, so that among equally close matches the commoner word wins."""
        self._latin: dict[str, str] = {}
        for word in base_words:
            latin = to_latin(word)
            if latin not in self._latin:
                self._latin[latin] = word
                freq[latin] = freq[word]
        self._freq = freq
        self._words = LengthBuckets(self._latin)
        self._cache: dict[tuple[str, bool], tuple[str, float] | None] = {}

    def read(self, word: str, *, fuzzy: bool, known: Container[str]) -> tuple[str, float] | None:
        """The Cyrillic word and the credit of the match, or None if it is not Russian.
        ``known``: the lemmas the base knows, which confirm a rule-based reading."""
        key = (word, fuzzy)
        if key not in self._cache:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = self._read(word, fuzzy=fuzzy, known=known)
        return self._cache[key]

    def _read(self, word: str, *, fuzzy: bool, known: Container[str]) -> tuple[str, float] | None:
        if len(word) < 2:
            return None
        canon = canon_latin(word)
        if canon in self._latin:
            return self._latin[canon], 1.0
        guess = from_latin(word)
        if any(lemma in known for lemma in lemmas_of(guess)) or is_known(guess):
            return guess, 1.0
        if fuzzy and len(canon) >= 4:
            match = closest(canon, self._words, self._freq)
            if match is not None:
                return self._latin[match[0]], match[1]
        # Not Russian after all (an English word, a name): no garbage Cyrillic terms.
        return None
