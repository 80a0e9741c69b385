"""Every migration runs up, down and up again on both databases (the stairway test)."""

from sqlalchemy import inspect

from bot.core.db import create_engine, downgrade, migrate


async def test_stairway(database_url) -> None:
    engine = create_engine(database_url)
    try:
        await downgrade(engine, "base")
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        assert set(tables) <= {"alembic_version"}
        await migrate(engine)
        await downgrade(engine, "base")
        await migrate(engine)
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        assert {"people", "conversations", "inbound_updates", "outbox", "timers"} <= set(tables)
    finally:
        await engine.dispose()
