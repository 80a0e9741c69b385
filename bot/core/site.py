"""The office's published static site: one page layout for every feature's page ("доступны
неограниченному кругу лиц") and the site's list of pages, which each page links to.

Features add their pages when imported (like their catalogs). A page is written with
`write`, which links every page in the folder to the others there, so a page written later
(the register after `publish`) is reached from the ones before it and none links to a page
never written. Plain HTML: headings, tables with captions and headers, no JavaScript, large
type.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from mako.template import Template


@dataclass(frozen=True)
class SitePage:
    file: str
    title: str


INDEX = "index.html"
PAGES: list[SitePage] = []


def add_page(page: SitePage) -> None:
    if page not in PAGES:
        PAGES.append(page)
        PAGES.sort(key=lambda p: p.file != INDEX)  # the front page first, the rest as added


_LAYOUT = Template(
    """<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { font-family: sans-serif; font-size: 18px; line-height: 1.5; max-width: 60em;
       margin: 1em auto; padding: 0 1em; color: #111; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #555; padding: .3em .6em; text-align: left; vertical-align: top; }
img { max-width: 100%; height: auto; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0 1.5em; }
</style>
</head>
<body>
${nav | n}
<main>
${body | n}
</main>
</body>
</html>
""",
    default_filters=["h"],  # every value is HTML-escaped; the body was escaped by its own page
)


# The menu between these marks is rewritten when another page joins the folder.
_NAV_START, _NAV_END = "<!-- site menu -->", "<!-- /site menu -->"
_NAV_BLOCK = re.compile(re.escape(_NAV_START) + ".*?" + re.escape(_NAV_END), re.DOTALL)
_NAV = Template(
    """% if len(pages) > 1:
<nav aria-label="Разделы сайта">
<ul>
% for page in pages:
% if page.file == current:
<li><a href="${page.file}" aria-current="page">${page.title}</a></li>
% else:
<li><a href="${page.file}">${page.title}</a></li>
% endif
% endfor
</ul>
</nav>
% endif
""",
    default_filters=["h"],
)


def _nav(current: str, present: Collection[str]) -> str:
    """The menu of the pages in `present` (the current one included); none for one page."""
    pages = [page for page in PAGES if page.file in present or page.file == current]
    return f"{_NAV_START}\n{_NAV.render(pages=pages, current=current)}{_NAV_END}"


def render(page: SitePage, body: str, title: str | None = None) -> str:
    """`body` (already escaped HTML) in the site's layout, titled `title` or the page's; its
    menu is filled in by `write`."""
    return _LAYOUT.render(title=title or page.title, nav=_nav(page.file, ()), body=body)


def write(out: Path, page: SitePage, html: str) -> Path:
    """Write `page` (made by `render`) into `out`, then give every site page there a menu of
    exactly the pages the folder holds."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / page.file
    path.write_text(html, encoding="utf-8")
    present = [known.file for known in PAGES if (out / known.file).is_file()]
    for file in present:
        target = out / file
        text = target.read_text(encoding="utf-8")
        menu = _nav(file, present)
        linked = _NAV_BLOCK.sub(lambda _, menu=menu: menu, text, count=1)
        if linked != text:
            target.write_text(linked, encoding="utf-8")
    return path
