"""The register's publication deadline, reminded: every working day the staff chat is told of
the changes still waiting, with their deadlines (10 working days, here across the New Year
holidays); nothing when there are none, on days off, or after publication."""

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from bot.app import App, create_app
from bot.cli import main
from bot.core import staff
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.models import Timer
from tests.conftest import MOSCOW
from tests.support.client import Person
from tests.touchpoints.conftest import write
from tests.touchpoints.test_changes import CHANGED, content
from touchpoints.reminder import REMINDER

__all__ = ["content"]  # the change log tests' content: a small register of the office's own

HEAD = (
    "Перечень точек взаимодействия изменился. Обновлённый перечень нужно опубликовать на сайте"
    " в течение 10 рабочих дней после изменения."
)
CHANGES = [
    "изменены потребности клиента: Единый портал государственных услуг (Выдача специальных"
    " разрешений) — было «подача заявления (обращения); получение результата», стало"
    " «получение информации; подача заявления (обращения); получение результата»",
    "изменён вид точки (цифровая или офлайн): Приём заявлений в управлении (Выдача"
    " специальных разрешений) — было «Офлайн-точка», стало «Цифровая точка»",
    "добавлена точка взаимодействия: Почтовое отправление (Выдача специальных разрешений)",
]
HOW = "Опубликовать: priemnaya touchpoints export --publish --out <папка сайта>"


def at(day: str) -> datetime:
    """A second after the reminder's hour (9:00, Moscow) on `day`."""
    return datetime.fromisoformat(f"{day} 09:00:01").replace(tzinfo=MOSCOW)


async def publish(cli: CliRunner, site: Path) -> None:
    args = ["touchpoints", "export", "--publish", "--out", str(site)]
    result = await asyncio.to_thread(cli.invoke, main, args)
    assert result.exit_code == 0, result.output


async def remind(app: App, pinned: PinnedClock, day: str) -> None:
    """The day's reminder comes due and fires, and plans the next day's."""
    pinned.set(at(day))
    assert await app.timers.sweep() == 1
    async with app.sessions() as session:
        [planned] = await session.scalars(
            select(Timer).where(Timer.kind == REMINDER, Timer.fired_at.is_(None))
        )
    assert planned.due_at == at(day) + timedelta(days=1, seconds=-1)


async def test_pending_changes_are_reminded_on_working_days_until_published(
    settings: Settings, content: Path, cli: CliRunner, tmp_path: Path, pinned: PinnedClock
) -> None:
    settings = settings.model_copy(
        update={"telegram_staff_chat_id": -100123, "content_dir": content.parent}
    )
    site = tmp_path / "site"
    pinned.set(datetime(2026, 12, 22, 11, 0, tzinfo=MOSCOW))  # a Tuesday
    app = await create_app(settings)
    try:
        staff_chat = Person(app, staff.GENERAL, channel=staff.STAFF)
        await publish(cli, site)
        # `priemnaya run` plans it at every start, and workers may start together: one timer.
        await asyncio.gather(*(app.touchpoints_reminder.ensure(app.sessions) for _ in range(3)))
        async with app.sessions() as session:
            [timer] = await session.scalars(select(Timer).where(Timer.kind == REMINDER))
        assert timer.due_at == at("2026-12-23") - timedelta(seconds=1)

        await remind(app, pinned, "2026-12-23")
        assert await staff_chat.delivered() == []  # the published register is up to date

        # Friday afternoon the office changes its register; nobody runs `touchpoints changes`.
        pinned.set(datetime(2026, 12, 25, 15, 0, tzinfo=MOSCOW))
        write(content, register=CHANGED)
        await remind(app, pinned, "2026-12-26")  # Saturday: dated, not posted
        await remind(app, pinned, "2026-12-27")
        assert await staff_chat.delivered() == []
        await remind(app, pinned, "2026-12-28")  # the next working day
        [message] = await staff_chat.delivered()
        # 28-30 December, then 11-15 and 18-19 January after the holidays.
        due = [f"• Опубликовать до 19.01.2027: {change}" for change in CHANGES]
        assert message.text == "\n\n".join([HEAD, "\n".join(due), HOW])

        await remind(app, pinned, "2027-01-05")  # the New Year holidays: nothing
        assert await staff_chat.delivered() == []
        await remind(app, pinned, "2027-01-19")
        [message] = await staff_chat.delivered()
        assert f"• Сегодня последний день: {CHANGES[2]}" in message.text.splitlines()
        await remind(app, pinned, "2027-01-20")
        [message] = await staff_chat.delivered()
        late = [f"• Просрочено (срок был 19.01.2027): {change}" for change in CHANGES]
        assert message.text == "\n\n".join([HEAD, "\n".join(late), HOW])

        pinned.set(at("2027-01-20") + timedelta(hours=1))
        await publish(cli, site)
        await remind(app, pinned, "2027-01-21")
        assert await staff_chat.delivered() == []

        # A register file broken since: staff are told the register could not be checked.
        write(content, register="processes:\n  - process: permit\n")
        await remind(app, pinned, "2027-01-22")
        [message] = await staff_chat.delivered()
        assert message.text.startswith(
            "Не удалось проверить, изменился ли перечень точек взаимодействия: в его файлах"
            " ошибки.\n\n"
        )
        assert f"{content / 'register.yaml'}:2:" in message.text
    finally:
        await app.close()


async def test_no_staff_chat_no_reminder(app: App) -> None:
    await app.touchpoints_reminder.ensure(app.sessions)
    async with app.sessions() as session:
        assert await session.scalar(select(Timer.id).where(Timer.kind == REMINDER)) is None
