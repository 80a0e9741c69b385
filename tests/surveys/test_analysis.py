"""The quarterly analysis on a crafted quarter: exact distributions, CSAT and NPS per service
and touchpoint and per month, stage ratings along the journey, ticket reply times, themes;
quarters in the office's calendar; the summary's strongest change; the workbook and charts."""

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.core.calendar import ProductionCalendar
from bot.core.content import Text
from surveys.aggregate import analyse
from surveys.charts import charts
from surveys.names import Names, named
from surveys.quarters import Quarter, QuarterError, month_of
from surveys.results import AnswerRow, Count, ReplyTimes, Score, StageRow
from surveys.summary import changes, summary
from surveys.workbook import SHEETS, workbook
from tests.surveys.feedback_data import RESULT_YAML, VISIT_YAML, answers, survey

Q4 = Quarter(2026, 4)
OCTOBER, NOVEMBER = date(2026, 10, 5), date(2026, 11, 2)  # Mondays
SURVEYS = [survey(RESULT_YAML), survey(VISIT_YAML)]
COMPLAINTS = [
    "Долго ждала ответа, очередь в офисе",
    "очень долгое ожидание ответа",
    "Ждали ответ неделю",
    "долго ждать ответа",
    "Пришлось долго ждать ответа",
    "ждала ответа две недели",
    "Иванова Анна: всё хорошо",
]


def quarter_rows() -> list[AnswerRow]:
    return [
        # 22 ratings: 6 × 5, 6 × 4, 5 × 3, 5 × 1 → CSAT 12 / 22.
        *answers(
            "result",
            "satisfied",
            "consult",
            "messenger",
            OCTOBER,
            scores=[5] * 6 + [4] * 6 + [3] * 5 + [1] * 5,
        ),
        # 20: 5 × 10, 5 × 9 (promoters), 5 × 7, 5 × 3 (detractors) → NPS (10 − 5) / 20 = 25.
        *answers(
            "result",
            "recommend",
            "consult",
            "messenger",
            OCTOBER,
            scores=[10] * 5 + [9] * 5 + [7] * 5 + [3] * 5,
        ),
        *answers(
            "result", "how", "consult", "messenger", OCTOBER, choices=["bot"] * 15 + ["visit"] * 5
        ),
        *answers("result", "better", "consult", "messenger", OCTOBER, texts=COMPLAINTS),
        # 10 ratings at the office in November: 5 × 5, 5 × 2 → CSAT 50.
        *answers("visit", "satisfied", "permits", "office", NOVEMBER, scores=[5] * 5 + [2] * 5),
        # A question no questionnaire has any more: left out, and counted.
        *answers("result", "retired", "consult", "messenger", OCTOBER, scores=[5]),
    ]


RATINGS = [
    *(StageRow("faq.answer", score) for score in (5, 5, 4, 4, 2)),
    *(StageRow("visit", score) for score in (5, 4, 4, 4, 3, 2)),
    *(StageRow("booking.made", 5) for _ in range(7)),
]
REPLIES = [
    ReplyTimes("question", "Вопрос", tickets=12, decided=10, within=0.9),
    ReplyTimes("complaint", "Жалоба", tickets=5, decided=5, within=0.6),
]


def test_distributions_csat_and_nps_are_exact() -> None:
    result = analyse(Q4, SURVEYS, quarter_rows(), RATINGS, REPLIES)
    by_question = {(d.survey, d.question): d for d in result.distributions}
    satisfied = by_question[("result", "satisfied")]
    assert satisfied.total == Count(22)
    assert satisfied.values == (
        ("1", Count(5)),
        ("2", Count(0)),
        ("3", Count(5)),
        ("4", Count(6)),
        ("5", Count(6)),
    )
    recommend = by_question[("result", "recommend")]
    assert [count.n for _, count in recommend.values] == [0, 0, 0, 5, 0, 0, 0, 5, 0, 5, 5]
    assert by_question[("result", "how")].values == (
        ("Через бота", Count(15)),
        ("Лично", Count(5)),
    )
    assert by_question[("result", "better")].total == Count(7)

    csat, nps = result.csat, result.nps
    assert csat.services == ("consult", "permits")
    assert csat.touchpoints == ("messenger", "office")
    assert csat.cells[("consult", "messenger")] == Score(22, pytest.approx(100 * 12 / 22))
    assert csat.by_service["permits"] == Score(10, 50.0)
    assert csat.by_touchpoint["office"] == Score(10, 50.0)
    assert csat.total == Score(32, pytest.approx(100 * 17 / 32))
    assert csat.by_month == {
        date(2026, 10, 1): Score(22, pytest.approx(100 * 12 / 22)),
        date(2026, 11, 1): Score(10, 50.0),
    }
    assert nps.cells == {("consult", "messenger"): Score(20, 25.0)}
    assert nps.total == Score(20, 25.0)
    assert result.skipped == 1


def test_stage_ratings_follow_the_journey_and_small_ones_are_hidden() -> None:
    result = analyse(Q4, SURVEYS, [], RATINGS)
    assert [(s.stage, s.n, s.mean, s.hidden) for s in result.stages] == [
        ("faq.answer", 5, 4.0, False),
        ("booking.made", 7, 5.0, False),
        ("visit", 6, pytest.approx(22 / 6), False),
    ]
    assert result.stages_total.n == 18
    few = analyse(Q4, SURVEYS, [], [*RATINGS, StageRow("ticket.answered", 1)])
    hidden = {s.stage for s in few.stages if s.hidden}
    # The one rating, and the smallest stage with it, or its mean follows from the total's.
    assert hidden == {"ticket.answered", "faq.answer"}
    assert few.stages_total.mean == pytest.approx((sum(r.score for r in RATINGS) + 1) / 19)


def test_ticket_replies_in_time_add_up_over_kinds() -> None:
    march = {date(2026, 10, 1): REPLIES, date(2026, 11, 1): [], date(2026, 12, 1): REPLIES[1:]}
    result = analyse(Q4, SURVEYS, [], [], REPLIES, march)
    assert result.replies_by_month == {
        date(2026, 10, 1): pytest.approx((9 + 3) / 15),
        date(2026, 11, 1): None,
        date(2026, 12, 1): pytest.approx(0.6),
    }


def test_themes_are_lemmas_and_phrases_of_five_answers_or_more() -> None:
    themes = analyse(Q4, SURVEYS, quarter_rows(), []).themes
    assert themes.answers == 7
    # "ждала", "ждали", "ждать" are one lemma; "долго" (3 answers), "неделя" (2), the office
    # (1) and a name typed into an answer never make a theme.
    assert themes.words == (("ответ", 6), ("ждать", 5))
    assert themes.phrases == (("ждать ответ", 5),)


def test_quarters_follow_the_office_calendar() -> None:
    assert Quarter.parse("2026Q4") == Q4 and Quarter.parse(" 2026q4 ") == Q4
    for wrong in ("2026Q5", "2026-10", "Q4 2026", "", "2026Q"):
        with pytest.raises(QuarterError, match="like 2026Q4"):
            Quarter.parse(wrong)
    assert Q4.previous() == Quarter(2026, 3) and Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert (Q4.first_day, Q4.last_day) == (date(2026, 10, 1), date(2026, 12, 31))
    # Weeks count in the month of their Monday: 28.09–04.10 is September's, so Q3's.
    assert Q4.first_week == date(2026, 10, 5) and month_of(date(2026, 9, 28)).month == 9
    assert Q4.end_week == date(2027, 1, 4)  # 28.12–03.01 is December's
    # The report is due once the last week is over, on a working day: 1–8 January are off.
    assert Q4.report_day(ProductionCalendar()) == date(2027, 1, 11)
    assert Quarter(2026, 1).report_day(ProductionCalendar()) == date(2026, 4, 6)
    when = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # already 1 January in Moscow
    assert Quarter.current(when, ZoneInfo("Europe/Moscow")) == Quarter(2027, 1)


def previous_rows() -> list[AnswerRow]:
    week = Quarter(2026, 3).first_week
    return [
        # CSAT 30 % at consult (3 of 10), 50 % at the office as now: consult moved most.
        *answers("result", "satisfied", "consult", "messenger", week, scores=[5] * 3 + [3] * 7),
        *answers("visit", "satisfied", "permits", "office", week, scores=[5] * 5 + [2] * 5),
        # 3 answers by phone: hidden, so never compared.
        *answers("visit", "satisfied", "permits", "phone", week, scores=[1, 1, 1]),
    ]


def test_the_summary_names_the_strongest_change_among_shown_cells() -> None:
    current = analyse(Q4, SURVEYS, quarter_rows(), RATINGS, REPLIES)
    previous = analyse(Q4.previous(), SURVEYS, previous_rows(), [])
    # The 3 by phone hide the office's cell with them (its row would give them away), and
    # the office's column, which is that one cell.
    assert previous.csat.by_touchpoint["phone"].hidden
    assert previous.csat.by_touchpoint["office"].hidden
    moved = changes(current, previous)
    top = moved[0]
    assert (top.measure, top.before, round(top.after, 1)) == ("CSAT", 30.0, 54.5)
    assert {(c.side, c.name) for c in moved if c.measure == "CSAT"} == {
        ("услуга", "consult"),
        ("услуга", "permits"),
        ("точка контакта", "messenger"),
    }
    text = summary(current, previous)
    assert text.startswith("# Обратная связь: IV квартал 2026\n")
    assert "- CSAT, услуга «consult»: 30% → 55% (+25 п. п.)" in text
    assert "phone" not in text and "«office»" not in text
    assert "Слова: ответ (6), ждать (5)." in text and "«ждать ответ» (5)" in text
    assert "Первый ответ на обращение в срок: 80%." in text  # (9 + 3) / 15


def test_the_workbook_has_every_sheet_and_the_charts_are_png() -> None:
    current = analyse(Q4, SURVEYS, quarter_rows(), RATINGS, REPLIES)
    previous = analyse(Q4.previous(), SURVEYS, previous_rows(), [])
    pictures = charts(current, previous)
    assert set(pictures) == {
        "csat.png",
        "nps.png",
        "trend.png",
        "stages.png",
        "sla.png",
        "questions-result.png",
        "questions-visit.png",
    }
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in pictures.values())
    created = datetime(2027, 1, 11, 6, 0, tzinfo=UTC)
    book = openpyxl.load_workbook(io.BytesIO(workbook(current, previous, pictures, created)))
    assert book.sheetnames == list(SHEETS)
    assert book.properties.created == created.replace(tzinfo=None)
    grid = [row for row in book["CSAT"].iter_rows(values_only=True) if any(row)]
    assert grid[1] == ("Услуга \\ точка контакта", "messenger", "office", "Все точки")
    assert grid[2][0] == "consult" and round(grid[2][1], 1) == 54.5 and grid[2][2] is None
    questions = list(book["Вопросы"].iter_rows(values_only=True))
    assert (
        "Результат услуги",
        "Как вы к нам обратились?",
        "один вариант",
        "всего",
        20,
        None,
    ) in questions
    assert (None, None, None, "Лично", 5, 25) in questions
    assert len(book["Графики"]._images) == len(pictures)


def test_results_name_what_answers_are_tagged_with() -> None:
    """Published tables show names: the office's titles first, then the catalog's, else the
    id; two ids that share a name keep apart."""
    names = Names(
        services={
            "consult": Text(ru="Консультация", en="Advice"),
            "permits": Text(ru="Консультация", en="Permits"),
        },
        stages={"scenario.r.s": Text(ru="Разрешение: документы", en="Permit: documents")},
    )
    ratings = [*RATINGS, *(StageRow("scenario.r.s", 5) for _ in range(5))]
    result = named(analyse(Q4, SURVEYS, quarter_rows(), ratings, REPLIES), names)
    assert result.csat.services == ("Консультация (consult)", "Консультация (permits)")
    assert result.csat.touchpoints == ("чат с ботом", "приём в офисе")
    assert result.csat.cells[("Консультация (consult)", "чат с ботом")].n == 22
    assert result.csat.by_touchpoint["приём в офисе"] == Score(10, 50.0)
    assert [s.stage for s in result.stages] == [
        "ответ бота",
        "Разрешение: документы",
        "запись на приём",
        "приём в офисе",
    ]
    english = named(analyse(Q4, SURVEYS, quarter_rows(), RATINGS, REPLIES), names, "en")
    assert english.csat.services == ("Advice", "Permits")
    assert english.nps.touchpoints == ("chat with the bot",)
    assert Names().service("unknown") == "unknown" and Names().service("all") == "все услуги"
