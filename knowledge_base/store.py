"""The live knowledge base in the database: versioned edits, rollback, gaps, and a search
index that is rebuilt when any worker publishes a change (no restart needed)."""

import asyncio
import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

import knowledge_base
from bot.core import clock
from bot.core.db import SessionFactory, transaction
from bot.core.privacy import scrub
from knowledge_base.decision import Decision, DecisionModel
from knowledge_base.entries import Entry, entry_from_plain, entry_to_plain, load_entries
from knowledge_base.models import KBEntry, KBGap, KBVersion
from knowledge_base.retrieval import Retriever
from knowledge_base.search import Hit
from knowledge_base.semantic import Encoder

SHIPPED = Path(knowledge_base.__file__).parent / "demo"
MODEL_FILE = "decision.json"  # the decision model, next to the base's *.yaml files
QUESTION_LIMIT = 500  # longer texts are letters, not questions; their start is enough to search
GAP_KEY_LIMIT = 200


@dataclass(frozen=True)
class Snapshot:
    entries: dict[str, Entry]  # every entry, enabled or not
    retriever: Retriever  # enabled entries only

    def decide(self, question: str) -> tuple[Decision, list[Hit]]:
        return self.retriever.decide(question[:QUESTION_LIMIT])

    @functools.cached_property
    def negatives(self) -> frozenset[str]:
        """Gap keys of the questions moderators marked out of scope: not gaps any more."""
        return frozenset(
            gap_key(text) for entry in self.entries.values() for text in entry.negatives
        )


def _to_json(entry: Entry) -> dict[str, Any]:
    plain = entry_to_plain(entry)
    plain["updated_at"] = entry.updated_at.isoformat()
    return plain


def gap_key(question: str) -> str:
    return " ".join(re.findall(r"\w+", question.lower()))[:GAP_KEY_LIMIT]


def model_path(content: Path) -> Path:
    """The decision model of a base: its folder's decision.json, else the shipped one."""
    own = content / MODEL_FILE
    return own if own.exists() else SHIPPED / MODEL_FILE


@dataclass(frozen=True)
class Gap:
    """One unanswered question: all its repeats (rows of one key) as one."""

    id: int  # the newest row's id, what a button names
    key: str
    question: str  # the newest row's wording
    times: int


class KnowledgeStore:
    def __init__(self, tz: tzinfo, model_file: Path, encoder: Encoder) -> None:
        self.tz = tz  # the office's zone: dates of changes and gaps are the office's days
        self.model_file = model_file
        self.encoder = encoder
        self._cached: tuple[tuple[int, int, float], Snapshot] | None = None
        self._building = asyncio.Lock()

    async def snapshot(self, session: AsyncSession) -> Snapshot:
        """The current entries and retriever; rebuilt when some version or the model file
        changed (a moderator's edit in any worker, `kb fit`), so no restart is needed."""
        stamp = await self._stamp(session)
        async with self._building:  # one rebuild at a time; the others wait and reuse it
            if self._cached is None or self._cached[0] != stamp:
                await self._build(stamp, await self._entries(session))
            assert self._cached is not None
            return self._cached[1]

    async def warm(self, sessions: SessionFactory) -> None:
        """Build the index at start from rows read in a short transaction: the build takes
        seconds on a first start, and on SQLite a transaction holds the one write lock."""
        async with self._building:
            async with transaction(sessions) as session:
                stamp, entries = await self._stamp(session), await self._entries(session)
            if self._cached is None or self._cached[0] != stamp:
                await self._build(stamp, entries)

    async def _stamp(self, session: AsyncSession) -> tuple[int, int, float]:
        count, versions = (
            await session.execute(select(func.count(KBEntry.id), func.sum(KBEntry.version)))
        ).one()
        return count, versions or 0, self.model_file.stat().st_mtime

    @staticmethod
    async def _entries(session: AsyncSession) -> dict[str, Entry]:
        rows = await session.scalars(select(KBEntry).order_by(KBEntry.id))
        return {row.id: entry_from_plain(row.data) for row in rows}

    async def _build(self, stamp: tuple[int, int, float], entries: dict[str, Entry]) -> None:
        # Indexing takes ~0.5 s (the sentence model, on a first start): in a thread, so the
        # other people's messages are answered meanwhile.
        retriever = await asyncio.to_thread(self._retriever, list(entries.values()))
        self._cached = (stamp, Snapshot(entries, retriever))

    async def prefetch(self, text: str) -> None:
        """Encode a free text ahead, before its update's transaction: on SQLite that holds
        the write lock, and the sentence model's ~25 ms would hold every other update up.
        Batched with the other people's texts in a worker thread (Encoder.encode_batched).
        Before the first snapshot there is no index to read the text with yet: nothing."""
        if self._cached is None:
            return
        queries = self._cached[1].retriever.queries(text[:QUESTION_LIMIT])
        if queries:
            await self.encoder.encode_batched(queries)

    def _retriever(self, entries: list[Entry]) -> Retriever:
        return Retriever(entries, self.encoder, DecisionModel.load(self.model_file))

    async def answers(
        self, session: AsyncSession, topics: Sequence[str], locale: str
    ) -> list[str]:
        """The enabled answers of `topics`, in that order, in the person's language."""
        entries = (await self.snapshot(session)).entries
        return [
            entries[topic].answer_en if locale == "en" else entries[topic].answer_ru
            for topic in topics
            if topic in entries and entries[topic].enabled
        ]

    async def seed_if_empty(self, session: AsyncSession, directory: Path) -> int:
        """Copy the shipped (or CONTENT_DIR) templates into an empty database."""
        if await session.scalar(select(func.count(KBEntry.id))):
            return 0
        entries = load_entries(directory)
        for entry in entries:
            self._insert(session, entry, by="content files", change="import")
        return len(entries)

    async def import_entries(
        self, session: AsyncSession, entries: Sequence[Entry], by: str
    ) -> tuple[int, int]:
        """Make the base equal to `entries` where they differ: (added, changed). Entries not
        in the files stay as they are; disable them to hide them."""
        current = {row.id: row for row in await session.scalars(select(KBEntry))}
        added = changed = 0
        for entry in entries:
            row = current.get(entry.id)
            if row is None:
                self._insert(session, entry, by=by, change="import")
                added += 1
            elif row.data != _to_json(entry):
                await self._publish(session, row, entry, by=by, change="import")
                changed += 1
        return added, changed

    async def all_entries(self, session: AsyncSession) -> list[Entry]:
        rows = await session.scalars(select(KBEntry).order_by(KBEntry.id))
        return [entry_from_plain(row.data) for row in rows]

    async def get(self, session: AsyncSession, entry_id: str) -> tuple[Entry, int] | None:
        row = await session.get(KBEntry, entry_id)
        return None if row is None else (entry_from_plain(row.data), row.version)

    async def change(
        self, session: AsyncSession, entry_id: str, by: str, change: str, **fields: Any
    ) -> int:
        """Publish a new version with `fields` replaced; returns the new version number."""
        row = await session.get(KBEntry, entry_id, with_for_update=True)
        if row is None:
            raise KeyError(entry_id)
        entry = dataclasses.replace(
            entry_from_plain(row.data), **fields, updated_at=clock.today(self.tz), reviewed_by=by
        )
        return await self._publish(session, row, entry, by=by, change=change)

    async def rollback(self, session: AsyncSession, entry_id: str, by: str) -> int | None:
        """Publish the previous version's content again; None when there is no earlier one."""
        row = await session.get(KBEntry, entry_id, with_for_update=True)
        if row is None or row.version < 2:
            return None
        previous = await session.scalar(
            select(KBVersion.data).where(
                KBVersion.entry_id == entry_id, KBVersion.version == row.version - 1
            )
        )
        if previous is None:
            return None
        return await self._publish(
            session, row, entry_from_plain(previous), by=by, change="rollback"
        )

    async def history(
        self, session: AsyncSession, entry_id: str, limit: int = 10
    ) -> list[KBVersion]:
        return list(
            await session.scalars(
                select(KBVersion)
                .where(KBVersion.entry_id == entry_id)
                .order_by(KBVersion.version.desc())
                .limit(limit)
            )
        )

    async def record_gap(
        self, session: AsyncSession, question: str, outcome: str, entry_id: str | None = None
    ) -> None:
        clean = scrub(question.strip())[:QUESTION_LIMIT]
        if not clean:
            return
        session.add(
            KBGap(
                question=clean,
                key=gap_key(clean),
                outcome=outcome,
                entry_id=entry_id,
                asked_on=clock.today(self.tz),
            )
        )

    async def gaps(self, session: AsyncSession, limit: int = 20) -> list[Gap]:
        """Questions the base could not answer or whose answer got "no", most frequent first."""
        return await self._counted_gaps(session, None, limit)

    def _insert(self, session: AsyncSession, entry: Entry, *, by: str, change: str) -> None:
        data = _to_json(entry)
        session.add(KBEntry(id=entry.id, data=data, version=1, updated_by=by))
        session.add(
            KBVersion(entry_id=entry.id, version=1, data=data, change=change, changed_by=by)
        )

    async def _publish(
        self, session: AsyncSession, row: KBEntry, entry: Entry, *, by: str, change: str
    ) -> int:
        data = _to_json(entry)
        row.version += 1
        row.data = data
        row.updated_by = by
        row.updated_at = clock.now()
        session.add(
            KBVersion(
                entry_id=row.id, version=row.version, data=data, change=change, changed_by=by
            )
        )
        await session.flush()
        return row.version

    async def gap(self, session: AsyncSession, gap_id: int) -> Gap | None:
        """The gap that row `gap_id` belongs to; None when no such row is left."""
        key = await session.scalar(select(KBGap.key).where(KBGap.id == gap_id))
        if key is None:
            return None
        found = await self._counted_gaps(session, key, 1)
        return found[0] if found else None

    async def filed_with(self, session: AsyncSession, key: str) -> str | None:
        """The entry whose answer to the gap `key` last got "no", if any did."""
        return await session.scalar(
            select(KBGap.entry_id)
            .where(KBGap.key == key, KBGap.outcome == "unhelpful", KBGap.entry_id.is_not(None))
            .order_by(KBGap.id.desc())
            .limit(1)
        )

    async def close_gap(self, session: AsyncSession, key: str) -> None:
        """Forget every repeat of the gap `key`: a moderator has dealt with it."""
        await session.execute(delete(KBGap).where(KBGap.key == key))

    async def _counted_gaps(self, session: AsyncSession, key: str | None, limit: int) -> list[Gap]:
        counted = select(
            KBGap.key, func.count(KBGap.id).label("times"), func.max(KBGap.id).label("newest")
        ).group_by(KBGap.key)
        if key is not None:
            counted = counted.where(KBGap.key == key)
        top = counted.order_by(func.count(KBGap.id).desc(), KBGap.key).limit(limit).subquery()
        rows = await session.execute(
            select(KBGap, top.c.times)
            .join(top, KBGap.id == top.c.newest)
            .order_by(top.c.times.desc(), KBGap.key)
        )
        return [Gap(row.id, row.key, row.question, times) for row, times in rows]
