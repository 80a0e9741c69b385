"""Search over the knowledge base: which template answers a citizen's question.

How a question becomes terms (the same pipeline is applied to the entries):

* Russian words are reduced to lemmas with pymorphy3 ("записи" -> "запись"), so any
  inflection meets the template. Related words of one family ("записаться" / "запись")
  also meet through a short lemma prefix that earns part of the credit.
* A word that the dictionary does not know and the base does not contain is treated as a
  typo and replaced by the closest word of the base (rapidfuzz), with partial credit.
* Latin words are tried as English (Snowball stem) and as transliterated Russian
  ("zapisatsya", "kak doehat"): first through a table of the base's own words written in
  Latin, then by a rule-based reverse transliteration and pymorphy3, then fuzzily.
* Two neighbour words that are one word of the base ("гос услуги") are joined.

How an entry is scored against the question (score in [0, 1], comparable across questions):

* coverage — the share of the question's information (IDF-weighted terms) that the entry
  explains. Words of the question the base has never seen weigh the most, so a question
  about something else ("штраф ГИБДД") stays low even if it shares "оплатить" with an entry.
* closeness — the best cosine similarity between the question and one of the entry's example
  questions, which separates entries that cover the same words.

The final score blends the two. Everything is in-process (dictionaries and numpy arrays);
the only expensive object, the morphological analyzer, is created once per process, lazily.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import TYPE_CHECKING, Literal

import numpy as np
import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge_base.entries import Entry

if TYPE_CHECKING:
    import pymorphy3

# Decision thresholds on the blended score. Chosen on the dev set (faq_dev.tsv) and two
# self-written sets (~165 questions in all): of the questions ranked correctly, 99% score at
# least 0.45, while 96% of off-topic questions score below it. Lower values start answering
# off-topic questions that share two common words with a template ("сколько стоит ...").
ANSWER_THRESHOLD = 0.45
"""Answer directly at or above this score (and with a clear lead, see ANSWER_MARGIN)."""
SUGGEST_THRESHOLD = 0.35
"""Below ANSWER_THRESHOLD but at or above this: offer up to 3 topics as buttons. Below
0.35 no answerable question of those sets scored, so the bot offers a person instead."""
ANSWER_MARGIN = 0.02
"""The best entry must lead the next one by this much: closer scores are a tie between two
templates (e.g. "подать документы" fits several), and a choice is better than a wrong answer."""

# Scoring weights (chosen on the dev set and a separate self-written set, see benchmarks/).
_STRONG = 1.0  # term names the topic: it is in a title or a keyword
_EXAMPLE = 0.9  # term appears in an example question (may be incidental there)
_WEAK = 0.3  # term appears only in the answer text
_STEM_CREDIT = 0.3  # same 5-letter lemma prefix ("записаться" ~ "запись")
_FUZZY_MIN = 0.79  # normalized OSA similarity: one edit in 5 letters, two in 10
_UNSEEN_BOOST = 1.0  # an unseen word weighs as a word of half an entry, times this
_COVERAGE_SHARE = 0.8  # blend: coverage vs closeness to the best example question
_PREFIX = 5  # letters of a lemma that make its word-family key
_NUMBER_BOOST = 2.0  # unseen numbers (application numbers, dates) weigh double
_FUNCTION_WORDS_FACTOR = 0.8  # a question of function words only is a weak signal

_WORD_RE = re.compile(r"[a-zа-я0-9]+")
_CYRILLIC_RE = re.compile(r"[а-я]")
_LATIN_RE = re.compile(r"^[a-z]+$")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words, question words and politeness: they say nothing about the topic.
_STOP_RU = _wordset(
    """
    а без более бы быть в ваш вам вас весь во вот вы где да даже для до его ее если есть еще
    же за здесь и из или им их к как какой каков когда который кто куда ли либо мне мной мочь
    мой мы на над нам нас наш не него нее нет ни нибудь ничто но ну о об один он она они оно
    от очень по под подсказать подскажите пожалуйста позволить при про раз разве с сам свой
    себя сейчас скажите сказать со спасибо так такой там тебя то тогда тоже только том тот
    ты тут у уж уже хотеть хотеться через что чтоб чтобы чей это этот я здравствуйте
    здравствовать привет добрый день утро вечер день-то можно
    все следует должен почему зачем вообще вопрос интересовать делать сделать
    """
)
_STOP_EN = _wordset(
    """
    a an the i me my we our you your he she it its they them their is are am was were be been
    do does did can could would will shall should may might must to of in on at by for with
    from about as and or but if so not no what how where when which who whom why there here
    this that these those have has had get got want need like please hello hi thanks any some
    """
)

_EN_STEMMER = snowballstemmer.stemmer("english")
_STOP_EN_STEMS = frozenset(_EN_STEMMER.stemWords(sorted(_STOP_EN)))

# Latin -> Cyrillic, longest first. Ambiguities are resolved by trying the base's own words
# first (see _latin_to_russian); these rules cover inflected forms the base does not contain.
_TRANSLIT_RULES: tuple[tuple[str, str], ...] = tuple(
    (pair[: pair.index("=")], pair[pair.index("=") + 1 :])
    for pair in _wordset(
        """
        shch=щ tsya=ться sch=щ zh=ж kh=х ch=ч sh=ш ts=ц ya=я yu=ю yo=е ye=е ja=я ju=ю
        a=а b=б v=в g=г d=д e=е z=з i=и y=ы k=к l=л m=м n=н o=о p=п r=р s=с t=т u=у f=ф
        h=х c=ц j=й w=в x=кс q=к
        """
    )
)
# Cyrillic -> the Latin spelling people type in chats (no apostrophes for ь/ъ).
_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_VOWELS_LAT = frozenset("aeiouy")


@dataclass(frozen=True)
class Hit:
    """One candidate entry for a question; ``score`` is in [0, 1]."""

    entry_id: str
    score: float


@dataclass(frozen=True)
class Decision:
    """What the bot does with a question: answer one entry, suggest a few, or none."""

    kind: Literal["answer", "suggest", "none"]
    entry_ids: tuple[str, ...]


# ------------------------------------------------------------------ shared, cached analysis


@functools.cache
def _morph() -> pymorphy3.MorphAnalyzer:
    # Loading the dictionaries takes ~0.1 s and ~15 MB: once per process, on first use.
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=200_000)
def _lemmas(word: str) -> tuple[str, ...]:
    """Distinct normal forms of a Cyrillic word, the most likely first."""
    seen: dict[str, None] = {}
    for parse in _morph().parse(word)[:4]:
        lemma = parse.normal_form.replace("ё", "е")
        # Reflexive and plain verbs meet: "регулируется" ~ "регулировать", "записаться" ~
        # "записать"; the difference rarely changes what a citizen asks about.
        if lemma.endswith(("ться", "тись", "чься")):
            lemma = lemma[:-2]
        seen.setdefault(lemma, None)
    return tuple(seen)


@functools.lru_cache(maxsize=200_000)
def _is_known(word: str) -> bool:
    return bool(_morph().word_is_known(word))


@functools.lru_cache(maxsize=50_000)
def _en_stem(word: str) -> str:
    return "en:" + _EN_STEMMER.stemWord(word)


# Phrases whose words mislead one by one: "электронная почта" is e-mail, not the post.
_EMAIL_RE = re.compile(
    r"\b(?:e-mail|е-мейл\w*|емейл\w*|имейл\w*|мейл\w*|электронк\w*"
    r"|эл(?:ектронн\w*|\.)?\s*почт\w*)"
)


def _en_stop(term: str) -> bool:
    return term.startswith("en:") and term[3:] in _STOP_EN_STEMS


# Chat spellings too far from the word for a typo match.
_COLLOQUIAL = {
    "скоко": "сколько", "скока": "сколько", "сколка": "сколько", "чё": "что", "че": "что",
    "щас": "сейчас", "чтоли": "что", "пжл": "пожалуйста", "пжлст": "пожалуйста",
    "плиз": "пожалуйста", "спс": "спасибо", "норм": "нормально", "тел": "телефон",
    "инфа": "информация",
}  # fmt: skip


def _words(text: str) -> list[str]:
    text = text.lower().replace("ё", "е")
    text = _EMAIL_RE.sub(" email ", text)
    words = _WORD_RE.findall(text)
    if _COLLOQUIAL.keys().isdisjoint(words):
        return words
    return [_COLLOQUIAL.get(word, word) for word in words]


_CYR_TO_LAT_TABLE = str.maketrans(_CYR_TO_LAT)


def _to_latin(word: str) -> str:
    return word.translate(_CYR_TO_LAT_TABLE)


def _canon_latin(word: str) -> str:
    """Bring a Latin spelling of a Russian word to the form _to_latin produces."""
    word = word.replace("shch", "sch").replace("kh", "h").replace("x", "ks").replace("w", "v")
    word = word.replace("ja", "ya").replace("ju", "yu").replace("j", "y").replace("q", "k")
    # "c" alone is "ц" (spec, ecp); "ch" stays.
    return re.sub(r"c(?!h)", "ts", word)


_TRANSLIT_RE = re.compile("|".join(sorted((lat for lat, _ in _TRANSLIT_RULES), key=len)[::-1]))
_TRANSLIT_MAP = dict(_TRANSLIT_RULES)


@functools.lru_cache(maxsize=50_000)
def _from_latin(word: str) -> str:
    def replace(match: re.Match[str]) -> str:
        lat = match.group()
        # "y" after a vowel or at the start is "й" (moy, yolka), else "ы".
        if lat == "y" and (match.start() == 0 or word[match.start() - 1] in _VOWELS_LAT):
            return "й"
        return _TRANSLIT_MAP[lat]

    return _TRANSLIT_RE.sub(replace, word)


def _prefix(lemma: str) -> str | None:
    return "~" + lemma[:_PREFIX] if len(lemma) > _PREFIX else None


# ------------------------------------------------------------------ the index


@dataclass(frozen=True)
class _Slot:
    """One word of the question: alternative terms, their credit and the stem fallback."""

    alts: tuple[str, ...]
    credit: float
    stem: str | None


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
                    words = self._text_words[text] = _words(text)
                freq.update(words)
        surface = {w: _lemmas(w)[0] for w in freq if _CYRILLIC_RE.search(w)}
        self._surface = surface
        self._cyr_words = _LengthBuckets(word for word in surface if len(word) >= 4)
        self._latin: dict[str, str] = {}
        for word in surface:
            latin = _to_latin(word)
            if latin not in self._latin:
                self._latin[latin] = word
                freq[latin] = freq[word]
        self._freq: dict[str, int] = freq
        self._latin_words = _LengthBuckets(self._latin)
        # Terms the base knows. While indexing: the lemmas of its Russian words; afterwards
        # every indexed term, mapped to its column.
        self._known: set[str] | dict[str, int] = set(surface.values())
        self._word_cache: dict[str, tuple[str, ...]] = {}
        self._english_word_cache: dict[str, tuple[str, ...]] = {}
        self._terms_cache: dict[tuple[str, bool], frozenset[str]] = {}
        self._latin_cache: dict[tuple[str, bool], tuple[str, float] | None] = {}

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
            [not (t.startswith("~") or t in _STOP_RU or _en_stop(t)) for t in columns],
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
            words = _words(text)
        if not prose:
            words = self._join_split_words(words)
        cache = self._english_word_cache if english else self._word_cache
        for word in [word for word in words if word not in cache]:
            if english and _LATIN_RE.match(word):
                cache[word] = (_en_stem(word),)
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
        words = list(dict.fromkeys(self._join_split_words(_words(text))))
        slots = [s for s in (self._slot(w, fuzzy=True, keep_stop=False) for w in words) if s]
        if slots or len(words) < 2:
            return slots, False
        # Only function words ("What can you do?", "что ты можешь"): use them after all,
        # unless it is a lone "что?" or "ок", which says nothing.
        return [s for s in (self._slot(w, fuzzy=True, keep_stop=True) for w in words) if s], True

    def _join_split_words(self, words: list[str]) -> list[str]:
        """Join neighbours that form one word of the base: "гос услуги", "в контакте"."""
        if len(words) < 2:
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            # Only a short first part is a split-off prefix (гос, спец, в, эл).
            if (
                len(words[i]) <= 4
                and i + 1 < len(words)
                and (words[i] + words[i + 1]) in self._surface
            ):
                out.append(words[i] + words[i + 1])
                i += 2
            else:
                out.append(words[i])
                i += 1
        return out

    def _slot(self, word: str, *, fuzzy: bool, keep_stop: bool) -> _Slot | None:
        if word.isdigit():
            return _Slot(("#" + (word.lstrip("0") or "0"),), 1.0, None)
        if _CYRILLIC_RE.search(word):
            return self._russian_slot(word, fuzzy=fuzzy, keep_stop=keep_stop)
        if _LATIN_RE.match(word):
            return self._latin_slot(word, fuzzy=fuzzy, keep_stop=keep_stop)
        return None  # mixed letters and digits: codes, not words

    def _russian_slot(self, word: str, *, fuzzy: bool, keep_stop: bool) -> _Slot | None:
        if len(word) < 2 and not keep_stop:
            return None
        lemmas = _lemmas(word)
        if not keep_stop and (word in _STOP_RU or lemmas[0] in _STOP_RU):
            return None
        known = tuple(lemma for lemma in lemmas if lemma in self._known)
        if known:
            return _Slot(known, 1.0, _prefix(known[0]))
        if word in self._surface:
            lemma = self._surface[word]
            return _Slot((lemma,), 1.0, _prefix(lemma))
        if fuzzy and len(word) >= 4 and not _is_known(word):
            match = self._closest(word, self._cyr_words)
            if match is not None:
                corrected, similarity = match
                lemma = self._surface[corrected]
                return _Slot((lemma,), similarity, _prefix(lemma))
        return _Slot((lemmas[0],), 1.0, _prefix(lemmas[0]))

    def _latin_slot(self, word: str, *, fuzzy: bool, keep_stop: bool) -> _Slot | None:
        if not keep_stop and word in _STOP_EN:
            return None
        english = _en_stem(word)
        alts: list[str] = [english]
        credit = 1.0
        stem: str | None = None
        # A word the base knows as English is not also guessed fuzzily as Russian.
        russian = self._latin_to_russian(word, fuzzy=fuzzy and english not in self._known)
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

    def _latin_to_russian(self, word: str, *, fuzzy: bool) -> tuple[str, float] | None:
        key = (word, fuzzy)
        if key not in self._latin_cache:
            if len(self._latin_cache) > 50_000:
                self._latin_cache.clear()
            self._latin_cache[key] = self._latin_to_russian_uncached(word, fuzzy=fuzzy)
        return self._latin_cache[key]

    def _latin_to_russian_uncached(self, word: str, *, fuzzy: bool) -> tuple[str, float] | None:
        if len(word) < 2:
            return None
        canon = _canon_latin(word)
        if canon in self._latin:
            return self._latin[canon], 1.0
        guess = _from_latin(word)
        if any(lemma in self._known for lemma in _lemmas(guess)) or _is_known(guess):
            return guess, 1.0
        if fuzzy and len(canon) >= 4:
            match = self._closest(canon, self._latin_words)
            if match is not None:
                return self._latin[match[0]], match[1]
        # Not Russian after all (an English word, a name): no garbage Cyrillic terms.
        return None

    def _closest(self, word: str, choices: _LengthBuckets) -> tuple[str, float] | None:
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
        best = max(found, key=lambda item: (round(item[1], 6), self._freq.get(item[0], 0)))
        return best[0], best[1]

    # ---------------------------------------------------------------- search

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        """The best ``limit`` entries for ``question``, best first, scores in [0, 1]."""
        if not self._entries or limit <= 0:
            return []
        slots, only_function_words = self._slots(question)
        if not slots:
            return []
        known = self._known
        assert isinstance(known, dict)
        n_entries = len(self._entries)
        n_questions = len(self._q_norm)
        coverage = np.zeros(n_entries)
        q_dot = np.zeros(n_questions)
        total = 0.0
        total_sq = 0.0
        for slot in slots:
            columns = [known[t] for t in slot.alts if t in known]
            if slot.alts[0] in known:
                weight = float(self._idf[known[slot.alts[0]]])
            else:
                weight = self._unseen_idf
                if slot.alts[0].startswith("#"):
                    # A number the base never mentions (an application number, a date) marks
                    # a personal case: only staff can answer it.
                    weight *= _NUMBER_BOOST
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
            return []
        cosine = q_dot / (self._q_norm * math.sqrt(total_sq))
        closeness = np.minimum(np.maximum.reduceat(cosine, self._q_starts), 1.0)
        scores = _COVERAGE_SHARE * coverage / total + (1.0 - _COVERAGE_SHARE) * closeness
        if only_function_words:
            scores *= _FUNCTION_WORDS_FACTOR
        np.clip(scores, 0.0, 1.0, out=scores)
        candidates = np.flatnonzero(scores > 0.0)
        if len(candidates) > limit:
            top = np.argpartition(-scores[candidates], limit - 1)[:limit]
            candidates = candidates[top]
        ranked = sorted(candidates.tolist(), key=lambda i: (-scores[i], i))
        return [Hit(self._ids[i], round(float(scores[i]), 4)) for i in ranked[:limit]]

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


class _LengthBuckets:
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


def _all_texts(entry: Entry) -> Iterable[str]:
    yield entry.title_ru
    yield entry.answer_ru
    yield from entry.questions
    yield from entry.keywords


# ------------------------------------------------------------------ decisions


def decide(hits: Sequence[Hit]) -> Decision:
    """Turn ranked hits into what the bot does.

    * answer  — the best score is at least ANSWER_THRESHOLD and leads the runner-up by
      ANSWER_MARGIN: most of the question is explained by one template.
    * suggest — the best score is at least SUGGEST_THRESHOLD: the question is about the base
      but too short or too ambiguous; up to 3 topics are offered as buttons.
    * none    — the question is mostly about things the base does not know: a person answers.
    """
    if not hits or hits[0].score < SUGGEST_THRESHOLD:
        return Decision("none", ())
    top = hits[0]
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    if top.score >= ANSWER_THRESHOLD and top.score - runner_up >= ANSWER_MARGIN:
        return Decision("answer", (top.entry_id,))
    ids = tuple(hit.entry_id for hit in hits[:3] if hit.score >= SUGGEST_THRESHOLD)
    return Decision("suggest", ids)


def ask(index: KnowledgeIndex, question: str) -> tuple[str | None, float]:
    """The topic id the bot answers with (None unless it answers directly) and the top score."""
    hits = index.search(question, limit=3)
    decision = decide(hits)
    top = hits[0].score if hits else 0.0
    return (decision.entry_ids[0] if decision.kind == "answer" else None), top
