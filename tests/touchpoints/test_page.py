"""The register's page on the published site, as a visitor's browser (a real headless
Chromium) shows it: reached from the site's front page, a heading per direction, the form's
columns as table headers, readable without JavaScript."""

import asyncio
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from bot.core.clock import PinnedClock
from tests.conftest import MOSCOW
from tests.support.browser import browser
from tests.surveys.test_publish import needs_chromium
from tests.touchpoints.test_export import COLUMNS, GROUPS


@needs_chromium
def test_the_register_page_is_linked_from_the_front_page_and_reads_as_the_form(
    cli: CliRunner, tmp_path: Path, pinned: PinnedClock
) -> None:
    pinned.set(datetime(2027, 1, 20, 10, 0, tzinfo=MOSCOW))
    site = tmp_path / "site"
    # The register's page is written after the front page and still reached from it.
    for command in (["publish"], ["touchpoints", "export", "--format", "csv", "--publish"]):
        result = cli.invoke(main, [*command, "--out", str(site)])
        assert result.exit_code == 0, result.output

    async def visit() -> tuple[list, str, list, list, str, int, list]:
        async with browser() as page:
            await page.open((site / "index.html").as_uri())
            links = await page.eval("[...document.querySelectorAll('nav a')].map(a => a.href)")
            touchpoints = next(link for link in links if link.endswith("touchpoints.html"))
            await page.open(touchpoints)
            headings = await page.eval(
                "[...document.querySelectorAll('h1,h2')].map(h => h.textContent)"
            )
            heads = await page.eval(
                "[...document.querySelectorAll('table')].slice(0, 6).map(t =>"
                " [...t.querySelectorAll('thead th')].map(th => th.textContent))"
            )
            text = await page.eval("document.body.innerText")
            scripts = await page.eval("document.scripts.length")
            data = await page.eval(
                "[...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))"
            )
            return links, touchpoints, headings, heads, text, scripts, data

    links, touchpoints, headings, heads, text, scripts, data = asyncio.run(visit())
    assert links == [(site / name).as_uri() for name in ("index.html", "touchpoints.html")]
    assert touchpoints == links[1]
    assert headings[0] == "Перечень точек взаимодействия"
    assert headings[1:7] == [f"{n}. {name}" for n, name in enumerate(GROUPS, start=1)]
    assert heads == [COLUMNS] * 6  # every direction's table has exactly the form's columns
    assert scripts == 0
    assert "Чат-бот приёмной в Telegram" in text and "Офлайн-точка" in text
    assert "Как пользуются точками взаимодействия" in headings
    assert data == ["touchpoints.csv", "touchpoints-usage.csv"]
    assert all((site / name).exists() for name in data)


def test_no_page_links_to_a_page_never_written(
    cli: CliRunner, tmp_path: Path, pinned: PinnedClock
) -> None:
    pinned.set(datetime(2027, 1, 20, 10, 0, tzinfo=MOSCOW))
    results, register = tmp_path / "results", tmp_path / "register"

    def write(out: Path, *command: str) -> dict[str, str]:
        """The command's output folder: its pages' HTML by file name."""
        result = cli.invoke(main, [*command, "--out", str(out)])
        assert result.exit_code == 0, result.output
        return {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.html")}

    index = write(results, "publish")["index.html"]
    assert 'href="touchpoints.html"' not in index and "<nav" not in index
    page = write(register, "touchpoints", "export", "--publish")["touchpoints.html"]
    assert 'href="index.html"' not in page and "<nav" not in page
    # The front page written after the register's: each now links the other.
    pages = write(register, "publish")
    assert 'href="touchpoints.html"' in pages["index.html"]
    assert 'href="index.html"' in pages["touchpoints.html"]
