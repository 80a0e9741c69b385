"""The communication rules' reading of a staff answer before it goes out (seed 003, п. 7):
stock phrases the rules forbid, a bare refusal with no other way offered, abbreviations left
unexplained, sentences too long to follow. The lists are content (wording.yaml, the office's
copy in CONTENT_DIR/tickets/); words are compared by lemma, so "вопросы взяты на контроль"
meets "вопрос взят на контроль". The lemmatiser is the knowledge base's, handed in by the
assembly (a feature imports no other feature)."""

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field

from bot.core.content import Line, Loc, Strict, load_model

SHIPPED = Path(__file__).parent / "wording.yaml"

# The normal forms of one lower-case Cyrillic word, the likeliest first.
Lemmas = Callable[[str], Sequence[str]]

_WORD_RE = re.compile(r"[^\W\d_]+")
# Upper-case words of two to six letters; longer ones are shouting, not abbreviations.
_ABBREVIATION_RE = re.compile(r"(?<![\w-])([А-ЯЁA-Z]{2,6})(?![\w-])")
_ROMAN_RE = re.compile(r"^[IVXLCDM]+$")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+|\n+")
# A forbidden phrase may have a couple of words put between its own: "обращение было
# рассмотрено", "вопрос взят нами на контроль".
PHRASE_GAP = 2
QUOTED_WORDS = 6  # of a long sentence, to show which one


class _Phrase(Strict):
    phrase: Line
    instead: Line  # what to say instead, shown to the employee


class _Refusal(Strict):
    words: tuple[Line, ...]
    alternatives: tuple[Line, ...]


class _WordingFile(Strict):
    phrases: tuple[_Phrase, ...] = ()
    refusal: _Refusal | None = None
    abbreviations: tuple[Annotated[str, Field(pattern=r"^[А-ЯЁA-Z]{2,6}$")], ...] = ()
    sentence_words: int = Field(default=40, gt=0)


def _problems(rules: _WordingFile) -> Iterator[tuple[Loc, str]]:
    seen: set[str] = set()
    for index, item in enumerate(rules.phrases):
        key = item.phrase.lower()
        if key in seen:
            where = ("phrases", index, "phrase")
            yield where, f"phrases.{index}.phrase: {item.phrase!r} is listed twice"
        seen.add(key)


@dataclass(frozen=True)
class Finding:
    """One thing to point out: a phrase (with what to say instead), a refusal, the
    unexplained abbreviations, or a long sentence (its word count and first words)."""

    rule: str  # phrase | refusal | abbreviations | long
    quote: str = ""
    hint: str = ""
    words: int = 0


class Wording:
    def __init__(self, rules: _WordingFile, lemmas: Lemmas) -> None:
        self.rules = rules
        self.lemmas = lemmas
        self.phrases = [(item, self._words(item.phrase)) for item in rules.phrases]
        refusal = rules.refusal
        self.refusals = self._lemma_set(refusal.words) if refusal else frozenset()
        self.alternatives = self._lemma_set(refusal.alternatives) if refusal else frozenset()
        self.allowed = frozenset(rules.abbreviations)

    def check(self, text: str) -> list[Finding]:
        """What the rules would have the employee look at again; empty for a clean answer."""
        words = self._words(text)
        found = [
            Finding("phrase", item.phrase, item.instead)
            for item, phrase in self.phrases
            if phrase and _contains(words, phrase)
        ]
        seen = set().union(*words) if words else set()
        if self.refusals & seen and not self.alternatives & seen:
            found.append(Finding("refusal"))
        unexplained = self._unexplained(text)
        if unexplained:
            found.append(Finding("abbreviations", ", ".join(unexplained)))
        for sentence in _SENTENCE_END_RE.split(text):
            count = len(_WORD_RE.findall(sentence))
            if count > self.rules.sentence_words:
                start = " ".join(sentence.split()[:QUOTED_WORDS])
                found.append(Finding("long", start, words=count))
        return found

    def _unexplained(self, text: str) -> list[str]:
        """Abbreviations neither on the allowed list nor explained in brackets next to them
        ("ГИБДД (Госавтоинспекция)", "многофункциональный центр (МФЦ)"), in order, once."""
        out: dict[str, None] = {}
        for match in _ABBREVIATION_RE.finditer(text):
            word = match.group(1)
            if word in self.allowed or _ROMAN_RE.match(word):
                continue
            if f"({word})" in text or re.search(rf"(?<![\w-]){word}\s*\(", text):
                continue
            out.setdefault(word, None)
        return list(out)

    def _words(self, text: str) -> list[frozenset[str]]:
        """Each word of the text as the set of its lemmas."""
        out = []
        for word in _WORD_RE.findall(text.lower().replace("ё", "е")):
            cyrillic = "а" <= word[0] <= "я"
            out.append(frozenset(self.lemmas(word)) | {word} if cyrillic else frozenset({word}))
        return out

    def _lemma_set(self, words: Sequence[str]) -> frozenset[str]:
        return frozenset().union(*self._words(" ".join(words)))


def _contains(words: Sequence[frozenset[str]], phrase: Sequence[frozenset[str]]) -> bool:
    """Whether the phrase's words occur in order, at most PHRASE_GAP other words apart."""
    for start, word in enumerate(words):
        if not word & phrase[0]:
            continue
        at, matched = start, 1
        while matched < len(phrase):
            ahead = words[at + 1 : at + 2 + PHRASE_GAP]
            step = next((i for i, w in enumerate(ahead) if w & phrase[matched]), None)
            if step is None:
                break
            at, matched = at + 1 + step, matched + 1
        if matched == len(phrase):
            return True
    return False


def load_wording(path: Path, lemmas: Lemmas) -> Wording:
    """Read wording.yaml; ContentError names the file, line and value at fault."""
    return Wording(load_model(path, _WordingFile, checks=_problems), lemmas)


def wording_path(content_dir: Path | None) -> Path:
    """CONTENT_DIR/tickets/wording.yaml when the office has one, else the shipped demo."""
    path = content_dir / "tickets" / "wording.yaml" if content_dir else SHIPPED
    return path if path.exists() else SHIPPED
