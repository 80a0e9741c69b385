"""`priemnaya report feedback`: a quarter's analysis read from the database and written out as
a workbook, PNG charts and a Markdown summary. The quarterly timer (quarterly.py) sends the
same to the staff chat.

Counting and drawing take seconds on a large quarter: they run in a thread, so the bot keeps
answering while a report is made."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from surveys.aggregate import analyse
from surveys.models import StageRating, SurveyAnswer
from surveys.names import Names, named
from surveys.quarters import Quarter
from surveys.questionnaire import Survey, load_surveys
from surveys.results import Analysis, AnswerRow, ReplyTimes, StageRow, within


class TicketReplyTimes(Protocol):
    """The tickets' first-reply figures per kind, for tickets created from `first` to `last`
    (office days): the port the assembly fills with the tickets' own SLA report."""

    async def __call__(
        self, session: AsyncSession, first: date, last: date, now: datetime
    ) -> Sequence[ReplyTimes]: ...


@dataclass(frozen=True)
class ReportFiles:
    quarter: Quarter
    summary: str  # Markdown
    workbook: bytes  # .xlsx
    charts: dict[str, bytes]  # file name -> PNG
    analysis: Analysis  # the quarter's numbers, suppressed: what the published page shows

    @property
    def workbook_name(self) -> str:
        return f"feedback-{self.quarter}.xlsx"

    def write(self, out: Path) -> list[Path]:
        out.mkdir(parents=True, exist_ok=True)
        written = {
            f"feedback-{self.quarter}.md": self.summary.encode(),
            self.workbook_name: self.workbook,
            **{f"feedback-{self.quarter}-{name}": png for name, png in self.charts.items()},
        }
        for name, content in written.items():
            (out / name).write_bytes(content)
        return [out / name for name in written]


class FeedbackReport:
    def __init__(
        self,
        surveys_dir: Path,
        tz: ZoneInfo,
        replies: TicketReplyTimes | None = None,
        names: Names | None = None,
    ) -> None:
        self.surveys_dir = surveys_dir
        self.tz = tz
        self.replies = replies
        self.names = names or Names()  # ids where nothing names them

    def surveys(self) -> list[Survey]:
        """The questionnaires as they are now (read at each report: they change between
        quarters); none where the office has no survey folder."""
        return load_surveys(self.surveys_dir) if self.surveys_dir.is_dir() else []

    async def make(self, session: AsyncSession, quarter: Quarter, now: datetime) -> ReportFiles:
        questionnaires = self.surveys()
        inputs = [await self._inputs(session, q, now) for q in (quarter, quarter.previous())]
        return await asyncio.to_thread(_render, quarter, questionnaires, inputs, now, self.names)

    async def analysis(self, session: AsyncSession, quarter: Quarter, now: datetime) -> Analysis:
        """The quarter's numbers alone (no charts, no themes), by id: what the bot shows in
        /stats, named in each person's language (surveys.names.named)."""
        i = await self._inputs(session, quarter, now)
        surveys = self.surveys()
        return await asyncio.to_thread(
            analyse,
            quarter,
            surveys,
            i.answers,
            i.ratings,
            i.replies,
            i.by_month,
            with_themes=False,
        )

    async def _inputs(self, session: AsyncSession, quarter: Quarter, now: datetime) -> _Inputs:
        answer = SurveyAnswer
        in_quarter = (answer.week >= quarter.first_week, answer.week < quarter.end_week)
        # Alike answers counted by the database; JSON compared as text (PostgreSQL's json
        # has no equality), read back once per distinct choice.
        choices = cast(answer.choices, String)
        # Where an answer was given: the columns an AnswerRow starts with.
        place = (answer.survey, answer.question, answer.service, answer.touchpoint, answer.week)
        alike = (*place, answer.score, choices)
        counted = await session.execute(
            select(*alike, func.count()).where(*in_quarter, answer.text.is_(None)).group_by(*alike)
        )
        texts = await session.execute(
            select(*place, answer.text).where(*in_quarter, answer.text.is_not(None))
        )
        rows = [
            AnswerRow(*where, score=score, choices=_choices(chosen), count=count)
            for *where, score, chosen, count in counted
        ]
        rows += [AnswerRow(*where, text=text) for *where, text in texts]
        rating = StageRating
        ratings = await session.execute(
            select(rating.stage, rating.score, func.count())
            .where(rating.rated_on >= quarter.first_day, rating.rated_on <= quarter.last_day)
            .group_by(rating.stage, rating.score)
        )
        replies: Sequence[ReplyTimes] = ()
        by_month: dict[date, Sequence[ReplyTimes]] = {}
        if self.replies is not None:
            for month, end in zip(quarter.months, (*quarter.months[1:], None), strict=True):
                last = (end or quarter.next().first_day) - timedelta(days=1)
                by_month[month] = await self.replies(session, month, last, now)
            replies = _added(by_month.values())
        return _Inputs(quarter, rows, [StageRow._make(row) for row in ratings], replies, by_month)


def _added(months: Iterable[Sequence[ReplyTimes]]) -> list[ReplyTimes]:
    """The quarter per kind from its months: tickets and decided add up, and so do the
    tickets answered in time (a share of the decided)."""
    kinds: dict[str, list[ReplyTimes]] = {}
    for month in months:
        for row in month:
            kinds.setdefault(row.kind, []).append(row)
    return [
        ReplyTimes(
            kind,
            rows[0].label,
            sum(r.tickets for r in rows),
            sum(r.decided for r in rows),
            within(rows),
        )
        for kind, rows in kinds.items()
    ]


@functools.lru_cache(maxsize=4096)
def _choices(stored: str | None) -> tuple[str, ...] | None:
    # No choices may be stored as SQL NULL or as JSON null.
    chosen = None if stored is None else json.loads(stored)
    return None if chosen is None else tuple(chosen)


@dataclass(frozen=True)
class _Inputs:
    quarter: Quarter
    answers: list[AnswerRow]
    ratings: list[StageRow]
    replies: Sequence[ReplyTimes]
    by_month: dict[date, Sequence[ReplyTimes]]


def _render(
    quarter: Quarter,
    questionnaires: list[Survey],
    inputs: list[_Inputs],
    now: datetime,
    names: Names,
) -> ReportFiles:
    from surveys.charts import charts
    from surveys.summary import summary
    from surveys.workbook import workbook

    current, previous = (
        named(
            analyse(
                i.quarter,
                questionnaires,
                i.answers,
                i.ratings,
                i.replies,
                i.by_month,
                with_themes=i.quarter == quarter,
            ),
            names,
        )
        for i in inputs
    )
    pictures = charts(current, previous)
    return ReportFiles(
        quarter,
        summary(current, previous),
        workbook(current, previous, pictures, now),
        pictures,
        current,
    )
