"""Anonymous stage ratings: a score for one stage of a service, with no link to the person.

The row (surveys.models.StageRating) holds no person id, a random id and only the date (no
time), and is written mixed with others (surveys.mixing), so it cannot be joined with the
interaction log by order, timestamp or transaction. A rating asked
for with buttons (offer) waits as a RatingOffer under a random token the buttons carry; the
first press turns it into a StageRating and deletes it.
"""

import secrets
from datetime import date, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import Action, word
from bot.core.messages import Button
from bot.core.ratings import SCORES, Rating, RatingTags, score
from surveys.mixing import write_mixed
from surveys.models import RatingOffer, StageRating, random_id

FEATURE = "rate"  # the feature that takes the presses (surveys.rate)
SCORE = Action(FEATURE, "s", word, score)  # the offer's token, the score
# An offer not pressed within this many days is dropped; its buttons then say they are stale.
KEEP_DAYS = 30
RATINGS = StageRating.__table__


async def record_rating(session: AsyncSession, rating: Rating) -> None:
    """Store one score for the office's day, no time kept, mixed with earlier ratings of
    the day (surveys.mixing): it is written in the person's own transaction."""
    if rating.score not in SCORES:
        raise ValueError(f"score must be in {SCORES}")
    row = {
        "id": random_id(),
        "service": rating.service,
        "touchpoint": rating.touchpoint,
        "channel": rating.channel,
        "stage": rating.stage,
        "score": rating.score,
        "rated_on": rating.on,
    }
    await write_mixed(
        session, RATINGS, [row], group="id", alike=(RATINGS.c.rated_on == rating.on,)
    )


async def offer(session: AsyncSession, tags: RatingTags, on: date) -> tuple[Button, ...]:
    """The 1–5 buttons of a new offer (and old offers nobody pressed are dropped)."""
    await session.execute(
        delete(RatingOffer).where(RatingOffer.offered_on < on - timedelta(days=KEEP_DAYS))
    )
    token = secrets.token_urlsafe(12)  # 16 characters, 96 random bits
    session.add(
        RatingOffer(
            token=token,
            service=tags.service,
            touchpoint=tags.touchpoint,
            channel=tags.channel,
            stage=tags.stage,
            offered_on=on,
        )
    )
    return tuple(Button(str(value), SCORE.pack(token, value)) for value in SCORES)


async def take(session: AsyncSession, token: str, value: int, on: date) -> bool:
    """Record the score of a pressed offer; False if there is no such offer (pressed
    already, dropped, or never made)."""
    found = await session.get(RatingOffer, token, with_for_update=True)
    if found is None:
        return False
    await session.delete(found)
    tags = RatingTags(found.service, found.touchpoint, found.channel, found.stage)
    await record_rating(session, tags.rating(value, on))
    return True
