"""The stages of the client's journey as ratings name them, and the ratings kept before
migration 0009 renamed to match."""

from sqlalchemy import text

from bot.core.db import create_engine, downgrade, migrate
from bot.core.ratings import Stage, scenario_stage


def test_stage_names_list_the_journey_in_order() -> None:
    assert [stage.value for stage in Stage] == [
        "scenario",
        "faq.answer",
        "faq.helpful",
        "ticket.answered",
        "ticket.closed",
        "booking.made",
        "visit",
        "application",
    ]
    assert scenario_stage("proactive", "consent") == "scenario.proactive.consent"
    assert Stage.of("scenario.proactive.consent") is Stage.SCENARIO
    assert Stage.of("visit") is Stage.VISIT
    assert Stage.of("application.review") is Stage.APPLICATION
    assert Stage.of("question") is None  # a ticket's kind, as ratings were named before 0009


async def test_ratings_kept_before_get_the_journey_names(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        await downgrade(engine, "0008")
        async with engine.begin() as connection:
            for number, (service, stage) in enumerate(
                [("tickets", "question"), ("dopog", "proactive.consent")]
            ):
                await connection.execute(
                    text(
                        "INSERT INTO stage_ratings VALUES (:id, :service, 'messenger', '', "
                        ":stage, 4, '2026-03-11')"
                    ),
                    {"id": f"{number:032d}", "service": service, "stage": stage},
                )
        await migrate(engine)
        async with engine.connect() as connection:
            rows = (
                await connection.execute(text("SELECT service, stage FROM stage_ratings"))
            ).all()
        assert sorted(rows) == [
            ("dopog", "scenario.proactive.consent"),
            ("tickets", "ticket.closed"),
        ]
        await downgrade(engine, "0008")
        async with engine.connect() as connection:
            rows = (
                await connection.execute(text("SELECT service, stage FROM stage_ratings"))
            ).all()
        assert sorted(rows) == [("dopog", "proactive.consent"), ("tickets", "ticket.closed")]
    finally:
        await engine.dispose()
