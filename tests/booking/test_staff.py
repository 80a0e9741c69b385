"""The staff's side: /today with check-in and call-in, the pass list (CSV and PDF) and the
wait report from the command line."""

import asyncio
import csv
import io
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import select

from bot.app import App, create_app
from bot.booking.models import ARRIVED, BOOKED, SERVED, Booking
from bot.booking.staff_day import ARRIVED_BUTTON
from bot.cli import main
from bot.core import clock, staff
from bot.core.config import Settings
from bot.core.models import Person
from tests.support.client import People


async def _add_booking(app: App, start: datetime, **fields) -> int:
    personal = fields.pop("personal", None)
    async with app.sessions() as session, session.begin():
        person = await session.scalar(select(Person).where(Person.external_id == "visitor"))
        if person is None:
            person = Person(channel="console", external_id="visitor", chat_id="visitor")
            session.add(person)
            await session.flush()
        booking = Booking(
            person_id=person.id,
            office="transport",
            service="consult",
            starts_at=start,
            ends_at=start + timedelta(minutes=15),
            seat=fields.pop("seat", 1),
            status=fields.pop("status", BOOKED),
            personal=app.booking.vault.seal(personal) if personal else None,
            **fields,
        )
        session.add(booking)
        await session.flush()
        return booking.id


async def test_today_for_staff_only_with_check_in_and_wait(app: App, people: People) -> None:
    start = clock.now() + timedelta(minutes=1)
    booking_id = await _add_booking(app, start, personal={"surname": "Иванова", "name": "Анна"})
    citizen = people("citizen")
    await citizen.send("/today")
    assert citizen.last.text == citizen.t("today-staff-only")
    replies = await citizen.handle(action=ARRIVED_BUTTON.pack(booking_id))
    assert replies is not None and [r.text for r in replies] == [citizen.t("today-staff-only")]

    async with app.sessions() as session, session.begin():
        await staff.add(session, "console", "clerk", staff.Role.STAFF, "Петрова П. П.")
    clerk = people("clerk")
    service = app.booking.schedule.office("transport").service("consult")

    def card(status: str, wait: int = -1) -> str:
        return clerk.t(
            "today-card",
            time=f"{start.astimezone(app.booking.schedule.tz):%H:%M}",
            number=booking_id,
            who="Иванова Анна",
            service=service.title.get(clerk.locale),
            status=status,
            wait=wait,
            norm=15,
        )

    await clerk.send("/today")
    assert clerk.last.text == card(BOOKED)
    assert clerk.labels() == [clerk.t("today-button-arrived"), clerk.t("today-button-served")]
    await clerk.press(clerk.t("today-button-arrived"))
    assert clerk.last.text == card(ARRIVED)
    assert clerk.labels() == [clerk.t("today-button-served"), clerk.t("today-button-docs")]
    await clerk.press(clerk.t("today-button-served"))
    assert clerk.last.text == card(SERVED, wait=0)
    assert clerk.labels() == [clerk.t("today-button-docs")]
    async with app.sessions() as session:
        booking = await session.get(Booking, booking_id)
    assert booking.status == SERVED and booking.arrived_at <= booking.served_at


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", settings.secret())
    return CliRunner()


def test_pass_list_and_wait_report(cli: CliRunner, settings: Settings, tmp_path) -> None:
    tz = settings.tz
    day = datetime(2026, 11, 24, tzinfo=tz)

    async def prepare() -> None:
        app = await create_app(settings)
        try:
            pass_data = {
                "surname": "Иванова",
                "name": "Анна",
                "doc_number": "4510 123456",
                "plate": "А123ВС77",
            }
            await _add_booking(app, day.replace(hour=10), personal=pass_data, doc_type="ru")
            await _add_booking(app, day.replace(hour=10), seat=2, status="cancelled")
            # Waits of 0, 5, 10 and 20 minutes (arrival before the slot counts from the slot).
            for n, wait in enumerate((0, 5, 10, 20)):
                start = day.replace(hour=11, minute=15 * n)
                await _add_booking(
                    app,
                    start,
                    status=SERVED,
                    arrived_at=start - timedelta(minutes=10),
                    served_at=start + timedelta(minutes=wait),
                )
            await _add_booking(app, day.replace(hour=12), status=ARRIVED, arrived_at=day)
        finally:
            await app.close()

    asyncio.run(prepare())
    out = tmp_path / "out"
    result = cli.invoke(
        main, ["passes", "--date", "2026-11-24", "--office", "transport", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(
        csv.reader(
            io.StringIO((out / "passes-transport-2026-11-24.csv").read_text("utf-8-sig")),
            delimiter=";",
        )
    )
    # Pins the wording on purpose: the pass list is a file for the building's security, its
    # columns and document names fixed in bot/booking/passes.py, not in the chat catalog.
    assert rows[0][:3] == ["Время", "№ записи", "Фамилия"]
    assert rows[1][0] == "10:00" and rows[1][2:] == [
        "Иванова",
        "Анна",
        "",
        "Паспорт РФ",
        "4510 123456",
        "А123ВС77",
    ]
    assert len(rows) == 1 + 1 + 4 + 1  # header, the pass, served ones, the arrived one
    pdf = PdfReader(out / "passes-transport-2026-11-24.pdf").pages[0].extract_text()
    assert "Иванова" in pdf and "4510 123456" in pdf and "24.11.2026" in pdf

    bad = cli.invoke(main, ["passes", "--date", "2026-11-24", "--office", "moon"])
    assert bad.exit_code != 0 and "transport, river" in bad.output

    report = cli.invoke(main, ["report", "waits", "--from", "2026-11-24", "--to", "2026-11-24"])
    assert report.exit_code == 0, report.output
    assert "count: 4" in report.output and "median: 7.5 min" in report.output
    assert "p90: 20.0 min" in report.output and "within 15 min: 75%" in report.output
