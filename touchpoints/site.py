"""The register's page on the office's published site, in the site's one layout: a table
with the form's six columns under a heading per direction, how much each touchpoint is used,
what people did before writing to staff, and the register's change log."""

from pathlib import Path

from mako.template import Template

from bot.core import site
from bot.core.site import SitePage
from touchpoints.export import COLUMNS, Figures, cells, change_line, uses

PAGE = SitePage("touchpoints.html", "Перечень точек взаимодействия")
site.add_page(PAGE)

_BODY = Template(
    """<h1>${title}</h1>
% if draft:
<p><strong>Черновик: эта версия перечня ещё не опубликована.</strong></p>
% endif
<p>Где и как можно обратиться в управление: по направлениям деятельности, с видом каждой
точки (цифровая или офлайн) и потребностями, которые она закрывает. Версия от ${made}.</p>
% for index, (direction, rows) in enumerate(groups, start=1):
<h2>${index}. ${direction.label}</h2>
% if rows:
<table>
<caption>${direction.label}: точки взаимодействия</caption>
<thead>
<tr>
% for column in columns:
<th scope="col">${column}</th>
% endfor
</tr>
</thead>
<tbody>
% for n, row in rows:
<% values = cells(n, row) %>
<tr><th scope="row">${values[0]}</th>
% for value in values[1:]:
<td>${value}</td>
% endfor
</tr>
% endfor
</tbody>
</table>
% else:
<p>Точек взаимодействия нет.</p>
% endif
% endfor
<h2>Как пользуются точками взаимодействия</h2>
<table>
<caption>Использований с ${first} по ${last} (по журналу чат-бота)</caption>
<thead>
<tr><th scope="col">N п/п</th><th scope="col">Точка взаимодействия</th>\
<th scope="col">Процесс</th><th scope="col">Использований</th></tr>
</thead>
<tbody>
% for item in usage:
<tr><th scope="row">${numbers[item.row.key]}</th><td>${item.row.touchpoint}</td>\
<td>${item.row.process}</td><td>${uses(item)}</td></tr>
% endfor
</tbody>
</table>
<h2>Что люди делали перед тем, как написать сотруднику</h2>
% if paths.rows:
<table>
<caption>Из ${paths.tickets} обращений к сотрудникам: сколько прошли через точку за сутки до \
него</caption>
<thead>
<tr><th scope="col">Точка взаимодействия</th><th scope="col">Процесс</th>\
<th scope="col">Обращений</th></tr>
</thead>
<tbody>
% for passed in paths.rows:
<tr><th scope="row">${passed.row.touchpoint}</th><td>${passed.row.process}</td>\
<td>${passed.tickets}</td></tr>
% endfor
</tbody>
</table>
% else:
<p>Обращений к сотрудникам после других точек за этот период нет (всего обращений: \
${paths.tickets}).</p>
% endif
<h2>Изменения перечня</h2>
% if changes:
<ul>
% for change in changes:
<li><strong>${change.published_on.strftime("%d.%m.%Y")}:</strong> ${change_line(change)}</li>
% endfor
</ul>
% else:
<p>Изменений пока нет.</p>
% endif
% if files:
<h2>Данные</h2>
<ul>
% for name, label in files:
<li><a href="${name}">${label}</a></li>
% endfor
</ul>
% endif
""",
    default_filters=["h"],  # every value is HTML-escaped
)


def page(figures: Figures, files: list[tuple[str, str]], *, draft: bool = False) -> str:
    """The page; `files` are the (name, label) of the data files written beside it; a
    `draft` says it is not the published version. Only published changes are shown: the ones
    still pending are the office's to-do list."""
    body = _BODY.render(
        title=PAGE.title,
        draft=draft,
        made=f"{figures.made:%d.%m.%Y}",
        groups=figures.register.groups(),
        columns=COLUMNS,
        cells=cells,
        first=f"{figures.first:%d.%m.%Y}",
        last=f"{figures.last:%d.%m.%Y}",
        usage=figures.usage,
        numbers=figures.numbers(),
        uses=uses,
        paths=figures.paths,
        changes=[c for c in figures.changes if c.published_on is not None],
        change_line=change_line,
        files=files,
    )
    return site.render(PAGE, body)


def write(out: Path, figures: Figures, files: list[tuple[str, str]], *, draft: bool) -> Path:
    """The page in `out`, linked with the site's other pages there."""
    return site.write(out, PAGE, page(figures, files, draft=draft))
