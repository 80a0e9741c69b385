""" "Результаты опросов" in the bot (/stats): the last finished quarter, small cells hidden."""

from datetime import datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from surveys.quarters import Quarter
from tests.conftest import MOSCOW
from tests.support.client import Person
from tests.surveys.feedback_data import answers
from tests.surveys.test_feedback_report import content, quarter_of, store

__all__ = ["content"]  # the report tests' content: the demo plus two questionnaires


@pytest.fixture
def settings(database_url: str, tmp_path: Path, content: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key="test-secret-key-not-for-production",
        content_dir=content,
        _env_file=None,
    )


async def test_stats_show_the_last_finished_quarter(
    app: App, chat: Person, pinned: PinnedClock
) -> None:
    pinned.set(datetime(2027, 1, 20, 10, 0, tzinfo=MOSCOW))
    await store(app, quarter_of(Quarter(2026, 4))[:20], [])
    await chat.send("/stats")
    lines = chat.last.text.splitlines()
    assert lines[0] == chat.t("stats-title", quarter="2026Q4")
    value = chat.t("stats-value", value=70, unit="%", n=20)  # 14 of 20 rated 4 or 5
    assert chat.t("stats-line", by="service", where="Консультация", value=value) in lines
    assert chat.button(chat.t("stats-changes")).action == "go:changes"


async def test_stats_hide_a_small_cell(app: App, chat: Person, pinned: PinnedClock) -> None:
    pinned.set(datetime(2027, 1, 20, 10, 0, tzinfo=MOSCOW))
    quarter = Quarter(2026, 4)
    few = answers("visit", "satisfied", "permits", "office", quarter.first_week, scores=[5, 4])
    await store(app, [*quarter_of(quarter)[:20], *few], [])
    await chat.send("/stats")
    hidden = chat.t("stats-line", by="service", where="permits", value=chat.t("stats-hidden"))
    assert hidden in chat.last.text.splitlines()
    assert "100%" not in chat.last.text  # the two answers' share is nowhere


async def test_stats_before_any_answer(chat: Person, pinned: PinnedClock) -> None:
    pinned.set(datetime(2027, 1, 20, 10, 0, tzinfo=MOSCOW))
    await chat.send("/stats")
    assert chat.t("stats-empty") in chat.last.text
