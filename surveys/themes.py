"""Free-text themes: the words and two-word phrases that the most answers use, by lemma
("долго ждала ответа" and "ждали ответ" both say "ждать ответ").

Only content words count (nouns, adjectives, verbs, adverbs, by pymorphy3's part of speech),
without a few that say nothing in a survey ("очень", "быть"); names, surnames and patronymics
are never counted, and placeholders the scrubber left ("[номер скрыт]") are dropped. A theme
is listed only when at least MIN_ANSWERS different answers use it, so a rare word, which may
point to one person, never appears.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from surveys.suppression import MIN_ANSWERS

if TYPE_CHECKING:
    import pymorphy3

_PLACEHOLDER = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[а-яё]+(?:-[а-яё]+)?")
_CONTENT = frozenset(
    {"NOUN", "ADJF", "ADJS", "COMP", "VERB", "INFN", "PRTF", "PRTS", "GRND", "ADVB"}
)
_PERSONAL = frozenset({"Name", "Surn", "Patr"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words any answer may use, whatever it is about.
_STOP = _words(
    """
    быть мочь очень весь всё это этот свой самый также тоже просто вообще ещё уже сейчас
    спасибо пожалуйста хотеть сказать делать сделать нужно можно надо стать есть нет
    """
)
MIN_LENGTH = 3


@dataclass(frozen=True)
class Themes:
    words: tuple[tuple[str, int], ...]  # (lemma, how many answers use it), most used first
    phrases: tuple[tuple[str, int], ...]  # ("ждать ответ", n)
    answers: int  # free-text answers read


@functools.cache
def _morph() -> pymorphy3.MorphAnalyzer:
    import pymorphy3  # ~0.1 s and 15 MB of dictionaries: only where a report is made

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=100_000)
def lemma(word: str) -> str | None:
    """The word's normal form if it carries meaning, else None."""
    if len(word) < MIN_LENGTH:
        return None
    parse = _morph().parse(word)[0]
    tag = parse.tag
    if tag.POS not in _CONTENT or _PERSONAL & tag.grammemes:
        return None
    normal = parse.normal_form.replace("ё", "е")
    return None if normal in _STOP or len(normal) < MIN_LENGTH else normal


def lemmas(text: str) -> list[str]:
    words = _WORD.findall(_PLACEHOLDER.sub(" ", text.lower()))
    return [found for word in words if (found := lemma(word)) is not None]


def themes(texts: Iterable[str], top: int = 15, min_answers: int = MIN_ANSWERS) -> Themes:
    words: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    answers = 0
    for text in texts:
        answers += 1
        found = lemmas(text)
        words.update(set(found))  # answers, not mentions: one long answer counts once
        phrases.update({f"{a} {b}" for a, b in itertools.pairwise(found) if a != b})
    return Themes(_common(words, top, min_answers), _common(phrases, top, min_answers), answers)


def _common(counts: Counter[str], top: int, min_answers: int) -> tuple[tuple[str, int], ...]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple((term, n) for term, n in ranked[:top] if n >= min_answers)
