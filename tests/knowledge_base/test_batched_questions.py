"""Questions asked at once are encoded together, in a worker thread, before their updates'
transactions: on SQLite those hold the write lock, and the sentence model's time would hold
everyone else up."""

import asyncio
import threading

import numpy as np
import pytest

from bot.app import App
from knowledge_base.semantic import Encoder
from tests.support.client import Person

QUESTIONS = [
    "Как получить разрешение на перевозку?",
    "Сколько стоит госпошлина?",
    "Где вы находитесь?",
    "Как записаться на приём?",
    "Какие документы нужны?",
    "Можно ли подать заявление онлайн?",
]


async def test_questions_at_once_are_encoded_together_off_the_transaction(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [Person(app, f"p{i}") for i in range(len(QUESTIONS))]
    await Person(app, "first").send("Здравствуйте, как вас найти?")  # builds the base's index

    calls: list[tuple[bool, int]] = []
    encode = Encoder._encode

    def counted(texts: list[str]) -> np.ndarray:
        calls.append((threading.current_thread() is threading.main_thread(), len(texts)))
        return encode(texts)

    monkeypatch.setattr(Encoder, "_encode", staticmethod(counted))
    together = await asyncio.gather(*(p.send(q) for p, q in zip(people, QUESTIONS, strict=True)))
    # Fewer model calls than questions, none in the loop's thread (inside a transaction).
    assert len(calls) < len(QUESTIONS)
    assert sum(size for _, size in calls) >= len(QUESTIONS)
    assert not any(in_loop for in_loop, _ in calls)
    # Each was answered; a vector from a batch is the one the question gets alone.
    assert all(replies for replies in together)
    for question in QUESTIONS:
        batched = app.store.encoder.encode_questions([question])
        assert np.allclose(batched, encode([question]), atol=1e-5)
