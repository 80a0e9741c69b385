"""`priemnaya db copy --from URL`: every row of another database (the SQLite file an office
started on) into the configured DATABASE_URL (the new PostgreSQL), for moving house.

Both are migrated to the current schema first; the target must be empty, so copy before the
first `priemnaya run` on it. The bot must be stopped while it copies. One transaction on the
target: a failed copy leaves it empty, to try again."""

from typing import Any

import click
from sqlalchemy import Integer, MetaData, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.cli_support import async_command, cli_settings
from bot.core.db import create_engine, migrate
from bot.core.models import Base

BATCH = 1000


@click.group("db")
def db_group() -> None:
    """The database itself: moving it to another server."""


@db_group.command("copy")
@click.option("--from", "source_url", required=True, help="The database to copy from.")
@async_command
async def copy_command(source_url: str) -> None:
    """Copy every row from --from into the (empty) DATABASE_URL."""
    target_url = cli_settings().database_url
    # Base.metadata holds every feature's tables: the command group imported the assembly.
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        await migrate(source)
        await migrate(target)
        async with source.connect() as reading, target.begin() as writing:
            counts = await copy_rows(reading, writing, Base.metadata)
    finally:
        await source.dispose()
        await target.dispose()
    for table, count in counts.items():
        click.echo(f"{table:<28} {count:>9}")
    click.echo(f"Copied {sum(counts.values())} rows.")


async def copy_rows(
    reading: AsyncConnection, writing: AsyncConnection, metadata: MetaData
) -> dict[str, int]:
    """Rows of every table, parents before children; the target's id sequences moved past
    the copied ids (PostgreSQL), so new rows do not collide with them."""
    tables = metadata.sorted_tables
    for table in tables:
        if await writing.scalar(select(func.count()).select_from(table)):
            raise click.ClickException(
                f"the target's {table.name} has rows: copy into an empty database, before "
                "the first `priemnaya run` on it"
            )
    counts = {}
    for table in tables:
        counts[table.name] = 0
        rows = await reading.stream(select(table))
        async for batch in rows.partitions(BATCH):
            values: list[dict[str, Any]] = [dict(row._mapping) for row in batch]
            await writing.execute(table.insert(), values)
            counts[table.name] += len(values)
        if writing.dialect.name == "postgresql":
            for column in table.primary_key.columns:
                if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                    await writing.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                            f"'{column.name}'), coalesce(max({column.name}), 1), "
                            f"max({column.name}) IS NOT NULL) FROM {table.name}"
                        )
                    )
    return counts
