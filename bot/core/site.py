"""The office's published static site: one page layout for every feature's page ("доступны
неограниченному кругу лиц") and the site's list of pages, which each page links to.

Features add their pages when imported (like their catalogs), so every page, written by
whichever command, links to all of them. Plain HTML: headings, tables with captions and
headers, no JavaScript, large type.
"""

from dataclasses import dataclass

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
% if len(pages) > 1:
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
<main>
${body | n}
</main>
</body>
</html>
""",
    default_filters=["h"],  # every value is HTML-escaped; the body was escaped by its own page
)


def render(page: SitePage, body: str, title: str | None = None) -> str:
    """`body` (already escaped HTML) in the site's layout, titled `title` or the page's."""
    return _LAYOUT.render(title=title or page.title, pages=PAGES, current=page.file, body=body)
