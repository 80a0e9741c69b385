"""The day's pass list for the security desk: CSV for their spreadsheet, PDF to print. The
only place where document numbers are decrypted, and only for that day's visitors."""

import csv
import io
from dataclasses import astuple, dataclass
from datetime import date, datetime, timedelta

import font_roboto
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking.crypto import Vault
from bot.booking.models import ARRIVED, BOOKED, SERVED, Booking
from bot.booking.schedule import Office, Schedule
from bot.core import clock
from bot.core.messages import Attachment, Reply

HEADER = ("Время", "№ записи", "Фамилия", "Имя", "Отчество", "Документ", "Номер", "Машина")
DOC_NAMES = {"ru": "Паспорт РФ", "foreign": "Иностранный паспорт", "other": "Другой документ"}


@dataclass(frozen=True)
class PassRow:
    time: str
    number: str
    surname: str
    name: str
    patronymic: str
    document: str
    doc_number: str
    plate: str


async def pass_rows(
    session: AsyncSession, schedule: Schedule, vault: Vault, office: Office, day: date
) -> list[PassRow]:
    start = datetime.combine(day, datetime.min.time(), schedule.tz)
    bookings = await session.scalars(
        select(Booking)
        .where(
            Booking.office == office.id,
            Booking.status.in_((BOOKED, ARRIVED, SERVED)),
            Booking.starts_at >= start,
            Booking.starts_at < start + timedelta(days=1),
        )
        .order_by(Booking.starts_at, Booking.seat)
    )
    rows = []
    for booking in bookings:
        data = vault.open(booking.personal)
        rows.append(
            PassRow(
                f"{booking.starts_at.astimezone(schedule.tz):%H:%M}",
                str(booking.id),
                data.get("surname", "—"),
                data.get("name", ""),
                data.get("patronymic", ""),
                DOC_NAMES.get(booking.doc_type or "", "нет данных"),
                data.get("doc_number", ""),
                data.get("plate", ""),
            )
        )
    return rows


def to_csv(rows: list[PassRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(astuple(row) for row in rows)
    # The BOM makes Excel read the file as UTF-8 (security desks open it there).
    return out.getvalue().encode("utf-8-sig")


def to_pdf(rows: list[PassRow], office: Office, day: date) -> bytes:
    # Imported here: fpdf costs ~0.3 s and 40 MB at start-up for a file made once a day.
    from fpdf import FPDF

    pdf = FPDF(orientation="L")
    pdf.set_creation_date(clock.now())  # fpdf would read the system clock itself
    pdf.set_creator("Priemnaya")
    # Roboto (from the font-roboto package) has Cyrillic; the core PDF fonts do not.
    pdf.add_font("Roboto", fname=font_roboto.font_files["Roboto"])
    pdf.add_font("Roboto", style="B", fname=font_roboto.font_files["RobotoBold"])
    pdf.add_page()
    pdf.set_font("Roboto", size=14)
    pdf.cell(text=f"Список пропусков на {day:%d.%m.%Y}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Roboto", size=10)
    pdf.cell(text=office.address.ru, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(col_widths=(14, 16, 34, 28, 34, 36, 30, 24)) as table:
        for values in (HEADER, *(astuple(row) for row in rows)):
            line = table.row()
            for value in values:
                line.cell(value)
    return bytes(pdf.output())


async def pass_list_replies(
    session: AsyncSession, schedule: Schedule, vault: Vault, office: Office, day: date
) -> list[Reply]:
    """The list as two files for the staff chat; [] when nobody is expected that day."""
    rows = await pass_rows(session, schedule, vault, office, day)
    if not rows:
        return []
    name = f"passes-{office.id}-{day:%Y-%m-%d}"
    caption = f"Пропуска на {day:%d.%m.%Y}, {office.name.ru}: {len(rows)} чел."
    return [
        Reply(
            caption,
            attachment=Attachment(f"{name}.pdf", to_pdf(rows, office, day), "application/pdf"),
        ),
        Reply(caption, attachment=Attachment(f"{name}.csv", to_csv(rows), "text/csv")),
    ]
