"""What the bot does with a question's hits: answer one entry, suggest a few, or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from knowledge_base.search import Hit, KnowledgeIndex

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


@dataclass(frozen=True)
class Decision:
    """What the bot does with a question: answer one entry, suggest a few, or none."""

    kind: Literal["answer", "suggest", "none"]
    entry_ids: tuple[str, ...]


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
