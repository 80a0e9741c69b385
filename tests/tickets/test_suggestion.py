""" "Предложение": a kind of request the person picks like the others, with the reply limit of
an official request, shown to staff in its own topic."""

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App
from bot.tickets import cards
from bot.tickets.sla import SHIPPED, SUGGESTION, load_sla
from tests.support.client import Person
from tests.tickets.conftest import staff_texts, ticket

IDEA = "Поставьте, пожалуйста, скамейку у входа: пожилым тяжело ждать стоя."


async def test_a_suggestion_is_sent_and_shown_to_staff(staff_app: App) -> None:
    chat = Person(staff_app)
    await chat.send("/start")
    await chat.press(chat.t("menu-human"))
    await chat.send(IDEA)
    kinds = ("request", "question", "complaint", "suggestion")
    assert chat.labels() == [*(chat.t(f"ticket-kind-{k}") for k in kinds), chat.t("button-menu")]
    await chat.press(chat.t("ticket-kind-suggestion"))
    created = await ticket(staff_app)
    assert created.kind == SUGGESTION
    assert created.first_due - created.created_at == timedelta(hours=2)
    when = cards.when("ru", created.first_due, created.created_at, staff_app.settings.tz)
    assert chat.last.text == chat.t("ticket-created", number=1, when=when)

    [card] = await staff_texts(staff_app)
    assert card.splitlines()[0] == "Обращение №1 · Предложение"  # pinned on purpose
    assert IDEA in card
    assert cards.topic_name(1, SUGGESTION) == "№1 · Предложение"


def test_an_office_file_from_before_suggestions_takes_the_shipped_limit(tmp_path: Path) -> None:
    old = SHIPPED.read_text(encoding="utf-8")
    start = old.index("  suggestion:")
    end = old.index("  comment:")
    path = tmp_path / "sla.yaml"
    rest = old[end:].replace("first_reply: 2h", "first_reply: 1h", 1)  # comment's own limit
    path.write_text(old[:start] + rest, encoding="utf-8")
    sla = load_sla(path, ZoneInfo("Europe/Moscow"))
    assert sla.policy(SUGGESTION).first_reply == timedelta(hours=2)  # the shipped limit
    assert sla.policy("comment").first_reply == timedelta(hours=1)  # the office's own
    assert not sla.policy(SUGGESTION).keep_contacts
