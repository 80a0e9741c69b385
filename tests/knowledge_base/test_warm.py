"""The index built at start does not hold the database: people are answered meanwhile."""

import asyncio
import threading

import pytest

from bot.core.messages import Incoming


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_people_are_answered_while_the_index_is_built(app, monkeypatch) -> None:
    building, release = threading.Event(), threading.Event()
    real = app.store._retriever

    def slow_build(entries: list) -> object:  # the sentence model over every entry
        building.set()
        release.wait(timeout=30)
        return real(entries)

    monkeypatch.setattr(app.store, "_retriever", slow_build)
    app.store._cached = None  # as at a start
    warming = asyncio.create_task(app.store.warm(app.sessions))
    try:
        await asyncio.to_thread(building.wait, 30)
        replies = await app.engine.handle(
            Incoming("telegram", "61", "61", text="/start", update_id="warm-1")
        )
        assert replies and not warming.done()  # answered with the build still under way
    finally:
        release.set()
        await warming
