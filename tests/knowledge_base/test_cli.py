"""The moderators' command-line tools: ask, check, export and import."""

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import main
from knowledge_base.decision import DecisionModel
from knowledge_base.entries import load_entries
from knowledge_base.store import MODEL_FILE, SHIPPED

DEMO = Path(__file__).resolve().parents[2] / "knowledge_base" / "demo"


@pytest.fixture
def cli(settings, monkeypatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    return CliRunner()


def test_ask_prints_one_json_line_per_question(cli: CliRunner) -> None:
    result = cli.invoke(
        main,
        ["kb", "ask", "--json"],
        input="Как записаться на приём?\nкак вернуть билет\nсогласие\n",
    )
    assert result.exit_code == 0, result.output
    first, second, third = (json.loads(line) for line in result.output.splitlines())
    assert first["topic_id"] == "appointment_booking" and first["score"] > 0.5
    assert first["suggestions"] == []
    assert second["topic_id"] is None
    # A word that fits two entries alike: no answer, the two are offered as buttons.
    assert third["topic_id"] is None
    assert {"personal_data_consent", "proactive_consent"} <= set(third["suggestions"])


def test_fit_writes_a_model_the_bot_uses_without_a_restart(cli: CliRunner, tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.tsv"
    rows = ["question\ttopic_id"]
    rows += [f"{q}\tappointment_booking" for q in ("как записаться", "запись на приём")]
    rows += [f"{q}\tworking_hours" for q in ("до скольки вы работаете", "режим работы")]
    rows += [f"{q}\t-" for q in ("как оформить осаго", "где купить билет на самолёт")]
    labelled.write_text("\n".join(rows) + "\n", encoding="utf-8")
    model = tmp_path / "decision.json"
    result = cli.invoke(main, ["kb", "fit", str(labelled), "--out", str(model)])
    assert result.exit_code == 0, result.output
    assert "Fitted on 6 questions" in result.output
    fitted = DecisionModel.load(model)
    assert 0.5 <= fitted.answer_at < 1.0
    assert fitted.fitted_on == "labelled.tsv; out-of-scope error 0.08"


async def test_a_changed_model_file_is_picked_up_at_once(app, tmp_path: Path) -> None:
    model_file = tmp_path / "decision.json"
    shipped = DecisionModel.load(SHIPPED / MODEL_FILE)
    shipped.save(model_file)
    app.store.model_file = model_file
    async with app.sessions() as session:
        decision, _ = (await app.store.snapshot(session)).decide("как записаться на приём")
        assert decision.kind == "answer"
        # A stricter model (nothing is sure enough to answer) written by `kb fit`:
        dataclasses.replace(shipped, answer_at=1.01).save(model_file)
        os.utime(model_file, (1, 1))  # a different stamp even within one clock tick
        decision, _ = (await app.store.snapshot(session)).decide("как записаться на приём")
        assert decision.kind == "suggest"


def test_check_accepts_the_shipped_base(cli: CliRunner) -> None:
    result = cli.invoke(main, ["kb", "check", str(DEMO)])
    assert result.exit_code == 0 and "OK: 44 entries" in result.output


@pytest.mark.parametrize(
    ("defect", "message"),
    [
        ("duplicate", "duplicate id"),
        ("empty", "answer_ru"),
        ("unknown", "unknown topic id"),
        ("misdirected", "is answered by appointment_booking"),
    ],
)
def test_check_catches_each_defect(cli: CliRunner, tmp_path: Path, defect, message) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(DEMO, folder)
    path = folder / "general.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    if defect == "duplicate":
        data.append(dict(data[0]))
    elif defect == "empty":
        data[0]["answer_ru"] = ""
    elif defect == "unknown":
        data[0]["id"] = "parking_tickets"
    else:
        data[0]["questions"].append("как записаться на приём")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = cli.invoke(main, ["kb", "check", str(folder)])
    assert result.exit_code == 1 and message in result.output, result.output


def by_id(entry):
    return entry.id


def test_export_import_round_trip_is_lossless(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert cli.invoke(main, ["kb", "export", str(out)]).exit_code == 0
    assert sorted(load_entries(out), key=by_id) == sorted(load_entries(DEMO), key=by_id)
    result = cli.invoke(main, ["kb", "import", str(out)])
    assert "0 new, 0 changed, 44 unchanged" in result.output

    path = out / "general.yaml"
    path.write_text(path.read_text("utf-8").replace("8 (800) 000-00-00", "8 (800) 222-22-22"))
    result = cli.invoke(main, ["kb", "import", str(out), "--by", "Петров"])
    assert "0 new, 1 changed" in result.output or "0 new, 2 changed" in result.output
    result = cli.invoke(main, ["kb", "ask", "--json", "телефон консультационной линии"])
    assert json.loads(result.output)["topic_id"] == "contacts"
    again = tmp_path / "again"
    cli.invoke(main, ["kb", "export", str(again)])
    assert "222-22-22" in (again / "general.yaml").read_text("utf-8")


def test_import_refuses_a_broken_folder(cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "x.yaml").write_text("- id: contacts\n  title_ru: [unclosed\n", "utf-8")
    result = cli.invoke(main, ["kb", "import", str(folder)])
    assert result.exit_code == 1 and "x.yaml" in result.output


def test_staff_roles_from_the_command_line(cli: CliRunner) -> None:
    assert cli.invoke(main, ["staff", "list"]).output.startswith("No staff yet")
    result = cli.invoke(main, ["staff", "add", "777", "--role", "moderator", "--name", "Ли"])
    assert result.exit_code == 0
    assert "moderator   telegram  777" in cli.invoke(main, ["staff", "list"]).output
    assert cli.invoke(main, ["staff", "add", "x1", "--role", "staff", "--name", "X"]).exit_code
    signed = ["staff", "add", "778", "--role", "staff", "--name", "Ким", "--position", "инспектор"]
    assert cli.invoke(main, signed).exit_code == 0
    assert (
        "staff       telegram  778          Ким, инспектор"
        in cli.invoke(main, ["staff", "list"]).output
    )
    assert "Removed." in cli.invoke(main, ["staff", "remove", "777", "--role", "moderator"]).output


def test_check_names_a_broken_topic_list_by_line(cli: CliRunner, tmp_path: Path) -> None:
    topics = tmp_path / "topics.yaml"
    topics.write_text("topics:\n  - id: working_hours\n    title: Режим работы\n", "utf-8")
    result = cli.invoke(main, ["kb", "check", str(DEMO), "--topics", str(topics)])
    assert result.exit_code == 1
    assert f"{topics}:3: " in result.output


def small_entry(entry_id: str, questions: list[str], negatives: list[str]) -> dict:
    return {
        "id": entry_id,
        "title_ru": entry_id,
        "title_en": entry_id,
        "answer_ru": "Ответ.",
        "answer_en": "Answer.",
        "questions": questions,
        "negatives": negatives,
        "service": "general",
        "touchpoint": "info",
        "updated_at": "2026-11-20",
        "reviewed_by": "Иванова",
    }


def test_check_reports_a_question_the_files_answer_two_ways(
    cli: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    entries = [
        small_entry("working_hours", ["Когда вы работаете?", "работаете в субботу"], []),
        small_entry("contacts", ["когда  вы   РАБОТАЕТЕ", "какой у вас телефон"], []),
        small_entry("office_address", ["где вы находитесь"], ["Работаете в субботу?"]),
    ]
    (folder / "general.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True), "utf-8")
    result = cli.invoke(main, ["kb", "check", str(folder)])
    assert result.exit_code == 1
    assert (
        "working_hours: example 'Когда вы работаете?' is also an example of contacts"
        in result.output
    )
    assert (
        "working_hours: example 'работаете в субботу' is also a negative of office_address"
        in result.output
    )


def test_eval_prints_the_three_shares_and_each_miss(cli: CliRunner, tmp_path: Path) -> None:
    tsv = tmp_path / "set.tsv"
    tsv.write_text(
        "question\ttopic_id\n"
        "Как записаться на приём?\tappointment_booking\n"
        "Как записаться на приём?\tcontacts\n"  # a wrong topic on purpose: a miss
        "как вернуть билет на поезд\t-\n",
        "utf-8",
    )
    result = cli.invoke(main, ["kb", "eval", str(tsv)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["top-1", "0.500"]
    assert lines[1].split()[:2] == ["rejection", "1.000"]
    assert lines[2].split()[:3] == ["one", "tap", "0.500"]
    assert lines[3:] == [
        "misses: 1",
        "  wrong answer: 'Как записаться на приём?' (want contacts, got appointment_booking)",
    ]


def test_eval_names_each_bad_row_by_line(cli: CliRunner, tmp_path: Path) -> None:
    tsv = tmp_path / "set.tsv"
    tsv.write_text("question\ttopic_id\nбез темы\n\nкак записаться\tЗапись\n", "utf-8")
    result = cli.invoke(main, ["kb", "eval", str(tsv)])
    assert result.exit_code == 1
    assert f"{tsv}:2: expected 2 columns" in result.output
    assert f"{tsv}:4: 'Запись' is not a topic id" in result.output
