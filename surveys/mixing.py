"""Writing anonymous rows so that no transaction or write order singles one out.

PostgreSQL reads a table in the order its rows were written, and every row carries the id of
the transaction that wrote it (the xmin system column): the same transaction that also
updated the person's conversation or wrote their interaction log line. So a new row is never
written alone: up to MIXED_WITH earlier groups of rows (a questionnaire, a rating) of the
same week or day, picked at random, are taken out and written back with it in one shuffled
batch. Whoever reads the transaction ids learns only that the person's row is one of the
batch. (On SQLite the tables are WITHOUT ROWID and keyed by random ids, so neither applies.)
"""

import random
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

MIXED_WITH = 50  # a bound keeps a busy week's last write fast


async def write_mixed(
    session: AsyncSession,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    group: str,
    alike: Sequence[ColumnElement[bool]],
) -> None:
    """Insert `rows` with up to MIXED_WITH earlier groups (rows sharing the `group` column)
    that match `alike`, all in one shuffled batch."""
    key = table.c[group]
    sample = select(key).where(*alike).group_by(key).order_by(func.random()).limit(MIXED_WITH)
    # DELETE ... RETURNING moves each row once even when two writers meet: a row another
    # transaction took out first is not returned here, so it is neither lost nor doubled.
    earlier = await session.execute(
        delete(table).where(*alike, key.in_(sample)).returning(*table.c)
    )
    batch = [*rows, *(dict(row) for row in earlier.mappings())]
    random.SystemRandom().shuffle(batch)
    if batch:
        await session.execute(insert(table), batch)
