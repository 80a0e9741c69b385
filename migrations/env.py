"""Alembic environment: runs on the connection `bot.core.db.migrate` hands over, or on
DATABASE_URL."""

import asyncio

from alembic import context
from sqlalchemy import Connection

import applications.models  # noqa: F401
import bot.booking.models
import bot.core.staff
import bot.missing.models
import bot.tickets.models  # noqa: F401
import knowledge_base.models  # noqa: F401
import scenarios.places  # noqa: F401
import surveys.models  # noqa: F401
import touchpoints.models  # noqa: F401
from bot.core.models import Base

target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_from_settings() -> None:
    from bot.core.config import load_settings
    from bot.core.db import create_engine

    engine = create_engine(load_settings().database_url)
    async with engine.begin() as connection:
        await connection.run_sync(run_on)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is None:
    asyncio.run(run_from_settings())
else:
    run_on(connection)
