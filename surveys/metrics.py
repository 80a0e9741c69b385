"""Stage ratings as gauges for /metrics: how many were given and their sum, by stage of the
journey. Only days before today count: the store keeps a rating's day and no time, and a
count that moved at each scrape would tell when (and, with the sum, what) someone rated."""

from datetime import datetime, tzinfo

from prometheus_client.core import Metric
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.metrics import Sampler, gauge
from bot.core.ratings import Stage
from surveys.models import StageRating


def ratings_sampler(tz: tzinfo) -> Sampler:
    """The sampler for an office in `tz`, whose day decides what "before today" is."""

    async def sample(session: AsyncSession, now: datetime) -> list[Metric]:
        count = gauge("priemnaya_ratings", "Stage ratings given before today", ["stage"])
        total = gauge(
            "priemnaya_ratings_score_sum", "Sum of the scores given before today", ["stage"]
        )
        rows = await session.execute(
            select(StageRating.stage, func.count(), func.sum(StageRating.score))
            .where(StageRating.rated_on < now.astimezone(tz).date())
            .group_by(StageRating.stage)
        )
        by_stage: dict[str, tuple[int, int]] = {}
        for stored, given, scores in rows:
            # "scenario.permit.docs" counts under "scenario": one series per journey stage.
            stage = Stage.of(stored)
            name = stage.value if stage is not None else "other"
            before = by_stage.get(name, (0, 0))
            by_stage[name] = (before[0] + given, before[1] + int(scores))
        for name, (given, scores) in sorted(by_stage.items()):
            count.add_metric([name], given)
            total.add_metric([name], scores)
        return [count, total]

    return sample
