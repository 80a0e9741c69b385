"""`priemnaya touchpoints export`: the workbook and the CSV have exactly the form's six
columns and its six directions as groups, in the form's order."""

import csv
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from bot.cli import main
from touchpoints.schema import DIRECTION_LABELS

COLUMNS = [
    "N п/п",
    "Направление деятельности органа власти",
    "Наименование конкретного процесса",
    "Точка взаимодействия",
    "Осуществляемое взаимодействие с клиентом",
    "Особенности взаимодействия с клиентом",
]
GROUPS = [
    "Предоставление государственных услуг",
    "Государственный контроль (надзор)",
    "Рассмотрение обращений и запросов",
    "Обеспечение доступа к информации о деятельности",
    "Организация отношений с внутренним клиентом",
    "Иные функции",
]


def export(cli: CliRunner, out: Path, *formats: str) -> list[str]:
    args = ["touchpoints", "export", "--out", str(out)]
    for name in formats:
        args += ["--format", name]
    result = cli.invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_the_workbook_is_the_form_grouped_by_the_six_directions(
    cli: CliRunner, tmp_path: Path
) -> None:
    assert export(cli, tmp_path, "xlsx") == [str(tmp_path / "touchpoints.xlsx")]
    sheet = openpyxl.load_workbook(tmp_path / "touchpoints.xlsx")["Перечень"]
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == COLUMNS
    groups = [row[0] for row in rows[1:] if row[1] is None]  # a group's merged title row
    assert groups == [f"{n}. {name}" for n, name in enumerate(GROUPS, start=1)]
    lines = [row for row in rows[1:] if row[1] is not None]
    assert [row[0] for row in lines] == [str(n) for n in range(1, len(lines) + 1)]
    # Under each title only its own direction's rows.
    current = None
    for row in rows[1:]:
        if row[1] is None:
            current = row[0].split(". ", 1)[1]
        else:
            assert row[1] == current
    bot = next(row for row in lines if row[3] == "Чат-бот приёмной во ВКонтакте")
    assert bot[5].startswith("Цифровая точка")
    office = next(row for row in lines if row[3] == "Профилактический визит инспектора")
    assert office[1] == "Государственный контроль (надзор)"
    assert office[4] == "Получение информации; получение консультации"
    assert office[5] == "Офлайн-точка. По согласованию с контролируемым лицом"


def test_the_csv_has_the_six_columns_and_the_rows_in_the_groups_order(
    cli: CliRunner, tmp_path: Path
) -> None:
    written = export(cli, tmp_path, "csv")
    assert written == [str(tmp_path / "touchpoints.csv"), str(tmp_path / "touchpoints-usage.csv")]
    with (tmp_path / "touchpoints.csv").open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == COLUMNS
    assert all(len(row) == len(COLUMNS) for row in rows)
    directions = [row[1] for row in rows]
    assert list(dict.fromkeys(directions)) == GROUPS  # each group once, in the form's order
    assert list(DIRECTION_LABELS.values()) == GROUPS
    # No touchpoint is listed twice in a process.
    assert len({(row[2], row[3]) for row in rows}) == len(rows)
    with (tmp_path / "touchpoints-usage.csv").open(encoding="utf-8-sig", newline="") as file:
        header, *used = list(csv.reader(file))
    assert header == ["N п/п", "Точка взаимодействия", "Процесс", "Вид", "Использований"]
    assert [row[0] for row in used] == [row[0] for row in rows]  # every touchpoint, unused too
    uses = {(row[2], row[1]): row[4] for row in used}
    assert uses["Ответы на типовые вопросы в чат-боте", "Чат-бот приёмной в Telegram"] == "0"
    assert (
        uses[
            "Выдача специальных разрешений на движение тяжеловесного или крупногабаритного"
            " транспортного средства",
            "Единый портал государственных услуг",
        ]
        == "бот не видит"
    )


def test_the_period_is_given_as_days_like_every_other_command(
    cli: CliRunner, tmp_path: Path
) -> None:
    def run(*period: str) -> Result:
        args = ["touchpoints", "export", "--format", "xlsx", "--out", str(tmp_path), *period]
        return cli.invoke(main, args)

    assert run("--from", "2026-03-01", "--to", "2026-03-10").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "touchpoints.xlsx")["Использование"]
    assert sheet.cell(1, 5).value == "Использований 01.03.2026–10.03.2026"
    for wrong, said in (
        (["--from", "2026-03-32"], "'2026-03-32' does not match the format '%Y-%m-%d'"),
        (["--from", "2026-03-10", "--to", "2026-03-01"], "--to is before --from"),
    ):
        result = run(*wrong)
        assert result.exit_code == 2 and said in result.output, result.output
