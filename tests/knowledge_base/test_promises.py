"""The base promises only what the bot does: every command, section and button it names
exists, and its figures are those of the settings (reply limits, booking rules)."""

import dataclasses
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.assembly.promises import promise_facts, promise_texts, rules_passages
from bot.cli import main
from bot.core.config import Settings
from bot.tickets.public.rules import load_rules
from knowledge_base.entries import Entry, load_entries
from knowledge_base.promises import Facts, check_promises, check_texts

DEMO = Path(__file__).resolve().parents[2] / "knowledge_base" / "demo"


@pytest.fixture
def facts(settings: Settings) -> Facts:
    return promise_facts(settings)


@pytest.fixture
def entries() -> list[Entry]:
    return load_entries(DEMO)


def test_the_shipped_base_keeps_its_promises(entries: list[Entry], facts: Facts) -> None:
    assert check_promises(entries, facts) == []


def test_the_shipped_rules_of_the_public_pages_keep_their_promises(
    settings: Settings, facts: Facts
) -> None:
    texts = promise_texts(settings)
    assert {text.where for text in texts} >= {"rules.yaml, section 1 (ru)"}
    assert check_texts(texts, facts) == []


RULES_PLANTED = [
    # The first rules: 2 hours, with nothing said of working hours.
    ("ru", "Отвечаем в течение 2 часов.", "count in working hours (sla.yaml); say so"),
    ("en", "We answer within 2 hours.", "count in working hours (sla.yaml); say so"),
    ("ru", "Ответим в течение 3 часов в рабочее время.", "staff reply within 2, 4 h (sla.yaml)"),
    ("ru", "Сроки ответа считают круглосуточно.", "not round the clock"),
    ("ru", "Нажмите в боте «Позвать оператора».", "no section or button 'Позвать оператора'"),
    ("en", "Or send /callme to the bot.", "no command /callme"),
]


@pytest.mark.parametrize(("locale", "sentence", "reason"), RULES_PLANTED)
def test_a_planted_false_promise_in_the_rules_is_caught(
    settings: Settings, facts: Facts, locale: str, sentence: str, reason: str
) -> None:
    rules = load_rules(settings)
    # "Как мы отвечаем" without its point on the reply times, and the planted one instead.
    first, *rest = rules.sections
    point = first.points[1].model_copy(update={locale: sentence})
    planted = first.model_copy(update={"points": (*first.points[1:], point)})
    (found,) = check_texts(
        rules_passages(rules.model_copy(update={"sections": (planted, *rest)})), facts
    )
    assert found == f"rules.yaml, section 1 ({locale}): {found.split(': ', 2)[1]}: {sentence!r}"
    assert reason in found


def test_the_facts_are_the_bots(facts: Facts) -> None:
    assert {"/start", "/menu", "/help", "/history", "/forget"} <= facts.commands
    assert "/operator" in facts.commands and "/callme" not in facts.commands
    assert {"связаться с сотрудником", "мои записи и обращения", "перенести"} <= facts.labels["ru"]
    assert "talk to a person" in facts.labels["en"]
    assert facts.reply_limits == {timedelta(hours=2), timedelta(hours=4)}
    assert facts.working_hours is True
    assert facts.cancel_notice == timedelta(hours=3)
    assert (facts.horizon_days, facts.reminder_hours) == (30, {24, 2})


PLANTED = [
    ("live_operator", "answer_ru", "Или отправьте команду /callme.", "no command /callme"),
    ("live_operator", "answer_en", "Or send /callme.", "no command /callme"),
    (
        "personal_data_consent",
        "answer_ru",
        "Удалить данные можно в боте, в разделе «Мои данные».",
        "no section or button 'Мои данные'",
    ),
    (
        "personal_data_consent",
        "answer_en",
        'Go to the "My data" section of the bot.',
        "no section or button 'My data'",
    ),
    (
        "appointment_cancel_reschedule",
        "answer_ru",
        "Сделайте это не позднее чем за 1 рабочий день до приёма.",
        "cancelling takes 3 h notice",
    ),
    (
        "appointment_cancel_reschedule",
        "answer_en",
        "Please do it at least a day before.",
        "cancelling takes 3 h notice",
    ),
    (
        "reply_deadlines_social",
        "answer_ru",
        "На жалобу ответим не позже чем через 3 часа.",
        "staff reply within 2, 4 h (sla.yaml), not 3 h",
    ),
    (
        "reply_deadlines_social",
        "answer_ru",
        "Сроки ответа считают круглосуточно.",
        "count in working hours (sla.yaml), not round the clock",
    ),
    (
        "appointment_booking",
        "answer_ru",
        "Записаться можно на 60 дней вперёд.",
        "booking opens 30 days ahead (schedule.yaml), not 60",
    ),
    (
        "appointment_booking",
        "answer_en",
        "We send a reminder 3 hours before the visit.",
        "reminders come 2, 24 h before, not 3 h",
    ),
    (
        "appointment_booking",
        "answer_ru",
        "Подтверждение придёт на электронную почту.",
        "only to an address the person gave",
    ),
]


@pytest.mark.parametrize(("entry_id", "field", "sentence", "reason"), PLANTED)
def test_a_planted_false_promise_is_caught(
    entries: list[Entry], facts: Facts, entry_id: str, field: str, sentence: str, reason: str
) -> None:
    planted = [
        dataclasses.replace(e, **{field: f"{getattr(e, field)}\n{sentence}"})
        if e.id == entry_id
        else e
        for e in entries
    ]
    (found,) = check_promises(planted, facts)
    assert found.startswith(f"{entry_id} ({field}): ") and found.endswith(f": {sentence!r}")
    assert reason in found


def test_the_figures_follow_the_offices_settings(entries: list[Entry], facts: Facts) -> None:
    # An office whose limits run round the clock and whose schedule wants a day's notice.
    office = dataclasses.replace(facts, working_hours=False, cancel_notice=timedelta(days=1))
    found = check_promises(entries, office)
    assert {line.split(" ", 1)[0] for line in found} == {
        "reply_deadlines_social",
        "live_operator",
        "appointment_cancel_reschedule",
    }
    assert any("cancelling takes 24 h notice (schedule.yaml)" in line for line in found)
    assert any("round the clock (sla.yaml), not in working hours" in line for line in found)


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")
    return CliRunner()


def test_kb_check_shows_a_moderator_the_same_problems(cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(DEMO, folder)
    path = folder / "bot.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    operator = next(entry for entry in data if entry["id"] == "live_operator")
    operator["answer_ru"] += "\nИли отправьте команду /callme."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = cli.invoke(main, ["kb", "check", str(folder)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        "live_operator (answer_ru): the bot has no command /callme: "
        "'Или отправьте команду /callme.'"
    ]
