"""`priemnaya applications add | advance | show | import` against the test database, and what
the person linked to a record hears when the command line or an import moves it."""

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from applications.models import Application, ApplicationStep
from bot.app import App
from bot.cli import main
from bot.core.config import Settings
from bot.core.models import OutboxMessage
from tests.applications.conftest import link
from tests.support.client import Person
from tests.tickets.conftest import ru


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    assert settings.secret_key is not None  # the bot under test hashes codes with it too
    monkeypatch.setenv("SECRET_KEY", settings.secret_key.get_secret_value())
    return CliRunner()


async def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    """The command's output; in a thread, since it runs its own event loop."""
    result = await asyncio.to_thread(cli.invoke, main, ["applications", *args])
    assert result.exit_code == code, result.output
    return result.output


async def test_add_advance_and_show(cli: CliRunner, app: App, chat: Person) -> None:
    made = (await run(cli, "add", "A-1", "--service", "permit")).splitlines()
    assert made[0] == "Added №A-1 at stage received."
    code = made[1].split(": ")[1].split()[0]  # the one time the made-up code is shown
    assert len(code) == 8 and code.isdigit()
    async with app.sessions() as session:
        stored = await session.scalar(select(Application.code_hash))
    assert stored is not None and code not in stored

    assert (await link(chat, "a-1", code)).startswith(chat.t("app-linked", number="A-1"))
    assert await run(cli, "advance", "A-1") == "№A-1: review (the person is told).\n"
    assert [reply.text for reply in await chat.delivered()][1] == chat.t(
        "app-rate", stage="Принято"
    )
    refused = await run(cli, "advance", "A-1", "Отказ", code=1)
    assert ru("app-error-note", stage="Отказ") in refused
    await run(cli, "advance", "A-1", "refused", "--note", "Нет оплаты. Оплатите и подайте снова.")
    assert (await run(cli, "show", "A-1")).splitlines()[:2] == [
        "Заявление № A-1 · permit",
        "Сейчас: Отказ",
    ]
    assert "(CLI): Нет оплаты. Оплатите и подайте снова." in await run(cli, "show", "A-1")
    assert ru("app-error-unknown", number="B-2") in await run(cli, "show", "B-2", code=1)
    assert ru("app-error-exists", number="A-1") in await run(
        cli, "add", "A-1", "--service", "permit", code=1
    )


async def test_import_upserts_by_number_and_reports_bad_lines(
    cli: CliRunner, app: App, chat: Person, tmp_path: Path
) -> None:
    await run(cli, "add", "100", "--service", "permit", "--code", "1111")
    await link(chat, "100", "1111")
    export = tmp_path / "export.csv"
    export.write_text(
        "\ufeffНомер;Услуга;Этап;Код;Комментарий\n"  # Excel's BOM, semicolons, Russian names
        "100;permit;На рассмотрении;;\n"  # 2: advanced, the person is told
        "200;dopog;;2222;\n"  # 3: added at the first stage
        "300;dopog;;;\n"  # 4: new without a code
        "100;permit;нет такого;;\n"  # 5: no such stage
        "200;dopog;received;2222;\n"  # 6: nothing new
        '400;licence;documents;4444;"Нужна справка\nоб оплате"\n'  # 7-8: added
        "12#34;;;;\n",  # 9: not a number
        encoding="utf-8",
    )
    output = (await run(cli, "import", str(export), code=1)).splitlines()
    assert output == [
        "added 2, advanced 1, updated 0, unchanged 1, errors 3",
        f"line 4: {ru('app-error-import-new', number='300')}",
        "line 5: "
        + ru(
            "app-error-stage",
            stage="нет такого",
            known="received, review, documents, approved, refused",
        ),
        f"line 9: {ru('app-error-number', number='12#34')}",
    ]
    async with app.sessions() as session:
        stages = dict((await session.execute(select(Application.number, Application.stage))).all())
        notes = list(
            await session.scalars(
                select(ApplicationStep.note).where(ApplicationStep.note.is_not(None))
            )
        )
    assert stages == {"100": "review", "200": "received", "400": "documents"}
    assert notes == ["Нужна справка\nоб оплате"]
    review = app.applications.office.stages.get("review")
    assert review is not None
    notice, rating = await chat.delivered()
    assert notice.text == chat.t(
        "app-notice", number="100", stage=review.title.ru, notice=review.notice.ru
    )
    assert rating.text == chat.t("app-rate", stage="Принято")
    # Imported again, nothing changes and nobody is told twice.
    again = (await run(cli, "import", str(export), code=1)).splitlines()[0]
    assert again == "added 0, advanced 0, updated 0, unchanged 4, errors 3"
    assert await chat.delivered() == []

    # A new code from the office's system (commas, English names): the old one stops working.
    codes = tmp_path / "codes.csv"
    codes.write_text("number,code\n200,5555\n", encoding="utf-8")
    assert await run(cli, "import", str(codes)) == (
        "added 0, advanced 0, updated 1, unchanged 0, errors 0\n"
    )
    assert await link(chat, "200", "2222") == chat.t("app-refused", left=4)
    assert (await link(chat, "200", "5555")).startswith(chat.t("app-linked", number="200"))


async def test_a_file_without_a_number_column_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "wrong.csv"
    export.write_text("id,stage\n1,review\n", encoding="utf-8")
    assert "no 'number'" in await run(cli, "import", str(export), code=1)


async def test_a_dry_run_reports_the_same_lines_and_changes_nothing(
    cli: CliRunner, app: App, chat: Person, tmp_path: Path
) -> None:
    await run(cli, "add", "100", "--service", "permit", "--code", "1111")
    await link(chat, "100", "1111")
    await chat.delivered()
    # The office's system put the check codes where the stages go.
    export = tmp_path / "export.csv"
    export.write_text(
        "Номер;Услуга;Этап;Код\n100;permit;review;\n200;dopog;2222;2222\n", encoding="utf-8"
    )

    async def state() -> tuple[dict[str, str], int]:
        async with app.sessions() as session:
            stages = select(Application.number, Application.stage)
            queued = select(func.count(OutboxMessage.id))
            return dict((await session.execute(stages)).all()), await session.scalar(queued)

    before = await state()
    output = (await run(cli, "import", "--dry-run", str(export), code=1)).splitlines()
    known = "received, review, documents, approved, refused"
    assert output == [
        "added 0, advanced 1, updated 0, unchanged 0, errors 1",
        f"line 3: {ru('app-error-stage', stage='2222', known=known)}",
        "Dry run: nothing was saved and nobody was told; the import would tell 1 person.",
    ]
    assert await state() == before == ({"100": "received"}, before[1])
    assert await chat.delivered() == []


async def test_a_windows_1251_export_is_read(cli: CliRunner, app: App, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(
        "Номер;Услуга;Этап;Код;Комментарий\n300;licence;На рассмотрении;3333;Ждём оплату\n".encode(
            "cp1251"
        )
    )
    output = await run(cli, "import", str(export))
    assert output.splitlines() == [
        f"{export}: not UTF-8, read as Windows-1251.",
        "added 1, advanced 0, updated 0, unchanged 0, errors 0",
    ]
    async with app.sessions() as session:
        assert (await session.execute(select(Application.number, Application.stage))).all() == [
            ("300", "review")
        ]
        assert await session.scalar(select(ApplicationStep.note)) == "Ждём оплату"
