"""What the bot does with a question: answer one entry, offer a few, or hand it to a person.

One small model decides: a logistic regression (numpy) over the evidence for the best-ranked
entry (its word and meaning scores, its lead over the next one, the share of the question
the base has no words for, the closeness to known out-of-scope questions). It gives the
probability that the best entry is the right answer. Its weights and the two thresholds are
fitted on labelled questions (`priemnaya kb fit`) and stored with the base as JSON; the
answer threshold is the lowest that keeps the share of out-of-scope questions answered
within a stated error rate on those questions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import numpy as np

FEATURES = (
    "blend",  # the ranking score of the best entry
    "blend_lead",  # its lead over the second entry
    "words",  # word evidence (search.py) of the best entry
    "meaning",  # closeness to its titles and example questions
    "meaning_answer",  # closeness to its answer text
    "words_lead",  # best entry's word score minus the best other entry's
    "meaning_lead",
    "words_agree",  # 1 when word evidence alone ranks the same entry first
    "meaning_agree",
    "unseen",  # share of the question made of words the base never uses, by rarity
    "negative",  # closeness to the nearest known out-of-scope question
    "meaning_over_negative",
    "words_times_meaning",  # high only when both kinds of evidence point at the entry
)

Kind = Literal["answer", "suggest", "none", "chat"]


@dataclass(frozen=True)
class Decision:
    """``entry_ids``: the answer, or up to 3 offers. ``chat``: a catalog key for a short
    human reply to a thank-you or a greeting. ``confidence``: probability the best entry is
    right."""

    kind: Kind
    entry_ids: tuple[str, ...]
    confidence: float = 0.0
    chat: str | None = None


@dataclass(frozen=True)
class DecisionModel:
    """Logistic regression on standardised FEATURES, with its thresholds and blend weights."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    answer_at: float  # answer at or above this probability
    suggest_at: float  # offer up to 3 entries at or above this; below, offer a person
    blend: tuple[float, float, float]  # ranking: words, meaning, meaning of the answer text
    # A near tie between the best two entries is a choice, not an answer ("согласие" fits the
    # consent to personal data and the consent to proactive services alike).
    answer_lead: float = 0.05
    fitted_on: str = ""  # what it was fitted on, for people reading the file

    def probability(self, features: np.ndarray) -> np.ndarray:
        z = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 / (1.0 + np.exp(-(z @ np.asarray(self.weights) + self.bias)))

    def decide(self, ranked: Sequence[str], features: np.ndarray) -> Decision:
        """The decision for one question: ``ranked`` entry ids (best first), its features."""
        if not ranked:
            return Decision("none", ())
        confidence = round(float(self.probability(features[None, :])[0]), 4)
        lead = float(features[FEATURES.index("blend_lead")])
        if confidence >= self.answer_at and lead >= self.answer_lead:
            return Decision("answer", (ranked[0],), confidence)
        if confidence >= self.suggest_at:
            return Decision("suggest", tuple(ranked[:3]), confidence)
        return Decision("none", (), confidence)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> DecisionModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = cls(**{key: tuple(v) if isinstance(v, list) else v for key, v in data.items()})
        if not len(model.weights) == len(model.mean) == len(model.scale) == len(FEATURES):
            raise ValueError(
                f"{path}: the model has {len(model.weights)} weights, "
                f"this version uses {len(FEATURES)} features; run `kb fit`"
            )
        return model


def _train(z: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by gradient descent: deterministic, no library."""
    weights = np.zeros(z.shape[1])
    bias = 0.0
    for _ in range(4000):
        p = 1.0 / (1.0 + np.exp(-(z @ weights + bias)))
        weights -= 0.5 * (z.T @ (p - target) + weights) / len(target)
        bias -= 0.5 * float((p - target).mean())
    return weights, bias


_FOLDS = 5


def fit(
    features: np.ndarray,
    right: np.ndarray,
    out_of_scope: np.ndarray,
    *,
    blend: tuple[float, float, float],
    out_of_scope_error: float,
    fitted_on: str,
) -> DecisionModel:
    """Fit the model: ``right`` marks questions whose best entry is the right one,
    ``out_of_scope`` those the base must not answer.

    The weights are fitted on every question; the thresholds are chosen on probabilities
    each question got from a model fitted without it (5 folds), so they hold for questions
    the model has not seen rather than for the ones it was fitted on."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-6
    z = (features - mean) / scale
    target = right.astype(float)
    weights, bias = _train(z, target)
    unseen = np.zeros(len(target))
    folds = np.arange(len(target)) % _FOLDS
    for fold in range(_FOLDS):
        held = folds == fold
        fold_weights, fold_bias = _train(z[~held], target[~held])
        unseen[held] = 1.0 / (1.0 + np.exp(-(z[held] @ fold_weights + fold_bias)))
    # The lowest threshold at which no more than `out_of_scope_error` of the out-of-scope
    # questions would be answered, but never below an even chance.
    scores = np.sort(unseen[out_of_scope])[::-1]
    allowed = int(np.floor(out_of_scope_error * len(scores)))
    answer_at = max(0.5, float(scores[allowed]) + 1e-4) if len(scores) > allowed else 0.5
    # Offers are for questions that are probably ours but unclear: most out-of-scope
    # questions (70 %) go straight to a person instead of getting three wrong buttons.
    suggest_at = float(np.quantile(unseen[out_of_scope], 0.7)) if out_of_scope.any() else 0.2
    return DecisionModel(
        weights=tuple(round(float(w), 6) for w in weights),
        bias=round(bias, 6),
        mean=tuple(round(float(m), 6) for m in mean),
        scale=tuple(round(float(s), 6) for s in scale),
        answer_at=round(answer_at, 4),
        suggest_at=round(min(suggest_at, answer_at), 4),
        blend=blend,
        fitted_on=fitted_on,
    )
