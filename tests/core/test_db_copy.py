"""`priemnaya db copy`: an office's SQLite file moved into a new database, every row, and the
bot goes on there (new rows get new ids)."""

import asyncio
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from bot.app import create_app
from bot.cli import main
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.messages import Incoming, Reply
from bot.core.models import Base, OutboxMessage, Person
from bot.core.outbox import enqueue


async def counts(settings: Settings) -> dict[str, int]:
    app = await create_app(settings)
    try:
        async with app.sessions() as session:
            return {
                table.name: await session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables
            }
    finally:
        await app.close()


def test_copy_moves_every_row_and_the_bot_goes_on(database_url: str, tmp_path: Path) -> None:
    old = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/old.db",
        data_dir=tmp_path / "data",
        secret_key="test-secret-key-not-for-production",
        _env_file=None,
    )

    async def an_office_at_work() -> None:
        app = await create_app(old)  # seeds the knowledge base, the register
        try:
            await app.engine.handle(Incoming("telegram", "7", "7", text="/start", update_id="1"))
            async with transaction(app.sessions) as session:
                enqueue(session, "telegram", "7", [Reply("Ответ по обращению")])
        finally:
            await app.close()

    asyncio.run(an_office_at_work())
    env = {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data")}
    copied = CliRunner().invoke(main, ["db", "copy", "--from", old.database_url], env=env)
    assert copied.exit_code == 0, copied.output
    new = old.model_copy(update={"database_url": database_url})
    before = asyncio.run(counts(old))
    assert asyncio.run(counts(new)) == before and before["people"] == 1

    async def going_on() -> None:
        app = await create_app(new)
        try:
            async with app.sessions() as session:
                [message] = (await session.scalars(select(OutboxMessage))).all()
            assert message.payload == Reply("Ответ по обращению").to_dict()
            assert message.created_at.tzinfo is not None
            await app.engine.handle(Incoming("telegram", "8", "8", text="/start", update_id="2"))
            async with app.sessions() as session:
                ids = (await session.scalars(select(Person.id).order_by(Person.id))).all()
            assert len(set(ids)) == 2
        finally:
            await app.close()

    asyncio.run(going_on())
    again = CliRunner().invoke(main, ["db", "copy", "--from", old.database_url], env=env)
    assert again.exit_code == 1 and "has rows" in again.output
