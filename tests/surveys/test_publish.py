"""`priemnaya publish`: the results page as a visitor's browser (a real headless Chromium)
shows it, with the small cells hidden and "Вы сказали — мы сделали"."""

import asyncio
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import create_app
from bot.cli import main
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.db import transaction
from surveys.models import FeedbackChange
from surveys.quarters import Quarter
from tests.conftest import MOSCOW
from tests.support.browser import CHROMIUM, browser
from tests.surveys.feedback_data import answers
from tests.surveys.test_feedback_report import cli, content, quarter_of, store

__all__ = ["cli", "content"]  # fixtures shared with the report's tests

CHANGE = "Добавили вечерний приём по четвергам."


def prepare(settings: Settings, content: Path, quarter: Quarter, *, few: bool) -> None:
    """The report tests' quarter; with `few`, also 3 answers in a cell of their own."""

    async def run() -> None:
        app = await create_app(settings.model_copy(update={"content_dir": content}))
        try:
            small = answers(
                "visit", "satisfied", "consult", "office", quarter.first_week, scores=[1, 2, 3]
            )
            await store(app, [*quarter_of(quarter), *(small if few else [])], [])
            async with transaction(app.sessions) as session:
                session.add(
                    FeedbackChange(
                        quarter="2026Q4",
                        text=CHANGE,
                        added_by="Иванова А.",
                        added_on=date(2026, 12, 1),
                    )
                )
        finally:
            await app.close()

    asyncio.run(run())


def publish_and_visit(
    cli: CliRunner, settings: Settings, content: Path, tmp_path: Path, *, few: bool
) -> tuple[Path, str, list, list, int]:
    prepare(settings, content, Quarter(2026, 4), few=few)
    out = tmp_path / "site"
    result = cli.invoke(main, ["publish", "--out", str(out)])  # the last quarter that ended
    assert result.exit_code == 0, result.output
    assert {"index.html", "results.csv", "feedback-2026Q4.xlsx"} <= {p.name for p in out.iterdir()}
    assert not (out / "feedback-2026Q4.md").exists()  # the staff's summary is not published

    async def visit() -> tuple[str, list, list, int]:
        async with browser() as page:
            await page.open((out / "index.html").as_uri())
            text = await page.eval("document.body.innerText")
            headings = await page.eval(
                "[...document.querySelectorAll('h1,h2')].map(h => h.textContent)"
            )
            images = await page.eval("[...document.images].map(i => [i.alt, i.naturalWidth])")
            scripts = await page.eval("document.scripts.length")
            return text, headings, images, scripts

    return (out, *asyncio.run(visit()))


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (CI installs it)")


@needs_chromium
def test_the_published_page_shows_what_a_visitor_needs(
    cli: CliRunner, settings: Settings, content: Path, tmp_path: Path, pinned: PinnedClock
) -> None:
    pinned.set(datetime(2027, 1, 20, 10, 0, tzinfo=MOSCOW))
    out, text, headings, images, scripts = publish_and_visit(
        cli, settings, content, tmp_path, few=False
    )
    assert headings[0] == "Итоги опросов: 2026Q4"
    assert {"Вы сказали — мы сделали", "Графики", "Данные"} <= set(headings)
    assert scripts == 0  # readable without JavaScript
    assert "Консультация\t20\t70 %" in text  # consult's 20 ratings: 14 of them 4 or 5
    assert "Консультация\t16\t6" in text  # NPS: 6 promoters, 5 detractors of 16
    assert f"2026Q4: {CHANGE}" in text
    assert images and all(alt and width > 0 for alt, width in images)  # every chart loads
    csv_text = (out / "results.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == "показатель,разрез,где,ответов,значение"


@needs_chromium
def test_a_small_cell_and_what_would_give_it_away_are_hidden(
    cli: CliRunner, settings: Settings, content: Path, tmp_path: Path, pinned: PinnedClock
) -> None:
    pinned.set(datetime(2027, 1, 20, 10, 0, tzinfo=MOSCOW))
    _, text, *_ = publish_and_visit(cli, settings, content, tmp_path, few=True)
    assert "меньше 5 ответов — скрыто" in text
    # consult's total would give away its 3 office answers next to its 20 in the messenger.
    assert "Консультация\t20\t70 %" not in text and "Консультация\t23" not in text
