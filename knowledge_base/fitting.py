"""Fitting the decision model on labelled questions (`priemnaya kb fit`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge_base.decision import FEATURES, DecisionModel, fit
from knowledge_base.entries import Entry
from knowledge_base.retrieval import Retriever
from knowledge_base.semantic import Encoder
from knowledge_base.smalltalk import chat_reply

OUT_OF_SCOPE = "-"
# Ranking blend: word evidence, closeness to titles and example questions, closeness to the
# answer text. Chosen on the development and tuning sets (top-1 without a threshold 0.94 on
# faq_tune.tsv against 0.90 for words alone).
BLEND = (1.0, 1.0, 0.3)


def unfitted(blend: tuple[float, float, float] = BLEND) -> DecisionModel:
    """A model that ranks but never answers: what fitting starts from."""
    zeros = (0.0,) * len(FEATURES)
    return DecisionModel(zeros, 0.0, zeros, (1.0,) * len(FEATURES), 1.01, 1.01, blend)


def fit_base(
    entries: Sequence[Entry],
    rows: Sequence[tuple[str, str]],
    encoder: Encoder,
    *,
    out_of_scope_error: float,
    fitted_on: str,
) -> DecisionModel:
    """Fit on ``rows`` of (question, topic id or "-") against ``entries``."""
    retriever = Retriever(entries, encoder, unfitted())
    features, right, outside = [], [], []
    for question, topic in rows:
        if chat_reply(question) is not None:
            continue  # a thank-you never reaches the model
        ranked = retriever.rank(question)
        if ranked is None:
            continue  # no words at all: the bot never answers it, nothing to learn
        order, _, values, _ = ranked
        features.append(values)
        right.append(retriever.words.ids[order[0]] == topic)
        outside.append(topic == OUT_OF_SCOPE)
    if not features:
        raise ValueError("no labelled question has words to search by")
    return fit(
        np.array(features),
        np.array(right, dtype=bool),
        np.array(outside, dtype=bool),
        blend=BLEND,
        out_of_scope_error=out_of_scope_error,
        fitted_on=fitted_on,
    )
