"""Search over the knowledge base: which template answers a citizen's question.

How a question becomes terms (the same pipeline is applied to the entries):

* Russian words are reduced to lemmas with pymorphy3 ("записи" -> "запись"), so any
  inflection meets the template. Related words of one family ("записаться" / "запись")
  also meet through a short lemma prefix that earns part of the credit.
* A word that the dictionary does not know and the base does not contain is treated as a
  typo and replaced by the closest word of the base (rapidfuzz), with partial credit.
* Latin words are tried as English (Snowball stem) and as transliterated Russian
  ("zapisatsya", "kak doehat"): first through a table of the base's own words written in
  Latin, then by a rule-based reverse transliteration and pymorphy3, then fuzzily (latin.py).
* Two neighbour words that are one word of the base ("гос услуги") are joined.

How an entry is scored against the question (score in [0, 1], comparable across questions):

* coverage — the share of the question's information (IDF-weighted terms) that the entry
  explains. A word the base has never seen weighs by how rare it is in Russian at large
  (words.rarity): a rare one ("ОСАГО") keeps a question about something else low even if it
  shares "оплатить" with an entry; an everyday one ("завтра") hardly lowers a right match.
* closeness — the best cosine similarity between the question and one of the entry's example
  questions, which separates entries that cover the same words.

The final score blends the two. Everything is in-process (dictionaries and numpy arrays);
the only expensive object, the morphological analyzer, is created once per process, lazily.
Words are normalised in words.py, typos matched in fuzzy.py; retrieval.py adds meaning and
decides what the bot does.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import chain, repeat

import numpy as np

from knowledge_base.entries import Entry
from knowledge_base.fuzzy import LengthBuckets, closest
from knowledge_base.latin import LatinReader
from knowledge_base.words import (
    CYRILLIC_RE,
    LATIN_RE,
    STOP_EN,
    STOP_RU,
    en_stem,
    en_stop,
    is_known,
    join_split_words,
    lemmas_of,
    prefix,
    rarity,
    split_words,
)

# Scoring weights (chosen on the dev set and a separate self-written set, see benchmarks/).
_STRONG = 1.0  # term names the topic: it is in a title or a keyword
_EXAMPLE = 0.9  # term appears in an example question (may be incidental there)
_WEAK = 0.3  # term appears only in the answer text
_STEM_CREDIT = 0.3  # same 5-letter lemma prefix ("записаться" ~ "запись")
_UNSEEN_BOOST = 1.0  # an unseen word weighs as a word of half an entry, times this
_COVERAGE_SHARE = 0.8  # blend: coverage vs closeness to the best example question
_NUMBER_BOOST = 2.0  # unseen numbers (application numbers, dates) weigh double
_FUNCTION_WORDS_FACTOR = 0.8  # a question of function words only is a weak signal


@dataclass(frozen=True)
class Hit:
    """One candidate entry for a question; ``score`` is in [0, 1]."""

    entry_id: str
    score: float


@dataclass(frozen=True)
class Lexical:
    """Word evidence for one question: a score per entry, and how much of the question is
    made of words the base never uses (weighted by how rare they are in Russian at large)."""

    scores: np.ndarray
    unseen_share: float
    case_number: bool  # a number of 3+ digits the base never mentions: one person's case


# ------------------------------------------------------------------ the index


@dataclass(frozen=True)
class _Slot:
    """One word of the question: alternative terms, their credit and the stem fallback."""

    alts: tuple[str, ...]
    credit: float
    stem: str | None
    word: str = ""  # as the question wrote it, for its general frequency when unseen


class KnowledgeIndex:
    """In-memory index over the enabled entries; build once, search many times.

    Scores are accumulated in dense numpy vectors (one cell per entry and per example
    question), which keeps a search over 1,000 entries well under a millisecond or two.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._entries: list[Entry] = [entry for entry in entries if entry.enabled]
        self._ids: list[str] = [entry.id for entry in self._entries]

        # Pass 1: the base's own Russian words, for typo correction and transliteration.
        self._text_words: dict[str, list[str]] = {}
        freq: Counter[str] = Counter()
        for entry in self._entries:
            for text in _all_texts(entry):
                words = self._text_words.get(text)
                if words is None:
                    words = self._text_words[text] = split_words(text)
                freq.update(words)
        surface = {w: lemmas_of(w)[0] for w in freq if CYRILLIC_RE.search(w)}
        self._surface = surface
        self._cyr_words = LengthBuckets(word for word in surface if len(word) >= 4)
        self._latin = LatinReader(surface, freq)
        self._freq: dict[str, int] = freq
        # Terms the base knows. While indexing: the lemmas of its Russian words; afterwards
        # every indexed term, mapped to its column.
        self._known: set[str] | dict[str, int] = set(surface.values())
        self._word_cache: dict[str, tuple[str, ...]] = {}
        self._english_word_cache: dict[str, tuple[str, ...]] = {}
        self._terms_cache: dict[tuple[str, bool], frozenset[str]] = {}

        # Pass 2: how strongly each entry owns each term, and the example questions' terms,
        # as flat (row, column, value) lists that numpy turns into compressed postings.
        entry_levels: list[dict[str, float]] = []
        question_terms: list[frozenset[str]] = []
        q_starts: list[int] = []
        for entry in self._entries:
            levels: dict[str, float] = {}
            for text, english in ((entry.answer_ru, False), (entry.answer_en, True)):
                terms = self._text_terms(text, english=english, prose=True)
                levels.update(dict.fromkeys(terms, _WEAK))
            questions = [
                self._text_terms(text, english=english)
                for text, english in (
                    (entry.title_ru, False),
                    (entry.title_en, True),
                    *((q, False) for q in entry.questions),
                )
            ]
            for terms in questions[2:]:
                levels.update(dict.fromkeys(terms, _EXAMPLE))
            for terms in questions[:2]:
                levels.update(dict.fromkeys(terms, _STRONG))
            for keyword in entry.keywords:
                levels.update(dict.fromkeys(self._text_terms(keyword), _STRONG))
            entry_levels.append(levels)
            q_starts.append(len(question_terms))
            question_terms.extend(questions)

        # Flat (row, column, value) triples, built with C-level helpers: this is the hot
        # part of indexing a large base.
        columns = {
            term: i for i, term in enumerate(dict.fromkeys(chain.from_iterable(entry_levels)))
        }
        column_of = columns.__getitem__
        e_cols = list(map(column_of, chain.from_iterable(entry_levels)))
        e_levels = list(chain.from_iterable(levels.values() for levels in entry_levels))
        e_rows = list(
            chain.from_iterable(repeat(i, len(levels)) for i, levels in enumerate(entry_levels))
        )
        q_cols = list(map(column_of, chain.from_iterable(question_terms)))
        q_rows = list(
            chain.from_iterable(repeat(i, len(terms)) for i, terms in enumerate(question_terms))
        )
        n_questions = len(question_terms)

        n = max(len(self._entries), 1)
        n_terms = len(columns)
        self._known = columns
        e_col_array = np.array(e_cols, dtype=np.int64)
        df = np.bincount(e_col_array, minlength=n_terms)
        self._idf = np.log1p(n / np.maximum(df, 1))
        self._e_ptr, self._e_rows, self._e_levels = _compress(
            e_col_array, np.array(e_rows, dtype=np.int32), n_terms, np.array(e_levels)
        )
        q_col_array = np.array(q_cols, dtype=np.int64)
        q_row_array = np.array(q_rows, dtype=np.int32)
        self._q_ptr, self._q_rows, _ = _compress(q_col_array, q_row_array, n_terms, None)
        # Function words and stems stay out of an example question's norm: a question is
        # as close as its content words make it.
        content = np.array(
            [not (t.startswith("~") or t in STOP_RU or en_stop(t)) for t in columns],
            dtype=bool,
        ).reshape(n_terms)
        weights = np.where(content, self._idf, 0.0)[q_col_array]
        q_norm = np.sqrt(np.bincount(q_row_array, weights=weights**2, minlength=n_questions))
        # An example question made only of function words: never divide by zero.
        self._q_norm = np.where(q_norm > 0.0, q_norm, np.inf)
        self._q_starts = np.array(q_starts, dtype=np.intp)
        self._unseen_idf = math.log(1.0 + n / 0.5) * _UNSEEN_BOOST
        self._word_cache.clear()
        self._english_word_cache.clear()
        self._text_words.clear()
        self._terms_cache.clear()

    # ---------------------------------------------------------------- analysis

    def _text_terms(
        self, text: str, *, english: bool = False, prose: bool = False
    ) -> frozenset[str]:
        """Index terms of one text; function words are kept for questions made only of them.

        ``english``: Latin words are English, not transliterated Russian (title_en,
        answer_en). ``prose``: an answer written by staff, where no "гос услуги" needs joining.
        """
        key = (text, english)
        found = self._terms_cache.get(key)
        if found is not None:
            return found
        words = self._text_words.get(text)
        if words is None:
            words = split_words(text)
        if not prose:
            words = join_split_words(words, self._surface)
        cache = self._english_word_cache if english else self._word_cache
        for word in [word for word in words if word not in cache]:
            if english and LATIN_RE.match(word):
                cache[word] = (en_stem(word),)
            else:
                slot = self._slot(word, fuzzy=False, keep_stop=True)
                cache[word] = () if slot is None else (*slot.alts, *filter(None, [slot.stem]))
        found = self._terms_cache[key] = frozenset(
            chain.from_iterable(map(cache.__getitem__, words))
        )
        return found

    def _slots(self, text: str) -> tuple[list[_Slot], bool]:
        """The question's words as slots, and whether only function words were found."""
        # A repeated word adds no information ("я я я я" is not a stronger question).
        words = list(dict.fromkeys(join_split_words(split_words(text), self._surface)))
        slots = [
            replace(s, word=w) for w in words if (s := self._slot(w, fuzzy=True, keep_stop=False))
        ]
        if slots or len(words) < 2:
            return slots, False
        # Only function words ("What can you do?", "что ты можешь"): use them after all,
        # unless it is a lone "что?" or "ок", which says nothing.
        slots = [
            replace(s, word=w) for w in words if (s := self._slot(w, fuzzy=True, keep_stop=True))
        ]
        return slots, True

    def _slot(self, word: str, *, fuzzy: bool, keep_stop: bool) -> _Slot | None:
        if word.isdigit():
            return _Slot(("#" + (word.lstrip("0") or "0"),), 1.0, None)
        if CYRILLIC_RE.search(word):
            return self._russian_slot(word, fuzzy=fuzzy, keep_stop=keep_stop)
        if LATIN_RE.match(word):
            return self._latin_slot(word, fuzzy=fuzzy, keep_stop=keep_stop)
        return None  # mixed letters and digits: codes, not words

    def _russian_slot(self, word: str, *, fuzzy: bool, keep_stop: bool) -> _Slot | None:
        if len(word) < 2 and not keep_stop:
            return None
        lemmas = lemmas_of(word)
        if not keep_stop and (word in STOP_RU or lemmas[0] in STOP_RU):
            return None
        known = tuple(lemma for lemma in lemmas if lemma in self._known)
        if known:
            return _Slot(known, 1.0, prefix(known[0]))
        if word in self._surface:
            lemma = self._surface[word]
            return _Slot((lemma,), 1.0, prefix(lemma))
        if fuzzy and len(word) >= 4 and not is_known(word):
            match = closest(word, self._cyr_words, self._freq)
            if match is not None:
                corrected, similarity = match
                lemma = self._surface[corrected]
                return _Slot((lemma,), similarity, prefix(lemma))
        return _Slot((lemmas[0],), 1.0, prefix(lemmas[0]))

    def _latin_slot(self, word: str, *, fuzzy: bool, keep_stop: bool) -> _Slot | None:
        if not keep_stop and word in STOP_EN:
            return None
        english = en_stem(word)
        alts: list[str] = [english]
        credit = 1.0
        stem: str | None = None
        # A word the base knows as English is not also guessed fuzzily as Russian.
        russian = self._latin.read(
            word, fuzzy=fuzzy and english not in self._known, known=self._known
        )
        if russian is not None:
            cyr_word, similarity = russian
            slot = self._russian_slot(cyr_word, fuzzy=False, keep_stop=keep_stop)
            if slot is None:
                # A transliterated function word ("kak", "na") unless it is English too.
                return _Slot((english,), 1.0, None) if english in self._known else None
            alts.extend(slot.alts)
            stem = slot.stem
            if english not in self._known:
                credit = similarity
        # The term the index knows goes first: it sets the slot's weight.
        alts.sort(key=lambda term: term not in self._known)
        return _Slot(tuple(alts), credit, stem)

    def latin_to_russian(self, word: str) -> str | None:
        """A Latin-typed word read as a Russian word of the base (or by rule), if it is one."""
        found = self._latin.read(word, fuzzy=True, known=self._known)
        return None if found is None else found[0]

    # ---------------------------------------------------------------- search

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        """The best ``limit`` entries for ``question``, best first, scores in [0, 1]."""
        found = self.lexical(question) if limit > 0 else None
        if found is None:
            return []
        scores = found.scores
        candidates = np.flatnonzero(scores > 0.0)
        if len(candidates) > limit:
            top = np.argpartition(-scores[candidates], limit - 1)[:limit]
            candidates = candidates[top]
        ranked = sorted(candidates.tolist(), key=lambda i: (-scores[i], i))
        return [Hit(self._ids[i], round(float(scores[i]), 4)) for i in ranked[:limit]]

    def lexical(self, question: str) -> Lexical | None:
        """Every entry's score for ``question`` (in entry order) and the unseen share; None
        when the question has no words to search by or the base is empty."""
        if not self._entries:
            return None
        slots, only_function_words = self._slots(question)
        if not slots:
            return None
        known = self._known
        assert isinstance(known, dict)
        n_entries = len(self._entries)
        n_questions = len(self._q_norm)
        coverage = np.zeros(n_entries)
        q_dot = np.zeros(n_questions)
        total = total_sq = unseen = 0.0
        case_number = False
        for slot in slots:
            columns = [known[t] for t in slot.alts if t in known]
            if slot.alts[0] in known:
                weight = float(self._idf[known[slot.alts[0]]])
            elif slot.alts[0].startswith("#"):
                # A number the base never mentions (an application number, a date) marks
                # a personal case: only staff can answer it.
                weight = self._unseen_idf * _NUMBER_BOOST
                case_number = case_number or len(slot.alts[0]) > 3
                unseen += weight
            else:
                weight = self._unseen_idf * rarity(slot.word)
                unseen += weight
            total += weight
            total_sq += weight * weight
            stem = known.get(slot.stem) if slot.stem is not None else None
            if not columns and stem is None:
                continue
            best = np.zeros(n_entries)
            matched = np.zeros(n_questions)
            e_ptr, q_ptr = self._e_ptr, self._q_ptr
            if stem is not None:
                rows = self._e_rows[e_ptr[stem] : e_ptr[stem + 1]]
                best[rows] = self._e_levels[e_ptr[stem] : e_ptr[stem + 1]] * _STEM_CREDIT
                matched[self._q_rows[q_ptr[stem] : q_ptr[stem + 1]]] = _STEM_CREDIT
            for column in columns:
                start, end = e_ptr[column], e_ptr[column + 1]
                rows = self._e_rows[start:end]
                best[rows] = np.maximum(best[rows], self._e_levels[start:end])
                matched[self._q_rows[q_ptr[column] : q_ptr[column + 1]]] = 1.0
            coverage += (weight * slot.credit) * best
            q_dot += (weight * weight * slot.credit) * matched
        if total <= 0.0:
            return None
        cosine = q_dot / (self._q_norm * math.sqrt(total_sq))
        closeness = np.minimum(np.maximum.reduceat(cosine, self._q_starts), 1.0)
        scores = _COVERAGE_SHARE * coverage / total + (1.0 - _COVERAGE_SHARE) * closeness
        if only_function_words:
            scores *= _FUNCTION_WORDS_FACTOR
        np.clip(scores, 0.0, 1.0, out=scores)
        return Lexical(scores, unseen / total, case_number)

    @property
    def ids(self) -> list[str]:
        """The enabled entries' ids, in the order of ``Lexical.scores``."""
        return self._ids

    def __len__(self) -> int:
        return len(self._entries)


def _compress(
    columns: np.ndarray, rows: np.ndarray, n_columns: int, values: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Group (column, row, value) triples by column: pointers, rows and values arrays."""
    order = np.argsort(columns, kind="stable")
    pointers = np.zeros(n_columns + 1, dtype=np.int64)
    np.cumsum(np.bincount(columns, minlength=n_columns), out=pointers[1:])
    return pointers, rows[order], (values[order] if values is not None else None)


def _all_texts(entry: Entry) -> Iterable[str]:
    yield entry.title_ru
    yield entry.answer_ru
    yield from entry.questions
    yield from entry.keywords
