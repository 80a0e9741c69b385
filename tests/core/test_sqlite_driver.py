"""The one-trip SQLite cursor gives SQLAlchemy what the stock aiosqlite cursor gives: row
counts, new ids, RETURNING, several rows, no rows, errors of the right kind."""

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core.sqlite_driver import OneTripDBAPI

things = Table(
    "things",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
)


@pytest.mark.parametrize("driver", ["stock", "one trip"])
async def test_the_cursor_answers_as_the_stock_one(tmp_path, driver: str) -> None:
    module = {"module": OneTripDBAPI()} if driver == "one trip" else {}
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db", **module)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(things.metadata.create_all)
            added = await connection.execute(insert(things).values(name="a"))
            assert added.inserted_primary_key == (1,)
            many = await connection.execute(
                insert(things).returning(things.c.id), [{"name": "b"}, {"name": "c"}]
            )
            assert sorted(many.scalars()) == [2, 3]
            changed = await connection.execute(
                update(things).where(things.c.id > 1).values(name=things.c.name + "!")
            )
            assert changed.rowcount == 2
            returned = await connection.execute(
                update(things).where(things.c.id == 1).values(name="z").returning(things.c.name)
            )
            assert returned.scalar_one() == "z"
            rows = await connection.execute(select(things.c.name).order_by(things.c.id))
            assert rows.scalars().all() == ["z", "b!", "c!"]
            none = await connection.execute(select(things).where(things.c.id == 99))
            assert none.first() is None
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(insert(things).values(name="z"))
    finally:
        await engine.dispose()
