"""The retrieval pipeline: a question, the entries that may answer it, and what the bot does.

1. Small talk first: a thank-you or a greeting gets a short human reply (smalltalk.py).
2. Word evidence per entry (search.py: lemmas, typos, Latin spelling, rare unseen words).
3. Meaning per entry (semantic.py): the closeness of the question to the entry's titles and
   example questions, and to its answer text; and to the known out-of-scope questions
   (every entry's ``negatives``).
4. Entries are ranked by a blend of the three; the decision model (decision.py) turns the
   evidence for the best one into answer / offer up to 3 / a person.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge_base.decision import FEATURES, Decision, DecisionModel
from knowledge_base.entries import Entry
from knowledge_base.search import Hit, KnowledgeIndex
from knowledge_base.semantic import Encoder
from knowledge_base.smalltalk import chat_reply
from knowledge_base.words import russian_reading

# Characters of an answer given to the sentence model: its opening says what it is about, and
# the model's cost grows with the text (a 300-character answer costs as much as 6 questions).
ANSWER_LIMIT = 150


class Retriever:
    """Build once per version of the base; ``decide`` many times."""

    def __init__(self, entries: Sequence[Entry], encoder: Encoder, model: DecisionModel) -> None:
        self.words = KnowledgeIndex(entries)
        self.model = model
        self._encoder = encoder
        enabled = [entry for entry in entries if entry.enabled]
        self._ids = self.words.ids
        asks: list[str] = []
        ask_owner: list[int] = []
        answers: list[str] = []
        for number, entry in enumerate(enabled):
            own = (entry.title_ru, entry.title_en, *entry.questions)
            asks.extend(own)
            ask_owner.extend([number] * len(own))
            answers.extend((entry.answer_ru[:ANSWER_LIMIT], entry.answer_en[:ANSWER_LIMIT]))
        negatives = [text for entry in enabled for text in entry.negatives]
        vectors = encoder.encode([*asks, *answers, *negatives])
        self._asks = vectors[: len(asks)]
        self._answers = vectors[len(asks) : len(asks) + len(answers)]
        self._negatives = vectors[len(asks) + len(answers) :]
        owner = np.array(ask_owner, dtype=np.intp)
        # Questions of one entry are contiguous: reduceat takes each entry's best one.
        self._ask_starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if asks else owner
        encoder.save()

    def __len__(self) -> int:
        return len(self._ids)

    def decide(self, question: str) -> tuple[Decision, list[Hit]]:
        """What the bot does with ``question``, and the best 3 entries with their blend."""
        chat = chat_reply(question)
        if chat is not None:
            return Decision("chat", (), chat=chat), []
        ranked = self.rank(question)
        if ranked is None:
            return Decision("none", ()), []
        order, blend, features, case_number = ranked
        ids = [self._ids[i] for i in order[:3]]
        hits = [Hit(self._ids[i], round(float(blend[i]), 4)) for i in order[:3]]
        decision = self.model.decide(ids, features)
        if case_number and decision.kind == "answer":
            # "Why is there no decision on application No. 1542?" is one person's case: the
            # general answers are offered, and a person, but none is given as the answer.
            return Decision("suggest", tuple(ids), decision.confidence), hits
        return decision, hits

    def search(self, question: str, limit: int) -> list[Hit]:
        """The best ``limit`` entries by the blend, without deciding (drafts, moderation)."""
        ranked = self.rank(question)
        if ranked is None:
            return []
        order, blend, _, _ = ranked
        return [Hit(self._ids[i], round(float(blend[i]), 4)) for i in order[:limit]]

    def queries(self, question: str) -> list[str]:
        """The texts `decide` would encode for `question`: none for small talk or a text
        with no words to search by; the question, and its Cyrillic reading if typed in
        Latin letters."""
        if chat_reply(question) is not None or self.words.lexical(question) is None:
            return []
        return self._readings(question)

    def _readings(self, question: str) -> list[str]:
        reading = russian_reading(question, self.words.latin_to_russian)
        # As typed and as read in Cyrillic: the closer reading counts.
        return [question] if reading is None else [question, reading]

    def rank(self, question: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool] | None:
        """Entry positions best first, the blend score of each, the decision features, and
        whether the question names a case number."""
        lexical = self.words.lexical(question)
        if lexical is None or not len(self._ids):
            return None
        vectors = self._encoder.encode_questions(self._readings(question)).T
        meaning = np.maximum.reduceat((self._asks @ vectors).max(axis=1), self._ask_starts)
        answer = (self._answers @ vectors).max(axis=1).reshape(-1, 2).max(axis=1)
        negative = float((self._negatives @ vectors).max()) if len(self._negatives) else 0.0
        words = lexical.scores
        w_words, w_meaning, w_answer = self.model.blend
        blend = w_words * words + w_meaning * meaning + w_answer * answer
        order = np.argsort(-blend, kind="stable")
        best = order[0]
        second = order[1] if len(order) > 1 else best

        def lead(scores: np.ndarray) -> float:
            others = np.delete(scores, best)
            return float(scores[best] - (others.max() if len(others) else 0.0))

        values = {
            "blend": blend[best],
            "blend_lead": blend[best] - blend[second] if second != best else blend[best],
            "words": words[best],
            "meaning": meaning[best],
            "meaning_answer": answer[best],
            "words_lead": lead(words),
            "meaning_lead": lead(meaning),
            "words_agree": float(int(np.argmax(words)) == best),
            "meaning_agree": float(int(np.argmax(meaning)) == best),
            "unseen": lexical.unseen_share,
            "negative": negative,
            "meaning_over_negative": meaning[best] - negative,
            "words_times_meaning": words[best] * meaning[best],
        }
        features = np.array([values[name] for name in FEATURES], dtype=float)
        return order, blend, features, lexical.case_number
